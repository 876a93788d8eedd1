//! `LotExposure`: a lot a mock recall reaches, with its share of root material.

use lottrack_core::mock_recall::LotExposure;
use pyo3::prelude::*;

use crate::convert::py_decimal;
use crate::lot_key::PyLotKey;
use crate::result::{q, record, result_methods};
use crate::rows::Row;

/// A lot a mock recall reaches (the roots at depth 0): its status, the ``share``
/// of it that is root material and the estimated ``root_quantity`` it received, in
/// the reporting unit (``Decimal``, or ``None`` when a unit on the way has no path
/// to the reporting unit).
#[pyclass(frozen, eq, name = "LotExposure", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyLotExposure(pub LotExposure);

/// An optional decimal as `Decimal` or `None`.
pub(crate) fn py_opt_decimal<'py>(
    py: Python<'py>,
    d: &Option<rust_decimal::Decimal>,
) -> PyResult<Bound<'py, PyAny>> {
    match d {
        Some(d) => py_decimal(py, d),
        None => Ok(py.None().into_bound(py)),
    }
}

/// An optional decimal for a repr.
pub(crate) fn opt_dq(d: &Option<rust_decimal::Decimal>) -> String {
    d.as_ref().map_or_else(|| "None".into(), crate::result::dq)
}

result_methods!(PyLotExposure {
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

    /// The lot as a ``LotKey``.
    #[getter]
    fn key(&self) -> PyLotKey {
        PyLotKey(lottrack_core::LotKey::new(&self.0.product, &self.0.lot))
    }

    /// Shortest transform steps from a root (0 for a root).
    #[getter]
    fn depth(&self) -> u32 {
        self.0.depth
    }

    /// Current status.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// Share of the lot that is root material (``Decimal`` from 0 to 1, or ``None``).
    #[getter]
    fn share<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_opt_decimal(py, &self.0.share)
    }

    /// Estimated root material the lot received, in the reporting unit
    /// (``Decimal`` or ``None``).
    #[getter]
    fn root_quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_opt_decimal(py, &self.0.root_quantity)
    }

    fn __repr__(&self) -> String {
        let l = &self.0;
        format!(
            "LotExposure(product={}, lot={}, depth={}, status={}, share={}, root_quantity={})",
            q(&l.product),
            q(&l.lot),
            l.depth,
            q(l.status.as_str()),
            opt_dq(&l.share),
            opt_dq(&l.root_quantity)
        )
    }
});

impl Row for LotExposure {
    const NAME: &'static str = "LotExposure";
    const COLUMNS: &'static [&'static str] = &[
        "product",
        "lot",
        "depth",
        "status",
        "share",
        "root_quantity",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyLotExposure(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.product,
            &self.lot,
            self.depth,
            self.status.as_str(),
            py_opt_decimal(py, &self.share)?,
            py_opt_decimal(py, &self.root_quantity)?,
        ]);
        Ok(())
    }
}
