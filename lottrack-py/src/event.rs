//! `Event`: one recorded event (from `history()` and `event()`).

use lottrack_core::Event;
use pyo3::prelude::*;

use crate::convert::{json_loads, py_opt_str, py_time, to_py};
use crate::document::{PyDocument, documents};
use crate::result::{oq, q, record, result_methods};
use crate::rows::Row;

/// One immutable event. ``to_dict()`` is the event in the design's JSON format
/// (what ``record()`` accepts), so an event can be recorded into another tracker.
#[pyclass(frozen, eq, name = "Event", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyEvent(pub Event);

result_methods!(PyEvent {
    /// The event's id.
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

    /// Its kind: ``"receive"``, ``"transform"``, ``"ship"`` …
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.body.kind()
    }

    /// When it happened: an aware ``datetime`` with the event's own offset.
    #[getter]
    fn time<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_time(py, &self.0.time)
    }

    /// Where it happened, or ``None``.
    #[getter]
    fn location<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.location.as_deref())
    }

    /// Reference documents.
    #[getter]
    fn documents(&self, py: Python<'_>) -> PyResult<Vec<Py<PyDocument>>> {
        documents(py, &self.0.documents)
    }

    /// Free-form attributes (a new dict).
    #[getter]
    fn attributes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = serde_json::to_string(&self.0.attributes)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        json_loads(py, &text)
    }

    fn __repr__(&self) -> String {
        format!(
            "Event(event_id={}, kind={}, time={}, location={})",
            q(&self.0.event_id),
            q(self.0.body.kind()),
            q(&self.0.time.to_rfc3339()),
            oq(self.0.location.as_deref())
        )
    }
});

impl Row for Event {
    const NAME: &'static str = "Event";
    const COLUMNS: &'static [&'static str] = &["event_id", "kind", "time", "location", "event"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyEvent(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.event_id,
            self.body.kind(),
            py_time(py, &self.time)?,
            py_opt_str(py, self.location.as_deref()),
            to_py(py, self)?,
        ]);
        Ok(())
    }
}
