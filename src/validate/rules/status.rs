//! `unknown_status`: a release in a list whose status is not one of the documented eight.
//!
//! The API documents eight statuses, but a history lists every revision of a release, and Helm
//! marks the revisions it replaced with a status of their own (Helm 2 calls it `SUPERSEDED`), so
//! a list may show more. The list schema takes any string there; this rule warns about the ones
//! the documentation does not name. A single release (`release`, `create-response`) keeps the
//! strict enumeration (`not_allowed`).

use serde_json::Value;

use super::Sink;
use crate::diagnostic::message::Problem;
use crate::redact::quote_str;
use crate::validate::Anchor;
use crate::{Code, ReleaseStatus};

/// Item `index` of the list.
pub(super) fn check(index: usize, release: &Value, out: &mut Sink<'_>) {
    let Some(Value::String(status)) = release.get("status") else {
        return;
    };
    if ReleaseStatus::ALL.iter().any(|s| s.as_str() == status) {
        return;
    }
    out.offer(
        Code::UnknownStatus,
        format!("/{index}/status"),
        Anchor::Value,
        |pointer| Problem::UnknownStatus {
            found: quote_str(pointer, status),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(list: Value) -> Vec<String> {
        super::super::findings_of(|out| {
            for (i, item) in list.as_array().into_iter().flatten().enumerate() {
                check(i, item, out);
            }
        })
        .into_iter()
        .map(|f| f.pointer)
        .collect()
    }

    #[test]
    fn status_valid() {
        let list = json!([{"status": "DEPLOYED"}, {"status": null}, {}, {"status": 3}, "x"]);
        assert_eq!(pointers(list), Vec::<String>::new());
    }

    #[test]
    fn status_invalid() {
        let list =
            json!([{"status": "DEPLOYED"}, {"status": "SUPERSEDED"}, {"status": "deployed"}]);
        assert_eq!(pointers(list), ["/1/status", "/2/status"]);
    }
}
