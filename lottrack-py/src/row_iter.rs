//! The iterator over a `Rows` sequence.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pyo3::prelude::*;

use crate::rows::RowSource;

/// Iterator over ``Rows``; each row object is made when it is reached.
#[pyclass(frozen, name = "RowIterator", module = "lottrack")]
pub struct PyRowIter {
    source: Arc<dyn RowSource>,
    next: AtomicUsize,
}

impl PyRowIter {
    pub(crate) fn new(source: Arc<dyn RowSource>) -> Self {
        PyRowIter {
            source,
            next: AtomicUsize::new(0),
        }
    }
}

#[pymethods]
impl PyRowIter {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if i >= self.source.len() {
            self.next.store(self.source.len(), Ordering::Relaxed);
            return Ok(None);
        }
        self.source.get(py, i).map(Some)
    }

    fn __length_hint__(&self) -> usize {
        self.source
            .len()
            .saturating_sub(self.next.load(Ordering::Relaxed))
    }
}
