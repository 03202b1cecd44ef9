//! `cce-release-lint`: lints release payload files. A thin layer: arguments → library → render
//! → exit status (0 clean, 1 findings with errors, 2 could not run).
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use rayon::prelude::*;

use cce_release::render::{self, FileReport, Format, Options};
use cce_release::{Code, Kind, Validator, schema};

const EXIT_STATUS: &str = "\
Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one error
  2  could not run: usage error, unreadable or missing file, unusable values schema, unknown code";

const LONG_EXIT_STATUS: &str = "\
Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one error
  2  could not run: usage error, unreadable or missing file, unusable values schema, unknown code
     (the other files are still linted and reported)

`--explain CODE` tells what a code means, why it matters, an example and the fix.";

/// From how many inputs on files are linted in parallel.
const PARALLEL_FROM: usize = 4;

/// Lint CCE Helm release payloads: request bodies and the API's answers.
#[derive(Debug, Parser)]
#[command(
    name = "cce-release-lint",
    version,
    after_help = EXIT_STATUS,
    after_long_help = LONG_EXIT_STATUS
)]
struct Cli {
    /// Files to lint; a directory is searched for `*.json` files (recursively, in sorted order);
    /// `-` reads standard input.
    #[arg(value_name = "PATH", required_unless_present_any = ["print_schema", "explain"])]
    paths: Vec<PathBuf>,

    /// Which payload the files are.
    #[arg(long, value_name = "KIND", default_value = "create-request", value_parser = kinds())]
    kind: Kind,

    /// Output format.
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "human",
        value_parser = PossibleValuesParser::new(
            Format::ALL.iter().map(|&(name, format)| PossibleValue::new(name).help(format.summary()))
        )
        .map(|s| Format::ALL.iter().find(|(n, _)| *n == s).map_or(Format::Human, |(_, f)| *f))
    )]
    format: Format,

    /// Warnings count as errors (unknown fields included).
    #[arg(long)]
    strict: bool,

    /// The cluster id of the request path, checked against the body.
    #[arg(long, value_name = "UUID")]
    cluster_id: Option<String>,

    /// The chart's values.schema.json, applied to /values.
    #[arg(long, value_name = "FILE")]
    values_schema: Option<PathBuf>,

    /// The largest file read, in bytes (suffixes K, M, G: powers of 1024); a larger one is an
    /// `input_too_large` finding and is not read.
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    max_input_size: usize,

    /// The deepest nesting of arrays and objects accepted (at most 127).
    #[arg(long, value_name = "LEVELS", default_value_t = Validator::DEFAULT_MAX_DEPTH,
          value_parser = clap::value_parser!(u16).range(1..=127).map(usize::from))]
    max_depth: usize,

    /// The most findings reported per file; one more finding says how many were left out.
    #[arg(long, value_name = "N", default_value_t = Validator::DEFAULT_MAX_FINDINGS,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    max_findings: usize,

    /// Print the JSON Schema of a kind (the file committed under schemas/) and exit.
    #[arg(long, value_name = "KIND", value_parser = kinds(), conflicts_with_all = ["paths", "explain"])]
    print_schema: Option<Kind>,

    /// Print what a code means, why it matters, an example and the fix, and exit.
    #[arg(
        long,
        value_name = "CODE",
        conflicts_with = "paths",
        value_parser = PossibleValuesParser::new(
            Code::ALL.iter().map(|c| PossibleValue::new(c.as_str()).help(c.explanation().summary))
        )
        .try_map(|s| s.parse::<Code>())
    )]
    explain: Option<Code>,
}

fn kinds() -> impl TypedValueParser<Value = Kind> {
    PossibleValuesParser::new(
        Kind::ALL
            .iter()
            .map(|&k| PossibleValue::new(k.name()).help(k.summary())),
    )
    .try_map(|s| s.parse::<Kind>())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(kind) = cli.print_schema {
        return emit(&schema::schema_text(kind));
    }
    if let Some(code) = cli.explain {
        return emit(&explain(code));
    }

    let mut validator = Validator::new(cli.kind)
        .strict(cli.strict)
        .max_input_size(cli.max_input_size)
        .max_depth(cli.max_depth)
        .max_findings(cli.max_findings);
    if let Some(id) = &cli.cluster_id {
        validator = validator.cluster_id(id);
    }
    if let Some(path) = &cli.values_schema {
        let loaded = std::fs::read(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))
            .and_then(|bytes| {
                validator
                    .clone()
                    .values_schema_bytes(&bytes)
                    .map_err(|e| format!("`{}`: {e}", path.display()))
            });
        match loaded {
            Ok(v) => validator = v,
            Err(message) => {
                eprintln!("cce-release-lint: {message}");
                return ExitCode::from(2);
            }
        }
    }

    let inputs = inputs(&cli.paths);
    let limit = cli.max_input_size;
    let stdin = if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        read_bounded(io::stdin().lock(), limit)
            .map_err(|e| format!("cannot read standard input: {e}"))
    } else {
        Ok(Bounded::Read(Vec::new()))
    };
    let lint_one = |input: &Input| match input {
        Input::File(path) => read_file(path, limit)
            .map(|read| lint(&validator, path.display().to_string(), read))
            .map_err(|e| format!("cannot read `{}`: {e}", path.display())),
        Input::Stdin => stdin
            .clone()
            .map(|read| lint(&validator, "<stdin>".to_owned(), read)),
        Input::Failed(message) => Err(message.clone()),
    };
    // A thread pool costs more than it saves on a few files (a pre-commit run on one commit).
    // Order is kept: `collect` on an indexed parallel iterator puts each result in its place.
    let linted: Vec<Result<FileReport, String>> = if inputs.len() < PARALLEL_FROM {
        inputs.iter().map(lint_one).collect()
    } else {
        inputs.par_iter().map(lint_one).collect()
    };

    let mut could_not_run = false;
    let mut results = Vec::with_capacity(linted.len());
    for result in linted {
        match result {
            Ok(report) => results.push(report),
            Err(message) => {
                eprintln!("cce-release-lint: {message}");
                could_not_run = true;
            }
        }
    }

    let color = cli.format == Format::Human
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut options = Options::default().color(color);
    if let Ok(dir) = std::env::current_dir() {
        options = options.root(dir);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let written =
        render::render_with(cli.format, &results, &options, &mut out).and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("cce-release-lint: cannot write the output: {e}");
        }
        return ExitCode::from(2);
    }
    if could_not_run {
        ExitCode::from(2)
    } else if results.iter().any(|r| !r.report.is_valid()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One thing to lint, found from the command line's paths.
enum Input {
    File(PathBuf),
    Stdin,
    /// A path that cannot be linted, and why.
    Failed(String),
}

/// The paths as inputs: files as given, directories as their `*.json` files (recursively,
/// sorted by name), `-` as standard input.
fn inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            json_files(path, &mut inputs);
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    inputs
}

/// The `*.json` files under `dir`, depth first with each directory's entries sorted by name.
/// Symbolic links to files are followed, links to directories are not (no cycles).
fn json_files(dir: &Path, inputs: &mut Vec<Input>) {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        match entry {
            Ok(entry) => {
                let is_json = entry.path().extension().is_some_and(|e| e == "json");
                let is_file = entry.file_type().is_file()
                    || (entry.path_is_symlink() && entry.path().is_file());
                if is_json && is_file {
                    found.push(entry.into_path());
                }
            }
            Err(e) => {
                let at = e.path().unwrap_or(dir);
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                inputs.push(Input::Failed(format!(
                    "cannot read `{}`: {why}",
                    at.display()
                )));
            }
        }
    }
    // Sorting whole paths by their components is depth first with sorted names, and cheaper
    // than sorting each directory as it is read (which parses two file names per comparison).
    let mut keyed: Vec<(Vec<u8>, PathBuf)> = found
        .into_iter()
        .map(|path| (component_key(&path), path))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    inputs.extend(keyed.into_iter().map(|(_, path)| Input::File(path)));
}

/// A sort key that orders paths as their components would (`a/b` before `a.json`) without
/// splitting them: the path's bytes, with the separator (which no name contains) as the lowest
/// byte. Computed once per path, so that sorting compares plain byte strings.
fn component_key(path: &Path) -> Vec<u8> {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&byte| {
            if std::path::is_separator(char::from(byte)) {
                0
            } else {
                byte
            }
        })
        .collect()
}

/// An input read up to the size limit.
#[derive(Clone)]
enum Bounded {
    Read(Vec<u8>),
    /// Over the limit: only its size was counted, nothing kept.
    TooLarge(usize),
}

/// Reads a file of up to `limit` bytes. A regular file's size is known before reading: one over
/// the limit is not read at all, and one within it is read into a buffer of its size in one
/// call (syscalls, not parsing, are most of the time on many small files). Anything else
/// (a pipe, a device, a file that grows while read) is read as a stream by [`read_bounded`].
fn read_file(path: &Path, limit: usize) -> io::Result<Bounded> {
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    let size = usize::try_from(metadata.len()).unwrap_or(usize::MAX);
    if !metadata.is_file() {
        return read_bounded(file, limit);
    }
    if size > limit {
        return Ok(Bounded::TooLarge(size));
    }
    // One byte more than the size: a read that fills it means the file grew, and the rest
    // is read as a stream.
    let mut bytes = vec![0; size + 1];
    let mut filled = 0;
    loop {
        // Retried only when interrupted by a signal before reading anything.
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if filled == bytes.len() {
            bytes.truncate(filled);
            return match read_bounded(file, limit.saturating_sub(filled))? {
                Bounded::Read(rest) => {
                    bytes.extend_from_slice(&rest);
                    Ok(Bounded::Read(bytes))
                }
                Bounded::TooLarge(rest) => Ok(Bounded::TooLarge(filled.saturating_add(rest))),
            };
        }
        // A regular file's short read is its end.
        break;
    }
    bytes.truncate(filled);
    Ok(Bounded::Read(bytes))
}

/// Reads at most `limit` bytes; beyond that, counts the rest without keeping it, so that an
/// oversized input costs no memory.
fn read_bounded(reader: impl Read, limit: usize) -> io::Result<Bounded> {
    let mut reader = reader;
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    (&mut reader).take(cap).read_to_end(&mut bytes)?;
    if bytes.len() <= limit {
        return Ok(Bounded::Read(bytes));
    }
    let rest = io::copy(&mut reader, &mut io::sink())?;
    let rest = usize::try_from(rest).unwrap_or(usize::MAX);
    Ok(Bounded::TooLarge(bytes.len().saturating_add(rest)))
}

fn lint(validator: &Validator, path: String, input: Bounded) -> FileReport {
    let bytes = match input {
        Bounded::Read(bytes) => bytes,
        Bounded::TooLarge(size) => return FileReport::new(path, None, validator.oversized(size)),
    };
    let report = validator.validate_bytes(&bytes);
    // The text is kept only to show source lines under findings.
    let source = if report.is_empty() {
        None
    } else {
        String::from_utf8(bytes).ok()
    };
    FileReport::new(path, source, report)
}

/// `64M`, `1G`, `512K`, `100000`: a size in bytes, suffixes in powers of 1024.
fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size: use bytes, or a number with K, M or G"
            ));
        }
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}` is not a size: use bytes, or a number with K, M or G"))
}

/// Writes `text` to standard output: exit status 0, or 2 when it cannot be written.
fn emit(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cce-release-lint: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}

/// `--explain`: the code's summary, then what it means, why, an example and the fix.
fn explain(code: Code) -> String {
    let e = code.explanation();
    let mut text = format!(
        "{code} ({} by default): {}\n",
        code.default_severity(),
        e.summary
    );
    for (title, body) in [("What it means", e.what), ("Why it matters", e.why)] {
        text.push_str(&format!("\n{title}\n{}", wrap(body)));
    }
    text.push_str(&format!("\nExample\n    {}\n", e.example));
    text.push_str(&format!("\nFix\n{}", wrap(e.fix)));
    text
}

/// Indents a paragraph by four spaces and wraps it at 88 columns, between words.
fn wrap(paragraph: &str) -> String {
    let mut text = String::new();
    let mut width = 0;
    for word in paragraph.split_whitespace() {
        if width > 0 && width + 1 + word.chars().count() > 84 {
            text.push('\n');
            width = 0;
        }
        if width == 0 {
            text.push_str("    ");
        } else {
            text.push(' ');
            width += 1;
        }
        text.push_str(word);
        width += word.chars().count();
    }
    text.push('\n');
    text
}
