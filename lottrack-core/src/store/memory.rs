//! The in-memory store: for tests and throwaway analysis.

use super::{EventStore, NewEvent, StoredEvent};
use crate::error::{Error, Result};

/// A store that keeps the log in a `Vec`; nothing survives the process.
///
/// ```
/// use lottrack_core::{store::MemoryStore, Tracker};
/// let t = Tracker::open(MemoryStore::new()).unwrap();
/// assert_eq!(t.last_seq(), 0);
/// ```
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    rows: Vec<StoredEvent>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The rows stored so far.
    pub fn rows(&self) -> &[StoredEvent] {
        &self.rows
    }

    /// The last sequence number, if it is `expected_last_seq`.
    fn check_last(&self, expected_last_seq: u64) -> Result<u64> {
        let last = self.rows.len() as u64;
        if last != expected_last_seq {
            return Err(Error::Conflict {
                message: format!("expected last sequence {expected_last_seq}, store is at {last}"),
            });
        }
        Ok(last)
    }

    /// Keeps `e` as the next row, for the tracker's life: without the room a
    /// writer left in its JSON.
    fn keep(&mut self, mut e: NewEvent) {
        e.json.shrink_to_fit();
        self.rows.push(StoredEvent {
            seq: self.rows.len() as u64 + 1,
            event_id: e.event_id,
            recorded_at: e.recorded_at,
            json: e.json,
        });
    }
}

impl EventStore for MemoryStore {
    fn append(&mut self, expected_last_seq: u64, events: &[NewEvent]) -> Result<u64> {
        self.append_owned(expected_last_seq, events.to_vec())
    }

    fn append_owned(&mut self, expected_last_seq: u64, events: Vec<NewEvent>) -> Result<u64> {
        self.check_last(expected_last_seq)?;
        self.rows.reserve(events.len());
        events.into_iter().for_each(|e| self.keep(e));
        Ok(self.rows.len() as u64)
    }

    /// Rows are kept as they arrive; an error from `next` takes them away again.
    fn append_streamed(
        &mut self,
        expected_last_seq: u64,
        next: &mut dyn FnMut(Vec<NewEvent>) -> Result<Option<Vec<NewEvent>>>,
    ) -> Result<u64> {
        let last = self.check_last(expected_last_seq)?;
        let mut spent = Vec::new();
        loop {
            match next(spent) {
                Ok(Some(mut chunk)) => {
                    chunk.drain(..).for_each(|e| self.keep(e));
                    spent = chunk;
                }
                Ok(None) => return Ok(self.rows.len() as u64),
                Err(e) => {
                    self.rows.truncate(last as usize);
                    return Err(e);
                }
            }
        }
    }

    fn read_from(
        &mut self,
        after_seq: u64,
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let start = usize::try_from(after_seq)
            .unwrap_or(usize::MAX)
            .min(self.rows.len());
        for row in &self.rows[start..] {
            visit(row.clone())?;
        }
        Ok(())
    }

    fn read_seqs(
        &mut self,
        seqs: &[u64],
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        for &seq in seqs {
            let row = usize::try_from(seq)
                .ok()
                .and_then(|s| s.checked_sub(1))
                .and_then(|i| self.rows.get(i))
                .ok_or_else(|| super::missing_seq(seq))?;
            visit(row.clone())?;
        }
        Ok(())
    }

    fn last_seq(&mut self) -> Result<u64> {
        Ok(self.rows.len() as u64)
    }

    fn describe(&self) -> String {
        "memory".to_string()
    }
}
