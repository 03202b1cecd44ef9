//! `Report`, `Diagnostic`, `Explanation` and `ValidationError`: the library's findings as Python
//! objects.
//!
//! Everything a report says comes from the library, already masked: messages quote no value
//! under a secret-looking key, and pointers hide the keys below one. What the package adds is
//! the text of `str()` and `repr()` (escaped: [`crate::text`]) and the JSON of `to_json()` (the
//! linter's JSON shape and escaping).

use cce_release::{Code, Diagnostic, Report, Severity};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::text;

pyo3::create_exception!(
    cce_release,
    ValidationError,
    PyValueError,
    "Raised by `Report.raise_for_errors()`: the payload has errors. `.report` is the whole \
     `Report` (warnings included) and `.diagnostics` its findings; `str()` lists them, masked."
);

/// How many findings the message of a `ValidationError` lists (the rest are in `.report`).
const LISTED: usize = 20;

/// One finding.
#[pyclass(frozen, eq, hash, module = "cce_release", name = "Diagnostic")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PyDiagnostic {
    pub(crate) inner: Diagnostic,
}

#[pymethods]
impl PyDiagnostic {
    /// The stable code, such as `missing_field`.
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code.as_str()
    }

    /// `error` or `warning`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// `body`, `path`, `query` or `header`.
    #[getter]
    fn location(&self) -> &'static str {
        self.inner.location.as_str()
    }

    /// A JSON Pointer into the body (`""` is the whole body); `/` and the parameter's name for a
    /// path, query or header finding. Masked below a secret-looking key.
    #[getter]
    fn pointer(&self) -> &str {
        &self.inner.pointer
    }

    /// 1-based line, or `None` where no position exists (a value built in code, a path).
    #[getter]
    fn line(&self) -> Option<u32> {
        self.inner.line
    }

    /// 1-based column, in characters, or `None`.
    #[getter]
    fn column(&self) -> Option<u32> {
        self.inner.column
    }

    /// One sentence: what is wrong and what is expected.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// True for an `error` finding.
    #[getter]
    fn is_error(&self) -> bool {
        self.inner.severity == Severity::Error
    }

    /// The finding as the linter's JSON shows it (`line` and `column` only where they exist).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        diagnostic_dict(py, &self.inner)
    }

    fn __str__(&self) -> String {
        text::visible(&self.inner.to_string()).into_owned()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let d = &self.inner;
        let quoted =
            |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_str()?.to_owned()) };
        let number = |n: Option<u32>| n.map_or_else(|| "None".to_owned(), |n| n.to_string());
        Ok(format!(
            "Diagnostic(code={}, severity={}, location={}, pointer={}, line={}, column={}, message={})",
            quoted(d.code.as_str())?,
            quoted(d.severity.as_str())?,
            quoted(d.location.as_str())?,
            quoted(&d.pointer)?,
            number(d.line),
            number(d.column),
            quoted(&d.message)?,
        ))
    }

    /// Pickles as its JSON.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json = serde_json::to_string(&self.inner).unwrap_or_default();
        let module = py.import("cce_release._native")?;
        Ok((module.getattr("_diagnostic_from_json")?, (json,)))
    }
}

fn diagnostic_dict<'py>(py: Python<'py>, d: &Diagnostic) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("severity", d.severity.as_str())?;
    dict.set_item("code", d.code.as_str())?;
    dict.set_item("location", d.location.as_str())?;
    dict.set_item("pointer", &d.pointer)?;
    if let Some(line) = d.line {
        dict.set_item("line", line)?;
    }
    if let Some(column) = d.column {
        dict.set_item("column", column)?;
    }
    dict.set_item("message", &d.message)?;
    Ok(dict)
}

/// Every finding of one payload, sorted by position. True when valid (no error).
#[pyclass(frozen, module = "cce_release", name = "Report")]
pub(crate) struct PyReport {
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    /// The findings as Python objects, made on first use.
    items: PyOnceLock<Py<PyTuple>>,
}

impl PyReport {
    pub(crate) fn new(report: Report) -> Self {
        let errors = report.error_count();
        PyReport {
            diagnostics: report.into_diagnostics(),
            errors,
            items: PyOnceLock::new(),
        }
    }

    fn items<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyTuple>> {
        let items = self
            .items
            .get_or_try_init(py, || -> PyResult<Py<PyTuple>> {
                let objects = self
                    .diagnostics
                    .iter()
                    .map(|d| Py::new(py, PyDiagnostic { inner: d.clone() }))
                    .collect::<PyResult<Vec<_>>>()?;
                Ok(PyTuple::new(py, objects)?.unbind())
            })?;
        Ok(items.bind(py))
    }

    fn warning_total(&self) -> usize {
        self.diagnostics.len() - self.errors
    }

    fn json_value(&self) -> serde_json::Value {
        serde_json::json!({"valid": self.errors == 0, "diagnostics": self.diagnostics})
    }

    /// `3 errors, 1 warning`.
    fn counts(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warning_total(), "warning")
        )
    }

    /// The text of a `ValidationError`: the counts, then the first findings, one a line.
    fn error_message(&self) -> String {
        let mut message = format!("invalid payload: {}", self.counts());
        for d in self.diagnostics.iter().take(LISTED) {
            message.push('\n');
            message.push_str(&text::visible(&d.to_string()));
        }
        if self.diagnostics.len() > LISTED {
            message.push_str(&format!(
                "\n… and {} more (see the error's `report`)",
                self.diagnostics.len() - LISTED
            ));
        }
        message
    }
}

#[pymethods]
impl PyReport {
    /// True when no finding is an error (warnings allowed).
    #[getter]
    fn valid(&self) -> bool {
        self.errors == 0
    }

    /// Number of error findings.
    #[getter]
    fn error_count(&self) -> usize {
        self.errors
    }

    /// Number of warning findings.
    #[getter]
    fn warning_count(&self) -> usize {
        self.warning_total()
    }

    /// All findings, sorted by position.
    #[getter]
    fn diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.items(py)?.to_list().into_any())
    }

    /// The error findings.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.filtered(py, Severity::Error)
    }

    /// The warning findings.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.filtered(py, Severity::Warning)
    }

    /// True when some finding has this code (an unknown code is a `ValueError`).
    fn has(&self, code: &str) -> PyResult<bool> {
        let code: Code = code
            .parse()
            .map_err(|_| PyValueError::new_err(unknown_code(code)))?;
        Ok(self.diagnostics.iter().any(|d| d.code == code))
    }

    /// The report as JSON: `{"valid": …, "diagnostics": [...]}`, each finding as the linter's
    /// `--format json` writes it. `indent` pretty-prints.
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, indent: Option<usize>) -> String {
        let value = self.json_value();
        let json = match indent {
            None => serde_json::to_string(&value).unwrap_or_default(),
            Some(width) => {
                let pad = " ".repeat(width.min(16));
                let formatter = serde_json::ser::PrettyFormatter::with_indent(pad.as_bytes());
                let mut out = Vec::new();
                let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
                let _ = serde::Serialize::serialize(&value, &mut serializer);
                String::from_utf8(out).unwrap_or_default()
            }
        };
        text::json(json)
    }

    /// `{"valid": …, "diagnostics": [...]}` as Python objects (what `json.loads(to_json())` gives).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("valid", self.errors == 0)?;
        let list = self
            .diagnostics
            .iter()
            .map(|d| diagnostic_dict(py, d))
            .collect::<PyResult<Vec<_>>>()?;
        dict.set_item("diagnostics", list)?;
        Ok(dict)
    }

    /// Raises `ValidationError` when the report has an error; else returns the report (which may
    /// hold warnings).
    fn raise_for_errors(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        let this = slf.get();
        if this.errors == 0 {
            return Ok(slf);
        }
        let py = slf.py();
        let err = ValidationError::new_err(this.error_message());
        let value = err.value(py);
        value.setattr("report", &slf)?;
        value.setattr("diagnostics", this.items(py)?.to_list())?;
        Err(err)
    }

    fn __bool__(&self) -> bool {
        self.errors == 0
    }

    fn __len__(&self) -> usize {
        self.diagnostics.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.items(py)?.as_any().try_iter().map(Bound::into_any)
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.items(py)?.as_any().get_item(index)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyReport>()
            .is_ok_and(|o| o.get().diagnostics == self.diagnostics)
    }

    fn __str__(&self) -> String {
        // One finding a line, each escaped on its own (the line breaks are ours).
        let lines: Vec<String> = self
            .diagnostics
            .iter()
            .map(|d| text::visible(&d.to_string()).into_owned())
            .collect();
        lines.join("\n")
    }

    fn __repr__(&self) -> String {
        format!(
            "<Report {}: {}>",
            if self.errors == 0 { "valid" } else { "invalid" },
            self.counts()
        )
    }

    /// Pickles as its JSON.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json = serde_json::json!({"diagnostics": self.diagnostics}).to_string();
        let module = py.import("cce_release._native")?;
        Ok((module.getattr("_report_from_json")?, (json,)))
    }
}

impl PyReport {
    fn filtered<'py>(
        &self,
        py: Python<'py>,
        severity: Severity,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let items = self.items(py)?;
        Ok(self
            .diagnostics
            .iter()
            .zip(items.iter())
            .filter(|(d, _)| d.severity == severity)
            .map(|(_, item)| item)
            .collect())
    }
}

/// A report from the JSON of `Report.__reduce__` (unpickling).
#[pyfunction]
pub(crate) fn _report_from_json(json: &str) -> PyResult<PyReport> {
    // As written: `Report::new` would sort the `too_many_findings` note away from the end.
    let report: Report = serde_json::from_str(json)
        .map_err(|e| PyValueError::new_err(format!("not the JSON of a report: {e}")))?;
    Ok(PyReport::new(report))
}

/// A finding from the JSON of `Diagnostic.__reduce__` (unpickling).
#[pyfunction]
pub(crate) fn _diagnostic_from_json(json: &str) -> PyResult<PyDiagnostic> {
    let inner: Diagnostic = serde_json::from_str(json)
        .map_err(|e| PyValueError::new_err(format!("not the JSON of a finding: {e}")))?;
    Ok(PyDiagnostic { inner })
}

/// What a code means: the text behind `cce-release-lint --explain`.
#[pyclass(frozen, module = "cce_release", name = "Explanation")]
pub(crate) struct PyExplanation {
    code: Code,
}

#[pymethods]
impl PyExplanation {
    /// The code.
    #[getter]
    fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// `error` or `warning`: the severity unless strict mode makes it an error.
    #[getter]
    fn severity(&self) -> &'static str {
        self.code.default_severity().as_str()
    }

    /// One line: when the code is reported.
    #[getter]
    fn summary(&self) -> &'static str {
        self.code.explanation().summary
    }

    /// What the finding means.
    #[getter]
    fn what(&self) -> &'static str {
        self.code.explanation().what
    }

    /// Why it matters.
    #[getter]
    fn why(&self) -> &'static str {
        self.code.explanation().why
    }

    /// A payload fragment that triggers it.
    #[getter]
    fn example(&self) -> &'static str {
        self.code.explanation().example
    }

    /// How to fix it.
    #[getter]
    fn fix(&self) -> &'static str {
        self.code.explanation().fix
    }

    fn __str__(&self) -> String {
        let e = self.code.explanation();
        format!(
            "{} ({} by default): {}\n\nWhat it means\n    {}\n\nWhy it matters\n    {}\n\nExample\n    {}\n\nFix\n    {}",
            self.code,
            self.code.default_severity(),
            e.summary,
            e.what,
            e.why,
            e.example,
            e.fix
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<Explanation {}: {}>",
            self.code,
            self.code.explanation().summary
        )
    }
}

/// `explain(code)`: what a code means, why it matters, an example and the fix.
#[pyfunction]
pub(crate) fn explain(code: &str) -> PyResult<PyExplanation> {
    let code: Code = code
        .parse()
        .map_err(|_| PyValueError::new_err(unknown_code(code)))?;
    Ok(PyExplanation { code })
}

fn unknown_code(code: &str) -> String {
    let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    format!(
        "unknown code `{}`; the codes are {}",
        text::visible(code),
        known.join(", ")
    )
}
