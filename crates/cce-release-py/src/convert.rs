//! Python objects to `serde_json::Value`, bounded.
//!
//! A payload given as a `dict` or a `list` (what `json.loads` returns, or a body built in code) is
//! converted before it is validated. The conversion takes what JSON has: `dict` (string keys),
//! `list` and `tuple`, `str`, `int`, `float`, `bool` and `None`, subclasses included (`IntEnum`,
//! `OrderedDict`, a `str` enum). Anything else is a `TypeError` naming its type and where it is;
//! a circular reference is a `ValueError`. It never runs into the stack or the memory:
//!
//! - nesting: a container one level below the validator's `max_depth` is not entered (an empty
//!   one stands for it), so the validator reports the payload as nested too deeply, as it reports
//!   such text, and the conversion never recurses further than that;
//! - size: the compact JSON text the payload stands for is counted as it is converted (a lower
//!   bound: escapes are not counted, a number counts one byte), and the conversion stops with a
//!   `ValueError` as soon as it passes the validator's `max_input_size`; a structure that shares
//!   one list many times over (exponentially large as JSON) stops there too.
//!
//! Dictionaries are read from a snapshot of their items (`dict.items()`), so Python code that
//! runs meanwhile (a finalizer) cannot change one under the conversion.
//!
//! Errors name the place as a JSON Pointer, masked as reports mask pointers
//! ([`cce_release::mask_pointer`]) and never with the value itself.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::text;

/// How far a conversion may go: the validator's nesting and size limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The deepest nesting of containers the validator accepts (`max_depth`).
    pub(crate) depth: usize,
    /// The largest input the validator reads, in bytes (`max_input_size`).
    pub(crate) bytes: usize,
    /// A container past `depth` stands as an empty one (a payload: the validator then reports
    /// the nesting), or is an error (a chart schema, which must not change).
    pub(crate) cut_deep: bool,
}

/// `obj` as a JSON value, or the error of why it is not one.
pub(crate) fn to_value(obj: &Bound<'_, PyAny>, limits: Limits) -> PyResult<Value> {
    let mut converter = Converter {
        limits,
        size: 0,
        open: Vec::new(),
    };
    converter
        .value(obj, 1)
        .map_err(|failure| failure.into_err())
}

/// What went wrong, without the place.
enum Fault {
    /// An object of a type JSON does not have.
    Type(String),
    /// A dictionary key that is not a string.
    Key(String),
    /// A container that contains itself.
    Cycle,
    /// NaN or an infinity.
    NotFinite,
    /// An integer too large for a JSON number the validator can read.
    IntTooLarge,
    /// A string with a lone surrogate (not Unicode text).
    Surrogate,
    /// The JSON text would be larger than the limit.
    TooLarge(usize),
    /// Nesting deeper than the limit, where it may not be cut.
    TooDeep(usize),
    /// Python raised while an object was read.
    Python(PyErr),
}

/// A fault, and the tokens of where it happened, innermost first.
struct Failure {
    fault: Fault,
    path: Vec<String>,
}

impl Failure {
    fn new(fault: Fault) -> Self {
        Failure {
            fault,
            path: Vec::new(),
        }
    }

    /// Adds the token of the container member the failure is in.
    fn within(mut self, token: impl FnOnce() -> String) -> Self {
        self.path.push(token());
        self
    }

    fn into_err(self) -> PyErr {
        let mut pointer = String::new();
        for token in self.path.iter().rev() {
            pointer.push('/');
            pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
        }
        let at = shown_pointer(&pointer);
        match self.fault {
            Fault::Type(name) => PyTypeError::new_err(format!(
                "cannot validate an object of type `{name}` at {at}: a payload is made of dict, list, \
                 tuple, str, int, float, bool and None (what json.loads returns)"
            )),
            Fault::Key(name) => PyTypeError::new_err(format!(
                "a key of type `{name}` in the object at {at}: JSON object keys are strings"
            )),
            Fault::Cycle => PyValueError::new_err(format!(
                "circular reference at {at}: a payload is a tree, and this container contains itself"
            )),
            Fault::NotFinite => PyValueError::new_err(format!(
                "the float at {at} is NaN or infinite, which JSON cannot write"
            )),
            Fault::IntTooLarge => PyValueError::new_err(format!(
                "the integer at {at} is too large for a JSON number"
            )),
            Fault::Surrogate => PyValueError::new_err(format!(
                "the string at {at} is not Unicode text (it holds a lone surrogate)"
            )),
            Fault::TooLarge(limit) => PyValueError::new_err(format!(
                "the payload is larger than the maximum input size ({limit} bytes) as JSON text; \
                 it was not converted past it"
            )),
            Fault::TooDeep(limit) => PyValueError::new_err(format!(
                "the object at {at} nests deeper than {limit} levels"
            )),
            Fault::Python(err) => err,
        }
    }
}

/// A pointer as an error message shows it: masked first, then cut to about 1 KiB, escaped.
fn shown_pointer(pointer: &str) -> String {
    const MAX: usize = 1024;
    if pointer.is_empty() {
        return "the top".to_owned();
    }
    let masked = cce_release::mask_pointer(pointer);
    let cut = match masked.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &masked[..at]),
        None => masked.into_owned(),
    };
    format!("`{}`", text::visible(&cut))
}

struct Converter {
    limits: Limits,
    /// The compact JSON text counted so far, in bytes (a lower bound).
    size: usize,
    /// The containers being converted, from the top down (their addresses): a cycle check.
    open: Vec<usize>,
}

impl Converter {
    fn grow(&mut self, bytes: usize) -> Result<(), Failure> {
        self.size = self.size.saturating_add(bytes);
        if self.size > self.limits.bytes {
            return Err(Failure::new(Fault::TooLarge(self.limits.bytes)));
        }
        Ok(())
    }

    /// `obj`, a container of which would be at nesting level `depth`.
    fn value(&mut self, obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, Failure> {
        // Exact types first (the common case), then subclasses.
        if let Ok(s) = obj.cast_exact::<PyString>() {
            return self.string(s);
        }
        if let Ok(d) = obj.cast_exact::<PyDict>() {
            return self.object(d, depth);
        }
        if let Ok(l) = obj.cast_exact::<PyList>() {
            return self.array(obj, l.len(), l.iter(), depth);
        }
        if obj.is_none() {
            self.grow(4)?;
            return Ok(Value::Null);
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            let b = b.is_true();
            self.grow(if b { 4 } else { 5 })?;
            return Ok(Value::Bool(b));
        }
        if obj.cast::<PyInt>().is_ok() {
            return self.int(obj);
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return self.float(f.value());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return self.string(s);
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            return self.object(d, depth);
        }
        if let Ok(l) = obj.cast::<PyList>() {
            return self.array(obj, l.len(), l.iter(), depth);
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            return self.array(obj, t.len(), t.iter(), depth);
        }
        Err(Failure::new(Fault::Type(type_name(obj))))
    }

    fn string(&mut self, s: &Bound<'_, PyString>) -> Result<Value, Failure> {
        let text = s.to_str().map_err(|_| Failure::new(Fault::Surrogate))?;
        self.grow(text.len().saturating_add(2))?;
        Ok(Value::String(text.to_owned()))
    }

    fn int(&mut self, obj: &Bound<'_, PyAny>) -> Result<Value, Failure> {
        self.grow(1)?;
        // As serde_json reads a number: i64, else u64, else the nearest f64.
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        match obj.extract::<f64>() {
            Ok(f) => Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| Failure::new(Fault::IntTooLarge)),
            Err(_) => Err(Failure::new(Fault::IntTooLarge)),
        }
    }

    fn float(&mut self, f: f64) -> Result<Value, Failure> {
        self.grow(1)?;
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| Failure::new(Fault::NotFinite))
    }

    /// Enters a container at `depth`: `Ok(false)` when it is one level too deep to enter.
    fn enter(&mut self, obj: &Bound<'_, PyAny>, depth: usize) -> Result<bool, Failure> {
        self.grow(2)?;
        if depth > self.limits.depth {
            if self.limits.cut_deep {
                return Ok(false);
            }
            return Err(Failure::new(Fault::TooDeep(self.limits.depth)));
        }
        let id = obj.as_ptr() as usize;
        if self.open.contains(&id) {
            return Err(Failure::new(Fault::Cycle));
        }
        self.open.push(id);
        Ok(true)
    }

    fn leave(&mut self) {
        self.open.pop();
    }

    fn array<'py>(
        &mut self,
        obj: &Bound<'py, PyAny>,
        len: usize,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        depth: usize,
    ) -> Result<Value, Failure> {
        if !self.enter(obj, depth)? {
            return Ok(Value::Array(Vec::new()));
        }
        let mut out = Vec::with_capacity(len.min(4096));
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.grow(1)?;
            }
            let value = self
                .value(&item, depth + 1)
                .map_err(|f| f.within(|| i.to_string()))?;
            out.push(value);
        }
        self.leave();
        Ok(Value::Array(out))
    }

    fn object(&mut self, dict: &Bound<'_, PyDict>, depth: usize) -> Result<Value, Failure> {
        if !self.enter(dict.as_any(), depth)? {
            return Ok(Value::Object(Map::new()));
        }
        let mut out = Map::with_capacity(dict.len().min(4096));
        // A snapshot: nothing that runs meanwhile can change what is iterated.
        let items = dict.items();
        for (i, item) in items.iter().enumerate() {
            let (key, value) = item
                .extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()
                .map_err(|e| Failure::new(Fault::Python(e)))?;
            let key = match key.cast::<PyString>() {
                Ok(k) => k
                    .to_str()
                    .map_err(|_| Failure::new(Fault::Surrogate))?
                    .to_owned(),
                Err(_) => return Err(Failure::new(Fault::Key(type_name(&key)))),
            };
            self.grow(key.len().saturating_add(if i > 0 { 4 } else { 3 }))?;
            let value = match self.value(&value, depth + 1) {
                Ok(value) => value,
                Err(f) => return Err(f.within(|| key)),
            };
            out.insert(key, value);
        }
        self.leave();
        Ok(Value::Object(out))
    }
}

/// The name of `obj`'s type, for an error.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| text::visible(&n.to_string()).into_owned())
        .unwrap_or_else(|_| "?".to_owned())
}
