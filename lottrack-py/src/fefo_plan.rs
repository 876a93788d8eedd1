//! `FefoPlan`: a first-expired-first-out pick suggestion.

use std::sync::Arc;

use lottrack_core::FefoPlan;
use pyo3::prelude::*;

use crate::convert::py_decimal;
use crate::result::{dq, q, result_methods};
use crate::row_iter::PyRowIter;
use crate::rows::{PyRows, rows};

/// Which lots to pick, earliest expiry first, from active loose stock; iterating
/// yields the ``Pick`` rows. ``shortfall`` is what the stock could not cover.
#[pyclass(frozen, name = "FefoPlan", module = "lottrack")]
pub struct PyFefoPlan(pub Arc<FefoPlan>);

result_methods!(PyFefoPlan {
    /// Product.
    #[getter]
    fn product(&self) -> &str {
        &self.0.product
    }

    /// Location.
    #[getter]
    fn location(&self) -> &str {
        &self.0.location
    }

    /// The picks, earliest expiry first: ``Rows[Pick]``.
    #[getter]
    fn picks(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |p: &FefoPlan| &p.picks)
    }

    /// What active loose stock could not cover (``Decimal``, 0 when covered).
    #[getter]
    fn shortfall<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.shortfall)
    }

    fn __len__(&self) -> usize {
        self.0.picks.len()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyRowIter>> {
        let picks = self.picks(py)?;
        Py::new(py, PyRowIter::new(picks.get().0.clone()))
    }

    fn __repr__(&self) -> String {
        format!(
            "<FefoPlan {} at {}: {} picks, shortfall {}>",
            q(&self.0.product),
            q(&self.0.location),
            self.0.picks.len(),
            dq(&self.0.shortfall)
        )
    }

    /// The picks as a ``pandas.DataFrame``. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.picks(py)?.get().0.frame(py)
    }
});
