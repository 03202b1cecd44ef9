//! [axum](https://docs.rs/axum) integration of [`cce_release`]: requests of the CCE Helm release
//! API checked the way the API checks them, and refused the way it refuses them.
//!
//! - [`ValidatedRelease<T>`]: an extractor that turns a request into a typed, validated body
//!   (`ValidatedRelease<CreateReleaseBody>`, `ValidatedRelease<UpdateReleaseBody>`) and its
//!   route, or refuses it ([`ReleaseRejection`]) with the API's own error body, in the Autopilot
//!   or classic spelling by the route's prefix, carrying the findings as data, with the status
//!   the provider answers ([`answer`] has the table and its sources). [`ValidatedRequest`] does
//!   the same for the operations without a body.
//! - [`ReleaseApiLayer`]: a tower layer that checks every request of the API in front of any
//!   service, and optionally every answer.
//! - [`ReleaseApi`]: the configuration both share (strict mode, a chart's values schema, the
//!   body limit, the status policy), built once; what varies per request (the path's cluster id)
//!   is taken from each request without rebuilding any validator.
//! - [`mock`]: a validating mock server of the API with an in-memory store, also runnable as
//!   `cargo run -p cce-release-axum --example mock`.
//!
//! Header values never appear in an answer, and no body is read past its limit.
//!
//! ```
//! use axum::{Router, routing::post};
//! use axum::body::Body;
//! use axum::http::{Request, StatusCode};
//! use cce_release::CreateReleaseBody;
//! use cce_release_axum::{ErrorBody, ReleaseApi, ValidatedRelease};
//! use tower::ServiceExt; // oneshot
//!
//! async fn create(body: ValidatedRelease<CreateReleaseBody>) -> (StatusCode, String) {
//!     (StatusCode::CREATED, format!("{} {}", body.name, body.version))
//! }
//!
//! let app = Router::new()
//!     .route("/cce/cam/v3/clusters/{cluster_id}/releases", post(create))
//!     .layer(ReleaseApi::new().layer());
//!
//! let request = Request::post("/cce/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases")
//!     .header("Content-Type", "application/json")
//!     .header("X-Auth-Token", "MIIT-secret")
//!     .body(Body::from(r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
//!         "name": "Koi_Neo4j", "namespace": "default", "version": "3.0.1", "values": {}}"#))
//!     .unwrap();
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let answer = app.oneshot(request).await.unwrap();
//! assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
//! let bytes = axum::body::to_bytes(answer.into_body(), 1 << 20).await.unwrap();
//! let body: ErrorBody = serde_json::from_slice(&bytes).unwrap();
//! assert_eq!(body.error.code(), "CCE.01400001"); // classic spelling: `error_code`, `error_msg`
//! let d = &body.findings[0];
//! assert_eq!((d.code.as_str(), d.pointer.as_str(), d.line), ("pattern_mismatch", "/name", Some(2)));
//! # });
//! ```

pub mod answer;
mod api;
mod extract;
mod layer;
pub mod mock;

pub use answer::{ErrorBody, ReleaseRejection, StatusPolicy};
pub use api::{ReleaseApi, ValidatedRequest};
pub use extract::ValidatedRelease;
pub use layer::{ReleaseApiLayer, ReleaseApiService};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<ReleaseApi>();
        assert_send_sync::<ReleaseApiLayer>();
        assert_send_sync::<ReleaseRejection>();
        assert_send_sync::<ValidatedRequest>();
        assert_send_sync::<ValidatedRelease<cce_release::CreateReleaseBody>>();
        assert_send_sync::<mock::Store>();
    }
}

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
