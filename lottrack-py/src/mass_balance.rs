//! `MassBalance`: in vs out vs on hand of one lot, exactly.

use lottrack_core::MassBalance;
use pyo3::prelude::*;

use crate::convert::{data_frame, py_decimal};
use crate::result::{dq, q, record, result_methods};
use crate::rows::Row;

/// A lot's mass balance in its product's base unit, every quantity a ``Decimal``:
/// in (``received + produced + returned``) vs out (``shipped + consumed + disposed +
/// adjusted``) vs ``on_hand``. ``unaccounted`` is in − out − on hand, exactly zero
/// unless lenient mode let more leave than came in; ``closes`` tells whether it is.
#[pyclass(frozen, eq, name = "MassBalance", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyMassBalance(pub MassBalance);

result_methods!(PyMassBalance {
    /// Product.
    #[getter]
    fn product(&self) -> &str {
        &self.0.product
    }

    /// Lot code.
    #[getter]
    fn lot(&self) -> &str {
        &self.0.lot
    }

    /// The product's base unit.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    /// Received from suppliers.
    #[getter]
    fn received<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.received)
    }

    /// Produced by transforms.
    #[getter]
    fn produced<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.produced)
    }

    /// Returned by customers.
    #[getter]
    fn returned<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.returned)
    }

    /// Shipped to customers.
    #[getter]
    fn shipped<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.shipped)
    }

    /// Consumed by transforms or ``consume`` events.
    #[getter]
    fn consumed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.consumed)
    }

    /// Disposed of.
    #[getter]
    fn disposed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.disposed)
    }

    /// Net removed by adjustments (negative when adjustments found stock).
    #[getter]
    fn adjusted<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.adjusted)
    }

    /// On hand now, over every location and container.
    #[getter]
    fn on_hand<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.on_hand)
    }

    /// In − out − on hand.
    #[getter]
    fn unaccounted<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.unaccounted)
    }

    /// Everything that came in.
    #[getter]
    fn total_in<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.total_in())
    }

    /// Everything that went out.
    #[getter]
    fn total_out<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.total_out())
    }

    /// True when in − out = on hand exactly.
    #[getter]
    fn closes(&self) -> bool {
        self.0.closes()
    }

    fn __repr__(&self) -> String {
        let m = &self.0;
        format!(
            "MassBalance(product={}, lot={}, uom={}, received={}, produced={}, returned={}, \
             shipped={}, consumed={}, disposed={}, adjusted={}, on_hand={}, unaccounted={})",
            q(&m.product),
            q(&m.lot),
            q(&m.uom),
            dq(&m.received),
            dq(&m.produced),
            dq(&m.returned),
            dq(&m.shipped),
            dq(&m.consumed),
            dq(&m.disposed),
            dq(&m.adjusted),
            dq(&m.on_hand),
            dq(&m.unaccounted)
        )
    }

    /// The balance as a one-row ``pandas.DataFrame``. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut rows = Vec::new();
        self.0.records(py, &mut rows)?;
        data_frame(py, MassBalance::COLUMNS, rows)
    }
});

impl Row for MassBalance {
    const NAME: &'static str = "MassBalance";
    const COLUMNS: &'static [&'static str] = &[
        "product",
        "lot",
        "uom",
        "received",
        "produced",
        "returned",
        "shipped",
        "consumed",
        "disposed",
        "adjusted",
        "on_hand",
        "unaccounted",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyMassBalance(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.product,
            &self.lot,
            &self.uom,
            py_decimal(py, &self.received)?,
            py_decimal(py, &self.produced)?,
            py_decimal(py, &self.returned)?,
            py_decimal(py, &self.shipped)?,
            py_decimal(py, &self.consumed)?,
            py_decimal(py, &self.disposed)?,
            py_decimal(py, &self.adjusted)?,
            py_decimal(py, &self.on_hand)?,
            py_decimal(py, &self.unaccounted)?,
        ]);
        Ok(())
    }
}
