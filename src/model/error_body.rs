//! The error body of a failed call.

use schemars::JsonSchema;
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
