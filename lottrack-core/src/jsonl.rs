//! JSON-lines import and export of the native event format: streaming, constant
//! memory, with progress reporting.

use std::io::{BufRead, Write};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::event::Event;
use crate::tracker::Tracker;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Non-blank lines read.
    pub lines: u64,
    /// Events newly recorded.
    pub recorded: u64,
    /// Events already recorded with the same payload (idempotent no-ops).
    pub duplicates: u64,
}

/// Events per atomic append during an import.
pub const IMPORT_BATCH: usize = 1000;

impl Tracker {
    /// Imports one event per line (blank lines skipped), appending in atomic batches
    /// of [`IMPORT_BATCH`]. `progress` is called after each batch with the number of
    /// lines read so far. On the first invalid line the import stops: earlier
    /// batches stay recorded (re-running the import is safe, as events are
    /// idempotent by `event_id`), the failing batch is not, and the error names the
    /// line.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// let src = concat!(
    ///   r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#, "\n",
    ///   "\n",
    ///   r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#, "\n");
    /// let s = t.import_jsonl(src.as_bytes(), &mut |_| {}).unwrap();
    /// assert_eq!((s.lines, s.recorded, s.duplicates), (2, 1, 1));
    /// let mut out = Vec::new();
    /// assert_eq!(t.export_jsonl(&mut out).unwrap(), 1);
    /// ```
    pub fn import_jsonl(
        &self,
        reader: impl BufRead,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary> {
        let mut summary = ImportSummary::default();
        let mut batch = Vec::with_capacity(IMPORT_BATCH);
        let mut first_line = 0u64;
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Error::Storage {
                message: format!("reading line {}: {e}", n + 1),
            })?;
            if line.trim().is_empty() {
                continue;
            }
            if batch.is_empty() {
                first_line = n as u64 + 1;
            }
            let ev = Event::from_json(&line).map_err(|e| at_line(e, n as u64 + 1))?;
            batch.push(ev);
            summary.lines += 1;
            if batch.len() == IMPORT_BATCH {
                self.flush(&mut batch, &mut summary, first_line)?;
                progress(summary.lines);
            }
        }
        if !batch.is_empty() {
            self.flush(&mut batch, &mut summary, first_line)?;
            progress(summary.lines);
        }
        Ok(summary)
    }

    fn flush(
        &self,
        batch: &mut Vec<Event>,
        summary: &mut ImportSummary,
        first_line: u64,
    ) -> Result<()> {
        let results = self
            .record_batch(std::mem::take(batch))
            .map_err(|e| at_line(e, first_line))?;
        for r in results {
            if r.duplicate {
                summary.duplicates += 1;
            } else {
                summary.recorded += 1;
            }
        }
        Ok(())
    }

    /// Writes every event (voids and voided ones included, so a replay rebuilds the
    /// same state) as one JSON line each, in recording order; returns the count.
    pub fn export_jsonl(&self, mut out: impl Write) -> Result<u64> {
        let mut n = 0;
        self.for_each_event_json(|json, _| {
            writeln!(out, "{json}").map_err(|e| Error::Storage {
                message: e.to_string(),
            })?;
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }
}

/// Adds "line N" to the messages that do not name an event.
fn at_line(e: Error, line: u64) -> Error {
    match e {
        Error::MalformedJson { message } => Error::MalformedJson {
            message: format!("line {line}: {message}"),
        },
        Error::Storage { message } => Error::Storage {
            message: format!("batch starting at line {line}: {message}"),
        },
        other => other,
    }
}
