//! The linter's configuration file, `cce-release.toml` (or `.cce-release.toml`), and the
//! settings it gives each file.
//!
//! A file's configuration is the nearest one found from the file's folder upward, up to the
//! repository root (the folder holding `.git`) or the file system's root; configurations do
//! not merge. `--config FILE` uses one file for every input, `--no-config` none. Every key, value
//! and pattern is checked when the file is read: an unknown key or a bad value is an error with
//! its line and column in the TOML, and a "did you mean" when a known name is close.
//!
//! [`Lookup::settings`] is the entry for anything that lints one document at a time (an editor,
//! a language server): a path in, the effective [`FileSettings`] out.
//!
//! # Adding a key
//!
//! A key of `[[files]]` sections (and of the top level, where it sets a default) is one field of
//! [`Settings`], one entry of [`SECTION_KEYS`] (with its one-line description, which the JSON
//! Schema uses), one arm in [`Settings::set`] that reads and checks its value, and one line in
//! [`Settings::over`]; [`schema`] then describes it (`UPDATE_SCHEMAS=1 cargo test` rewrites
//! `schemas/config.schema.json`), and the linter applies it where it turns [`FileSettings`]
//! into validator options.

pub(crate) mod glob;

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use cce_release::{Code, Kind};
use serde_json::{Value, json};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use glob::Patterns;

/// The names a configuration file may have, in the order they are looked for in a folder.
pub(crate) const FILE_NAMES: [&str; 2] = ["cce-release.toml", ".cce-release.toml"];

/// A problem with a configuration file: exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column in the file, when the problem has a place.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.at {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Which payload a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KindChoice {
    /// Decided from the payload's members (`cce_release::detect`).
    Auto,
    Kind(Kind),
}

impl KindChoice {
    pub(crate) fn parse(text: &str) -> Option<KindChoice> {
        if text == "auto" {
            return Some(KindChoice::Auto);
        }
        text.parse().ok().map(KindChoice::Kind)
    }

    /// Every name a kind may be given by.
    pub(crate) fn names() -> impl Iterator<Item = &'static str> {
        std::iter::once("auto").chain(Kind::ALL.iter().map(|k| k.name()))
    }
}

/// The settings a configuration can give: each `None` when not set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Settings {
    pub kind: Option<KindChoice>,
    pub strict: Option<bool>,
    pub cluster_id: Option<String>,
    /// Resolved against the configuration's folder.
    pub values_schema: Option<PathBuf>,
    /// Resolved against the configuration's folder.
    pub chart: Option<PathBuf>,
    pub select: Option<Vec<Code>>,
    pub ignore: Option<Vec<Code>>,
}

/// The keys of `[[files]]` sections, which the top level takes too, and what each sets.
pub(crate) const SECTION_KEYS: &[(&str, &str)] = &[
    (
        "kind",
        "Which payload the files are: `auto` (decided from their members) or a kind of `cce-release-lint --list kinds`.",
    ),
    ("strict", "Warnings count as errors."),
    (
        "cluster_id",
        "The cluster id of the request path, checked against the body's `cluster_id`.",
    ),
    (
        "values_schema",
        "The chart's values.schema.json (relative to this file's folder), applied to `/values`.",
    ),
    (
        "chart",
        "The chart the releases install, a directory or a .tgz (relative to this file's folder): values checked as Helm checks them at install. Not with `values_schema` for the same files.",
    ),
    (
        "select",
        "The codes reported (all when not set); a section's replaces the top level's.",
    ),
    (
        "ignore",
        "Codes not reported; a section's add to the top level's and to earlier sections'.",
    ),
];

/// Keys of the top level only.
const TOP_KEYS: &[(&str, &str)] = &[
    (
        "include",
        "Which files are linted, as gitignore-style patterns relative to this file's folder (default: *.json, *.yaml, *.yml); files named on the command line too.",
    ),
    (
        "exclude",
        "Files not linted, as gitignore-style patterns relative to this file's folder; files named on the command line too.",
    ),
    (
        "max_input_size",
        "The largest file read, in bytes or with K, M or G (default 64M).",
    ),
    (
        "max_schema_size",
        "The largest values schema read, in bytes or with K, M or G (default 8M).",
    ),
    (
        "max_depth",
        "The deepest nesting of arrays and objects accepted (1 to 127, default 127).",
    ),
    (
        "max_findings",
        "The most findings reported per file (default 1000).",
    ),
    (
        "files",
        "Settings for some files: later sections override earlier ones.",
    ),
];

/// Keys of a `[[files]]` section besides [`SECTION_KEYS`].
const PATTERN_KEYS: &[(&str, &str)] = &[
    (
        "include",
        "The files this section applies to, as gitignore-style patterns relative to this file's folder.",
    ),
    (
        "exclude",
        "Files the section does not apply to, as gitignore-style patterns.",
    ),
];

/// The limits a configuration can set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Limits {
    pub max_input_size: Option<usize>,
    pub max_schema_size: Option<usize>,
    pub max_depth: Option<usize>,
    pub max_findings: Option<usize>,
}

/// One `[[files]]` section.
#[derive(Debug, Clone)]
struct Section {
    include: Patterns,
    exclude: Patterns,
    settings: Settings,
}

/// A configuration file, read and checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub path: PathBuf,
    /// The folder its patterns and paths are relative to.
    pub dir: PathBuf,
    top: Settings,
    include: Option<Patterns>,
    exclude: Patterns,
    pub limits: Limits,
    sections: Vec<Section>,
}

/// What one file gets from its configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileSettings {
    /// The configuration file that applies, if any.
    pub config: Option<PathBuf>,
    /// Whether the file is linted at all (its configuration's `include` and `exclude`).
    pub included: bool,
    pub settings: Settings,
    pub limits: Limits,
}

impl Settings {
    /// `self` with what `later` sets on top (`ignore` adds up).
    fn over(&self, later: &Settings) -> Settings {
        let ignore = match (&self.ignore, &later.ignore) {
            (Some(a), Some(b)) => Some(a.iter().chain(b).copied().collect()),
            (a, b) => b.clone().or_else(|| a.clone()),
        };
        Settings {
            kind: later.kind.or(self.kind),
            strict: later.strict.or(self.strict),
            cluster_id: later.cluster_id.clone().or_else(|| self.cluster_id.clone()),
            // A later schema or chart replaces an earlier one, whichever that was.
            values_schema: match (&later.values_schema, &later.chart) {
                (None, None) => self.values_schema.clone(),
                (given, _) => given.clone(),
            },
            chart: match (&later.values_schema, &later.chart) {
                (None, None) => self.chart.clone(),
                (_, given) => given.clone(),
            },
            select: later.select.clone().or_else(|| self.select.clone()),
            ignore,
        }
    }

    /// Reads the value of section key `key`; `Ok(false)` when `key` is not one.
    fn set(
        &mut self,
        reader: &Reader<'_>,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        dir: &Path,
    ) -> Result<bool, ConfigError> {
        match key {
            "kind" => {
                let text = reader.string(value)?;
                let choice = KindChoice::parse(text).ok_or_else(|| {
                    reader.error(
                        value,
                        format!(
                            "unknown kind `{}`{} (one of: {})",
                            text,
                            suggest(text, KindChoice::names()),
                            KindChoice::names().collect::<Vec<_>>().join(", ")
                        ),
                    )
                })?;
                self.kind = Some(choice);
            }
            "strict" => self.strict = Some(reader.boolean(value)?),
            "cluster_id" => {
                let text = reader.string(value)?;
                if text.is_empty() {
                    return Err(reader.error(value, "`cluster_id` is empty".to_owned()));
                }
                self.cluster_id = Some(text.to_owned());
            }
            "values_schema" => {
                let text = reader.string(value)?;
                if text.is_empty() {
                    return Err(reader.error(value, "`values_schema` is empty".to_owned()));
                }
                self.values_schema = Some(normalize(&dir.join(text)));
            }
            "chart" => {
                let text = reader.string(value)?;
                if text.is_empty() {
                    return Err(reader.error(value, "`chart` is empty".to_owned()));
                }
                self.chart = Some(normalize(&dir.join(text)));
            }
            "select" => self.select = Some(reader.codes(value)?),
            "ignore" => self.ignore = Some(reader.codes(value)?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl Config {
    /// Reads and checks the configuration at `path`.
    pub(crate) fn read(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            at: None,
            message: format!("cannot read the configuration: {e}"),
        })?;
        let absolute = absolute(path);
        let dir = absolute
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        Config::parse(path, &dir, &text)
    }

    /// Checks the configuration `text` (read from `path`, its paths relative to `dir`).
    pub(crate) fn parse(path: &Path, dir: &Path, text: &str) -> Result<Config, ConfigError> {
        let reader = Reader { path, text };
        let table = DeTable::parse(text).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            at: e.span().map(|span| line_col(text, span.start)),
            message: format!("not valid TOML: {}", e.message().trim()),
        })?;
        let mut config = Config {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            top: Settings::default(),
            include: None,
            exclude: Patterns::default(),
            limits: Limits::default(),
            sections: Vec::new(),
        };
        let mut entries: Vec<_> = table.get_ref().iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (key, value) in entries {
            let name = key.get_ref().as_ref();
            if config.top.set(&reader, name, value, dir)? {
                continue;
            }
            match name {
                "include" => config.include = Some(reader.patterns(value)?),
                "exclude" => config.exclude = reader.patterns(value)?,
                "max_input_size" => config.limits.max_input_size = Some(reader.size(value)?),
                "max_schema_size" => config.limits.max_schema_size = Some(reader.size(value)?),
                "max_depth" => {
                    config.limits.max_depth = Some(reader.integer(value, 1, 127)?);
                }
                "max_findings" => {
                    config.limits.max_findings =
                        Some(reader.integer(value, 1, i64::from(u32::MAX))?);
                }
                "files" => config.sections = reader.sections(value, dir)?,
                _ => {
                    let known = SECTION_KEYS.iter().chain(TOP_KEYS).map(|(k, _)| *k);
                    return Err(reader.unknown_key(key, name, known, "the top level"));
                }
            }
        }
        Ok(config)
    }

    /// The settings of the file at `path` (absolute, or relative to the current folder).
    pub(crate) fn file_settings(&self, path: &Path) -> FileSettings {
        let relative = relative_to(&absolute(path), &self.dir);
        let included = match &relative {
            // A file outside the configuration's folder (named with `--config`): only the
            // defaults apply.
            None => true,
            Some(rel) => {
                self.include.as_ref().is_none_or(|p| p.matches(rel)) && !self.exclude.matches(rel)
            }
        };
        let mut settings = self.top.clone();
        if let Some(rel) = &relative {
            for section in &self.sections {
                if section.include.matches(rel) && !section.exclude.matches(rel) {
                    settings = settings.over(&section.settings);
                }
            }
        }
        FileSettings {
            config: Some(self.path.clone()),
            included,
            settings,
            limits: self.limits,
        }
    }
}

/// Reads values out of a parsed file, with the file at hand for positions.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Reader<'_> {
    fn error<T>(&self, at: &Spanned<T>, message: String) -> ConfigError {
        ConfigError {
            path: self.path.to_path_buf(),
            at: Some(line_col(self.text, at.span().start)),
            message,
        }
    }

    fn unknown_key<'k>(
        &self,
        key: &Spanned<toml::de::DeString<'_>>,
        name: &str,
        known: impl Iterator<Item = &'k str> + Clone,
        place: &str,
    ) -> ConfigError {
        self.error(
            key,
            format!(
                "unknown key `{name}` in {place}{} (known keys: {})",
                suggest(name, known.clone()),
                known.collect::<Vec<_>>().join(", ")
            ),
        )
    }

    fn type_error<T>(&self, at: &Spanned<T>, expected: &str, found: &DeValue<'_>) -> ConfigError {
        self.error(
            at,
            format!("expected {expected}, found {}", type_name(found)),
        )
    }

    fn string<'v>(&self, value: &'v Spanned<DeValue<'_>>) -> Result<&'v str, ConfigError> {
        match value.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            other => Err(self.type_error(value, "a string", other)),
        }
    }

    fn boolean(&self, value: &Spanned<DeValue<'_>>) -> Result<bool, ConfigError> {
        match value.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            other => Err(self.type_error(value, "`true` or `false`", other)),
        }
    }

    fn integer<T: TryFrom<i64>>(
        &self,
        value: &Spanned<DeValue<'_>>,
        min: i64,
        max: i64,
    ) -> Result<T, ConfigError> {
        let DeValue::Integer(i) = value.get_ref() else {
            return Err(self.type_error(value, "an integer", value.get_ref()));
        };
        let digits = i.as_str().replace('_', "");
        let parsed = i64::from_str_radix(
            digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b"),
            i.radix(),
        )
        .ok()
        .filter(|n| (min..=max).contains(n))
        .and_then(|n| T::try_from(n).ok());
        parsed.ok_or_else(|| {
            self.error(
                value,
                format!(
                    "expected an integer from {min} to {max}, found {}",
                    i.as_str()
                ),
            )
        })
    }

    /// A size: an integer of bytes, or a string such as `64M`.
    fn size(&self, value: &Spanned<DeValue<'_>>) -> Result<usize, ConfigError> {
        match value.get_ref() {
            DeValue::Integer(_) => self.integer(value, 1, i64::MAX),
            DeValue::String(s) => crate::parse_size(s).map_err(|e| self.error(value, e)),
            other => {
                Err(self.type_error(value, "a size (bytes, or a string such as \"64M\")", other))
            }
        }
    }

    fn strings<'v>(
        &self,
        value: &'v Spanned<DeValue<'_>>,
    ) -> Result<Vec<(&'v str, &'v Spanned<DeValue<'v>>)>, ConfigError>
    where
        'v: 'v,
    {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.type_error(value, "an array of strings", value.get_ref()));
        };
        items
            .iter()
            .map(|item| self.string(item).map(|s| (s, item)))
            .collect()
    }

    fn codes(&self, value: &Spanned<DeValue<'_>>) -> Result<Vec<Code>, ConfigError> {
        let mut codes = Vec::new();
        for (text, item) in self.strings(value)? {
            let code = text.parse::<Code>().map_err(|_| {
                self.error(
                    item,
                    format!(
                        "unknown code `{text}`{} (`cce-release-lint --list codes` lists them)",
                        suggest(text, Code::ALL.iter().map(|c| c.as_str()))
                    ),
                )
            })?;
            codes.push(code);
        }
        Ok(codes)
    }

    fn patterns(&self, value: &Spanned<DeValue<'_>>) -> Result<Patterns, ConfigError> {
        let items = self.strings(value)?;
        for (text, item) in &items {
            Patterns::new([*text]).map_err(|e| self.error(*item, e.0))?;
        }
        Patterns::new(items.iter().map(|(t, _)| *t)).map_err(|e| self.error(value, e.0))
    }

    fn sections(
        &self,
        value: &Spanned<DeValue<'_>>,
        dir: &Path,
    ) -> Result<Vec<Section>, ConfigError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.type_error(
                value,
                "an array of tables (`[[files]]`)",
                value.get_ref(),
            ));
        };
        let mut sections = Vec::new();
        for item in items {
            let DeValue::Table(table) = item.get_ref() else {
                return Err(self.type_error(item, "a table (`[[files]]`)", item.get_ref()));
            };
            let mut section = Section {
                include: Patterns::default(),
                exclude: Patterns::default(),
                settings: Settings::default(),
            };
            let mut has_include = false;
            let mut entries: Vec<_> = table.iter().collect();
            entries.sort_by_key(|(k, _)| k.span().start);
            for (key, value) in entries {
                let name = key.get_ref().as_ref();
                if section.settings.set(self, name, value, dir)? {
                    continue;
                }
                match name {
                    "include" => {
                        section.include = self.patterns(value)?;
                        has_include = !section.include.is_empty();
                    }
                    "exclude" => section.exclude = self.patterns(value)?,
                    _ => {
                        let known = PATTERN_KEYS.iter().chain(SECTION_KEYS).map(|(k, _)| *k);
                        return Err(self.unknown_key(key, name, known, "a `[[files]]` section"));
                    }
                }
            }
            if !has_include {
                return Err(self.error(
                    item,
                    "a `[[files]]` section needs `include`, the files it applies to".to_owned(),
                ));
            }
            sections.push(section);
        }
        Ok(sections)
    }
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// ` (did you mean `x`?)` when a known name is close to `text`.
pub(crate) fn suggest<'k>(text: &str, known: impl Iterator<Item = &'k str>) -> String {
    let best = known
        .map(|k| {
            (
                distance(&text.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                k,
            )
        })
        .min_by_key(|&(d, _)| d);
    match best {
        Some((d, k)) if d <= (text.chars().count() / 3).max(2) => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(here + 1);
            previous = here;
        }
    }
    row[b.len()]
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// `path` made absolute against the current folder, with `.` and `..` resolved in the text
/// (links are not followed: a file is where it is named).
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    normalize(&joined)
}

/// `.` and `..` resolved in the text.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `dir`, `/`-separated; `None` when it is not inside it.
pub(crate) fn relative_to(path: &Path, dir: &Path) -> Option<String> {
    let rest = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// How configurations are found: per folder, cached.
#[derive(Debug, Default)]
pub(crate) struct Lookup {
    /// `--config FILE`: this one for every file.
    fixed: Option<Arc<Config>>,
    /// `--no-config`.
    disabled: bool,
    /// Folder → the configuration that applies in it.
    found: HashMap<PathBuf, Option<Arc<Config>>>,
}

impl Lookup {
    /// Configurations found next to the files.
    pub(crate) fn discover() -> Self {
        Lookup::default()
    }

    /// One configuration for every file (`--config FILE`).
    pub(crate) fn fixed(path: &Path) -> Result<Self, ConfigError> {
        Ok(Lookup {
            fixed: Some(Arc::new(Config::read(path)?)),
            ..Lookup::default()
        })
    }

    /// No configuration (`--no-config`).
    pub(crate) fn none() -> Self {
        Lookup {
            disabled: true,
            ..Lookup::default()
        }
    }

    /// The configuration that applies to files in `dir` (absolute): the nearest file found
    /// from `dir` upward, stopping at the repository root.
    pub(crate) fn config_for_dir(
        &mut self,
        dir: &Path,
    ) -> Result<Option<Arc<Config>>, ConfigError> {
        if self.disabled {
            return Ok(None);
        }
        if let Some(fixed) = &self.fixed {
            return Ok(Some(Arc::clone(fixed)));
        }
        let mut visited = Vec::new();
        let mut current = Some(dir);
        let mut result = None;
        while let Some(folder) = current {
            if let Some(cached) = self.found.get(folder) {
                result = cached.clone();
                break;
            }
            visited.push(folder.to_path_buf());
            let present: Vec<PathBuf> = FILE_NAMES
                .iter()
                .map(|name| folder.join(name))
                .filter(|p| p.is_file())
                .collect();
            match present.as_slice() {
                [] => {}
                [one] => {
                    result = Some(Arc::new(Config::read(one)?));
                    break;
                }
                [first, second, ..] => {
                    return Err(ConfigError {
                        path: first.clone(),
                        at: None,
                        message: format!(
                            "two configurations in one folder (`{}` too): keep one",
                            second.display()
                        ),
                    });
                }
            }
            if folder.join(".git").exists() {
                break;
            }
            current = folder.parent();
        }
        for folder in visited {
            self.found.insert(folder, result.clone());
        }
        Ok(result)
    }

    /// The effective settings of the file at `path` (relative to the current folder, or
    /// absolute): from its configuration, or the defaults when it has none. The entry for a
    /// server that lints one document at a time.
    pub(crate) fn settings(&mut self, path: &Path) -> Result<FileSettings, ConfigError> {
        let file = absolute(path);
        let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
        Ok(match self.config_for_dir(&dir)? {
            Some(config) => config.file_settings(&file),
            None => FileSettings {
                included: true,
                ..FileSettings::default()
            },
        })
    }
}

/// The JSON Schema of the configuration, for TOML editors (committed as
/// `schemas/config.schema.json`, which a test keeps equal to this).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn schema() -> Value {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let kinds: Vec<&str> = KindChoice::names().collect();
    let codes_schema = |description: &str| {
        json!({
            "description": description,
            "type": "array",
            "items": {"enum": codes},
            "uniqueItems": true
        })
    };
    let patterns = |description: &str| {
        json!({
            "description": description,
            "type": "array",
            "items": {"type": "string", "minLength": 1}
        })
    };
    let size = |description: &str| {
        json!({
            "description": description,
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": "^[0-9]+ *([kKmMgG]([iI]?[bB])?|[bB])?$"}
            ]
        })
    };
    let mut section = serde_json::Map::new();
    for &(key, description) in SECTION_KEYS {
        let value = match key {
            "kind" => json!({"description": description, "enum": kinds}),
            "strict" => json!({"description": description, "type": "boolean"}),
            "cluster_id" | "values_schema" | "chart" => {
                json!({"description": description, "type": "string", "minLength": 1})
            }
            _ => codes_schema(description),
        };
        section.insert(key.to_owned(), value);
    }
    let mut files = section.clone();
    for &(key, description) in PATTERN_KEYS {
        files.insert(key.to_owned(), patterns(description));
    }
    let mut top = section;
    for &(key, description) in TOP_KEYS {
        let value = match key {
            "include" | "exclude" => patterns(description),
            "max_input_size" | "max_schema_size" => size(description),
            "max_depth" => {
                json!({"description": description, "type": "integer", "minimum": 1, "maximum": 127})
            }
            "max_findings" => json!({"description": description, "type": "integer", "minimum": 1}),
            _ => json!({
                "description": description,
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": files,
                    "required": ["include"],
                    "additionalProperties": false
                }
            }),
        };
        top.insert(key.to_owned(), value);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cce-release/schemas/config.schema.json",
        "title": "cce-release.toml",
        "description": "The configuration of cce-release-lint: `cce-release.toml` or `.cce-release.toml`, found from each linted file's folder upward to the repository root. Unknown keys are errors.",
        "type": "object",
        "properties": top,
        "additionalProperties": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("cce-release.toml"), Path::new("/repo"), text)
    }

    fn error(text: &str) -> String {
        parse(text).expect_err("an error").to_string()
    }

    #[test]
    fn unknown_keys_and_bad_values_have_a_place_and_a_suggestion() {
        assert_eq!(
            error("strict = true\nstirct = false\n"),
            "cce-release.toml:2:1: unknown key `stirct` in the top level (did you mean `strict`?) \
             (known keys: kind, strict, cluster_id, values_schema, chart, select, ignore, include, exclude, \
             max_input_size, max_schema_size, max_depth, max_findings, files)"
        );
        assert_eq!(
            error("strict = \"yes\"\n"),
            "cce-release.toml:1:10: expected `true` or `false`, found a string"
        );
        assert_eq!(
            error("ignore = [\"unknown_field\", \"yaml_merge_keys\"]\n"),
            "cce-release.toml:1:28: unknown code `yaml_merge_keys` (did you mean `yaml_merge_key`?) \
             (`cce-release-lint --list codes` lists them)"
        );
        assert!(error("[[files]]\ninclude = [\"a/\"]\nknd = \"release\"\n")
            .starts_with("cce-release.toml:3:1: unknown key `knd` in a `[[files]]` section (did you mean `kind`?)"));
        assert!(
            error("[[files]]\ninclude = [\"a/\"]\nkind = \"relase\"\n").starts_with(
                "cce-release.toml:3:8: unknown kind `relase` (did you mean `release`?)"
            )
        );
        assert!(error("[[files]]\nkind = \"release\"\n").contains("needs `include`"));
        assert!(error("max_depth = 500\n").contains("from 1 to 127"));
        assert!(error("max_input_size = \"64Q\"\n").contains("not a size"));
        assert!(error("include = [\"[a\"]\n").starts_with("cce-release.toml:1:12:"));
        assert!(
            error("strict = \n").starts_with("cce-release.toml:1:"),
            "{}",
            error("strict = \n")
        );
    }

    #[test]
    fn sections_override_in_order_and_ignore_adds_up() {
        let config = parse(
            r#"
strict = true
ignore = ["unknown_field"]
exclude = ["drafts/"]

[[files]]
include = ["releases/"]
kind = "create-request"
cluster_id = "7378a198-a3fe-11eb-ad37-0255ac100b07"

[[files]]
include = ["releases/koi/*.yaml"]
values_schema = "charts/koi/values.schema.json"
ignore = ["loose_version"]
strict = false

[[files]]
include = ["**/update-*.json"]
exclude = ["legacy/"]
kind = "update-request"
"#,
        )
        .unwrap();
        let koi = config.file_settings(Path::new("/repo/releases/koi/web.yaml"));
        assert!(koi.included);
        assert_eq!(
            koi.settings.kind,
            Some(KindChoice::Kind(Kind::CreateRequest))
        );
        assert_eq!(koi.settings.strict, Some(false));
        assert_eq!(
            koi.settings.values_schema.as_deref(),
            Some(Path::new("/repo/charts/koi/values.schema.json"))
        );
        assert_eq!(
            koi.settings.ignore,
            Some(vec![Code::UnknownField, Code::LooseVersion])
        );
        let update = config.file_settings(Path::new("/repo/releases/update-web.json"));
        assert_eq!(
            update.settings.kind,
            Some(KindChoice::Kind(Kind::UpdateRequest))
        );
        assert_eq!(update.settings.strict, Some(true));
        let legacy = config.file_settings(Path::new("/repo/legacy/update-web.json"));
        assert_eq!(legacy.settings.kind, None);
        assert!(
            !config
                .file_settings(Path::new("/repo/drafts/a.json"))
                .included
        );
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            suggest("strct", ["strict", "select"].into_iter()),
            " (did you mean `strict`?)"
        );
        assert_eq!(suggest("xyz", ["strict", "select"].into_iter()), "");
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    /// The committed schema is the one [`schema`] writes, and it reads every key the parser
    /// knows, with the values the parser takes; `UPDATE_SCHEMAS=1` rewrites it.
    #[test]
    fn the_published_schema_is_current_and_agrees_with_the_parser() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/config.schema.json");
        let mut text = serde_json::to_string_pretty(&schema()).unwrap();
        text.push('\n');
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            committed, text,
            "schemas/config.schema.json is stale: UPDATE_SCHEMAS=1 cargo test"
        );

        let validator = jsonschema::validator_for(&schema()).unwrap();
        let good = r#"
strict = true
select = ["missing_field"]
ignore = ["yaml_merge_key"]
kind = "auto"
include = ["releases/"]
exclude = ["drafts/"]
max_input_size = "16M"
max_schema_size = 1048576
max_depth = 64
max_findings = 50
[[files]]
include = ["releases/koi/"]
exclude = ["*.tmp.json"]
kind = "create-request"
cluster_id = "7378a198-a3fe-11eb-ad37-0255ac100b07"
values_schema = "charts/koi/values.schema.json"
strict = false
select = ["values_schema"]
ignore = ["loose_version"]
"#;
        parse(good).unwrap();
        let as_json: Value = toml_to_json(good);
        let errors: Vec<String> = validator
            .iter_errors(&as_json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        for bad in [
            "stirct = true",
            "strict = \"yes\"",
            "ignore = [\"nope\"]",
            "kind = \"relase\"",
            "max_depth = 500",
            "[[files]]\nkind = \"release\"",
            "[[files]]\ninclude = [\"a\"]\nmax_depth = 3",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
            assert!(
                !validator.is_valid(&toml_to_json(bad)),
                "the schema takes {bad}"
            );
        }
    }

    fn toml_to_json(text: &str) -> Value {
        fn convert(value: &DeValue<'_>) -> Value {
            match value {
                DeValue::String(s) => Value::String(s.to_string()),
                DeValue::Integer(i) => {
                    json!(i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).unwrap_or(0))
                }
                DeValue::Float(f) => json!(f.as_str().parse::<f64>().unwrap_or(0.0)),
                DeValue::Boolean(b) => json!(b),
                DeValue::Datetime(d) => Value::String(d.to_string()),
                DeValue::Array(items) => items.iter().map(|i| convert(i.get_ref())).collect(),
                DeValue::Table(t) => Value::Object(
                    t.iter()
                        .map(|(k, v)| (k.get_ref().to_string(), convert(v.get_ref())))
                        .collect(),
                ),
            }
        }
        let table = DeTable::parse(text).unwrap();
        convert(&DeValue::Table(table.into_inner()))
    }
}
