//! `OpenInfo`: how a tracker's index was built when it was opened.

use lottrack_core::checkpoint::OpenInfo;
use pyo3::prelude::*;

use crate::result::{oq, result_methods};

/// How ``Tracker.open()`` built the index: ``checkpoint_seq``, the checkpoint it
/// loaded (the sequence number of its last event) or ``None``; ``replayed``, the
/// events it replayed from the log; ``checkpoint_skipped``, why a checkpoint
/// file that was there was not used (stale, damaged, another store's), or
/// ``None``.
#[pyclass(frozen, eq, name = "OpenInfo", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyOpenInfo(pub OpenInfo);

result_methods!(PyOpenInfo {
    /// The sequence number of the checkpoint loaded, or ``None``.
    #[getter]
    fn checkpoint_seq(&self) -> Option<u64> {
        self.0.checkpoint_seq
    }

    /// Events replayed from the log.
    #[getter]
    fn replayed(&self) -> u64 {
        self.0.replayed
    }

    /// Why a checkpoint file that was there was not used, or ``None``.
    #[getter]
    fn checkpoint_skipped(&self) -> Option<&str> {
        self.0.checkpoint_skipped.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "OpenInfo(checkpoint_seq={}, replayed={}, checkpoint_skipped={})",
            self.0
                .checkpoint_seq
                .map_or_else(|| "None".to_string(), |s| s.to_string()),
            self.0.replayed,
            oq(self.0.checkpoint_skipped.as_deref())
        )
    }
});
