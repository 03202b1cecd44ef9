//! The request path's cluster id: a UUID, and the only cluster a body may name.
//!
//! The cluster travels in the path (`/clusters/{cluster_id}/releases`); the provider's own example
//! also puts a `cluster_id` in the body, which the API ignores. When the two differ, the release
//! goes to the path's cluster, not the one the body names: `cluster_id_mismatch`. An answer that
//! names another cluster than the one asked about is flagged the same way.

use serde_json::Value;

use super::{Context, Sink};
use crate::diagnostic::Location;
use crate::diagnostic::message::{Problem, ValueFormat};
use crate::model::constraints::is_uuid;
use crate::redact::{quote_str, quote_value};
use crate::validate::{Anchor, Finding};
use crate::{Code, Kind};

const POINTER: &str = "/cluster_id";

/// The request path's cluster id is a UUID (once per document).
pub(super) fn check_path(cx: &Context<'_>, out: &mut Sink<'_>) {
    let Some(path_id) = cx.cluster_id else {
        return;
    };
    if !is_uuid(path_id) {
        out.push(Finding {
            problem: Problem::InvalidFormat {
                format: ValueFormat::Uuid,
                found: quote_str(POINTER, path_id),
            },
            location: Location::Path,
            pointer: POINTER.to_owned(),
            anchor: Anchor::Nowhere,
        });
    }
}

/// `item` is the release's index in a list (`None` for the document, whose request path is
/// checked here; a list's is checked once by [`check_path`]). Nothing is formatted unless the
/// body names another cluster.
pub(super) fn check(cx: &Context<'_>, item: Option<usize>, body: &Value, out: &mut Sink<'_>) {
    let Some(path_id) = cx.cluster_id else {
        return;
    };
    if item.is_none() {
        check_path(cx, out);
    }
    let Some(body_id) = body.get("cluster_id").filter(|v| !v.is_null()) else {
        return;
    };
    // Text UUIDs are case-insensitive.
    if body_id
        .as_str()
        .is_some_and(|id| id.eq_ignore_ascii_case(path_id))
    {
        return;
    }
    let pointer = match item {
        None => POINTER.to_owned(),
        Some(index) => format!("/{index}{POINTER}"),
    };
    let request = matches!(cx.kind, Kind::CreateRequest | Kind::UpdateRequest);
    out.offer(Code::ClusterIdMismatch, pointer, Anchor::Value, |pointer| {
        Problem::ClusterIdMismatch {
            body: quote_value(pointer, body_id),
            path: quote_str(POINTER, path_id),
            request,
        }
    });
}
