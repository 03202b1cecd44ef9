//! Findings as data: [`Diagnostic`], [`Severity`], [`Code`], [`Report`].
//!
//! A payload problem is never a Rust error: it is a [`Diagnostic`] in a [`Report`]. Errors
//! ([`crate::Error`]) are failures to run.

mod code;
pub(crate) mod message;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use code::{Code, Explanation, UnknownCode};

/// A set of codes (which codes a report keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeSet(u128);

impl CodeSet {
    /// Every code.
    pub(crate) const ALL: CodeSet = CodeSet(u128::MAX);

    fn bit(code: Code) -> u128 {
        let index = Code::ALL.iter().position(|&c| c == code).unwrap_or(127);
        1u128 << index.min(127)
    }

    /// Only these codes.
    pub(crate) fn only(codes: impl IntoIterator<Item = Code>) -> CodeSet {
        CodeSet(codes.into_iter().fold(0, |set, code| set | Self::bit(code)))
    }

    /// These codes left out.
    pub(crate) fn without(self, codes: impl IntoIterator<Item = Code>) -> CodeSet {
        CodeSet(
            codes
                .into_iter()
                .fold(self.0, |set, code| set & !Self::bit(code)),
        )
    }

    pub(crate) fn contains(self, code: Code) -> bool {
        self.0 & Self::bit(code) != 0
    }
}

/// How serious a finding is. A payload is valid when it has no `error` finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The API or Helm rejects the payload, or it loses data.
    Error,
    /// Accepted, but probably not what the author meant.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of an HTTP request a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Location {
    /// The JSON body; `pointer` is an RFC 6901 pointer into it.
    Body,
    /// A path parameter; `pointer` is `/` and its name.
    Path,
    /// A query parameter; `pointer` is `/` and its name.
    Query,
    /// A header; `pointer` is `/` and its name.
    Header,
}

impl Location {
    /// `body`, `path`, `query` or `header`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Body => "body",
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// One finding: what is wrong, where, and how serious it is.
///
/// Serialized exactly as the linter's JSON output shows it; `line` and `column` are left out
/// where no position exists (a path parameter, a value built in code).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// `error` or `warning` (strict mode turns every warning into an error).
    pub severity: Severity,
    /// Stable id of the kind of finding.
    pub code: Code,
    /// Which part of the request it is about.
    pub location: Location,
    /// RFC 6901 JSON Pointer into the body (`""` is the whole document); for a path, query or
    /// header finding, `/` and the parameter's name.
    pub pointer: String,
    /// 1-based line of the position the finding points at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column of that position, counted in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// One sentence: what is wrong and what is expected.
    pub message: String,
    /// In a YAML stream of several documents, the 1-based number of the document the finding is
    /// in (its line and column are the file's); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<u32>,
    /// A suggested fix: edits of the input that remove the finding (see [`crate::fix`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<crate::fix::Fix>,
}

impl fmt::Display for Diagnostic {
    /// `line:column: severity[code]: message`; without a position, where the finding points
    /// instead: `/name: error[...]` for the body (a body built in code has no lines),
    /// `header /X-Auth-Token: error[...]` for the rest of a request.
    ///
    /// ```
    /// use cce_release::CreateReleaseBody;
    ///
    /// let body: CreateReleaseBody = serde_json::from_str(r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
    ///   "name": "Koi", "namespace": "default", "version": "3.0.1", "values": {}}"#).unwrap();
    /// let report = body.validate();
    /// assert!(report.to_string().starts_with("/name: error[pattern_mismatch]: `name` must start"));
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: ")?,
            _ if self.location != Location::Body => {
                write!(f, "{} {}: ", self.location.as_str(), self.pointer)?
            }
            _ if !self.pointer.is_empty() => write!(f, "{}: ", self.pointer)?,
            _ => {}
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// Every finding of one payload, sorted by position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// A report of these findings, sorted by position: findings without one first, then by line
    /// and column. Findings at the same position keep the order they were given in (the
    /// validator gives the schema's order: `chart_id` before `name`, errors before warnings).
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| (d.line, d.column));
        Report { diagnostics }
    }

    /// Appends a finding after the sorted ones (the note that the report was cut short).
    pub(crate) fn with_last(mut self, last: Diagnostic) -> Self {
        self.diagnostics.push(last);
        self
    }

    /// True when no finding is an error.
    pub fn is_valid(&self) -> bool {
        self.error_count() == 0
    }

    /// All findings, sorted by position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The findings, by value.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Iterates over the findings.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.diagnostics.iter()
    }

    /// True when there is no finding at all.
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Number of findings.
    pub fn len(&self) -> usize {
        self.diagnostics.len()
    }

    /// Number of `error` findings.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of `warning` findings.
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// True when some finding has this code.
    pub fn has(&self, code: Code) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

impl<'a> IntoIterator for &'a Report {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.diagnostics.iter()
    }
}

impl fmt::Display for Report {
    /// One finding per line, then nothing else; an empty report prints nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// A report is the `Err` of [`Validator::parse`](crate::Validator::parse) and [`Valid::new`](crate::Valid::new),
/// so it works with `?` into `Box<dyn Error>`; its `Display` lists every finding.
///
/// ```
/// use cce_release::CreateReleaseBody;
///
/// fn install(bytes: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
///     let body = cce_release::Valid::<CreateReleaseBody>::from_bytes(bytes)?;
///     Ok(body.name.clone())
/// }
/// let error = install(br#"{"name": "koi"}"#).unwrap_err();
/// assert!(error.to_string().contains("missing_field"));
/// ```
impl std::error::Error for Report {}
