//! `Validator`, `validate` and `validate_request`: payloads in, reports out.
//!
//! A payload is text (`bytes`, `str`, `bytearray`, `memoryview`: validated as the API reads a
//! body, with lines and columns), a parsed value (`dict`, `list`, …: converted under the
//! validator's limits, findings with pointers only), or an object of the provider's SDK
//! ([`crate::sdk`]). The validation itself runs with the interpreter released (`Python::detach`),
//! so threads sharing one `Validator` validate in parallel.

use cce_release::http::{HttpValidator, Operation};
use cce_release::{Kind, Options, PathContext, Report, Validator};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMemoryView, PyString};
use serde_json::Value;

use crate::convert::{self, Limits};
use crate::report::PyReport;
use crate::sdk::{self, Described};
use crate::text;

pyo3::create_exception!(
    cce_release,
    SchemaError,
    PyValueError,
    "A chart's values schema that cannot be used: not JSON, not a schema, a `$ref` that would \
     need a fetch, a pattern the linear-time engine cannot run, or over the limits."
);

/// The largest chart schema, in bytes of JSON (the library's limit for schema bytes).
const MAX_SCHEMA_BYTES: usize = 8 * 1024 * 1024;

/// What a `Validator` is built from.
pub(crate) struct Settings<'a, 'py> {
    pub(crate) kind: &'a str,
    pub(crate) strict: bool,
    pub(crate) cluster_id: Option<String>,
    pub(crate) values_schema: Option<&'a Bound<'py, PyAny>>,
    pub(crate) max_findings: Option<usize>,
    pub(crate) max_depth: Option<usize>,
    pub(crate) max_input_size: Option<usize>,
}

/// Whether an SDK object's kind may replace the validator's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum KindRule {
    /// A `Validator` checks its own kind: an SDK body of another kind is an error.
    Fixed,
    /// `validate()` with the default kind: an SDK object brings its own.
    FromObject,
}

/// A reusable validator: the kind, the options (and a chart schema compiled once), shareable
/// across threads.
#[pyclass(frozen, module = "cce_release", name = "Validator")]
pub(crate) struct PyValidator {
    kind: Kind,
    strict: bool,
    /// The default path cluster id for bodies (a call's own wins).
    cluster_id: Option<String>,
    options: Options,
    limits: Limits,
    max_findings: usize,
    has_values_schema: bool,
    body: Validator,
    http: HttpValidator,
}

pub(crate) fn parse_kind(kind: &str) -> PyResult<Kind> {
    kind.parse().map_err(|_| {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        PyValueError::new_err(format!(
            "unknown kind `{}`; the kinds are {}",
            text::visible(kind),
            known.join(", ")
        ))
    })
}

impl PyValidator {
    pub(crate) fn build(py: Python<'_>, settings: Settings<'_, '_>) -> PyResult<Self> {
        let kind = parse_kind(settings.kind)?;
        let max_findings = settings
            .max_findings
            .unwrap_or(Options::DEFAULT_MAX_FINDINGS)
            .max(1);
        let max_depth = settings
            .max_depth
            .unwrap_or(Options::DEFAULT_MAX_DEPTH)
            .clamp(1, Options::DEFAULT_MAX_DEPTH);
        let max_input_size = settings
            .max_input_size
            .unwrap_or(Options::DEFAULT_MAX_INPUT_SIZE);
        let mut options = Options::default()
            .strict(settings.strict)
            .max_findings(max_findings)
            .max_depth(max_depth)
            .max_input_size(max_input_size);
        let has_values_schema = settings.values_schema.is_some_and(|s| !s.is_none());
        if let Some(schema) = settings.values_schema.filter(|s| !s.is_none()) {
            options = with_values_schema(py, options, schema)?;
        }
        Ok(PyValidator {
            kind,
            strict: settings.strict,
            cluster_id: settings.cluster_id,
            limits: Limits {
                depth: max_depth,
                bytes: max_input_size,
                cut_deep: true,
            },
            max_findings,
            has_values_schema,
            body: Validator::with_options(kind, options.clone()),
            http: HttpValidator::with_options(options.clone()),
            options,
        })
    }

    /// The report of `payload`, with `cluster_id` as the request path's (else the default).
    fn run(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        cluster_id: Option<&str>,
        rule: KindRule,
    ) -> PyResult<PyReport> {
        let cluster = cluster_id.or(self.cluster_id.as_deref());
        let path = cluster.map_or_else(PathContext::default, PathContext::cluster);
        let body = &self.body;
        // Text: validated as it is, the interpreter released.
        if let Ok(bytes) = payload.cast::<PyBytes>() {
            let bytes = bytes.as_bytes();
            return Ok(PyReport::new(
                py.detach(|| body.validate_bytes_in(path, bytes)),
            ));
        }
        if let Ok(text) = payload.cast::<PyString>() {
            return Ok(PyReport::new(match text.to_str() {
                Ok(text) => py.detach(|| body.validate_bytes_in(path, text.as_bytes())),
                // A lone surrogate: the bytes Python would write for it, which are not UTF-8,
                // as the API would receive them.
                Err(_) => {
                    let encoded = text.call_method1("encode", ("utf-8", "surrogatepass"))?;
                    let bytes = encoded.cast::<PyBytes>()?.as_bytes();
                    py.detach(|| body.validate_bytes_in(path, bytes))
                }
            }));
        }
        if let Ok(array) = payload.cast::<PyByteArray>() {
            let bytes = array.to_vec();
            return Ok(PyReport::new(
                py.detach(|| body.validate_bytes_in(path, &bytes)),
            ));
        }
        if payload.cast::<PyMemoryView>().is_ok() {
            let copy = payload.call_method0("tobytes")?;
            let bytes = copy.cast::<PyBytes>()?.as_bytes();
            return Ok(PyReport::new(
                py.detach(|| body.validate_bytes_in(path, bytes)),
            ));
        }
        if is_json_value(payload) {
            let value = convert::to_value(payload, self.limits)?;
            return Ok(PyReport::new(
                py.detach(|| body.validate_value_in(path, &value)),
            ));
        }
        match sdk::describe(py, payload)? {
            Some(Described::Body { kind, body: bytes }) => {
                let validator = self.for_kind(kind, rule, payload)?;
                let validator = validator.as_ref().unwrap_or(body);
                let report = py.detach(|| validator.validate_bytes_in(path, &bytes));
                Ok(PyReport::new(without_positions(report)))
            }
            Some(Described::Request {
                operation,
                path_and_query,
                headers,
                body: bytes,
                written,
            }) => {
                if cluster_id.is_some() {
                    return Err(PyTypeError::new_err(format!(
                        "a {} carries its own cluster id: do not pass cluster_id with it",
                        sdk::class_name(payload)
                    )));
                }
                if let Some(kind) = operation.request_kind() {
                    // Checked for the error it gives; the HTTP layer picks the body's kind.
                    self.for_kind(kind, rule, payload)?;
                }
                let http = &self.http;
                let checked = py.detach(|| {
                    http.validate_request(operation.method(), &path_and_query, headers, &bytes)
                });
                Ok(PyReport::new(if written {
                    checked.report
                } else {
                    without_positions(checked.report)
                }))
            }
            None => Err(PyTypeError::new_err(format!(
                "cannot validate a `{}`: a payload is bytes or str (JSON text), a dict or a list \
                 (parsed JSON), or a huaweicloudsdkcce request or body object",
                sdk::class_name(payload)
            ))),
        }
    }

    /// A validator for an SDK object of `kind`: `None` when it is this validator's own kind.
    fn for_kind(
        &self,
        kind: Kind,
        rule: KindRule,
        payload: &Bound<'_, PyAny>,
    ) -> PyResult<Option<Validator>> {
        if kind == self.kind {
            return Ok(None);
        }
        if rule == KindRule::FromObject && self.kind == Kind::CreateRequest {
            return Ok(Some(Validator::with_options(kind, self.options.clone())));
        }
        Err(PyValueError::new_err(format!(
            "a {} sends a `{}` body, not `{}`",
            sdk::class_name(payload),
            kind.name(),
            self.kind.name()
        )))
    }

    fn check_request(
        &self,
        py: Python<'_>,
        method: &str,
        path_and_query: &str,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReport> {
        let headers = header_pairs(headers)?;
        let body = body_bytes(body)?;
        let http = &self.http;
        let checked = py.detach(|| http.validate_request(method, path_and_query, headers, &body));
        Ok(PyReport::new(checked.report))
    }
}

#[pymethods]
impl PyValidator {
    #[new]
    #[pyo3(signature = (
        kind = "create-request",
        *,
        strict = false,
        cluster_id = None,
        values_schema = None,
        max_findings = None,
        max_depth = None,
        max_input_size = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        kind: &str,
        strict: bool,
        cluster_id: Option<String>,
        values_schema: Option<&Bound<'_, PyAny>>,
        max_findings: Option<usize>,
        max_depth: Option<usize>,
        max_input_size: Option<usize>,
    ) -> PyResult<Self> {
        PyValidator::build(
            py,
            Settings {
                kind,
                strict,
                cluster_id,
                values_schema,
                max_findings,
                max_depth,
                max_input_size,
            },
        )
    }

    /// Validates one payload: JSON text (`bytes`, `str`, `bytearray`, `memoryview`), a parsed
    /// value (`dict`, `list`, …) or a huaweicloudsdkcce request or body object.
    #[pyo3(signature = (payload, *, cluster_id = None))]
    fn validate(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        cluster_id: Option<&str>,
    ) -> PyResult<PyReport> {
        self.run(py, payload, cluster_id, KindRule::Fixed)
    }

    /// Validates a whole HTTP request (method, path with query, headers, body) as a server
    /// receives it, with this validator's options; the route decides the body's kind.
    #[pyo3(signature = (method, path, headers = None, body = None))]
    fn validate_request(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReport> {
        self.check_request(py, method, path, headers, body)
    }

    /// The kind this validator checks.
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind.name()
    }

    /// Whether warnings count as errors.
    #[getter]
    fn strict(&self) -> bool {
        self.strict
    }

    /// The default cluster id of the request path.
    #[getter]
    fn cluster_id(&self) -> Option<&str> {
        self.cluster_id.as_deref()
    }

    /// The most findings a report holds.
    #[getter]
    fn max_findings(&self) -> usize {
        self.max_findings
    }

    /// The deepest nesting accepted.
    #[getter]
    fn max_depth(&self) -> usize {
        self.limits.depth
    }

    /// The largest input read, in bytes.
    #[getter]
    fn max_input_size(&self) -> usize {
        self.limits.bytes
    }

    fn __repr__(&self) -> String {
        let mut repr = format!("Validator({:?}", self.kind.name());
        if self.strict {
            repr.push_str(", strict=True");
        }
        if let Some(id) = &self.cluster_id {
            repr.push_str(&format!(", cluster_id={:?}", text::visible(id)));
        }
        if self.has_values_schema {
            repr.push_str(", values_schema=...");
        }
        repr.push(')');
        repr
    }
}

/// `validate(payload, kind="create-request", *, strict=False, cluster_id=None, values_schema=None)`.
#[pyfunction]
#[pyo3(signature = (payload, kind = "create-request", *, strict = false, cluster_id = None, values_schema = None))]
pub(crate) fn validate(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    kind: &str,
    strict: bool,
    cluster_id: Option<&str>,
    values_schema: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyReport> {
    let validator = PyValidator::build(
        py,
        Settings {
            kind,
            strict,
            cluster_id: None,
            values_schema,
            max_findings: None,
            max_depth: None,
            max_input_size: None,
        },
    )?;
    validator.run(py, payload, cluster_id, KindRule::FromObject)
}

/// `validate_request(method, path, headers=None, body=None, *, strict=False, values_schema=None)`.
#[pyfunction]
#[pyo3(signature = (method, path, headers = None, body = None, *, strict = false, values_schema = None))]
pub(crate) fn validate_request(
    py: Python<'_>,
    method: &str,
    path: &str,
    headers: Option<&Bound<'_, PyAny>>,
    body: Option<&Bound<'_, PyAny>>,
    strict: bool,
    values_schema: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyReport> {
    let validator = PyValidator::build(
        py,
        Settings {
            kind: Kind::CreateRequest.name(),
            strict,
            cluster_id: None,
            values_schema,
            max_findings: None,
            max_depth: None,
            max_input_size: None,
        },
    )?;
    validator.check_request(py, method, path, headers, body)
}

/// The report of a body the SDK serialized from a model: one line nobody wrote, so its findings
/// keep their pointers and lose their lines and columns, like those of a value built in code.
/// The order stays that of the text (the model's attribute order).
fn without_positions(report: Report) -> Report {
    let mut diagnostics = report.into_diagnostics();
    for d in &mut diagnostics {
        d.line = None;
        d.column = None;
    }
    // `Report::new` sorts by position, which is now `None` everywhere: a stable no-op.
    Report::new(diagnostics)
}

/// Whether `obj` is a parsed JSON value rather than text or an SDK object.
fn is_json_value(obj: &Bound<'_, PyAny>) -> bool {
    use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyTuple};
    obj.is_none()
        || obj.cast::<PyDict>().is_ok()
        || obj.cast::<PyList>().is_ok()
        || obj.cast::<PyTuple>().is_ok()
        || obj.cast::<PyBool>().is_ok()
        || obj.cast::<PyInt>().is_ok()
        || obj.cast::<PyFloat>().is_ok()
}

/// A chart's values schema: a parsed value (converted under the schema limits) or JSON text.
fn with_values_schema(
    py: Python<'_>,
    options: Options,
    schema: &Bound<'_, PyAny>,
) -> PyResult<Options> {
    let unusable =
        |e: cce_release::Error| SchemaError::new_err(text::visible(&e.to_string()).into_owned());
    if let Ok(text) = schema.cast::<PyString>() {
        let text = text.to_str()?;
        return py
            .detach(|| options.values_schema_bytes(text.as_bytes()))
            .map_err(unusable);
    }
    if let Ok(bytes) = schema.cast::<PyBytes>() {
        let bytes = bytes.as_bytes();
        return py
            .detach(|| options.values_schema_bytes(bytes))
            .map_err(unusable);
    }
    // A schema is not cut short: nesting past the limit is an error, not an empty container.
    let value: Value = convert::to_value(
        schema,
        Limits {
            depth: Options::DEFAULT_MAX_DEPTH,
            bytes: MAX_SCHEMA_BYTES,
            cut_deep: false,
        },
    )?;
    py.detach(|| options.values_schema(&value))
        .map_err(unusable)
}

/// Headers as name/value pairs: a mapping (`dict`, `requests`' headers) or pairs; values `str`
/// or `bytes`.
fn header_pairs(headers: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, Vec<u8>)>> {
    let Some(headers) = headers.filter(|h| !h.is_none()) else {
        return Ok(Vec::new());
    };
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    let mut out = Vec::new();
    for pair in pairs.try_iter()? {
        let pair = pair?;
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair
            .extract()
            .map_err(|_| PyTypeError::new_err("headers are a mapping or (name, value) pairs"))?;
        let name: String = name
            .extract()
            .map_err(|_| PyTypeError::new_err("a header name is a str"))?;
        let value = if let Ok(text) = value.cast::<PyString>() {
            text.to_str()?.as_bytes().to_vec()
        } else if let Ok(bytes) = value.cast::<PyBytes>() {
            bytes.as_bytes().to_vec()
        } else {
            return Err(PyTypeError::new_err("a header value is a str or bytes"));
        };
        out.push((name, value));
    }
    Ok(out)
}

/// A request body: `bytes`, `str`, `bytearray`, `memoryview` or `None` (no body).
fn body_bytes(body: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<u8>> {
    let Some(body) = body.filter(|b| !b.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(bytes) = body.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(text) = body.cast::<PyString>() {
        return Ok(text.to_str()?.as_bytes().to_vec());
    }
    if let Ok(array) = body.cast::<PyByteArray>() {
        return Ok(array.to_vec());
    }
    if body.cast::<PyMemoryView>().is_ok() {
        let copy = body.call_method0("tobytes")?;
        return Ok(copy.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(
        "a request body is bytes or str (JSON text), or None for none",
    ))
}

/// The operations of the route table, for the SDK adapter: `(name, method, path template)`.
#[pyfunction]
pub(crate) fn _operations() -> Vec<(&'static str, &'static str, &'static str)> {
    Operation::ALL
        .iter()
        .map(|op| (op.name(), op.method(), op.path_template()))
        .collect()
}
