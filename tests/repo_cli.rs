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
