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
pub use route::{Operation, Prefix, Route};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Report, Severity};
use crate::model::constraints::is_uuid;
use crate::validate::Finding;
use crate::{Error, Kind, Validator};

/// Checks whole requests and answers. Cheap to clone, `Send + Sync`: one can serve every thread.
#[derive(Debug, Clone)]
pub struct HttpValidator {
    /// Carries the options; its kind is replaced per operation.
    body: Validator,
    strict: bool,
}

impl Default for HttpValidator {
    fn default() -> Self {
        HttpValidator::new()
    }
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
    /// Default options: not strict, no chart values schema.
    pub fn new() -> Self {
        HttpValidator {
            body: Validator::new(Kind::CreateRequest),
            strict: false,
        }
    }

    /// Strict mode: every warning is reported as an error, for the HTTP findings and the body's.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.body = self.body.strict(strict);
        self.strict = strict;
        self
    }

    /// The largest body read (see [`Validator::max_input_size`]).
    #[must_use]
    pub fn max_input_size(mut self, bytes: usize) -> Self {
        self.body = self.body.max_input_size(bytes);
        self
    }

    /// The deepest nesting of a body (see [`Validator::max_depth`]).
    #[must_use]
    pub fn max_depth(mut self, levels: usize) -> Self {
        self.body = self.body.max_depth(levels);
        self
    }

    /// The most findings of a body (see [`Validator::max_findings`]).
    #[must_use]
    pub fn max_findings(mut self, findings: usize) -> Self {
        self.body = self.body.max_findings(findings);
        self
    }

    /// The chart's `values.schema.json`, applied to `/values` of create and update bodies (see
    /// [`Validator::values_schema`]).
    pub fn values_schema(mut self, schema: &Value) -> Result<Self, Error> {
        self.body = self.body.values_schema(schema)?;
        Ok(self)
    }

    /// How much work the chart's values schema may take per body (see
    /// [`Validator::values_schema_budget`]).
    #[must_use]
    pub fn values_schema_budget(mut self, budget: crate::ValuesSchemaBudget) -> Self {
        self.body = self.body.values_schema_budget(budget);
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
        let (path, query) = route::split_query(path_and_query);
        let route = match route::find(method, path) {
            Ok(route) => route,
            Err(miss) => {
                let finding = route::miss_finding(miss, method, path);
                return CheckedRequest {
                    route: None,
                    report: Report::new(vec![self.diagnostic(finding)]),
                };
            }
        };
        let mut findings = Vec::new();
        route::check_path(&route, &mut findings);
        if let Some(query) = query {
            query::check(route.operation, query, &mut findings);
        }
        let headers: Vec<(String, Vec<u8>)> = headers
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_vec()))
            .collect();
        headers::check(route.operation, &headers, &mut findings);
        let mut diagnostics: Vec<Diagnostic> =
            findings.into_iter().map(|f| self.diagnostic(f)).collect();
        if let Some(kind) = route.operation.request_kind() {
            let mut validator = self.body.for_kind(kind);
            // An invalid path cluster id is already a path finding; the body rule needs a real one.
            if is_uuid(&route.cluster_id) {
                validator = validator.cluster_id(route.cluster_id.as_str());
            }
            diagnostics.extend(validator.validate_bytes(body).into_diagnostics());
        }
        CheckedRequest {
            route: Some(route),
            report: Report::new(diagnostics),
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
        self.body.for_kind(kind).validate_bytes(body)
    }

    fn diagnostic(&self, finding: Finding) -> Diagnostic {
        let code = finding.problem.code();
        Diagnostic {
            severity: if self.strict {
                Severity::Error
            } else {
                code.default_severity()
            },
            code,
            location: finding.location,
            message: finding.problem.message(finding.location, &finding.pointer),
            pointer: finding.pointer,
            line: None,
            column: None,
        }
    }
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
