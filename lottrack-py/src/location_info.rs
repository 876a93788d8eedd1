//! `LocationInfo`: a location's master data.

use lottrack_core::PartyRec;
use pyo3::prelude::*;
use serde::Serialize;

use crate::convert::py_opt_str;
use crate::result::{oq, q, result_methods};

/// A location's master data in the fields of the ``location`` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationView {
    location: String,
    name: Option<String>,
    party: Option<String>,
}

impl LocationView {
    /// The core keeps a location's owning party in `PartyRec::role`.
    pub(crate) fn new(location: &str, rec: PartyRec) -> Self {
        LocationView {
            location: location.to_string(),
            name: rec.name,
            party: rec.role,
        }
    }
}

/// A location (``location`` may be a GLN) as a ``location`` event declared it: its
/// ``name`` and owning ``party``.
#[pyclass(frozen, eq, name = "LocationInfo", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyLocationInfo(pub LocationView);

result_methods!(PyLocationInfo {
    /// Location id.
    #[getter]
    fn location(&self) -> &str {
        &self.0.location
    }

    /// Display name, or ``None``.
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.name.as_deref())
    }

    /// The owning party, or ``None``.
    #[getter]
    fn party<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.party.as_deref())
    }

    fn __repr__(&self) -> String {
        format!(
            "LocationInfo(location={}, name={}, party={})",
            q(&self.0.location),
            oq(self.0.name.as_deref()),
            oq(self.0.party.as_deref())
        )
    }
});
