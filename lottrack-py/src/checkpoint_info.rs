//! `CheckpointInfo`: what `Tracker.write_checkpoint()` wrote.

use lottrack_core::checkpoint::CheckpointInfo;
use pyo3::prelude::*;

use crate::result::{q, result_methods};

/// The checkpoint ``Tracker.write_checkpoint()`` wrote: its file ``path``, the
/// sequence number ``seq`` of the last event it includes, and its size ``bytes``.
#[pyclass(frozen, eq, name = "CheckpointInfo", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyCheckpointInfo(pub CheckpointInfo);

result_methods!(PyCheckpointInfo {
    /// The checkpoint file.
    #[getter]
    fn path(&self) -> String {
        self.0.path.display().to_string()
    }

    /// The sequence number of the last event it includes.
    #[getter]
    fn seq(&self) -> u64 {
        self.0.seq
    }

    /// Its size in bytes.
    #[getter]
    fn bytes(&self) -> u64 {
        self.0.bytes
    }

    fn __repr__(&self) -> String {
        format!(
            "CheckpointInfo(path={}, seq={}, bytes={})",
            q(&self.0.path.display().to_string()),
            self.0.seq,
            self.0.bytes
        )
    }
});
