//! `CustomerExposure`: a customer a mock recall would notify, with the root
//! material they received.

use lottrack_core::mock_recall::CustomerExposure;
use pyo3::prelude::*;

use crate::lot_exposure::{opt_dq, py_opt_decimal};
use crate::result::{q, record, result_methods};
use crate::rows::{PyRows, Row, rows_of};

/// A customer to notify in a mock recall: their ``shipments`` of affected lots and
/// the estimated ``root_quantity`` of root material they received, in the
/// reporting unit (``Decimal``, or ``None`` when a unit has no path to it).
/// ``MockRecall.customers`` lists the most exposed first. ``to_pandas()`` of a list
/// of them has one row per customer (``shipments``: how many).
#[pyclass(frozen, eq, name = "CustomerExposure", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyCustomerExposure(pub CustomerExposure);

result_methods!(PyCustomerExposure {
    /// The customer.
    #[getter]
    fn customer(&self) -> &str {
        &self.0.customer
    }

    /// Their shipments of affected lots, by time: ``Rows[Shipment]``.
    #[getter]
    fn shipments(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows_of(py, self.0.shipments.clone())
    }

    /// Estimated root material received (``Decimal`` or ``None``).
    #[getter]
    fn root_quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_opt_decimal(py, &self.0.root_quantity)
    }

    fn __len__(&self) -> usize {
        self.0.shipments.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "CustomerExposure(customer={}, root_quantity={}, shipments=[{} shipment(s)])",
            q(&self.0.customer),
            opt_dq(&self.0.root_quantity),
            self.0.shipments.len()
        )
    }
});

impl Row for CustomerExposure {
    const NAME: &'static str = "CustomerExposure";
    const COLUMNS: &'static [&'static str] = &["customer", "root_quantity", "shipments"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyCustomerExposure(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.customer,
            py_opt_decimal(py, &self.root_quantity)?,
            self.shipments.len(),
        ]);
        Ok(())
    }
}
