//! A validating mock of the release API, for client developers to test against (the way Prism
//! serves other APIs): the six operations under both prefixes, every request checked by
//! [`ReleaseApi`] and refused with the API's error body and the findings, answers built from
//! `cce_release`'s own types (and checked too), and an in-memory store so that the operations
//! agree with each other.
//!
//! ```text
//! cargo run -p cce-release-axum --example mock -- [--addr 127.0.0.1:8089] [--strict] [--http-statuses]
//! ```
//!
//! How the store behaves (the API's documented statuses, Helm's revisions):
//!
//! - **create** answers 201 with revision 1 in `PENDING_INSTALL`; the install completes before
//!   the next request that reads the release, which then shows `DEPLOYED`. A name in use in the
//!   namespace is 409 (`CCE.01409001`) unless `parameters.replace` is true. `dry_run` answers
//!   without storing anything.
//! - **update** with `action: upgrade` adds a revision (`PENDING_UPGRADE`, then `DEPLOYED`) with
//!   the body's chart and values; `rollback` adds a revision copying the one
//!   `parameters.release_version` names (`0` or absent: the previous one), in
//!   `PENDING_ROLLBACK`. Revisions only increase. The revision it replaced keeps its status,
//!   with a `status_description` naming its successor (the API documents no superseded status).
//! - **delete** answers 200 with a string; the release is `DELETING` until the next read, then
//!   gone (Helm 3 uninstalls without keeping history).
//! - **show** (with `show_resources=true`, `resources` as JSON text), **list** (filtered by
//!   `chart_id` and `namespace`), **history** (every kept revision, oldest first).
//! - A release (or a revision to roll back to) that does not exist is 404 (`CCE.01404001`).
//!
//! Bounded: at most [`Limits::releases`] releases, [`Limits::revisions`] revisions kept per
//! release (Helm's default `--history-max` is 10), [`Limits::bytes`] bytes of stored values;
//! bodies are capped by [`ReleaseApi::max_body_size`]. Releases are kept per prefix and cluster.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cce_release::http::{Operation, Prefix, Route};
use cce_release::{
    CreateReleaseBody, DeleteResponse, Release, ReleaseParameters, ReleaseStatus, UpdateAction,
    UpdateReleaseBody,
};
use serde::Serialize;
use tower_layer::Layer;

use crate::answer::{CONFLICT, INVALID, NOT_FOUND, ReleaseRejection};
use crate::{ReleaseApi, ValidatedRelease, ValidatedRequest};

/// How much the store keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Releases in all (default 10,000); a create beyond is refused (400).
    pub releases: usize,
    /// Revisions kept per release (default 10, Helm's `--history-max`); older ones are dropped.
    pub revisions: usize,
    /// Bytes of stored parameters and values text in all (default 256 MiB); a create or update
    /// beyond is refused (400).
    pub bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            releases: 10_000,
            revisions: 10,
            bytes: 256 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// With at most `releases` releases.
    #[must_use]
    pub fn releases(mut self, releases: usize) -> Self {
        self.releases = releases;
        self
    }

    /// Keeping at most `revisions` revisions per release (at least 1).
    #[must_use]
    pub fn revisions(mut self, revisions: usize) -> Self {
        self.revisions = revisions.max(1);
        self
    }

    /// With at most `bytes` bytes of stored parameters and values.
    #[must_use]
    pub fn bytes(mut self, bytes: usize) -> Self {
        self.bytes = bytes;
        self
    }
}

/// The mock's releases, per prefix and cluster. Shared by every request.
#[derive(Debug, Default)]
pub struct Store {
    limits: Limits,
    state: Mutex<BTreeMap<Key, Entry>>,
}

/// One release: the chart it was installed from (for the list's `chart_id` filter) and its
/// kept revisions, oldest first.
#[derive(Debug, Clone)]
struct Entry {
    chart_id: String,
    revisions: Vec<Release>,
}

/// Prefix, cluster id (lowercase: UUIDs compare case-insensitively), namespace, name.
type Key = (&'static str, String, String, String);

fn key(route: &Route) -> Key {
    (
        route.prefix.as_str(),
        route.cluster_id.to_ascii_lowercase(),
        route.namespace.clone().unwrap_or_default(),
        route.name.clone().unwrap_or_default(),
    )
}

impl Store {
    /// An empty store with these limits.
    pub fn new(limits: Limits) -> Self {
        Store {
            limits,
            state: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<Key, Entry>> {
        // A panic cannot leave the map half-changed (every change is one insert or remove).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Operations in progress complete before the next read: pending states become `DEPLOYED`, and
/// a release being deleted is gone.
fn settle(releases: &mut BTreeMap<Key, Entry>) {
    releases.retain(|_, entry| {
        let Some(last) = entry.revisions.last_mut() else {
            return false;
        };
        let done = match last.status {
            Some(ReleaseStatus::Deleting) => return false,
            Some(ReleaseStatus::PendingInstall) => "Install complete",
            Some(ReleaseStatus::PendingUpgrade) => "Upgrade complete",
            Some(ReleaseStatus::PendingRollback) => "Rollback complete",
            _ => return true,
        };
        last.status = Some(ReleaseStatus::Deployed);
        last.status_description = Some(done.to_owned());
        true
    });
}

fn stored_bytes(releases: &BTreeMap<Key, Entry>) -> usize {
    releases
        .values()
        .flat_map(|e| &e.revisions)
        .map(|r| {
            r.values.as_ref().map_or(0, String::len) + r.parameters.as_ref().map_or(0, String::len)
        })
        .sum()
}

/// The mock as a router, under both prefixes, behind the checking layer (answers checked too,
/// paths outside the API refused).
pub fn router(api: ReleaseApi, store: Arc<Store>) -> Router {
    let mut router = Router::new();
    for prefix in Prefix::ALL {
        let at = |op: Operation| format!("{}{}", prefix.as_str(), op.path_template());
        router = router
            .route(&at(Operation::Create), get(list).post(create))
            .route(&at(Operation::Show), get(show).put(update).delete(delete))
            .route(&at(Operation::History), get(history));
    }
    // The layer goes around the whole router, so that it answers before routing does (axum's
    // method router would add its own `Allow` to a refused method).
    let checked = api
        .check_answers(true)
        .reject_other_paths(true)
        .layer()
        .layer(router.with_state(store));
    Router::new().fallback_service(checked)
}

/// A JSON answer.
fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn refuse(
    prefix: Prefix,
    status: StatusCode,
    (code, message): (&'static str, &'static str),
) -> Response {
    ReleaseRejection::api(status, prefix, code, message).into_response()
}

/// `2021-05-12T07:11:42Z`, the API's example timestamp format.
fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

fn chart_name(chart_id: &str) -> String {
    format!(
        "chart-{}",
        chart_id
            .split('-')
            .next()
            .unwrap_or(chart_id)
            .to_ascii_lowercase()
    )
}

fn text<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

fn parameters_text(parameters: Option<&ReleaseParameters>) -> Option<String> {
    text(&parameters.cloned().unwrap_or_default())
}

async fn create(
    State(store): State<Arc<Store>>,
    body: ValidatedRelease<CreateReleaseBody>,
) -> Response {
    let prefix = body.prefix();
    let (body, route, _) = body.into_parts();
    let key: Key = (
        route.prefix.as_str(),
        route.cluster_id.to_ascii_lowercase(),
        body.namespace.clone(),
        body.name.clone(),
    );
    let at = now();
    let release = Release::default()
        .with_chart_name(chart_name(&body.chart_id))
        .with_chart_public(false)
        .with_chart_version(body.version.clone())
        .with_cluster_id(route.cluster_id.clone())
        .with_cluster_name("mock")
        .with_create_at(at.clone())
        .with_update_at(at)
        .with_description(body.description.clone().unwrap_or_default())
        .with_name(body.name.clone())
        .with_namespace(body.namespace.clone())
        .with_parameters(parameters_text(body.parameters.as_ref()).unwrap_or_default())
        .with_values(text(&body.values).unwrap_or_default())
        .with_status(ReleaseStatus::PendingInstall)
        .with_status_description("Install in progress")
        .with_version(1);
    let parameters = body.parameters.unwrap_or_default();
    if parameters.dry_run == Some(true) {
        return json(StatusCode::CREATED, &release);
    }
    let mut releases = store.lock();
    settle(&mut releases);
    let replacing = releases.contains_key(&key);
    if replacing && parameters.replace != Some(true) {
        return refuse(prefix, StatusCode::CONFLICT, CONFLICT);
    }
    if !replacing && releases.len() >= store.limits.releases
        || stored_bytes(&releases) + release.values.as_ref().map_or(0, String::len)
            > store.limits.bytes
    {
        return refuse(prefix, StatusCode::BAD_REQUEST, INVALID);
    }
    let entry = Entry {
        chart_id: body.chart_id.to_ascii_lowercase(),
        revisions: vec![release.clone()],
    };
    releases.insert(key, entry);
    json(StatusCode::CREATED, &release)
}

/// An absent or empty filter takes everything.
fn filter_matches(filter: Option<&String>, value: &str) -> bool {
    filter.is_none_or(|wanted| wanted.is_empty() || *wanted == value)
}

async fn list(
    State(store): State<Arc<Store>>,
    Query(query): Query<BTreeMap<String, String>>,
    request: ValidatedRequest,
) -> Response {
    let route = request.route;
    let mut releases = store.lock();
    settle(&mut releases);
    let (prefix, cluster, ..) = key(&route);
    let chart = query.get("chart_id").map(|id| id.to_ascii_lowercase());
    let found: Vec<&Release> = releases
        .iter()
        .filter(|((p, c, ns, _), entry)| {
            *p == prefix
                && *c == cluster
                && filter_matches(chart.as_ref(), &entry.chart_id)
                && filter_matches(query.get("namespace"), ns)
        })
        .filter_map(|(_, entry)| entry.revisions.last())
        .collect();
    json(StatusCode::OK, &found)
}

async fn show(
    State(store): State<Arc<Store>>,
    Query(query): Query<BTreeMap<String, String>>,
    request: ValidatedRequest,
) -> Response {
    let route = request.route;
    let mut releases = store.lock();
    settle(&mut releases);
    let Some(current) = releases.get(&key(&route)).and_then(|e| e.revisions.last()) else {
        return refuse(route.prefix, StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let mut current = current.clone();
    if query.get("show_resources").map(String::as_str) == Some("true") {
        current.resources = Some("[]".to_owned());
    }
    json(StatusCode::OK, &current)
}

async fn history(State(store): State<Arc<Store>>, request: ValidatedRequest) -> Response {
    let route = request.route;
    let mut releases = store.lock();
    settle(&mut releases);
    match releases.get(&key(&route)) {
        Some(entry) => json(StatusCode::OK, &entry.revisions),
        None => refuse(route.prefix, StatusCode::NOT_FOUND, NOT_FOUND),
    }
}

async fn update(
    State(store): State<Arc<Store>>,
    body: ValidatedRelease<UpdateReleaseBody>,
) -> Response {
    let (body, route, _) = body.into_parts();
    let prefix = route.prefix;
    let mut releases = store.lock();
    settle(&mut releases);
    let total = stored_bytes(&releases);
    let Some(entry) = releases.get_mut(&key(&route)) else {
        return refuse(prefix, StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let revisions = &mut entry.revisions;
    let Some(current) = revisions.last().cloned() else {
        return refuse(prefix, StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let number = current.version.unwrap_or(0).saturating_add(1);
    let mut next = match body.action {
        UpdateAction::Rollback => {
            // Helm reads 0 (or nothing) as the revision before the current one.
            let target = match body.parameters.release_version {
                None | Some(0) => revisions.iter().rev().nth(1),
                Some(n) => revisions.iter().find(|r| r.version == Some(n)),
            };
            let Some(target) = target else {
                // The revision to roll back to does not exist (or is no longer kept).
                return refuse(prefix, StatusCode::NOT_FOUND, NOT_FOUND);
            };
            target
                .clone()
                .with_status(ReleaseStatus::PendingRollback)
                .with_status_description("Rollback in progress")
        }
        _ => current
            .clone()
            .with_chart_name(chart_name(&body.chart_id))
            .with_parameters(parameters_text(Some(&body.parameters)).unwrap_or_default())
            .with_values(text(&body.values).unwrap_or_default())
            .with_status(ReleaseStatus::PendingUpgrade)
            .with_status_description("Upgrade in progress"),
    };
    next = next.with_version(number).with_update_at(now());
    next.resources = None;
    if body.parameters.dry_run == Some(true) {
        return json(StatusCode::OK, &next);
    }
    if total + next.values.as_ref().map_or(0, String::len) > store.limits.bytes {
        return refuse(prefix, StatusCode::BAD_REQUEST, INVALID);
    }
    if body.action == UpdateAction::Upgrade {
        entry.chart_id = body.chart_id.to_ascii_lowercase();
    }
    let revisions = &mut entry.revisions;
    if let Some(last) = revisions.last_mut() {
        last.status_description = Some(format!("Superseded by revision {number}"));
    }
    revisions.push(next.clone());
    let excess = revisions
        .len()
        .saturating_sub(store.limits.revisions.max(1));
    revisions.drain(..excess);
    json(StatusCode::OK, &next)
}

async fn delete(State(store): State<Arc<Store>>, request: ValidatedRequest) -> Response {
    let route = request.route;
    let mut releases = store.lock();
    settle(&mut releases);
    let Some(current) = releases
        .get_mut(&key(&route))
        .and_then(|e| e.revisions.last_mut())
    else {
        return refuse(route.prefix, StatusCode::NOT_FOUND, NOT_FOUND);
    };
    current.status = Some(ReleaseStatus::Deleting);
    current.status_description = Some("Uninstall in progress".to_owned());
    let name = route.name.unwrap_or_default();
    json(
        StatusCode::OK,
        &DeleteResponse::new(format!("release {name} is being deleted")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_look_like_the_apis() {
        let t = now();
        assert_eq!(t.len(), 20, "{t}");
        assert!(
            t.starts_with("20") && t.ends_with('Z') && &t[10..11] == "T",
            "{t}"
        );
    }
}
