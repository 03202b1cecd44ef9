//! The request path's cluster id: a UUID, and the only cluster a body may name.
//!
//! The cluster travels in the path (`/clusters/{cluster_id}/releases`); the provider's own example
//! also puts a `cluster_id` in the body, which the API ignores. When the two differ, the release
//! goes to the path's cluster, not the one the body names: `cluster_id_mismatch`.

use serde_json::Value;

use super::Context;
use crate::Kind;
use crate::diagnostic::Location;
use crate::diagnostic::message::{Format, Problem, echo, echo_value};
use crate::model::constraints::is_uuid;
use crate::validate::{Anchor, Finding};

const POINTER: &str = "/cluster_id";

pub(super) fn check(cx: &Context<'_>, body: &Value, out: &mut Vec<Finding>) {
    let Some(path_id) = cx.options.cluster_id.as_deref() else {
        return;
    };
    if !is_uuid(path_id) {
        out.push(Finding {
            problem: Problem::InvalidFormat {
                format: Format::Uuid,
                found: echo(POINTER, path_id),
            },
            location: Location::Path,
            pointer: POINTER.to_owned(),
            anchor: Anchor::Nowhere,
        });
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
    out.push(Finding::body(
        Problem::ClusterIdMismatch {
            body: echo_value(POINTER, body_id),
            path: echo(POINTER, path_id),
            request: matches!(cx.kind, Kind::CreateRequest | Kind::UpdateRequest),
        },
        POINTER,
        Anchor::Value,
    ));
}
