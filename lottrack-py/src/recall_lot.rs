//! `RecallLot`: a lot affected by a recall.

use lottrack_core::RecallLot;
use pyo3::prelude::*;

use crate::on_hand::PyOnHand;
use crate::result::{q, record, result_methods};
use crate::rows::Row;

/// A lot affected by a recall (the roots at depth 0) with its status and the stock
/// to put on hold, per location.
#[pyclass(frozen, eq, name = "RecallLot", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyRecallLot(pub RecallLot);

result_methods!(PyRecallLot {
    /// Product.
    #[getter]
    fn product(&self) -> &str {
        &self.0.product
    }

    /// Lot code.
    #[getter]
    fn lot(&self) -> &str {
        &self.0.lot
    }

    /// Shortest transform steps from a root (0 for a root).
    #[getter]
    fn depth(&self) -> u32 {
        self.0.depth
    }

    /// Current status: ``"active"``, ``"on_hold"``, ``"quarantined"``, ``"recalled"``,
    /// ``"consumed"`` or ``"expired"``.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// Stock to put on hold, per location.
    #[getter]
    fn on_hand(&self, py: Python<'_>) -> PyResult<Vec<Py<PyOnHand>>> {
        self.0
            .on_hand
            .iter()
            .map(|o| Py::new(py, PyOnHand(o.clone())))
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "RecallLot(product={}, lot={}, depth={}, status={}, on_hand=[{} location(s)])",
            q(&self.0.product),
            q(&self.0.lot),
            self.0.depth,
            q(self.0.status.as_str()),
            self.0.on_hand.len()
        )
    }
});

impl Row for RecallLot {
    const NAME: &'static str = "RecallLot";
    const COLUMNS: &'static [&'static str] = &["product", "lot", "depth", "status"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyRecallLot(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py; &*self.product, &*self.lot, self.depth, self.status.as_str()]);
        Ok(())
    }
}
