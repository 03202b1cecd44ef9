//! The extractors: [`ValidatedRelease<T>`] (a typed, validated body) and [`ValidatedRequest`]
//! (any operation: its route, once the whole request passed).

use std::ops::Deref;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use cce_release::http::{Prefix, Route};
use cce_release::{Payload, Report};

use crate::answer::ReleaseRejection;
use crate::api::{ReleaseApi, ValidatedRequest};

/// A request body of the release API, typed and validated, with the route it came on: the
/// extractor for create (`ValidatedRelease<CreateReleaseBody>`) and update
/// (`ValidatedRelease<UpdateReleaseBody>`) handlers.
///
/// The whole request is checked, as the API would: route, path parameters, query, headers
/// (`Content-Type`, credentials) and the body, with the path's cluster id given to the body
/// rules. A request with an error is refused with the API's error body in the spelling of its
/// prefix and the findings as data ([`ReleaseRejection`]), with the status the provider answers
/// (see [the table](crate::answer)). Warnings do not refuse a request: they are in
/// [`report`](Self::report).
///
/// Behind the [layer](crate::ReleaseApiLayer), the extractor takes the layer's verdict and only
/// deserializes the body. Without it, it checks the request itself, with the [`ReleaseApi`] of
/// an `Extension` when there is one (`.layer(Extension(api))`), else the default one.
///
/// ```
/// use axum::{Router, routing::post};
/// use cce_release::CreateReleaseBody;
/// use cce_release_axum::ValidatedRelease;
///
/// async fn create(body: ValidatedRelease<CreateReleaseBody>) -> String {
///     format!("install {} {} in cluster {}", body.name, body.version, body.route().cluster_id)
/// }
///
/// let app: Router = Router::new()
///     .route("/autopilot/cam/v3/clusters/{cluster_id}/releases", post(create))
///     .route("/cce/cam/v3/clusters/{cluster_id}/releases", post(create));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedRelease<T> {
    body: T,
    request: ValidatedRequest,
}

impl<T> ValidatedRelease<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The route: operation, prefix, decoded path parameters.
    pub fn route(&self) -> &Route {
        &self.request.route
    }

    /// The prefix the request came under (for the spelling of answers).
    pub fn prefix(&self) -> Prefix {
        self.request.route.prefix
    }

    /// The findings that did not stop the request (warnings; none in strict mode).
    pub fn report(&self) -> &Report {
        &self.request.report
    }

    /// The body, the route and the report.
    pub fn into_parts(self) -> (T, Route, Report) {
        (self.body, self.request.route, self.request.report)
    }
}

impl<T> Deref for ValidatedRelease<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// The layer's verdict and the body, or a check of our own.
async fn checked(request: Request) -> Result<(ValidatedRequest, Bytes), ReleaseRejection> {
    if let Some(done) = request.extensions().get::<ValidatedRequest>().cloned() {
        // The layer read the body into memory within the limits: collecting it is a move.
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|_| ReleaseRejection::internal(done.route.prefix, Report::default()))?;
        return Ok((done, bytes));
    }
    let api = request
        .extensions()
        .get::<ReleaseApi>()
        .cloned()
        .unwrap_or_default();
    let (_, done, bytes) = api.read(request).await?;
    Ok((done, bytes))
}

impl<S, T> FromRequest<S> for ValidatedRelease<T>
where
    S: Send + Sync,
    T: Payload + Send,
{
    type Rejection = ReleaseRejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (request, bytes) = checked(request).await?;
        let prefix = request.route.prefix;
        // A handler for one body on a route that takes another (or none) is a wiring mistake of
        // the server's, not the client's.
        if request.route.operation.request_kind() != Some(T::KIND) {
            return Err(ReleaseRejection::internal(prefix, Report::default()));
        }
        match serde_json::from_slice::<T>(&bytes) {
            Ok(body) => Ok(ValidatedRelease { body, request }),
            // Unreachable for a body that passed its schema; refused rather than trusted.
            Err(_) => Err(ReleaseRejection::internal(prefix, Report::default())),
        }
    }
}

/// Any operation's request, once it passed: for list, show, history and delete handlers (and
/// for create and update handlers that want the bytes' findings but not a typed body).
///
/// ```
/// use axum::{Router, routing::get};
/// use cce_release_axum::ValidatedRequest;
///
/// async fn show(request: ValidatedRequest) -> String {
///     let route = request.route;
///     format!("{}/{:?}", route.cluster_id, route.name)
/// }
///
/// let app: Router = Router::new()
///     .route("/cce/cam/v3/clusters/{cluster_id}/namespace/{namespace}/releases/{name}", get(show));
/// ```
impl<S> FromRequest<S> for ValidatedRequest
where
    S: Send + Sync,
{
    type Rejection = ReleaseRejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(checked(request).await?.0)
    }
}
