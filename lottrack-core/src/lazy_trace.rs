//! A trace taken now and read later: the lot set (ids and depths) is fixed when it
//! is taken; names, links and shipments are read from the tracker on first use and
//! kept. This is what the C and Python layers hand out, so a large trace costs the
//! lean walk until its rows are asked for.

use std::sync::{Arc, OnceLock};

use crate::error::Result;
use crate::model::LotKey;
use crate::trace::{Trace, TraceDirection, TraceIds, TraceLot, TraceOptions};
use crate::tracker::Tracker;

/// A trace whose rows are made on first use.
///
/// The set of lots reached (and their depths) is fixed when the trace is taken.
/// [`LazyTrace::lots`] names them on first use; [`LazyTrace::details`] builds the
/// links and shipments (or receipts) once, for those lots, from what the tracker
/// holds at that moment ([`Tracker::trace_details`]). It keeps the tracker alive.
///
/// ```
/// use std::sync::Arc;
/// use lottrack_core::{LazyTrace, LotKey, TraceDirection, TraceOptions, Tracker};
/// let t = Arc::new(Tracker::in_memory());
/// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
/// t.record_json(r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"p","lot":"L","quantity":"5","uom":"kg"}],"outputs":[{"product":"q","lot":"M","quantity":"5","uom":"kg"}]}"#).unwrap();
/// let tr = LazyTrace::new(t.clone(), LotKey::new("p", "L"), TraceOptions::default(), TraceDirection::Forward).unwrap();
/// assert_eq!(tr.len(), 1);
/// assert!(tr.contains(&LotKey::new("q", "M")));
/// assert_eq!(&*tr.lots()[0].lot, "M");
/// assert_eq!(&*tr.details().unwrap().links[0].event_id, "E2");
/// ```
#[derive(Debug)]
pub struct LazyTrace {
    tracker: Arc<Tracker>,
    root: LotKey,
    ids: TraceIds,
    opts: TraceOptions,
    /// The lots as rows, named on first use.
    lots: OnceLock<Vec<TraceLot>>,
    /// The reached lot ids, sorted, for membership tests.
    sorted: OnceLock<Vec<u32>>,
    /// The full trace, built on first use.
    full: OnceLock<Arc<Trace>>,
}

impl LazyTrace {
    /// Takes the lean trace of `root` in `direction` now.
    pub fn new(
        tracker: Arc<Tracker>,
        root: LotKey,
        opts: TraceOptions,
        direction: TraceDirection,
    ) -> Result<LazyTrace> {
        let ids = match direction {
            TraceDirection::Forward => tracker.trace_forward_ids(&root, &opts)?,
            TraceDirection::Backward => tracker.trace_backward_ids(&root, &opts)?,
        };
        Ok(LazyTrace {
            tracker,
            root,
            ids,
            opts,
            lots: OnceLock::new(),
            sorted: OnceLock::new(),
            full: OnceLock::new(),
        })
    }

    /// Forward or backward.
    pub fn direction(&self) -> TraceDirection {
        self.ids.direction
    }

    /// The lot traced from.
    pub fn root(&self) -> &LotKey {
        &self.root
    }

    /// The lean trace: lot ids and depths.
    pub fn ids(&self) -> &TraceIds {
        &self.ids
    }

    /// Number of lots reached (the root excluded); builds nothing.
    pub fn len(&self) -> usize {
        self.ids.lots.len()
    }

    /// No lot reached.
    pub fn is_empty(&self) -> bool {
        self.ids.lots.is_empty()
    }

    /// Whether `lot` was reached (the root is not); reads one id from the tracker.
    pub fn contains(&self, lot: &LotKey) -> bool {
        let Some(id) = self.tracker.any_lot_id(lot) else {
            return false;
        };
        let sorted = self.sorted.get_or_init(|| {
            let mut v: Vec<u32> = self.ids.lots.iter().map(|l| l.0).collect();
            v.sort_unstable();
            v
        });
        sorted.binary_search(&id.0).is_ok()
    }

    /// The lots reached, by depth, named on first use (one lock) or taken from
    /// the details when those were built first.
    pub fn lots(&self) -> &[TraceLot] {
        if let Some(f) = self.full.get() {
            return &f.lots;
        }
        self.lots.get_or_init(|| {
            // Ids come from this tracker and lots are never renumbered: one key each.
            self.tracker
                .lot_keys(&self.ids.lots)
                .into_iter()
                .zip(&self.ids.depths)
                .map(|(k, &depth)| TraceLot {
                    product: k.product,
                    lot: k.lot,
                    depth,
                })
                .collect()
        })
    }

    /// The full trace (links, shipments or receipts, names) of these lots, built
    /// once on first use.
    pub fn details(&self) -> Result<&Arc<Trace>> {
        if let Some(f) = self.full.get() {
            return Ok(f);
        }
        let built = self.tracker.trace_details(&self.ids, &self.opts)?;
        // Another thread may have built it meanwhile: the first one is kept.
        Ok(self.full.get_or_init(|| Arc::new(built)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(t: &Tracker, json: &str) {
        t.record_json(json).expect("recorded");
    }

    #[test]
    fn lot_set_is_fixed_and_voided_lots_stay_members() {
        let t = Arc::new(Tracker::in_memory());
        rec(
            &t,
            r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"10","uom":"kg"}"#,
        );
        rec(
            &t,
            r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"p","lot":"L","quantity":"5","uom":"kg"}],"outputs":[{"product":"q","lot":"M","quantity":"5","uom":"kg"}]}"#,
        );
        let tr = LazyTrace::new(
            t.clone(),
            LotKey::new("p", "L"),
            TraceOptions::default(),
            TraceDirection::Forward,
        )
        .expect("trace");
        rec(
            &t,
            r#"{"event_id":"V","kind":"void","time":"2026-03-03T08:00:00Z","target":"E2","reason":"incorrect_data"}"#,
        );
        // q/M no longer exists, but it was reached when the trace was taken.
        assert_eq!(tr.len(), 1);
        assert!(tr.contains(&LotKey::new("q", "M")));
        assert!(
            !tr.contains(&LotKey::new("p", "L")),
            "the root is not a lot reached"
        );
        assert!(!tr.contains(&LotKey::new("x", "y")));
        assert_eq!(&*tr.lots()[0].product, "q");
        assert_eq!(tr.details().expect("details").links.len(), 0, "E2 is void");
    }
}
