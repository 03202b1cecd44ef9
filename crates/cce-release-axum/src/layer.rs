//! The tower layer: every request of the release API checked in front of any service.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use cce_release::Report;
use cce_release::http::Route;
use http_body_util::{BodyExt, Limited};
use tower_layer::Layer;
use tower_service::Service;

use crate::answer::ReleaseRejection;
use crate::api::ReleaseApi;

/// Checks every request of the release API before the inner service sees it, and, with
/// [`ReleaseApi::check_answers`], every answer before the client does.
///
/// - A request under `/autopilot/cam/v3` or `/cce/cam/v3` is read (its body within
///   [`max_body_size`](ReleaseApi::max_body_size), never further) and checked whole. One with an
///   error is answered by the layer: the API's error body with the findings, the provider's
///   status. One that passes goes on with its body and a [`ValidatedRequest`](crate::ValidatedRequest) in its
///   extensions, which the extractors use instead of checking again.
/// - Any other path goes on untouched, unless [`reject_other_paths`](ReleaseApi::reject_other_paths).
///
/// ```
/// use axum::{Router, routing::get};
/// use cce_release_axum::{ReleaseApi, ValidatedRequest};
///
///
/// async fn list(request: ValidatedRequest) -> &'static str {
///     "[]"
/// }
///
/// let app: Router = Router::new()
///     .route("/cce/cam/v3/clusters/{cluster_id}/releases", get(list))
///     .route("/healthz", get(|| async { "ok" })) // not the API's: passes through
///     .layer(ReleaseApi::new().strict(true).layer());
/// ```
#[derive(Debug, Clone)]
pub struct ReleaseApiLayer {
    api: ReleaseApi,
}

impl ReleaseApiLayer {
    /// The layer of this configuration (also [`ReleaseApi::layer`]).
    pub fn new(api: ReleaseApi) -> Self {
        ReleaseApiLayer { api }
    }
}

impl<S> Layer<S> for ReleaseApiLayer {
    type Service = ReleaseApiService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ReleaseApiService {
            inner,
            api: self.api.clone(),
        }
    }
}

/// The service [`ReleaseApiLayer`] wraps around another.
#[derive(Debug, Clone)]
pub struct ReleaseApiService<S> {
    inner: S,
    api: ReleaseApi,
}

impl<S> Service<Request> for ReleaseApiService<S>
where
    S: Service<Request, Error = Infallible> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The clone is ready (tower's rule: call the one poll_ready was asked of).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let api = self.api.clone();
        Box::pin(async move {
            if !api.covers(request.uri().path()) {
                return Ok(inner.call(request).await.into_response());
            }
            let (parts, checked, bytes) = match api.read(request).await {
                Ok(read) => read,
                Err(rejection) => return Ok(rejection.into_response()),
            };
            let route = checked.route.clone();
            let mut request = Request::from_parts(parts, Body::from(bytes));
            request.extensions_mut().insert(checked);
            let response = inner.call(request).await.into_response();
            if !api.checks_answers() {
                return Ok(response);
            }
            Ok(check_answer(&api, &route, response).await)
        })
    }
}

/// The answer as it is when it conforms, else a 500 with the findings.
async fn check_answer(api: &ReleaseApi, route: &Route, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let limit = api.validator().options().input_size_limit();
    let bytes: Bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        // Larger than any body the API takes: not checked, not sent.
        Err(_) => {
            return ReleaseRejection::internal(route.prefix, Report::default()).into_response();
        }
    };
    let report = api
        .validator()
        .validate_response(route.operation, parts.status.as_u16(), &bytes);
    if report.is_valid() {
        return Response::from_parts(parts, Body::from(bytes));
    }
    ReleaseRejection::internal(route.prefix, report).into_response()
}
