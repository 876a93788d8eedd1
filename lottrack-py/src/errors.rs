//! Core errors as Python exceptions.
//!
//! The exception classes are defined in `lottrack/_errors.py` (they need multiple
//! inheritance: `UnknownLotError(LotTrackError, KeyError)`), one per core error
//! kind, looked up by `Error::kind_name()`. The message is the core's; the
//! variant's fields become attributes (`.event_id`, `.product`, `.requested` …).

use lottrack_core::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};

use crate::convert::py_decimal_text;

static BY_KIND: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// Keyword arguments of an exception: the error's fields.
pub(crate) struct Fields<'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    failed: Option<PyErr>,
}

impl<'py> Fields<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Fields {
            py,
            dict: PyDict::new(py),
            failed: None,
        }
    }

    fn set(&mut self, key: &str, value: Bound<'py, PyAny>) {
        if let Err(e) = self.dict.set_item(key, value) {
            self.failed.get_or_insert(e);
        }
    }

    pub(crate) fn str(&mut self, key: &str, value: &str) {
        let v = PyString::new(self.py, value).into_any();
        self.set(key, v);
    }

    /// An event id or other string that is absent when empty.
    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) {
        let v = crate::convert::py_opt_str(self.py, value.filter(|s| !s.is_empty()));
        self.set(key, v);
    }

    fn decimal(&mut self, key: &str, value: &str) {
        match py_decimal_text(self.py, value) {
            Ok(v) => self.set(key, v),
            Err(e) => {
                self.failed.get_or_insert(e);
            }
        }
    }

    fn int(&mut self, key: &str, value: i64) {
        let v = value.into_pyobject(self.py).map(|v| v.into_any());
        match v {
            Ok(v) => self.set(key, v),
            Err(never) => match never {},
        }
    }

    fn list(&mut self, key: &str, values: &[String]) {
        match PyList::new(self.py, values) {
            Ok(v) => self.set(key, v.into_any()),
            Err(e) => {
                self.failed.get_or_insert(e);
            }
        }
    }
}

fn classes(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    BY_KIND
        .get_or_try_init(py, || {
            let m = py.import("lottrack._errors")?;
            Ok::<_, PyErr>(m.getattr("_BY_KIND")?.cast_into::<PyDict>()?.unbind())
        })
        .map(|d| d.bind(py))
}

/// The exception of error kind `kind` (`"InvalidField"` …) with `message` and the
/// attributes in `fields`.
pub(crate) fn raise(py: Python<'_>, kind: &str, message: String, fields: Fields<'_>) -> PyErr {
    if let Some(e) = fields.failed {
        return e;
    }
    let made = (|| -> PyResult<PyErr> {
        let cls = match classes(py)?.get_item(kind)? {
            Some(c) => c,
            None => classes(py)?
                .get_item("")?
                .ok_or_else(|| PyRuntimeError::new_err("lottrack._errors has no base class"))?,
        };
        let inst = cls.call((message.as_str(),), Some(&fields.dict))?;
        Ok(PyErr::from_value(inst))
    })();
    made.unwrap_or_else(|e| e)
}

/// A core error as its Python exception.
pub(crate) fn core_err(py: Python<'_>, e: Error) -> PyErr {
    let mut f = Fields::new(py);
    match &e {
        Error::MalformedJson { message } => f.str("detail", message),
        Error::MissingField { event_id, field } => {
            f.opt_str("event_id", Some(event_id));
            f.str("field", field);
        }
        Error::UnknownKind { event_id, kind } => {
            f.opt_str("event_id", Some(event_id));
            f.str("event_kind", kind);
        }
        Error::InvalidTime {
            event_id,
            field,
            value,
            reason,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("field", field);
            f.str("value", value);
            f.str("reason", reason);
        }
        Error::InvalidField {
            event_id,
            field,
            reason,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("field", field);
            f.str("reason", reason);
        }
        Error::UnknownProduct { event_id, product } => {
            f.opt_str("event_id", Some(event_id));
            f.str("product", product);
        }
        Error::UnknownLot {
            event_id,
            product,
            lot,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("product", product);
            f.str("lot", lot);
        }
        Error::UnknownUnit {
            event_id,
            product,
            uom,
            base_uom,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("product", product);
            f.str("uom", uom);
            f.str("base_uom", base_uom);
        }
        Error::NonPositiveQuantity {
            event_id,
            product,
            lot,
            quantity,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("product", product);
            f.str("lot", lot);
            f.decimal("quantity", quantity);
        }
        Error::InsufficientStock {
            event_id,
            product,
            lot,
            location,
            requested,
            on_hand,
            uom,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("product", product);
            f.str("lot", lot);
            f.str("location", location);
            f.decimal("requested", requested);
            f.decimal("on_hand", on_hand);
            f.str("uom", uom);
        }
        Error::Cycle {
            event_id,
            product,
            lot,
            input_product,
            input_lot,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("product", product);
            f.str("lot", lot);
            f.str("input_product", input_product);
            f.str("input_lot", input_lot);
        }
        Error::DuplicateEvent { event_id } => f.opt_str("event_id", Some(event_id)),
        Error::UnknownEvent { event_id, target } => {
            f.opt_str("event_id", Some(event_id));
            f.str("target", target);
        }
        Error::VoidConflict {
            event_id,
            target,
            later,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("target", target);
            f.list("later", later);
        }
        Error::UnknownContainer {
            event_id,
            container,
        } => {
            f.opt_str("event_id", Some(event_id));
            f.str("container", container);
        }
        Error::IncompatibleUnits { context, from, to } => {
            f.str("context", context);
            f.str("from_unit", from);
            f.str("to_unit", to);
        }
        Error::InvalidEvent { event_id, reason } => {
            f.opt_str("event_id", Some(event_id));
            f.str("reason", reason);
        }
        Error::Storage { message } | Error::NotAStore { message } | Error::Conflict { message } => {
            f.str("detail", message)
        }
        Error::SchemaTooNew { found, supported } => {
            f.int("found", *found);
            f.int("supported", *supported);
        }
        _ => {}
    }
    // The core prints "event : …" for an event that has no id yet (one recorded
    // without `event_id`, before an id is generated); drop the empty prefix.
    let message = e.to_string();
    let message = match message.strip_prefix("event : ") {
        Some(rest) => rest.to_string(),
        None => message,
    };
    raise(py, e.kind_name(), message, f)
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
