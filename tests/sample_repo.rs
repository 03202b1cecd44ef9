//! The sample repository under `tests/sample-repo/`: payloads of every kind, in JSON and YAML,
//! with a configuration that lints `releases/` (drafts left out) and maps `releases/koi/` to a
//! chart's values schema. One run lints it all, with the kind of each payload told from its
//! members: no false finding, and the expected findings pinned per file
//! (`tests/sample-repo.expected`; `UPDATE_FIXTURES=1` rewrites it: review the diff).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::lint_in;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sample-repo")
}

/// Each payload of the sample and its kind; `stages.yaml` holds a create and an update.
const KINDS: &[(&str, &str)] = &[
    ("releases/answers/deleted.json", "delete-response"),
    ("releases/answers/error-classic.yml", "error"),
    ("releases/answers/error.json", "error"),
    ("releases/answers/history.yaml", "release-list"),
    ("releases/answers/list.json", "release-list"),
    ("releases/answers/show.json", "release"),
    ("releases/koi/install.yaml", "create-request"),
    ("releases/koi/resize.yaml", "update-request"),
    ("releases/koi/upgrade.json", "update-request"),
    ("releases/web/create.json", "create-request"),
    ("releases/web/rollback.yaml", "update-request"),
    (
        "releases/web/stages.yaml",
        "create-request, then update-request",
    ),
    ("releases/web/typo.json", "create-request"),
];

/// The findings of a `--format json` run, one line per finding: `path line:column severity
/// code pointer`.
fn lines(run: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for file in run["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        for d in file["diagnostics"].as_array().unwrap() {
            out.push(format!(
                "{path} {}:{} {} {} {}",
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["pointer"].as_str().unwrap()
            ));
        }
    }
    out
}

#[test]
fn one_run_lints_every_kind_with_only_the_expected_findings() {
    let run = lint_in(
        &sample(),
        &[
            "--format",
            "json",
            "releases",
            "package.json",
            ".github/workflows/lint.yml",
            "releases/drafts/half-written.json",
        ],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let json = run.json();
    // Exactly the payloads: drafts, package.json and the workflow are left out by the
    // configuration even when named.
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = KINDS.iter().map(|(p, _)| *p).collect();
    assert_eq!(paths, expected);

    let found = lines(&json);
    assert!(
        !found.iter().any(|l| l.contains("kind_not_detected")),
        "{found:#?}"
    );
    let pinned = sample().with_extension("expected");
    let text = found.join("\n") + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&pinned, &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&pinned).unwrap_or_default(), text);
    // No false finding: the payloads written to be right have none.
    let with_findings: std::collections::BTreeSet<&str> =
        found.iter().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(
        with_findings.into_iter().collect::<Vec<_>>(),
        [
            "releases/answers/history.yaml",
            "releases/koi/resize.yaml",
            "releases/web/typo.json"
        ]
    );
}

#[test]
fn auto_tells_every_kind_as_naming_it_would() {
    for &(path, kind) in KINDS {
        let settings = lint_in(&sample(), &["--show-settings", path]).json();
        assert_eq!(
            settings["kind"], "auto",
            "{path}: the configuration names no kind"
        );
        assert_eq!(settings["linted"], true, "{path}");
        if kind.contains(',') {
            continue;
        }
        let auto = lint_in(&sample(), &["--format", "json", path]);
        let named = lint_in(&sample(), &["--format", "json", "--kind", kind, path]);
        assert_eq!(auto.stdout, named.stdout, "{path} is a {kind}");
        assert_eq!(auto.status, named.status, "{path}");
    }
    // The stream of two documents: each its own kind, neither with a finding.
    let run = lint_in(&sample(), &["--format", "json", "releases/web/stages.yaml"]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(run.json()["files"][0]["diagnostics"], serde_json::json!([]));
    let wrong = lint_in(
        &sample(),
        &[
            "--format",
            "json",
            "--kind",
            "create-request",
            "releases/web/stages.yaml",
        ],
    );
    let diagnostics = wrong.json()["files"][0]["diagnostics"].clone();
    assert!(
        diagnostics
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["document"] == 2),
        "{diagnostics}"
    );
}

#[test]
fn the_configuration_maps_a_folder_to_the_chart() {
    let koi = lint_in(&sample(), &["--show-settings", "releases/koi/resize.yaml"]).json();
    let schema = koi["values_schema"].as_str().unwrap();
    assert!(
        schema.ends_with("charts/koi/values.schema.json"),
        "{schema}"
    );
    assert_eq!(koi["cluster_id"], "7378a198-a3fe-11eb-ad37-0255ac100b07");
    assert_eq!(koi["format"], "yaml");
    let web = lint_in(&sample(), &["--show-settings", "releases/web/create.json"]).json();
    assert_eq!(web["values_schema"], Value::Null);
    let draft = lint_in(
        &sample(),
        &["--show-settings", "releases/drafts/half-written.json"],
    )
    .json();
    assert_eq!(draft["linted"], false);
    // Without the configuration, the chart's schema findings are gone.
    let run = lint_in(
        &sample(),
        &[
            "--no-config",
            "--format",
            "json",
            "releases/koi/resize.yaml",
        ],
    );
    assert!(!run.stdout.contains("values_schema"), "{}", run.stdout);
}
