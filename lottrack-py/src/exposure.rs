//! `Exposure`: for each lot downstream of a root, the share that came from it.

use std::sync::Arc;

use lottrack_core::Exposure;
use pyo3::prelude::*;

use crate::lot_key::PyLotKey;
use crate::result::result_methods;
use crate::row_iter::PyRowIter;
use crate::rows::{PyRows, rows};

/// The exposure of every lot downstream of ``root``: iterating yields
/// ``ExposedLot`` rows (the root excluded), by depth.
#[pyclass(frozen, name = "Exposure", module = "lottrack")]
pub struct PyExposure(pub Arc<Exposure>);

result_methods!(PyExposure {
    /// The root lot.
    #[getter]
    fn root(&self) -> PyLotKey {
        PyLotKey(self.0.root.clone())
    }

    /// Downstream lots with their fraction: ``Rows[ExposedLot]``.
    #[getter]
    fn lots(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |e: &Exposure| &e.lots)
    }

    fn __len__(&self) -> usize {
        self.0.lots.len()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyRowIter>> {
        let lots = self.lots(py)?;
        Py::new(py, PyRowIter::new(lots.get().0.clone()))
    }

    fn __repr__(&self) -> String {
        format!("<Exposure from {}: {} lots>", self.0.root, self.0.lots.len())
    }

    /// The lots as a ``pandas.DataFrame``. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.lots(py)?.get().0.frame(py)
    }
});
