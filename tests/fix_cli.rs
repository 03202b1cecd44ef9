//! `--fix`, `--unsafe-fixes` and `--diff` through the linter's binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cce-release-lint");

const PAYLOAD: &str = "{\r\n  \"project_id\": \"0abdd2dce980d4162f8ac006608ee02d\",\r\n  \"chart_id\": \"e99a7e86-afdd-11eb-aca3-0255ac100b0e\",\r\n  \"name\": \"koi-neo4j\",\r\n  \"namespace\": \"default\",\r\n  \"version\": \"v3.0\",\r\n  \"values\": {\"imagePullPolicy\": \"ifnotpresent\", \"password\": \"hunter2\"},\r\n  \"parameters\": {\"dry-run\": true, \"recreate\": true}\r\n}\r\n";

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .arg("--no-config")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn diff_writes_nothing_and_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(&file, PAYLOAD).unwrap();
    let out = run(dir.path(), &["--diff", "a.json"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("--- a/a.json\n+++ b/a.json\n@@ -1,9 +1,8 @@\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-  \"version\": \"v3.0\",\n+  \"version\": \"3.0.0\",\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("hunter2"), "{stdout}");
    // The unsafe ones are not applied: the enum value stays an error.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), PAYLOAD);
    let unsafe_ = run(dir.path(), &["--diff", "--unsafe-fixes", "a.json"]);
    assert_eq!(unsafe_.status.code(), Some(0), "{}", text(&unsafe_.stdout));
    assert!(text(&unsafe_.stdout).contains("\"IfNotPresent\""));
}

#[test]
fn fix_writes_atomically_keeps_permissions_and_reports_what_remains() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(&file, PAYLOAD).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = run(dir.path(), &["--fix", "--format", "json", "a.json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["not_allowed", "unknown_field"]);
    assert!(text(&out.stderr).contains("3 fixes applied in 1 file"));
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert!(fixed.contains("\"version\": \"3.0.0\",\r\n"), "{fixed}");
    assert!(
        !fixed.contains("project_id") && !fixed.contains("recreate"),
        "{fixed}"
    );
    assert!(fixed.contains("hunter2"), "the file keeps its own values");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let again = run(dir.path(), &["--fix", "--unsafe-fixes", "a.json"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
    let twice = std::fs::read(&file).unwrap();
    let third = run(dir.path(), &["--fix", "--unsafe-fixes", "a.json"]);
    assert_eq!(third.status.code(), Some(0));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        twice,
        "a second --fix changes nothing"
    );
}

#[test]
fn a_file_that_does_not_parse_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    let broken = "\u{feff}{\"project_id\": 1, \"version\": \"v3\",}";
    std::fs::write(&file, broken).unwrap();
    let out = run(dir.path(), &["--fix", "--unsafe-fixes", "a.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
}

#[test]
fn yaml_is_fixed_too_and_links_are_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.yaml");
    let yaml = "project_id: p  # from the page\nchart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nname: koi-neo4j\nnamespace: default\nversion: v3.0.1\nvalues: {}\n";
    std::fs::write(&file, yaml).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.yaml", dir.path().join("link.yaml")).unwrap();
    #[cfg(unix)]
    let name = "link.yaml";
    #[cfg(not(unix))]
    let name = "a.yaml";
    let out = run(dir.path(), &["--fix", name]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nname: koi-neo4j\nnamespace: default\nversion: 3.0.1\nvalues: {}\n"
    );
    #[cfg(unix)]
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn standard_input_is_diffed_not_fixed_in_place() {
    let run_stdin = |args: &[&str]| {
        let mut child = Command::new(BIN)
            .arg("--no-config")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(PAYLOAD.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run_stdin(&["--fix", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("use --diff"),
        "{}",
        text(&out.stderr)
    );
    let out = run_stdin(&["--diff", "-"]);
    assert!(
        text(&out.stdout).contains("+++ b/<stdin>"),
        "{}",
        text(&out.stdout)
    );
}
