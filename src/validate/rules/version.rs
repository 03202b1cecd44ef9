//! `loose_version`: a chart version Helm accepts that is not strict SemVer 2.0.0.
//!
//! Helm 3 parses chart versions with Masterminds semver v3 in coerce mode, which takes `v3.0.1`,
//! `3.0` and `3` (see [`parse_chart_version`]); chart repositories and every other SemVer tool
//! use the canonical `MAJOR.MINOR.PATCH`. A version Helm rejects is the schema's `invalid_format`.

use serde_json::Value;

use crate::diagnostic::message::{Problem, echo};
use crate::model::constraints::{chart_version_is_strict, parse_chart_version};
use crate::validate::{Anchor, Finding};

const POINTER: &str = "/version";

pub(super) fn check(body: &Value, out: &mut Vec<Finding>) {
    let Some(Value::String(version)) = body.get("version") else {
        return;
    };
    // The common case, a strict version, allocates nothing.
    if chart_version_is_strict(version) == Some(false)
        && let Some(parsed) = parse_chart_version(version)
    {
        out.push(Finding::body(
            Problem::LooseVersion {
                found: echo(POINTER, version),
                canonical: parsed.canonical,
            },
            POINTER,
            Anchor::Value,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(body: Value) -> Vec<Problem> {
        let mut out = Vec::new();
        check(&body, &mut out);
        out.into_iter().map(|f| f.problem).collect()
    }

    #[test]
    fn version_valid() {
        for v in [
            json!("3.0.1"),
            json!("1.0.0-rc.1+b.5"),
            json!(3),
            json!(null),
            json!("bad"),
        ] {
            assert_eq!(codes(json!({ "version": v })), [], "{v}");
        }
        assert_eq!(codes(json!({})), []);
    }

    #[test]
    fn version_invalid() {
        assert_eq!(
            codes(json!({"version": "v3.0"})),
            [Problem::LooseVersion {
                found: "`v3.0`".into(),
                canonical: "3.0.0".into()
            }]
        );
    }
}
