//! The pipeline: bytes → decode → parse → schema pass → rule pass → locate → [`Report`].
//!
//! 1. **Decode**: UTF-8 only; a leading byte-order mark is skipped with a `byte_order_mark` warning.
//! 2. **Parse**: exactly one JSON value. Repeated keys are noticed while parsing at no extra cost;
//!    only then is the text walked again to find each `duplicate_key`.
//! 3. **Schema pass**: the kind's compiled schema, every violation (see [`schema_pass`]).
//! 4. **Rule pass**: what a schema cannot say (see [`rules`]).
//! 5. **Locate**: pointers become lines and columns, only when there are findings.

pub(crate) mod chart;
pub(crate) mod parse;
pub(crate) mod rules;
mod schema_pass;

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostic::message::Problem;
use crate::diagnostic::{Diagnostic, Location, Report, Severity};
use crate::locate::{self, Target};
use crate::model::{ApiError, CreateReleaseBody, DeleteResponse, Release, UpdateReleaseBody};
use crate::{Error, Kind};

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
        Finding {
            problem,
            location: Location::Body,
            pointer: pointer.into(),
            anchor,
        }
    }
}

/// Validates payloads of one [`Kind`].
///
/// Cheap to build and to clone (the compiled schemas are shared by the whole process), and
/// `Send + Sync`: one validator can serve every thread of a server.
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
#[derive(Debug, Clone)]
pub struct Validator {
    kind: Kind,
    options: Options,
}

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub strict: bool,
    pub cluster_id: Option<String>,
    pub values_schema: Option<Arc<chart::ChartSchema>>,
    pub values_schema_budget: ValuesSchemaBudget,
    pub max_input_size: usize,
    pub max_depth: usize,
    pub max_findings: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            cluster_id: None,
            values_schema: None,
            values_schema_budget: ValuesSchemaBudget::default(),
            max_input_size: Validator::DEFAULT_MAX_INPUT_SIZE,
            max_depth: Validator::DEFAULT_MAX_DEPTH,
            max_findings: Validator::DEFAULT_MAX_FINDINGS,
        }
    }
}

impl Validator {
    /// Default [`max_input_size`](Self::max_input_size): 64 MiB. A release body is a few KiB,
    /// and Helm cannot store a revision over 1 MiB.
    pub const DEFAULT_MAX_INPUT_SIZE: usize = 64 * 1024 * 1024;

    /// Default and highest [`max_depth`](Self::max_depth): 127 levels of arrays and objects,
    /// the parser's own limit. Real Helm values nest 20 to 30 levels.
    pub const DEFAULT_MAX_DEPTH: usize = parse::DEPTH_LIMIT;

    /// Default [`max_findings`](Self::max_findings): 1000.
    pub const DEFAULT_MAX_FINDINGS: usize = 1000;

    /// A validator for `kind` with default options: not strict, no path cluster id, no chart
    /// values schema.
    pub fn new(kind: Kind) -> Self {
        Validator {
            kind,
            options: Options::default(),
        }
    }

    /// Strict mode: every warning is reported as an error (unknown members included), so a
    /// payload is valid only when it has no finding at all.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.options.strict = strict;
        self
    }

    /// The cluster id of the request path. It must be a UUID (else an `invalid_format` finding
    /// about the path), and a `cluster_id` in the body must name the same cluster (else
    /// `cluster_id_mismatch`).
    #[must_use]
    pub fn cluster_id(mut self, cluster_id: impl Into<String>) -> Self {
        self.options.cluster_id = Some(cluster_id.into());
        self
    }

    /// The chart's `values.schema.json`, applied to `/values` of a create or update request (any
    /// draft the `jsonschema` crate supports; `$schema` picks it, 2020-12 otherwise). Its findings are
    /// `values_schema` errors. The schema is untrusted: remote and file `$ref`s are never
    /// fetched (they are an error here), its patterns run in a linear-time regex engine, its
    /// size is limited, and applying it is bounded by a budget
    /// ([`values_schema_budget`](Self::values_schema_budget)).
    pub fn values_schema(mut self, schema: &Value) -> Result<Self, Error> {
        let compiled = chart::ChartSchema::compile(schema)?;
        self.options.values_schema = Some(Arc::new(compiled));
        Ok(self)
    }

    /// How much work applying the chart's values schema to one payload may take (see
    /// [`ValuesSchemaBudget`] for the limits and their defaults). Past it, the report has one
    /// `values_schema_budget` finding.
    #[must_use]
    pub fn values_schema_budget(mut self, budget: ValuesSchemaBudget) -> Self {
        self.options.values_schema_budget = budget;
        self
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

    /// The largest input, in bytes, that [`validate_bytes`](Self::validate_bytes) reads; a
    /// larger one is a single `input_too_large` finding and is not parsed.
    #[must_use]
    pub fn max_input_size(mut self, bytes: usize) -> Self {
        self.options.max_input_size = bytes;
        self
    }

    /// The deepest nesting of arrays and objects accepted (at least 1, at most
    /// [`DEFAULT_MAX_DEPTH`](Self::DEFAULT_MAX_DEPTH)); deeper input is an `invalid_json`
    /// finding at the place where the limit is crossed. Parsing never recurses deeper than this,
    /// whatever the input.
    #[must_use]
    pub fn max_depth(mut self, levels: usize) -> Self {
        self.options.max_depth = levels.clamp(1, Self::DEFAULT_MAX_DEPTH);
        self
    }

    /// The most findings a report holds (at least 1); beyond it, the findings that come first
    /// in the text are kept and one last `too_many_findings` finding says how many were left out.
    #[must_use]
    pub fn max_findings(mut self, findings: usize) -> Self {
        self.options.max_findings = findings.max(1);
        self
    }

    /// The kind this validator checks.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The same options for another kind (the HTTP layer picks the kind per operation).
    pub(crate) fn for_kind(&self, kind: Kind) -> Validator {
        Validator {
            kind,
            options: self.options.clone(),
        }
    }

    /// Validates a payload as it arrives: raw bytes, with lines and columns for every finding.
    /// Never panics, whatever the bytes.
    pub fn validate_bytes(&self, input: &[u8]) -> Report {
        // Only the typed path needs the inside of `values` built, and a chart's schema; only the
        // request bodies have a `values` object to skim.
        let depth = if self.options.values_schema.is_none() && self.kind.has_values_object() {
            parse::Depth::SkimValues
        } else {
            parse::Depth::Full
        };
        self.run_bytes(self.kind, input, depth).0
    }

    /// Validates what `reader` yields, reading at most [`max_input_size`](Self::max_input_size)
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

    /// The report of an input of `size` bytes, over [`max_input_size`](Self::max_input_size),
    /// that the caller did not read: one `input_too_large` finding. For callers that know the
    /// size before reading (a file's metadata, a request's `Content-Length`) and can refuse it
    /// unread; [`validate_bytes`](Self::validate_bytes) says the same of oversized bytes.
    pub fn oversized(&self, size: usize) -> Report {
        self.too_large(Some(size))
    }

    fn too_large(&self, size: Option<usize>) -> Report {
        let problem = Problem::InputTooLarge {
            size,
            limit: self.options.max_input_size,
        };
        self.finish(vec![Finding::body(problem, "", Anchor::Nowhere)], None)
    }

    /// Validates an already parsed value. There is no source text, so findings carry pointers
    /// but no line or column; duplicate keys cannot be seen in a parsed value.
    pub fn validate_value(&self, value: &Value) -> Report {
        let findings = self.check(self.kind, value, None, None);
        self.finish(findings, None)
    }

    /// Validates anything that serializes to JSON (a typed body built in code) exactly as it
    /// will be sent.
    pub fn validate_serializable<T: Serialize + ?Sized>(&self, payload: &T) -> Report {
        match serde_json::to_value(payload) {
            Ok(value) => self.validate_value(&value),
            Err(e) => self.finish(
                vec![Finding::body(
                    Problem::InvalidJson {
                        detail: e.to_string(),
                    },
                    "",
                    Anchor::Nowhere,
                )],
                None,
            ),
        }
    }

    /// Bytes to a typed payload that has passed validation, or the report of why not.
    ///
    /// The kind comes from `T` ([`Payload::KIND`]); the options come from this validator.
    /// Warnings do not stop a payload: they travel in [`Valid::report`].
    pub fn parse<T: Payload>(&self, input: &[u8]) -> Result<Valid<T>, Report> {
        let (report, value) = self.run_bytes(T::KIND, input, parse::Depth::Full);
        if !report.is_valid() {
            return Err(report);
        }
        let Some(value) = value else {
            return Err(report);
        };
        match serde_json::from_value::<T>(value) {
            Ok(payload) => Ok(Valid { payload, report }),
            // Unreachable for a payload that passed the schema; reported rather than trusted.
            Err(e) => Err(self.finish(
                vec![Finding::body(
                    Problem::InvalidJson {
                        detail: format!("the payload does not fit the typed model: {e}"),
                    },
                    "",
                    Anchor::Nowhere,
                )],
                None,
            )),
        }
    }

    fn run_bytes(&self, kind: Kind, input: &[u8], depth: parse::Depth) -> (Report, Option<Value>) {
        let mut findings = Vec::new();
        if input.len() > self.options.max_input_size {
            return (self.too_large(Some(input.len())), None);
        }
        let input = match input.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => {
                findings.push(Finding::body(Problem::ByteOrderMark, "", Anchor::Offset(0)));
                rest
            }
            None => input,
        };
        let text = match parse::decode(input) {
            Ok(text) => text,
            Err((finding, valid_prefix)) => {
                findings.push(finding);
                let source = Source {
                    text: valid_prefix,
                    duplicates: false,
                };
                return (self.finish(findings, Some(source)), None);
            }
        };
        let parsed = match parse::parse(text, depth, self.options.max_depth) {
            Ok(parsed) => parsed,
            Err(finding) => {
                findings.push(finding);
                let source = Source {
                    text,
                    duplicates: false,
                };
                return (self.finish(findings, Some(source)), None);
            }
        };
        findings.extend(self.check(kind, &parsed.value, Some(input.len()), parsed.values_size));
        let source = Source {
            text,
            duplicates: parsed.has_duplicates,
        };
        (self.finish(findings, Some(source)), Some(parsed.value))
    }

    /// The schema pass and the rule pass over a parsed value.
    fn check(
        &self,
        kind: Kind,
        value: &Value,
        input_len: Option<usize>,
        values_size: Option<usize>,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        schema_pass::check(kind, value, &mut findings);
        let context = rules::Context {
            kind,
            options: &self.options,
            input_len,
            values_size,
        };
        rules::check(&context, value, &mut findings);
        findings
    }

    /// Severity, position and message for every finding; sorted. With a `source`, findings get
    /// their positions from it, and its repeated keys (when the parser saw any) become
    /// `duplicate_key` findings, found in the same walk.
    fn finish(&self, mut findings: Vec<Finding>, source: Option<Source<'_>>) -> Report {
        let positions = match source {
            Some(source) if !findings.is_empty() || source.duplicates => {
                positions(source, &mut findings)
            }
            _ => vec![None; findings.len()],
        };
        let mut located: Vec<(Finding, Option<(u32, u32)>)> =
            findings.into_iter().zip(positions).collect();
        let omitted = located.len().saturating_sub(self.options.max_findings);
        if omitted > 0 {
            // Errors before warnings, then the first in the text: the cut never turns an invalid
            // payload into a valid one. Messages are only written for the findings kept.
            let is_warning = |f: &Finding| {
                !self.options.strict && f.problem.code().default_severity() == Severity::Warning
            };
            located.sort_by_key(|(f, at)| (is_warning(f), *at));
            located.truncate(self.options.max_findings);
        }
        let mut diagnostics: Vec<Diagnostic> = located
            .into_iter()
            .map(|(f, at)| self.diagnostic(f, at))
            .collect();
        if omitted > 0 {
            let problem = Problem::TooManyFindings {
                omitted,
                limit: self.options.max_findings,
            };
            let last = self.diagnostic(Finding::body(problem, "", Anchor::Nowhere), None);
            return Report::new(diagnostics).with_last(last);
        }
        diagnostics.shrink_to_fit();
        Report::new(diagnostics)
    }

    fn diagnostic(&self, f: Finding, at: Option<(u32, u32)>) -> Diagnostic {
        let code = f.problem.code();
        let severity = if self.options.strict {
            Severity::Error
        } else {
            code.default_severity()
        };
        Diagnostic {
            severity,
            code,
            location: f.location,
            message: f.problem.message(f.location, &f.pointer),
            pointer: f.pointer,
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
        }
    }
}

/// Text the findings point into.
#[derive(Clone, Copy)]
struct Source<'a> {
    text: &'a str,
    /// The parser saw a repeated key.
    duplicates: bool,
}

/// The line and column of every finding, resolving all pointers in one walk over the text, and
/// the `duplicate_key` findings of that walk (appended to `findings`). A pointer that names
/// nothing in the text (which the validator does not produce, but a scanner should not trust)
/// falls back to its nearest enclosing value that exists.
fn positions(source: Source<'_>, findings: &mut Vec<Finding>) -> Vec<Option<(u32, u32)>> {
    fn request(f: &Finding) -> Option<(&str, Target)> {
        match f.anchor {
            Anchor::Value => Some((f.pointer.as_str(), Target::Value)),
            Anchor::Key => Some((f.pointer.as_str(), Target::Key)),
            Anchor::Parent => Some((parent(&f.pointer), Target::Value)),
            Anchor::Offset(_) | Anchor::Nowhere => None,
        }
    }
    let text = source.text;
    let unique_keys = !source.duplicates;
    let requests: Vec<(&str, Target)> = findings.iter().filter_map(request).collect();
    let scan = locate::scan(text, &requests, unique_keys, source.duplicates);
    let mut resolved = scan.offsets.into_iter();
    let mut offsets: Vec<Option<usize>> = findings
        .iter()
        .map(|f| match f.anchor {
            Anchor::Offset(offset) => Some(offset),
            Anchor::Nowhere => None,
            _ => resolved.next().flatten().or_else(|| {
                let (mut pointer, target) = request(f)?;
                loop {
                    if let Some(offset) = locate::find(text, pointer, target, unique_keys) {
                        return Some(offset);
                    }
                    if pointer.is_empty() {
                        return None;
                    }
                    pointer = parent(pointer);
                }
            }),
        })
        .collect();
    for d in scan.duplicates {
        offsets.push(Some(d.offset));
        findings.push(Finding::body(
            Problem::DuplicateKey,
            d.pointer,
            Anchor::Offset(d.offset),
        ));
    }
    let known: Vec<usize> = offsets.iter().flatten().copied().collect();
    let mut lines = locate::line_cols(text, &known).into_iter();
    offsets
        .iter()
        .map(|o| o.and_then(|_| lines.next()))
        .collect()
}

fn parent(pointer: &str) -> &str {
    pointer.rfind('/').map_or("", |i| &pointer[..i])
}

/// A payload type with a kind: what [`Validator::parse`] can produce.
pub trait Payload: DeserializeOwned + Serialize {
    /// The kind whose schema and rules apply.
    const KIND: Kind;
}

impl Payload for CreateReleaseBody {
    const KIND: Kind = Kind::CreateRequest;
}

impl Payload for Release {
    const KIND: Kind = Kind::Release;
}

impl Payload for UpdateReleaseBody {
    const KIND: Kind = Kind::UpdateRequest;
}

impl Payload for Vec<Release> {
    const KIND: Kind = Kind::ReleaseList;
}

impl Payload for DeleteResponse {
    const KIND: Kind = Kind::DeleteResponse;
}

impl Payload for ApiError {
    const KIND: Kind = Kind::Error;
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
        Validator::new(T::KIND).parse(input)
    }

    /// Validates a value built in code, exactly as it serializes.
    pub fn new(payload: T) -> Result<Self, Report> {
        let report = Validator::new(T::KIND).validate_serializable(&payload);
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
