//! Reading events back from the store: the index does not keep them.
//!
//! The in-memory index holds what queries walk (lots, movements, links, each
//! event's kind, times, id and documents), not the events themselves: an event's
//! JSON is in the store already, and keeping a second copy was the largest part of
//! the index's heap. The cold paths — history, `events()`, `event()`, exports,
//! FSMA 204, `as_of`/`as_known_at`, an event recorded again — read the events they
//! need through an [`EventLog`]: by sequence number for a few, streaming the log
//! for all.
//!
//! Lock order: [`crate::Tracker`] takes the store's lock before the index's (the
//! order appends take), so a cold query waits for an append in progress and sees
//! its events in both.

use crate::error::{Error, Result};
use crate::event::Event;
use crate::state::State;
use crate::store::{EventStore, StoredEvent};

/// The store seen from the index: each indexed event's row, checked against the
/// index (its sequence number holds the same event id).
pub(crate) struct EventLog<'a> {
    store: &'a mut dyn EventStore,
}

impl<'a> EventLog<'a> {
    pub(crate) fn new(store: &'a mut dyn EventStore) -> Self {
        EventLog { store }
    }

    /// Calls `f` with the stored row of each event `idx` (ascending indexes).
    pub(crate) fn for_each_row(
        &mut self,
        s: &State,
        idx: &[u32],
        mut f: impl FnMut(u32, StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let seqs: Vec<u64> = idx.iter().map(|&i| State::seq(i)).collect();
        let mut k = 0usize;
        self.store.read_seqs(&seqs, &mut |row| {
            let i = idx.get(k).copied().ok_or_else(|| surplus(&row))?;
            k += 1;
            check(s, i, &row)?;
            f(i, row)
        })
    }

    /// Calls `f` with the stored row of every indexed event, in recording order
    /// (the log streamed; rows another writer appended since are not read).
    pub(crate) fn for_all_rows(
        &mut self,
        s: &State,
        mut f: impl FnMut(u32, StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let n = s.events.len();
        if n == 0 {
            return Ok(());
        }
        let mut k = 0usize;
        // Set when the last indexed event is read; the read is then stopped with
        // an error that is not returned.
        let mut finished = false;
        let res = self.store.read_from(0, &mut |row| {
            if k == n {
                finished = true;
                return Err(surplus(&row));
            }
            let i = k as u32;
            k += 1;
            check(s, i, &row)?;
            f(i, row)
        });
        match res {
            Err(_) if finished => Ok(()),
            Err(e) => Err(e),
            Ok(()) if k < n => Err(crate::store::missing_seq(State::seq(k as u32))),
            Ok(()) => Ok(()),
        }
    }

    /// Event `idx`, decoded from the log.
    pub(crate) fn event(&mut self, s: &State, idx: u32) -> Result<Event> {
        let mut out = None;
        self.for_each_row(s, &[idx], |_, row| {
            out = Some(decode(&row)?);
            Ok(())
        })?;
        out.ok_or_else(|| crate::store::missing_seq(State::seq(idx)))
    }

    /// The events `idx`, in the order given (any order), decoded from the log.
    pub(crate) fn events(&mut self, s: &State, idx: &[u32]) -> Result<Vec<Event>> {
        let mut order: Vec<(u32, usize)> = idx.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        order.sort_unstable();
        order.dedup_by_key(|o| o.0);
        let sorted: Vec<u32> = order.iter().map(|o| o.0).collect();
        let mut decoded: Vec<Option<Event>> = vec![None; sorted.len()];
        let mut k = 0;
        self.for_each_row(s, &sorted, |_, row| {
            decoded[k] = Some(decode(&row)?);
            k += 1;
            Ok(())
        })?;
        // Each event is moved out once; an index asked for twice is copied.
        let unique = sorted.len() == idx.len();
        idx.iter()
            .map(|i| {
                let at = sorted.partition_point(|x| x < i);
                let ev = if unique {
                    decoded[at].take()
                } else {
                    decoded[at].clone()
                };
                ev.ok_or_else(|| crate::store::missing_seq(State::seq(*i)))
            })
            .collect()
    }
}

/// The event a stored row holds.
pub(crate) fn decode(row: &StoredEvent) -> Result<Event> {
    Event::from_json(&row.json).map_err(|e| Error::Storage {
        message: format!(
            "event `{}` at seq {} in the log cannot be decoded: {e}",
            row.event_id, row.seq
        ),
    })
}

/// The row at an indexed event's sequence number must hold that event.
fn check(s: &State, idx: u32, row: &StoredEvent) -> Result<()> {
    let rec = &s.events[idx as usize];
    let seq = State::seq(idx);
    if row.seq == seq && row.event_id == *rec.id {
        Ok(())
    } else {
        Err(Error::Storage {
            message: format!(
                "the log's event at seq {} is `{}`, the index has `{}` at seq {}",
                row.seq, row.event_id, rec.id, seq
            ),
        })
    }
}

fn surplus(row: &StoredEvent) -> Error {
    Error::Storage {
        message: format!(
            "the log returned event `{}` at seq {} unasked",
            row.event_id, row.seq
        ),
    }
}
