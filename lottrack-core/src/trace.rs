//! Forward and backward traces: every downstream (upstream) lot with its shortest
//! depth, the transform links between them, and the customers reached
//! (shipments) or the suppliers (receipts).

use std::sync::Arc;

use petgraph::Direction;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Result;
use crate::event::Time;
use crate::graph::EdgeFilter;
use crate::ledger::Role;
use crate::model::{Document, LotKey};
use crate::report::{ser_decimal, ser_time};
use crate::state::State;
use crate::tracker::Tracker;

/// Options of a trace.
///
/// ```
/// use lottrack_core::TraceOptions;
/// let o = TraceOptions { max_depth: Some(2), ..Default::default() };
/// assert!(o.as_of.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceOptions {
    /// Follow at most this many transform steps.
    pub max_depth: Option<u32>,
    /// Only events at or after this time.
    pub from: Option<Time>,
    /// Only events at or before this time.
    pub to: Option<Time>,
    /// Ignore events after this time (what had happened by then).
    pub as_of: Option<Time>,
}

impl TraceOptions {
    pub(crate) fn filter(&self) -> EdgeFilter {
        let to = match (self.to, self.as_of) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        EdgeFilter {
            from_ms: self.from.map(|t| t.timestamp_millis()),
            to_ms: to.map(|t| t.timestamp_millis()),
        }
    }
}

/// The direction of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TraceDirection {
    /// Downstream: what was made from the root and who received it.
    Forward,
    /// Upstream: what the root was made from and who supplied it.
    Backward,
}

/// A lot reached by a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceLot {
    /// Product.
    pub product: Arc<str>,
    /// Lot code.
    pub lot: Arc<str>,
    /// Shortest number of transform steps from the root.
    pub depth: u32,
}

/// A transform link between two lots of a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceLink {
    /// The transform event.
    pub event_id: Arc<str>,
    /// The input lot.
    pub from: LotKey,
    /// The output lot.
    pub to: LotKey,
}

/// A quantity of a lot that left to a customer (or arrived from a supplier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Movement {
    /// The ship (receive) event.
    pub event_id: Arc<str>,
    /// The customer (for shipments) or supplier (for receipts); empty if none.
    #[serde(skip)]
    pub party: Arc<str>,
    /// Product.
    pub product: Arc<str>,
    /// Lot code.
    pub lot: Arc<str>,
    /// Quantity, in the product's base unit.
    #[serde(serialize_with = "ser_decimal")]
    pub quantity: Decimal,
    /// The product's base unit.
    pub uom: Arc<str>,
    /// Event time, with its offset.
    #[serde(serialize_with = "ser_time")]
    pub time: Time,
    /// Location it left from (arrived at).
    pub location: Arc<str>,
    /// Reference documents (bill of lading, invoice, purchase order …), shared
    /// with the event's record.
    pub documents: Arc<[Document]>,
}

/// A shipment: [`Movement`] serialized with a `customer` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment(pub Movement);

/// A receipt: [`Movement`] serialized with a `supplier` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt(pub Movement);

fn ser_movement<S: serde::Serializer>(
    m: &Movement,
    party_key: &str,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(9))?;
    map.serialize_entry("event_id", &m.event_id)?;
    map.serialize_entry(party_key, &m.party)?;
    map.serialize_entry("product", &*m.product)?;
    map.serialize_entry("lot", &*m.lot)?;
    map.serialize_entry("quantity", &crate::quantity::fmt_decimal(m.quantity))?;
    map.serialize_entry("uom", &m.uom)?;
    map.serialize_entry("time", &m.time.to_rfc3339())?;
    map.serialize_entry("location", &m.location)?;
    map.serialize_entry("documents", &m.documents)?;
    map.end()
}

impl Serialize for Shipment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        ser_movement(&self.0, "customer", s)
    }
}

impl Serialize for Receipt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        ser_movement(&self.0, "supplier", s)
    }
}

impl std::ops::Deref for Shipment {
    type Target = Movement;
    fn deref(&self) -> &Movement {
        &self.0
    }
}

impl std::ops::Deref for Receipt {
    type Target = Movement;
    fn deref(&self) -> &Movement {
        &self.0
    }
}

/// A trace's result, in the design's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// Forward or backward.
    pub direction: TraceDirection,
    /// The lot traced from.
    pub root: LotKey,
    /// Every lot reached (the root excluded), by depth.
    pub lots: Vec<TraceLot>,
    /// Transform links among the root and the lots reached.
    pub links: Vec<TraceLink>,
    /// Shipments of the root and of every lot reached (forward traces).
    pub shipments: Vec<Shipment>,
    /// Receipts of the root and of every lot reached (backward traces).
    pub receipts: Vec<Receipt>,
}

impl Trace {
    /// The trace as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A lot's dense index in a tracker: stable for the tracker's lifetime (lots are
/// never renumbered), cheap to copy; resolve it with [`Tracker::lot_key`] or
/// [`Tracker::lot_keys`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[repr(transparent)]
pub struct LotId(pub u32);

/// The lean form of a trace: the lots reached as [`LotId`]s with their depths, no
/// strings, links or shipments. This is what a binding returns when it builds its
/// rows lazily; [`Tracker::trace_forward`] builds the full [`Trace`].
///
/// ```
/// use lottrack_core::{LotKey, TraceOptions, Tracker};
/// let t = Tracker::in_memory();
/// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
/// t.record_json(r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"p","lot":"L","quantity":"5","uom":"kg"}],"outputs":[{"product":"q","lot":"M","quantity":"5","uom":"kg"}]}"#).unwrap();
/// let ids = t.trace_forward_ids(&LotKey::new("p", "L"), &TraceOptions::default()).unwrap();
/// assert_eq!(ids.lots.len(), 1);
/// assert_eq!(ids.depths, [1]);
/// assert_eq!(t.lot_keys(&ids.lots), [LotKey::new("q", "M")]);
/// assert_eq!(t.lot_key(ids.root), Some(LotKey::new("p", "L")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceIds {
    /// Forward or backward.
    pub direction: TraceDirection,
    /// The lot traced from.
    pub root: LotId,
    /// Every lot reached (the root excluded), shortest depth first.
    pub lots: Vec<LotId>,
    /// `depths[i]` is the depth of `lots[i]`.
    pub depths: Vec<u32>,
}

impl Tracker {
    /// The lean forward trace: lot ids and depths only (see [`TraceIds`]).
    pub fn trace_forward_ids(&self, lot: &LotKey, opts: &TraceOptions) -> Result<TraceIds> {
        self.with_state(|s| trace_ids(s, lot, opts, TraceDirection::Forward))
    }

    /// The lean backward trace: lot ids and depths only (see [`TraceIds`]).
    pub fn trace_backward_ids(&self, lot: &LotKey, opts: &TraceOptions) -> Result<TraceIds> {
        self.with_state(|s| trace_ids(s, lot, opts, TraceDirection::Backward))
    }

    /// The id of a live lot, if it exists.
    pub fn lot_id(&self, lot: &LotKey) -> Option<LotId> {
        self.with_state(|s| s.ledger.live(&lot.product, &lot.lot).map(LotId))
    }

    /// The id of a lot this tracker has seen, live or not (a lot whose events
    /// were all voided keeps its id: ids are never reused).
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"V","kind":"void","time":"2026-03-02T08:00:00Z","target":"E1","reason":"incorrect_data"}"#).unwrap();
    /// let k = LotKey::new("p", "L");
    /// assert_eq!(t.lot_id(&k), None);
    /// assert!(t.any_lot_id(&k).is_some());
    /// ```
    pub fn any_lot_id(&self, lot: &LotKey) -> Option<LotId> {
        self.with_state(|s| s.ledger.id(&lot.product, &lot.lot).map(LotId))
    }

    /// The key of a lot id (`None` for an id this tracker never handed out).
    pub fn lot_key(&self, id: LotId) -> Option<LotKey> {
        self.with_state(|s| s.ledger.lots.get(id.0 as usize).map(|r| r.key.clone()))
    }

    /// The keys of many lot ids under one lock; unknown ids are skipped.
    pub fn lot_keys(&self, ids: &[LotId]) -> Vec<LotKey> {
        self.with_state(|s| {
            ids.iter()
                .filter_map(|id| s.ledger.lots.get(id.0 as usize).map(|r| r.key.clone()))
                .collect()
        })
    }
}

fn trace_ids(
    s: &State,
    lot: &LotKey,
    opts: &TraceOptions,
    dir: TraceDirection,
) -> Result<TraceIds> {
    let root = s.lot_id(&lot.product, &lot.lot, "")?;
    let d = match dir {
        TraceDirection::Forward => Direction::Outgoing,
        TraceDirection::Backward => Direction::Incoming,
    };
    let mut lots = Vec::new();
    let mut depths = Vec::new();
    s.graph.reach_into(
        root,
        d,
        opts.max_depth,
        opts.filter(),
        &mut lots,
        &mut depths,
    );
    Ok(TraceIds {
        direction: dir,
        root: LotId(root),
        lots: lots.into_iter().map(LotId).collect(),
        depths,
    })
}

impl Tracker {
    /// Everything made from `lot`, and who received it.
    ///
    /// ```
    /// use lottrack_core::{LotKey, TraceOptions, Tracker};
    /// let t = Tracker::in_memory();
    /// let err = t.trace_forward(&LotKey::new("x", "y"), &TraceOptions::default()).unwrap_err();
    /// assert_eq!(err.kind_name(), "UnknownProduct");
    /// ```
    pub fn trace_forward(&self, lot: &LotKey, opts: &TraceOptions) -> Result<Trace> {
        self.with_state(|s| trace(s, lot, opts, TraceDirection::Forward))
    }

    /// Everything `lot` was made from, and who supplied it.
    pub fn trace_backward(&self, lot: &LotKey, opts: &TraceOptions) -> Result<Trace> {
        self.with_state(|s| trace(s, lot, opts, TraceDirection::Backward))
    }

    /// The full [`Trace`] (links, shipments or receipts, names) of a lean trace,
    /// for the lots it reached: what a binding builds when its lazily made result
    /// is asked for more than the lots. `opts` should be the options of the lean
    /// trace. Links and movements are those recorded now: a lean trace taken
    /// before later events were recorded gets the later links among its own lots
    /// (never links to lots it did not reach) and the later shipments of its lots.
    ///
    /// ```
    /// use lottrack_core::{LotKey, TraceOptions, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"p","lot":"L","quantity":"5","uom":"kg"}],"outputs":[{"product":"q","lot":"M","quantity":"5","uom":"kg"}]}"#).unwrap();
    /// let opts = TraceOptions::default();
    /// let ids = t.trace_forward_ids(&LotKey::new("p", "L"), &opts).unwrap();
    /// let full = t.trace_details(&ids, &opts).unwrap();
    /// assert_eq!(full, t.trace_forward(&LotKey::new("p", "L"), &opts).unwrap());
    /// assert_eq!(&*full.links[0].event_id, "E2");
    /// ```
    pub fn trace_details(&self, ids: &TraceIds, opts: &TraceOptions) -> Result<Trace> {
        self.with_state(|s| {
            let n = s.ledger.lots.len();
            let known = |id: LotId| (id.0 as usize) < n;
            if let Some(bad) = std::iter::once(&ids.root)
                .chain(&ids.lots)
                .find(|id| !known(**id))
            {
                return Err(crate::error::Error::InvalidField {
                    event_id: String::new(),
                    field: "lot id".into(),
                    reason: format!(
                        "lot id {} was not handed out by this tracker ({n} lots)",
                        bad.0
                    ),
                });
            }
            let mut reached = Vec::with_capacity(ids.lots.len() + 1);
            reached.push((ids.root.0, 0));
            reached.extend(ids.lots.iter().zip(&ids.depths).map(|(l, d)| (l.0, *d)));
            let mut members: Vec<u32> = reached.iter().map(|r| r.0).collect();
            members.sort_unstable();
            Ok(build_trace(
                s,
                ids.root.0,
                &reached,
                Some(&members),
                opts,
                ids.direction,
            ))
        })
    }
}

/// The lot ids reached from `roots` (roots included, depth 0), shortest depth first.
pub(crate) fn reach(
    s: &State,
    roots: &[u32],
    dir: TraceDirection,
    opts: &TraceOptions,
) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let d = match dir {
        TraceDirection::Forward => Direction::Outgoing,
        TraceDirection::Backward => Direction::Incoming,
    };
    s.graph
        .bfs(roots, d, opts.max_depth, opts.filter(), |n, depth| {
            out.push((n, depth))
        });
    out
}

/// Live stock movements of `lot` with `role` whose event passes the filter.
pub(crate) fn movements(s: &State, lot: u32, role: Role, filter: EdgeFilter) -> Vec<Movement> {
    let mut out = Vec::new();
    movements_into(s, lot, role, filter, &mut out);
    out
}

/// [`movements`], appended to `out`.
pub(crate) fn movements_into(
    s: &State,
    lot: u32,
    role: Role,
    filter: EdgeFilter,
    out: &mut Vec<Movement>,
) {
    let rec = &s.ledger.lots[lot as usize];
    if !rec.moves.iter().any(|m| m.role() == role) {
        return;
    }
    let uom = s.catalog.base_uom_arc(rec.product);
    for m in rec.moves.iter().filter(|m| m.role() == role) {
        let ev = &s.events[m.event as usize];
        if filter.admits(ev.time_ms()) {
            out.push(movement(s, rec, m, &uom));
        }
    }
}

/// The report row of one stock movement of `rec` (`uom`: the product's base unit).
pub(crate) fn movement(
    s: &State,
    rec: &crate::ledger::LotRec,
    m: &crate::ledger::Movement,
    uom: &Arc<str>,
) -> Movement {
    let ev = &s.events[m.event as usize];
    let party = match m.party {
        Some(p) => s.catalog.party_names.name(p.get() - 1).clone(),
        None => s.catalog.empty_name(),
    };
    let location = match s.place_location(m.place()) {
        Some(l) => s.catalog.places.name(l).clone(),
        // A container packed nowhere: the event's own location (kept by the
        // records of events that move stock through containers).
        None if ev.location != crate::state::NO_PLACE => s.catalog.places.name(ev.location).clone(),
        None => s.catalog.empty_name(),
    };
    Movement {
        event_id: ev.id.clone(),
        party,
        product: rec.key.product.clone(),
        lot: rec.key.lot.clone(),
        quantity: m.delta.abs(),
        uom: uom.clone(),
        time: ev.time,
        location,
        documents: ev.docs.clone(),
    }
}

pub(crate) fn trace(
    s: &State,
    lot: &LotKey,
    opts: &TraceOptions,
    dir: TraceDirection,
) -> Result<Trace> {
    let root = s.lot_id(&lot.product, &lot.lot, "")?;
    let reached = reach(s, &[root], dir, opts);
    Ok(build_trace(s, root, &reached, None, opts, dir))
}

/// The full trace of the lots already reached (`reached` holds the root at depth 0).
/// With `members` (the reached ids, sorted), links to lots outside them are left
/// out: a lean trace's lots may have gained links since it was taken.
fn build_trace(
    s: &State,
    root: u32,
    reached: &[(u32, u32)],
    members: Option<&[u32]>,
    opts: &TraceOptions,
    dir: TraceDirection,
) -> Trace {
    let filter = opts.filter();
    let (graph_dir, role) = match dir {
        TraceDirection::Forward => (Direction::Outgoing, Role::Shipped),
        TraceDirection::Backward => (Direction::Incoming, Role::Received),
    };
    let adj = s.graph.adj(graph_dir);
    let expands = |depth: u32| opts.max_depth.is_none_or(|m| depth < m);
    // Size the results first: growing vectors of this size costs more than a pass.
    let (mut n_links, mut n_moves) = (0, 0);
    for &(n, depth) in reached {
        if expands(depth) {
            n_links += adj.of(n).count();
        }
        n_moves += s.ledger.lots[n as usize]
            .moves
            .iter()
            .filter(|m| m.role() == role)
            .count();
    }
    let mut lots = Vec::with_capacity(reached.len().saturating_sub(1));
    let mut links = Vec::with_capacity(n_links);
    let mut moved = Vec::with_capacity(n_moves);
    for &(n, depth) in reached {
        let rec = &s.ledger.lots[n as usize];
        if n != root {
            lots.push(TraceLot {
                product: rec.key.product.clone(),
                lot: rec.key.lot.clone(),
                depth,
            });
        }
        // Below the depth limit every admitted neighbour was reached too.
        if expands(depth) {
            for a in adj.of(n) {
                let e = &s.graph.edges[a.edge as usize];
                if !filter.admits(e.time_ms) {
                    continue;
                }
                let other = if graph_dir == Direction::Outgoing {
                    e.to
                } else {
                    e.from
                };
                if members.is_some_and(|m| m.binary_search(&other).is_err()) {
                    continue;
                }
                let (from, to) = (
                    &s.ledger.lots[e.from as usize].key,
                    &s.ledger.lots[e.to as usize].key,
                );
                links.push(TraceLink {
                    event_id: s.events[e.event as usize].id.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
        movements_into(s, n, role, filter, &mut moved);
    }
    let (mut shipments, mut receipts) = match dir {
        TraceDirection::Forward => (moved.into_iter().map(Shipment).collect(), Vec::new()),
        TraceDirection::Backward => (Vec::new(), moved.into_iter().map(Receipt).collect()),
    };
    shipments.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.event_id.cmp(&b.event_id))
    });
    receipts.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.event_id.cmp(&b.event_id))
    });
    Trace {
        direction: dir,
        root: s.ledger.lots[root as usize].key.clone(),
        lots,
        links,
        shipments,
        receipts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(t: &Tracker, json: &str) {
        t.record_json(json).expect("recorded");
    }

    #[test]
    fn details_of_a_lean_trace_stay_among_its_lots() {
        let t = Tracker::in_memory();
        rec(
            &t,
            r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"10","uom":"kg"}"#,
        );
        rec(
            &t,
            r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"p","lot":"L","quantity":"5","uom":"kg"}],"outputs":[{"product":"q","lot":"M","quantity":"5","uom":"kg"}]}"#,
        );
        let opts = TraceOptions::default();
        let ids = t
            .trace_forward_ids(&LotKey::new("p", "L"), &opts)
            .expect("trace");
        // Recorded after the lean trace: a link from a reached lot to a new one,
        // and a shipment of a reached lot.
        rec(
            &t,
            r#"{"event_id":"E3","kind":"transform","time":"2026-03-03T08:00:00Z","location":"a","inputs":[{"product":"q","lot":"M","quantity":"2","uom":"kg"}],"outputs":[{"product":"r","lot":"N","quantity":"2","uom":"kg"}]}"#,
        );
        rec(
            &t,
            r#"{"event_id":"E4","kind":"ship","time":"2026-03-04T08:00:00Z","location":"a","product":"q","lot":"M","quantity":"1","uom":"kg","customer":"shop"}"#,
        );
        let full = t.trace_details(&ids, &opts).expect("details");
        assert_eq!(full.lots.len(), 1);
        let links: Vec<&str> = full.links.iter().map(|l| &*l.event_id).collect();
        assert_eq!(links, ["E2"]);
        let shipped: Vec<&str> = full.shipments.iter().map(|m| &*m.event_id).collect();
        assert_eq!(shipped, ["E4"]);
        // A fresh trace reaches the new lot and its link.
        let now = t
            .trace_forward(&LotKey::new("p", "L"), &opts)
            .expect("trace");
        assert_eq!(now.links.len(), 2);
    }

    #[test]
    fn details_refuse_ids_from_elsewhere() {
        let t = Tracker::in_memory();
        let ids = TraceIds {
            direction: TraceDirection::Forward,
            root: LotId(7),
            lots: Vec::new(),
            depths: Vec::new(),
        };
        let err = t
            .trace_details(&ids, &TraceOptions::default())
            .expect_err("unknown id");
        assert_eq!(err.kind_name(), "InvalidField");
        assert!(err.to_string().contains("lot id 7"), "{err}");
    }
}
