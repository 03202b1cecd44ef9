//! Forged output: hostile text in a file name, in a payload's keys and source lines, and in a
//! chart schema reaches every output channel escaped. ESC and BEL never reach a terminal, a
//! line break never starts a line of its own (a `::error` workflow command in a CI log, a
//! fake finding), bidi controls never reorder what is shown, and JSON stays JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use std::path::Path;

use cce_release::render::escape::is_unsafe;
use support::lint_in;

/// ESC (a screen clear), BEL, CR/LF with a forged workflow command, DEL, a C1 CSI, and the
/// right-to-left override.
const HOSTILE: &str = "\u{1b}[2J\u{7}\r\n::error file=x::forged\u{7f}\u{9b}31m\u{202e}";

/// No line of `text` carries an unsafe character, and none starts a forged command or finding.
#[track_caller]
fn assert_clean_lines(channel: &str, text: &str) {
    for line in text.lines() {
        assert!(!line.chars().any(is_unsafe), "{channel}: {line:?}");
        assert!(!line.starts_with("::error file=x"), "{channel}: {line:?}");
        assert!(!line.starts_with("forged"), "{channel}: {line:?}");
    }
}

/// A directory with a payload under a hostile file name whose key is hostile too, and a file
/// whose text holds raw control characters (a syntax error, so that its line is shown).
#[cfg(unix)]
fn hostile_files() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("a{HOSTILE}.json");
    let key = serde_json::to_string(HOSTILE).unwrap();
    std::fs::write(
        dir.path().join(&name),
        format!(
            "{{\"chart_id\": \"e99a7e86-afdd-11eb-aca3-0255ac100b0e\", \"name\": \"koi\", \
             \"namespace\": \"default\", \"version\": \"3.0.1\", \"values\": {{}}, {key}: 1}}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("raw.json"),
        format!("{{\"name\": \"{HOSTILE}\"}}"),
    )
    .unwrap();
    (dir, vec![name, "raw.json".to_owned()])
}

#[cfg(unix)]
#[test]
fn human_output_escapes_file_names_messages_and_source_lines() {
    let (dir, names) = hostile_files();
    let args: Vec<&str> = names.iter().map(String::as_str).collect();
    let run = lint_in(dir.path(), &args);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_clean_lines("human", &run.stdout);
    assert!(
        run.stdout.contains(
            "a\\u{1b}[2J\\u{7}\\r\\n::error file=x::forged\\u{7f}\\u{9b}31m\\u{202e}.json:1:"
        ),
        "{}",
        run.stdout
    );
    // The raw line is shown, escaped, with the caret under the fault.
    assert!(
        run.stdout.contains("1 | {\"name\": \"\\u{1b}[2J"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn github_commands_stay_one_a_line() {
    let (dir, names) = hostile_files();
    let args: Vec<&str> = [
        &["--format", "github"][..],
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    ]
    .concat();
    let run = lint_in(dir.path(), &args);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_clean_lines("github", &run.stdout);
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line:?}"
        );
        // The properties end at the first `::`: a file name cannot end them early.
        let (properties, _) = line[2..].split_once("::").unwrap();
        assert!(properties.contains(",line=1,col="), "{line:?}");
    }
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn json_and_sarif_escape_c1_del_and_bidi_and_keep_the_text() {
    let (dir, names) = hostile_files();
    for format in ["json", "sarif"] {
        let args: Vec<&str> = [
            &["--format", format][..],
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat();
        let run = lint_in(dir.path(), &args);
        assert_eq!(run.status, 1, "{format}: {}", run.stderr);
        assert!(
            !run.stdout.chars().any(|c| c != '\n' && is_unsafe(c)),
            "{format}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("\\u202e") && run.stdout.contains("\\u009b"));
        // A JSON reader gets the text back as it was.
        let doc = run.json();
        let text = doc.to_string();
        assert!(text.contains('\u{202e}'), "{format}");
    }
    let run = lint_in(dir.path(), &["--format", "json", &names[0]]);
    assert_eq!(run.json()["files"][0]["path"], names[0].as_str());
}

#[cfg(unix)]
#[test]
fn standard_error_escapes_file_names_and_schema_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), support::VALID).unwrap();
    let missing = format!("missing{HOSTILE}.json");
    let run = lint_in(dir.path(), &["a.json", &missing]);
    assert_eq!(run.status, 2);
    assert_clean_lines("stderr", &run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read `missing\\u{1b}[2J"),
        "{}",
        run.stderr
    );

    // A chart schema whose reference and name quote hostile text.
    let schema = serde_json::json!({"$ref": format!("https://example.invalid/{HOSTILE}")});
    std::fs::write(dir.path().join("values.schema.json"), schema.to_string()).unwrap();
    let schema_name = format!("values{HOSTILE}.schema.json");
    std::fs::write(dir.path().join(&schema_name), schema.to_string()).unwrap();
    for name in ["values.schema.json", schema_name.as_str()] {
        let run = lint_in(dir.path(), &["--values-schema", name, "a.json"]);
        assert_eq!(run.status, 2, "{}", run.stderr);
        assert_clean_lines("stderr", &run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("\\u{1b}[2J"), "{}", run.stderr);
    }
}

#[test]
fn usage_errors_are_escaped_too() {
    let run = lint_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--kind", HOSTILE, "a.json"],
    );
    assert_eq!(run.status, 2);
    assert_clean_lines("usage", &run.stderr);
    assert!(run.stderr.contains("\\u{1b}[2J"), "{}", run.stderr);
}
