//! `LotKey`: a lot's identity, the pair (product, lot code).

use lottrack_core::LotKey;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::result::q;

/// A lot's identity: ``(product, lot)``. Unpacks and compares like that tuple, so
/// ``product, lot = key`` and ``key == ("spinach", "F-100")`` both work.
#[pyclass(frozen, name = "LotKey", module = "lottrack")]
pub struct PyLotKey(pub LotKey);

impl PyLotKey {
    fn tuple<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, [&*self.0.product, &*self.0.lot])
    }
}

#[pymethods]
impl PyLotKey {
    #[new]
    fn new(product: &str, lot: &str) -> Self {
        PyLotKey(LotKey::new(product, lot))
    }

    /// The product (article number, GTIN …).
    #[getter]
    fn product(&self) -> &str {
        &self.0.product
    }

    /// The lot (batch) code.
    #[getter]
    fn lot(&self) -> &str {
        &self.0.lot
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.tuple(py)?.try_iter()?.into_any())
    }

    fn __len__(&self) -> usize {
        2
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.tuple(py)?.as_any().get_item(index)
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(k) = other.cast::<PyLotKey>() {
            return pyo3::IntoPyObjectExt::into_py_any(k.get().0 == self.0, py);
        }
        if other.is_instance_of::<PyTuple>() {
            let equal = self.tuple(py)?.as_any().eq(other)?;
            return pyo3::IntoPyObjectExt::into_py_any(equal, py);
        }
        Ok(py.NotImplemented())
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        self.tuple(py)?.hash()
    }

    fn __repr__(&self) -> String {
        format!(
            "LotKey(product={}, lot={})",
            q(&self.0.product),
            q(&self.0.lot)
        )
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    /// ``{"product": ..., "lot": ...}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("product", &*self.0.product)?;
        d.set_item("lot", &*self.0.lot)?;
        Ok(d)
    }
}
