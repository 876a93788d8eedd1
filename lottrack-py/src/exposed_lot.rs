//! `ExposedLot`: a downstream lot and the share of it that came from the root.

use lottrack_core::ExposedLot;
use pyo3::prelude::*;

use crate::convert::py_decimal;
use crate::result::{dq, q, record, result_methods};
use crate::rows::Row;

/// A lot downstream of the root and ``fraction``, the share of it (0..1, a
/// ``Decimal``) that came from the root, following quantities through every
/// transform.
#[pyclass(frozen, eq, name = "ExposedLot", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyExposedLot(pub ExposedLot);

result_methods!(PyExposedLot {
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

    /// Shortest transform steps from the root.
    #[getter]
    fn depth(&self) -> u32 {
        self.0.depth
    }

    /// Share of the lot that came from the root, 0..1.
    #[getter]
    fn fraction<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.fraction)
    }

    fn __repr__(&self) -> String {
        format!(
            "ExposedLot(product={}, lot={}, depth={}, fraction={})",
            q(&self.0.product),
            q(&self.0.lot),
            self.0.depth,
            dq(&self.0.fraction)
        )
    }
});

impl Row for ExposedLot {
    const NAME: &'static str = "ExposedLot";
    const COLUMNS: &'static [&'static str] = &["product", "lot", "depth", "fraction"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyExposedLot(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &*self.product,
            &*self.lot,
            self.depth,
            py_decimal(py, &self.fraction)?,
        ]);
        Ok(())
    }
}
