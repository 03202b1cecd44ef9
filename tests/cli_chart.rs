//! `cce-release-lint --chart`: payloads against the fixture chart (tests/charts/koi, a
//! subchart under an alias, a subchart archive behind a tag, `global`, a schema on each), as a
//! folder and as an archive, reporting what Helm's coalesce-then-validate would refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lint(chart: &str, body: &Value, extra: &[&str]) -> support::Run {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payload.json");
    std::fs::write(&path, serde_json::to_vec_pretty(body).unwrap()).unwrap();
    let mut command = Command::new(support::BIN);
    command
        .arg("--chart")
        .arg(root().join("tests/charts").join(chart))
        .args(["--format", "json"])
        .args(extra)
        .arg(&path);
    support::finish(command, None)
}

fn body(values: Value) -> Value {
    json!({"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi",
           "namespace": "default", "version": "3.0.1", "values": values})
}

fn findings(run: &support::Run) -> Vec<(String, String)> {
    let doc = run.json();
    doc["files"][0]["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or_default().to_owned(),
                        d["pointer"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Each case: the release's values, and the findings Helm's coalescing and schema validation
/// give (code and pointer), the same for the chart as a folder and as an archive.
#[test]
fn payloads_against_the_fixture_chart() {
    let cases: Vec<(Value, Vec<(&str, &str)>)> = vec![
        (json!({"replicaCount": 2, "cache": {"port": 7000}}), vec![]),
        // `null` removes a default: fine unless the schema requires it.
        (json!({"image": {"pullPolicy": null}}), vec![]),
        (
            json!({"replicaCount": null}),
            vec![("values_schema", "/values/replicaCount")],
        ),
        // The release's own values.
        (
            json!({"image": {"tag": 4}}),
            vec![("values_schema", "/values/image/tag")],
        ),
        // (`auth` names a secret: the keys below it are masked.)
        (
            json!({"auth": {"enabled": "yes"}}),
            vec![("values_schema", "/values/auth/***")],
        ),
        // The subchart under its alias, with its own schema.
        (
            json!({"cache": {"persistence": {"size": "8GB"}}}),
            vec![("values_schema", "/values/cache/persistence/size")],
        ),
        (
            json!({"cache": {"port": 0}}),
            vec![("values_schema", "/values/cache/port")],
        ),
        // Disabled by its condition: its schema does not apply.
        (json!({"cache": {"enabled": false, "port": 0}}), vec![]),
        // `global`, checked by the chart's schema and passed down.
        (
            json!({"global": {"env": "test"}}),
            vec![("values_schema", "/values/global/env")],
        ),
        (
            json!({"global": {"storageClass": 3}}),
            vec![("values_schema", "/values/global/storageClass")],
        ),
        // The archived subchart, enabled by its tag; disabled, its schema does not apply.
        (
            json!({"metrics": {"intervall": "10s"}}),
            vec![("values_schema", "/values/metrics/intervall")],
        ),
        (
            json!({"metrics": {"intervall": "10s"}, "tags": {"monitoring": false}}),
            vec![],
        ),
        // Helm refuses anything but a map under a subchart's key.
        (
            json!({"cache": true}),
            vec![("type_mismatch", "/values/cache")],
        ),
    ];
    for chart in ["koi", "koi-3.0.1.tgz"] {
        for (values, expected) in &cases {
            let run = lint(chart, &body(values.clone()), &[]);
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
                .collect();
            assert_eq!(findings(&run), expected, "{chart} {values}: {}", run.stdout);
            let status = if expected.is_empty() { 0 } else { 1 };
            assert_eq!(run.status, status, "{chart} {values}: {}", run.stderr);
        }
    }
}

#[test]
fn the_body_names_another_version() {
    let mut b = body(json!({}));
    b["version"] = json!("3.0.2");
    let run = lint("koi-3.0.1.tgz", &b, &[]);
    assert_eq!(
        findings(&run),
        [("chart_version_mismatch".to_owned(), "/version".to_owned())]
    );
    let message = run.json()["files"][0]["diagnostics"][0]["message"].clone();
    assert!(
        message.as_str().unwrap_or_default().contains("`3.0.1`"),
        "{message}"
    );
}

#[test]
fn unusable_charts_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payload.json");
    std::fs::write(&path, serde_json::to_vec(&body(json!({}))).unwrap()).unwrap();
    let bogus = dir.path().join("bogus.tgz");
    std::fs::write(&bogus, "apiVersion: v2\n\u{1b}[31mred").unwrap();
    let mut command = Command::new(support::BIN);
    command.arg("--chart").arg(&bogus).arg(&path);
    let run = support::finish(command, None);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a gzipped archive"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{1b}'));
    let mut command = Command::new(support::BIN);
    command
        .arg("--chart")
        .arg(root().join("tests/charts/koi"))
        .arg("--values-schema")
        .arg(root().join("tests/charts/koi/values.schema.json"))
        .arg(&path);
    assert_eq!(support::finish(command, None).status, 2);
}

/// `chart = "…"` in `cce-release.toml`: the folder's payloads are checked against the chart
/// (relative to the configuration), a section's chart replaces the top level's values schema,
/// and the command line's `--values-schema` replaces the configuration's chart.
#[test]
fn the_configuration_names_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let chart = root().join("tests/charts/koi");
    std::fs::write(dir.path().join("schema.json"), r#"{"type": "object"}"#).unwrap();
    std::fs::write(
        dir.path().join("cce-release.toml"),
        format!(
            "kind = \"create-request\"\nvalues_schema = \"schema.json\"\n\n[[files]]\ninclude = [\"koi/**\"]\nchart = {}\n",
            serde_json::to_string(&chart.display().to_string()).unwrap()
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("koi")).unwrap();
    let payload = dir.path().join("koi/payload.json");
    let bad = body(json!({"image": {"tag": 4}}));
    std::fs::write(&payload, serde_json::to_vec_pretty(&bad).unwrap()).unwrap();
    let run = |extra: &[&str]| {
        let mut command = Command::new(support::BIN);
        command
            .current_dir(dir.path())
            .args(["--format", "json"])
            .args(extra)
            .arg("koi/payload.json");
        support::finish(command, None)
    };
    let with_chart = run(&[]);
    assert_eq!(
        findings(&with_chart),
        [("values_schema".to_owned(), "/values/image/tag".to_owned())],
        "{}",
        with_chart.transcript()
    );
    // The command line's schema wins over the configuration's chart: `{"type": "object"}`.
    let with_schema = run(&["--values-schema", "schema.json"]);
    assert_eq!(findings(&with_schema), [], "{}", with_schema.transcript());
    // A missing chart is exit status 2, naming it.
    std::fs::write(
        dir.path().join("cce-release.toml"),
        "kind = \"create-request\"\nchart = \"nowhere\"\n",
    )
    .unwrap();
    let missing = run(&[]);
    assert_eq!(missing.status, 2, "{}", missing.transcript());
    assert!(
        missing.stderr.contains("nowhere"),
        "{}",
        missing.transcript()
    );
}
