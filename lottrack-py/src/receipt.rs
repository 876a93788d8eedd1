//! `Receipt`: A quantity of a lot that arrived from a supplier (backward traces).

use lottrack_core::Receipt;
use pyo3::prelude::*;

use crate::convert::{py_decimal, py_time};
use crate::document::{PyDocument, documents, documents_text};
use crate::result::{dq, q, record, result_methods};
use crate::rows::Row;

/// A quantity of a lot that arrived from a supplier (backward traces). Quantities are in the product's base unit.
#[pyclass(frozen, eq, name = "Receipt", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyReceipt(pub Receipt);

result_methods!(PyReceipt {
    /// The event.
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

    /// The supplier.
    #[getter]
    fn supplier(&self) -> &str {
        &self.0.party
    }

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

    /// Quantity, in the product's base unit (``Decimal``).
    #[getter]
    fn quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.quantity)
    }

    /// The product's base unit.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    /// Event time, an aware ``datetime`` with the event's own offset.
    #[getter]
    fn time<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_time(py, &self.0.time)
    }

    /// Location.
    #[getter]
    fn location(&self) -> &str {
        &self.0.location
    }

    /// Reference documents.
    #[getter]
    fn documents(&self, py: Python<'_>) -> PyResult<Vec<Py<PyDocument>>> {
        documents(py, &self.0.documents)
    }

    fn __repr__(&self) -> String {
        format!(
            "Receipt(event_id={}, supplier={}, product={}, lot={}, quantity={}, uom={}, time={})",
            q(&self.0.event_id),
            q(&self.0.party),
            q(&self.0.product),
            q(&self.0.lot),
            dq(&self.0.quantity),
            q(&self.0.uom),
            q(&self.0.time.to_rfc3339())
        )
    }
});

impl Row for Receipt {
    const NAME: &'static str = "Receipt";
    const COLUMNS: &'static [&'static str] = &[
        "event_id",
        "supplier",
        "product",
        "lot",
        "quantity",
        "uom",
        "time",
        "location",
        "documents",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyReceipt(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &*self.event_id,
            &*self.party,
            &*self.product,
            &*self.lot,
            py_decimal(py, &self.quantity)?,
            &*self.uom,
            py_time(py, &self.time)?,
            &*self.location,
            documents_text(&self.documents),
        ]);
        Ok(())
    }
}
