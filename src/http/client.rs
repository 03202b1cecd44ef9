//! A request built in code: the same method, path, headers and body a client sends, checked by
//! the same rules as a server's before it goes out.

use std::fmt;

use super::headers::{AUTH_TOKEN, CONTENT_TYPE};
use super::route::{Operation, Prefix, encode};
use super::{CheckedRequest, HttpValidator};
use crate::{CreateReleaseBody, UpdateReleaseBody};

/// One request of the release API, built in code: hand its [`method`](Self::method),
/// [`path_and_query`](Self::path_and_query), [`headers`](Self::headers) and [`body`](Self::body)
/// to any HTTP client.
///
/// Path parameters and query values are percent-encoded here; `Content-Type: application/json`
/// is set. Credentials are the caller's: [`token`](Self::token), or the headers of an AK/SK
/// signer through [`header`](Self::header) (the signer needs the final method, path, headers and
/// body, which the accessors give). `Debug` shows header names, never their values.
///
/// ```
/// use cce_release::http::{Operation, Prefix, Request};
///
/// let request = Request::show("7378a198-a3fe-11eb-ad37-0255ac100b07", "default", "koi-neo4j")
///     .prefix(Prefix::Classic)
///     .query("show_resources", "true")
///     .token("MIIT...");
/// assert_eq!(request.method(), "GET");
/// assert_eq!(
///     request.path_and_query(),
///     "/cce/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/namespace/default/releases/koi-neo4j?show_resources=true"
/// );
/// assert!(request.validate().is_valid());
/// assert!(!format!("{request:?}").contains("MIIT"));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    operation: Operation,
    prefix: Prefix,
    cluster_id: String,
    release: Option<(String, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn new(operation: Operation, cluster_id: &str, release: Option<(&str, &str)>) -> Self {
        Request {
            operation,
            prefix: Prefix::default(),
            cluster_id: cluster_id.to_owned(),
            release: release.map(|(ns, name)| (ns.to_owned(), name.to_owned())),
            query: Vec::new(),
            headers: vec![(CONTENT_TYPE.to_owned(), "application/json".to_owned())],
            body: Vec::new(),
        }
    }

    /// `POST .../clusters/{cluster_id}/releases` with `body`.
    pub fn create(cluster_id: &str, body: &CreateReleaseBody) -> Self {
        let mut request = Request::new(Operation::Create, cluster_id, None);
        // Serializing the typed body cannot fail; if it ever did, the empty body is reported.
        request.body = serde_json::to_vec(body).unwrap_or_default();
        request
    }

    /// `GET .../clusters/{cluster_id}/releases`; filter with
    /// [`query`](Self::query)`("chart_id", …)` and `("namespace", …)`.
    pub fn list(cluster_id: &str) -> Self {
        Request::new(Operation::List, cluster_id, None)
    }

    /// `GET .../clusters/{cluster_id}/namespace/{namespace}/releases/{name}`.
    pub fn show(cluster_id: &str, namespace: &str, name: &str) -> Self {
        Request::new(Operation::Show, cluster_id, Some((namespace, name)))
    }

    /// `PUT .../clusters/{cluster_id}/namespace/{namespace}/releases/{name}` with `body`.
    pub fn update(cluster_id: &str, namespace: &str, name: &str, body: &UpdateReleaseBody) -> Self {
        let mut request = Request::new(Operation::Update, cluster_id, Some((namespace, name)));
        request.body = serde_json::to_vec(body).unwrap_or_default();
        request
    }

    /// `DELETE .../clusters/{cluster_id}/namespace/{namespace}/releases/{name}`.
    pub fn delete(cluster_id: &str, namespace: &str, name: &str) -> Self {
        Request::new(Operation::Delete, cluster_id, Some((namespace, name)))
    }

    /// `GET .../clusters/{cluster_id}/namespace/{namespace}/releases/{name}/history`.
    pub fn history(cluster_id: &str, namespace: &str, name: &str) -> Self {
        Request::new(Operation::History, cluster_id, Some((namespace, name)))
    }

    /// The path prefix (Autopilot by default).
    #[must_use]
    pub fn prefix(mut self, prefix: Prefix) -> Self {
        self.prefix = prefix;
        self
    }

    /// Adds a query parameter (percent-encoded here).
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sets `X-Auth-Token` (token authentication).
    #[must_use]
    pub fn token(self, token: impl Into<String>) -> Self {
        self.header(AUTH_TOKEN, token)
    }

    /// Sets a header, replacing one of the same name (case-insensitive): for example the
    /// `Authorization`, `X-Sdk-Date` and `X-Project-Id` an AK/SK signer computes.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// The operation.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        self.operation.method()
    }

    /// The path with its query, percent-encoded, as it goes after the host.
    pub fn path_and_query(&self) -> String {
        let mut out = format!(
            "{}/clusters/{}",
            self.prefix.as_str(),
            encode(&self.cluster_id)
        );
        match &self.release {
            Some((namespace, name)) => {
                out.push_str(&format!(
                    "/namespace/{}/releases/{}",
                    encode(namespace),
                    encode(name)
                ));
                if self.operation == Operation::History {
                    out.push_str("/history");
                }
            }
            None => out.push_str("/releases"),
        }
        for (i, (name, value)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode(name));
            out.push('=');
            out.push_str(&encode(value));
        }
        out
    }

    /// The headers to send.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body to send (empty for the operations without one).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Checks the request as a server would receive it, with default options.
    pub fn validate(&self) -> CheckedRequest {
        self.validate_with(&HttpValidator::new())
    }

    /// Checks the request with the options of `validator` (strict mode, a chart's values schema).
    pub fn validate_with(&self, validator: &HttpValidator) -> CheckedRequest {
        validator.validate_request(
            self.method(),
            &self.path_and_query(),
            self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            &self.body,
        )
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method())
            .field("path_and_query", &self.path_and_query())
            .field("headers", &header_names)
            .field("body_len", &self.body.len())
            .finish()
    }
}
