//! The error body of a failed call.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

/// The body of a 4xx/5xx answer, in either of the two spellings the API uses.
///
/// ```
/// use cce_release::ApiError;
///
/// let autopilot: ApiError =
///     serde_json::from_str(r#"{"errorCode": "CCE.01400001", "errorMessage": "Invalid request."}"#).unwrap();
/// let classic: ApiError =
///     serde_json::from_str(r#"{"error_code": "CCE.01400001", "error_msg": "Invalid request."}"#).unwrap();
/// assert_eq!(autopilot.code(), classic.code());
/// assert_eq!(autopilot.message(), "Invalid request.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ApiError {
    /// The Autopilot spelling: `errorCode` / `errorMessage`.
    Autopilot {
        /// Error code, such as `CCE.01400001`.
        #[serde(rename = "errorCode")]
        error_code: String,
        /// Human-readable message.
        #[serde(rename = "errorMessage")]
        error_message: String,
    },
    /// The classic CCE spelling: `error_code` / `error_msg`.
    Classic {
        /// Error code, such as `CCE.01400001`.
        error_code: String,
        /// Human-readable message.
        error_msg: String,
    },
}

impl ApiError {
    /// An error body in the Autopilot spelling (`errorCode`, `errorMessage`).
    ///
    /// ```
    /// use cce_release::ApiError;
    ///
    /// let body = ApiError::autopilot("CCE.01400006", "Content type not supported.");
    /// assert_eq!(serde_json::to_string(&body).unwrap(),
    ///     r#"{"errorCode":"CCE.01400006","errorMessage":"Content type not supported."}"#);
    /// ```
    pub fn autopilot(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Autopilot {
            error_code: code.into(),
            error_message: message.into(),
        }
    }

    /// An error body in the classic CCE spelling (`error_code`, `error_msg`).
    pub fn classic(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Classic {
            error_code: code.into(),
            error_msg: message.into(),
        }
    }

    /// The error code, whichever spelling carried it.
    pub fn code(&self) -> &str {
        match self {
            ApiError::Autopilot { error_code, .. } | ApiError::Classic { error_code, .. } => {
                error_code
            }
        }
    }

    /// The error message, whichever spelling carried it.
    pub fn message(&self) -> &str {
        match self {
            ApiError::Autopilot { error_message, .. } => error_message,
            ApiError::Classic { error_msg, .. } => error_msg,
        }
    }
}

/// The schema names all four members and asks for one complete spelling: the classic pair when
/// either classic member is there, else the Autopilot pair. It also names `findings`, an optional
/// array of this crate's findings (as `Diagnostic` serializes them), which the provider never
/// sends and servers built on this crate (the `cce-release-axum` mock) add to their 4xx answers:
/// declared, so that a client checking those answers against this schema, or in strict mode,
/// sees a valid error body rather than an `unknown_field`; optional, so that every body that was
/// valid stays valid. (`ApiError` itself ignores the member when it deserializes.) (`if`/`then`/`else` rather than
/// `anyOf`, so that a missing member is reported as that member, not as "fits no alternative";
/// the `true` properties beside each `required` are for Ajv's strict mode, which wants every
/// required member declared in the same subschema.)
impl JsonSchema for ApiError {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ApiError".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // A finding's fix, as `Diagnostic` serializes it (apart: one macro would nest too deep).
        let fix = serde_json::json!({
            "description": "A suggested fix, as the linter's JSON output writes it: \
                            edits of the request body's bytes.",
            "type": "object",
            "properties": {
                "applicability": {"enum": ["safe", "unsafe"]},
                "title": {"type": "string", "minLength": 1},
                "edits": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "range": {
                                "type": "object",
                                "properties": {
                                    "start": {"type": "integer", "minimum": 0},
                                    "end": {"type": "integer", "minimum": 0},
                                },
                                "required": ["start", "end"],
                                "additionalProperties": false,
                            },
                            "replacement": {"type": "string"},
                        },
                        "required": ["range", "replacement"],
                        "additionalProperties": false,
                    },
                },
            },
            "required": ["applicability", "title", "edits"],
            "additionalProperties": false,
        });
        schemars::json_schema!({
            "title": "ApiError",
            "description": "The body of a 4xx or 5xx answer. Autopilot spells it \
                            `{\"errorCode\": \"CCE.01400001\", \"errorMessage\": \"Invalid request.\"}`, \
                            classic CCE `{\"error_code\": ..., \"error_msg\": ...}`; either is accepted.",
            "type": "object",
            "properties": {
                "errorCode": {"type": "string", "description": "Error code, such as `CCE.01400001` (Autopilot spelling)."},
                "errorMessage": {"type": "string", "description": "Human-readable message (Autopilot spelling)."},
                "error_code": {"type": "string", "description": "Error code, such as `CCE.01400001` (classic spelling)."},
                "error_msg": {"type": "string", "description": "Human-readable message (classic spelling)."},
                "findings": {
                    "description": "Not sent by the provider: the findings of a server that validates \
                                    requests with `cce-release` (such as its mock server), one object per \
                                    finding as the linter's JSON output writes them.",
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "severity": {"enum": ["error", "warning"]},
                            "code": {"type": "string"},
                            "location": {"enum": ["body", "path", "query", "header"]},
                            "pointer": {"type": "string"},
                            "line": {"type": "integer", "minimum": 1},
                            "column": {"type": "integer", "minimum": 1},
                            "message": {"type": "string"},
                            "fix": fix,
                        },
                        "required": ["severity", "code", "location", "pointer", "message"],
                        "additionalProperties": false,
                    },
                },
            },
            "additionalProperties": false,
            "if": {"anyOf": [
                {"properties": {"error_code": true}, "required": ["error_code"]},
                {"properties": {"error_msg": true}, "required": ["error_msg"]},
            ]},
            "then": {
                "properties": {"error_code": true, "error_msg": true},
                "required": ["error_code", "error_msg"],
            },
            "else": {
                "properties": {"errorCode": true, "errorMessage": true},
                "required": ["errorCode", "errorMessage"],
            },
        })
    }
}
