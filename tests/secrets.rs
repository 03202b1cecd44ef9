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

/// Every output format of the linter, by its command-line name.
fn formats() -> Vec<&'static str> {
    cce_release::render::Format::ALL
        .iter()
        .map(|(name, _)| *name)
        .collect()
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
    for format in formats() {
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

/// Runs the linter over `files` (name, content) in every format, with `args`, and checks that
/// no output (stdout, stderr) shows any of `secrets`.
#[track_caller]
fn lint_everywhere(files: &[(&str, String)], args: &[&str], secrets: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    for format in formats() {
        let out = Command::new(env!("CARGO_BIN_EXE_cce-release-lint"))
            .current_dir(dir.path())
            .args(["--format", format])
            .args(args)
            .args(
                files
                    .iter()
                    .map(|(n, _)| *n)
                    .filter(|n| n.ends_with(".json") && !n.contains("schema")),
            )
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code() == Some(1),
            "--format {format}: expected findings\n{stdout}\n{stderr}"
        );
        for secret in secrets {
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "--format {format} shows {secret}:\n{stdout}\n{stderr}"
            );
        }
    }
}

/// Every library channel of a report: Display, Debug, serde.
#[track_caller]
fn report_clean(report: &cce_release::Report, secrets: &[&str]) {
    for text in [
        report.to_string(),
        format!("{report:?}"),
        serde_json::to_string(report).unwrap(),
    ] {
        for secret in secrets {
            assert!(!text.contains(secret), "a report shows {secret}:\n{text}");
        }
    }
}

#[test]
fn composite_values_in_messages_are_masked_member_by_member() {
    // A chart schema whose enum and const hold secrets; values that break them.
    let schema = json!({"properties": {
        "db": {"enum": [{"password": "enum-s3cret"}, {"user": "x", "apiKey": "enum-k3y"}]},
        "list": {"const": [{"apiKey": "const-k3y"}]},
        "auth": {"enum": ["auth-s3cret"]}
    }});
    let body = json!({"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi",
        "namespace": "default", "version": "1.0.0",
        "values": {"db": {"password": "given-s3cret"}, "list": [{"apiKey": "given-k3y"}],
                   "auth": "given-auth"},
        "cluster_id": {"token": "cluster-t0ken", "id": "x"}});
    let secrets = [
        "enum-s3cret",
        "enum-k3y",
        "const-k3y",
        "auth-s3cret",
        "given-s3cret",
        "given-k3y",
        "given-auth",
        "cluster-t0ken",
    ];
    let validator = Validator::new(Kind::CreateRequest)
        .cluster_id("7378a198-a3fe-11eb-ad37-0255ac100b07")
        .values_schema(&schema)
        .unwrap();
    let report = validator.validate_value(&body);
    assert!(report.has(cce_release::Code::ClusterIdMismatch), "{report}");
    assert!(report.has(cce_release::Code::ValuesSchema), "{report}");
    report_clean(&report, &secrets);
    let text = serde_json::to_string_pretty(&body).unwrap();
    report_clean(&validator.validate_bytes(text.as_bytes()), &secrets);
    lint_everywhere(
        &[
            ("body.json", text),
            ("values.schema.json", schema.to_string()),
        ],
        &[
            "--values-schema",
            "values.schema.json",
            "--cluster-id",
            "7378a198-a3fe-11eb-ad37-0255ac100b07",
        ],
        &secrets,
    );
}

#[test]
fn broken_syntax_never_shows_a_secret_in_source_lines() {
    let cases = [
        r#"{"name": "koi", password: "unquoted-s3cret", "x": 1}"#,
        r#"{"name": "koi", 'password': 'single-s3cret'}"#,
        r#"{"name": "koi", "password" "nocolon-s3cret"}"#,
        r#"{"name": "koi", "token": "unterminated-s3cret"#,
        "{\"name\": \"koi\",\n  \"apiKey\": trailing-s3cret,\n}",
        r#"{"values": {"auth": {"basic": "nested-s3cret",}}}"#,
    ];
    let secrets = [
        "unquoted-s3cret",
        "single-s3cret",
        "nocolon-s3cret",
        "unterminated-s3cret",
        "trailing-s3cret",
        "nested-s3cret",
    ];
    let files: Vec<(String, String)> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("broken{i}.json"), (*c).to_owned()))
        .collect();
    let files: Vec<(&str, String)> = files.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    lint_everywhere(&files, &[], &secrets);
}

#[test]
fn json_text_inside_answers_is_masked_as_json() {
    // A release's values and parameters are JSON text in strings; a finding on their line shows
    // the line.
    let release = r#"{"name": 5, "values": "{\"db\":{\"password\":\"answer-s3cret\"}}", "parameters": "{\"token\": \"answer-t0ken\"}"}"#;
    let list = format!("[{release}, {release}]");
    let secrets = ["answer-s3cret", "answer-t0ken"];
    lint_everywhere(
        &[("release.json", release.to_owned())],
        &["--kind", "release"],
        &secrets,
    );
    lint_everywhere(
        &[("list.json", list)],
        &["--kind", "release-list"],
        &secrets,
    );
    // The same text with its inner quotes left unescaped: invalid JSON, read in doubt.
    let broken = release.replace("\\\"", "\"");
    lint_everywhere(&[("broken.json", broken)], &["--kind", "release"], &secrets);
}

#[test]
fn keys_under_a_secret_key_are_masked_in_pointers_and_lines() {
    // A map of tokens keyed by the token, with a repeated key.
    let body = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", "namespace": "default", "version": "1.0.0",
  "values": {"tokens": {"tok-9f8e7d6c": "alice", "tok-9f8e7d6c": "bob"}}}"#;
    let report = Validator::new(Kind::CreateRequest).validate_bytes(body.as_bytes());
    assert_eq!(report.diagnostics()[0].pointer, "/values/tokens/***");
    report_clean(&report, &["tok-9f8e7d6c"]);
    lint_everywhere(&[("body.json", body.to_owned())], &[], &["tok-9f8e7d6c"]);
}
