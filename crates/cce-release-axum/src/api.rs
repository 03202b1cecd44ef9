//! [`ReleaseApi`]: how requests are checked and answered, shared by the extractors and the layer.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, OriginalUri, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use cce_release::http::{CheckedRequest, HttpValidator, Route};
use cce_release::{Error, Report};
use http_body_util::Limited;
use serde_json::Value;

use crate::answer::{ReleaseRejection, StatusPolicy, reject};
use crate::layer::ReleaseApiLayer;

/// How requests of the release API are checked and answered: the validator (strict mode, a
/// chart's values schema, the limits), which statuses refusals get, and whether handlers'
/// answers are checked too.
///
/// Cheap to clone and `Send + Sync`: build it once. The compiled schemas are shared by the whole
/// process, and what varies per request (the path's cluster id, given to the body rules as a
/// [`PathContext`](cce_release::PathContext)) is taken from each request without rebuilding
/// anything.
///
/// ```
/// use cce_release_axum::{ReleaseApi, StatusPolicy};
///
/// let api = ReleaseApi::new()
///     .strict(true)                   // warnings are errors, as in `cce-release-lint --strict`
///     .statuses(StatusPolicy::Http)   // 405 and 415 rather than the provider's 404 and 400
///     .check_answers(true)            // a handler's answer that breaks the API becomes a 500
///     .max_body_size(1024 * 1024);
/// assert_eq!(api.validator().options().input_size_limit(), 1024 * 1024);
/// ```
#[derive(Debug, Clone)]
pub struct ReleaseApi {
    inner: Arc<Config>,
}

#[derive(Debug, Clone)]
struct Config {
    http: HttpValidator,
    statuses: StatusPolicy,
    check_answers: bool,
    other_paths: bool,
    body_timeout: Option<Duration>,
}

impl Default for ReleaseApi {
    fn default() -> Self {
        ReleaseApi::new()
    }
}

/// A request that passed: its route and its report (warnings only; empty in strict mode).
///
/// The layer puts one in the request's extensions for the handlers (and the extractors, which
/// then do not check again); as an extractor, it checks the request itself.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ValidatedRequest {
    /// The operation, the prefix and the decoded path parameters.
    pub route: Route,
    /// The findings that did not stop the request.
    pub report: Report,
}

impl ReleaseApi {
    /// The provider's gateway refuses a body over 12 MB (`APIGW.0201`, "Request entity too
    /// large.", 413): the default [`max_body_size`](Self::max_body_size).
    pub const DEFAULT_MAX_BODY_SIZE: usize = 12 * 1024 * 1024;

    /// Default options (not strict, no chart values schema), bodies up to
    /// [`DEFAULT_MAX_BODY_SIZE`](Self::DEFAULT_MAX_BODY_SIZE), the provider's statuses, answers
    /// not checked, requests outside the API's two prefixes passed through.
    pub fn new() -> Self {
        ReleaseApi::with_validator(
            HttpValidator::new().max_input_size(ReleaseApi::DEFAULT_MAX_BODY_SIZE),
        )
    }

    /// With this validator and its options (its `max_input_size` caps the bodies read).
    pub fn with_validator(http: HttpValidator) -> Self {
        ReleaseApi {
            inner: Arc::new(Config {
                http,
                statuses: StatusPolicy::default(),
                check_answers: false,
                other_paths: false,
                body_timeout: None,
            }),
        }
    }

    fn map(mut self, f: impl FnOnce(&mut Config)) -> Self {
        f(Arc::make_mut(&mut self.inner));
        self
    }

    /// Strict mode: every warning is an error (unknown members, loose versions, ineffective
    /// parameters), so only a request with no finding at all passes.
    #[must_use]
    pub fn strict(self, strict: bool) -> Self {
        self.map(|c| c.http = c.http.clone().strict(strict))
    }

    /// The largest body read, in bytes; a larger one is refused unread (413, `input_too_large`).
    /// axum's `DefaultBodyLimit`, when it is lower, applies too.
    #[must_use]
    pub fn max_body_size(self, bytes: usize) -> Self {
        self.map(|c| c.http = c.http.clone().max_input_size(bytes))
    }

    /// How long reading a body may take, from the first poll to its last byte: a client that
    /// sends it slower (a byte a minute, or nothing after the headers) is answered 408 with the
    /// API's `CCE.01400001` and no findings, and its connection is free again. Off by default.
    ///
    /// The limit needs Tokio's timer, which `#[tokio::main]` and `Runtime::new` enable: on a
    /// runtime built without it (`Builder::new_current_thread()` without `enable_time`), Tokio
    /// panics when the timer is first asked for, which is why the crate cannot turn it on by
    /// itself. Servers facing the internet should set it (the mock sets 30 seconds); the size
    /// limit holds either way.
    #[must_use]
    pub fn body_timeout(self, timeout: Duration) -> Self {
        self.map(|c| c.body_timeout = Some(timeout))
    }

    /// The chart's `values.schema.json`, applied to `/values` of create and update bodies.
    pub fn values_schema(self, schema: &Value) -> Result<Self, Error> {
        let http = self.inner.http.clone().values_schema(schema)?;
        Ok(self.map(|c| c.http = http))
    }

    /// Which statuses refusals get (see [`StatusPolicy`]).
    #[must_use]
    pub fn statuses(self, policy: StatusPolicy) -> Self {
        self.map(|c| c.statuses = policy)
    }

    /// With the layer: check each handler's answer too (a 2xx body against the operation's
    /// answer, a 4xx or 5xx body against the error body), and replace one that breaks the API
    /// with a 500 (`CCE.01500001`) whose findings say why. Off by default.
    #[must_use]
    pub fn check_answers(self, check: bool) -> Self {
        self.map(|c| c.check_answers = check)
    }

    /// With the layer: refuse requests outside both prefixes too (404, `unknown_route`), for a
    /// server that serves only this API. By default they pass through to the inner service
    /// untouched (a health check, metrics).
    #[must_use]
    pub fn reject_other_paths(self, reject: bool) -> Self {
        self.map(|c| c.other_paths = reject)
    }

    /// The validator.
    pub fn validator(&self) -> &HttpValidator {
        &self.inner.http
    }

    /// The status policy.
    pub fn status_policy(&self) -> StatusPolicy {
        self.inner.statuses
    }

    /// Whether the layer checks answers.
    pub fn checks_answers(&self) -> bool {
        self.inner.check_answers
    }

    /// How long reading a body may take, when limited (see [`body_timeout`](Self::body_timeout)).
    pub fn body_time_limit(&self) -> Option<Duration> {
        self.inner.body_timeout
    }

    /// The tower layer that checks every request of the API in front of a service.
    pub fn layer(&self) -> ReleaseApiLayer {
        ReleaseApiLayer::new(self.clone())
    }

    /// Checks a whole request given as data (method, path with query, headers, body): the
    /// route and findings when it passes, else the answer that refuses it. What the layer and
    /// the extractors do, without a request to read.
    pub fn check<H, K, V>(
        &self,
        method: &str,
        path_and_query: &str,
        headers: H,
        body: &[u8],
    ) -> Result<ValidatedRequest, ReleaseRejection>
    where
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let checked = self
            .inner
            .http
            .validate_request(method, path_and_query, headers, body);
        self.decide(checked, path_and_query)
    }

    fn decide(
        &self,
        checked: CheckedRequest,
        path_and_query: &str,
    ) -> Result<ValidatedRequest, ReleaseRejection> {
        if let Some(rejection) = reject(&checked, path_and_query, self.inner.statuses) {
            return Err(rejection);
        }
        match checked.route {
            Some(route) => Ok(ValidatedRequest {
                route,
                report: checked.report,
            }),
            // A request without a route always has its `unknown_route` or `method_not_allowed`.
            None => Err(ReleaseRejection::internal(
                crate::answer::prefix_of(path_and_query),
                checked.report,
            )),
        }
    }

    /// Whether the layer looks at a request for this path (without its query).
    pub(crate) fn covers(&self, path: &str) -> bool {
        self.inner.other_paths
            || cce_release::http::Prefix::ALL.iter().any(|p| {
                path.strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
    }

    /// Reads and checks a request: its body (for the operations that take one) within the
    /// limits, never further, then everything. On success, the request's parts, the check and
    /// the body read.
    pub(crate) async fn read(
        &self,
        request: Request,
    ) -> Result<(Parts, ValidatedRequest, Bytes), ReleaseRejection> {
        let (parts, body) = request.into_parts();
        let path_and_query = path_and_query(&parts);
        let method = parts.method.as_str();
        let headers = || {
            parts
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_bytes()))
        };
        let takes_body = cce_release::http::route(method, &path_and_query)
            .is_some_and(|r| r.operation.request_kind().is_some());
        if !takes_body {
            let checked = self.check(method, &path_and_query, headers(), b"")?;
            return Ok((parts, checked, Bytes::new()));
        }
        let limit = self.inner.http.options().input_size_limit();
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if let Some(size) = declared.filter(|&size| size > limit) {
            let checked =
                self.inner
                    .http
                    .validate_oversized(method, &path_and_query, headers(), Some(size));
            return Err(self.refuse(checked, &path_and_query));
        }
        // Our limit, then axum's `DefaultBodyLimit` when the request carries a lower one.
        let limited = Request::from_parts(parts.clone(), Body::new(Limited::new(body, limit)));
        let reading = Bytes::from_request(limited, &());
        let read = match self.inner.body_timeout {
            None => reading.await,
            Some(timeout) => match tokio::time::timeout(timeout, reading).await {
                Ok(read) => read,
                Err(_elapsed) => {
                    return Err(ReleaseRejection::api(
                        StatusCode::REQUEST_TIMEOUT,
                        crate::answer::prefix_of(&path_and_query),
                        crate::answer::INVALID.0,
                        crate::answer::INVALID.1,
                    ));
                }
            },
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let checked =
                    self.inner
                        .http
                        .validate_oversized(method, &path_and_query, headers(), None);
                return Err(self.refuse(checked, &path_and_query));
            }
            // The client went away or sent a broken body: nothing to check.
            Err(_) => {
                return Err(ReleaseRejection::api(
                    StatusCode::BAD_REQUEST,
                    crate::answer::prefix_of(&path_and_query),
                    crate::answer::INVALID.0,
                    crate::answer::INVALID.1,
                ));
            }
        };
        let checked = self.check(method, &path_and_query, headers(), &bytes)?;
        Ok((parts, checked, bytes))
    }

    fn refuse(&self, checked: CheckedRequest, path_and_query: &str) -> ReleaseRejection {
        match self.decide(checked, path_and_query) {
            Err(rejection) => rejection,
            // An `input_too_large` is an error: unreachable, answered as the gateway would.
            Ok(ok) => ReleaseRejection::internal(ok.route.prefix, ok.report),
        }
    }
}

/// The path with its query as the client sent it: before any `Router::nest` stripped a prefix.
pub(crate) fn path_and_query(parts: &Parts) -> String {
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    uri.path_and_query()
        .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned())
}
