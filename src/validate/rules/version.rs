//! `loose_version`: a chart version Helm accepts that is not strict SemVer 2.0.0.
//!
//! Helm 3 parses chart versions with Masterminds semver v3 in coerce mode, which takes `v3.0.1`,
//! `3.0` and `3` (see [`parse_chart_version`]); chart repositories and every other SemVer tool
//! use the canonical `MAJOR.MINOR.PATCH`. A version Helm rejects is the schema's `invalid_format`.

use serde_json::Value;

use super::Sink;
use crate::diagnostic::message::Problem;
use crate::model::constraints::{ChartVersionVerdict, check_chart_version, parse_chart_version};
use crate::redact::quote_str;
use crate::validate::{Anchor, Finding};

const POINTER: &str = "/version";

pub(super) fn check(body: &Value, out: &mut Sink<'_>) {
    let Some(Value::String(version)) = body.get("version") else {
        return;
    };
    // The common case, a strict version, allocates nothing.
    if check_chart_version(version) == ChartVersionVerdict::Loose
        && let Some(parsed) = parse_chart_version(version)
    {
        out.push(Finding::body(
            Problem::LooseVersion {
                found: quote_str(POINTER, version),
                canonical: quote_str(POINTER, &parsed.canonical),
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

    fn problems(body: Value) -> Vec<Problem> {
        super::super::findings_of(|out| check(&body, out))
            .into_iter()
            .map(|f| f.problem)
            .collect()
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
            assert_eq!(problems(json!({ "version": v })), [], "{v}");
        }
        assert_eq!(problems(json!({})), []);
    }

    #[test]
    fn version_invalid() {
        let found = problems(json!({"version": "v3.0"}));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message(crate::Location::Body, POINTER),
            "chart version `v3.0` is accepted by Helm but is not strict SemVer 2.0.0; write `3.0.0`"
        );
    }
}
