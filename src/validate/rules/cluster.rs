//! The request path's cluster id: a UUID, and the only cluster a body may name.
//!
//! The cluster travels in the path (`/clusters/{cluster_id}/releases`); the provider's own example
//! also puts a `cluster_id` in the body, which the API ignores. When the two differ, the release
//! goes to the path's cluster, not the one the body names: `cluster_id_mismatch`. An answer that
//! names another cluster than the one asked about is flagged the same way.

use serde_json::Value;

use super::{Context, Sink};
use crate::Kind;
use crate::diagnostic::Location;
use crate::diagnostic::message::{Problem, ValueFormat};
use crate::model::constraints::is_uuid;
use crate::redact::{quote_str, quote_value};
use crate::validate::{Anchor, Finding};

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

/// `prefix` is the pointer of the release (`""` for the document, `/3` for an item of a list,
/// whose request path is checked once by [`check_path`]).
pub(super) fn check(cx: &Context<'_>, prefix: &str, body: &Value, out: &mut Sink<'_>) {
    let Some(path_id) = cx.cluster_id else {
        return;
    };
    if prefix.is_empty() {
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
    let pointer = format!("{prefix}{POINTER}");
    out.push(Finding::body(
        Problem::ClusterIdMismatch {
            body: quote_value(&pointer, body_id),
            path: quote_str(POINTER, path_id),
            request: matches!(cx.kind, Kind::CreateRequest | Kind::UpdateRequest),
        },
        pointer,
        Anchor::Value,
    ));
}
