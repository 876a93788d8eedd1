//! `RecallReport`: what a recall coordinator needs.

use std::sync::Arc;

use lottrack_core::RecallReport;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{data_frame, py_decimal, py_opt_str};
use crate::lot_key::PyLotKey;
use crate::result::{record, result_methods};
use crate::row_iter::PyRowIter;
use crate::rows::{PyRows, rows};

/// A recall report: the affected lots with status and stock to hold (``lots``), the
/// customers to notify with their shipments (``customers``) and the mass balance
/// of each root (``mass_balance``). Iterating yields the affected lots.
#[pyclass(frozen, name = "RecallReport", module = "lottrack")]
pub struct PyRecallReport(pub Arc<RecallReport>);

const STOCK_COLUMNS: &[&str] = &["product", "lot", "location", "container", "quantity", "uom"];

result_methods!(PyRecallReport {
    /// The lots recalled.
    #[getter]
    fn roots(&self) -> Vec<PyLotKey> {
        self.0.roots.iter().cloned().map(PyLotKey).collect()
    }

    /// Every affected lot (roots at depth 0), by depth: ``Rows[RecallLot]``.
    #[getter]
    fn lots(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |r: &RecallReport| &r.lots)
    }

    /// Customers to notify, by name: ``Rows[CustomerShipments]``.
    #[getter]
    fn customers(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |r: &RecallReport| &r.customers)
    }

    /// Mass balance of each root: ``Rows[MassBalance]``.
    #[getter]
    fn mass_balance(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |r: &RecallReport| &r.mass_balance)
    }

    fn __len__(&self) -> usize {
        self.0.lots.len()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyRowIter>> {
        let lots = self.lots(py)?;
        Py::new(py, PyRowIter::new(lots.get().0.clone()))
    }

    fn __repr__(&self) -> String {
        let roots: Vec<String> = self.0.roots.iter().map(|k| k.to_string()).collect();
        format!(
            "<RecallReport of {}: {} lots, {} customers>",
            roots.join(", "),
            self.0.lots.len(),
            self.0.customers.len()
        )
    }

    /// The report as one CSV text: a ``notify`` row per shipment to a customer, then
    /// a ``hold`` row per affected lot and location with stock.
    fn to_csv(&self) -> String {
        self.0.to_csv()
    }

    /// The report as ``pandas.DataFrame`` objects: ``{"lots", "stock", "shipments",
    /// "mass_balance"}`` (``stock``: one row per lot and location to hold;
    /// ``shipments``: one row per shipment, with its customer). Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("lots", self.lots(py)?.get().0.frame(py)?)?;
        let mut stock = Vec::new();
        for (lot, oh) in self.0.stock_to_hold() {
            stock.push(record![py;
                &*lot.product,
                &*lot.lot,
                &*oh.location,
                py_opt_str(py, oh.container.as_deref()),
                py_decimal(py, &oh.quantity)?,
                &*oh.uom,
            ]);
        }
        d.set_item("stock", data_frame(py, STOCK_COLUMNS, stock)?)?;
        d.set_item("shipments", self.customers(py)?.get().0.frame(py)?)?;
        d.set_item("mass_balance", self.mass_balance(py)?.get().0.frame(py)?)?;
        Ok(d)
    }
});
