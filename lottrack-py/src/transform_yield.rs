//! `TransformYield`: a transform's outputs against its inputs in one unit.

use lottrack_core::reporting::TransformYield;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::convert::{py_decimal, py_decimal_text};
use crate::result::{dq, q, record, result_methods};
use crate::rows::Row;

/// One live transform's yield: ``inputs`` and ``outputs`` totals in ``uom``,
/// ``yield_pct`` (outputs ÷ inputs, percent), the declared range of its output
/// products (``expected_pct``, ``(low, high)`` percent, or ``None``) and whether
/// the yield is outside it (``flagged``).
#[pyclass(frozen, eq, name = "TransformYield", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyTransformYield(pub TransformYield);

fn expected<'py>(py: Python<'py>, y: &TransformYield) -> PyResult<Bound<'py, PyAny>> {
    match &y.expected_pct {
        Some((lo, hi)) => {
            Ok(PyTuple::new(py, [py_decimal_text(py, lo)?, py_decimal_text(py, hi)?])?.into_any())
        }
        None => Ok(py.None().into_bound(py)),
    }
}

result_methods!(PyTransformYield {
    /// The transform event.
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

    /// The unit both totals are in.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    /// Total of the inputs (``Decimal``).
    #[getter]
    fn inputs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.inputs)
    }

    /// Total of the outputs (``Decimal``).
    #[getter]
    fn outputs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.outputs)
    }

    /// Outputs ÷ inputs, in percent (``Decimal``).
    #[getter]
    fn yield_pct<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.yield_pct)
    }

    /// The declared yield range of the output products, ``(low, high)`` percent as
    /// ``Decimal``, or ``None`` when none is declared.
    #[getter]
    fn expected_pct<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        expected(py, &self.0)
    }

    /// True when a range is declared and the yield is outside it.
    #[getter]
    fn flagged(&self) -> bool {
        self.0.flagged
    }

    fn __repr__(&self) -> String {
        let y = &self.0;
        let range = match &y.expected_pct {
            Some((lo, hi)) => format!("(Decimal('{lo}'), Decimal('{hi}'))"),
            None => "None".into(),
        };
        format!(
            "TransformYield(event_id={}, uom={}, inputs={}, outputs={}, yield_pct={}, \
             expected_pct={range}, flagged={})",
            q(&y.event_id),
            q(&y.uom),
            dq(&y.inputs),
            dq(&y.outputs),
            dq(&y.yield_pct),
            if y.flagged { "True" } else { "False" }
        )
    }
});

impl Row for TransformYield {
    const NAME: &'static str = "TransformYield";
    const COLUMNS: &'static [&'static str] = &[
        "event_id",
        "uom",
        "inputs",
        "outputs",
        "yield_pct",
        "expected_pct",
        "flagged",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyTransformYield(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.event_id,
            &self.uom,
            py_decimal(py, &self.inputs)?,
            py_decimal(py, &self.outputs)?,
            py_decimal(py, &self.yield_pct)?,
            expected(py, self)?,
            self.flagged,
        ]);
        Ok(())
    }
}
