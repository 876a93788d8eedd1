//! `UnmappedField`: an EPCIS field kept as an attribute because nothing maps it.

use lottrack_core::epcis::UnmappedField;
use pyo3::prelude::*;

use crate::result::{q, record, result_methods};
use crate::rows::Row;

/// A field of an imported EPCIS event that lottrack does not map (an extension,
/// ``disposition``, sensor data …): kept, as written, under the native event's
/// attribute ``epcis`` and written back by the export.
#[pyclass(frozen, eq, name = "UnmappedField", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyUnmappedField(pub UnmappedField);

result_methods!(PyUnmappedField {
    /// The EPCIS event's id.
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

    /// The field (``"example:myField"``, ``"ilmd.example:batch"``, ``"epcList"`` …).
    #[getter]
    fn field(&self) -> &str {
        &self.0.field
    }

    fn __repr__(&self) -> String {
        format!(
            "UnmappedField(event_id={}, field={})",
            q(&self.0.event_id),
            q(&self.0.field)
        )
    }
});

impl Row for UnmappedField {
    const NAME: &'static str = "UnmappedField";
    const COLUMNS: &'static [&'static str] = &["event_id", "field"];

    fn object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, PyUnmappedField(self.clone()))?.into_any())
    }

    fn records<'py>(&self, py: Python<'py>, out: &mut Vec<Vec<Bound<'py, PyAny>>>) -> PyResult<()> {
        out.push(record![py; &self.event_id, &self.field]);
        Ok(())
    }
}
