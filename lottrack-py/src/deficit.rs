//! `Deficit`: stock taken beyond what was on hand (lenient mode).

use lottrack_core::Deficit;
use pyo3::prelude::*;

use crate::convert::py_decimal;
use crate::result::{dq, q, record, result_methods};
use crate::rows::Row;

/// Stock an event took beyond what was on hand (recorded in lenient mode): it
/// ``requested`` more than the ``on_hand`` at ``location`` (``Decimal``, base unit).
#[pyclass(frozen, eq, name = "Deficit", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyDeficit(pub Deficit);

result_methods!(PyDeficit {
    /// The event that took it.
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

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

    /// Where it was taken.
    #[getter]
    fn location(&self) -> &str {
        &self.0.location
    }

    /// How much was taken.
    #[getter]
    fn requested<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.requested)
    }

    /// How much was on hand.
    #[getter]
    fn on_hand<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.0.on_hand)
    }

    /// The product's base unit.
    #[getter]
    fn uom(&self) -> &str {
        &self.0.uom
    }

    fn __repr__(&self) -> String {
        let d = &self.0;
        format!(
            "Deficit(event_id={}, product={}, lot={}, location={}, requested={}, on_hand={}, uom={})",
            q(&d.event_id),
            q(&d.product),
            q(&d.lot),
            q(&d.location),
            dq(&d.requested),
            dq(&d.on_hand),
            q(&d.uom)
        )
    }
});

impl Row for Deficit {
    const NAME: &'static str = "Deficit";
    const COLUMNS: &'static [&'static str] = &[
        "event_id",
        "product",
        "lot",
        "location",
        "requested",
        "on_hand",
        "uom",
    ];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyDeficit(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py;
            &self.event_id,
            &self.product,
            &self.lot,
            &self.location,
            py_decimal(py, &self.requested)?,
            py_decimal(py, &self.on_hand)?,
            &self.uom,
        ]);
        Ok(())
    }
}
