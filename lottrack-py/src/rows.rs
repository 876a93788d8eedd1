//! `Rows`: a lazy, read-only sequence over the rows of a result (a trace's lots,
//! shipments, a stock list …). It keeps the core result alive and creates one
//! Python object per row only when that row is accessed.

use std::sync::Arc;

use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PySlice};
use serde::Serialize;

use crate::convert;
use crate::row_iter::PyRowIter;

/// A core row type that has a Python class.
pub(crate) trait Row: Serialize + Send + Sync + 'static {
    /// Name of the Python class of its objects.
    const NAME: &'static str;
    /// Columns of its `to_pandas()` frame.
    const COLUMNS: &'static [&'static str];
    /// The Python object for this row.
    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
    /// Its `to_pandas()` records (usually one), values in [`Row::COLUMNS`] order.
    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()>;
}

/// Rows owned by a shared core result.
pub(crate) trait RowSource: Send + Sync {
    fn len(&self) -> usize;
    fn name(&self) -> &'static str;
    fn get<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>>;
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
    fn to_json(&self, py: Python<'_>) -> PyResult<String>;
    fn frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// A slice of rows inside a shared owner (`Arc<Trace>` and a field accessor).
pub(crate) struct Slice<O, T> {
    owner: Arc<O>,
    get: fn(&O) -> &[T],
}

impl<O, T> Slice<O, T> {
    fn rows(&self) -> &[T] {
        (self.get)(&self.owner)
    }
}

/// Rows of `get(owner)` as a Python `Rows` object.
pub(crate) fn rows<O: Send + Sync + 'static, T: Row>(
    py: Python<'_>,
    owner: &Arc<O>,
    get: fn(&O) -> &[T],
) -> PyResult<Py<PyRows>> {
    Py::new(
        py,
        PyRows(Arc::new(Slice {
            owner: owner.clone(),
            get,
        })),
    )
}

/// Rows of a whole vector.
pub(crate) fn rows_of<T: Row>(py: Python<'_>, v: Vec<T>) -> PyResult<Py<PyRows>> {
    rows(py, &Arc::new(v), |v: &Vec<T>| v.as_slice())
}

impl<O: Send + Sync, T: Row> RowSource for Slice<O, T> {
    fn len(&self) -> usize {
        self.rows().len()
    }

    fn name(&self) -> &'static str {
        T::NAME
    }

    fn get<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>> {
        self.rows()
            .get(i)
            .ok_or_else(|| PyIndexError::new_err("row index out of range"))?
            .object(py)
    }

    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.rows())
    }

    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        convert::to_json(py, &self.rows())
    }

    fn frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::pandas(py)?; // fail early, before converting the rows
        let mut records = Vec::with_capacity(self.len());
        for r in self.rows() {
            r.records(py, &mut records)?;
        }
        convert::data_frame(py, T::COLUMNS, records)
    }
}

/// A read-only sequence of result rows, created lazily: indexing or iterating makes
/// the row objects; ``to_list()``, ``to_json()`` and ``to_pandas()`` convert all rows
/// at once.
#[pyclass(frozen, sequence, name = "Rows", module = "lottrack")]
pub struct PyRows(pub(crate) Arc<dyn RowSource>);

#[pymethods]
impl PyRows {
    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let n = self.0.len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let ind = slice.indices(n as isize)?;
            let list = PyList::empty(py);
            let mut i = ind.start;
            for _ in 0..ind.slicelength {
                list.append(self.0.get(py, i as usize)?)?;
                i += ind.step;
            }
            return Ok(list.into_any());
        }
        let i: isize = index
            .extract()
            .map_err(|_| PyTypeError::new_err("Rows indices must be integers or slices"))?;
        let j = if i < 0 { i + n as isize } else { i };
        if j < 0 || j as usize >= n {
            return Err(PyIndexError::new_err("Rows index out of range"));
        }
        self.0.get(py, j as usize)
    }

    fn __iter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyRowIter>> {
        Py::new(slf.py(), PyRowIter::new(slf.get().0.clone()))
    }

    fn __repr__(&self) -> String {
        format!("<Rows of {} {}>", self.0.len(), self.0.name())
    }

    /// The rows in the design's JSON shape: a list of dicts (quantities as decimal
    /// strings, times as RFC 3339 strings).
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.0.to_py(py)
    }

    /// The rows as a JSON array.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.0.to_json(py)
    }

    /// The rows as a ``pandas.DataFrame`` (quantities as ``Decimal``, times as aware
    /// ``datetime``). Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.0.frame(py)
    }
}
