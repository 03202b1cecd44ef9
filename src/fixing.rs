//! `--fix`, `--unsafe-fixes` and `--diff`: the library's fixes applied to files, written
//! atomically, or shown as a unified diff.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cce_release::Report;
use cce_release::fix::{self, Applicability};

/// What is done with a file's fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Apply them and write the file.
    Write(Applicability),
    /// Show them as a unified diff; write nothing.
    Diff(Applicability),
}

/// What fixing a file gave.
pub(crate) struct Outcome {
    /// The text after the fixes (the input when none applied).
    pub bytes: Vec<u8>,
    /// The report of that text: the findings that remain.
    pub report: Report,
    /// Fixes applied.
    pub applied: usize,
    /// With `--diff`: the diff (empty when nothing changes).
    pub diff: Option<String>,
}

/// Fixes `bytes` (the file `name`, written to `target` with `--fix`), validating with
/// `validate`. A file that does not parse is left as it is (the fix loop changes nothing in it).
pub(crate) fn run(
    mode: Mode,
    bytes: &[u8],
    name: &str,
    target: Option<&Path>,
    yaml: bool,
    validate: impl Fn(&[u8]) -> Report,
) -> Result<Outcome, String> {
    let allowed = match mode {
        Mode::Write(a) | Mode::Diff(a) => a,
    };
    let fixed = fix::fix(bytes, allowed, validate);
    let diff = match mode {
        Mode::Diff(_) => Some(diff_of(name, bytes, &fixed.output, yaml)),
        Mode::Write(_) => {
            if fixed.applied > 0 && fixed.output != bytes {
                let target = target.ok_or_else(|| {
                    "standard input cannot be fixed in place: use --diff".to_owned()
                })?;
                write_atomically(target, &fixed.output).map_err(|e| {
                    format!("cannot write the fixes to `{}`: {e}", target.display())
                })?;
            }
            None
        }
    };
    Ok(Outcome {
        bytes: fixed.output,
        report: fixed.report,
        applied: fixed.applied,
        diff,
    })
}

fn diff_of(name: &str, old: &[u8], new: &[u8], yaml: bool) -> String {
    if old == new {
        return String::new();
    }
    // Fixes only apply to text that decoded (a byte-order mark is text here too).
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    cce_release::render::diff(name, &old, &new, yaml)
}

/// Writes `bytes` to `path` through a temporary file in the same directory, renamed over it, so
/// that a reader sees the old file or the new one, never half of one. The file's permissions
/// are kept; a path that is a symbolic link is written through to its target, the link kept.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target: PathBuf = fs::canonicalize(path)?;
    let metadata = fs::metadata(&target)?;
    if !metadata.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let dir = target
        .parent()
        .ok_or_else(|| io::Error::other("no parent directory"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(
            ".{name}.cce-fix-{}-{attempt}.tmp",
            std::process::id()
        ));
        match File::options().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::set_permissions(&temp, metadata.permissions()))
        .and_then(|()| fs::rename(&temp, &target));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}
