//! `cce-release-lint`: lints release payload files. A thin layer: arguments → library → render
//! → exit status (0 clean, 1 findings with errors, 2 could not run).
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use cce_release::render::{self, FileReport, Format};
use cce_release::{Kind, Validator};

const AFTER_HELP: &str = "\
Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one error
  2  could not run: usage error, unreadable or missing file, unusable values schema";

/// Lint CCE Helm release payloads (create-release bodies and release responses).
#[derive(Debug, Parser)]
#[command(name = "cce-release-lint", version, after_help = AFTER_HELP)]
struct Cli {
    /// Files to lint; `-` reads standard input.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Which payload the files are.
    #[arg(
        long,
        value_name = "KIND",
        default_value = "create-request",
        value_parser = PossibleValuesParser::new(Kind::ALL.iter().map(|k| k.name()))
            .try_map(|s| s.parse::<Kind>())
    )]
    kind: Kind,

    /// Output format.
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "human",
        value_parser = PossibleValuesParser::new(Format::ALL.iter().map(|(n, _)| *n))
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut validator = Validator::new(cli.kind).strict(cli.strict);
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

    let mut could_not_run = false;
    let mut results = Vec::new();
    for path in &cli.paths {
        let (name, bytes) = if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            match io::stdin().read_to_end(&mut bytes) {
                Ok(_) => ("<stdin>".to_owned(), bytes),
                Err(e) => {
                    eprintln!("cce-release-lint: cannot read standard input: {e}");
                    could_not_run = true;
                    continue;
                }
            }
        } else {
            match std::fs::read(path) {
                Ok(bytes) => (path.display().to_string(), bytes),
                Err(e) => {
                    eprintln!("cce-release-lint: cannot read `{}`: {e}", path.display());
                    could_not_run = true;
                    continue;
                }
            }
        };
        let report = validator.validate_bytes(&bytes);
        let source = String::from_utf8(bytes).ok();
        results.push(FileReport::new(name, source, report));
    }

    let stdout = io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = render::render(cli.format, &results, &mut out).and_then(|()| out.flush()) {
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
