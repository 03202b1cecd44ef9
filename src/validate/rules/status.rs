//! `unknown_status`: a release in a list whose status is not one of the documented eight.
//!
//! The API documents eight statuses, but a history lists every revision of a release, and Helm
//! marks the revisions it replaced with a status of their own (Helm 2 calls it `SUPERSEDED`), so
//! a list may show more. The list schema takes any string there; this rule warns about the ones
//! the documentation does not name. A single release (`release`, `create-response`) keeps the
//! strict enumeration (`not_allowed`).

use serde_json::Value;

use crate::ReleaseStatus;
use crate::diagnostic::message::{Problem, echo};
use crate::validate::{Anchor, Finding};

pub(super) fn check(list: &Value, out: &mut Vec<Finding>) {
    let Value::Array(releases) = list else {
        return;
    };
    for (i, release) in releases.iter().enumerate() {
        let Some(Value::String(status)) = release.get("status") else {
            continue;
        };
        if ReleaseStatus::ALL.iter().any(|s| s.as_str() == status) {
            continue;
        }
        let pointer = format!("/{i}/status");
        out.push(Finding::body(
            Problem::UnknownStatus {
                found: echo(&pointer, status),
            },
            pointer,
            Anchor::Value,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(list: Value) -> Vec<String> {
        let mut out = Vec::new();
        check(&list, &mut out);
        out.into_iter().map(|f| f.pointer).collect()
    }

    #[test]
    fn status_valid() {
        let list = json!([{"status": "DEPLOYED"}, {"status": null}, {}, {"status": 3}, "x"]);
        assert_eq!(pointers(list), Vec::<String>::new());
        assert_eq!(
            pointers(json!({"status": "SUPERSEDED"})),
            Vec::<String>::new()
        );
    }

    #[test]
    fn status_invalid() {
        let list =
            json!([{"status": "DEPLOYED"}, {"status": "SUPERSEDED"}, {"status": "deployed"}]);
        assert_eq!(pointers(list), ["/1/status", "/2/status"]);
    }
}
