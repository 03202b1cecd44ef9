//! `cce-release-lint`: lints release payload files. A thin layer: arguments → library → render
//! → exit status (0 clean, 1 findings with errors, 2 could not run).
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod config;
mod fixing;
mod server;

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser, ValueEnum};
use rayon::prelude::*;

use cce_release::render::{FileReport, Format, Renderer, Settings, escape};
use cce_release::{Code, Kind, Options, Report, Validator, detect, schema};
use config::{ConfigError, FileSettings, KindChoice, Lookup};

const EXIT_STATUS: &str = "\
Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one error
  2  could not run: usage error, bad configuration, unreadable or missing file, unusable values
     schema or chart, unknown code";

const LONG_EXIT_STATUS: &str = "\
Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one error
  2  could not run: usage error, bad configuration, unreadable or missing file, unusable values
     schema or chart, unknown code (the other files are still linted and reported)

Directories are searched for regular `*.json`, `*.yaml` and `*.yml` files, hidden ones left out;
symbolic links inside them are not followed unless --follow is given, and then never to anything
outside the directories named. Paths named on the command line are read as named.

Each file's settings come from the nearest `cce-release.toml` (or `.cce-release.toml`) found from
its folder upward to the repository root; options on the command line win over it. `--kind auto`
(the default when neither names a kind) tells the kind from the payload's members.

`--explain CODE` tells what a code means, why it matters, an example and the fix.";

/// From how many inputs on files are linted in parallel.
const PARALLEL_FROM: usize = 4;
/// Files linted (in parallel) before their results are written, per thread: output is written
/// a chunk at a time, so memory holds one chunk's reports, not the run's.
const CHUNK_PER_THREAD: usize = 8;
/// Default of `--max-schema-size`.
const DEFAULT_MAX_SCHEMA_SIZE: usize = 8 << 20;

/// Lint CCE Helm release payloads (JSON and YAML): request bodies and the API's answers.
#[derive(Debug, Parser)]
#[command(
    name = "cce-release-lint",
    version,
    after_help = EXIT_STATUS,
    after_long_help = LONG_EXIT_STATUS
)]
struct Cli {
    /// Files to lint; a directory is searched for regular `*.json`, `*.yaml` and `*.yml` files
    /// (recursively, in sorted order, hidden ones and symbolic links left out unless --follow);
    /// `-` reads standard input.
    #[arg(value_name = "PATH", required_unless_present_any = ["print_schema", "explain", "list", "generate", "show_settings"])]
    paths: Vec<PathBuf>,

    /// Which payload the files are; `auto` (the default unless the configuration names one)
    /// decides from each payload's members.
    #[arg(long, value_name = "KIND", value_parser = kind_choices())]
    kind: Option<KindChoice>,

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

    /// Report only these codes (comma-separated; replaces the configuration's `select`).
    #[arg(long, value_name = "CODE,...", value_delimiter = ',', value_parser = code_parser())]
    select: Vec<Code>,

    /// Do not report these codes (comma-separated; added to the configuration's `ignore`).
    #[arg(long, value_name = "CODE,...", value_delimiter = ',', value_parser = code_parser())]
    ignore: Vec<Code>,

    /// The configuration file for every input, instead of the one found next to each file.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,

    /// The directory SARIF locations and GitHub annotations are relative to (default: the git
    /// top level of the current directory, else the current directory).
    #[arg(long, value_name = "DIR")]
    base_dir: Option<PathBuf>,

    /// The name standard input is linted under: its configuration, its format (`.yaml` and
    /// `.yml` are YAML) and its name in the output.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,

    /// Print only the findings: no summary line.
    #[arg(long, short)]
    quiet: bool,

    /// Print how many findings each code has, instead of the findings (`human` and `json`).
    #[arg(long)]
    statistics: bool,

    /// Apply the safe fixes and write the files (atomically, permissions kept); the findings
    /// that remain are reported and set the exit status. A file that does not parse is never
    /// written.
    #[arg(long, conflicts_with_all = ["diff", "statistics"])]
    fix: bool,

    /// With --fix or --diff: apply the unsafe fixes too (near-miss names and values).
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print what --fix would change as a unified diff (values under secret-looking keys
    /// masked), instead of the findings; write nothing. The exit status is that of the findings
    /// that would remain.
    #[arg(long, conflicts_with = "statistics")]
    diff: bool,

    /// Colour in `human` output: `auto` colours a terminal unless NO_COLOR is set (FORCE_COLOR
    /// or CLICOLOR_FORCE colour any output, CLICOLOR=0 none).
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorWhen,

    /// The largest file read, in bytes (suffixes K, M, G: powers of 1024; default 64M); a larger
    /// one is an `input_too_large` finding, and nothing past the limit is read. A YAML file is held
    /// to a 16th of it (4M by default).
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    max_input_size: Option<usize>,

    /// The largest values schema read, in bytes (suffixes K, M, G; default 8M); a larger one is
    /// exit status 2.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    max_schema_size: Option<usize>,

    /// The deepest nesting of arrays and objects accepted (at most 127, the default).
    #[arg(long, value_name = "LEVELS",
          value_parser = clap::value_parser!(u16).range(1..=127).map(usize::from))]
    max_depth: Option<usize>,

    /// The most findings reported per file (default 1000); one more finding says how many were
    /// left out.
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    max_findings: Option<usize>,

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

    /// Print the settings a file gets (its configuration, then the command line) as JSON, and
    /// exit.
    #[arg(long, value_name = "PATH", conflicts_with = "paths")]
    show_settings: Option<PathBuf>,

    /// Print the man page or a shell's completions, made from these definitions, and exit.
    #[arg(long, value_name = "WHAT", conflicts_with = "paths")]
    generate: Option<Generate>,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    /// On a terminal, unless NO_COLOR (or CLICOLOR=0) says otherwise; FORCE_COLOR or
    /// CLICOLOR_FORCE colour any output.
    Auto,
    Always,
    Never,
}

/// `--generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Generate {
    /// The man page (roff).
    Man,
    /// Completions for bash.
    CompleteBash,
    /// Completions for zsh.
    CompleteZsh,
    /// Completions for fish.
    CompleteFish,
    /// Completions for PowerShell.
    CompletePowershell,
    /// Completions for elvish.
    CompleteElvish,
}

fn kind_choices() -> impl TypedValueParser<Value = KindChoice> {
    PossibleValuesParser::new(
        std::iter::once(
            PossibleValue::new("auto").help("decided from each payload's members (the default)"),
        )
        .chain(
            Kind::ALL
                .iter()
                .map(|&k| PossibleValue::new(k.name()).help(k.summary())),
        ),
    )
    .map(|s| KindChoice::parse(&s).unwrap_or(KindChoice::Auto))
}

/// A code of `--select` and `--ignore`: an unknown one is a usage error, with a suggestion.
fn code_parser() -> impl TypedValueParser<Value = Code> {
    clap::builder::StringValueParser::new().try_map(|s: String| {
        s.trim().parse::<Code>().map_err(|_| {
            format!(
                "unknown code `{}`{} (`cce-release-lint --list codes` lists them)",
                s,
                config::suggest(&s, Code::ALL.iter().map(|c| c.as_str()))
            )
        })
    })
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
    // `cce-release-lint server`: the language server (editors also pass `--stdio`).
    if std::env::args_os().nth(1).is_some_and(|a| a == "server") {
        return server::run();
    }
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
    if let Some(what) = cli.generate {
        return emit(&generate(what));
    }
    if cli.statistics && !matches!(cli.format, Format::Human | Format::Json) {
        complain("--statistics prints `human` or `json`, not this format");
        return ExitCode::from(2);
    }
    let lookup = if cli.no_config {
        Ok(Lookup::none())
    } else if let Some(path) = &cli.config {
        Lookup::fixed(path)
    } else {
        Ok(Lookup::discover())
    };
    let mut lookup = match lookup {
        Ok(lookup) => lookup,
        Err(e) => return config_error(&e),
    };
    if let Some(path) = &cli.show_settings {
        return match lookup.settings(path) {
            Ok(settings) => emit(&show_settings(&cli, path, &settings)),
            Err(e) => config_error(&e),
        };
    }

    // Every input with its settings, before anything is linted: a bad configuration or values
    // schema stops the run (exit 2) before any output.
    let mut planner = Planner::default();
    let mut planned = Vec::new();
    for input in inputs(&cli.paths, cli.follow) {
        let named = match &input {
            Input::File { path, .. } => path.clone(),
            Input::Stdin => cli
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("-")),
            Input::Failed(_) => {
                planned.push((input, None));
                continue;
            }
        };
        let settings = match lookup.settings(&named) {
            Ok(settings) => settings,
            Err(e) => return config_error(&e),
        };
        // Files the configuration leaves out are not linted, even when named (a pre-commit
        // hook names every staged file); standard input always is.
        if !settings.included && !matches!(input, Input::Stdin) {
            continue;
        }
        let plan = match planner.plan(&cli, &settings, is_yaml(&named)) {
            Ok(plan) => plan,
            Err(message) => {
                complain(&message);
                return ExitCode::from(2);
            }
        };
        planned.push((input, Some(plan)));
    }
    let inputs = planned;

    let keep_source = cli.format == Format::Human && !cli.statistics;
    let stdin_name = cli
        .stdin_filename
        .as_ref()
        .map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let allowed = if cli.unsafe_fixes {
        cce_release::fix::Applicability::Unsafe
    } else {
        cce_release::fix::Applicability::Safe
    };
    let fix_mode = if cli.diff {
        Some(fixing::Mode::Diff(allowed))
    } else if cli.fix {
        Some(fixing::Mode::Write(allowed))
    } else {
        None
    };
    let stdin = inputs
        .iter()
        .find(|(i, _)| matches!(i, Input::Stdin))
        .and_then(|(_, plan)| plan.clone())
        .map(|plan| lint_stdin(&plan, &stdin_name, keep_source, fix_mode));
    let lint_one = |(input, plan): &(Input, Option<Arc<Plan>>)| match (input, plan) {
        (Input::File { path, walked }, Some(plan)) => {
            lint_file(plan, path, walked.as_ref(), keep_source, fix_mode)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))
        }
        (Input::Stdin, _) => stdin
            .clone()
            .unwrap_or_else(|| Err("standard input was not read".to_owned())),
        (Input::Failed(message), _) => Err(message.clone()),
        (Input::File { path, .. }, None) => Err(format!("cannot lint `{}`", path.display())),
    };

    let current_dir = std::env::current_dir().ok();
    let root = cli
        .base_dir
        .as_deref()
        .map(config::absolute)
        .or_else(|| current_dir.as_deref().map(repository_root));
    let mut options = Settings::default()
        .color(cli.format == Format::Human && color(cli.color))
        .quiet(cli.quiet);
    if let Some(root) = root {
        options = options.root(root);
    }
    if let Some(dir) = current_dir {
        options = options.current_dir(dir);
    }
    let mut renderer = Renderer::new(cli.format, options);
    let mut statistics: BTreeMap<usize, (Code, usize, usize)> = BTreeMap::new();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut could_not_run = false;
    let mut any_error = false;
    let mut summary = cce_release::render::Summary::default();
    let (mut fixes_applied, mut files_fixed) = (0usize, 0usize);
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
        let linted: Vec<Result<Linted, String>> = if parallel {
            part.par_iter().map(lint_one).collect()
        } else {
            part.iter().map(lint_one).collect()
        };
        for result in linted {
            match result {
                Ok((file, diff, applied)) => {
                    any_error |= !file.report.is_valid();
                    fixes_applied += applied;
                    files_fixed += usize::from(applied > 0);
                    if let Some(diff) = diff {
                        if written.is_ok() {
                            written = out.write_all(diff.as_bytes());
                        }
                    } else if cli.statistics {
                        summary.add(&file.report);
                        for d in file.report.iter() {
                            let index = Code::ALL.iter().position(|&c| c == d.code).unwrap_or(0);
                            let entry = statistics.entry(index).or_insert((d.code, 0, 0));
                            entry.1 += 1;
                            if d.severity == cce_release::Severity::Error {
                                entry.2 += 1;
                            }
                        }
                    } else if written.is_ok() {
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
    if cli.fix && !cli.quiet {
        complain(&format!(
            "{fixes_applied} {} applied in {files_fixed} {}",
            if fixes_applied == 1 { "fix" } else { "fixes" },
            if files_fixed == 1 { "file" } else { "files" },
        ));
    }
    let written = if cli.diff {
        written
    } else if cli.statistics {
        written
            .and_then(|()| out.write_all(print_statistics(&cli, &statistics, &summary).as_bytes()))
    } else {
        written.and_then(|()| renderer.finish(&mut out).map(drop))
    };
    let written = written.and_then(|()| out.flush());
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

/// A bad configuration: its file, line and column, and what is wrong; exit status 2.
fn config_error(e: &ConfigError) -> ExitCode {
    complain(&e.to_string());
    ExitCode::from(2)
}

/// Whether a file is read as YAML: by its name.
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Whether `--color` (and the environment) asks for colour on standard output.
fn color(when: ColorWhen) -> bool {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let off = |v: &std::ffi::OsStr| v == "0" || v.eq_ignore_ascii_case("false");
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            if var("NO_COLOR").is_some() {
                false
            } else if var("FORCE_COLOR").is_some_and(|v| !off(&v))
                || var("CLICOLOR_FORCE").is_some_and(|v| !off(&v))
            {
                true
            } else if var("CLICOLOR").is_some_and(|v| off(&v)) {
                false
            } else {
                io::stdout().is_terminal()
            }
        }
    }
}

/// The git top level of `dir` (the nearest folder upward holding `.git`), else `dir`.
fn repository_root(dir: &Path) -> PathBuf {
    let dir = config::absolute(dir);
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map_or_else(|| dir.clone(), Path::to_path_buf)
}

/// How a file is linted: its kind and the validator's options.
#[derive(Debug)]
struct Plan {
    kind: KindChoice,
    yaml: bool,
    options: Options,
    /// `max_input_size`.
    limit: usize,
}

/// A file's settings after the command line: what makes two plans the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Effective {
    kind: KindChoice,
    strict: bool,
    cluster_id: Option<String>,
    values_schema: Option<PathBuf>,
    chart: Option<PathBuf>,
    select: Option<Vec<Code>>,
    ignore: Vec<Code>,
    max_input_size: usize,
    max_schema_size: usize,
    max_depth: usize,
    max_findings: usize,
}

impl std::hash::Hash for KindChoice {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            KindChoice::Auto => "auto".hash(state),
            KindChoice::Kind(kind) => kind.name().hash(state),
        }
    }
}

/// The command line over a file's configured settings.
fn effective(cli: &Cli, file: &FileSettings) -> Effective {
    let s = &file.settings;
    let mut ignore = s.ignore.clone().unwrap_or_default();
    ignore.extend(cli.ignore.iter().copied());
    Effective {
        kind: cli.kind.or(s.kind).unwrap_or(KindChoice::Auto),
        strict: cli.strict || s.strict.unwrap_or(false),
        cluster_id: cli.cluster_id.clone().or_else(|| s.cluster_id.clone()),
        values_schema: if cli.chart.is_some() {
            None
        } else {
            cli.values_schema
                .clone()
                .or_else(|| s.values_schema.clone())
        },
        // The command line's schema or chart replaces the configuration's, whichever it names.
        chart: if cli.values_schema.is_some() {
            None
        } else {
            cli.chart.clone().or_else(|| s.chart.clone())
        },
        select: if cli.select.is_empty() {
            s.select.clone()
        } else {
            Some(cli.select.clone())
        },
        ignore,
        max_input_size: cli
            .max_input_size
            .or(file.limits.max_input_size)
            .unwrap_or(Options::DEFAULT_MAX_INPUT_SIZE),
        max_schema_size: cli
            .max_schema_size
            .or(file.limits.max_schema_size)
            .unwrap_or(DEFAULT_MAX_SCHEMA_SIZE),
        max_depth: cli
            .max_depth
            .or(file.limits.max_depth)
            .unwrap_or(Options::DEFAULT_MAX_DEPTH),
        max_findings: cli
            .max_findings
            .or(file.limits.max_findings)
            .unwrap_or(Options::DEFAULT_MAX_FINDINGS),
    }
}

/// Plans, one per distinct set of settings (a chart's schema is compiled once).
#[derive(Default)]
struct Planner {
    plans: HashMap<(Effective, bool), Arc<Plan>>,
}

impl Planner {
    fn plan(&mut self, cli: &Cli, file: &FileSettings, yaml: bool) -> Result<Arc<Plan>, String> {
        let e = effective(cli, file);
        if let Some(plan) = self.plans.get(&(e.clone(), yaml)) {
            return Ok(Arc::clone(plan));
        }
        let mut options = Options::default()
            .strict(e.strict)
            .max_input_size(e.max_input_size)
            .max_depth(e.max_depth)
            .max_findings(e.max_findings);
        if let Some(select) = &e.select {
            options = options.select(select.iter().copied());
        }
        options = options.ignore(e.ignore.iter().copied());
        if let Some(id) = &e.cluster_id {
            options = options.cluster_id(id);
        }
        if let Some(path) = &e.values_schema {
            options = values_schema(options, path, e.max_schema_size)?;
        }
        if let Some(path) = &e.chart {
            if e.values_schema.is_some() {
                return Err(format!(
                    "both a values schema and a chart (`{}`) apply to this file: give one",
                    path.display()
                ));
            }
            // Loaded once per plan: every file with these settings shares it.
            options = cce_release::chart::Chart::load(path)
                .and_then(|chart| options.chart(chart))
                .map_err(|e| e.to_string())?;
        }
        let plan = Arc::new(Plan {
            kind: e.kind,
            yaml,
            options,
            limit: e.max_input_size,
        });
        self.plans.insert((e, yaml), Arc::clone(&plan));
        Ok(plan)
    }
}

/// `--show-settings PATH`: the settings the file gets, as JSON.
fn show_settings(cli: &Cli, path: &Path, file: &FileSettings) -> String {
    let e = effective(cli, file);
    let codes = |codes: &[Code]| codes.iter().map(|c| c.as_str()).collect::<Vec<_>>();
    let value = serde_json::json!({
        "path": path.display().to_string(),
        "config": file.config.as_ref().map(|p| p.display().to_string()),
        "linted": file.included,
        "format": if is_yaml(path) { "yaml" } else { "json" },
        "kind": match e.kind {
            KindChoice::Auto => "auto",
            KindChoice::Kind(kind) => kind.name(),
        },
        "strict": e.strict,
        "cluster_id": e.cluster_id,
        "values_schema": e.values_schema.map(|p| p.display().to_string()),
        "chart": e.chart.map(|p| p.display().to_string()),
        "select": e.select.as_deref().map(codes),
        "ignore": codes(&e.ignore),
        "max_input_size": e.max_input_size,
        "max_schema_size": e.max_schema_size,
        "max_depth": e.max_depth,
        "max_findings": e.max_findings,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    escape_lines(&text)
}

/// `--statistics`: findings per code.
fn print_statistics(
    cli: &Cli,
    counts: &BTreeMap<usize, (Code, usize, usize)>,
    summary: &cce_release::render::Summary,
) -> String {
    if cli.format == Format::Json {
        let rows: Vec<serde_json::Value> = counts
            .values()
            .map(|&(code, count, errors)| {
                serde_json::json!({
                    "code": code.as_str(),
                    "count": count,
                    "errors": errors,
                    "warnings": count - errors,
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let mut text = String::new();
    let width = counts
        .values()
        .map(|(_, n, _)| n.to_string().len())
        .max()
        .unwrap_or(1);
    for &(code, count, errors) in counts.values() {
        let severity = match (errors, count - errors) {
            (0, _) => "warning",
            (_, 0) => "error",
            _ => "error, warning",
        };
        text.push_str(&format!(
            "{count:>width$}  {:<24} {severity:<8}  {}\n",
            code.as_str(),
            code.explanation().summary
        ));
    }
    if !cli.quiet {
        text.push_str(&format!(
            "{} {} checked: {} valid, {} {}, {} {}\n",
            summary.files,
            if summary.files == 1 { "file" } else { "files" },
            summary.valid,
            summary.errors,
            if summary.errors == 1 {
                "error"
            } else {
                "errors"
            },
            summary.warnings,
            if summary.warnings == 1 {
                "warning"
            } else {
                "warnings"
            },
        ));
    }
    text
}

/// `--generate`: the man page or completions, from the argument definitions.
fn generate(what: Generate) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    let shell = match what {
        Generate::Man => {
            let _ = clap_mangen::Man::new(command).render(&mut out);
            return String::from_utf8_lossy(&out).into_owned();
        }
        Generate::CompleteBash => clap_complete::Shell::Bash,
        Generate::CompleteZsh => clap_complete::Shell::Zsh,
        Generate::CompleteFish => clap_complete::Shell::Fish,
        Generate::CompletePowershell => clap_complete::Shell::PowerShell,
        Generate::CompleteElvish => clap_complete::Shell::Elvish,
    };
    clap_complete::generate(shell, &mut command, "cce-release-lint", &mut out);
    String::from_utf8_lossy(&out).into_owned()
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

/// The options with the chart's values schema, read up to `limit` bytes.
fn values_schema(options: Options, path: &Path, limit: usize) -> Result<Options, String> {
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
    options
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

/// The paths as inputs: files as given, directories as their regular payload files
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
            payload_files(path, follow.then_some(&roots[..]), &mut inputs);
        } else {
            inputs.push(Input::File {
                path: path.clone(),
                walked: None,
            });
        }
    }
    inputs
}

/// Whether a walked file is a payload: `*.json`, `*.yaml`, `*.yml`.
fn is_payload(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["json", "yaml", "yml"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Whether a walked entry is hidden (its name starts with `.`), below the directory named.
fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().as_encoded_bytes().first() == Some(&b'.')
}

/// The regular `*.json`, `*.yaml` and `*.yml` files under `dir`, hidden files and folders left
/// out, depth first with each directory's entries sorted by name. Symbolic links are not followed (neither to files nor to directories), and pipes,
/// devices and sockets are not read, unless `follow` gives the canonical directories that links
/// may lead into; a link that leads elsewhere, or back into its own ancestry, is skipped with a
/// note.
fn payload_files(dir: &Path, follow: Option<&[PathBuf]>, inputs: &mut Vec<Input>) {
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
            if is_hidden(entry) {
                return false;
            }
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
                if !is_payload(entry.path()) || !entry.file_type().is_file() {
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
                if is_payload(at) {
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
    /// The whole input, within the limit; `shown`: its text may be shown under findings (a
    /// regular file or standard input, not a pipe or a device named on the command line).
    Text { bytes: Vec<u8>, shown: bool },
    /// The report of an input over the limit, which was not read.
    Report(Report),
}

/// The bytes to read at most: the limit and one more, to tell an input at the limit from a
/// longer one.
fn cap(limit: usize) -> u64 {
    u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1)
}

/// Lints a file: a regular one is read whole if its size is within the limit (and not at all
/// otherwise); anything else named on the command line (a pipe, a device) is read up to the
/// limit and one byte, and its text never shown.
fn lint_file(
    plan: &Plan,
    path: &Path,
    walked: Option<&Walked>,
    keep_source: bool,
    fix: Option<fixing::Mode>,
) -> io::Result<Linted> {
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
        read_regular(plan, file, metadata.len())?
    } else {
        let mut bytes = Vec::new();
        file.take(cap(plan.limit)).read_to_end(&mut bytes)?;
        within(plan, bytes, false)
    };
    // Only a regular file is written back (through a link to its target).
    let target = metadata
        .is_file()
        .then(|| walked.map_or(path, |w| w.open.as_path()));
    lint(
        plan,
        name,
        read,
        keep_source,
        fix.map(|mode| (mode, target)),
    )
    .map_err(io::Error::other)
}

/// Standard input, read and linted once (it may be named more than once).
fn lint_stdin(
    plan: &Plan,
    name: &str,
    keep_source: bool,
    fix: Option<fixing::Mode>,
) -> Result<Linted, String> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(cap(plan.limit))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let read = within(plan, bytes, true);
    lint(
        plan,
        name.to_owned(),
        read,
        keep_source,
        fix.map(|mode| (mode, None)),
    )
}

/// `bytes` read with [`cap`]: kept when within the limit, the library's `input_too_large`
/// report (for an input read up to the limit and no further) when not.
fn within(plan: &Plan, bytes: Vec<u8>, shown: bool) -> Bytes {
    if bytes.len() > plan.limit {
        return Bytes::Report(too_large(plan, None));
    }
    Bytes::Text { bytes, shown }
}

/// The `input_too_large` report of an input of `size` bytes (`None`: read up to the limit).
fn too_large(plan: &Plan, size: Option<usize>) -> Report {
    let validator = Validator::with_options(Kind::CreateRequest, plan.options.clone());
    match size {
        Some(size) => validator.oversized(size),
        None => validator
            .validate_reader(io::repeat(b' ').take(cap(plan.limit)))
            .unwrap_or_default(),
    }
}

/// Reads a regular file whose metadata gives `size`: over the limit, not at all; within it, in
/// one call into a buffer of its size (syscalls, not parsing, are most of the time on many
/// small files), then at most up to the limit and one byte if it grew meanwhile.
fn read_regular(plan: &Plan, mut file: File, size: u64) -> io::Result<Bytes> {
    let limit = plan.limit;
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    if size > limit {
        return Ok(Bytes::Report(too_large(plan, Some(size))));
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
            return Ok(within(plan, bytes, true));
        }
        // A regular file's short read is its end.
        break;
    }
    bytes.truncate(filled);
    Ok(Bytes::Text { bytes, shown: true })
}

/// A linted input: its report, with --diff its diff, and the fixes applied.
type Linted = (FileReport, Option<String>, usize);

/// The report of one input, as its plan says: JSON or YAML, its kind or `auto`; with a fix mode,
/// the report of what remains after the fixes (written to the target, or shown as a diff).
fn lint(
    plan: &Plan,
    path: String,
    read: Bytes,
    keep_source: bool,
    fix: Option<(fixing::Mode, Option<&Path>)>,
) -> Result<Linted, String> {
    let (bytes, shown) = match read {
        Bytes::Report(report) => return Ok((FileReport::new(path, None, report), None, 0)),
        Bytes::Text { bytes, shown } => (bytes, shown),
    };
    let (bytes, report, diff, applied) = match fix {
        Some((mode, target)) => {
            let outcome = fixing::run(mode, &bytes, &path, target, plan.yaml, |b| {
                validate_with(plan, b)
            })?;
            (outcome.bytes, outcome.report, outcome.diff, outcome.applied)
        }
        None => {
            let report = validate_with(plan, &bytes);
            (bytes, report, None, 0)
        }
    };
    // Only the windows of the lines under findings are kept, not the text.
    let source = if keep_source && shown {
        std::str::from_utf8(&bytes).ok()
    } else {
        None
    };
    let file = if plan.yaml {
        FileReport::yaml(path, source, report)
    } else {
        FileReport::new(path, source, report)
    };
    Ok((file, diff, applied))
}

/// The report of `bytes` under a plan.
fn validate_with(plan: &Plan, bytes: &[u8]) -> Report {
    match (plan.yaml, plan.kind) {
        (false, KindChoice::Kind(kind)) => {
            Validator::with_options(kind, plan.options.clone()).validate_bytes(bytes)
        }
        (false, KindChoice::Auto) => detect::validate_bytes(&plan.options, bytes),
        (true, KindChoice::Kind(kind)) => {
            Validator::with_options(kind, plan.options.clone()).validate_yaml(bytes)
        }
        (true, KindChoice::Auto) => detect::validate_yaml(&plan.options, bytes),
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
pub(crate) fn parse_size(text: &str) -> Result<usize, String> {
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
