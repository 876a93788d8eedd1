//! `MockRecall`: a scored recall drill, nothing recorded.

use std::sync::Arc;

use lottrack_core::Shipment;
use lottrack_core::mock_recall::MockRecall;
use lottrack_core::quantity::fmt_decimal;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{data_frame, py_decimal};
use crate::lot_key::PyLotKey;
use crate::result::result_methods;
use crate::row_iter::PyRowIter;
use crate::rows::{PyRows, Row, rows};
use crate::unit_balance::py_tolerance;

/// A mock recall: the whole exercise run without recording anything — the lots
/// reached with their share of root material (``lots``), the customers to notify,
/// most exposed first (``customers``), the stock to hold, the receipts upstream
/// (``suppliers``), the roots' mass balance in the reporting unit
/// (``mass_balance``) and the products with no path to it (``unconvertible``).
/// ``score`` is the share of the root quantity accounted for, in percent;
/// ``passed`` whether it is within the tolerance (and every root converts).
///
/// ``to_csv()`` and ``to_markdown()`` give a report a person can file;
/// ``Tracker.record_mock_recall(drill)`` records that the drill was run. Iterating
/// yields the lots reached.
#[pyclass(frozen, name = "MockRecall", module = "lottrack")]
pub struct PyMockRecall(pub Arc<MockRecall>);

result_methods!(PyMockRecall {
    /// The lots the drill started from.
    #[getter]
    fn roots(&self) -> Vec<PyLotKey> {
        self.0.roots.iter().cloned().map(PyLotKey).collect()
    }

    /// The unit every figure is reported in.
    #[getter]
    fn reporting_unit(&self) -> &str {
        &self.0.reporting_unit
    }

    /// The accepted range of "accounted for": ``(low, high)`` percent as ``Decimal``.
    #[getter]
    fn tolerance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        py_tolerance(py, &self.0.tolerance)
    }

    /// When the drill ran (an aware UTC ``datetime``).
    #[getter]
    fn started_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.0.started_at.into_pyobject(py)?.into_any())
    }

    /// How long it took, in microseconds.
    #[getter]
    fn elapsed_us(&self) -> u64 {
        self.0.elapsed_us
    }

    /// Every affected lot (roots at depth 0) with its exposure: ``Rows[LotExposure]``.
    #[getter]
    fn lots(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |m: &MockRecall| &m.lots)
    }

    /// Receipts of the roots and of everything upstream of them: ``Rows[Receipt]``.
    #[getter]
    fn suppliers(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |m: &MockRecall| &m.suppliers)
    }

    /// Customers to notify, most root material first: ``Rows[CustomerExposure]``.
    #[getter]
    fn customers(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |m: &MockRecall| &m.customers)
    }

    /// Stock to hold, per lot and location: ``Rows[StockLine]``.
    #[getter]
    fn stock_to_hold(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |m: &MockRecall| &m.stock_to_hold)
    }

    /// Mass balance of each root in the reporting unit: ``Rows[UnitBalance]``.
    #[getter]
    fn mass_balance(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |m: &MockRecall| &m.mass_balance)
    }

    /// Products with no path to the reporting unit (their figures are unknown).
    #[getter]
    fn unconvertible(&self) -> Vec<String> {
        self.0.unconvertible.clone()
    }

    /// Everything that came into the roots, in the reporting unit (``Decimal``).
    #[getter]
    fn root_quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.root_quantity)
    }

    /// How much of it is accounted for: out + on hand (``Decimal``).
    #[getter]
    fn accounted_quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.accounted_quantity)
    }

    /// Accounted ÷ root quantity, in percent (``Decimal``).
    #[getter]
    fn score<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.score)
    }

    /// True when the score is within the tolerance and every root converts.
    #[getter]
    fn passed(&self) -> bool {
        self.0.pass
    }

    fn __len__(&self) -> usize {
        self.0.lots.len()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyRowIter>> {
        let lots = self.lots(py)?;
        Py::new(py, PyRowIter::new(lots.get().0.clone()))
    }

    fn __repr__(&self) -> String {
        let m = &self.0;
        let roots: Vec<String> = m.roots.iter().map(|k| k.to_string()).collect();
        format!(
            "<MockRecall of {} in {}: score {} % {}, {} lots, {} customers>",
            roots.join(", "),
            m.reporting_unit,
            fmt_decimal(m.score),
            if m.pass { "PASS" } else { "FAIL" },
            m.lots.len(),
            m.customers.len()
        )
    }

    /// The report as one CSV text: ``notify`` rows (customer, estimated root
    /// quantity, shipment), ``hold`` rows (stock), ``balance`` rows (roots).
    fn to_csv(&self) -> String {
        self.0.to_csv()
    }

    /// A one-page Markdown summary to file with the audit (verdict, mass balance,
    /// customers most exposed first, stock to hold, suppliers upstream).
    fn to_markdown(&self) -> String {
        self.0.to_markdown()
    }

    /// Jupyter shows the one-page summary.
    fn _repr_markdown_(&self) -> String {
        self.0.to_markdown()
    }

    /// The drill as ``pandas.DataFrame`` objects: ``{"lots", "customers",
    /// "shipments", "stock_to_hold", "suppliers", "mass_balance"}`` (``customers``:
    /// one row per customer, most exposed first; ``shipments``: one row per shipment
    /// to them). Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("lots", self.lots(py)?.get().0.frame(py)?)?;
        d.set_item("customers", self.customers(py)?.get().0.frame(py)?)?;
        let mut shipments = Vec::new();
        for c in &self.0.customers {
            for s in &c.shipments {
                s.records(py, &mut shipments)?;
            }
        }
        d.set_item(
            "shipments",
            data_frame(py, Shipment::COLUMNS, shipments)?,
        )?;
        d.set_item("stock_to_hold", self.stock_to_hold(py)?.get().0.frame(py)?)?;
        d.set_item("suppliers", self.suppliers(py)?.get().0.frame(py)?)?;
        d.set_item("mass_balance", self.mass_balance(py)?.get().0.frame(py)?)?;
        Ok(d)
    }
});
