//! `CustomerShipments`: a customer to notify and what they received.

use lottrack_core::{CustomerShipments, Shipment};
use pyo3::prelude::*;

use crate::result::{q, result_methods};
use crate::rows::{PyRows, Row, rows_of};

/// A customer to notify in a recall, with their shipments of affected lots by time.
/// ``to_pandas()`` of a list of them has one row per shipment.
#[pyclass(frozen, eq, name = "CustomerShipments", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyCustomerShipments(pub CustomerShipments);

result_methods!(PyCustomerShipments {
    /// The customer.
    #[getter]
    fn customer(&self) -> &str {
        &self.0.customer
    }

    /// Their shipments of affected lots: ``Rows[Shipment]``.
    #[getter]
    fn shipments(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows_of(py, self.0.shipments.clone())
    }

    fn __len__(&self) -> usize {
        self.0.shipments.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "CustomerShipments(customer={}, shipments=[{} shipment(s)])",
            q(&self.0.customer),
            self.0.shipments.len()
        )
    }
});

impl Row for CustomerShipments {
    const NAME: &'static str = "CustomerShipments";
    const COLUMNS: &'static [&'static str] = Shipment::COLUMNS;

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyCustomerShipments(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        for s in &self.shipments {
            s.records(py, out)?;
        }
        Ok(())
    }
}
