//! The shipped example, the provider's own sample request, through the linter binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::process::Command;

use serde_json::Value;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/create-release.json");

fn lint(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_cce-release-lint"))
        .args(["--format", "json"])
        .args(args)
        .arg(EXAMPLE)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), doc)
}

fn findings(doc: &Value) -> Vec<(String, String, String, u64)> {
    doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["pointer"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn expected(severity: &str) -> Vec<(String, String, String, u64)> {
    vec![
        (
            severity.into(),
            "unknown_field".into(),
            "/project_id".into(),
            3,
        ),
        (
            severity.into(),
            "unknown_field".into(),
            "/cluster_id".into(),
            4,
        ),
    ]
}

#[test]
fn example_has_two_unknown_field_warnings_and_passes() {
    let (status, doc) = lint(&[]);
    assert_eq!(status, 0);
    assert_eq!(findings(&doc), expected("warning"));
    assert_eq!(doc["files"][0]["valid"], true);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"files": 1, "valid": 1, "errors": 0, "warnings": 2})
    );
}

#[test]
fn example_fails_in_strict_mode_with_two_errors() {
    let (status, doc) = lint(&["--strict"]);
    assert_eq!(status, 1);
    assert_eq!(findings(&doc), expected("error"));
    assert_eq!(doc["files"][0]["valid"], false);
}
