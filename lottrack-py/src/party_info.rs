//! `PartyInfo`: a party's master data.

use lottrack_core::PartyRec;
use pyo3::prelude::*;
use serde::Serialize;

use crate::convert::py_opt_str;
use crate::result::{oq, q, result_methods};

/// A party's master data in the fields of the ``party`` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyView {
    party: String,
    name: Option<String>,
    role: Option<String>,
}

impl PartyView {
    pub(crate) fn new(party: &str, rec: PartyRec) -> Self {
        PartyView {
            party: party.to_string(),
            name: rec.name,
            role: rec.role,
        }
    }
}

/// A party (supplier, own company, customer; ``party`` may be a GLN) as a
/// ``party`` event declared it: its ``name`` and ``role``.
#[pyclass(frozen, eq, name = "PartyInfo", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyPartyInfo(pub PartyView);

result_methods!(PyPartyInfo {
    /// Party id.
    #[getter]
    fn party(&self) -> &str {
        &self.0.party
    }

    /// Display name, or ``None``.
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.name.as_deref())
    }

    /// Role (``"supplier"``, ``"customer"``, ``"own"`` …), or ``None``.
    #[getter]
    fn role<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        py_opt_str(py, self.0.role.as_deref())
    }

    fn __repr__(&self) -> String {
        format!(
            "PartyInfo(party={}, name={}, role={})",
            q(&self.0.party),
            oq(self.0.name.as_deref()),
            oq(self.0.role.as_deref())
        )
    }
});
