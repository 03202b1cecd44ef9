//! The constraints behind the models, in one place, each with the fact it comes from.
//!
//! Every pattern here is written for three regex dialects at once, because the committed schemas
//! are run by the `jsonschema` crate (Rust), by Ajv (ECMA-262) and by Python `jsonschema` (`re`):
//! - digits are `[0-9]`, never `\d` (which matches non-ASCII digits in some engines);
//! - every pattern ends in `$(?!\n)`: in Python `$` also matches before a final newline, so
//!   `"abc\n"` would pass a plain `^[a-z]+$`; the look-ahead closes that gap and is a no-op in
//!   the other two engines.
//!
//! The validator never runs these patterns on the hot path with a backtracking engine of its own;
//! the hand-written checks beside them (for example [`is_uuid`]) agree with them, which the
//! property tests pin.

use once_cell::sync::Lazy;

use serde::{Deserialize, Serialize};

/// Helm caps release names at 53 characters (Helm 3 `pkg/chartutil/validate_name.go`: the name
/// becomes part of Kubernetes object names and labels, which stop at 63).
pub const RELEASE_NAME_MAX: u64 = 53;

/// The provider's rule for release names (lowercase letter first, then lowercase letters, digits
/// or `-`, ending in a letter or digit), which is also Helm's release-name grammar.
pub const RELEASE_NAME_PATTERN: &str = r"^[a-z](?:[-a-z0-9]*[a-z0-9])?$(?!\n)";

/// Kubernetes namespaces are DNS-1123 labels: at most 63 characters.
pub const NAMESPACE_MAX: u64 = 63;

/// DNS-1123 label (Kubernetes `IsDNS1123Label`).
pub const NAMESPACE_PATTERN: &str = r"^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$(?!\n)";

/// The provider's chart and cluster ids are UUIDs in their text form (8-4-4-4-12 hex digits).
/// RFC 9562 text UUIDs are case-insensitive, so both cases are accepted.
pub const UUID_PATTERN: &str =
    r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$(?!\n)";

/// Container image tags (the distribution reference grammar): `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
/// The length bounds are separate keywords so that a long tag reads as `too_long`.
pub const IMAGE_TAG_PATTERN: &str = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$(?!\n)";

/// Image tags are at most 128 characters.
pub const IMAGE_TAG_MAX: u64 = 128;

/// `release_version` is an int32 in the provider's Go SDK; Helm revisions are never negative
/// (they start at 1, and `0` means "the previous revision").
pub const RELEASE_VERSION_MAX: i64 = i32::MAX as i64;

/// The Release response documents `chart_name` and `chart_version` as at most 64 characters.
pub const CHART_FIELD_MAX: u64 = 64;

/// Helm stores every release revision in one Kubernetes Secret, and Kubernetes caps a Secret's
/// data at 1 MiB (`MaxSecretSize` = 1,048,576 bytes): larger values make the install fail.
pub const VALUES_SIZE_LIMIT: usize = 1024 * 1024;

/// A chart version that Helm 3 accepts, as a regular expression: Masterminds semver v3 in its
/// default coerce mode, `v?MAJOR(.MINOR)?(.PATCH)?(-PRERELEASE)?(+BUILD)?`, where each of MAJOR,
/// MINOR and PATCH must fit an unsigned 64-bit integer (leading zeros allowed) and a numeric
/// pre-release identifier may not start with `0`. [`check_chart_version`] is the same grammar
/// written as code.
///
/// ```
/// let pattern = cce_release::model::constraints::chart_version_pattern();
/// assert!(pattern.starts_with("^v?"));
/// ```
pub fn chart_version_pattern() -> &'static str {
    static PATTERN: Lazy<String> = Lazy::new(|| {
        let num = format!("0*{}", at_most_pattern(&u64::MAX.to_string()));
        let pre_id = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
        let build_id = "[0-9A-Za-z-]+";
        format!(
            r"^v?{num}(?:\.{num})?(?:\.{num})?(?:-{pre_id}(?:\.{pre_id})*)?(?:\+{build_id}(?:\.{build_id})*)?$(?!\n)"
        )
    });
    &PATTERN
}

/// A regex (no anchors) for decimal numbers without leading zeros whose value is at most
/// `limit` (itself a decimal string without leading zeros).
fn at_most_pattern(limit: &str) -> String {
    let digits: Vec<u8> = limit.bytes().map(|b| b - b'0').collect();
    let mut alternatives = Vec::new();
    if digits.len() > 1 {
        alternatives.push(format!("[0-9]{{1,{}}}", digits.len() - 1));
    }
    for (i, &d) in digits.iter().enumerate() {
        let lowest = if i == 0 && digits.len() > 1 { 1 } else { 0 };
        if d > lowest {
            let rest = digits.len() - i - 1;
            let class = if d - 1 == lowest {
                lowest.to_string()
            } else {
                format!("[{}-{}]", lowest, d - 1)
            };
            let tail = if rest > 0 {
                format!("[0-9]{{{rest}}}")
            } else {
                String::new()
            };
            alternatives.push(format!("{}{class}{tail}", &limit[..i]));
        }
    }
    alternatives.push(limit.to_owned());
    format!("(?:{})", alternatives.join("|"))
}

/// True when `s` is a text UUID (8-4-4-4-12 hexadecimal digits, either case): the same test as
/// [`UUID_PATTERN`].
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// True when `s` has the shape of [`NAMESPACE_PATTERN`] (a DNS-1123 label, length aside): the
/// same test written as code.
pub fn is_namespace(s: &str) -> bool {
    let b = s.as_bytes();
    let inner = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
    !b.is_empty() && b.iter().all(inner) && b[0] != b'-' && b[b.len() - 1] != b'-'
}

/// True when `s` has the shape of [`IMAGE_TAG_PATTERN`] (length aside): the same test written as
/// code.
pub fn is_image_tag(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    b.first().is_some_and(word) && b.iter().all(|c| word(c) || *c == b'.' || *c == b'-')
}

/// True when `s` has the shape of [`RELEASE_NAME_PATTERN`] (length aside): the same test written
/// as code.
pub fn is_release_name(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_lowercase) && is_namespace(s)
}

/// A chart version as Helm reads it, and whether it is already canonical strict SemVer 2.0.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChartVersion {
    /// The canonical SemVer 2.0.0 spelling: no `v`, three components, no leading zeros.
    pub canonical: String,
    /// True when the input is already strict SemVer 2.0.0 (then it equals `canonical`).
    pub strict: bool,
}

/// What Helm makes of a chart version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChartVersionVerdict {
    /// Helm rejects it.
    Invalid,
    /// Helm accepts it, but it is not strict SemVer 2.0.0 (`v3.0.1`, `3.0`).
    Loose,
    /// Strict SemVer 2.0.0.
    Strict,
}

/// A chart version's parts, borrowed from the text.
struct VersionParts<'a> {
    numbers: [u64; 3],
    pre: Option<&'a str>,
    build: Option<&'a str>,
    strict: bool,
}

/// The grammar Helm 3 reads chart versions with (Masterminds semver v3, coerce mode), without
/// allocating.
fn version_parts(s: &str) -> Option<VersionParts<'_>> {
    let (body, build) = match s.split_once('+') {
        Some((b, m)) => (b, Some(m)),
        None => (s, None),
    };
    let (core, pre) = match body.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (body, None),
    };
    let (has_v, core) = match core.strip_prefix('v') {
        Some(rest) => (true, rest),
        None => (false, core),
    };
    let mut numbers = [0u64; 3];
    let mut count = 0;
    let mut leading_zero = false;
    for part in core.split('.') {
        let slot = numbers.get_mut(count)?;
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        leading_zero |= part.len() > 1 && part.starts_with('0');
        *slot = part.parse().ok()?;
        count += 1;
    }
    let identifier =
        |id: &str| !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    let numeric_with_leading_zero =
        |id: &str| id.len() > 1 && id.starts_with('0') && id.bytes().all(|c| c.is_ascii_digit());
    if let Some(pre) = pre
        && !pre
            .split('.')
            .all(|id| identifier(id) && !numeric_with_leading_zero(id))
    {
        return None;
    }
    if let Some(build) = build
        && !build.split('.').all(identifier)
    {
        return None;
    }
    Some(VersionParts {
        numbers,
        pre,
        build,
        strict: !has_v && count == 3 && !leading_zero,
    })
}

/// What Helm 3 makes of `s` as a chart version. Allocates nothing: this runs on every create
/// request.
///
/// ```
/// use cce_release::model::constraints::{ChartVersionVerdict, check_chart_version};
///
/// assert_eq!(check_chart_version("3.0.1"), ChartVersionVerdict::Strict);
/// assert_eq!(check_chart_version("v3.0"), ChartVersionVerdict::Loose);
/// assert_eq!(check_chart_version("latest"), ChartVersionVerdict::Invalid);
/// ```
pub fn check_chart_version(s: &str) -> ChartVersionVerdict {
    match version_parts(s) {
        None => ChartVersionVerdict::Invalid,
        Some(parts) if parts.strict => ChartVersionVerdict::Strict,
        Some(_) => ChartVersionVerdict::Loose,
    }
}

/// Parses a chart version the way Helm 3 does (Masterminds semver v3, coerce mode).
/// Returns `None` for a version Helm rejects.
pub fn parse_chart_version(s: &str) -> Option<ChartVersion> {
    let VersionParts {
        numbers,
        pre,
        build,
        strict,
    } = version_parts(s)?;
    let canonical = if strict {
        s.to_owned()
    } else {
        let mut canonical = format!("{}.{}.{}", numbers[0], numbers[1], numbers[2]);
        if let Some(pre) = pre {
            canonical.push('-');
            canonical.push_str(pre);
        }
        if let Some(build) = build {
            canonical.push('+');
            canonical.push_str(build);
        }
        canonical
    };
    Some(ChartVersion { canonical, strict })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_pattern_covers_the_bound() {
        assert_eq!(at_most_pattern("7"), "(?:[0-6]|7)");
        assert_eq!(at_most_pattern("20"), "(?:[0-9]{1,1}|1[0-9]{1}|20)");
    }

    #[test]
    fn chart_versions_as_helm_reads_them() {
        let strict = [
            "3.0.1",
            "0.0.0",
            "1.2.3-rc.1",
            "1.2.3+build.7",
            "1.2.3-0a.1-x+b",
        ];
        for v in strict {
            assert_eq!(parse_chart_version(v).map(|c| c.strict), Some(true), "{v}");
        }
        let loose = [
            ("v3.0.1", "3.0.1"),
            ("3.0", "3.0.0"),
            ("3", "3.0.0"),
            ("01.2.3", "1.2.3"),
        ];
        for (v, canonical) in loose {
            let parsed = parse_chart_version(v);
            assert_eq!(parsed.as_ref().map(|c| c.strict), Some(false), "{v}");
            assert_eq!(
                parsed.map(|c| c.canonical).as_deref(),
                Some(canonical),
                "{v}"
            );
        }
        let rejected = [
            "",
            "v",
            "1.2.3.4",
            "1..2",
            "1.2.3-",
            "1.2.3-01",
            "1.2.3+",
            "1.2.3+a..b",
            "a.b.c",
            "1.2.3 ",
            " 1.2.3",
            "V1.2.3",
            "18446744073709551616.0.0",
            "1.2.3-a_b",
            "١.٢.٣",
        ];
        for v in rejected {
            assert_eq!(parse_chart_version(v), None, "{v}");
        }
        assert!(parse_chart_version("18446744073709551615.0.0").is_some());
    }

    #[test]
    fn names_and_namespaces_as_code() {
        for s in ["a", "koi-neo4j", "a-b-c", "a1"] {
            assert!(is_release_name(s) && is_namespace(s), "{s}");
        }
        for s in ["0", "1a", "0-default"] {
            assert!(!is_release_name(s) && is_namespace(s), "{s}");
        }
        for s in [
            "", "-a", "a-", "A", "a_b", "a.b", "a b", "é", "a\n", "{name}",
        ] {
            assert!(!is_release_name(s) && !is_namespace(s), "{s:?}");
        }
    }

    #[test]
    fn uuids_in_either_case() {
        assert!(is_uuid("e99a7e86-afdd-11eb-aca3-0255ac100b0e"));
        assert!(is_uuid("E99A7E86-AFDD-11EB-ACA3-0255AC100B0E"));
        assert!(!is_uuid("e99a7e86afdd11ebaca30255ac100b0e"));
        assert!(!is_uuid("{e99a7e86-afdd-11eb-aca3-0255ac100b0e}"));
        assert!(!is_uuid("g99a7e86-afdd-11eb-aca3-0255ac100b0e"));
    }
}
