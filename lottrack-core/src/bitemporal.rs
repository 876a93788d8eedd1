//! Bitemporal views: what had happened by an event time, and what the system knew
//! at a recorded time.
//!
//! Every event keeps its event time (when it happened, with its offset) and the
//! time the tracker recorded it. [`Tracker::as_of`] answers "what had happened by
//! T", with today's knowledge (voided events are out, late-arriving events with an
//! earlier event time are in). [`Tracker::as_known_at`] answers "what did the
//! system know at R", before later corrections and late arrivals — the question a
//! regulator asks after a correction. Both return a read-only snapshot tracker on
//! which every query can be asked.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::event::Time;
use crate::state::EventRec;
use crate::store::{EventStore, MemoryStore, NewEvent};
use crate::tracker::{StockMode, Tracker, TrackerOptions};

impl Tracker {
    /// A snapshot of everything that had happened by event time `t`, as known now:
    /// live events with `time <= t`, in recording order.
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker, parse_time};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"ship","time":"2026-03-05T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"2","uom":"kg","customer":"c"}"#).unwrap();
    /// let then = t.as_of(parse_time("2026-03-02T00:00:00Z").unwrap()).unwrap();
    /// assert_eq!(then.mass_balance(&LotKey::new("p", "L")).unwrap().on_hand.to_string(), "5");
    /// ```
    pub fn as_of(&self, t: Time) -> Result<Tracker> {
        snapshot(self.rows_where(|r| r.live() && r.time <= t && r.kind() != "void")?)
    }

    /// A snapshot of what the tracker knew at recorded time `r`: the events recorded
    /// up to then, voids included only if recorded by then.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// let before = chrono::Utc::now();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// assert_eq!(t.as_known_at(before).unwrap().event_count(), 0);
    /// assert_eq!(t.as_known_at(chrono::Utc::now()).unwrap().event_count(), 1);
    /// ```
    pub fn as_known_at(&self, r: DateTime<Utc>) -> Result<Tracker> {
        snapshot(self.rows_where(|e| e.recorded_at() <= r)?)
    }

    /// When an event was recorded.
    pub fn recorded_at(&self, event_id: &str) -> Option<DateTime<Utc>> {
        self.with_state(|s| {
            s.event_index(event_id)
                .map(|i| s.events[i as usize].recorded_at())
        })
    }
}

impl Tracker {
    /// The stored rows of the indexed events `keep` selects, in recording order,
    /// read back from the store.
    fn rows_where(&self, keep: impl Fn(&EventRec) -> bool) -> Result<Vec<NewEvent>> {
        self.with_log(|s, log| {
            let idx: Vec<u32> = (0..s.events.len() as u32)
                .filter(|&i| keep(&s.events[i as usize]))
                .collect();
            let mut rows = Vec::with_capacity(idx.len());
            log.for_each_row(s, &idx, |_, row| {
                rows.push(NewEvent {
                    event_id: row.event_id,
                    recorded_at: row.recorded_at,
                    json: row.json,
                });
                Ok(())
            })?;
            Ok(rows)
        })
    }
}

fn snapshot(rows: Vec<NewEvent>) -> Result<Tracker> {
    let mut store = MemoryStore::new();
    store.append(0, &rows)?;
    Tracker::open_with(
        store,
        TrackerOptions {
            stock_mode: StockMode::Lenient,
            ..Default::default()
        },
    )
}
