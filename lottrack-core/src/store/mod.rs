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

#[cfg(feature = "postgres")]
pub use self::postgres::PostgresStore;
pub use memory::MemoryStore;
pub use sqlite::{SqliteOptions, SqliteStore, Synchronous};

use crate::error::Result;

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

    /// Calls `visit` for every event with `seq > after_seq`, in sequence order.
    fn read_from(
        &mut self,
        after_seq: u64,
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()>;

    /// The sequence number of the last stored event (0 when empty).
    fn last_seq(&mut self) -> Result<u64>;

    /// A short human-readable description (`"memory"`, `"sqlite:/path"`, …).
    fn describe(&self) -> String;
}
