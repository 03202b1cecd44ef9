//! `cce-release-lint`: lints release payload files. A thin layer: arguments → library → render
//! → exit status (0 clean, 1 findings with errors, 2 could not run).
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use rayon::prelude::*;

use cce_release::render::{FileReport, Format, Renderer, Settings, escape};
use cce_release::{Code, Kind, Report, Validator, schema};

const EXIT_STATUS: &str = "\
Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one error
  2  could not run: usage error, unreadable or missing file, unusable values schema or chart,
     unknown code";

const LONG_EXIT_STATUS: &str = "\
Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one error
  2  could not run: usage error, unreadable or missing file, unusable values schema or chart,
     unknown code (the other files are still linted and reported)

Directories are searched for regular `*.json` files; symbolic links inside them are not followed
unless --follow is given, and then never to anything outside the directories named. Paths named
on the command line are read as named.

`--explain CODE` tells what a code means, why it matters, an example and the fix.";

/// From how many inputs on files are linted in parallel.
const PARALLEL_FROM: usize = 4;
/// Files linted (in parallel) before their results are written, per thread: output is written
/// a chunk at a time, so memory holds one chunk's reports, not the run's.
const CHUNK_PER_THREAD: usize = 8;

/// Lint CCE Helm release payloads: request bodies and the API's answers.
#[derive(Debug, Parser)]
#[command(
    name = "cce-release-lint",
    version,
    after_help = EXIT_STATUS,
    after_long_help = LONG_EXIT_STATUS
)]
struct Cli {
    /// Files to lint; a directory is searched for regular `*.json` files (recursively, in sorted
    /// order, without following symbolic links unless --follow); `-` reads standard input.
    #[arg(value_name = "PATH", required_unless_present_any = ["print_schema", "explain", "list"])]
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

    /// The chart's values.schema.json, applied to /values (a `null` member removed first, as
    /// Helm's coalescing removes it).
    #[arg(long, value_name = "FILE", conflicts_with = "chart")]
    values_schema: Option<PathBuf>,

    /// The chart the release installs, a directory or a .tgz: values are checked as Helm checks
    /// them at install (coalesced over the chart's defaults, against its schema and its enabled
    /// subcharts' schemas), the body's version against the chart's, and the stored size with
    /// the chart's files.
    #[arg(long, value_name = "DIR|TGZ")]
    chart: Option<PathBuf>,

    /// The largest file read, in bytes (suffixes K, M, G: powers of 1024); a larger one is an
    /// `input_too_large` finding, and nothing past the limit is read.
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    max_input_size: usize,

    /// The largest values schema read, in bytes (suffixes K, M, G); a larger one is exit status 2.
    #[arg(long, value_name = "BYTES", default_value = "8M", value_parser = parse_size)]
    max_schema_size: usize,

    /// The deepest nesting of arrays and objects accepted (at most 127).
    #[arg(long, value_name = "LEVELS", default_value_t = Validator::DEFAULT_MAX_DEPTH,
          value_parser = clap::value_parser!(u16).range(1..=127).map(usize::from))]
    max_depth: usize,

    /// The most findings reported per file; one more finding says how many were left out.
    #[arg(long, value_name = "N", default_value_t = Validator::DEFAULT_MAX_FINDINGS,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    max_findings: usize,

    /// Follow symbolic links in the directories searched, but never to anything outside the
    /// directories named on the command line.
    #[arg(long)]
    follow: bool,

    /// Print the JSON Schema of a kind (the file committed under schemas/) and exit.
    #[arg(long, value_name = "KIND", value_parser = kinds(), conflicts_with_all = ["paths", "explain", "list"])]
    print_schema: Option<Kind>,

    /// Print what a code means, why it matters, an example and the fix, and exit.
    #[arg(
        long,
        value_name = "CODE",
        conflicts_with_all = ["paths", "list"],
        value_parser = PossibleValuesParser::new(
            Code::ALL.iter().map(|c| PossibleValue::new(c.as_str()).help(c.explanation().summary))
        )
        .try_map(|s| s.parse::<Code>())
    )]
    explain: Option<Code>,

    /// Print the finding codes, the payload kinds or the output formats as JSON, and exit.
    #[arg(long, value_name = "WHAT", conflicts_with = "paths",
          value_parser = ["codes", "kinds", "formats"])]
    list: Option<String>,
}

fn kinds() -> impl TypedValueParser<Value = Kind> {
    PossibleValuesParser::new(
        Kind::ALL
            .iter()
            .map(|&k| PossibleValue::new(k.name()).help(k.summary())),
    )
    .try_map(|s| s.parse::<Kind>())
}

/// Prints a message of the linter on standard error, escaped: it may quote file names and a
/// chart schema's text.
fn complain(message: &str) {
    eprintln!("cce-release-lint: {}", escape::stderr(message));
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            eprint!("{}", usage_error(&e));
            return ExitCode::from(2);
        }
        Err(e) => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    if let Some(kind) = cli.print_schema {
        return emit(&schema::schema_text(kind));
    }
    if let Some(code) = cli.explain {
        return emit(&explain(code));
    }
    if let Some(what) = &cli.list {
        return emit(&list(what));
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
        match values_schema(&validator, path, cli.max_schema_size) {
            Ok(v) => validator = v,
            Err(message) => {
                complain(&message);
                return ExitCode::from(2);
            }
        }
    }

    if let Some(path) = &cli.chart {
        match cce_release::chart::Chart::load(path).and_then(|chart| validator.clone().chart(chart))
        {
            Ok(v) => validator = v,
            Err(e) => {
                complain(&e.to_string());
                return ExitCode::from(2);
            }
        }
    }

    let inputs = inputs(&cli.paths, cli.follow);
    let linter = Linter {
        validator,
        limit: cli.max_input_size,
        // Source lines are shown by `human` only; the other formats keep none.
        keep_source: cli.format == Format::Human,
    };
    let stdin = inputs
        .iter()
        .any(|i| matches!(i, Input::Stdin))
        .then(|| lint_stdin(&linter));
    let lint_one = |input: &Input| match input {
        Input::File { path, walked } => lint_file(&linter, path, walked.as_ref())
            .map_err(|e| format!("cannot read `{}`: {e}", path.display())),
        Input::Stdin => stdin
            .clone()
            .unwrap_or_else(|| Err("standard input was not read".to_owned())),
        Input::Failed(message) => Err(message.clone()),
    };

    let color = cli.format == Format::Human
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut options = Settings::default().color(color);
    if let Ok(dir) = std::env::current_dir() {
        options = options.root(dir);
    }
    let mut renderer = Renderer::new(cli.format, options);
    let mut out = BufWriter::new(io::stdout().lock());
    let mut could_not_run = false;
    let mut any_error = false;
    // A thread pool costs more than it saves on a few files (a pre-commit run on one commit).
    // Order is kept: `collect` on an indexed parallel iterator puts each result in its place,
    // and chunks are written in order as each is done.
    let parallel = inputs.len() >= PARALLEL_FROM;
    let chunk = if parallel {
        rayon::current_num_threads().max(1) * CHUNK_PER_THREAD
    } else {
        PARALLEL_FROM
    };
    let mut written = Ok(());
    for part in inputs.chunks(chunk) {
        let linted: Vec<Result<FileReport, String>> = if parallel {
            part.par_iter().map(lint_one).collect()
        } else {
            part.iter().map(lint_one).collect()
        };
        for result in linted {
            match result {
                Ok(file) => {
                    any_error |= !file.report.is_valid();
                    if written.is_ok() {
                        written = renderer.file(&file, &mut out);
                    }
                }
                Err(message) => {
                    complain(&message);
                    could_not_run = true;
                }
            }
        }
        if written.is_err() {
            break;
        }
    }
    let written = written
        .and_then(|()| renderer.finish(&mut out).map(drop))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            complain(&format!("cannot write the output: {e}"));
        }
        return ExitCode::from(2);
    }
    if could_not_run {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A usage error quotes arguments as they were given (less what clap strips), so it is
/// rendered again from the arguments escaped: a line break in an argument cannot start a line.
/// Every line is escaped too, the error's own line breaks kept.
fn usage_error(error: &clap::Error) -> String {
    let escaped: Vec<String> = std::env::args_os()
        .map(|arg| escape::stderr(&arg.to_string_lossy()).into_owned())
        .collect();
    let text = match Cli::try_parse_from(escaped) {
        Err(again) if again.kind() == error.kind() => again.render().to_string(),
        _ => error.render().to_string(),
    };
    escape_lines(&text)
}

/// Each line of a message escaped for standard error, the line breaks kept.
fn escape_lines(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        escaped.push_str(&escape::stderr(body));
        escaped.push_str(end);
    }
    escaped
}

/// The validator with the chart's values schema, read up to `limit` bytes.
fn values_schema(validator: &Validator, path: &Path, limit: usize) -> Result<Validator, String> {
    let cannot = |e: io::Error| format!("cannot read `{}`: {e}", path.display());
    let too_large = || {
        format!(
            "`{}`: the values schema is larger than the maximum of {limit} bytes \
             (--max-schema-size)",
            path.display()
        )
    };
    let file = File::open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if metadata.is_file() && metadata.len() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(cap(limit))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limit {
        return Err(too_large());
    }
    validator
        .clone()
        .values_schema_bytes(&bytes)
        .map_err(|e| format!("`{}`: {e}", path.display()))
}

/// One thing to lint, found from the command line's paths.
enum Input {
    /// A file named on the command line (read as named), or found in a directory.
    File {
        path: PathBuf,
        walked: Option<Walked>,
    },
    Stdin,
    /// A path that cannot be linted, and why.
    Failed(String),
}

/// What a directory walk saw of a file, checked again once it is open: a file swapped for a
/// link, a pipe or another file between the walk and the read is not read.
struct Walked {
    /// The file to open: the walked path, or with --follow the checked target of a link.
    open: PathBuf,
    /// The inode the directory listed, where the platform has them.
    inode: Option<u64>,
}

/// The paths as inputs: files as given, directories as their regular `*.json` files
/// (recursively, sorted by name), `-` as standard input.
fn inputs(paths: &[PathBuf], follow: bool) -> Vec<Input> {
    let mut inputs = Vec::new();
    // With --follow, links may lead anywhere under any directory named, and nowhere else.
    let roots: Vec<PathBuf> = if follow {
        paths
            .iter()
            .filter(|p| p.is_dir())
            .filter_map(|p| p.canonicalize().ok())
            .collect()
    } else {
        Vec::new()
    };
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            json_files(path, follow.then_some(&roots[..]), &mut inputs);
        } else {
            inputs.push(Input::File {
                path: path.clone(),
                walked: None,
            });
        }
    }
    inputs
}

/// The regular `*.json` files under `dir`, depth first with each directory's entries sorted by
/// name. Symbolic links are not followed (neither to files nor to directories), and pipes,
/// devices and sockets are not read, unless `follow` gives the canonical directories that links
/// may lead into; a link that leads elsewhere, or back into its own ancestry, is skipped with a
/// note.
fn json_files(dir: &Path, follow: Option<&[PathBuf]>, inputs: &mut Vec<Input>) {
    let mut found = Vec::new();
    let inside = |path: &Path| -> Option<PathBuf> {
        let roots = follow?;
        let real = path.canonicalize().ok()?;
        roots
            .iter()
            .any(|root| real.starts_with(root))
            .then_some(real)
    };
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(follow.is_some())
        .into_iter()
        .filter_entry(|entry| {
            // A followed link to a directory outside the roots is not even listed.
            let outside = entry.path_is_symlink()
                && entry.file_type().is_dir()
                && inside(entry.path()).is_none();
            if outside {
                complain(&format!(
                    "skipped `{}`: the link leads outside the directories named",
                    entry.path().display()
                ));
            }
            !outside
        });
    for entry in walk {
        match entry {
            Ok(entry) => {
                let is_json = entry.path().extension().is_some_and(|e| e == "json");
                if !is_json || !entry.file_type().is_file() {
                    continue;
                }
                let open = if entry.path_is_symlink() {
                    match inside(entry.path()) {
                        Some(real) => real,
                        None => {
                            complain(&format!(
                                "skipped `{}`: the link leads outside the directories named",
                                entry.path().display()
                            ));
                            continue;
                        }
                    }
                } else {
                    entry.path().to_path_buf()
                };
                let inode = if entry.path_is_symlink() {
                    None
                } else {
                    inode_of(&entry)
                };
                found.push((entry.into_path(), Walked { open, inode }));
            }
            Err(e) if e.loop_ancestor().is_some() => {
                let at = e.path().unwrap_or(dir);
                complain(&format!(
                    "skipped `{}`: the link loops back to a directory above it",
                    at.display()
                ));
            }
            // With --follow, a link that leads nowhere is not an unreadable payload: noted if
            // it is named like one, otherwise left alone, as links are without --follow.
            Err(e) if e.path().is_some_and(|p| p.is_symlink() && !p.exists()) => {
                let at = e.path().unwrap_or(dir);
                if at.extension().is_some_and(|e| e == "json") {
                    complain(&format!(
                        "skipped `{}`: the link leads nowhere",
                        at.display()
                    ));
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
    let mut keyed: Vec<(Vec<u8>, PathBuf, Walked)> = found
        .into_iter()
        .map(|(path, walked)| (component_key(&path), path, walked))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    inputs.extend(keyed.into_iter().map(|(_, path, walked)| Input::File {
        path,
        walked: Some(walked),
    }));
}

#[cfg(unix)]
fn inode_of(entry: &walkdir::DirEntry) -> Option<u64> {
    use walkdir::DirEntryExt;
    Some(entry.ino())
}

#[cfg(not(unix))]
fn inode_of(_entry: &walkdir::DirEntry) -> Option<u64> {
    None
}

#[cfg(unix)]
fn inode_of_open(metadata: &std::fs::Metadata) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    Some(metadata.ino())
}

#[cfg(not(unix))]
fn inode_of_open(_metadata: &std::fs::Metadata) -> Option<u64> {
    None
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

/// What reading an input gave.
enum Bytes {
    /// The whole input, within the limit: a regular file or standard input, whose text may be
    /// shown under findings.
    Text(Vec<u8>),
    /// The report of an input whose text is not kept: over the limit, or a stream (a pipe, a
    /// device) named on the command line, which is validated as it is read and never shown.
    Report(Report),
}

/// The bytes to read at most: the limit and one more, to tell an input at the limit from a
/// longer one.
fn cap(limit: usize) -> u64 {
    u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1)
}

/// The validator, and what the linter needs to know beside it.
struct Linter {
    validator: Validator,
    /// The validator's `max_input_size`.
    limit: usize,
    /// Whether to keep the source lines under findings (only `human` shows them).
    keep_source: bool,
}

/// Lints a file: a regular one is read whole if its size is within the limit (and not at all
/// otherwise); anything else named on the command line (a pipe, a device) is validated as a
/// stream of at most the limit and one byte, and its text never shown.
fn lint_file(linter: &Linter, path: &Path, walked: Option<&Walked>) -> io::Result<FileReport> {
    let validator = &linter.validator;
    let name = path.display().to_string();
    let file = File::open(walked.map_or(path, |w| &w.open))?;
    let metadata = file.metadata()?;
    if let Some(walked) = walked {
        let same = walked
            .inode
            .is_none_or(|inode| inode_of_open(&metadata).is_none_or(|open| open == inode));
        if !metadata.is_file() || !same {
            return Err(io::Error::other(
                "it changed between the directory listing and the read",
            ));
        }
    }
    let read = if metadata.is_file() {
        read_regular(linter, file, metadata.len())?
    } else {
        Bytes::Report(validator.validate_reader(file)?)
    };
    Ok(lint(linter, name, read))
}

/// Standard input, read and linted once (it may be named more than once).
fn lint_stdin(linter: &Linter) -> Result<FileReport, String> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(cap(linter.limit))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let read = within(linter, bytes).map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok(lint(linter, "<stdin>".to_owned(), read))
}

/// `bytes` read with [`cap`]: kept when within the limit, the library's `input_too_large`
/// report when not.
fn within(linter: &Linter, bytes: Vec<u8>) -> io::Result<Bytes> {
    if bytes.len() > linter.limit {
        // The library's own wording for an input cut at the limit.
        return linter
            .validator
            .validate_reader(bytes.as_slice())
            .map(Bytes::Report);
    }
    Ok(Bytes::Text(bytes))
}

/// Reads a regular file whose metadata gives `size`: over the limit, not at all; within it, in
/// one call into a buffer of its size (syscalls, not parsing, are most of the time on many
/// small files), then at most up to the limit and one byte if it grew meanwhile.
fn read_regular(linter: &Linter, mut file: File, size: u64) -> io::Result<Bytes> {
    let limit = linter.limit;
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    if size > limit {
        return Ok(Bytes::Report(linter.validator.oversized(size)));
    }
    // One byte more than the size: a read that fills it means the file grew.
    let mut bytes = vec![0; size + 1];
    let mut filled = 0;
    loop {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            // Retried only when interrupted by a signal before reading anything.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if filled == bytes.len() {
            bytes.truncate(filled);
            let rest = cap(limit).saturating_sub(u64::try_from(filled).unwrap_or(u64::MAX));
            file.take(rest).read_to_end(&mut bytes)?;
            return within(linter, bytes);
        }
        // A regular file's short read is its end.
        break;
    }
    bytes.truncate(filled);
    Ok(Bytes::Text(bytes))
}

fn lint(linter: &Linter, path: String, read: Bytes) -> FileReport {
    match read {
        Bytes::Report(report) => FileReport::new(path, None, report),
        Bytes::Text(bytes) => {
            let report = linter.validator.validate_bytes(&bytes);
            // Only the windows of the lines under findings are kept, not the text.
            let source = if linter.keep_source {
                std::str::from_utf8(&bytes).ok()
            } else {
                None
            };
            FileReport::new(path, source, report)
        }
    }
}

/// `--list codes|kinds|formats`: a JSON array, for scripts that would otherwise copy the lists.
fn list(what: &str) -> String {
    let items: Vec<serde_json::Value> = match what {
        "codes" => Code::ALL
            .iter()
            .map(|&code| {
                serde_json::json!({
                    "code": code.as_str(),
                    "severity": code.default_severity().to_string(),
                    "summary": code.explanation().summary,
                })
            })
            .collect(),
        "kinds" => Kind::ALL
            .iter()
            .map(|&kind| {
                serde_json::json!({
                    "kind": kind.name(),
                    "summary": kind.summary(),
                    "schema": kind.schema_file(),
                })
            })
            .collect(),
        _ => Format::ALL
            .iter()
            .map(|&(name, format)| serde_json::json!({"format": name, "summary": format.summary()}))
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_default();
    text.push('\n');
    text
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
