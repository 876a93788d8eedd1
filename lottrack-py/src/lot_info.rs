//! `LotInfo`: everything known about one lot.

use lottrack_core::LotInfo;
use pyo3::prelude::*;

use crate::convert::{py_decimal, py_opt_date, py_opt_str};
use crate::result::{date_q, dq, q, result_methods};

/// A lot's attributes as the tracker knows them: status, dates (and where the
/// expiry came from), supplier, the supplier's lot code, origin and on hand.
#[pyclass(frozen, eq, name = "LotInfo", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyLotInfo(pub LotInfo);

result_methods!(PyLotInfo {
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

    /// Current status.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// Expiry (``datetime.date``) or ``None``.
    #[getter]
    fn expiry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_opt_date(py, &self.0.expiry)
    }

    /// Where the expiry came from, or ``None``.
    #[getter]
    fn expiry_source<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.expiry_source.as_deref())
    }

    /// Production date (``datetime.date``) or ``None``.
    #[getter]
    fn production_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_opt_date(py, &self.0.production_date)
    }

    /// Supplier of the first receipt, or ``None``.
    #[getter]
    fn supplier<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.supplier.as_deref())
    }

    /// The supplier's own lot code, or ``None``.
    #[getter]
    fn supplier_lot<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.supplier_lot.as_deref())
    }

    /// Origin party, or ``None``.
    #[getter]
    fn origin<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.origin.as_deref())
    }

    /// On hand over every location and container (``Decimal``, base unit).
    #[getter]
    fn on_hand<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.on_hand)
    }

    /// The product's base unit.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    fn __repr__(&self) -> String {
        let i = &self.0;
        format!(
            "LotInfo(product={}, lot={}, status={}, expiry={}, on_hand={}, uom={})",
            q(&i.product),
            q(&i.lot),
            q(i.status.as_str()),
            date_q(&i.expiry),
            dq(&i.on_hand),
            q(&i.uom)
        )
    }
});
