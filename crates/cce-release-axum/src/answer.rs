//! What a rejected request is answered: the status, the API's error code and message, in the
//! spelling of the route's prefix, with the findings as data.
//!
//! Every status, code and message here comes from the provider's documentation:
//!
//! | finding | status | code | message | source |
//! |---|---|---|---|---|
//! | `unknown_route` | 404 | `APIGW.0101` | The API does not exist or has not been published in the environment. | API Gateway error codes |
//! | `method_not_allowed` | 404 (405 with [`StatusPolicy::Http`]) | `APIGW.0101` | The API does not exist. | API Gateway error codes ("the request method does not exist") |
//! | `missing_auth`, `malformed_auth` | 401 | `APIGW.0301` | Incorrect IAM authentication information. | API Gateway error codes |
//! | `input_too_large` | 413 | `APIGW.0201` | Request entity too large. | API Gateway error codes (a body over 12 MB) |
//! | `unsupported_media_type` | 400 (415 with [`StatusPolicy::Http`]) | `CCE.01400006` | Content type not supported. | CCE error codes |
//! | any other error (body, path, query) | 400 | `CCE.01400001` | Invalid request. | CCE error codes |
//!
//! When a request has findings of several rows, the first row in this order decides: a gateway
//! refuses a request before the service reads it.
//!
//! Two refusals have no finding: a body that does not arrive within
//! [`body_timeout`](crate::ReleaseApi::body_timeout) (408, `CCE.01400001`; the provider
//! documents no answer to it, so the status is RFC 9110's and the code the API's "Invalid
//! request.") and a body the client breaks off or sends with a broken framing (400,
//! `CCE.01400001`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cce_release::http::{CheckedRequest, Prefix, route};
use cce_release::{ApiError, Code, Diagnostic, Report, Severity};
use serde::{Deserialize, Serialize};

/// Which statuses a rejected request gets where the provider and plain HTTP differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StatusPolicy {
    /// What the provider documents (the default): a method the path does not take is the
    /// gateway's 404 `APIGW.0101`, and an unsupported `Content-Type` is the 400
    /// `CCE.01400006`. For mocks that should answer as the real API does.
    #[default]
    Provider,
    /// RFC 9110's statuses for those two: 405 with an `Allow` header listing the path's methods,
    /// and 415. Codes and messages stay the provider's.
    Http,
}

/// The body of an answer that refuses a request: the API's error body ([`ApiError`], in the
/// Autopilot or classic spelling) and, as data, the findings that caused it.
///
/// `findings` is not sent by the provider. It is declared in the committed error schema
/// (`schemas/error.schema.json`) as an optional member, so a client that checks these answers
/// with `cce_release` (strict mode included) or with the OpenAPI document sees a valid error
/// body; [`ApiError`] alone ignores it.
///
/// ```
/// use cce_release::ApiError;
/// use cce_release_axum::ErrorBody;
///
/// let text = r#"{"errorCode": "CCE.01400001", "errorMessage": "Invalid request.",
///   "findings": [{"severity": "error", "code": "pattern_mismatch", "location": "body",
///                 "pointer": "/name", "line": 1, "column": 9, "message": "..."}]}"#;
/// let body: ErrorBody = serde_json::from_str(text).unwrap();
/// assert_eq!(body.error.code(), "CCE.01400001");
/// assert_eq!(body.findings[0].pointer, "/name");
/// // A client that knows nothing of findings still reads the error.
/// let plain: ApiError = serde_json::from_str(text).unwrap();
/// assert_eq!(plain.message(), "Invalid request.");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The API's error code and message.
    #[serde(flatten)]
    pub error: ApiError,
    /// Every finding of the request (errors and warnings), as the linter's JSON output writes
    /// them; left out when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Diagnostic>,
}

impl ErrorBody {
    /// An error body in the prefix's spelling.
    pub fn new(prefix: Prefix, code: &str, message: &str, findings: Vec<Diagnostic>) -> Self {
        let error = match prefix {
            Prefix::Classic => ApiError::classic(code, message),
            _ => ApiError::autopilot(code, message),
        };
        ErrorBody { error, findings }
    }
}

/// A refused request (or, with answer checking, a handler's answer that breaks the API): the
/// status and the error body to send. It is the rejection of the extractors and what the layer
/// answers; as an [`IntoResponse`] it becomes that answer.
///
/// ```
/// use axum::http::StatusCode;
/// use cce_release_axum::ReleaseApi;
///
/// let api = ReleaseApi::new();
/// let refused = api
///     .check("GET", "/cce/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases",
///            [("X-Auth-Token", "")], b"")
///     .unwrap_err();
/// assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
/// let body = refused.body();
/// assert_eq!(body.error.code(), "APIGW.0301");
/// assert_eq!(body.findings[0].pointer, "/X-Auth-Token");
/// assert!(serde_json::to_string(&body).unwrap().contains("error_code")); // classic spelling
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseRejection {
    status: StatusCode,
    prefix: Prefix,
    code: &'static str,
    message: &'static str,
    report: Report,
    allow: Option<String>,
}

impl ReleaseRejection {
    /// The status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The findings behind it (empty for a refusal that is not about the request's shape, such
    /// as a release that does not exist).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The prefix whose spelling the error body uses.
    pub fn prefix(&self) -> Prefix {
        self.prefix
    }

    /// The error body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(
            self.prefix,
            self.code,
            self.message,
            self.report.diagnostics().to_vec(),
        )
    }

    /// A refusal with a documented status, code and message and no findings: what a server
    /// answers for a reason of its own (a release that does not exist, a name in use).
    pub fn api(
        status: StatusCode,
        prefix: Prefix,
        code: &'static str,
        message: &'static str,
    ) -> Self {
        ReleaseRejection {
            status,
            prefix,
            code,
            message,
            report: Report::default(),
            allow: None,
        }
    }

    /// A 500 for a handler's answer that breaks the API (`report` holds why), or for a handler
    /// wired to a route whose body it cannot take.
    pub(crate) fn internal(prefix: Prefix, report: Report) -> Self {
        ReleaseRejection {
            report,
            ..ReleaseRejection::api(
                StatusCode::INTERNAL_SERVER_ERROR,
                prefix,
                INTERNAL.0,
                INTERNAL.1,
            )
        }
    }
}

impl IntoResponse for ReleaseRejection {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(allow) = self.allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
            headers.insert(header::ALLOW, allow);
        }
        response
    }
}

/// `CCE.01500001`: the internal error of the CCE error codes.
pub(crate) const INTERNAL: (&str, &str) = ("CCE.01500001", "Internal server error.");
/// `CCE.01404001`: a resource that does not exist.
pub const NOT_FOUND: (&str, &str) = ("CCE.01404001", "Resource not found.");
/// `CCE.01409001`: a resource that exists already.
pub const CONFLICT: (&str, &str) = ("CCE.01409001", "Resource already exists.");
/// `CCE.01400001`: an invalid request.
pub const INVALID: (&str, &str) = ("CCE.01400001", "Invalid request.");

const NO_API: (&str, &str) = (
    "APIGW.0101",
    "The API does not exist or has not been published in the environment.",
);
const NO_METHOD: (&str, &str) = ("APIGW.0101", "The API does not exist.");
const AUTH: (&str, &str) = ("APIGW.0301", "Incorrect IAM authentication information.");
const TOO_LARGE: (&str, &str) = ("APIGW.0201", "Request entity too large.");
const MEDIA_TYPE: (&str, &str) = ("CCE.01400006", "Content type not supported.");

/// The prefix a path starts with, for the spelling of an error about a path that has no route
/// (Autopilot's when it has neither).
pub(crate) fn prefix_of(path: &str) -> Prefix {
    Prefix::ALL
        .iter()
        .copied()
        .find(|p| {
            path.strip_prefix(p.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
        })
        .unwrap_or_default()
}

/// The methods the path takes, for `Allow`.
fn allowed_methods(path_and_query: &str) -> String {
    ["GET", "POST", "PUT", "DELETE"]
        .into_iter()
        .filter(|m| route(m, path_and_query).is_some())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The answer to a checked request that is not valid; `None` when it is.
pub(crate) fn reject(
    checked: &CheckedRequest,
    path_and_query: &str,
    policy: StatusPolicy,
) -> Option<ReleaseRejection> {
    let errors = || {
        checked
            .report
            .iter()
            .filter(|d| d.severity == Severity::Error)
    };
    // A valid request (warnings at most) is not refused.
    errors().next()?;
    let prefix = checked
        .route
        .as_ref()
        .map_or_else(|| prefix_of(path_and_query), |r| r.prefix);
    let has = |codes: &[Code]| errors().any(|d| codes.contains(&d.code));
    let http = policy == StatusPolicy::Http;
    let mut allow = None;
    let (status, (code, message)) = if has(&[Code::UnknownRoute]) {
        (StatusCode::NOT_FOUND, NO_API)
    } else if has(&[Code::MethodNotAllowed]) {
        if http {
            allow = Some(allowed_methods(path_and_query));
            (StatusCode::METHOD_NOT_ALLOWED, NO_METHOD)
        } else {
            (StatusCode::NOT_FOUND, NO_METHOD)
        }
    } else if has(&[Code::MissingAuth, Code::MalformedAuth]) {
        (StatusCode::UNAUTHORIZED, AUTH)
    } else if has(&[Code::InputTooLarge]) {
        (StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE)
    } else if has(&[Code::UnsupportedMediaType]) {
        let status = if http {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        } else {
            StatusCode::BAD_REQUEST
        };
        (status, MEDIA_TYPE)
    } else {
        (StatusCode::BAD_REQUEST, INVALID)
    };
    Some(ReleaseRejection {
        status,
        prefix,
        code,
        message,
        report: checked.report.clone(),
        allow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_of_paths_without_a_route() {
        assert_eq!(prefix_of("/cce/cam/v3/nothing"), Prefix::Classic);
        assert_eq!(prefix_of("/cce/cam/v3?x"), Prefix::Classic);
        assert_eq!(prefix_of("/cce/cam/v30/x"), Prefix::Autopilot);
        assert_eq!(prefix_of("/elsewhere"), Prefix::Autopilot);
        assert_eq!(prefix_of("/autopilot/cam/v3/x"), Prefix::Autopilot);
    }

    #[test]
    fn allow_lists_the_paths_methods() {
        let id = "7378a198-a3fe-11eb-ad37-0255ac100b07";
        assert_eq!(
            allowed_methods(&format!("/cce/cam/v3/clusters/{id}/releases")),
            "GET, POST"
        );
        assert_eq!(
            allowed_methods(&format!("/cce/cam/v3/clusters/{id}/namespace/d/releases/n")),
            "GET, PUT, DELETE"
        );
        assert_eq!(
            allowed_methods(&format!(
                "/cce/cam/v3/clusters/{id}/namespace/d/releases/n/history"
            )),
            "GET"
        );
    }
}
