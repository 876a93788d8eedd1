//! `Pick`: one pick of a FEFO suggestion.

use lottrack_core::Pick;
use pyo3::prelude::*;

use crate::convert::{py_decimal, py_opt_date};
use crate::result::{date_q, dq, q, record, result_methods};
use crate::rows::Row;

/// One pick of a first-expired-first-out suggestion: take ``quantity`` (base unit)
/// of ``lot``.
#[pyclass(frozen, eq, name = "Pick", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyPick(pub Pick);

result_methods!(PyPick {
    /// Lot code.
    #[getter]
    fn lot(&self) -> &str {
        &self.0.lot
    }

    /// Quantity to pick (``Decimal``, base unit).
    #[getter]
    fn quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.quantity)
    }

    /// The product's base unit.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    /// The lot's expiry (``datetime.date``) or ``None``.
    #[getter]
    fn expiry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_opt_date(py, &self.0.expiry)
    }

    fn __repr__(&self) -> String {
        format!(
            "Pick(lot={}, quantity={}, uom={}, expiry={})",
            q(&self.0.lot),
            dq(&self.0.quantity),
            q(&self.0.uom),
            date_q(&self.0.expiry)
        )
    }
});

impl Row for Pick {
    const NAME: &'static str = "Pick";
    const COLUMNS: &'static [&'static str] = &["lot", "quantity", "uom", "expiry"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyPick(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.lot,
            py_decimal(py, &self.quantity)?,
            &self.uom,
            py_opt_date(py, &self.expiry)?,
        ]);
        Ok(())
    }
}
