//! `StockLine`: stock of one lot at one location.

use lottrack_core::StockLine;
use pyo3::prelude::*;

use crate::convert::{py_decimal, py_opt_date, py_opt_str};
use crate::result::{date_q, dq, oq, q, record, result_methods};
use crate::rows::Row;

/// Stock of one lot at one location (or inside a container there), in the
/// product's base unit, with the lot's status and expiry.
#[pyclass(frozen, eq, name = "StockLine", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyStockLine(pub StockLine);

result_methods!(PyStockLine {
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

    /// Location.
    #[getter]
    fn location(&self) -> &str {
        &self.0.location
    }

    /// The container holding it, or ``None`` when loose.
    #[getter]
    fn container<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.container.as_deref())
    }

    /// Quantity (``Decimal``, base unit).
    #[getter]
    fn quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.quantity)
    }

    /// The product's base unit.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    /// The lot's status.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// The lot's expiry (``datetime.date``) or ``None``.
    #[getter]
    fn expiry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_opt_date(py, &self.0.expiry)
    }

    fn __repr__(&self) -> String {
        let s = &self.0;
        format!(
            "StockLine(product={}, lot={}, location={}, container={}, quantity={}, uom={}, \
             status={}, expiry={})",
            q(&s.product),
            q(&s.lot),
            q(&s.location),
            oq(s.container.as_deref()),
            dq(&s.quantity),
            q(&s.uom),
            q(s.status.as_str()),
            date_q(&s.expiry)
        )
    }
});

impl Row for StockLine {
    const NAME: &'static str = "StockLine";
    const COLUMNS: &'static [&'static str] = &[
        "product",
        "lot",
        "location",
        "container",
        "quantity",
        "uom",
        "status",
        "expiry",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyStockLine(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.product,
            &self.lot,
            &self.location,
            py_opt_str(py, self.container.as_deref()),
            py_decimal(py, &self.quantity)?,
            &self.uom,
            self.status.as_str(),
            py_opt_date(py, &self.expiry)?,
        ]);
        Ok(())
    }
}
