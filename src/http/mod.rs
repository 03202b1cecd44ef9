//! Whole HTTP requests and answers of the release API, for servers, gateways, mocks and clients.
//!
//! No network layer and no HTTP library: a request is its method, its path with the query, its
//! headers as name/value pairs and its body bytes, which any HTTP stack can hand over.
//!
//! - [`HttpValidator::validate_request`] finds the operation (under either prefix,
//!   [`Prefix`]), checks the path parameters, the query, the headers and the body, and reports
//!   every finding with its [`Location`](crate::Location): `path`, `query`, `header` or `body`.
//! - [`HttpValidator::validate_response`] checks an answer's body against the operation's
//!   response kind (2xx) or the error body (4xx, 5xx).
//! - [`Request`] builds a request in code, the same way, and validates it before it is sent.
//!
//! Header values never appear in messages: tokens and signatures are secrets.
//!
//! ```
//! use cce_release::http::{HttpValidator, Operation};
//!
//! let validator = HttpValidator::new();
//! let checked = validator.validate_request(
//!     "GET",
//!     "/cce/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/namespace/default/releases/koi-neo4j?show_resources=true",
//!     [("X-Auth-Token", "MIIT...")],
//!     b"",
//! );
//! assert!(checked.is_valid(), "{}", checked.report);
//! assert_eq!(checked.operation(), Some(Operation::Show));
//! ```

mod client;
mod headers;
mod query;
mod route;

pub use client::Request;
#[cfg(test)]
pub(crate) use headers::is_sdk_date;
pub(crate) use route::PathShape;
pub use route::{Operation, Prefix, Route};

use serde_json::Value;

use crate::diagnostic::Report;
use crate::model::constraints::is_uuid;
use crate::validate::{Anchor, Finding};
use crate::{Error, Kind, Options, PathContext, Validator};

/// Checks whole requests and answers. Cheap to clone, `Send + Sync`: one can serve every thread.
#[derive(Debug, Clone, Default)]
pub struct HttpValidator {
    options: Options,
}

/// A request checked by [`HttpValidator::validate_request`]: its route, when it has one, and the
/// report of every finding.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CheckedRequest {
    /// The operation and the decoded path parameters; `None` for an `unknown_route` or a
    /// `method_not_allowed`.
    pub route: Option<Route>,
    /// Every finding: path, query and header findings first (they have no line), then the body's.
    pub report: Report,
}

impl CheckedRequest {
    /// True when no finding is an error.
    pub fn is_valid(&self) -> bool {
        self.report.is_valid()
    }

    /// The operation the request is for, when it has a route.
    pub fn operation(&self) -> Option<Operation> {
        self.route.as_ref().map(|r| r.operation)
    }
}

impl HttpValidator {
    /// Default options: not strict, no chart values schema, the default limits.
    pub fn new() -> Self {
        HttpValidator::default()
    }

    /// The validator of requests and answers with `options` (the same type [`Validator`] takes).
    pub fn with_options(options: Options) -> Self {
        HttpValidator { options }
    }

    /// Its options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Strict mode: every warning is reported as an error, for the HTTP findings and the body's.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.options = self.options.strict(strict);
        self
    }

    /// The largest body read (see [`Options::max_input_size`]).
    #[must_use]
    pub fn max_input_size(mut self, bytes: usize) -> Self {
        self.options = self.options.max_input_size(bytes);
        self
    }

    /// The deepest nesting of a body (see [`Options::max_depth`]).
    #[must_use]
    pub fn max_depth(mut self, levels: usize) -> Self {
        self.options = self.options.max_depth(levels);
        self
    }

    /// The most findings of a request (see [`Options::max_findings`]).
    #[must_use]
    pub fn max_findings(mut self, findings: usize) -> Self {
        self.options = self.options.max_findings(findings);
        self
    }

    /// The chart's `values.schema.json`, applied to `/values` of create and update bodies (see
    /// [`Options::values_schema`]).
    pub fn values_schema(mut self, schema: &Value) -> Result<Self, Error> {
        self.options = self.options.values_schema(schema)?;
        Ok(self)
    }

    /// The chart the releases install (see [`Options::chart`]).
    pub fn chart(mut self, chart: crate::chart::Chart) -> Result<Self, Error> {
        self.options = self.options.chart(chart)?;
        Ok(self)
    }

    /// How much work the chart's values schema may take per body (see
    /// [`Options::values_schema_budget`]).
    #[must_use]
    pub fn values_schema_budget(mut self, budget: crate::ValuesSchemaBudget) -> Self {
        self.options = self.options.values_schema_budget(budget);
        self
    }

    /// Checks one request: `method` as sent (`POST`), the path with its query as sent
    /// (percent-encoded), the headers as name/value pairs in any case, and the body bytes (empty
    /// for none).
    ///
    /// The body is checked by the operation's request kind, with the path's cluster id given to
    /// the body rules (`cluster_id_mismatch`); the bodies of `GET` and `DELETE` are not looked
    /// at. A request with no route gets only its `unknown_route` or `method_not_allowed`.
    ///
    /// ```
    /// use cce_release::Code;
    /// use cce_release::http::HttpValidator;
    ///
    /// let checked = HttpValidator::new().validate_request(
    ///     "POST",
    ///     "/autopilot/cam/v3/clusters/{cluster_id}/releases",
    ///     [("content-type", "text/plain")],
    ///     br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
    ///          "namespace": "default", "version": "3.0.1", "values": {}}"#,
    /// );
    /// let found: Vec<(&str, &str)> = checked.report.iter()
    ///     .map(|d| (d.code.as_str(), d.pointer.as_str())).collect();
    /// assert_eq!(found, [
    ///     ("invalid_format", "/cluster_id"),
    ///     ("unsupported_media_type", "/Content-Type"),
    ///     ("missing_auth", "/X-Auth-Token"),
    /// ]);
    /// assert_eq!(checked.report.diagnostics()[0].code, Code::InvalidFormat);
    /// ```
    pub fn validate_request<H, K, V>(
        &self,
        method: &str,
        path_and_query: &str,
        headers: H,
        body: &[u8],
    ) -> CheckedRequest
    where
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        self.check_request(method, path_and_query, headers, Body::Bytes(body))
    }

    /// Checks a request whose body was too large to read: everything but the body, as
    /// [`validate_request`](Self::validate_request) does, and for an operation that takes a body
    /// one `input_too_large` finding in its place (with the size when it is known, from
    /// `Content-Length`, say). For servers that refuse a body over
    /// [`max_input_size`](Options::max_input_size) before reading it, and still want the rest of
    /// the request's findings. The bodies of `GET` and `DELETE` are never looked at, so they get
    /// no such finding. (For a payload alone, [`Validator::oversized`] says the same.)
    ///
    /// ```
    /// use cce_release::Code;
    /// use cce_release::http::HttpValidator;
    ///
    /// let http = HttpValidator::new().max_input_size(1024);
    /// let checked = http.validate_oversized(
    ///     "POST",
    ///     "/cce/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases",
    ///     [("Content-Type", "application/json"), ("X-Auth-Token", "MIIT...")],
    ///     Some(5_000_000),
    /// );
    /// let codes: Vec<Code> = checked.report.iter().map(|d| d.code).collect();
    /// assert_eq!(codes, [Code::InputTooLarge]);
    /// assert!(checked.report.diagnostics()[0].message.contains("5000000 bytes"));
    /// ```
    pub fn validate_oversized<H, K, V>(
        &self,
        method: &str,
        path_and_query: &str,
        headers: H,
        size: Option<usize>,
    ) -> CheckedRequest
    where
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        self.check_request(method, path_and_query, headers, Body::TooLarge(size))
    }

    fn check_request<H, K, V>(
        &self,
        method: &str,
        path_and_query: &str,
        headers: H,
        body: Body<'_>,
    ) -> CheckedRequest
    where
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let (path, query) = route::split_query(path_and_query);
        let mut findings = self.options.collector();
        let route = match route::find(method, path) {
            Ok(route) => route,
            Err(miss) => {
                findings.push_unplaced(route::miss_finding(miss, method, path));
                return CheckedRequest {
                    route: None,
                    report: self.options.finish(findings, None),
                };
            }
        };
        route::check_path(&route, &mut findings);
        if let Some(query) = query {
            query::check(route.operation, query, &mut findings);
        }
        let headers: Vec<(String, Vec<u8>)> = headers
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_vec()))
            .collect();
        headers::check(route.operation, &headers, &mut findings);
        // The request's own findings have no line: they come first, then the body's.
        let report = match (route.operation.request_kind(), body) {
            (Some(_), Body::TooLarge(size)) => {
                findings.push_unplaced(Finding::body(
                    self.options.too_large(size),
                    "",
                    Anchor::Nowhere,
                ));
                self.options.finish(findings, None)
            }
            (Some(kind), Body::Bytes(body)) => {
                let validator = Validator::with_options(kind, self.options.clone());
                // An invalid path cluster id is already a path finding; the body rule needs a
                // real one.
                let context = if is_uuid(&route.cluster_id) {
                    PathContext::cluster(&route.cluster_id)
                } else {
                    PathContext::default()
                };
                validator.run_bytes_after(findings, context, body).0
            }
            (None, _) => self.options.finish(findings, None),
        };
        CheckedRequest {
            route: Some(route),
            report,
        }
    }

    /// Checks an answer's body: a 2xx against the operation's [response
    /// kind](Operation::response_kind), a 4xx or 5xx against the error body ([`Kind::Error`]).
    /// Other statuses have no documented body: the report is empty.
    ///
    /// ```
    /// use cce_release::http::{HttpValidator, Operation};
    ///
    /// let validator = HttpValidator::new();
    /// let ok = validator.validate_response(Operation::History, 200,
    ///     br#"[{"name": "koi-neo4j", "version": 2, "status": "DEPLOYED"}]"#);
    /// assert!(ok.is_empty());
    /// let failed = validator.validate_response(Operation::Create, 400,
    ///     br#"{"error_code": "CCE.01400001"}"#);
    /// assert_eq!(failed.diagnostics()[0].pointer, "/error_msg");
    /// ```
    pub fn validate_response(&self, operation: Operation, status: u16, body: &[u8]) -> Report {
        let kind = match status {
            200..=299 => operation.response_kind(),
            400..=599 => Kind::Error,
            _ => return Report::default(),
        };
        Validator::with_options(kind, self.options.clone()).validate_bytes(body)
    }
}

/// The body of a request being checked: its bytes, or only that it was too large to read.
#[derive(Clone, Copy)]
enum Body<'a> {
    Bytes(&'a [u8]),
    TooLarge(Option<usize>),
}

/// The route of a request, when it has one: the operation its method and path name, under
/// either prefix, with the path parameters percent-decoded (and not yet checked).
///
/// ```
/// use cce_release::http::{Operation, Prefix, route};
///
/// let r = route("DELETE", "/cce/cam/v3/clusters/c/namespace/default/releases/koi%2Dneo4j").unwrap();
/// assert_eq!((r.operation, r.prefix), (Operation::Delete, Prefix::Classic));
/// assert_eq!(r.name.as_deref(), Some("koi-neo4j"));
/// assert!(route("GET", "/cce/cam/v3/clusters/c/namespaces/default/releases/koi").is_none());
/// ```
pub fn route(method: &str, path_and_query: &str) -> Option<Route> {
    route::find(method, route::split_query(path_and_query).0).ok()
}
