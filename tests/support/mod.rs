//! Running the linter's binary with a generous timeout, for the tests of its inputs and
//! outputs. A run that does not end within the timeout is killed and fails its test: these
//! tests bound work, they never time it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_cce-release-lint");
/// Far longer than any of these runs takes; only a run that never ends reaches it.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// One finished run.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// What the run printed, for an assertion's message.
    #[allow(dead_code)] // not every test binary that includes this module uses it
    pub fn transcript(&self) -> String {
        format!(
            "status {}\n--- stdout\n{}--- stderr\n{}",
            self.status, self.stdout, self.stderr
        )
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).expect("stdout is one JSON document")
    }
}

/// Runs `command` to its end (killing it after [`TIMEOUT`]), feeding `stdin` if given.
#[track_caller]
pub fn finish(mut command: Command, stdin: Option<&[u8]>) -> Run {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("NO_COLOR");
    let mut child = command.spawn().expect("the command starts");
    if let (Some(bytes), Some(mut input)) = (stdin, child.stdin.take()) {
        // A linter that stops reading early closes the pipe: a failed write is fine.
        let _ = input.write_all(bytes);
    }
    // Drain both pipes on threads so that a large output cannot block the child.
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut bytes).map(|_| bytes)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run did not end within {TIMEOUT:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status: status.code().expect("the command exits"),
        stdout: String::from_utf8(out.join().unwrap().unwrap()).expect("stdout is UTF-8"),
        stderr: String::from_utf8(err.join().unwrap().unwrap()).expect("stderr is UTF-8"),
    }
}

/// Runs the linter in `dir` with `args`.
#[track_caller]
pub fn lint_in(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir);
    finish(command, None)
}

/// A valid create body.
pub const VALID: &str = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", "namespace": "default", "version": "3.0.1", "values": {}}"#;
