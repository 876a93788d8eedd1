//! Event stores: the durable log that the in-memory index is built from.
//!
//! A store holds rows of ([`StoredEvent`]) — a sequence number it assigns, the
//! event id, the time the event was recorded and the event in the design's JSON
//! format. It knows nothing of the domain: validation happens in the tracker
//! before an append. [`Tracker::open`](crate::Tracker::open) replays a store.

mod memory;
#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;
mod wal_backfill;

#[cfg(feature = "postgres")]
pub use self::postgres::PostgresStore;
pub use memory::MemoryStore;
pub use sqlite::{SqliteOptions, SqliteStore, Synchronous};

use crate::error::{Error, Result};

/// One event as a store holds it.
///
/// ```
/// use lottrack_core::store::StoredEvent;
/// let row = StoredEvent { seq: 1, event_id: "E1".into(), recorded_at: "2026-03-01T08:00:00Z".into(),
///                         json: r#"{"event_id":"E1"}"#.into() };
/// assert_eq!(row.seq, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Position in the log, 1-based, gap-free, assigned by the store.
    pub seq: u64,
    /// The event's `event_id`.
    pub event_id: String,
    /// When the tracker recorded it (RFC 3339, UTC).
    pub recorded_at: String,
    /// The event in the design's JSON format.
    pub json: String,
}

/// An event handed to a store for appending (the store assigns its `seq`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The event's `event_id`.
    pub event_id: String,
    /// When the tracker recorded it (RFC 3339, UTC).
    pub recorded_at: String,
    /// The event in the design's JSON format.
    pub json: String,
}

/// The small interface every store implements.
///
/// `append` is atomic: all events of the batch are stored, with consecutive
/// sequence numbers after `expected_last_seq`, or none is. When the log's last
/// sequence number is not `expected_last_seq` (another writer got there first) it
/// returns [`crate::Error::Conflict`] and stores nothing; the tracker then reads the
/// new events with [`EventStore::read_from`] and validates again.
///
/// ```
/// use lottrack_core::store::{EventStore, MemoryStore, NewEvent};
/// let mut s = MemoryStore::new();
/// let ev = NewEvent { event_id: "E1".into(), recorded_at: "2026-01-01T00:00:00Z".into(), json: "{}".into() };
/// assert_eq!(s.append(0, &[ev.clone()]).unwrap(), 1);
/// assert!(s.append(0, &[ev]).is_err()); // stale expectation
/// let mut n = 0;
/// s.read_from(0, &mut |row| { n += 1; assert_eq!(row.seq, 1); Ok(()) }).unwrap();
/// assert_eq!(n, 1);
/// ```
pub trait EventStore: Send {
    /// Appends `events` atomically after `expected_last_seq`; returns the new last
    /// sequence number. Durable when it returns `Ok`.
    fn append(&mut self, expected_last_seq: u64, events: &[NewEvent]) -> Result<u64>;

    /// [`EventStore::append`] taking the rows by value, so a store that keeps them
    /// in memory need not copy them. The default calls `append`.
    fn append_owned(&mut self, expected_last_seq: u64, events: Vec<NewEvent>) -> Result<u64> {
        self.append(expected_last_seq, &events)
    }

    /// [`EventStore::append`] of rows that arrive in chunks: `next(spent)`
    /// gives back the previous chunk (empty at first) and returns `Ok(Some(chunk))`
    /// for the next one, `Ok(None)` after the last, `Err` to abandon the batch.
    /// Atomic like `append`: all rows are stored or none is, and an `Err` from
    /// `next` is returned with nothing stored. Chunks go back to `next` with
    /// their rows, so a caller on another thread frees them where it made them.
    ///
    /// The tracker appends a large batch this way: a second thread makes the
    /// rows and calls this while the next events are validated. A store that
    /// writes rows as they come (SQLite, memory) overlaps its writing with the
    /// validation too. The default collects the rows, then calls
    /// [`EventStore::append_owned`].
    ///
    /// ```
    /// use lottrack_core::store::{EventStore, MemoryStore, NewEvent};
    /// let mut s = MemoryStore::new();
    /// let row = |i: u32| NewEvent { event_id: format!("E{i}"),
    ///     recorded_at: "2026-01-01T00:00:00Z".into(), json: "{}".into() };
    /// let mut chunks = vec![vec![row(1), row(2)], vec![row(3)]].into_iter();
    /// assert_eq!(s.append_streamed(0, &mut |_spent| Ok(chunks.next())).unwrap(), 3);
    /// let err = s.append_streamed(3, &mut |_| Err(lottrack_core::Error::Storage { message: "stop".into() }));
    /// assert!(err.is_err());
    /// assert_eq!(s.last_seq().unwrap(), 3);
    /// ```
    fn append_streamed(
        &mut self,
        expected_last_seq: u64,
        next: &mut dyn FnMut(Vec<NewEvent>) -> Result<Option<Vec<NewEvent>>>,
    ) -> Result<u64> {
        let mut rows = Vec::new();
        while let Some(mut chunk) = next(Vec::new())? {
            rows.append(&mut chunk);
        }
        self.append_owned(expected_last_seq, rows)
    }

    /// Calls `visit` for every event with `seq > after_seq`, in sequence order.
    fn read_from(
        &mut self,
        after_seq: u64,
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()>;

    /// Calls `visit` for the events with the sequence numbers `seqs` (ascending),
    /// in that order: how the tracker reads back an event's JSON, which its index
    /// does not keep. A number the log does not hold is an error naming it.
    ///
    /// The default reads the log from the first number on and keeps what is asked
    /// for; the stores of this crate look each row up.
    ///
    /// ```
    /// use lottrack_core::store::{EventStore, MemoryStore, NewEvent};
    /// let mut s = MemoryStore::new();
    /// let ev = |id: &str| NewEvent { event_id: id.into(), recorded_at: "2026-01-01T00:00:00Z".into(), json: "{}".into() };
    /// s.append(0, &[ev("E1"), ev("E2"), ev("E3")]).unwrap();
    /// let mut ids = Vec::new();
    /// s.read_seqs(&[1, 3], &mut |row| { ids.push(row.event_id); Ok(()) }).unwrap();
    /// assert_eq!(ids, ["E1", "E3"]);
    /// assert!(s.read_seqs(&[4], &mut |_| Ok(())).is_err());
    /// ```
    fn read_seqs(
        &mut self,
        seqs: &[u64],
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let Some(&first) = seqs.first() else {
            return Ok(());
        };
        let mut wanted = seqs.iter().copied().peekable();
        // Set when the last wanted row is seen; the read is then stopped with an
        // error that is not returned.
        let mut finished = false;
        let res = self.read_from(first.saturating_sub(1), &mut |row| {
            match wanted.peek() {
                Some(&w) if w < row.seq => return Err(missing_seq(w)),
                Some(&w) if w == row.seq => {
                    wanted.next();
                    visit(row)?;
                }
                _ => {}
            }
            if wanted.peek().is_none() {
                finished = true;
                return Err(missing_seq(0));
            }
            Ok(())
        });
        match res {
            Err(_) if finished => Ok(()),
            Err(e) => Err(e),
            Ok(()) => wanted.next().map_or(Ok(()), |seq| Err(missing_seq(seq))),
        }
    }

    /// The sequence number of the last stored event (0 when empty).
    fn last_seq(&mut self) -> Result<u64>;

    /// A short human-readable description (`"memory"`, `"sqlite:/path"`, …).
    fn describe(&self) -> String;

    /// Where [`Tracker::write_checkpoint`](crate::Tracker::write_checkpoint)
    /// saves the index of this store's log, and where
    /// [`Tracker::open`](crate::Tracker::open) looks for it (see
    /// [`crate::checkpoint`]); `None` (the default) when the store keeps no
    /// checkpoint.
    ///
    /// ```
    /// use lottrack_core::store::{EventStore, MemoryStore};
    /// assert_eq!(MemoryStore::new().checkpoint_path(), None);
    /// ```
    fn checkpoint_path(&self) -> Option<std::path::PathBuf> {
        None
    }
}

/// The error for a sequence number the log does not hold.
pub(crate) fn missing_seq(seq: u64) -> Error {
    Error::Storage {
        message: format!("the log holds no event at seq {seq}"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Checks `read_seqs` on a store holding events at seqs `1..=last` (`last`
    /// at least 3): the rows asked for, in order, as `read_from` gives them; an
    /// absent number is an error naming it; a visitor's error is returned.
    pub(crate) fn check_read_seqs(store: &mut dyn EventStore, last: u64) {
        let mut all = Vec::new();
        store
            .read_from(0, &mut |row| {
                all.push(row);
                Ok(())
            })
            .unwrap();
        assert_eq!(all.len() as u64, last);
        let read = |store: &mut dyn EventStore, seqs: &[u64]| {
            let mut rows = Vec::new();
            store
                .read_seqs(seqs, &mut |row| {
                    rows.push(row);
                    Ok(())
                })
                .map(|()| rows)
        };
        let wanted = [1, 3, last];
        let rows = read(store, &wanted).unwrap();
        let expected: Vec<StoredEvent> = wanted
            .iter()
            .map(|&s| all[s as usize - 1].clone())
            .collect();
        assert_eq!(rows, expected);
        let every_other: Vec<u64> = (1..=last).step_by(2).collect();
        let rows = read(store, &every_other).unwrap();
        assert_eq!(rows.len(), every_other.len());
        assert!(
            rows.iter()
                .zip(&every_other)
                .all(|(r, &s)| r.seq == s && *r == all[s as usize - 1])
        );
        assert!(read(store, &[]).unwrap().is_empty());
        for bad in [vec![last + 1], vec![2, last + 1], vec![0]] {
            let err = read(store, &bad).unwrap_err();
            let missing = bad.iter().find(|&&s| s == 0 || s > last).unwrap();
            assert!(
                matches!(&err, Error::Storage { message } if message.contains(&format!("seq {missing}"))),
                "{bad:?}: {err:?}"
            );
        }
        let err = store
            .read_seqs(&[1, 2], &mut |_| {
                Err(Error::Conflict {
                    message: "stop".into(),
                })
            })
            .unwrap_err();
        assert_eq!(err.to_string(), "write conflict: stop");
    }

    /// A store that keeps only the required methods (the trait's default
    /// `read_seqs`).
    struct Plain(MemoryStore);

    impl EventStore for Plain {
        fn append(&mut self, expected_last_seq: u64, events: &[NewEvent]) -> Result<u64> {
            self.0.append(expected_last_seq, events)
        }
        fn read_from(
            &mut self,
            after_seq: u64,
            visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
        ) -> Result<()> {
            self.0.read_from(after_seq, visit)
        }
        fn last_seq(&mut self) -> Result<u64> {
            self.0.last_seq()
        }
        fn describe(&self) -> String {
            "plain".into()
        }
    }

    fn rows(n: usize) -> Vec<NewEvent> {
        (1..=n)
            .map(|i| NewEvent {
                event_id: format!("E{i}"),
                recorded_at: "2026-01-01T00:00:00Z".into(),
                json: format!(r#"{{"event_id":"E{i}"}}"#),
            })
            .collect()
    }

    #[test]
    fn read_seqs_default_and_memory() {
        let mut plain = Plain(MemoryStore::new());
        plain.append(0, &rows(7)).unwrap();
        check_read_seqs(&mut plain, 7);
        let mut mem = MemoryStore::new();
        mem.append(0, &rows(7)).unwrap();
        check_read_seqs(&mut mem, 7);
    }
}
