//! `ineffective_parameter`: members of `parameters` that the operation ignores.
//!
//! The provider shares one parameters object (`ReleaseReqBodyParams`) between create, update and
//! delete. Its SDK documents `recreate` and `reset_values` as taking effect on update only,
//! `include_hooks` on update or delete, and `release_version` as the revision to roll back to.
//! - On a **create**, those four do nothing, so whatever the author meant does not happen.
//! - On an update with `action: upgrade`, `release_version` does nothing (an upgrade makes a new
//!   revision; it rolls back to none).
//! - On an update with `action: rollback`, nothing is flagged: the SDK says `recreate`,
//!   `reset_values` and `include_hooks` take effect "on update", and a rollback is an update; no
//!   source says the API ignores them there.

use serde_json::Value;

use super::Sink;
use crate::diagnostic::message::{Doing, Problem, TakesEffect};
use crate::validate::{Anchor, Finding};

/// Members that only matter when `true` on a create, and the operations they do take effect in.
const ONLY_ELSEWHERE: &[(&str, TakesEffect)] = &[
    ("recreate", TakesEffect::Updates),
    ("reset_values", TakesEffect::Updates),
    ("include_hooks", TakesEffect::UpdatesAndDeletes),
];

/// The create-release body.
pub(super) fn check_create(body: &Value, out: &mut Sink<'_>) {
    let Some(Value::Object(parameters)) = body.get("parameters") else {
        return;
    };
    for (name, value) in parameters {
        let applies_to = match ONLY_ELSEWHERE.iter().find(|(n, _)| n == name) {
            Some((_, applies_to)) if *value == Value::Bool(true) => *applies_to,
            // Any revision to roll back to, valid or not: a create has nothing to roll back.
            None if name == "release_version" && !value.is_null() => TakesEffect::Rollbacks,
            _ => continue,
        };
        out.push(ineffective(name, Doing::CreatingRelease, applies_to));
    }
}

/// The update-release body.
pub(super) fn check_update(body: &Value, out: &mut Sink<'_>) {
    if body.get("action").and_then(Value::as_str) != Some("upgrade") {
        return;
    }
    let Some(Value::Object(parameters)) = body.get("parameters") else {
        return;
    };
    if parameters
        .get("release_version")
        .is_some_and(|v| !v.is_null())
    {
        out.push(ineffective(
            "release_version",
            Doing::UpgradingRelease,
            TakesEffect::Rollbacks,
        ));
    }
}

fn ineffective(name: &str, doing: Doing, takes_effect: TakesEffect) -> Finding {
    let mut pointer = String::from("/parameters");
    crate::pointer::push_token(&mut pointer, name);
    Finding::body(
        Problem::IneffectiveParameter {
            doing,
            takes_effect,
        },
        pointer,
        Anchor::Value,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(check: fn(&Value, &mut Sink<'_>), body: Value) -> Vec<String> {
        super::super::findings_of(|out| check(&body, out))
            .into_iter()
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn parameters_valid() {
        let body = json!({"parameters": {"recreate": false, "reset_values": null, "include_hooks": "yes",
            "dry_run": true, "no_hooks": true, "replace": true, "release_version": null}});
        assert_eq!(pointers(check_create, body), Vec::<String>::new());
        assert_eq!(
            pointers(check_create, json!({"parameters": "x"})),
            Vec::<String>::new()
        );
        let rollback = json!({"action": "rollback", "parameters": {"release_version": 3,
            "recreate": true, "reset_values": true, "include_hooks": true}});
        assert_eq!(pointers(check_update, rollback), Vec::<String>::new());
        let upgrade = json!({"action": "upgrade", "parameters": {"recreate": true,
            "reset_values": true, "include_hooks": true, "release_version": null}});
        assert_eq!(pointers(check_update, upgrade), Vec::<String>::new());
        let unknown_action = json!({"action": "Upgrade", "parameters": {"release_version": 1}});
        assert_eq!(pointers(check_update, unknown_action), Vec::<String>::new());
    }

    #[test]
    fn parameters_invalid() {
        let body = json!({"parameters": {"recreate": true, "reset_values": true, "include_hooks": true,
            "release_version": 0}});
        assert_eq!(
            pointers(check_create, body),
            [
                "/parameters/recreate",
                "/parameters/reset_values",
                "/parameters/include_hooks",
                "/parameters/release_version"
            ]
        );
        let upgrade = json!({"action": "upgrade", "parameters": {"release_version": 0}});
        assert_eq!(
            pointers(check_update, upgrade),
            ["/parameters/release_version"]
        );
    }
}
