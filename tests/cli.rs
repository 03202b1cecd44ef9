//! The linter as a user runs it: arguments in; exit status, standard output and standard error
//! out. Whole runs are snapshotted once per format over the same failing payload (insta, with
//! temporary paths filtered); the other tests pin one behaviour each.
// Helpers panic like the tests they serve.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cce-release-lint");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
}

/// One finished run.
struct Run {
    args: Vec<String>,
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Arguments, exit status, stdout and stderr, as one snapshot.
    fn transcript(&self) -> String {
        format!(
            "args: {}\nstatus: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.args.join(" "),
            self.status,
            self.stdout,
            self.stderr
        )
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).expect("stdout is one JSON document")
    }
}

/// Runs the linter in `dir` with `args`, feeding `stdin`.
#[track_caller]
fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the linter starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    // The linter need not read its standard input (a file argument, or past a limit): it may
    // have exited before this write, which then meets a closed pipe.
    match input.write_all(stdin) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.expect("stdin is written"),
    }
    drop(input);
    let output = child.wait_with_output().expect("the linter finishes");
    Run {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        status: output.status.code().expect("the linter exits"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

#[track_caller]
fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, b"")
}

/// A temporary directory (canonical, so that it is a prefix of the current directory the
/// linter sees) with copies of the named fixtures.
fn workspace(fixtures: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().canonicalize().expect("it has a canonical path");
    for name in fixtures {
        std::fs::copy(fixture(name), root.join(name)).expect("the fixture is copied");
    }
    (dir, root)
}

/// insta settings that show `root` as `[TEMP]` and the crate version as `[VERSION]`.
fn filters(root: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&escape(&root.display().to_string()), "[TEMP]");
    settings.add_filter(
        &format!("\"{}\"", escape(env!("CARGO_PKG_VERSION"))),
        "\"[VERSION]\"",
    );
    settings
}

fn escape(text: &str) -> String {
    let mut escaped = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The same failing payload, once per format: a whole run each, with its temporary path.
#[test]
fn snapshot_each_format_over_the_failing_fixture() {
    let (_dir, root) = workspace(&["invalid.json"]);
    let path = root.join("invalid.json").display().to_string();
    for format in ["human", "json", "sarif", "github"] {
        let run = run_in(&root, &["--format", format, &path], b"");
        assert_eq!(run.status, 1, "{format}: findings with errors exit 1");
        filters(&root).bind(|| {
            insta::assert_snapshot!(format!("format_{format}"), run.transcript());
        });
    }
}

#[test]
fn snapshot_a_missing_file_among_good_ones() {
    let (_dir, root) = workspace(&["valid.json", "invalid.json"]);
    let run = run_in(&root, &["valid.json", "missing.json", "invalid.json"], b"");
    assert_eq!(run.status, 2, "a missing file is exit status 2");
    filters(&root).bind(|| {
        insta::assert_snapshot!("missing_file_among_good_ones", run.transcript());
    });
}

#[test]
fn a_missing_file_is_reported_and_the_others_still_linted_in_every_format() {
    let (_dir, root) = workspace(&["valid.json", "invalid.json"]);
    for format in ["human", "json", "sarif", "github"] {
        let run = run_in(
            &root,
            &[
                "--format",
                format,
                "valid.json",
                "missing.json",
                "invalid.json",
            ],
            b"",
        );
        assert_eq!(run.status, 2, "{format}");
        assert!(
            run.stderr.contains("cannot read `missing.json`"),
            "{format}: {}",
            run.stderr
        );
        assert!(run.stdout.contains("invalid.json"), "{format}");
    }
    let run = run_in(
        &root,
        &["--format", "json", "valid.json", "missing.json"],
        b"",
    );
    assert_eq!(
        run.status, 2,
        "exit 2 wins even when the files read are clean"
    );
    assert_eq!(run.json()["summary"]["files"], 1);
}

#[test]
fn exit_0_when_clean_or_only_warnings() {
    let run = run(&["tests/fixtures/cli/valid.json"]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "1 file checked: 1 valid, 0 errors, 0 warnings\n"
    );
    assert_eq!(run.stderr, "");

    let run = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["tests/fixtures/cli/warnings-only.json"],
        b"",
    );
    assert_eq!(run.status, 0, "warnings alone pass");
    assert!(run.stdout.contains("warning[unknown_field]"));
}

#[test]
fn exit_1_on_errors_and_on_warnings_in_strict_mode() {
    assert_eq!(run(&["tests/fixtures/cli/invalid.json"]).status, 1);
    assert_eq!(run(&["tests/fixtures/cli/syntax-error.json"]).status, 1);
    let strict = run(&["--strict", "tests/fixtures/cli/warnings-only.json"]);
    assert_eq!(strict.status, 1);
    assert!(
        strict.stdout.contains("error[unknown_field]"),
        "{}",
        strict.stdout
    );
}

#[test]
fn exit_2_on_usage_errors() {
    let none = run(&[]);
    assert_eq!(none.status, 2);
    assert!(none.stderr.contains("<PATH>"), "{}", none.stderr);
    assert_eq!(run(&["--format", "xml", "a.json"]).status, 2);
    assert_eq!(run(&["--kind", "nope", "a.json"]).status, 2);
    assert_eq!(run(&["--no-such-flag", "a.json"]).status, 2);
    let schema = run(&[
        "--values-schema",
        "no/such/values.schema.json",
        "tests/fixtures/cli/valid.json",
    ]);
    assert_eq!(schema.status, 2);
    assert!(
        schema
            .stderr
            .contains("cannot read `no/such/values.schema.json`")
    );
}

#[test]
fn stdin_is_linted_as_stdin() {
    let invalid = std::fs::read(fixture("invalid.json")).unwrap();
    let run = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--format", "json", "-"],
        &invalid,
    );
    assert_eq!(run.status, 1);
    let doc = run.json();
    assert_eq!(doc["files"][0]["path"], "<stdin>");
    assert_eq!(
        doc["files"][0]["diagnostics"][0]["code"],
        "pattern_mismatch"
    );

    let valid = std::fs::read(fixture("valid.json")).unwrap();
    let run = run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["-"], &valid);
    assert_eq!(run.status, 0);

    let run = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["-"],
        b"{\"name\": \"koi\",}",
    );
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.starts_with("<stdin>:1:16: error[invalid_json]"),
        "{}",
        run.stdout
    );
}

#[test]
fn directories_are_searched_for_json_files_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let valid = std::fs::read(fixture("valid.json")).unwrap();
    let invalid = std::fs::read(fixture("invalid.json")).unwrap();
    std::fs::create_dir_all(root.join("releases/b")).unwrap();
    std::fs::create_dir_all(root.join("releases/a")).unwrap();
    for (path, bytes) in [
        ("releases/z.json", &valid),
        ("releases/b/2.json", &invalid),
        ("releases/b/10.json", &valid),
        ("releases/a/only.json", &valid),
        ("releases/a.json", &valid),
        ("releases/a-b.json", &valid),
        ("releases/a/notes.txt", &invalid),
        ("releases/a/values.yaml", &invalid),
        ("releases/0.json", &valid),
    ] {
        std::fs::write(root.join(path), bytes).unwrap();
    }
    let run = run_in(
        root,
        &["--format", "json", "releases", "releases/z.json"],
        b"",
    );
    assert_eq!(run.status, 1);
    let paths: Vec<String> = run.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "releases/0.json",
            "releases/a/only.json",
            "releases/a-b.json",
            "releases/a.json",
            "releases/b/10.json",
            "releases/b/2.json",
            "releases/z.json",
            "releases/z.json",
        ]
    );

    let empty = tempfile::tempdir().unwrap();
    let run = run_in(empty.path(), &["."], b"");
    assert_eq!(run.status, 0, "a directory without payloads lints nothing");
    assert_eq!(
        run.stdout,
        "0 files checked: 0 valid, 0 errors, 0 warnings\n"
    );
}

#[test]
fn many_files_keep_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let valid = std::fs::read(fixture("valid.json")).unwrap();
    let invalid = std::fs::read(fixture("invalid.json")).unwrap();
    let mut args = Vec::new();
    for i in (0..200u32).rev() {
        let name = format!("{i:03}.json");
        let bytes = if i.is_multiple_of(7) {
            &invalid
        } else {
            &valid
        };
        std::fs::write(dir.path().join(&name), bytes).unwrap();
        args.push(name);
    }
    let mut argv = vec!["--format", "json"];
    argv.extend(args.iter().map(String::as_str));
    let run = run_in(dir.path(), &argv, b"");
    let doc = run.json();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 200);
    for (file, name) in files.iter().zip(&args) {
        assert_eq!(file["path"], name.as_str());
        let i: u32 = name[..3].parse().unwrap();
        assert_eq!(file["valid"], !i.is_multiple_of(7), "{name}");
    }
}

#[test]
fn explain_prints_what_why_example_and_fix() {
    let run = run(&["--explain", "unknown_field"]);
    assert_eq!(run.status, 0);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("explain_unknown_field", run.transcript());
    for &code in cce_release::Code::ALL {
        let run = self::run(&["--explain", code.as_str()]);
        assert_eq!(run.status, 0, "{code}");
        let e = code.explanation();
        assert!(run.stdout.starts_with(&format!("{code} (")), "{code}");
        for section in ["What it means", "Why it matters", "Example", "Fix"] {
            assert!(run.stdout.contains(section), "{code}: {section}");
        }
        assert!(run.stdout.contains(e.example), "{code}");
    }
}

#[test]
fn explain_an_unknown_code_is_exit_2() {
    let run = run(&["--explain", "no_such_code"]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("no_such_code"), "{}", run.stderr);
    assert!(
        run.stderr.contains("missing_field"),
        "lists the codes: {}",
        run.stderr
    );
}

#[test]
fn print_schema_prints_the_committed_file() {
    for &kind in cce_release::Kind::ALL {
        let run = run(&["--print-schema", kind.name()]);
        assert_eq!(run.status, 0, "{kind}");
        let committed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("schemas")
                .join(kind.schema_file()),
        )
        .unwrap();
        assert_eq!(run.stdout, committed, "{kind}");
    }
    assert_eq!(run(&["--print-schema", "nope"]).status, 2);
}

#[test]
fn help_lists_kinds_formats_codes_and_exit_statuses() {
    let run = run(&["--help"]);
    assert_eq!(run.status, 0);
    for &kind in cce_release::Kind::ALL {
        assert!(run.stdout.contains(kind.name()), "{kind}");
    }
    for &(format, _) in cce_release::render::Format::ALL {
        assert!(run.stdout.contains(&format!("- {format}:")), "{format}");
    }
    for &code in cce_release::Code::ALL {
        assert!(run.stdout.contains(&format!("- {code}:")), "{code}");
    }
    for status in ["0  no errors", "1  at least one error", "2  could not run"] {
        assert!(run.stdout.contains(status), "{status}");
    }
}

#[test]
fn human_output_has_no_colour_when_piped() {
    let run = run(&["tests/fixtures/cli/invalid.json"]);
    assert!(!run.stdout.contains('\u{1b}'));
}

#[test]
fn github_commands_escape_properties_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let name = "odd,name:1.json";
    std::fs::write(
        dir.path().join(name),
        "{\"chart_id\": \"e99a7e86-afdd-11eb-aca3-0255ac100b0e\", \"name\": \"koi\", \
         \"namespace\": \"default\", \"version\": \"3.0.1\", \"values\": {}, \"50%\\r\\n\": 1}",
    )
    .unwrap();
    let run = run_in(dir.path(), &["--format", "github", name], b"");
    assert_eq!(run.status, 0);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    let line = run.stdout.trim_end();
    assert!(
        line.starts_with(
            "::warning file=odd%2Cname%3A1.json,line=1,col=127,title=cce-release-lint (unknown_field)::"
        ),
        "{line}"
    );
    let (_, message) = line.split_once("::odd").unwrap();
    assert!(message.contains("`/50%25%0D%0A`"), "{message}");
    assert!(!message.contains('\r'));
}

fn validator_for(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
}

#[track_caller]
fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// Every fixture found through a directory, a byte-order mark, bytes that are not UTF-8, and
/// standard input: valid and invalid files, findings of many codes.
fn varied_run(format: &str) -> (tempfile::TempDir, Run) {
    let (dir, root) = workspace(&[
        "invalid.json",
        "syntax-error.json",
        "valid.json",
        "warnings-only.json",
    ]);
    std::fs::write(root.join("not utf-8.json"), b"{\"name\": \"k\xff\"}").unwrap();
    std::fs::write(root.join("bom.json"), b"\xef\xbb\xbf{}").unwrap();
    let run = run_in(
        &root,
        &[
            "--format",
            format,
            "--cluster-id",
            "7378a198-a3fe-11eb-ad37-0255ac100b07",
            ".",
            "-",
        ],
        b"[]",
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    (dir, run)
}

#[test]
fn json_output_matches_its_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/lint-output.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::meta::validate(&schema)
        .expect("the published schema is a valid draft 2020-12 schema");
    let validator = validator_for(&schema);
    let (_dir, run) = varied_run("json");
    let doc = run.json();
    assert_valid(&validator, &doc, "json output");
    assert_eq!(doc["summary"]["files"], 7);

    // The schema is not vacuous.
    let mut broken = doc.clone();
    broken["files"][0]["valid"] = Value::Bool(true);
    assert!(
        !validator.is_valid(&broken),
        "valid must agree with the findings"
    );
    let mut broken = doc.clone();
    broken["files"][0]["diagnostics"][0]["severity"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = doc;
    broken["summary"]["extra"] = 1.into();
    assert!(!validator.is_valid(&broken));
}

/// The SARIF 2.1.0 schema (draft-07) as OASIS published it: `tests/sarif-schema-2.1.0.json` is
/// the copy the `serde-sarif` 0.8.0 crate vendors (its `src/schema.json`), unchanged.
///
/// One known erratum is mended here, in memory: the `language` pattern (of `run` and
/// `toolComponent`) ends in a stray `]` (oasis-tcs/sarif-spec#490, #562), which JavaScript
/// accepts but the `regex` crate, and so the meta-schema check of `jsonschema`, rejects. The
/// linter never writes `language`.
fn sarif_schema() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(stray).count(), 2);
    let text = text.replace(stray, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    serde_json::from_str(&text).unwrap()
}

#[test]
fn sarif_output_matches_the_sarif_2_1_0_schema() {
    let schema = sarif_schema();
    let validator = validator_for(&schema);
    let (_dir, run) = varied_run("sarif");
    let log = run.json();
    assert_valid(&validator, &log, "sarif output");
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken), "the schema is not vacuous");

    // What GitHub code scanning relies on beyond the schema.
    let sarif_run = &log["runs"][0];
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), cce_release::Code::ALL.len());
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()));
        }
    }
    let results = sarif_run["results"].as_array().unwrap();
    assert!(results.len() > 5);
    let mut uris = std::collections::BTreeSet::new();
    for result in results {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        uris.insert(uri.to_owned());
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(result["partialFingerprints"]["cceReleaseLint/v1"].is_string());
    }
    assert_eq!(
        uris.into_iter().collect::<Vec<_>>(),
        [
            "%3Cstdin%3E",
            "bom.json",
            "invalid.json",
            "not%20utf-8.json",
            "syntax-error.json",
            "warnings-only.json"
        ]
    );
}

#[test]
fn list_prints_codes_kinds_and_formats_as_json() {
    let codes = run(&["--list", "codes"]);
    assert_eq!(codes.status, 0);
    let codes = codes.json();
    let names: Vec<&str> = codes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = cce_release::Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names, expected);
    assert_eq!(codes[0]["severity"], "error");
    assert_eq!(
        codes[0]["summary"],
        cce_release::Code::ALL[0].explanation().summary
    );

    let kinds = run(&["--list", "kinds"]).json();
    let expected: Vec<Value> = cce_release::Kind::ALL
        .iter()
        .map(|k| {
            serde_json::json!({"kind": k.name(), "summary": k.summary(), "schema": k.schema_file()})
        })
        .collect();
    assert_eq!(kinds, Value::Array(expected));

    let formats = run(&["--list", "formats"]).json();
    assert_eq!(
        formats[0],
        serde_json::json!({"format": "human",
        "summary": cce_release::render::Format::Human.summary()})
    );
    assert_eq!(formats.as_array().unwrap().len(), 4);

    assert_eq!(run(&["--list", "rules"]).status, 2);
    assert_eq!(run(&["--list", "codes", "a.json"]).status, 2);
}

#[test]
fn limits_are_flags_and_an_oversized_file_is_a_finding_not_a_read() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/create-release.json");
    let size = std::fs::metadata(example).unwrap().len();
    for args in [
        vec!["--max-input-size", "1K", example],
        vec!["--max-input-size", "1K", "-"],
    ] {
        let stdin = std::fs::read(example).unwrap();
        let run = run_in(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &[&["--format", "json"], &args[..]].concat(),
            &stdin,
        );
        assert_eq!(run.status, 1, "{}", run.transcript());
        let d = &run.json()["files"][0]["diagnostics"][0];
        assert_eq!(d["code"], "input_too_large");
        // A file's size is known before reading it; standard input is read up to the limit and
        // one more byte, never further, so its size is not known.
        let expected = if args[2] == "-" {
            "the input is longer than the maximum of 1024 bytes; it was not read past it".to_owned()
        } else {
            format!("the input is {size} bytes, over the maximum of 1024 bytes; it was not read")
        };
        assert_eq!(d["message"], expected);
        assert!(d.get("line").is_none());
    }

    let run = run(&["--format", "json", "--max-findings", "1", example]);
    assert_eq!(run.status, 0);
    let codes: Vec<String> = run.json()["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["unknown_field", "too_many_findings"]);

    let run = self::run(&["--format", "json", "--max-depth", "2", example]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.json()["files"][0]["diagnostics"][0]["message"],
        "invalid JSON: nesting is deeper than 2 levels"
    );

    for bad in [
        ["--max-input-size", "12X"],
        ["--max-depth", "128"],
        ["--max-findings", "0"],
    ] {
        let run = self::run(&[bad[0], bad[1], example]);
        assert_eq!(run.status, 2, "{bad:?}");
        assert!(run.stderr.contains(bad[0]), "{}", run.stderr);
    }
}
