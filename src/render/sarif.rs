//! `--format sarif`: one SARIF 2.1.0 log, as GitHub code scanning takes it. One rule per code
//! (its explanation as descriptions and help), one result per finding, with the file as a
//! URI relative to the repository root (`%SRCROOT%`) and a fingerprint that survives edits
//! elsewhere in the file.
//!
//! The log is a few structs of our own for exactly the members we write (members in
//! alphabetical order, as the published schema lists them), written a result at a time: the
//! results come before the tool in that order, so the rules are written at the end.

use std::io::{self, Write};
use std::path::{Component, Path};

use serde::Serialize;

use super::escape::write_json;
use super::{FileReport, Settings};
use crate::{Code, Diagnostic, Severity};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const TOOL: &str = "cce-release-lint";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: [ResultLocation<'a>; 1],
    message: Text<&'a str>,
    partial_fingerprints: Fingerprints,
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: &'a str,
    /// `%SRCROOT%` for a file under the root; none for an absolute `file://` URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_column: u32,
    start_line: u32,
}

/// `partialFingerprints`: ours under a key whose suffix versions the recipe.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "cceReleaseLint/v1")]
    v1: String,
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    information_uri: String,
    name: &'static str,
    rules: Vec<Rule>,
    semantic_version: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    default_configuration: Configuration,
    full_description: Text<&'static str>,
    help: Help,
    help_uri: String,
    id: &'static str,
    name: String,
    short_description: Text<&'static str>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Help {
    markdown: String,
    text: String,
}

/// The crate's documentation, where each code is explained (docs.rs builds it for every
/// published version).
fn docs() -> String {
    format!(
        "https://docs.rs/cce-release/{}/cce_release/",
        env!("CARGO_PKG_VERSION")
    )
}

/// A rule's help: its code's entry in the crate's documentation.
fn help_uri(code: Code) -> String {
    format!(
        "{}enum.Code.html#variant.{}",
        docs(),
        camel_case(code.as_str())
    )
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "%SRCROOT%")]
    src_root: BaseUri,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

/// The log up to the first result; with a root, `originalUriBaseIds` says where `%SRCROOT%` is.
fn start(settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"{\n  \"$schema\": ")?;
    write_json(out, 1, SCHEMA)?;
    out.write_all(b",\n  \"runs\": [\n    {\n      \"columnKind\": \"unicodeCodePoints\",")?;
    if let Some(root) = settings.root.as_deref().filter(|r| r.is_absolute()) {
        let mut uri = format!("file:///{}", segments(root));
        if !uri.ends_with('/') {
            uri.push('/');
        }
        out.write_all(b"\n      \"originalUriBaseIds\": ")?;
        write_json(
            out,
            3,
            &BaseIds {
                src_root: BaseUri { uri },
            },
        )?;
        out.write_all(b",")?;
    }
    out.write_all(b"\n      \"results\": [")
}

/// Writes `file`'s results; `started` when the log was started, `results` written before.
pub(super) fn file(
    file: &FileReport,
    started: bool,
    results: usize,
    settings: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !started {
        start(settings, out)?;
    }
    if file.report.is_empty() {
        return Ok(());
    }
    let uri = uri(&file.path, settings);
    let mut separate = results > 0;
    for d in file.report.diagnostics() {
        out.write_all(if separate {
            b",\n        "
        } else {
            b"\n        "
        })?;
        separate = true;
        write_json(out, 4, &result(&uri, d))?;
    }
    Ok(())
}

/// The end of the log: the tool and its rules.
pub(super) fn finish(
    started: bool,
    results: usize,
    settings: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !started {
        start(settings, out)?;
    }
    out.write_all(if results > 0 { b"\n      ]" } else { b"]" })?;
    out.write_all(b",\n      \"tool\": ")?;
    let tool = Tool {
        driver: Driver {
            information_uri: docs(),
            name: TOOL,
            rules: Code::ALL.iter().map(|&code| rule(code)).collect(),
            semantic_version: env!("CARGO_PKG_VERSION"),
            version: env!("CARGO_PKG_VERSION"),
        },
    };
    write_json(out, 3, &tool)?;
    out.write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Warning => "warning",
        _ => "error",
    }
}

fn rule(code: Code) -> Rule {
    let e = code.explanation();
    let text = format!(
        "{}\n\nWhy it matters: {}\n\nExample: {}\n\nFix: {}",
        e.what, e.why, e.example, e.fix
    );
    let markdown = format!(
        "{}\n\n**Why it matters.** {}\n\n**Example**\n\n```\n{}\n```\n\n**Fix.** {}",
        e.what, e.why, e.example, e.fix
    );
    Rule {
        default_configuration: Configuration {
            level: level(code.default_severity()),
        },
        full_description: Text { text: e.what },
        help: Help { markdown, text },
        help_uri: help_uri(code),
        id: code.as_str(),
        name: camel_case(code.as_str()),
        short_description: Text { text: e.summary },
    }
}

fn result<'a>(uri: &'a Uri, d: &'a Diagnostic) -> SarifResult<'a> {
    let region = match (d.line, d.column) {
        (Some(line), Some(column)) => Some(Region {
            start_column: column,
            start_line: line,
        }),
        _ => None,
    };
    SarifResult {
        level: level(d.severity),
        locations: [ResultLocation {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: &uri.text,
                    uri_base_id: uri.relative.then_some("%SRCROOT%"),
                },
                region,
            },
        }],
        message: Text { text: &d.message },
        partial_fingerprints: Fingerprints {
            v1: fingerprint(&uri.text, d),
        },
        rule_id: d.code.as_str(),
        rule_index: Code::ALL.iter().position(|&c| c == d.code),
    }
}

/// FNV-1a 64 of the file, the code and the pointer, each followed by a zero byte: stable across
/// runs and across edits that move the finding to another line.
fn fingerprint(uri: &str, d: &Diagnostic) -> String {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET_BASIS;
    for part in [uri, d.code.as_str(), d.pointer.as_str()] {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

/// `missing_field` → `MissingField`, SARIF's customary form of a rule name.
fn camel_case(id: &str) -> String {
    id.split('_')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// A file's URI: relative to `%SRCROOT%`, or absolute.
struct Uri {
    text: String,
    relative: bool,
}

/// The path as a URI: relative to the root when it is inside it (with forward slashes and
/// percent-encoding); anything outside it an absolute `file:` URI; without a root, a relative
/// path as it is (`<stdin>` too).
fn uri(path: &str, settings: &Settings) -> Uri {
    if let Some(relative) = settings.relative(path) {
        return Uri {
            text: segments(Path::new(&relative)),
            relative: true,
        };
    }
    let given = Path::new(path);
    if given.is_absolute() {
        return Uri {
            text: format!("file:///{}", segments(given)),
            relative: false,
        };
    }
    let base = settings
        .current_dir
        .as_deref()
        .filter(|_| settings.root.is_some());
    match base {
        // Relative to the current directory, outside the root: made absolute.
        Some(dir) => Uri {
            text: format!("file:///{}", segments(&normal(&dir.join(given)))),
            relative: false,
        },
        None => Uri {
            text: segments(given),
            relative: true,
        },
    }
}

/// `.` and `..` resolved in the text.
fn normal(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path's names, percent-encoded, joined with `/` (`.` and the root left out).
fn segments(path: &Path) -> String {
    let names: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(encode(&name.to_string_lossy())),
            Component::ParentDir => Some("..".to_owned()),
            _ => None,
        })
        .collect();
    names.join("/")
}

/// Percent-encodes everything but RFC 3986's unreserved characters in one path segment.
fn encode(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_root_or_absolute() {
        let at = |path: &str, settings: &Settings| {
            let u = uri(path, settings);
            (u.text, u.relative)
        };
        let root = Settings::default().root("/repo").current_dir("/repo");
        assert_eq!(
            at("releases/a.json", &root),
            ("releases/a.json".into(), true)
        );
        assert_eq!(
            at("./releases//a.json", &root),
            ("releases/a.json".into(), true)
        );
        assert_eq!(
            at("/repo/releases/a.json", &root),
            ("releases/a.json".into(), true)
        );
        assert_eq!(
            at("../other/a b.json", &root),
            ("file:///other/a%20b.json".into(), false)
        );
        assert_eq!(
            at("/elsewhere/a.json", &root),
            ("file:///elsewhere/a.json".into(), false)
        );
        let sub = Settings::default()
            .root("/repo")
            .current_dir("/repo/releases");
        assert_eq!(
            at("prod/web.json", &sub),
            ("releases/prod/web.json".into(), true)
        );
        assert_eq!(at("ré.json", &sub), ("releases/r%C3%A9.json".into(), true));
        let none = Settings::default();
        assert_eq!(
            at("/elsewhere/a.json", &none),
            ("file:///elsewhere/a.json".into(), false)
        );
        assert_eq!(at("<stdin>", &none), ("%3Cstdin%3E".into(), true));
        assert_eq!(
            at("releases/a.json", &none),
            ("releases/a.json".into(), true)
        );
    }

    #[test]
    fn rule_names_are_camel_case() {
        assert_eq!(camel_case("missing_field"), "MissingField");
        assert_eq!(camel_case("invalid_json"), "InvalidJson");
    }

    #[test]
    fn fingerprints_ignore_the_position() {
        let d: Diagnostic = serde_json::from_value(serde_json::json!({
            "severity": "error", "code": "missing_field", "location": "body", "pointer": "/name",
            "line": 1, "column": 1, "message": "missing mandatory field `name`"
        }))
        .unwrap();
        let mut moved = d.clone();
        moved.line = Some(9);
        assert_eq!(fingerprint("a.json", &d), fingerprint("a.json", &moved));
        assert_ne!(fingerprint("a.json", &d), fingerprint("b.json", &d));
        assert_eq!(fingerprint("a.json", &d).len(), 16);
    }

    /// The values the `fnv` crate's `FnvHasher` gave before it was replaced: fingerprints must
    /// never change, or code scanning sees every finding as new.
    #[test]
    fn fingerprints_are_fnv_1a_64_as_before() {
        let d: Diagnostic = serde_json::from_value(serde_json::json!({
            "severity": "error", "code": "pattern_mismatch", "location": "body", "pointer": "/name",
            "line": 2, "column": 11, "message": "m"
        }))
        .unwrap();
        assert_eq!(fingerprint("invalid.json", &d), "2344826ad924a727");
        let mut other = d.clone();
        other.code = Code::UnknownField;
        other.pointer = "/project_id".into();
        assert_eq!(fingerprint("invalid.json", &other), "2346481de0e00f31");
    }
}
