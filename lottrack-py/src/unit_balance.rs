//! `UnitBalance`: a lot's mass balance in a reporting unit, with a verdict.

use lottrack_core::MassBalance;
use lottrack_core::reporting::{Tolerance, UnitBalance};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::convert::{data_frame, py_decimal};
use crate::mass_balance::PyMassBalance;
use crate::result::{dq, q, result_methods};
use crate::rows::Row;

/// A lot's mass balance converted exactly into a reporting unit (``uom``), with
/// the percentage accounted for (``accounted_pct``: out + on hand over in) and
/// whether it is within the tolerance (``passed``). The balance figures are
/// attributes as on ``MassBalance``; ``to_dict()`` is the core's shape (the verdict
/// under ``"pass"``).
#[pyclass(frozen, eq, name = "UnitBalance", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyUnitBalance(pub UnitBalance);

/// A tolerance as ``(low, high)`` percentages.
pub(crate) fn py_tolerance<'py>(py: Python<'py>, t: &Tolerance) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, [py_decimal(py, &t.low)?, py_decimal(py, &t.high)?])
}

result_methods!(PyUnitBalance {
    /// Product.
    #[getter]
    fn product(&self) -> &str {
        &self.0.balance.product
    }

    /// Lot code.
    #[getter]
    fn lot(&self) -> &str {
        &self.0.balance.lot
    }

    /// The reporting unit every figure is in.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.balance.uom
    }

    /// Received from suppliers.
    #[getter]
    fn received<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.received)
    }

    /// Produced by transforms.
    #[getter]
    fn produced<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.produced)
    }

    /// Returned by customers.
    #[getter]
    fn returned<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.returned)
    }

    /// Shipped to customers.
    #[getter]
    fn shipped<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.shipped)
    }

    /// Consumed by transforms or ``consume`` events.
    #[getter]
    fn consumed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.consumed)
    }

    /// Disposed of.
    #[getter]
    fn disposed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.disposed)
    }

    /// Net removed by adjustments.
    #[getter]
    fn adjusted<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.adjusted)
    }

    /// On hand now.
    #[getter]
    fn on_hand<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.on_hand)
    }

    /// In − out − on hand.
    #[getter]
    fn unaccounted<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.unaccounted)
    }

    /// Everything that came in.
    #[getter]
    fn total_in<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.total_in())
    }

    /// Everything that went out.
    #[getter]
    fn total_out<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.balance.total_out())
    }

    /// True when in − out = on hand exactly.
    #[getter]
    fn closes(&self) -> bool {
        self.0.balance.closes()
    }

    /// Out + on hand as a percentage of in (``Decimal``; 100 when nothing came in).
    #[getter]
    fn accounted_pct<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.accounted_pct)
    }

    /// True when ``accounted_pct`` is within ``tolerance`` (bounds included).
    #[getter]
    fn passed(&self) -> bool {
        self.0.pass
    }

    /// The accepted range, ``(low, high)`` percentages as ``Decimal``.
    #[getter]
    fn tolerance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        py_tolerance(py, &self.0.tolerance)
    }

    /// The balance alone, as a ``MassBalance`` in the reporting unit.
    #[getter]
    fn balance(&self) -> PyMassBalance {
        PyMassBalance(self.0.balance.clone())
    }

    fn __repr__(&self) -> String {
        let b = &self.0;
        let m = &b.balance;
        format!(
            "UnitBalance(product={}, lot={}, uom={}, total_in={}, total_out={}, on_hand={}, \
             accounted_pct={}, passed={}, tolerance=({}, {}))",
            q(&m.product),
            q(&m.lot),
            q(&m.uom),
            dq(&m.total_in()),
            dq(&m.total_out()),
            dq(&m.on_hand),
            dq(&b.accounted_pct),
            if b.pass { "True" } else { "False" },
            dq(&b.tolerance.low),
            dq(&b.tolerance.high)
        )
    }

    /// The balance as a one-row ``pandas.DataFrame``. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut rows = Vec::new();
        self.0.records(py, &mut rows)?;
        data_frame(py, UnitBalance::COLUMNS, rows)
    }
});

impl Row for UnitBalance {
    const NAME: &'static str = "UnitBalance";
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
        "accounted_pct",
        "passed",
        "tolerance_low",
        "tolerance_high",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyUnitBalance(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        let start = out.len();
        <MassBalance as Row>::records(&self.balance, py, out)?;
        for r in &mut out[start..] {
            r.extend(crate::result::record![py;
                py_decimal(py, &self.accounted_pct)?,
                self.pass,
                py_decimal(py, &self.tolerance.low)?,
                py_decimal(py, &self.tolerance.high)?,
            ]);
        }
        Ok(())
    }
}
