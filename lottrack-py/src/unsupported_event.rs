//! `UnsupportedEvent`: an EPCIS event lottrack does not track, and why.

use lottrack_core::epcis::UnsupportedEvent;
use pyo3::prelude::*;

use crate::result::{q, record, result_methods};
use crate::rows::Row;

/// An EPCIS event the import skipped because lottrack does not track it (a
/// sensor-only observation, an association …): its ``index`` in the document's
/// event list, ``event_id`` (or hash ID), ``event_type`` and the ``reason``.
#[pyclass(frozen, eq, name = "UnsupportedEvent", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyUnsupportedEvent(pub UnsupportedEvent);

result_methods!(PyUnsupportedEvent {
    /// Position in the document's event list.
    #[getter]
    fn index(&self) -> usize {
        self.0.index
    }

    /// Its ``eventID`` (or hash ID).
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

    /// Its EPCIS type (``"ObjectEvent"`` …).
    #[getter]
    fn event_type(&self) -> &str {
        &self.0.event_type
    }

    /// Why it moves no stock here.
    #[getter]
    fn reason(&self) -> &str {
        &self.0.reason
    }

    fn __repr__(&self) -> String {
        format!(
            "UnsupportedEvent(index={}, event_id={}, event_type={}, reason={})",
            self.0.index,
            q(&self.0.event_id),
            q(&self.0.event_type),
            q(&self.0.reason)
        )
    }
});

impl Row for UnsupportedEvent {
    const NAME: &'static str = "UnsupportedEvent";
    const COLUMNS: &'static [&'static str] = &["index", "event_id", "event_type", "reason"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyUnsupportedEvent(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py; self.index, &self.event_id, &self.event_type, &self.reason]);
        Ok(())
    }
}
