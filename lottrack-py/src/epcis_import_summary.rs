//! `EpcisImportSummary`: what an EPCIS import did.

use std::sync::Arc;

use lottrack_core::EpcisImportSummary;
use pyo3::prelude::*;

use crate::result::result_methods;
use crate::rows::{PyRows, rows};

/// What ``Tracker.import_epcis`` did: the ``events`` in the document, the EPCIS
/// events newly ``imported``, the native events ``recorded`` (parts, voids, master
/// data), ``duplicates`` (event ids already recorded: importing a file again counts
/// nothing twice), ``hash_ids`` (events without an ``eventID`` that got the CBV 2.0
/// hash ID), ``unsupported`` events (not tracked, with the reason), ``stock_gaps``
/// (stock taken that was never received here: the partner's view starts
/// mid-chain), ``unmapped`` fields (kept as the attribute ``epcis``) and the native
/// events ``voided`` by error declarations.
#[pyclass(frozen, name = "EpcisImportSummary", module = "lottrack")]
pub struct PyEpcisImportSummary(pub Arc<EpcisImportSummary>);

result_methods!(PyEpcisImportSummary {
    /// Events in the document.
    #[getter]
    fn events(&self) -> u64 {
        self.0.events
    }

    /// EPCIS events newly recorded (as one or more native events each).
    #[getter]
    fn imported(&self) -> u64 {
        self.0.imported
    }

    /// Native events recorded (parts, voids, master data).
    #[getter]
    fn recorded(&self) -> u64 {
        self.0.recorded
    }

    /// EPCIS events skipped because their ``eventID`` was already recorded.
    #[getter]
    fn duplicates(&self) -> u64 {
        self.0.duplicates
    }

    /// Events that had no ``eventID`` and got the CBV 2.0 event hash ID.
    #[getter]
    fn hash_ids(&self) -> u64 {
        self.0.hash_ids
    }

    /// Events lottrack does not track, with the reason: ``Rows[UnsupportedEvent]``.
    #[getter]
    fn unsupported(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |s: &EpcisImportSummary| &s.unsupported)
    }

    /// Stock taken that was not on hand here: ``Rows[Deficit]``.
    #[getter]
    fn stock_gaps(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |s: &EpcisImportSummary| &s.stock_gaps)
    }

    /// Fields kept as attributes because nothing maps them: ``Rows[UnmappedField]``.
    #[getter]
    fn unmapped(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.0, |s: &EpcisImportSummary| &s.unmapped)
    }

    /// Native event ids retracted by error declarations.
    #[getter]
    fn voided(&self) -> Vec<String> {
        self.0.voided.clone()
    }

    fn __repr__(&self) -> String {
        let s = &self.0;
        format!(
            "EpcisImportSummary(events={}, imported={}, recorded={}, duplicates={}, \
             hash_ids={}, unsupported=[{}], stock_gaps=[{}], unmapped=[{}], voided=[{}])",
            s.events,
            s.imported,
            s.recorded,
            s.duplicates,
            s.hash_ids,
            s.unsupported.len(),
            s.stock_gaps.len(),
            s.unmapped.len(),
            s.voided.len()
        )
    }
});
