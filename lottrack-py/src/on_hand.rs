//! `OnHand`: stock of an affected lot at one location (recall reports).

use lottrack_core::OnHand;
use pyo3::prelude::*;

use crate::convert::{py_decimal, py_opt_str};
use crate::result::{dq, oq, q, result_methods};

/// Stock of an affected lot at one location (and container, if packed), in the
/// product's base unit.
#[pyclass(frozen, eq, name = "OnHand", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyOnHand(pub OnHand);

result_methods!(PyOnHand {
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

    fn __repr__(&self) -> String {
        format!(
            "OnHand(location={}, container={}, quantity={}, uom={})",
            q(&self.0.location),
            oq(self.0.container.as_deref()),
            dq(&self.0.quantity),
            q(&self.0.uom)
        )
    }
});
