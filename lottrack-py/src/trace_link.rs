//! `TraceLink`: a transform link between two lots of a trace.

use lottrack_core::TraceLink;
use pyo3::prelude::*;

use crate::lot_key::PyLotKey;
use crate::result::{q, record, result_methods};
use crate::rows::Row;

/// A transform link of a trace: ``event_id`` made ``to_lot`` from ``from_lot``.
#[pyclass(frozen, eq, name = "TraceLink", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyTraceLink(pub TraceLink);

result_methods!(PyTraceLink {
    /// The transform event.
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

    /// The input lot.
    #[getter(from_lot)]
    fn input(&self) -> PyLotKey {
        PyLotKey(self.0.from.clone())
    }

    /// The output lot.
    #[getter(to_lot)]
    fn output(&self) -> PyLotKey {
        PyLotKey(self.0.to.clone())
    }

    fn __repr__(&self) -> String {
        format!(
            "TraceLink(event_id={}, from_lot={}, to_lot={})",
            q(&self.0.event_id),
            q(&self.0.from.to_string()),
            q(&self.0.to.to_string())
        )
    }
});

impl Row for TraceLink {
    const NAME: &'static str = "TraceLink";
    const COLUMNS: &'static [&'static str] = &[
        "event_id",
        "from_product",
        "from_lot",
        "to_product",
        "to_lot",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyTraceLink(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &*self.event_id,
            &*self.from.product,
            &*self.from.lot,
            &*self.to.product,
            &*self.to.lot,
        ]);
        Ok(())
    }
}
