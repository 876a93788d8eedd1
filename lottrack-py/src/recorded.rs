//! `Recorded`: what recording one event did.

use lottrack_core::Recorded;
use pyo3::prelude::*;

use crate::result::{q, result_methods};

/// What recording one event did: its ``event_id`` (generated when none was
/// given), its sequence number ``seq`` in the log, and ``duplicate`` — true when the
/// same event was already recorded (an idempotent no-op).
#[pyclass(frozen, eq, name = "Recorded", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyRecorded(pub Recorded);

result_methods!(PyRecorded {
    /// The event's id.
    #[getter]
    fn event_id(&self) -> &str {
        &self.0.event_id
    }

    /// Its sequence number in the log.
    #[getter]
    fn seq(&self) -> u64 {
        self.0.seq
    }

    /// True when the same event was already recorded.
    #[getter]
    fn duplicate(&self) -> bool {
        self.0.duplicate
    }

    fn __repr__(&self) -> String {
        format!(
            "Recorded(event_id={}, seq={}, duplicate={})",
            q(&self.0.event_id),
            self.0.seq,
            if self.0.duplicate { "True" } else { "False" }
        )
    }
});
