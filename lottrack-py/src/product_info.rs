//! `ProductInfo`: a product's master data.

use lottrack_core::ProductInfo;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{py_decimal, py_opt_str};
use crate::result::{dq, oq, q, result_methods};

/// A product's master data: its base ``uom`` (lots' balances are kept in it), its
/// ``conversions`` (``{"case": Decimal("12")}``: one case is 12 base units), its
/// ``description``, whether a ``product`` event ``declared`` it (``False`` when it
/// is implied by a first receipt) and its rules: ``inherit_expiry`` (margin in
/// days) and ``yield_range``.
#[pyclass(frozen, eq, name = "ProductInfo", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyProductInfo(pub ProductInfo);

result_methods!(PyProductInfo {
    /// Product id.
    #[getter]
    fn product(&self) -> &str {
        &self.0.product
    }

    /// Base unit.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    /// ``unit -> base units in one of it`` (a new dict of ``Decimal``).
    #[getter]
    fn conversions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (unit, f) in &self.0.conversions {
            d.set_item(unit, py_decimal(py, f)?)?;
        }
        Ok(d)
    }

    /// Description, or ``None``.
    #[getter]
    fn description<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.description.as_deref())
    }

    /// True when declared by a ``product`` event.
    #[getter]
    fn declared(&self) -> bool {
        self.0.declared
    }

    /// When transform outputs without an expiry take their inputs' earliest one:
    /// the margin in days subtracted from it (``0`` for none); ``None`` when they
    /// do not inherit.
    #[getter]
    fn inherit_expiry(&self) -> Option<i64> {
        self.0.inherit_expiry
    }

    /// The accepted yield range (output ÷ input) of transforms producing it,
    /// ``(low, high)`` as ``Decimal``, or ``None``.
    #[getter]
    fn yield_range<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        match &self.0.yield_range {
            Some((lo, hi)) => Ok(Some(PyTuple::new(
                py,
                [py_decimal(py, lo)?, py_decimal(py, hi)?],
            )?)),
            None => Ok(None),
        }
    }

    fn __repr__(&self) -> String {
        let p = &self.0;
        let conv: Vec<String> = p
            .conversions
            .iter()
            .map(|(u, f)| format!("{}: {}", q(u), dq(f)))
            .collect();
        let range = match &p.yield_range {
            Some((lo, hi)) => format!("({}, {})", dq(lo), dq(hi)),
            None => "None".into(),
        };
        format!(
            "ProductInfo(product={}, uom={}, conversions={{{}}}, description={}, declared={}, \
             inherit_expiry={}, yield_range={range})",
            q(&p.product),
            q(&p.uom),
            conv.join(", "),
            oq(p.description.as_deref()),
            if p.declared { "True" } else { "False" },
            p.inherit_expiry
                .map_or_else(|| "None".to_string(), |d| d.to_string())
        )
    }
});
