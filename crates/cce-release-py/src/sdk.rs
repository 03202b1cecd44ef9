//! Objects of the provider's SDK (`huaweicloudsdkcce`): what they would send.
//!
//! The Python side (`cce_release/_sdk.py`) knows the SDK: it recognizes its request and body
//! classes and writes what the SDK would put on the wire (the path with its parameters encoded
//! as the SDK encodes them, the query, the body as the SDK serializes it). This side turns that
//! into the library's terms: an operation of the route table and bytes. The SDK is never
//! imported here, and `cce_release._sdk` only when an object is neither text nor a parsed value.

use cce_release::Kind;
use cce_release::http::{Operation, Prefix};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBytes;

use crate::text;

/// What an SDK object sends.
pub(crate) enum Described {
    /// A body object (`CreateReleaseReqBody`, `UpdateReleaseReqBody`): its kind and its bytes.
    Body { kind: Kind, body: Vec<u8> },
    /// A request object: the operation, the path with its query, the headers and the body, and
    /// whether the body is text the caller wrote (a `str` body) rather than the SDK's
    /// serialization of a model.
    Request {
        operation: Operation,
        path_and_query: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        written: bool,
    },
}

static DESCRIBE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// What `obj` sends, when it is an SDK object; `None` when it is not one.
pub(crate) fn describe(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Option<Described>> {
    let describe = DESCRIBE.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("cce_release._sdk")?.getattr("describe")?.unbind())
    })?;
    let described = describe.bind(py).call1((obj,))?;
    if described.is_none() {
        return Ok(None);
    }
    let bad = || PyTypeError::new_err("cce_release._sdk.describe returned an unexpected value");
    let tag: String = described.get_item(0)?.extract()?;
    let bytes = |index: usize| -> PyResult<Vec<u8>> {
        Ok(described
            .get_item(index)?
            .cast::<PyBytes>()
            .map_err(|_| bad())?
            .as_bytes()
            .to_vec())
    };
    match tag.as_str() {
        "body" => {
            let kind: String = described.get_item(1)?.extract()?;
            let kind = crate::validator::parse_kind(&kind)?;
            Ok(Some(Described::Body {
                kind,
                body: bytes(2)?,
            }))
        }
        "request" => {
            let name: String = described.get_item(1)?.extract()?;
            let operation = Operation::ALL
                .iter()
                .copied()
                .find(|op| op.name() == name)
                .ok_or_else(bad)?;
            Ok(Some(Described::Request {
                operation,
                path_and_query: described.get_item(2)?.extract()?,
                headers: described.get_item(3)?.extract()?,
                body: bytes(4)?,
                written: described.get_item(5)?.extract()?,
            }))
        }
        _ => Err(bad()),
    }
}

/// The name of `obj`'s class, for a message.
pub(crate) fn class_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| text::visible(&n.to_string()).into_owned())
        .unwrap_or_else(|_| "?".to_owned())
}

/// The path prefixes of the route table, by the name the SDK adapter uses.
#[pyfunction]
pub(crate) fn _prefixes() -> Vec<(&'static str, &'static str)> {
    Prefix::ALL
        .iter()
        .filter_map(|p| match p {
            Prefix::Autopilot => Some(("autopilot", p.as_str())),
            Prefix::Classic => Some(("classic", p.as_str())),
            _ => None,
        })
        .collect()
}
