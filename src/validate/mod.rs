//! The pipeline: bytes → decode → walk (parse, schema, repeated keys) → rules → collect →
//! locate → word → [`Report`].
//!
//! 1. **Decode**: UTF-8 only; a leading byte-order mark is skipped with a `byte_order_mark`
//!    warning. Input over the size limit is not read.
//! 2. **Walk** ([`walk`]): one pass over the text parses it, checks it against the kind's
//!    compiled schema ([`compiled`]) and finds repeated keys, building only what the rules need.
//! 3. **Rules** ([`rules`]): what a schema cannot say, on what the walk built.
//! 4. **Collect** ([`collect`]): every finding of steps 2 and 3 is offered to a collector that
//!    keeps the first `max_findings` errors and warnings and counts the rest.
//! 5. **Locate and word**: only the kept findings get positions ([`crate::locate`]), masked
//!    pointers and messages ([`crate::diagnostic::message`]).

pub(crate) mod chart;
pub(crate) mod collect;
pub(crate) mod compiled;
pub(crate) mod rules;
mod translate;
pub(crate) mod walk;

use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::message::{Problem, Syntax};
use crate::diagnostic::{Diagnostic, Location, Report, Severity};
use crate::kind::Payload;
use crate::locate::{self, Target};
use crate::{Code, Error, Kind};
use collect::{At, Collector};

pub use chart::ValuesSchemaBudget;

/// Where in the source text a finding's position is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The value the pointer names.
    Value,
    /// The key of the member the pointer names.
    Key,
    /// The object or array that contains what the pointer names (for a missing member).
    Parent,
    /// A byte offset in the text.
    Offset(usize),
    /// The byte offset of the key of the member the pointer names (known while reading it).
    KeyAt(usize),
    /// No position: a path, query or header finding.
    Nowhere,
}

/// A finding before it has a position and a message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub problem: Problem,
    pub location: Location,
    pub pointer: String,
    pub anchor: Anchor,
}

impl Finding {
    /// A finding about the body.
    pub(crate) fn body(problem: Problem, pointer: impl Into<String>, anchor: Anchor) -> Self {
        Finding::new(problem, Location::Body, pointer, anchor)
    }

    /// A finding; a pointer longer than [`POINTER_MAX`] is abbreviated (and then positioned
    /// at its nearest ancestor that still resolves), so that a report of findings deep under
    /// enormous keys stays small.
    pub(crate) fn new(
        problem: Problem,
        location: Location,
        pointer: impl Into<String>,
        anchor: Anchor,
    ) -> Self {
        let mut pointer = pointer.into();
        if pointer.len() > POINTER_MAX {
            pointer = crate::redact::abbreviate_pointer(&pointer, POINTER_MAX);
        }
        Finding {
            problem,
            location,
            pointer,
            anchor,
        }
    }
}

/// The longest pointer a report carries as it is, in bytes.
pub(crate) const POINTER_MAX: usize = 1024;

/// How the validator runs, shared by [`Validator`] and [`HttpValidator`](crate::http::HttpValidator):
/// strict mode, the default path cluster id, a chart's values schema, and the limits.
///
/// Cheap to clone (a chart's compiled schema is shared).
///
/// ```
/// use cce_release::{Kind, Options, Validator};
///
/// let options = Options::default().strict(true).max_findings(50);
/// let validator = Validator::with_options(Kind::CreateRequest, options.clone());
/// assert!(validator.options().is_strict());
/// ```
#[derive(Debug, Clone)]
pub struct Options {
    strict: bool,
    cluster_id: Option<String>,
    values_schema: Option<Arc<chart::ChartSchema>>,
    chart: Option<crate::chart::Chart>,
    values_schema_budget: ValuesSchemaBudget,
    max_input_size: usize,
    max_depth: usize,
    max_findings: usize,
    reported: crate::diagnostic::CodeSet,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            cluster_id: None,
            values_schema: None,
            chart: None,
            values_schema_budget: ValuesSchemaBudget::default(),
            max_input_size: Options::DEFAULT_MAX_INPUT_SIZE,
            max_depth: Options::DEFAULT_MAX_DEPTH,
            max_findings: Options::DEFAULT_MAX_FINDINGS,
            reported: crate::diagnostic::CodeSet::ALL,
        }
    }
}

impl Options {
    /// Default [`max_input_size`](Self::max_input_size): 64 MiB. A release body is a few KiB,
    /// and Helm cannot store a revision over 1 MiB.
    pub const DEFAULT_MAX_INPUT_SIZE: usize = 64 * 1024 * 1024;

    /// Default and highest [`max_depth`](Self::max_depth): 127 levels of arrays and objects,
    /// the parser's own limit. Real Helm values nest 20 to 30 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 127;

    /// Default [`max_findings`](Self::max_findings): 1000.
    pub const DEFAULT_MAX_FINDINGS: usize = 1000;

    /// The most values of `values` read from text that are built for a chart's schema to apply
    /// to (some 80 bytes each, so at most some 32 MiB with the growth of their vectors): past it,
    /// the schema is not applied, and the report says so with a `values_schema_budget` finding.
    /// Values that large (some 3 MiB of JSON and more) are far beyond the 1 MiB Helm can store.
    pub(crate) const CHART_VALUES_BUILT: usize = 1 << 18;

    /// Strict mode: every warning is reported as an error (unknown members included), so a
    /// payload is valid only when it has no finding at all.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Whether strict mode is on.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The cluster id of the request path, for every call that does not give its own (see
    /// [`PathContext`]). It must be a UUID (else an `invalid_format` finding about the path),
    /// and a `cluster_id` in the body must name the same cluster (else `cluster_id_mismatch`).
    #[must_use]
    pub fn cluster_id(mut self, cluster_id: impl Into<String>) -> Self {
        self.cluster_id = Some(cluster_id.into());
        self
    }

    /// The chart's `values.schema.json`, applied to `/values` of a create or update request (any
    /// draft the `jsonschema` crate supports; `$schema` picks it, 2020-12 otherwise). Its findings
    /// are `values_schema` errors. The schema is untrusted: remote and file `$ref`s are never
    /// fetched (they are an error here), its patterns run in a linear-time regex engine, its size
    /// is limited, and applying it is bounded by a budget
    /// ([`values_schema_budget`](Self::values_schema_budget)).
    pub fn values_schema(mut self, schema: &Value) -> Result<Self, Error> {
        let compiled = chart::ChartSchema::compile(schema)?;
        self.values_schema = Some(Arc::new(compiled));
        Ok(self)
    }

    /// The chart the release installs: `values` are checked as Helm checks them at install,
    /// coalesced over the chart's defaults (`values.yaml`) with subchart values under each
    /// dependency's name or alias, `global` passed down and conditions and tags applied, against
    /// the chart's `values.schema.json` and each enabled subchart's under its key; a create's
    /// `version` must be the chart's (`chart_version_mismatch`); and the size check measures the
    /// chart's stored parts too. Findings point into `/values` where the release's value is at
    /// fault, and at `/values` with a sentence naming the chart's default where the merge is.
    /// The chart replaces a [`values_schema`](Self::values_schema).
    ///
    /// Like `helm install`, refuses a library chart and a chart whose `Chart.yaml` names a
    /// dependency that is not under its `charts/`.
    ///
    /// ```
    /// use cce_release::chart::Chart;
    /// use cce_release::{Code, Kind, Options, Validator};
    /// use serde_json::json;
    ///
    /// let chart = Chart::new("koi", "3.0.1")
    ///     .values(json!({"image": "koi:3.0.1", "replicaCount": 1}))?
    ///     .schema(&json!({"required": ["image"], "properties": {"replicaCount": {"type": "integer"}}}))?;
    /// let validator = Validator::with_options(Kind::CreateRequest, Options::default().chart(chart)?);
    /// let body = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", "namespace": "default",
    ///   "version": "3.0.1", "values": {"replicaCount": null}}"#;
    /// assert!(validator.validate_bytes(body).is_empty()); // `null` removes the default: valid
    /// let body = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", "namespace": "default",
    ///   "version": "3.0.1", "values": {"image": null}}"#;
    /// let report = validator.validate_bytes(body);
    /// assert_eq!(report.diagnostics()[0].code, Code::ValuesSchema);
    /// assert_eq!(report.diagnostics()[0].pointer, "/values/image"); // the `null` that removed it
    /// # Ok::<(), cce_release::Error>(())
    /// ```
    pub fn chart(mut self, chart: crate::chart::Chart) -> Result<Self, Error> {
        if chart.is_library() {
            return Err(Error::Chart(format!(
                "`{}` is a library chart, which Helm does not install",
                chart.name()
            )));
        }
        let missing: Vec<&str> = chart
            .dependencies()
            .iter()
            .filter(|d| !chart.subcharts().iter().any(|s| s.name() == d.name))
            .map(|d| d.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Error::Chart(format!(
                "`{}`: Chart.yaml names dependencies that are not in its charts/ directory: {} \
                 (run `helm dependency build`)",
                chart.name(),
                missing.join(", ")
            )));
        }
        self.chart = Some(chart);
        Ok(self)
    }

    /// The chart given with [`chart`](Self::chart).
    pub fn chart_ref(&self) -> Option<&crate::chart::Chart> {
        self.chart.as_ref()
    }

    /// Like [`values_schema`](Self::values_schema), from the schema file's bytes (at most 8 MiB).
    pub fn values_schema_bytes(self, bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() > chart::MAX_SCHEMA_BYTES {
            return Err(Error::ValuesSchema(format!(
                "the schema is {} bytes, over the {} bytes a chart schema may have",
                bytes.len(),
                chart::MAX_SCHEMA_BYTES
            )));
        }
        let schema: Value = serde_json::from_slice(bytes).map_err(Error::ValuesSchemaJson)?;
        self.values_schema(&schema)
    }

    /// How much work applying the chart's values schema to one payload may take (see
    /// [`ValuesSchemaBudget`] for the limits and their defaults). Past it, the report has one
    /// `values_schema_budget` finding.
    #[must_use]
    pub fn values_schema_budget(mut self, budget: ValuesSchemaBudget) -> Self {
        self.values_schema_budget = budget;
        self
    }

    /// The largest input, in bytes, that is read; a larger one is a single `input_too_large`
    /// finding and is not parsed.
    #[must_use]
    pub fn max_input_size(mut self, bytes: usize) -> Self {
        self.max_input_size = bytes;
        self
    }

    /// The largest input read, in bytes (see [`max_input_size`](Self::max_input_size)): what a
    /// server caps a request body at before it reads it.
    pub fn input_size_limit(&self) -> usize {
        self.max_input_size
    }

    /// The problem of an input over the limit: `size` bytes when known (a declared length, a
    /// file's metadata, the bytes given), `None` when it was only read up to the limit. The one
    /// place an `input_too_large` finding is made, for bytes, readers and HTTP requests alike.
    pub(crate) fn too_large(&self, size: Option<usize>) -> Problem {
        Problem::InputTooLarge {
            size,
            limit: self.max_input_size,
        }
    }

    /// The deepest nesting of arrays and objects accepted (at least 1, at most
    /// [`DEFAULT_MAX_DEPTH`](Self::DEFAULT_MAX_DEPTH)); deeper input is an `invalid_json`
    /// finding at the place where the limit is crossed. Parsing never recurses deeper than this,
    /// whatever the input.
    #[must_use]
    pub fn max_depth(mut self, levels: usize) -> Self {
        self.max_depth = levels.clamp(1, Self::DEFAULT_MAX_DEPTH);
        self
    }

    /// The most findings a report holds (at least 1); beyond it, the first errors and then the
    /// first warnings in the text are kept, and one last `too_many_findings` finding says how
    /// many were left out. The work stays bounded too: findings beyond the limit are counted,
    /// never built.
    #[must_use]
    pub fn max_findings(mut self, findings: usize) -> Self {
        self.max_findings = findings.max(1);
        self
    }

    /// The largest input read, in bytes.
    pub(crate) fn max_input_size_limit(&self) -> usize {
        self.max_input_size
    }

    /// The deepest nesting accepted.
    #[cfg_attr(not(feature = "yaml"), allow(dead_code))]
    pub(crate) fn max_depth_limit(&self) -> usize {
        self.max_depth
    }

    /// The most findings a report holds.
    #[cfg_attr(not(feature = "yaml"), allow(dead_code))]
    pub(crate) fn max_findings_limit(&self) -> usize {
        self.max_findings
    }

    /// Reports only findings of these codes (all by default): the others are neither built nor
    /// counted, so they take no room under [`max_findings`](Self::max_findings). Replaces what
    /// earlier calls of `select` and [`ignore`](Self::ignore) set: select first, then ignore.
    ///
    /// ```
    /// use cce_release::{Code, Kind, Options, Validator};
    ///
    /// let options = Options::default().select([Code::MissingField]);
    /// let report = Validator::with_options(Kind::CreateRequest, options)
    ///     .validate_bytes(br#"{"name": "Koi_Neo4j", "extra": 1}"#);
    /// assert!(report.iter().all(|d| d.code == Code::MissingField));
    /// assert_eq!(report.len(), 4);
    /// ```
    #[must_use]
    pub fn select(mut self, codes: impl IntoIterator<Item = Code>) -> Self {
        self.reported = crate::diagnostic::CodeSet::only(codes);
        self
    }

    /// Never reports findings of these codes (they are neither built nor counted).
    #[must_use]
    pub fn ignore(mut self, codes: impl IntoIterator<Item = Code>) -> Self {
        self.reported = self.reported.without(codes);
        self
    }

    /// Whether findings of `code` are reported.
    pub fn reports(&self, code: Code) -> bool {
        self.reported.contains(code)
    }

    /// A collector under these options.
    pub(crate) fn collector(&self) -> Collector {
        Collector::new(self.max_findings, self.strict).reporting(self.reported)
    }

    /// Severity, position and message for every kept finding; sorted; the note of what was
    /// left out last. Positions come from `source` when there is one.
    pub(crate) fn finish(&self, collector: Collector, source: Option<Source<'_>>) -> Report {
        let (findings, omitted) = collector.finish();
        let positions = match source {
            Some(source) if !findings.is_empty() => positions(source, &findings),
            _ => vec![None; findings.len()],
        };
        // Fixes for the kept findings only, in one more walk over the text.
        let fixes = match source {
            Some(source) if !findings.is_empty() => {
                crate::fix::json::fixes(source.text, source.shift, &findings)
            }
            _ => vec![None; findings.len()],
        };
        let diagnostics: Vec<Diagnostic> = findings
            .into_iter()
            .zip(positions)
            .zip(fixes)
            .map(|((f, at), fix)| Diagnostic {
                fix,
                ..self.diagnostic(f, at)
            })
            .collect();
        self.report_of(diagnostics, omitted)
    }

    /// The report of these diagnostics, sorted, with the note of how many were left out last.
    pub(crate) fn report_of(&self, mut diagnostics: Vec<Diagnostic>, omitted: usize) -> Report {
        diagnostics.retain(|d| self.reported.contains(d.code));
        let report = Report::new(diagnostics);
        if omitted == 0 || !self.reported.contains(crate::Code::TooManyFindings) {
            return report;
        }
        let note = Finding::body(
            Problem::TooManyFindings {
                omitted,
                limit: self.max_findings,
            },
            "",
            Anchor::Nowhere,
        );
        report.with_last(self.diagnostic(note, None))
    }

    /// A kept finding as a diagnostic: its severity, masked pointer, position and message.
    pub(crate) fn diagnostic(&self, f: Finding, at: Option<(u32, u32)>) -> Diagnostic {
        let code = f.problem.code();
        let severity = if self.strict {
            Severity::Error
        } else {
            code.default_severity()
        };
        Diagnostic {
            severity,
            code,
            location: f.location,
            message: f.problem.message(f.location, &f.pointer),
            pointer: crate::redact::mask_pointer(&f.pointer).into_owned(),
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            document: None,
            fix: None,
        }
    }
}

/// What a call knows beyond the payload: the parameters of the request path it came with.
/// A server takes them from each request while sharing one [`Validator`] across threads.
///
/// ```
/// use cce_release::{Code, Kind, PathContext, Validator};
///
/// let validator = Validator::new(Kind::CreateRequest); // built once, shared
/// let body = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
///   "namespace": "default", "version": "3.0.1", "values": {},
///   "cluster_id": "11111111-2222-3333-4444-555555555555"}"#;
/// let path = PathContext::cluster("7378a198-a3fe-11eb-ad37-0255ac100b07"); // per request
/// let report = validator.validate_bytes_in(path, body);
/// assert!(report.has(Code::ClusterIdMismatch));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathContext<'a> {
    /// The cluster id the request path names (`/clusters/{cluster_id}/...`), as it came.
    pub cluster_id: Option<&'a str>,
}

impl<'a> PathContext<'a> {
    /// The context of a request whose path names `cluster_id`.
    pub const fn cluster(cluster_id: &'a str) -> Self {
        PathContext {
            cluster_id: Some(cluster_id),
        }
    }
}

/// A validator for any kind: reports only (see [`Validator::of`] for one that also parses into
/// its type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnyPayload;

/// Validates payloads of one [`Kind`].
///
/// Cheap to build and to clone (the compiled schemas are shared by the whole process), and
/// `Send + Sync`: one validator can serve every thread of a server; what varies per request
/// goes in a [`PathContext`]. `Validator::new(kind)` reports; [`Validator::of::<T>()`](Validator::of)
/// also turns bytes into a `T`, its kind taken from `T` so the two cannot disagree.
///
/// ```
/// use cce_release::{Code, Kind, Validator};
///
/// let validator = Validator::new(Kind::CreateRequest);
/// let report = validator.validate_bytes(br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
///   "namespace": "default", "version": "3.0.1", "values": {}}"#);
/// assert!(!report.is_valid());
/// let d = &report.diagnostics()[0];
/// assert_eq!((d.code, d.pointer.as_str(), d.line, d.column), (Code::MissingField, "/name", Some(1), Some(1)));
/// assert_eq!(d.message, "missing mandatory field `name`");
/// ```
#[derive(Debug)]
pub struct Validator<T = AnyPayload> {
    kind: Kind,
    options: Options,
    payload: PhantomData<fn() -> T>,
}

impl<T> Clone for Validator<T> {
    fn clone(&self) -> Self {
        Validator {
            kind: self.kind,
            options: self.options.clone(),
            payload: PhantomData,
        }
    }
}

impl Validator {
    /// Default [`max_input_size`](Options::max_input_size): 64 MiB.
    pub const DEFAULT_MAX_INPUT_SIZE: usize = Options::DEFAULT_MAX_INPUT_SIZE;

    /// Default and highest [`max_depth`](Options::max_depth): 127.
    pub const DEFAULT_MAX_DEPTH: usize = Options::DEFAULT_MAX_DEPTH;

    /// Default [`max_findings`](Options::max_findings): 1000.
    pub const DEFAULT_MAX_FINDINGS: usize = Options::DEFAULT_MAX_FINDINGS;

    /// A validator for `kind` with default options: not strict, no path cluster id, no chart
    /// values schema, the default limits.
    pub fn new(kind: Kind) -> Self {
        Validator::with_options(kind, Options::default())
    }

    /// A validator for `kind` with `options`.
    pub fn with_options(kind: Kind, options: Options) -> Self {
        Validator {
            kind,
            options,
            payload: PhantomData,
        }
    }
}

impl<T: Payload> Validator<T> {
    /// A validator for the payload type `T`, of its kind, with default options: it reports
    /// like any validator and also [parses](Validator::parse) into `T`.
    ///
    /// ```
    /// use cce_release::{CreateReleaseBody, Validator};
    ///
    /// let validator = Validator::<CreateReleaseBody>::of();
    /// let body = validator.parse(br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
    ///   "name": "koi-neo4j", "namespace": "default", "version": "3.0.1", "values": {}}"#).unwrap();
    /// assert_eq!(body.name, "koi-neo4j");
    /// ```
    pub fn of() -> Self {
        Validator {
            kind: T::KIND,
            options: Options::default(),
            payload: PhantomData,
        }
    }

    /// Bytes to a typed payload that has passed validation, or the report of why not.
    /// Warnings do not stop a payload: they travel in [`Valid::report`].
    pub fn parse(&self, input: &[u8]) -> Result<Valid<T>, Report> {
        self.parse_in(PathContext::default(), input)
    }

    /// [`parse`](Self::parse) with the request path's parameters.
    pub fn parse_in(&self, path: PathContext<'_>, input: &[u8]) -> Result<Valid<T>, Report> {
        let (report, text) = self.run_bytes(path, input);
        let Some(text) = text.filter(|_| report.is_valid()) else {
            return Err(report);
        };
        match serde_json::from_str::<T>(text) {
            Ok(payload) => Ok(Valid { payload, report }),
            // Unreachable for a payload that passed the schema; reported rather than trusted.
            Err(_) => Err(self.single(Problem::NotTheModel)),
        }
    }
}

impl<T> Validator<T> {
    /// Strict mode (see [`Options::strict`]).
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.options = self.options.strict(strict);
        self
    }

    /// The default cluster id of the request path (see [`Options::cluster_id`]).
    #[must_use]
    pub fn cluster_id(mut self, cluster_id: impl Into<String>) -> Self {
        self.options = self.options.cluster_id(cluster_id);
        self
    }

    /// A chart's `values.schema.json` (see [`Options::values_schema`]).
    pub fn values_schema(mut self, schema: &Value) -> Result<Self, Error> {
        self.options = self.options.values_schema(schema)?;
        Ok(self)
    }

    /// The budget of a chart's values schema (see [`Options::values_schema_budget`]).
    #[must_use]
    pub fn values_schema_budget(mut self, budget: ValuesSchemaBudget) -> Self {
        self.options = self.options.values_schema_budget(budget);
        self
    }

    /// The chart the release installs (see [`Options::chart`]).
    pub fn chart(mut self, chart: crate::chart::Chart) -> Result<Self, Error> {
        self.options = self.options.chart(chart)?;
        Ok(self)
    }

    /// A chart's `values.schema.json` as bytes (see [`Options::values_schema_bytes`]).
    pub fn values_schema_bytes(mut self, bytes: &[u8]) -> Result<Self, Error> {
        self.options = self.options.values_schema_bytes(bytes)?;
        Ok(self)
    }

    /// The largest input read (see [`Options::max_input_size`]).
    #[must_use]
    pub fn max_input_size(mut self, bytes: usize) -> Self {
        self.options = self.options.max_input_size(bytes);
        self
    }

    /// The deepest nesting accepted (see [`Options::max_depth`]).
    #[must_use]
    pub fn max_depth(mut self, levels: usize) -> Self {
        self.options = self.options.max_depth(levels);
        self
    }

    /// The most findings a report holds (see [`Options::max_findings`]).
    #[must_use]
    pub fn max_findings(mut self, findings: usize) -> Self {
        self.options = self.options.max_findings(findings);
        self
    }

    /// The kind this validator checks.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Its options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Validates a payload as it arrives: raw bytes, with lines and columns for every finding.
    /// Never panics, whatever the bytes.
    pub fn validate_bytes(&self, input: &[u8]) -> Report {
        self.run_bytes(PathContext::default(), input).0
    }

    /// [`validate_bytes`](Self::validate_bytes) with the request path's parameters.
    pub fn validate_bytes_in(&self, path: PathContext<'_>, input: &[u8]) -> Report {
        self.run_bytes(path, input).0
    }

    /// Validates what `reader` yields, reading at most [`max_input_size`](Options::max_input_size)
    /// bytes and one more: a stream longer than the limit (a pipe, a device such as
    /// `/dev/zero`, a request body that never ends) is one `input_too_large` finding, and
    /// nothing past the limit is read or kept. Only a failure to read is an `Err`.
    ///
    /// ```
    /// use cce_release::{Code, Kind, Validator};
    ///
    /// let validator = Validator::new(Kind::CreateRequest).max_input_size(1024);
    /// let endless = std::io::repeat(b' ');
    /// let report = validator.validate_reader(endless).unwrap();
    /// assert_eq!(report.diagnostics()[0].code, Code::InputTooLarge);
    /// ```
    pub fn validate_reader<R: std::io::Read>(&self, reader: R) -> std::io::Result<Report> {
        use std::io::Read as _;
        let limit = self.options.max_input_size;
        let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
        let mut bytes = Vec::new();
        reader.take(cap).read_to_end(&mut bytes)?;
        if bytes.len() > limit {
            return Ok(self.too_large(None));
        }
        Ok(self.validate_bytes(&bytes))
    }

    /// The report of an input of `size` bytes, over [`max_input_size`](Options::max_input_size),
    /// that the caller did not read: one `input_too_large` finding. For callers that know the
    /// size before reading (a request's `Content-Length`, a file's metadata) and can refuse the
    /// input unread; [`validate_bytes`](Self::validate_bytes) says the same of oversized bytes.
    /// For a whole HTTP request, whose path, query and headers still have findings of their own,
    /// [`HttpValidator::validate_oversized`](crate::http::HttpValidator::validate_oversized).
    pub fn oversized(&self, size: usize) -> Report {
        self.too_large(Some(size))
    }

    /// Validates an already parsed value. There is no source text, so findings carry pointers
    /// but no line or column; duplicate keys cannot be seen in a parsed value.
    pub fn validate_value(&self, value: &Value) -> Report {
        self.validate_value_in(PathContext::default(), value)
    }

    /// [`validate_value`](Self::validate_value) with the request path's parameters.
    pub fn validate_value_in(&self, path: PathContext<'_>, value: &Value) -> Report {
        let mut collector = self.collector();
        let setup = self.setup(None);
        let cx = rules::Context::new(self.kind, &self.options, path, None);
        // Nothing is built: the value is its own skeleton, and the rules read it.
        match walk::value(value, &setup, &mut collector, None) {
            Ok(walked) => {
                rules::check_value(&cx, value, &walked, &mut collector);
                self.options.finish(collector, None)
            }
            Err(e) => self.single(syntax_problem("", &e, self.options.max_depth).0),
        }
    }

    /// Validates anything that serializes to JSON (a typed body built in code) exactly as it
    /// will be sent.
    pub fn validate_serializable<P: Serialize + ?Sized>(&self, payload: &P) -> Report {
        match serde_json::to_value(payload) {
            Ok(value) => self.validate_value(&value),
            Err(_) => self.single(Problem::NotTheModel),
        }
    }

    fn collector(&self) -> Collector {
        self.options.collector()
    }

    fn setup(&self, text: Option<&str>) -> walk::Setup {
        walk_setup(self.kind, &self.options, text)
    }

    /// A report of one finding without a position.
    fn single(&self, problem: Problem) -> Report {
        let mut collector = self.collector();
        collector.push(
            At::of(&[], Anchor::Nowhere),
            Finding::body(problem, "", Anchor::Nowhere),
        );
        self.options.finish(collector, None)
    }

    fn too_large(&self, size: Option<usize>) -> Report {
        self.single(self.options.too_large(size))
    }

    /// The report of `input`, and its text when it decoded.
    fn run_bytes<'i>(&self, path: PathContext<'_>, input: &'i [u8]) -> (Report, Option<&'i str>) {
        self.run_bytes_after(self.collector(), path, input)
    }

    /// [`run_bytes`](Self::run_bytes) into a collector that may hold findings already (an HTTP
    /// request's, about its path, query and headers).
    pub(crate) fn run_bytes_after<'i>(
        &self,
        prelude: Collector,
        path: PathContext<'_>,
        input: &'i [u8],
    ) -> (Report, Option<&'i str>) {
        if input.len() > self.options.max_input_size {
            let mut collector = prelude;
            collector.push_unplaced(Finding::body(
                self.options.too_large(Some(input.len())),
                "",
                Anchor::Nowhere,
            ));
            return (self.options.finish(collector, None), None);
        }
        let mut bom = None;
        let input = match input.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => {
                bom = Some(Finding::body(Problem::ByteOrderMark, "", Anchor::Offset(0)));
                rest
            }
            None => input,
        };
        let fresh = |bom: Option<Finding>| {
            let mut collector = prelude.clone();
            if let Some(bom) = bom {
                collector.push(At::of(&[], Anchor::Offset(0)), bom);
            }
            collector
        };
        let text = match std::str::from_utf8(input) {
            Ok(text) => text,
            Err(e) => {
                let offset = e.valid_up_to();
                let prefix = std::str::from_utf8(&input[..offset]).unwrap_or_default();
                let mut collector = fresh(bom);
                collector.push(
                    At::of(&[], Anchor::Offset(offset)),
                    Finding::body(Problem::InvalidUtf8 { offset }, "", Anchor::Offset(offset)),
                );
                let source = Source {
                    text: prefix,
                    unique_keys: true,
                    shift: 0,
                };
                return (self.options.finish(collector, Some(source)), None);
            }
        };
        let mut collector = fresh(bom.clone());
        let setup = self.setup(Some(text));
        let mut cx = rules::Context::new(self.kind, &self.options, path, Some(input.len()));
        cx.text = Some(text);
        let mut hook =
            |index: usize, item: &Value, places: &walk::Places, collector: &mut Collector| {
                rules::check_item(&cx, index, item, places, collector);
            };
        let walked = walk::text(text, &setup, &mut collector, Some(&mut hook));
        let source = Source {
            text,
            unique_keys: true,
            shift: if bom.is_some() { 3 } else { 0 },
        };
        match walked {
            Ok(walked) => {
                rules::check(&cx, &walked, &mut collector);
                let source = Source {
                    unique_keys: !walked.repeated_keys,
                    ..source
                };
                (self.options.finish(collector, Some(source)), Some(text))
            }
            Err(e) => {
                let (problem, offset) = syntax_problem(text, &e, self.options.max_depth);
                let mut collector = fresh(bom);
                collector.push(
                    At::of(&[], Anchor::Offset(offset)),
                    Finding::body(problem, "", Anchor::Offset(offset)),
                );
                (self.options.finish(collector, Some(source)), None)
            }
        }
    }
}

/// What the walk of a payload of `kind` is asked to do. `keys`: the text the keys it reads are
/// borrowed from (JSON text, or a YAML document's key arena), which also asks for repeated keys
/// and the skeleton; `None` for a parsed value.
pub(crate) fn walk_setup(kind: Kind, options: &Options, keys: Option<&str>) -> walk::Setup {
    let request = matches!(kind, Kind::CreateRequest | Kind::UpdateRequest);
    walk::Setup {
        kind,
        max_depth: options.max_depth,
        build_open: if options.values_schema.is_some() || options.chart.is_some() {
            Options::CHART_VALUES_BUILT
        } else {
            0
        },
        measure: request.then_some("values"),
        keep_unknown: if request { &["cluster_id"] } else { &[] },
        duplicates: keys.is_some(),
        build: keys.is_some(),
        text: keys.map(|t| (t.as_ptr() as usize, t.len())),
    }
}

/// The finding of a parse error, and its byte offset in `text`.
fn syntax_problem(text: &str, e: &serde_json::Error, max_depth: usize) -> (Problem, usize) {
    let offset = locate::offset_of(text, e.line(), e.column());
    let full = e.to_string();
    let detail = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let problem = if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() && e.is_eof() {
        Problem::EmptyInput
    } else if detail == "trailing characters" {
        Problem::TrailingData
    } else if detail == "recursion limit exceeded" || detail == walk::TOO_DEEP {
        Problem::TooDeep { limit: max_depth }
    } else {
        Problem::InvalidJson {
            detail: Syntax::from_parser(detail),
        }
    };
    (problem, offset)
}

/// Text the findings point into.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    text: &'a str,
    /// The text repeats no key (so a pointer's first match is its only one).
    unique_keys: bool,
    /// The length of the byte-order mark before the text (fixes are offsets in the input).
    shift: usize,
}

/// The line and column of every finding, resolving all pointers in one walk over the text.
fn positions(source: Source<'_>, findings: &[Finding]) -> Vec<Option<(u32, u32)>> {
    fn request(f: &Finding) -> Option<(&str, Target)> {
        match f.anchor {
            Anchor::Value => Some((f.pointer.as_str(), Target::Value)),
            Anchor::Key => Some((f.pointer.as_str(), Target::Key)),
            Anchor::Parent => Some((crate::pointer::parent(&f.pointer), Target::Value)),
            Anchor::Offset(_) | Anchor::KeyAt(_) | Anchor::Nowhere => None,
        }
    }
    let requests: Vec<(&str, Target)> = findings.iter().filter_map(request).collect();
    let mut resolved = locate::resolve(source.text, &requests, source.unique_keys).into_iter();
    let offsets: Vec<Option<usize>> = findings
        .iter()
        .map(|f| match f.anchor {
            Anchor::Offset(offset) | Anchor::KeyAt(offset) => Some(offset),
            Anchor::Nowhere => None,
            _ => resolved.next().flatten(),
        })
        .collect();
    let known: Vec<usize> = offsets.iter().flatten().copied().collect();
    let mut lines = locate::line_cols(source.text, &known).into_iter();
    offsets
        .iter()
        .map(|o| o.and_then(|_| lines.next()))
        .collect()
}

/// A payload that has passed validation (it may still carry warnings).
///
/// ```
/// use cce_release::{CreateReleaseBody, Valid};
///
/// let bytes = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
///   "namespace": "default", "version": "v3.0.1", "values": {"imageTag": "4.0.3-enterprise"}}"#;
/// let body: Valid<CreateReleaseBody> = Valid::from_bytes(bytes).unwrap();
/// assert_eq!(body.values.image_tag.as_deref(), Some("4.0.3-enterprise"));
/// assert_eq!(body.report().warning_count(), 1); // `v3.0.1` is a loose version
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Valid<T> {
    payload: T,
    report: Report,
}

impl<T: Payload> Valid<T> {
    /// Validates bytes with default options and parses them into `T`.
    pub fn from_bytes(input: &[u8]) -> Result<Self, Report> {
        Validator::<T>::of().parse(input)
    }

    /// Validates a value built in code, exactly as it serializes.
    pub fn new(payload: T) -> Result<Self, Report> {
        let report = Validator::<T>::of().validate_serializable(&payload);
        if report.is_valid() {
            Ok(Valid { payload, report })
        } else {
            Err(report)
        }
    }
}

impl<T> Valid<T> {
    /// The findings that did not stop the payload (warnings).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The payload.
    pub fn into_inner(self) -> T {
        self.payload
    }

    /// The payload and its report.
    pub fn into_parts(self) -> (T, Report) {
        (self.payload, self.report)
    }
}

impl<T> std::ops::Deref for Valid<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.payload
    }
}

impl<T> AsRef<T> for Valid<T> {
    fn as_ref(&self) -> &T {
        &self.payload
    }
}
