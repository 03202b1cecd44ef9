//! Helm charts, as the validator needs them: the metadata of `Chart.yaml`, the defaults of
//! `values.yaml`, the compiled `values.schema.json`, the subcharts under `charts/`, and the parts
//! Helm stores with every revision (for the size check).
//!
//! - [`Chart`]: a chart, built in code ([`Chart::new`]) or, with the `chart` feature, loaded
//!   from a directory or a `.tgz` archive ([`Chart::load`]) as Helm 3 loads one, within
//!   [`ChartLimits`].
//! - `coalesce`: the values Helm installs with: the release's values over the chart's defaults,
//!   subchart values under each dependency's name or alias, `global` passed down, conditions and
//!   tags deciding which subcharts are enabled; and where each merged value came from, so that a
//!   finding points where the user can act.
//! - `encode`: the size of a revision as Helm stores it, base64(gzip(JSON)); `go_text` holds
//!   values read from the text (not built) compactly for it.
//!
//! Everything here is data and logic; reading files is in `load` (feature `chart`), and nothing
//! here words a finding.

pub(crate) mod coalesce;
pub(crate) mod encode;
#[cfg(feature = "chart")]
mod glob;
pub(crate) mod go_text;
#[cfg(feature = "chart")]
mod load;
#[cfg(feature = "chart")]
mod yaml;

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::Error;
use crate::validate::chart::ChartSchema;

#[cfg(feature = "chart")]
pub use load::{ChartCache, ChartLimits};

/// The most charts (the chart and all its subcharts, at every depth) one chart may hold.
#[cfg_attr(not(feature = "chart"), allow(dead_code))]
pub(crate) const MAX_CHARTS: usize = 256;
/// The deepest nesting of subcharts.
pub(crate) const MAX_CHART_DEPTH: usize = 16;

/// A dependency, as `Chart.yaml` (or, for `apiVersion: v1`, `requirements.yaml`) declares it.
///
/// Only what decides the values matters here: the chart's name, the alias its values live under,
/// the `condition` and `tags` that enable or disable it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Dependency {
    /// The name of the subchart (its `Chart.yaml` name).
    pub name: String,
    /// The version range the dependency asks for.
    pub version: String,
    /// The key its values live under instead of its name.
    pub alias: Option<String>,
    /// Comma-separated paths into the values; the first that holds a boolean enables or
    /// disables the subchart.
    pub condition: Option<String>,
    /// Tags: the subchart is disabled when one of them is `false` in `tags` and none is `true`.
    pub tags: Vec<String>,
}

impl Dependency {
    /// A dependency on the chart `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Dependency {
            name: name.into(),
            ..Dependency::default()
        }
    }

    /// Its values live under `alias`.
    #[must_use]
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// Enabled or disabled by the first of these comma-separated value paths that holds a
    /// boolean.
    #[must_use]
    pub fn condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// Enabled or disabled by these tags.
    #[must_use]
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// The key of its values in the parent's: the alias, else the name.
    pub fn key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// What Helm stores of a chart with each revision, besides its values (`release.chart` in the
/// stored record): the metadata, the lock, the templates, the schema and the other files, each
/// file's bytes as base64 in the JSON. Subcharts are not stored.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Stored {
    /// `Chart.yaml` as JSON (Helm's `metadata`).
    pub metadata: Value,
    /// `Chart.lock` as JSON, when there is one.
    pub lock: Option<Value>,
    /// `templates/…`: name and bytes.
    pub templates: Vec<(String, Vec<u8>)>,
    /// Every other file that is not `Chart.yaml`, `Chart.lock`, `values.yaml`,
    /// `values.schema.json` or under `charts/` (a `.prov` file under `charts/` is one).
    pub files: Vec<(String, Vec<u8>)>,
    /// `values.schema.json`, as it was written.
    pub schema: Option<Vec<u8>>,
}

impl Stored {
    /// The bytes of the stored files, to judge whether they are worth measuring.
    pub(crate) fn file_bytes(&self) -> usize {
        let files = self.templates.iter().chain(&self.files);
        files.map(|(n, d)| n.len() + d.len()).sum::<usize>()
            + self.schema.as_ref().map_or(0, Vec::len)
    }
}

/// A Helm chart: its name and version, its default values, its compiled values schema, its
/// dependencies and subcharts.
///
/// Cheap to clone (subcharts and the compiled schema are shared). `Send + Sync`.
///
/// ```
/// use cce_release::chart::{Chart, Dependency};
/// use serde_json::json;
///
/// let redis = Chart::new("redis", "17.3.7")
///     .values(json!({"port": 6379}))?
///     .schema(&json!({"properties": {"port": {"type": "integer"}}}))?;
/// let chart = Chart::new("koi", "3.0.1")
///     .values(json!({"replicaCount": 1, "cache": {"enabled": true}}))?
///     .dependency(Dependency::new("redis").alias("cache").condition("cache.enabled"), redis);
/// assert_eq!(chart.name(), "koi");
/// # Ok::<(), cce_release::Error>(())
/// ```
#[derive(Clone)]
pub struct Chart {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    name: String,
    version: String,
    api_version: String,
    library: bool,
    dependencies: Vec<Dependency>,
    subcharts: Vec<Chart>,
    values: Value,
    schema: Option<Arc<ChartSchema>>,
    stored: Stored,
}

impl fmt::Debug for Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Chart")
            .field("name", &self.inner.name)
            .field("version", &self.inner.version)
            .field("dependencies", &self.inner.dependencies)
            .field("subcharts", &self.inner.subcharts)
            .field("schema", &self.inner.schema.is_some())
            .finish_non_exhaustive()
    }
}

impl Chart {
    /// A chart with no default values, schema or dependencies (`apiVersion: v2`).
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        let name = name.into();
        let version = version.into();
        let metadata = serde_json::json!({
            "name": name, "version": version, "apiVersion": "v2",
        });
        Chart {
            inner: Arc::new(Inner {
                name,
                version,
                api_version: "v2".to_owned(),
                library: false,
                dependencies: Vec::new(),
                subcharts: Vec::new(),
                values: Value::Object(Map::new()),
                schema: None,
                stored: Stored {
                    metadata,
                    ..Stored::default()
                },
            }),
        }
    }

    fn edit(mut self, change: impl FnOnce(&mut Inner)) -> Self {
        change(Arc::make_mut(&mut self.inner));
        self
    }

    /// The chart's default values (its `values.yaml`): an object, as Helm requires.
    pub fn values(self, values: Value) -> Result<Self, Error> {
        if !values.is_object() {
            return Err(Error::Chart(format!(
                "the default values of chart `{}` are not an object",
                self.inner.name
            )));
        }
        Ok(self.edit(|c| c.values = values))
    }

    /// The chart's `values.schema.json` (see [`Options::values_schema`](crate::Options::values_schema)
    /// for what is accepted and how it is bounded).
    pub fn schema(self, schema: &Value) -> Result<Self, Error> {
        let compiled = ChartSchema::compile(schema).map_err(|e| self.schema_error(e))?;
        let text = serde_json::to_vec(schema).unwrap_or_default();
        Ok(self.edit(|c| {
            c.schema = Some(Arc::new(compiled));
            c.stored.schema = Some(text);
        }))
    }

    fn schema_error(&self, error: Error) -> Error {
        Error::Chart(format!(
            "the values.schema.json of chart `{}` cannot be used: {}",
            self.inner.name,
            match error {
                Error::ValuesSchema(text) => text,
                other => other.to_string(),
            }
        ))
    }

    /// Adds a dependency and the subchart that fulfils it (the chart under `charts/`).
    #[must_use]
    pub fn dependency(self, dependency: Dependency, subchart: Chart) -> Self {
        self.edit(|c| {
            if !c
                .subcharts
                .iter()
                .any(|s| Arc::ptr_eq(&s.inner, &subchart.inner))
            {
                c.subcharts.push(subchart);
            }
            c.dependencies.push(dependency);
        })
    }

    /// Adds a subchart that no dependency names (Helm includes it under its own name, always
    /// enabled).
    #[must_use]
    pub fn subchart(self, subchart: Chart) -> Self {
        self.edit(|c| c.subcharts.push(subchart))
    }

    /// Marks the chart as a library chart (`type: library`), which Helm does not install.
    #[must_use]
    pub fn library(self, library: bool) -> Self {
        self.edit(|c| c.library = library)
    }

    /// The chart's name (`Chart.yaml`'s `name`).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The chart's version (`Chart.yaml`'s `version`).
    pub fn version(&self) -> &str {
        &self.inner.version
    }

    /// `Chart.yaml`'s `apiVersion` (`v1` or `v2`).
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    /// Whether it is a library chart.
    pub fn is_library(&self) -> bool {
        self.inner.library
    }

    /// The dependencies its `Chart.yaml` declares.
    pub fn dependencies(&self) -> &[Dependency] {
        &self.inner.dependencies
    }

    /// The charts under its `charts/`.
    pub fn subcharts(&self) -> &[Chart] {
        &self.inner.subcharts
    }

    /// Its default values.
    pub fn default_values(&self) -> &Value {
        &self.inner.values
    }

    /// Whether it has a `values.schema.json`.
    pub fn has_schema(&self) -> bool {
        self.inner.schema.is_some()
    }

    /// The values Helm would install with: `values` (the release's, an object) coalesced over
    /// the defaults of this chart and of its enabled subcharts, as `helm install` coalesces them
    /// (see the module documentation for what is reproduced). A subchart key whose value is not
    /// an object is left as it is (the validator reports it).
    ///
    /// An error when the coalesced values would hold more than 2^20 values (a `global` is
    /// copied into every subchart's values, so a large one over many subcharts could otherwise
    /// grow without bound).
    ///
    /// ```
    /// use cce_release::chart::{Chart, Dependency};
    /// use serde_json::json;
    ///
    /// let sub = Chart::new("sub", "1.0.0").values(json!({"port": 80, "global": {"env": "dev"}}))?;
    /// let chart = Chart::new("app", "1.0.0")
    ///     .values(json!({"image": "app:1", "global": {"env": "prod"}}))?
    ///     .dependency(Dependency::new("sub").alias("web"), sub);
    /// let merged = chart.coalesce(&json!({"image": null, "web": {"port": 8080}}))?;
    /// assert_eq!(merged, json!({"global": {"env": "prod"},
    ///                           "web": {"port": 8080, "global": {"env": "prod"}}}));
    /// # Ok::<(), cce_release::Error>(())
    /// ```
    pub fn coalesce(&self, values: &Value) -> Result<Value, Error> {
        let empty = Value::Object(Map::new());
        let values = if values.is_object() { values } else { &empty };
        let too_large = |_| {
            Error::Chart(format!(
                "the values coalesced over chart `{}` would hold more than {} values",
                self.inner.name,
                coalesce::MAX_COALESCED
            ))
        };
        let mounted = coalesce::mount(self, values).map_err(too_large)?;
        Ok(coalesce::merge(&mounted, values).map_err(too_large)?.values)
    }

    pub(crate) fn compiled_schema(&self) -> Option<&ChartSchema> {
        self.inner.schema.as_deref()
    }

    pub(crate) fn stored(&self) -> &Stored {
        &self.inner.stored
    }
}

/// The default values Helm stores with the chart: its own, or, for a chart with dependencies,
/// its defaults coalesced with its subcharts' (Helm's `processDependencyImportValues` stores
/// `MergeValues(chart, nil)`).
pub(crate) fn stored_values(chart: &Chart) -> Value {
    if chart.dependencies().is_empty() {
        return chart.default_values().clone();
    }
    let empty = Value::Object(Map::new());
    coalesce::mount(chart, &empty)
        .and_then(|mounted| coalesce::merge(&mounted, &empty))
        .map_or_else(|_| chart.default_values().clone(), |c| c.values)
}
