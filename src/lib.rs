//! Typed models, JSON Schemas and a validator for the CCE Helm **release API**: create, list,
//! show, update, delete and history, under `/autopilot/cam/v3` and the classic `/cce/cam/v3`.
//!
//! The provider's SDKs send whatever they are given; this crate finds the mistakes before the
//! API (or Helm, after the API accepted the request) does, and reports **every** finding as data:
//! a stable [`Code`], a JSON Pointer, a line and column, and one sentence.
//!
//! - [`model`]: the request and response bodies as Rust types (serde + schemars).
//! - [`schema`]: the JSON Schemas generated from them (committed under `schemas/`).
//! - [`Validator`]: bytes or values in, a [`Report`] out; [`Valid<T>`] for typed payloads.
//! - [`http`]: whole requests (route, path, query, headers, body) and answers, for servers and
//!   clients; [`http::Request`] builds requests in code.
//! - [`chart`]: Helm charts (`values.yaml`, schemas, subcharts), so that `values` are checked as
//!   Helm checks them at install: coalesced over the chart's defaults.
//! - [`openapi`]: the OpenAPI 3.1 document of the API (committed as `schemas/openapi.json`).
//!
//! # A client: build a body, validate it before sending
//!
//! ```
//! use cce_release::{Code, CreateReleaseBody, ImagePullPolicy, ReleaseParameters, ReleaseValues};
//!
//! let values = ReleaseValues::default()
//!     .with_image_pull_policy(ImagePullPolicy::IfNotPresent)
//!     .with_image_tag("4.0.3-enterprise")
//!     .with("authEnabled", true);
//! let body = CreateReleaseBody::new(
//!     "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "Koi_Neo4j", "default", "3.0.1", values,
//! );
//! let report = body.validate();
//! assert!(!report.is_valid());
//! assert_eq!(report.diagnostics()[0].code, Code::PatternMismatch);
//! assert_eq!(report.diagnostics()[0].pointer, "/name");
//! ```
//!
//! # A server: bytes to a typed body, or a report
//!
//! ```
//! use cce_release::{CreateReleaseBody, PathContext, Validator};
//!
//! // Built once, shared by every request: its kind comes from the type.
//! let validator = Validator::<CreateReleaseBody>::of();
//! let path = PathContext::cluster("7378a198-a3fe-11eb-ad37-0255ac100b07"); // from the request
//! let bytes = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
//!                  "namespace": "default", "version": "3.0.1", "values": {"imagePullPolicy": "always"}}"#;
//! match validator.parse_in(path, bytes) {
//!     Ok(body) => println!("install {} {}", body.name, body.version),
//!     Err(report) => {
//!         let d = &report.diagnostics()[0];
//!         assert_eq!(d.code.as_str(), "not_allowed");
//!         assert_eq!((d.pointer.as_str(), d.line, d.column), ("/values/imagePullPolicy", Some(2), Some(92)));
//!     }
//! }
//! ```

pub mod chart;
pub mod detect;
mod diagnostic;
mod error;
pub mod fix;
pub mod http;
mod kind;
mod locate;
pub mod model;
pub mod openapi;
mod pointer;
mod redact;
#[cfg(feature = "render")]
pub mod render;
pub mod schema;
mod syntax;
mod validate;
#[cfg(feature = "yaml")]
mod yaml;

pub use diagnostic::{Code, Diagnostic, Explanation, Location, Report, Severity, UnknownCode};
pub use error::Error;
pub use kind::{Kind, Payload, UnknownKind};
pub use model::{
    ApiError, CreateReleaseBody, DeleteResponse, ImagePullPolicy, Release, ReleaseParameters,
    ReleaseStatus, ReleaseValues, UpdateAction, UpdateReleaseBody,
};
pub use redact::mask_pointer;
pub use validate::{AnyPayload, Options, PathContext, Valid, Validator, ValuesSchemaBudget};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<Validator>();
        assert_send_sync::<Report>();
        assert_send_sync::<Diagnostic>();
        assert_send_sync::<Valid<CreateReleaseBody>>();
        assert_send_sync::<Valid<UpdateReleaseBody>>();
        assert_send_sync::<Valid<Vec<Release>>>();
        assert_send_sync::<Error>();
        assert_send_sync::<http::HttpValidator>();
        assert_send_sync::<http::CheckedRequest>();
        assert_send_sync::<http::Request>();
    }
}

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
