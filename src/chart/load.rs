//! Loading a chart from a directory or a `.tgz` archive, as Helm 3 loads one
//! (`pkg/chart/loader`: `archive.go`, `directory.go`, `load.go`), within limits.
//!
//! Charts come from anyone: an archive may be a decompression bomb, hold `../` paths, absolute
//! paths, links, millions of entries, archives nested in archives; a directory may hold links
//! out of it, pipes or devices. What is read:
//!
//! - **archives**: gzip, then tar; the first path component is the chart's directory and is
//!   dropped, as Helm drops it; a path that is absolute, climbs out (`..`), names a drive, or a
//!   `Chart.yaml` outside the chart's directory is an error (Helm's checks). Links are read as
//!   Helm reads them, as empty files: never followed. Archives under `charts/` are read the same
//!   way, recursively, from the same budget.
//! - **directories**: walked with `.helmignore` applied (see [`super::glob`]); links are
//!   followed only to files and directories inside the chart's directory (Helm follows them
//!   anywhere); anything but a regular file or a directory is an error (Helm's too).
//! - **limits** ([`ChartLimits`]): the archive's size, the bytes decompressed (all files of all
//!   nested archives together), each file's size, the number of files, the nesting of
//!   subcharts, the number of charts, and the values a YAML document may expand to.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::{Map, Value};

use super::glob::Ignore;
use super::{Chart, Dependency, MAX_CHART_DEPTH, MAX_CHARTS, yaml};
use crate::Error;

/// The limits of loading one chart, subcharts included. Defaults follow Helm's own where it has
/// them (100 MiB decompressed, 5 MiB a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartLimits {
    /// The largest archive file read (compressed), in bytes. Default 32 MiB.
    pub archive_bytes: u64,
    /// The most bytes of files, all archives and nesting together. Default 100 MiB.
    pub total_bytes: u64,
    /// The largest file. Default 5 MiB.
    pub file_bytes: u64,
    /// The most files and directories. Default 20,000.
    pub files: usize,
    /// The most values a `values.yaml` or `Chart.yaml` may expand to (aliases included).
    /// Default 1,000,000.
    pub yaml_values: usize,
}

impl Default for ChartLimits {
    fn default() -> Self {
        ChartLimits {
            archive_bytes: 32 << 20,
            total_bytes: 100 << 20,
            file_bytes: 5 << 20,
            files: 20_000,
            yaml_values: 1_000_000,
        }
    }
}

/// A file of a chart: its path inside the chart and its bytes.
struct File {
    name: String,
    data: Vec<u8>,
}

/// What is left of the limits while loading (shared by nested archives and their readers).
struct Budget {
    limits: ChartLimits,
    bytes_left: Cell<u64>,
    files_left: Cell<usize>,
    charts: Cell<usize>,
}

impl Budget {
    fn new(limits: ChartLimits) -> Self {
        Budget {
            limits,
            bytes_left: Cell::new(limits.total_bytes),
            files_left: Cell::new(limits.files),
            charts: Cell::new(0),
        }
    }

    /// One more file of `size` bytes.
    fn file(&self, name: &str, size: u64) -> Result<(), Error> {
        if size > self.limits.file_bytes {
            return Err(chart_error(format!(
                "`{name}` is {size} bytes, over the {} bytes a chart's file may have",
                self.limits.file_bytes
            )));
        }
        let left = self.files_left.get().checked_sub(1).ok_or_else(|| {
            chart_error(format!(
                "more than {} files (at `{name}`)",
                self.limits.files
            ))
        })?;
        self.files_left.set(left);
        Ok(())
    }

    fn spend(&self, bytes: u64) -> Result<(), Error> {
        let left = self.bytes_left.get().checked_sub(bytes).ok_or_else(|| {
            chart_error(format!(
                "its files decompress to more than {} bytes",
                self.limits.total_bytes
            ))
        })?;
        self.bytes_left.set(left);
        Ok(())
    }
}

fn chart_error(text: String) -> Error {
    Error::Chart(text)
}

/// A reader that fails once the budget of decompressed bytes is spent.
struct Metered<'b, R> {
    inner: R,
    budget: &'b Budget,
}

impl<R: Read> Read for Metered<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.budget
            .spend(n as u64)
            .map_err(|e| io::Error::other(e.to_string()))?;
        Ok(n)
    }
}

impl Chart {
    /// Loads a chart from a directory or a `.tgz` archive, as `helm install PATH` would, within
    /// the default [`ChartLimits`].
    ///
    /// Errors (a missing file, not a chart, an archive that breaks the limits or holds unsafe
    /// paths, a `Chart.yaml`, `values.yaml` or `values.schema.json` Helm would refuse) are
    /// [`Error::Chart`] with a sentence naming the file.
    pub fn load(path: impl AsRef<Path>) -> Result<Chart, Error> {
        Chart::load_with(path, ChartLimits::default())
    }

    /// [`load`](Self::load) within `limits`.
    pub fn load_with(path: impl AsRef<Path>, limits: ChartLimits) -> Result<Chart, Error> {
        let path = path.as_ref();
        let shown = path.display();
        let metadata =
            fs::metadata(path).map_err(|e| chart_error(format!("cannot read `{shown}`: {e}")))?;
        let budget = Budget::new(limits);
        if metadata.is_dir() {
            let files = read_directory(path, &budget)?;
            return from_files(files, &budget, 0, false);
        }
        if !metadata.is_file() {
            return Err(chart_error(format!(
                "`{shown}` is neither a directory nor a regular file"
            )));
        }
        if metadata.len() > limits.archive_bytes {
            return Err(chart_error(format!(
                "`{shown}` is {} bytes, over the {} bytes a chart archive may have",
                metadata.len(),
                limits.archive_bytes
            )));
        }
        let mut bytes = Vec::new();
        fs::File::open(path)
            .and_then(|f| f.take(limits.archive_bytes + 1).read_to_end(&mut bytes))
            .map_err(|e| chart_error(format!("cannot read `{shown}`: {e}")))?;
        Chart::from_archive_with(&bytes, limits).map_err(|e| match e {
            Error::Chart(text) => chart_error(format!("`{shown}`: {text}")),
            other => other,
        })
    }

    /// A chart from the bytes of a `.tgz` archive, within the default [`ChartLimits`].
    pub fn from_archive(bytes: &[u8]) -> Result<Chart, Error> {
        Chart::from_archive_with(bytes, ChartLimits::default())
    }

    /// [`from_archive`](Self::from_archive) within `limits`.
    pub fn from_archive_with(bytes: &[u8], limits: ChartLimits) -> Result<Chart, Error> {
        if bytes.len() as u64 > limits.archive_bytes {
            return Err(chart_error(format!(
                "the archive is {} bytes, over the {} bytes a chart archive may have",
                bytes.len(),
                limits.archive_bytes
            )));
        }
        let budget = Budget::new(limits);
        let files = read_archive(bytes, &budget)?;
        from_files(files, &budget, 0, true)
    }
}

/// The files of a gzipped tar archive, with Helm's path checks.
fn read_archive(bytes: &[u8], budget: &Budget) -> Result<Vec<File>, Error> {
    if !bytes.starts_with(&[0x1f, 0x8b, 0x08]) {
        return Err(chart_error(
            "not a gzipped archive (a chart archive is a `.tgz`, as `helm package` writes it)"
                .to_owned(),
        ));
    }
    let gz = flate2::read::GzDecoder::new(bytes);
    let metered = Metered { inner: gz, budget };
    let mut archive = tar::Archive::new(metered);
    let mut files = Vec::new();
    let entries = archive
        .entries()
        .map_err(|e| chart_error(format!("cannot read the archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| chart_error(format!("cannot read the archive: {e}")))?;
        let header_type = entry.header().entry_type();
        if header_type.is_dir()
            || header_type.is_pax_global_extensions()
            || header_type.is_pax_local_extensions()
            || header_type.is_gnu_longname()
            || header_type.is_gnu_longlink()
        {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let name = archive_name(&raw)?;
        // Links are files without content, as Helm reads them: never followed.
        let is_link = header_type.is_symlink() || header_type.is_hard_link();
        let mut data = Vec::new();
        if !is_link {
            // The size is checked before reading, the bytes while reading.
            let size = entry.size();
            if size > budget.limits.file_bytes {
                return Err(chart_error(format!(
                    "`{name}` is {size} bytes, over the {} bytes a chart's file may have",
                    budget.limits.file_bytes
                )));
            }
            entry
                .by_ref()
                .take(budget.limits.file_bytes + 1)
                .read_to_end(&mut data)
                .map_err(|e| chart_error(format!("cannot read `{name}` in the archive: {e}")))?;
        }
        let data = strip_bom(data);
        files.push(File { name, data });
        if files.len() > MAX_ENTRIES {
            return Err(chart_error(format!(
                "more than {MAX_ENTRIES} files in one archive"
            )));
        }
    }
    if files.is_empty() {
        return Err(chart_error("no files in the chart archive".to_owned()));
    }
    Ok(files)
}

/// The most entries one archive may list (each nested archive has its own count, all of them
/// within [`ChartLimits::files`] once they are charts).
const MAX_ENTRIES: usize = 20_000;

fn strip_bom(data: Vec<u8>) -> Vec<u8> {
    match data.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => data,
    }
}

/// An archive entry's name inside the chart: the first component dropped, `\` read as `/`
/// when the name has one, cleaned; refused when absolute, climbing out or naming a drive
/// (Helm's `LoadArchiveFiles`).
fn archive_name(raw: &str) -> Result<String, Error> {
    let delimiter = if raw.contains('\\') { '\\' } else { '/' };
    let mut parts = raw.split(delimiter);
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let joined = rest.join("/");
    let shown = raw.chars().take(200).collect::<String>();
    if joined.starts_with('/') {
        return Err(chart_error(format!(
            "the archive holds an absolute path: `{shown}`"
        )));
    }
    let cleaned = clean(&joined);
    if cleaned == "." {
        return Err(chart_error(format!(
            "the archive holds content outside the chart's directory: `{shown}`"
        )));
    }
    if cleaned == ".." || cleaned.starts_with("../") || cleaned.starts_with("..") {
        return Err(chart_error(format!(
            "the archive references a parent directory: `{shown}`"
        )));
    }
    let b = cleaned.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err(chart_error(format!(
            "the archive holds a path naming a drive: `{shown}`"
        )));
    }
    if first == "Chart.yaml" {
        return Err(chart_error(
            "the archive's Chart.yaml is not in the chart's directory".to_owned(),
        ));
    }
    Ok(cleaned)
}

/// Go's `path.Clean` for a relative `/`-separated path.
fn clean(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|p| *p != "..") {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            p => out.push(p),
        }
    }
    if out.is_empty() {
        ".".to_owned()
    } else {
        out.join("/")
    }
}

/// The files of a chart directory: `.helmignore` applied, links followed only inside it.
fn read_directory(root: &Path, budget: &Budget) -> Result<Vec<File>, Error> {
    let shown = root.display();
    let real_root = root
        .canonicalize()
        .map_err(|e| chart_error(format!("cannot read `{shown}`: {e}")))?;
    let ignore = match fs::read(real_root.join(".helmignore")) {
        Ok(bytes) => Ignore::parse(&String::from_utf8_lossy(&bytes)).map_err(chart_error)?,
        Err(_) => Ignore::parse("").map_err(chart_error)?,
    };
    let mut files = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    visited.insert(real_root.clone());
    // (path on disk, name inside the chart, depth)
    let mut stack: Vec<(PathBuf, String, usize)> = vec![(real_root.clone(), String::new(), 0)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        if depth > 64 {
            return Err(chart_error(format!(
                "`{shown}`: directories nested deeper than 64 levels"
            )));
        }
        let mut entries: Vec<fs::DirEntry> = fs::read_dir(&dir)
            .and_then(|d| d.collect::<Result<Vec<_>, _>>())
            .map_err(|e| chart_error(format!("cannot read `{}`: {e}", dir.display())))?;
        entries.sort_by_key(|e| e.file_name());
        // Pushed in reverse, so that the stack pops them in name order.
        for entry in entries.into_iter().rev() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let name = if prefix.is_empty() {
                file_name
            } else {
                format!("{prefix}/{file_name}")
            };
            let path = entry.path();
            let link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
            // What `.helmignore` leaves out is never looked into (a link to anywhere included).
            let is_dir = fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false);
            if ignore.ignores(&name, is_dir) {
                continue;
            }
            let target = if link {
                let real = path.canonicalize().map_err(|e| {
                    chart_error(format!("`{shown}`: the link `{name}` leads nowhere: {e}"))
                })?;
                if !real.starts_with(&real_root) {
                    return Err(chart_error(format!(
                        "`{shown}`: `{name}` is a symbolic link to something outside the chart's directory"
                    )));
                }
                real
            } else {
                path.clone()
            };
            let metadata = fs::metadata(&target)
                .map_err(|e| chart_error(format!("cannot read `{}`: {e}", path.display())))?;
            if metadata.is_dir() {
                budget.file(&name, 0)?;
                if link && !visited.insert(target.clone()) {
                    return Err(chart_error(format!(
                        "`{shown}`: the link `{name}` loops back to a directory already read"
                    )));
                }
                stack.push((target, name, depth + 1));
                continue;
            }
            if !metadata.is_file() {
                return Err(chart_error(format!(
                    "`{shown}`: `{name}` is not a regular file (a pipe, a device or a socket)"
                )));
            }
            budget.file(&name, metadata.len())?;
            let mut data = Vec::new();
            fs::File::open(&target)
                .and_then(|f| f.take(budget.limits.file_bytes + 1).read_to_end(&mut data))
                .map_err(|e| chart_error(format!("cannot read `{}`: {e}", path.display())))?;
            if data.len() as u64 > budget.limits.file_bytes {
                return Err(chart_error(format!(
                    "`{name}` grew past the {} bytes a chart's file may have",
                    budget.limits.file_bytes
                )));
            }
            budget.spend(data.len() as u64)?;
            files.push(File {
                name,
                data: strip_bom(data),
            });
        }
    }
    Ok(files)
}

/// Helm's `LoadFiles`: the chart's files, by name, into a chart; subcharts recursively.
fn from_files(
    files: Vec<File>,
    budget: &Budget,
    depth: usize,
    from_archive: bool,
) -> Result<Chart, Error> {
    budget.charts.set(budget.charts.get() + 1);
    if budget.charts.get() > MAX_CHARTS {
        return Err(chart_error(format!(
            "more than {MAX_CHARTS} charts and subcharts"
        )));
    }
    if depth > MAX_CHART_DEPTH {
        return Err(chart_error(format!(
            "subcharts nested deeper than {MAX_CHART_DEPTH} levels"
        )));
    }
    let limits = budget.limits;
    let mut metadata: Option<Value> = None;
    let mut requirements: Option<Value> = None;
    let mut values: Option<Value> = None;
    let mut schema: Option<Vec<u8>> = None;
    let mut lock: Option<Value> = None;
    let mut templates = Vec::new();
    let mut other = Vec::new();
    let mut subcharts: HashMap<String, Vec<File>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for file in files {
        if from_archive {
            budget.file(&file.name, file.data.len() as u64)?;
        }
        let name = file.name.as_str();
        match name {
            "Chart.yaml" => metadata = Some(yaml_object(&file.data, "Chart.yaml", limits)?),
            "Chart.lock" | "requirements.lock" => {
                lock = yaml_object(&file.data, name, limits).ok();
            }
            "values.yaml" => values = Some(yaml_object(&file.data, "values.yaml", limits)?),
            "values.schema.json" => schema = Some(file.data),
            "requirements.yaml" => {
                requirements = Some(yaml_object(&file.data, name, limits)?);
                other.push((file.name, file.data));
            }
            _ if name.starts_with("templates/") => templates.push((file.name, file.data)),
            _ if name.starts_with("charts/") => {
                if name.ends_with(".prov") {
                    other.push((file.name, file.data));
                    continue;
                }
                let rest = &name["charts/".len()..];
                let (chart, _) = rest.split_once('/').unwrap_or((rest, ""));
                let chart = chart.to_owned();
                if !subcharts.contains_key(&chart) {
                    order.push(chart.clone());
                }
                let inner = rest.to_owned();
                subcharts.entry(chart).or_default().push(File {
                    name: inner,
                    data: file.data,
                });
            }
            _ => other.push((file.name, file.data)),
        }
    }
    let Some(Value::Object(meta)) = metadata else {
        return Err(chart_error("Chart.yaml file is missing".to_owned()));
    };
    let text = |key: &str| {
        meta.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let name = text("name");
    let version = text("version");
    let mut api_version = text("apiVersion");
    if api_version.is_empty() {
        api_version = "v1".to_owned();
    }
    validate_metadata(&meta, &name, &version, &api_version)?;
    let deps_source = if api_version == "v1" {
        requirements.as_ref().and_then(|r| r.get("dependencies"))
    } else {
        meta.get("dependencies")
    };
    let dependencies = dependencies(&name, deps_source)?;
    let mut chart = Chart::new(name.clone(), version)
        .library(meta.get("type").and_then(Value::as_str) == Some("library"));
    if let Some(values) = values {
        chart = chart.values(values)?;
    }
    if let Some(bytes) = schema {
        if bytes.len() > crate::validate::chart::MAX_SCHEMA_BYTES {
            return Err(chart_error(format!(
                "chart `{name}`: values.schema.json is {} bytes, over the {} bytes a chart schema may have",
                bytes.len(),
                crate::validate::chart::MAX_SCHEMA_BYTES
            )));
        }
        let parsed: Value = serde_json::from_slice(&bytes).map_err(|e| {
            chart_error(format!(
                "chart `{name}`: values.schema.json is not valid JSON: {e}"
            ))
        })?;
        chart = chart.schema(&parsed)?;
        // Stored as written, not as re-serialized.
        chart = chart.edit(|c| c.stored.schema = Some(bytes));
    }
    for sub in order {
        let Some(sub_files) = subcharts.remove(&sub) else {
            continue;
        };
        if sub.starts_with('_') || sub.starts_with('.') {
            continue;
        }
        let loaded = if sub.ends_with(".tgz") {
            let [file] = &sub_files[..] else {
                return Err(chart_error(format!(
                    "chart `{name}`: charts/{sub} is not a single archive"
                )));
            };
            if file.name != sub {
                return Err(chart_error(format!(
                    "chart `{name}`: error unpacking subchart tar: expected `{sub}`, got `{}`",
                    file.name
                )));
            }
            let inner = read_archive(&file.data, budget).map_err(|e| within(&name, &sub, e))?;
            from_files(inner, budget, depth + 1, true)
        } else {
            let inner: Vec<File> = sub_files
                .into_iter()
                .filter_map(|f| {
                    f.name.split_once('/').map(|(_, rest)| File {
                        name: rest.to_owned(),
                        data: f.data,
                    })
                })
                .collect();
            from_files(inner, budget, depth + 1, false)
        };
        let loaded = loaded.map_err(|e| within(&name, &sub, e))?;
        chart = chart.subchart(loaded);
    }
    let mut meta_value = Value::Object(meta);
    if api_version == "v1"
        && let (Value::Object(m), Some(Value::Object(r))) = (&mut meta_value, &requirements)
        && let Some(deps) = r.get("dependencies")
    {
        m.insert("dependencies".to_owned(), deps.clone());
    }
    // Only the chart given is stored with a revision: subcharts keep no files.
    let keep = depth == 0;
    Ok(chart.edit(|c| {
        c.api_version = api_version;
        c.dependencies = dependencies;
        c.stored.metadata = meta_value;
        c.stored.lock = lock;
        if keep {
            c.stored.templates = templates;
            c.stored.files = other;
        } else {
            c.stored.schema = None;
        }
    }))
}

fn within(parent: &str, sub: &str, e: Error) -> Error {
    match e {
        Error::Chart(text) => chart_error(format!("subchart `{sub}` of `{parent}`: {text}")),
        other => other,
    }
}

/// A YAML file that must hold a map (an empty file is an empty map).
fn yaml_object(data: &[u8], what: &str, limits: ChartLimits) -> Result<Value, Error> {
    let text =
        std::str::from_utf8(data).map_err(|e| chart_error(format!("{what} is not UTF-8: {e}")))?;
    match yaml::document(text, limits.yaml_values) {
        Ok(None) => Ok(Value::Object(Map::new())),
        Ok(Some(v @ Value::Object(_))) => Ok(v),
        Ok(Some(Value::Null)) => Ok(Value::Object(Map::new())),
        Ok(Some(_)) => Err(chart_error(format!("{what} does not hold a map"))),
        Err(e) => Err(chart_error(format!("cannot read {what}: {e}"))),
    }
}

/// Helm's `Metadata.Validate`, for what decides loading.
fn validate_metadata(
    meta: &Map<String, Value>,
    name: &str,
    version: &str,
    api_version: &str,
) -> Result<(), Error> {
    if name.is_empty() {
        return Err(chart_error(
            "Chart.yaml: chart.metadata.name is required".to_owned(),
        ));
    }
    if name.contains('/') || name.contains('\\') || name == "." || name == ".." {
        return Err(chart_error(format!(
            "Chart.yaml: chart.metadata.name `{name}` is invalid"
        )));
    }
    if api_version != "v1" && api_version != "v2" {
        return Err(chart_error(format!(
            "Chart.yaml: chart.metadata.apiVersion `{api_version}` is invalid (v1 or v2)"
        )));
    }
    if version.is_empty() {
        return Err(chart_error(
            "Chart.yaml: chart.metadata.version is required".to_owned(),
        ));
    }
    if crate::model::constraints::parse_chart_version(version).is_none() {
        return Err(chart_error(format!(
            "Chart.yaml: chart.metadata.version `{version}` is invalid"
        )));
    }
    match meta.get("type").and_then(Value::as_str) {
        None | Some("" | "application" | "library") => Ok(()),
        Some(other) => Err(chart_error(format!(
            "Chart.yaml: chart.metadata.type `{other}` is invalid (application or library)"
        ))),
    }
}

/// The dependencies of a chart, as its metadata lists them.
fn dependencies(chart: &str, list: Option<&Value>) -> Result<Vec<Dependency>, Error> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = list else {
        return Err(chart_error(format!(
            "chart `{chart}`: dependencies is not a list"
        )));
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Object(d) = item else {
            return Err(chart_error(format!(
                "chart `{chart}`: a dependency is not a map"
            )));
        };
        let text = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
        let name = text("name").unwrap_or_default();
        if name.is_empty() {
            return Err(chart_error(format!(
                "chart `{chart}`: a dependency has no name"
            )));
        }
        let alias = text("alias").filter(|a| !a.is_empty());
        if let Some(alias) = &alias
            && !alias
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return Err(chart_error(format!(
                "chart `{chart}`: dependency `{name}` has disallowed characters in the alias"
            )));
        }
        let tags = match d.get("tags") {
            Some(Value::Array(tags)) => tags
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        out.push(Dependency {
            name,
            version: text("version").unwrap_or_default(),
            alias,
            condition: text("condition"),
            tags,
        });
    }
    Ok(out)
}

/// A chart in the cache, with the size and modification time of its path when it was loaded.
type Cached = (u64, Option<SystemTime>, Chart);

/// Charts loaded once and kept by path: for a configuration that names the same chart for
/// many files, or a server that checks many releases of one chart.
///
/// A chart is loaded again when its path's size or modification time changed (for a
/// directory, the directory's own; files changed inside it are not noticed).
#[derive(Debug, Default)]
pub struct ChartCache {
    limits: Option<ChartLimits>,
    charts: Mutex<HashMap<PathBuf, Cached>>,
}

impl ChartCache {
    /// An empty cache that loads with the default limits.
    pub fn new() -> Self {
        ChartCache::default()
    }

    /// An empty cache that loads within `limits`.
    pub fn with_limits(limits: ChartLimits) -> Self {
        ChartCache {
            limits: Some(limits),
            charts: Mutex::default(),
        }
    }

    /// The chart at `path`, loaded at the first call and kept.
    pub fn get(&self, path: impl AsRef<Path>) -> Result<Chart, Error> {
        let path = path.as_ref();
        let key = path
            .canonicalize()
            .map_err(|e| chart_error(format!("cannot read `{}`: {e}", path.display())))?;
        let metadata = fs::metadata(&key)
            .map_err(|e| chart_error(format!("cannot read `{}`: {e}", path.display())))?;
        let stamp = (metadata.len(), metadata.modified().ok());
        if let Ok(charts) = self.charts.lock()
            && let Some((len, modified, chart)) = charts.get(&key)
            && (*len, *modified) == stamp
        {
            return Ok(chart.clone());
        }
        let chart = Chart::load_with(path, self.limits.unwrap_or_default())?;
        if let Ok(mut charts) = self.charts.lock() {
            charts.insert(key, (stamp.0, stamp.1, chart.clone()));
        }
        Ok(chart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_as_helm_checks_them() {
        assert_eq!(
            archive_name("koi/Chart.yaml").ok(),
            Some("Chart.yaml".into())
        );
        assert_eq!(
            archive_name("koi\\templates\\a.yaml").ok(),
            Some("templates/a.yaml".into())
        );
        assert_eq!(archive_name("koi/a/../b").ok(), Some("b".into()));
        assert!(archive_name("koi/../../etc/passwd").is_err());
        assert!(archive_name("koi//etc/passwd").is_err());
        assert!(archive_name("koi").is_err());
        assert!(archive_name("Chart.yaml").is_err());
        assert!(archive_name("koi/c:/x").is_err());
    }

    #[test]
    fn clean_is_go_path_clean() {
        assert_eq!(clean("a/./b//c/"), "a/b/c");
        assert_eq!(clean("a/../.."), "..");
        assert_eq!(clean(""), ".");
    }
}
