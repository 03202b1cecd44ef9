//! Every fixture under `tests/fixtures/{valid,invalid}` with its expected report.
//!
//! `NAME.json` is the payload, `NAME.args` (optional) the linter options it is checked with, and
//! `NAME.findings` the report, one finding per line: `line:column severity code pointer: message`
//! (`-:-` where there is no position). `UPDATE_FIXTURES=1 cargo test --test fixtures` rewrites
//! the `.findings` files; review the diff before committing it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::path::{Path, PathBuf};

use cce_release::{Kind, Report, Validator};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The validator a fixture's `.args` file asks for (the linter's own option names).
#[track_caller]
fn validator_for(args: &str) -> Validator {
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut kind = Kind::CreateRequest;
    let mut strict = false;
    let mut cluster_id = None;
    let mut values_schema = None;
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "--kind" => kind = words[i + 1].parse().unwrap(),
            "--cluster-id" => cluster_id = Some(words[i + 1]),
            "--values-schema" => values_schema = Some(root().join(words[i + 1])),
            "--strict" => {
                strict = true;
                i += 1;
                continue;
            }
            other => panic!("unknown fixture argument {other}"),
        }
        i += 2;
    }
    let mut v = Validator::new(kind).strict(strict);
    if let Some(id) = cluster_id {
        v = v.cluster_id(id);
    }
    if let Some(path) = values_schema {
        v = v
            .values_schema_bytes(&std::fs::read(path).unwrap())
            .unwrap();
    }
    v
}

fn describe(report: &Report) -> String {
    let mut out = String::new();
    for d in report {
        let position = match (d.line, d.column) {
            (Some(l), Some(c)) => format!("{l}:{c}"),
            _ => "-:-".to_owned(),
        };
        out.push_str(&format!(
            "{position} {} {} {}: {}\n",
            d.severity, d.code, d.pointer, d.message
        ));
    }
    out
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {dir}");
    files
}

fn check(path: &Path, failures: &mut Vec<String>) -> Report {
    let args = std::fs::read_to_string(path.with_extension("args")).unwrap_or_default();
    let report = validator_for(&args).validate_bytes(&std::fs::read(path).unwrap());
    let actual = describe(&report);
    let expected_path = path.with_extension("findings");
    if std::env::var_os("UPDATE_FIXTURES").is_some_and(|v| v == "1") {
        std::fs::write(&expected_path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if actual != expected {
        failures.push(format!(
            "{}\n--- expected\n{expected}--- actual\n{actual}",
            path.display()
        ));
    }
    report
}

#[test]
fn valid_fixtures_have_no_error_and_their_expected_findings() {
    let mut failures = Vec::new();
    for path in fixtures("valid") {
        let report = check(&path, &mut failures);
        if !report.is_valid() {
            failures.push(format!("{} has errors", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_fixtures_have_an_error_and_their_expected_findings() {
    let mut failures = Vec::new();
    for path in fixtures("invalid") {
        let report = check(&path, &mut failures);
        if report.is_valid() {
            failures.push(format!("{} has no error", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
