//! Secrets never leave: a unique secret planted in every place that holds one (header values,
//! values under secret-looking keys at any depth), each place breaking a rule, appears in no
//! output of any format, and in no `Debug` or `Display` of a report.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::process::Command;

use cce_release::http::{HttpValidator, Request};
use cce_release::{CreateReleaseBody, Kind, Validator};
use serde_json::json;

const SECRET: &str = "s3cr3t-7f1c9e";
const SECRET_NUMBER: i64 = 7_319_246_581;

/// A chart schema under which every planted secret breaks a rule of a different kind.
fn chart_schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "db": {"properties": {"password": {"type": "string"}, "Passwd": {"maxLength": 3}}},
            "apiKey": {"pattern": "^[0-9]+$"},
            "auth": {"properties": {"token": {"enum": ["a", "b"]}}},
            "tls": {"properties": {"key": {"minLength": 100}, "cert": {"const": "x"}}},
            "credentials": {"properties": {"user": {"type": "integer"}, "pin": {"maximum": 10}}},
            "nested": {"properties": {"a": {"properties": {"b": {"properties": {
                "clientSecret": {"format": "email", "type": "integer"},
                "accessKey": {"not": {"type": "string"}}}}}}}}
        }
    })
}

fn planted_body() -> serde_json::Value {
    json!({
        "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
        "name": "koi",
        "namespace": "default",
        "version": "1.0.0",
        "values": {
            "db": {"password": SECRET_NUMBER, "Passwd": SECRET},
            "apiKey": SECRET,
            "auth": {"token": SECRET},
            "tls": {"key": SECRET, "cert": SECRET},
            "credentials": {"user": SECRET, "pin": SECRET_NUMBER},
            "nested": {"a": {"b": {"clientSecret": SECRET, "accessKey": SECRET}}}
        }
    })
}

#[track_caller]
fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} leaks the secret:\n{text}");
    assert!(
        !text.contains(&SECRET_NUMBER.to_string()),
        "{what} leaks the secret number:\n{text}"
    );
}

#[test]
fn no_report_debug_or_display_carries_a_secret() {
    let validator = Validator::new(Kind::CreateRequest)
        .values_schema(&chart_schema())
        .unwrap();
    for text in [
        serde_json::to_string(&planted_body()).unwrap(),
        serde_json::to_string_pretty(&planted_body()).unwrap(),
    ] {
        let report = validator.validate_bytes(text.as_bytes());
        // Every planted place broke a rule.
        assert_eq!(report.error_count(), 10, "{report}");
        assert_clean("Display", &report.to_string());
        assert_clean("Debug", &format!("{report:?}"));
        assert_clean("JSON", &serde_json::to_string(&report).unwrap());
    }
    let report = validator.validate_value(&planted_body());
    assert_clean("Display of a value's report", &report.to_string());
}

#[test]
fn no_output_format_carries_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("values.schema.json");
    std::fs::write(&schema, chart_schema().to_string()).unwrap();
    // One payload on a single line (so that any source line shown would hold every secret),
    // one pretty-printed.
    let one_line = dir.path().join("one-line.json");
    std::fs::write(&one_line, planted_body().to_string()).unwrap();
    let pretty = dir.path().join("pretty.json");
    std::fs::write(
        &pretty,
        serde_json::to_string_pretty(&planted_body()).unwrap(),
    )
    .unwrap();
    for format in ["human", "json", "sarif", "github"] {
        let out = Command::new(env!("CARGO_BIN_EXE_cce-release-lint"))
            .args(["--format", format, "--values-schema"])
            .arg(&schema)
            .arg(&one_line)
            .arg(&pretty)
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("values_schema"), "{format}: {stdout}");
        assert_clean(&format!("--format {format} stdout"), &stdout);
        assert_clean(
            &format!("--format {format} stderr"),
            &String::from_utf8(out.stderr).unwrap(),
        );
    }
}

#[test]
fn header_values_never_appear() {
    let body: CreateReleaseBody = serde_json::from_value(json!({
        "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", "namespace": "default",
        "version": "1.0.0", "values": {"token": SECRET_NUMBER}
    }))
    .unwrap();
    let http = HttpValidator::new();
    let path = "/autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases";
    let body_bytes = serde_json::to_vec(&body).unwrap();
    let cases: Vec<Vec<(&str, String)>> = vec![
        // A signature of the wrong shape, its date wrong, the media type wrong: each breaks a rule.
        vec![
            ("Authorization", format!("Bearer {SECRET}")),
            ("X-Sdk-Date", SECRET.to_owned()),
            ("Content-Type", format!("text/{SECRET}")),
        ],
        vec![
            (
                "authorization",
                format!("SDK-HMAC-SHA256 Access={SECRET}, Signature={SECRET}"),
            ),
            ("content-type", format!("application/{SECRET}")),
        ],
        vec![
            ("X-Auth-Token", String::new()),
            ("Content-Type", format!("{SECRET}/json")),
        ],
    ];
    for headers in cases {
        let checked = http.validate_request("POST", path, headers.clone(), &body_bytes);
        assert!(!checked.is_valid(), "{headers:?}");
        assert_clean("HTTP report Display", &checked.report.to_string());
        assert_clean("HTTP report Debug", &format!("{checked:?}"));
    }
    // The client's request, built with a secret token, shows none in its Debug either.
    let request = Request::create("7378a198-a3fe-11eb-ad37-0255ac100b07", &body).token(SECRET);
    assert_clean("Request Debug", &format!("{request:?}"));
}
