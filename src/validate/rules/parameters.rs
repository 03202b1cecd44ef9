//! `ineffective_parameter`: members of `parameters` that a create ignores.
//!
//! The provider shares one parameters object (`ReleaseReqBodyParams`) between create, update and
//! delete. Its SDK documents `recreate` and `reset_values` as taking effect on update only,
//! `include_hooks` on update or delete, and `release_version` as the revision to roll back to.
//! Set on a create, they do nothing, so whatever the author meant does not happen.

use serde_json::Value;

use crate::diagnostic::message::Problem;
use crate::validate::{Anchor, Finding};

/// Members that only matter when `true`, and the operations they do take effect in.
const ONLY_ELSEWHERE: &[(&str, &str)] = &[
    ("recreate", "updates"),
    ("reset_values", "updates"),
    ("include_hooks", "updates and deletes"),
];

pub(super) fn check(body: &Value, out: &mut Vec<Finding>) {
    let Some(Value::Object(parameters)) = body.get("parameters") else {
        return;
    };
    for (name, value) in parameters {
        let applies_to = match ONLY_ELSEWHERE.iter().find(|(n, _)| n == name) {
            Some((_, applies_to)) if *value == Value::Bool(true) => *applies_to,
            // Any revision to roll back to, valid or not: a create has nothing to roll back.
            None if name == "release_version" && !value.is_null() => "rollbacks",
            _ => continue,
        };
        out.push(Finding::body(
            Problem::IneffectiveParameter { applies_to },
            format!("/parameters/{name}"),
            Anchor::Value,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(body: Value) -> Vec<String> {
        let mut out = Vec::new();
        check(&body, &mut out);
        out.into_iter().map(|f| f.pointer).collect()
    }

    #[test]
    fn parameters_valid() {
        let body = json!({"parameters": {"recreate": false, "reset_values": null, "include_hooks": "yes",
            "dry_run": true, "no_hooks": true, "replace": true, "release_version": null}});
        assert_eq!(pointers(body), Vec::<String>::new());
        assert_eq!(pointers(json!({"parameters": "x"})), Vec::<String>::new());
    }

    #[test]
    fn parameters_invalid() {
        let body = json!({"parameters": {"recreate": true, "reset_values": true, "include_hooks": true,
            "release_version": 0}});
        assert_eq!(
            pointers(body),
            [
                "/parameters/recreate",
                "/parameters/reset_values",
                "/parameters/include_hooks",
                "/parameters/release_version"
            ]
        );
    }
}
