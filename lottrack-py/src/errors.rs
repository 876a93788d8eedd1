//! Core errors as Python exceptions.
//!
//! The exception classes are defined in `lottrack/_errors.py` (they need multiple
//! inheritance: `UnknownLotError(LotTrackError, KeyError)`), one per core error
//! kind, looked up by `Error::kind_name()`. The message is the core's; the error's
//! fields become attributes (`.event_id`, `.product`, `.requested` …), read from
//! the core's serde form `{"error": "<KindName>", <fields>}` without matching the
//! variants.

use lottrack_core::Error;
use lottrack_core::quantity::parse_decimal;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;

use crate::convert::{json_loads, py_decimal};

static BY_KIND: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// Python attribute names of core fields whose own name is taken or not an
/// identifier: `message` is the exception's message, `kind` its kind name, `from`
/// a keyword.
const RENAMED: &[(&str, &str)] = &[
    ("message", "detail"),
    ("kind", "event_kind"),
    ("from", "from_unit"),
    ("to", "to_unit"),
];

/// Core fields that carry a quantity as text: `Decimal` attributes.
const DECIMALS: &[&str] = &["quantity", "requested", "on_hand"];

fn classes(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    BY_KIND
        .get_or_try_init(py, || {
            let m = py.import("lottrack._errors")?;
            Ok::<_, PyErr>(m.getattr("_BY_KIND")?.cast_into::<PyDict>()?.unbind())
        })
        .map(|d| d.bind(py))
}

/// The exception attributes of a core error: its serde fields, renamed where
/// needed, quantities as `Decimal`, an empty `event_id` as `None`.
fn fields<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyDict>> {
    let kwargs = PyDict::new(py);
    let Ok(Value::Object(map)) = serde_json::to_value(e) else {
        return Ok(kwargs);
    };
    for (key, value) in map {
        if key == "error" {
            continue;
        }
        let name = RENAMED
            .iter()
            .find(|(from, _)| *from == key)
            .map_or(key.as_str(), |(_, to)| to);
        let v = match (&value, key.as_str()) {
            (Value::String(s), "event_id") if s.is_empty() => py.None().into_bound(py),
            (Value::String(s), k) if DECIMALS.contains(&k) => match parse_decimal(s) {
                Some(d) => py_decimal(py, &d)?,
                None => PyString::new(py, s).into_any(),
            },
            (Value::String(s), _) => PyString::new(py, s).into_any(),
            _ => json_loads(py, &value.to_string())?,
        };
        kwargs.set_item(name, v)?;
    }
    Ok(kwargs)
}

/// A core error as its Python exception.
pub(crate) fn core_err(py: Python<'_>, e: Error) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let kwargs = fields(py, &e)?;
        let by_kind = classes(py)?;
        let cls = match by_kind.get_item(e.kind_name())? {
            Some(c) => c,
            None => by_kind
                .get_item("")?
                .ok_or_else(|| PyRuntimeError::new_err("lottrack._errors has no base class"))?,
        };
        let inst = cls.call((e.to_string(),), Some(&kwargs))?;
        Ok(PyErr::from_value(inst))
    })();
    made.unwrap_or_else(|err| err)
}

/// Turns a core result into a Python result.
pub(crate) trait OrRaise<T> {
    /// The value, or the core error as its Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| core_err(py, e))
    }
}
