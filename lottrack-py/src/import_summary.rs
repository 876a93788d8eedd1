//! `ImportSummary`: what a JSON-lines import did.

use lottrack_core::ImportSummary;
use pyo3::prelude::*;

use crate::result::result_methods;

/// What ``import_jsonl`` did: non-blank ``lines`` read, events newly ``recorded``,
/// and ``duplicates`` (already recorded with the same payload).
#[pyclass(frozen, eq, name = "ImportSummary", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyImportSummary(pub ImportSummary);

result_methods!(PyImportSummary {
    /// Non-blank lines read.
    #[getter]
    fn lines(&self) -> u64 {
        self.0.lines
    }

    /// Events newly recorded.
    #[getter]
    fn recorded(&self) -> u64 {
        self.0.recorded
    }

    /// Events already recorded with the same payload.
    #[getter]
    fn duplicates(&self) -> u64 {
        self.0.duplicates
    }

    fn __repr__(&self) -> String {
        format!(
            "ImportSummary(lines={}, recorded={}, duplicates={})",
            self.0.lines, self.0.recorded, self.0.duplicates
        )
    }
});
