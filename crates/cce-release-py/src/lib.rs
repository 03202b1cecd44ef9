//! `cce_release._native`: the extension module of the Python package `cce_release`.
//!
//! The package (`python/cce_release/__init__.py`) re-exports what is here; its stubs are
//! `python/cce_release/_native.pyi`. The Rust library is used as it is, built without the CLI
//! and the renderers: `Validator`, `Options`, `PathContext`, the HTTP layer, the schemas and the
//! codes' explanations.
//!
//! - [`validator`]: `Validator`, `validate`, `validate_request`.
//! - [`report`]: `Report`, `Diagnostic`, `Explanation`, `ValidationError`.
//! - [`convert`]: Python objects to JSON values, bounded.
//! - [`sdk`]: objects of the provider's SDK, as the Python adapter describes them.
//! - [`text`]: the escaping of `str()` and `to_json()`.

mod convert;
mod report;
mod sdk;
mod text;
mod validator;

use cce_release::{Code, Kind};
use pyo3::prelude::*;

/// The committed JSON Schema of a kind, as text (as `cce-release-lint --print-schema` prints it).
#[pyfunction]
fn schema_text(kind: &str) -> PyResult<String> {
    Ok(cce_release::schema::schema_text(validator::parse_kind(
        kind,
    )?))
}

// The GIL is kept on free-threaded builds: dictionaries of a payload are read while other
// threads could change them.
#[pymodule(gil_used = true)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<validator::PyValidator>()?;
    m.add_class::<report::PyReport>()?;
    m.add_class::<report::PyDiagnostic>()?;
    m.add_class::<report::PyExplanation>()?;
    m.add("ValidationError", py.get_type::<report::ValidationError>())?;
    m.add("SchemaError", py.get_type::<validator::SchemaError>())?;
    m.add_function(wrap_pyfunction!(validator::validate, m)?)?;
    m.add_function(wrap_pyfunction!(validator::validate_request, m)?)?;
    m.add_function(wrap_pyfunction!(report::explain, m)?)?;
    m.add_function(wrap_pyfunction!(schema_text, m)?)?;
    m.add_function(wrap_pyfunction!(report::_report_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(report::_diagnostic_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(validator::_operations, m)?)?;
    m.add_function(wrap_pyfunction!(sdk::_prefixes, m)?)?;
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    m.add("KINDS", pyo3::types::PyTuple::new(py, kinds)?)?;
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    m.add("CODES", pyo3::types::PyTuple::new(py, codes)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
