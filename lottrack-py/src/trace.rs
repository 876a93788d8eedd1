//! `Trace`: the result of a forward or backward trace, kept as the core's result;
//! row objects are made only when a row is accessed.

use std::sync::Arc;

use lottrack_core::{Trace, TraceDirection};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::lot_key;
use crate::errors::OrRaise;
use crate::lot_key::PyLotKey;
use crate::result::result_methods;
use crate::row_iter::PyRowIter;
use crate::rows::{PyRows, rows};

/// A forward trace (what was made from the root, and who received it) or a
/// backward trace (what the root was made from, and who supplied it).
///
/// Iterating yields the lots reached (``TraceLot``, the root excluded); ``len()``
/// is their number; ``(product, lot) in trace`` tests whether a lot was reached.
#[pyclass(frozen, name = "Trace", module = "lottrack")]
pub struct PyTrace(pub Arc<Trace>);

result_methods!(PyTrace {
    /// ``"forward"`` or ``"backward"``.
    #[getter]
    fn direction(&self) -> &'static str {
        match self.0.direction {
            TraceDirection::Forward => "forward",
            TraceDirection::Backward => "backward",
        }
    }

    /// The lot traced from.
    #[getter]
    fn root(&self) -> PyLotKey {
        PyLotKey(self.0.root.clone())
    }

    /// Every lot reached (the root excluded), by depth: ``Rows[TraceLot]``.
    #[getter]
    fn lots(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |t: &Trace| &t.lots)
    }

    /// Transform links among the root and the lots reached: ``Rows[TraceLink]``.
    #[getter]
    fn links(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |t: &Trace| &t.links)
    }

    /// Shipments of the root and of every lot reached (forward traces), by time:
    /// ``Rows[Shipment]``.
    #[getter]
    fn shipments(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |t: &Trace| &t.shipments)
    }

    /// Receipts of the root and of every lot reached (backward traces), by time:
    /// ``Rows[Receipt]``.
    #[getter]
    fn receipts(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |t: &Trace| &t.receipts)
    }

    fn __len__(&self) -> usize {
        self.0.lots.len()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyRowIter>> {
        let lots = rows(py, &self.0, |t: &Trace| &t.lots)?;
        Py::new(py, PyRowIter::new(lots.get().0.clone()))
    }

    fn __contains__(&self, lot: &Bound<'_, PyAny>) -> bool {
        match lot_key(lot) {
            Ok(k) => self
                .0
                .lots
                .iter()
                .any(|l| l.product == k.product && l.lot == k.lot),
            Err(_) => false,
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "<Trace {} from {}: {} lots, {} links, {} shipments, {} receipts>",
            self.direction(),
            self.0.root,
            self.0.lots.len(),
            self.0.links.len(),
            self.0.shipments.len(),
            self.0.receipts.len()
        )
    }

    /// The trace as a Graphviz DOT digraph: lots are boxes labelled with product,
    /// lot and the quantity shipped (forward) or received (backward), the root in
    /// bold; customers are ``house`` shapes, suppliers ``invhouse`` shapes; edges
    /// run the way goods flow, labelled with their event.
    fn to_dot(&self) -> String {
        self.0.to_dot()
    }

    /// The trace as SVG text, drawn by Graphviz's ``dot -Tsvg`` (GIL released).
    /// Raises ``StorageError`` saying so when ``dot`` is not installed.
    fn to_svg(&self, py: Python<'_>) -> PyResult<String> {
        let t = self.0.clone();
        py.detach(move || t.to_svg()).or_raise(py)
    }

    /// The trace as ``pandas.DataFrame`` objects: ``{"lots", "links", "shipments",
    /// "receipts"}``. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("lots", self.lots(py)?.get().0.frame(py)?)?;
        d.set_item("links", self.links(py)?.get().0.frame(py)?)?;
        d.set_item("shipments", self.shipments(py)?.get().0.frame(py)?)?;
        d.set_item("receipts", self.receipts(py)?.get().0.frame(py)?)?;
        Ok(d)
    }
});
