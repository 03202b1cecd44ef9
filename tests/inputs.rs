//! What the linter reads, and how much: every input stops at its limit (files, standard input,
//! devices, pipes, the values schema), and a directory walk reads regular files inside the tree
//! only (symbolic links are not followed unless `--follow`, and then never out of the tree).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use std::path::Path;
use std::process::Command;

use support::{BIN, VALID, finish, lint_in};

/// A unique string planted where the linter must not look; it must appear in no output.
const PLANTED: &str = "planted-7c1e55aa";

/// What an input cut at the limit says.
const CUT: &str = "the input is longer than the maximum of 1024 bytes; it was not read past it";

#[track_caller]
fn assert_cut(run: &support::Run) {
    assert_eq!(run.status, 1, "{}", run.stderr);
    let doc = run.json();
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "input_too_large");
    assert_eq!(d["message"], CUT);
    assert!(d.get("line").is_none());
}

#[cfg(unix)]
#[test]
fn a_device_is_read_up_to_the_limit_and_no_further() {
    let run = lint_in(
        Path::new("/"),
        &["--format", "json", "--max-input-size", "1K", "/dev/zero"],
    );
    assert_cut(&run);
    // Nothing of a device is ever shown, not even within the limit.
    let run = lint_in(Path::new("/"), &["--max-input-size", "1K", "/dev/zero"]);
    assert!(!run.stdout.contains(" | "), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn endless_standard_input_is_read_up_to_the_limit() {
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!("yes | '{BIN}' --format json --max-input-size 1K -"),
    ]);
    assert_cut(&finish(command, None));
}

#[cfg(unix)]
#[test]
fn a_pipe_is_read_up_to_the_limit_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // An endless writer, which stops when the linter closes its end.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            let chunk = [b' '; 4096];
            while std::io::Write::write_all(&mut pipe, &chunk).is_ok() {}
        })
    };
    let run = lint_in(
        dir.path(),
        &["--format", "json", "--max-input-size", "1K", "pipe.json"],
    );
    assert_cut(&run);
    writer.join().unwrap();

    // Within the limit, a pipe's findings are reported, but no line of it is shown.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::fs::write(fifo, format!("{{\"name\": \"{PLANTED}\"}}")).unwrap();
        })
    };
    let run = lint_in(dir.path(), &["--kind", "create-request", "pipe.json"]);
    writer.join().unwrap();
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.contains("pipe.json:1:1: error[missing_field]"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(PLANTED), "{}", run.stdout);
}

#[test]
fn standard_input_within_the_limit_is_shown() {
    let mut command = Command::new(BIN);
    command.arg("-");
    let run = finish(command, Some(b"{\"name\": \"Koi\"}"));
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.contains("1 | {\"name\": \"Koi\"}"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_oversized_file_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.json"), " ".repeat(5000)).unwrap();
    let run = lint_in(
        dir.path(),
        &["--format", "json", "--max-input-size", "1K", "big.json"],
    );
    assert_eq!(
        run.json()["files"][0]["diagnostics"][0]["message"],
        "the input is 5000 bytes, over the maximum of 1024 bytes; it was not read"
    );
}

#[test]
fn the_values_schema_has_its_own_limit() {
    let dir = tempfile::tempdir().unwrap();
    let schema = format!(
        "{{\"type\": \"object\", \"description\": \"{}\"}}",
        "x".repeat(2000)
    );
    std::fs::write(dir.path().join("values.schema.json"), schema).unwrap();
    std::fs::write(dir.path().join("a.json"), VALID).unwrap();
    let args = ["--values-schema", "values.schema.json", "a.json"];
    assert_eq!(lint_in(dir.path(), &args).status, 0);
    let run = lint_in(
        dir.path(),
        &[&["--max-schema-size", "1K"], &args[..]].concat(),
    );
    assert_eq!(run.status, 2);
    assert_eq!(
        run.stderr,
        "cce-release-lint: `values.schema.json`: the values schema is larger than the maximum \
         of 1024 bytes (--max-schema-size)\n"
    );
    assert_eq!(run.stdout, "");
}

#[cfg(unix)]
#[test]
fn an_endless_values_schema_is_refused_at_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), VALID).unwrap();
    let run = lint_in(dir.path(), &["--values-schema", "/dev/zero", "a.json"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("larger than the maximum of 8388608 bytes"),
        "{}",
        run.stderr
    );
}

/// A tree with a payload inside, and links out of it: to a file with a planted secret, to
/// the process's environment (which holds the secret too), to a directory outside, a loop,
/// and a pipe. Returns the temporary directory, which holds `tree/` and `outside/`.
#[cfg(unix)]
fn hostile_tree() -> tempfile::TempDir {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (tree, outside) = (dir.path().join("tree"), dir.path().join("outside"));
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(tree.join("sub/ok.json"), VALID).unwrap();
    // Invalid, with the secret on the line a finding points at.
    let secret = format!("{{\"name\": \"{PLANTED}\", \"values\": []}}\n");
    std::fs::write(outside.join("creds.json"), &secret).unwrap();
    std::fs::write(outside.join("more.json"), &secret).unwrap();
    symlink(outside.join("creds.json"), tree.join("creds.json")).unwrap();
    symlink("/proc/self/environ", tree.join("environ.json")).unwrap();
    symlink(&outside, tree.join("elsewhere")).unwrap();
    symlink("..", tree.join("sub/loop")).unwrap();
    symlink("sub/ok.json", tree.join("inside.json")).unwrap();
    symlink("nowhere.json", tree.join("dangling.json")).unwrap();
    symlink("nowhere.txt", tree.join("dangling.txt")).unwrap();
    let made = Command::new("mkfifo")
        .arg(tree.join("pipe.json"))
        .status()
        .unwrap();
    assert!(made.success());
    dir
}

#[cfg(unix)]
fn lint_tree(dir: &Path, args: &[&str]) -> support::Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env("CCE_TEST_PLANTED", PLANTED);
    finish(command, None)
}

#[cfg(unix)]
#[test]
fn a_walk_reads_regular_files_only_and_follows_no_link() {
    let dir = hostile_tree();
    for format in ["human", "json", "sarif", "github"] {
        let run = lint_tree(dir.path(), &["--format", format, "tree"]);
        assert_eq!(run.status, 0, "{format}: {}{}", run.stdout, run.stderr);
        assert!(!run.stdout.contains(PLANTED), "{format}: {}", run.stdout);
        assert!(!run.stderr.contains(PLANTED), "{format}: {}", run.stderr);
        assert!(!run.stdout.contains("environ"), "{format}: {}", run.stdout);
        assert_eq!(run.stderr, "", "{format}");
    }
    let run = lint_tree(dir.path(), &["--format", "json", "tree"]);
    let files = run.json()["files"].clone();
    let paths: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["tree/sub/ok.json"]);
}

#[cfg(unix)]
#[test]
fn follow_stays_inside_the_directories_named() {
    let dir = hostile_tree();
    for format in ["human", "json", "sarif", "github"] {
        let run = lint_tree(dir.path(), &["--follow", "--format", format, "tree"]);
        assert_eq!(run.status, 0, "{format}: {}{}", run.stdout, run.stderr);
        assert!(!run.stdout.contains(PLANTED), "{format}: {}", run.stdout);
        assert!(!run.stderr.contains(PLANTED), "{format}: {}", run.stderr);
    }
    let run = lint_tree(dir.path(), &["--follow", "--format", "json", "tree"]);
    let files = run.json()["files"].clone();
    let paths: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    // The link inside the tree is followed; the loop is not walked twice.
    assert_eq!(paths, ["tree/inside.json", "tree/sub/ok.json"]);
    for skipped in ["tree/creds.json", "tree/environ.json", "tree/elsewhere"] {
        assert!(
            run.stderr.contains(&format!(
                "skipped `{skipped}`: the link leads outside the directories named"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("skipped `tree/sub/loop`"),
        "{}",
        run.stderr
    );

    // Naming the outside directory too lets links lead into it.
    let run = lint_tree(
        dir.path(),
        &["--follow", "--format", "json", "tree", "outside"],
    );
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.contains("\"path\": \"tree/creds.json\""),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn paths_named_on_the_command_line_are_read_as_named() {
    let dir = hostile_tree();
    let run = lint_tree(dir.path(), &["tree/creds.json"]);
    assert_eq!(run.status, 1);
    assert!(run.stdout.contains(PLANTED), "{}", run.stdout);
}

#[test]
fn human_output_grows_with_the_findings_not_with_the_line() {
    // 1,000 unknown members on one line of 4 MiB: each finding shows a window of the line.
    let dir = tempfile::tempdir().unwrap();
    let mut text = VALID.strip_suffix('}').unwrap().to_owned();
    for i in 0..1000 {
        text.push_str(&format!(", \"extra{i:04}\": \"{}\"", "x".repeat(4096)));
    }
    text.push('}');
    std::fs::write(dir.path().join("wide.json"), &text).unwrap();
    let run = lint_in(dir.path(), &["wide.json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("warning[unknown_field]").count(), 1000);
    let longest = run.stdout.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters");
    assert!(run.stdout.len() < 1000 * 600, "{} bytes", run.stdout.len());
}
