//! The linter over a repository: configuration files, `--select`/`--ignore`, `--quiet`,
//! `--statistics`, `--color`, generated completions and man page, and paths relative to the
//! repository root in SARIF and GitHub output.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use std::path::Path;
use std::process::Command;

use support::{BIN, VALID, finish, lint_in};

/// A scratch repository (`.git` marks its root) with `files`.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const BROKEN: &str = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "Koi", "namespace": "default", "version": "v3.0", "values": {}, "extra": 1}"#;

#[test]
fn a_bad_configuration_is_exit_2_with_its_place_and_a_suggestion() {
    let dir = repo(&[
        (
            "cce-release.toml",
            "strict = true\n\n[[files]]\ninclude = [\"releases/\"]\nknd = \"release\"\n",
        ),
        ("releases/a.json", VALID),
    ]);
    let run = lint_in(dir.path(), &["releases/a.json"]);
    assert_eq!(run.status, 2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("cce-release.toml:5:1: unknown key `knd` in a `[[files]]` section (did you mean `kind`?)"),
        "{}",
        run.stderr
    );
    // A bad value, and TOML that is not TOML.
    std::fs::write(
        dir.path().join("cce-release.toml"),
        "ignore = [\"unknown_feild\"]\n",
    )
    .unwrap();
    let run = lint_in(dir.path(), &["releases/a.json"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains(":1:11: unknown code `unknown_feild` (did you mean `unknown_field`?)"),
        "{}",
        run.stderr
    );
    std::fs::write(dir.path().join("cce-release.toml"), "strict = [\n").unwrap();
    let run = lint_in(dir.path(), &["releases/a.json"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("cce-release.toml:"), "{}", run.stderr);
    // --no-config reads none; --config reads another.
    assert_eq!(
        lint_in(dir.path(), &["--no-config", "releases/a.json"]).status,
        0
    );
    std::fs::write(dir.path().join("other.toml"), "strict = true\n").unwrap();
    let run = lint_in(dir.path(), &["--config", "other.toml", "releases/a.json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // Two configurations side by side are one too many.
    std::fs::write(dir.path().join("cce-release.toml"), "").unwrap();
    std::fs::write(dir.path().join(".cce-release.toml"), "").unwrap();
    let run = lint_in(dir.path(), &["releases/a.json"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("two configurations"), "{}", run.stderr);
}

#[test]
fn the_nearest_configuration_applies_and_the_command_line_wins() {
    let dir = repo(&[
        ("cce-release.toml", "strict = true\n"),
        (
            "releases/team/.cce-release.toml",
            "ignore = [\"loose_version\"]\n",
        ),
        ("releases/team/a.json", BROKEN),
        ("releases/b.json", BROKEN),
    ]);
    let codes = |args: &[&str]| -> Vec<String> {
        let run = lint_in(dir.path(), &[&["--format", "json"], args].concat());
        run.json()["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["diagnostics"].as_array().unwrap().clone())
            .map(|d| {
                format!(
                    "{}:{}",
                    d["severity"].as_str().unwrap(),
                    d["code"].as_str().unwrap()
                )
            })
            .collect()
    };
    // The team's configuration replaces the root's (no strict mode there).
    assert_eq!(
        codes(&["releases/team/a.json"]),
        ["error:pattern_mismatch", "warning:unknown_field"]
    );
    assert_eq!(
        codes(&["releases/b.json"]),
        [
            "error:pattern_mismatch",
            "error:loose_version",
            "error:unknown_field"
        ]
    );
    // --select replaces, --ignore adds.
    assert_eq!(
        codes(&["--select", "loose_version,unknown_field", "releases/b.json"]),
        ["error:loose_version", "error:unknown_field"]
    );
    assert_eq!(
        codes(&["--ignore", "unknown_field", "releases/team/a.json"]),
        ["error:pattern_mismatch"]
    );
    // An unknown code is a usage error, with a suggestion.
    let run = lint_in(dir.path(), &["--ignore", "unknown_feld", "releases/b.json"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("did you mean `unknown_field`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn quiet_statistics_and_color() {
    let dir = repo(&[
        ("a.json", BROKEN),
        (
            "b.yaml",
            "name: Koi\nchart_id: x\nparameters: {dry_run: yes}\n",
        ),
    ]);
    let run = lint_in(dir.path(), &["--quiet", "a.json"]);
    assert_eq!(run.status, 1);
    assert!(!run.stdout.contains("checked"), "{}", run.stdout);
    assert!(run.stdout.contains("error[pattern_mismatch]"));
    let run = lint_in(
        dir.path(),
        &[
            "--quiet",
            "--ignore",
            "pattern_mismatch,loose_version,unknown_field",
            "a.json",
        ],
    );
    assert_eq!((run.status, run.stdout.as_str()), (0, ""));

    let run = lint_in(dir.path(), &["--statistics", "a.json", "b.yaml"]);
    assert_eq!(run.status, 1);
    let first: Vec<&str> = run.stdout.lines().collect();
    assert!(
        first
            .iter()
            .any(|l| l.trim_start().starts_with("2  pattern_mismatch")),
        "{}",
        run.stdout
    );
    assert!(
        first.iter().any(|l| l.contains("yaml_ambiguous_scalar")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("^"),
        "no findings listed: {}",
        run.stdout
    );
    let json = lint_in(
        dir.path(),
        &["--statistics", "--format", "json", "a.json", "b.yaml"],
    )
    .json();
    let pattern = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "pattern_mismatch")
        .unwrap();
    assert_eq!(
        (pattern["count"].as_u64(), pattern["errors"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        lint_in(dir.path(), &["--statistics", "--format", "sarif", "a.json"]).status,
        2
    );

    // Run directly: the support runner clears NO_COLOR.
    let colored = |env: &[(&str, &str)], args: &[&str]| {
        let mut command = Command::new(BIN);
        command.args(args).arg("a.json").current_dir(dir.path());
        for var in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR"] {
            command.env_remove(var);
        }
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.stdin(std::process::Stdio::null()).output().unwrap();
        String::from_utf8(output.stdout).unwrap().contains('\u{1b}')
    };
    assert!(!colored(&[], &[]), "not a terminal");
    assert!(colored(&[], &["--color", "always"]));
    assert!(colored(&[("FORCE_COLOR", "1")], &[]));
    assert!(colored(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!colored(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!colored(&[("FORCE_COLOR", "0")], &[]));
    assert!(!colored(&[("FORCE_COLOR", "1")], &["--color", "never"]));
    assert!(colored(&[("NO_COLOR", "1")], &["--color", "always"]));
}

#[test]
fn completions_and_the_man_page_come_from_the_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let man = lint_in(dir.path(), &["--generate", "man"]);
    assert_eq!(man.status, 0);
    assert!(
        man.stdout.contains(".TH cce-release-lint"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    for flag in [
        "\\-\\-select",
        "\\-\\-base\\-dir",
        "\\-\\-no\\-config",
        "\\-\\-statistics",
    ] {
        assert!(
            man.stdout.contains(flag),
            "{flag} missing from the man page"
        );
    }
    // Every shell gets the flags; those whose completions list values get the kinds.
    for (shell, marker, values) in [
        ("bash", "complete -F", true),
        ("zsh", "#compdef", true),
        ("fish", "complete -c", true),
        ("powershell", "Register-ArgumentCompleter", false),
        ("elvish", "edit:completion", false),
    ] {
        let run = lint_in(dir.path(), &["--generate", &format!("complete-{shell}")]);
        assert_eq!(run.status, 0, "{shell}");
        assert!(run.stdout.contains(marker), "{shell}");
        assert!(
            run.stdout.contains("ignore") && run.stdout.contains("base-dir"),
            "{shell}"
        );
        assert_eq!(run.stdout.contains("create-request"), values, "{shell}");
    }
}

/// From a subdirectory and with absolute paths, SARIF locations are relative to the repository
/// root under `%SRCROOT%` (declared in `originalUriBaseIds`), anything outside it an absolute
/// `file://` URI without `uriBaseId`; GitHub's `file=` is relative to the root.
#[test]
fn paths_land_relative_to_the_repository_root() {
    let dir = repo(&[("releases/prod/web.json", BROKEN)]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.json"), BROKEN).unwrap();
    let root = dir.path().canonicalize().unwrap();
    let releases = root.join("releases");
    let outside_file = outside.path().canonicalize().unwrap().join("x.json");

    let run = lint_in(
        &releases,
        &[
            "--format",
            "sarif",
            "prod/web.json",
            outside_file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    let log = run.json();
    let sarif_run = &log["runs"][0];
    let base = sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert!(
        base.trim_end_matches('/')
            .ends_with(&root.file_name().unwrap().to_string_lossy().to_string()),
        "{base}"
    );
    let locations: Vec<(String, Option<String>)> = sarif_run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (
                a["uri"].as_str().unwrap().to_owned(),
                a["uriBaseId"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert!(
        locations.iter().any(|l| l
            == &(
                "releases/prod/web.json".to_owned(),
                Some("%SRCROOT%".to_owned())
            )),
        "{locations:?}"
    );
    let outside_uri = format!("file://{}", outside_file.display());
    assert!(
        locations.iter().any(|l| l == &(outside_uri.clone(), None)),
        "{locations:?}"
    );
    let driver = &sarif_run["tool"]["driver"];
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    for rule in driver["rules"].as_array().unwrap() {
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
    }

    // The same from the root, with absolute paths.
    let absolute = releases.join("prod/web.json");
    let run = lint_in(
        Path::new("/"),
        &[
            "--format",
            "sarif",
            "--base-dir",
            root.to_str().unwrap(),
            absolute.to_str().unwrap(),
        ],
    );
    let uri = &run.json()["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(uri["uri"], "releases/prod/web.json");
    assert_eq!(uri["uriBaseId"], "%SRCROOT%");

    let run = lint_in(&releases, &["--format", "github", "prod/web.json"]);
    assert!(
        run.stdout
            .starts_with("::error file=releases/prod/web.json,line=1,"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("::prod/web.json:1:"), "{}", run.stdout);
}

#[test]
fn standard_input_takes_a_name_for_its_configuration_and_format() {
    let dir = repo(&[(
        "cce-release.toml",
        "[[files]]\ninclude = [\"answers/\"]\nkind = \"release\"\n",
    )]);
    let mut command = Command::new(BIN);
    command
        .args([
            "--format",
            "json",
            "--stdin-filename",
            "answers/show.yaml",
            "-",
        ])
        .current_dir(dir.path());
    let run = finish(command, Some(b"name: koi\nstatus: deployed\n"));
    assert_eq!(run.status, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["files"][0]["path"], "answers/show.yaml");
    assert_eq!(json["files"][0]["diagnostics"][0]["code"], "not_allowed");
    assert_eq!(json["files"][0]["diagnostics"][0]["line"], 2);
}

/// Values under secret-looking keys never reach the source lines of a YAML file, in any
/// format, whether the file is well-formed or not.
#[test]
fn yaml_source_lines_hide_secrets() {
    let good = "\
chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e
name: Koi_Neo4j
namespace: default
version: 3.0.1
values:
  dbPassword: !vault hunter2-in-the-clear
  apiKey: !!binary |
    AKIA-multi-line
    second-line-secret
  auth: {token: tok-inline-secret, token: tok-again-secret}
  imagePullPolicy: always
  other: dbPassword
";
    let broken = "name: koi\nvalues:\n\tpassword: pw-tab-secret\n";
    let dir = repo(&[("good.yaml", good), ("broken.yaml", broken)]);
    for format in ["human", "json", "sarif", "github"] {
        let run = lint_in(
            dir.path(),
            &["--format", format, "good.yaml", "broken.yaml"],
        );
        assert_eq!(run.status, 1, "{}", run.stderr);
        for secret in [
            "hunter2",
            "AKIA",
            "second-line-secret",
            "tok-inline-secret",
            "tok-again-secret",
            "pw-tab-secret",
        ] {
            assert!(
                !run.stdout.contains(secret),
                "{format}: {secret} in\n{}",
                run.stdout
            );
        }
    }
    // The lines are shown, masked: the findings are on them.
    let human = lint_in(dir.path(), &["good.yaml", "broken.yaml"]).stdout;
    for shown in [
        "name: Koi_Neo4j",
        "imagePullPolicy: always",
        "dbPassword: ****",
        "apiKey: ****",
        "  auth: ****",
        "password****",
    ] {
        assert!(human.contains(shown), "{shown} not in\n{human}");
    }
    for code in ["yaml_tag", "duplicate_key", "invalid_yaml"] {
        assert!(human.contains(code), "{code} not in\n{human}");
    }
}

/// The README's configuration example is a configuration the linter accepts, and does what the
/// comments say.
#[test]
fn the_readme_configuration_example_is_valid() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("### Configuration").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let toml = &section[start..start + section[start..].find("```").unwrap()];
    let dir = repo(&[
        ("cce-release.toml", toml),
        ("charts/koi/values.schema.json", "{}"),
    ]);
    let settings = |path: &str| lint_in(dir.path(), &["--show-settings", path]).json();
    let koi = settings("releases/koi/web.yaml");
    assert_eq!(koi["linted"], true);
    assert_eq!(koi["cluster_id"], "7378a198-a3fe-11eb-ad37-0255ac100b07");
    assert_eq!(koi["ignore"], serde_json::json!(["yaml_merge_key"]));
    assert_eq!(koi["max_findings"], 200);
    let legacy = settings("releases/legacy/a/b.json");
    assert_eq!(legacy["kind"], "create-request");
    assert_eq!(legacy["strict"], true);
    assert_eq!(
        legacy["ignore"],
        serde_json::json!(["yaml_merge_key", "loose_version"])
    );
    assert_eq!(settings("releases/legacy/a/b.draft.json")["kind"], "auto");
    assert_eq!(settings("releases/drafts/x.json")["linted"], false);
    assert_eq!(settings("package.json")["linted"], false);
}
