//! `TraceLot`: a lot reached by a trace.

use lottrack_core::{LotKey, TraceLot};
use pyo3::prelude::*;

use crate::lot_key::PyLotKey;
use crate::result::{q, record, result_methods};
use crate::rows::Row;

/// A lot reached by a trace, with its depth (shortest number of transform steps
/// from the root).
#[pyclass(frozen, eq, name = "TraceLot", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyTraceLot(pub TraceLot);

result_methods!(PyTraceLot {
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

    /// Shortest number of transform steps from the root.
    #[getter]
    fn depth(&self) -> u32 {
        self.0.depth
    }

    /// ``LotKey(product, lot)``.
    #[getter]
    fn key(&self) -> PyLotKey {
        PyLotKey(LotKey {
            product: self.0.product.clone(),
            lot: self.0.lot.clone(),
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "TraceLot(product={}, lot={}, depth={})",
            q(&self.0.product),
            q(&self.0.lot),
            self.0.depth
        )
    }
});

impl Row for TraceLot {
    const NAME: &'static str = "TraceLot";
    const COLUMNS: &'static [&'static str] = &["product", "lot", "depth"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyTraceLot(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py; &*self.product, &*self.lot, self.depth]);
        Ok(())
    }
}
