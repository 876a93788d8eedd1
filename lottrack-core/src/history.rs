//! Lot history: every live event that touched a lot, in time order.

use crate::error::Result;
use crate::event::Event;
use crate::model::LotKey;
use crate::tracker::Tracker;

impl Tracker {
    /// Every live event that touched `lot` (stock movements and status changes), in
    /// event-time order (recording order among equal times).
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E2","kind":"receive","time":"2026-03-02T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// let h = t.history(&LotKey::new("p", "L")).unwrap();
    /// assert_eq!(h.iter().map(|e| e.event_id.as_str()).collect::<Vec<_>>(), ["E1", "E2"]);
    /// ```
    pub fn history(&self, lot: &LotKey) -> Result<Vec<Event>> {
        self.with_log(|s, log| {
            let id = s.lot_id(&lot.product, &lot.lot, "")?;
            let rec = &s.ledger.lots[id as usize];
            let mut idx: Vec<u32> = rec
                .moves
                .iter()
                .map(|m| m.event)
                .chain(rec.statuses().iter().map(|s| s.0))
                .collect();
            idx.sort_unstable();
            idx.dedup();
            idx.sort_by_key(|i| (s.events[*i as usize].time_ms(), *i));
            log.events(s, &idx)
        })
    }
}
