//! The in-memory index over the event log: catalog, ledger, lot graph and the
//! events themselves, with the rules that validate and apply each event.
//!
//! Validation happens before anything changes: [`State::apply`] first resolves and
//! checks every line of an event, and only then mutates. Every applied event keeps
//! the exact effects it had, so it can be retracted (a `void`) or unapplied (a
//! rolled-back batch) exactly.

use crate::hashing::FastMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use petgraph::Direction;
use rust_decimal::Decimal;

use crate::catalog::{Catalog, PartyRec, ProductRec};
use crate::error::{Error, Result};
use crate::event::{Event, EventBody, ShipItem};
use crate::graph::{Edge, LotGraph};
use crate::id_index::IdIndex;
use crate::ledger::{Ledger, Movement, Place, Role};
use crate::lot_attrs::{Inherited, LotAttrsRec};
use crate::model::{LotAttrs, LotKey, LotQty, LotStatus};
use crate::quantity::{Units, fmt_decimal};
use crate::table::Table;

/// What an event changed, kept so it can be reversed exactly.
///
/// Compact: the event's stock movements are not copied here, they are found in
/// the ledger through `lots` (each lot's movements are sorted by event index);
/// its links are a contiguous range of edge ids; what few events have (statuses,
/// deficits) sits behind one pointer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Effects {
    /// Distinct lots whose stock or status the event changed (liveness counting,
    /// and where its movements are): `State::fx_lots[lots.0 .. lots.1]`.
    pub(crate) lots: (u32, u32),
    /// The links it added: edge ids `edges.0 .. edges.1`.
    pub(crate) edges: (u32, u32),
    /// Statuses, deficits, and the movements of a voided event.
    pub(crate) rare: Option<Box<RareEffects>>,
}

/// The effects only some events have.
#[derive(Debug, Clone, Default)]
pub(crate) struct RareEffects {
    pub(crate) statuses: Vec<(u32, LotStatus)>,
    /// Stock taken beyond what was on hand (lenient mode).
    pub(crate) deficits: Vec<Deficit>,
    /// While the event is voided, the movements taken out of the ledger (so a
    /// rolled-back void can put them back).
    pub(crate) voided_moves: Vec<(u32, Movement)>,
}

impl Effects {
    /// The lots and statuses the event set.
    pub(crate) fn statuses(&self) -> &[(u32, LotStatus)] {
        self.rare.as_deref().map_or(&[], |r| &r.statuses)
    }

    /// Stock taken beyond what was on hand (lenient mode).
    pub(crate) fn deficits(&self) -> &[Deficit] {
        self.rare.as_deref().map_or(&[], |r| &r.deficits)
    }

    /// The ids of the links the event added.
    pub(crate) fn edge_ids(&self) -> std::ops::Range<u32> {
        self.edges.0..self.edges.1
    }

    /// Where the lots it changed sit in `State::fx_lots`.
    fn lot_range(&self) -> std::ops::Range<usize> {
        self.lots.0 as usize..self.lots.1 as usize
    }

    fn rare_mut(&mut self) -> &mut RareEffects {
        self.rare.get_or_insert_with(Box::default)
    }
}

#[derive(Debug, Clone)]
enum Undo {
    Product(u32, Option<ProductRec>),
    Party(String, Option<PartyRec>),
    Location(String, Option<PartyRec>),
    Lot(u32, LotAttrsRec),
    Container(u32, Option<u32>, usize),
}

/// Stock taken that was not on hand, recorded in lenient mode.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deficit {
    /// The event that took it.
    pub event_id: String,
    /// Product of the lot.
    pub product: String,
    /// Lot code.
    pub lot: String,
    /// Where it was taken.
    pub location: String,
    /// How much was taken (base unit).
    #[serde(serialize_with = "crate::report::ser_decimal")]
    pub requested: Decimal,
    /// How much was on hand (base unit).
    #[serde(serialize_with = "crate::report::ser_decimal")]
    pub on_hand: Decimal,
    /// The product's base unit.
    pub uom: String,
}

/// One recorded event and its bookkeeping.
#[derive(Debug, Clone)]
pub(crate) struct EventRec {
    /// The event's kind (`EventBody::kind_index`; named by [`EventRec::kind`]).
    /// The event itself is not kept: the cold paths read it back from the store
    /// (`event_log.rs`).
    kind: u8,
    /// The event's location (interned), kept only for an event that moved stock
    /// into or out of a container (whose own location reports fall back on when
    /// it has none); [`NO_PLACE`] otherwise.
    pub(crate) location: u32,
    /// For a void: the index of the event it voids ([`NONE`] otherwise).
    voids: u32,
    /// The index of the void that voids this event ([`NONE`] while live).
    voided_by: u32,
    /// The event id (what `State::by_id` finds it by), handed out by reports
    /// without copying.
    pub(crate) id: Arc<str>,
    /// The event's documents, shared by report rows without copying.
    pub(crate) docs: Arc<[crate::model::Document]>,
    /// When it was recorded, in microseconds since the epoch (what the stores
    /// keep). Its sequence number is not kept: it is its index plus one
    /// ([`State::seq`]).
    recorded_us: i64,
    /// `event.time`, kept beside the record's other hot fields (reports read it
    /// for every movement, without decoding the JSON).
    pub(crate) time: crate::event::Time,
    pub(crate) effects: Effects,
}

/// [`EventRec::voids`] and [`EventRec::voided_by`] when there is no such event.
const NONE: u32 = u32::MAX;

/// Whether an event is live once event `idx` (being voided) is not.
fn live_but(events: &Table<EventRec>, idx: u32) -> impl Fn(u32) -> bool + '_ {
    move |e| e != idx && events.get(e as usize).is_some_and(EventRec::live)
}

impl EventRec {
    pub(crate) fn live(&self) -> bool {
        self.voided_by == NONE
    }

    /// For a void: the index of the event it voids.
    pub(crate) fn voids(&self) -> Option<u32> {
        (self.voids != NONE).then_some(self.voids)
    }

    /// The index of the void that voids this event, if it is voided.
    pub(crate) fn voided_by(&self) -> Option<u32> {
        (self.voided_by != NONE).then_some(self.voided_by)
    }

    /// When the tracker recorded it.
    pub(crate) fn recorded_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.recorded_us).unwrap_or_default()
    }

    /// The event's kind (`EventBody::kind`).
    pub(crate) fn kind(&self) -> &'static str {
        crate::event::KINDS[self.kind as usize]
    }

    /// `time` in milliseconds since the epoch.
    pub(crate) fn time_ms(&self) -> i64 {
        self.time.timestamp_millis()
    }
}

/// [`EventRec::location`] when the record keeps none.
pub(crate) const NO_PLACE: u32 = u32::MAX;

/// How an event is kept in the log, handed to [`State::apply_mode`] with it.
pub(crate) struct Stored {
    /// Its documents, when the caller can give them up (`None`: copied from the
    /// event, or the shared empty list).
    pub(crate) docs: Option<Arc<[crate::model::Document]>>,
    pub(crate) seq: u64,
    pub(crate) recorded_at: DateTime<Utc>,
    /// Read back from the log (replay): recorded under the rules of its day, so
    /// the limits on quantities and conversions are not checked again.
    pub(crate) replayed: bool,
}

/// The stock movements of one event, lot by lot ([`State::event_moves`]): each
/// lot's movements are sorted by event, so the event's run is found by a binary
/// search and ends at the first movement of another event. (A plain struct
/// rather than `flat_map`, whose optimized code branches on a field of its
/// empty inner iterator, which valgrind reports as uninitialised.)
pub(crate) struct EventMoves<'a> {
    state: &'a State,
    idx: u32,
    /// The lots the event changed, not yet visited.
    lots: std::slice::Iter<'a, u32>,
    /// The lot whose movements `moves` walks.
    lot: u32,
    moves: std::slice::Iter<'a, Movement>,
}

impl<'a> Iterator for EventMoves<'a> {
    type Item = (u32, &'a Movement);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(m) = self.moves.next() {
                if m.event == self.idx {
                    return Some((self.lot, m));
                }
                self.moves = [].iter();
            }
            let &lot = self.lots.next()?;
            let moves = &self.state.ledger.lots[lot as usize].moves;
            let start = moves.partition_point(|m| m.event < self.idx);
            self.lot = lot;
            self.moves = moves[start..].iter();
        }
    }
}

/// The whole in-memory index.
#[derive(Debug, Default, Clone)]
pub(crate) struct State {
    pub(crate) catalog: Catalog,
    pub(crate) ledger: Ledger,
    pub(crate) graph: LotGraph,
    pub(crate) events: Table<EventRec>,
    /// Event ids to event indexes (the ids are read from the records).
    by_id: IdIndex,
    /// The lots each event changed, every event's list one after the other
    /// (`Effects::lots` is a range of it): no vector per event.
    fx_lots: Vec<u32>,
    /// How to undo each event applied since the last [`State::seal`], in order
    /// (a batch not yet stored can be rolled back exactly; once stored, this is
    /// dropped).
    pending: Vec<Vec<Undo>>,
    /// Buffers reused by `plan` and `commit`.
    spare: Spare,
}

/// Buffers a plan and its commit reuse from one event to the next (empty
/// between events), so that applying an event does not allocate them anew.
#[derive(Debug, Default, Clone)]
pub(crate) struct Spare {
    moves: Vec<PlannedMove>,
    edges: Vec<PlannedEdge>,
    lots: Vec<u32>,
}

/// The sizes of the index's tables at a point (see [`State::mark`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    events: usize,
    lots: usize,
    containers: usize,
    places: usize,
    parties: usize,
    products: usize,
}

/// How a lot line resolves during validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LotRef {
    Existing(u32),
    New(usize),
}

/// A lot an event creates: its product and code as the event names them.
struct NewLot<'a> {
    product: &'a str,
    lot: &'a str,
    attrs: LotAttrsRec,
}

/// A stock movement of a plan: lot, place, signed quantity, role.
type PlannedMove = (LotRef, Place, Decimal, Role);
/// A link of a plan: input lot, output lot, quantity in, quantity out.
type PlannedEdge = (LotRef, LotRef, Decimal, Decimal);

/// The checked plan of one event, applied by `commit`. Names are borrowed from
/// the event; the movement and link lists are the index's spare buffers
/// (`State::spare`), handed back by `commit`.
#[derive(Default)]
struct Plan<'a> {
    /// Strict stock checks (else shortfalls become deficits).
    strict: bool,
    /// Gap mode (partner documents, replay): a take from a lot (or container) this
    /// tracker never saw creates it and records the whole take as a deficit.
    gaps: bool,
    /// Check the limits of quantities and conversions (`quantity.rs`): when
    /// recording, not when replaying.
    limits: bool,
    products: Vec<(&'a str, ProductRec)>,
    new_lots: Vec<NewLot<'a>>,
    moves: Vec<PlannedMove>,
    edges: Vec<PlannedEdge>,
    statuses: Vec<(u32, LotStatus)>,
    containers: Vec<(u32, Option<u32>, Vec<LotRef>)>,
    party: Option<(bool, &'a str, PartyRec)>,
    retract: Option<u32>,
    deficits: Vec<Deficit>,
    /// Existing lots whose attributes a receipt or output fills in.
    lot_updates: Vec<(u32, LotAttrsRec)>,
}

impl State {
    /// Gives back the room the index's vectors keep for growth: after a replay,
    /// which builds the index in bulk, that room is a third of it. The next
    /// appends grow the vectors again as usual.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.events.shrink_to_fit();
        self.fx_lots.shrink_to_fit();
        self.pending.shrink_to_fit();
        self.ledger.shrink_to_fit();
        self.graph.shrink_to_fit();
    }

    /// Gives back the room only the index's large tables keep for growth (the
    /// event, lot and link tables and the shared list of the lots events
    /// changed): after a short replay on top of a checkpoint.
    pub(crate) fn shrink_tables(&mut self) {
        self.events.shrink_to_fit();
        self.fx_lots.shrink_to_fit();
        self.ledger.lots.shrink_to_fit();
        self.graph.edges.shrink_to_fit();
    }

    /// The sequence number of event `idx` in the log: the log is gap-free from 1
    /// and the index holds all of it, in order.
    pub(crate) fn seq(idx: u32) -> u64 {
        u64::from(idx) + 1
    }

    /// The sequence number of the last event in the index (0 when empty).
    pub(crate) fn last_seq(&self) -> u64 {
        self.events.len() as u64
    }

    /// The index of the event with this id.
    pub(crate) fn event_index(&self, id: &str) -> Option<u32> {
        self.by_id.find(id, |n| &*self.events[n as usize].id == id)
    }

    /// The event index of a live lot's key, or the right "unknown" error.
    pub(crate) fn lot_id(&self, product: &str, lot: &str, event_id: &str) -> Result<u32> {
        if let Some(id) = self.ledger.live(product, lot) {
            return Ok(id);
        }
        if self.catalog.product(product).is_none() {
            return Err(Error::UnknownProduct {
                event_id: event_id.to_string(),
                product: product.to_string(),
            });
        }
        Err(Error::UnknownLot {
            event_id: event_id.to_string(),
            product: product.to_string(),
            lot: lot.to_string(),
        })
    }

    fn inc_live(&mut self, lot: u32) {
        let r = &mut self.ledger.lots[lot as usize];
        r.live_refs += 1;
        if r.live_refs == 1 {
            self.catalog.lot_count_change(r.product, 1);
        }
    }

    fn dec_live(&mut self, lot: u32) {
        let r = &mut self.ledger.lots[lot as usize];
        if r.live_refs == 0 {
            return;
        }
        r.live_refs -= 1;
        if r.live_refs == 0 {
            self.catalog.lot_count_change(r.product, -1);
        }
    }

    /// Name of a place for messages and reports.
    pub(crate) fn place_name(&self, p: Place) -> String {
        match p {
            Place::Loc(l) => self.catalog.places.name(l).to_string(),
            Place::Container(c) => format!("container:{}", self.ledger.container_ids.name(c)),
        }
    }

    /// The location a place is at (a container's packing location).
    pub(crate) fn place_location(&self, p: Place) -> Option<u32> {
        match p {
            Place::Loc(l) => Some(l),
            Place::Container(c) => self
                .ledger
                .containers
                .get(c as usize)
                .and_then(|r| r.location),
        }
    }

    /// Validates `ev` and applies it as event number `idx`; on error nothing changed.
    /// In gap mode (`gaps`), stock taken from a lot or container never seen is
    /// recorded as a deficit instead of an unknown-lot error (EPCIS import of a
    /// partner's partial view; replay of what such an import stored).
    pub(crate) fn apply_mode(
        &mut self,
        ev: &Event,
        stored: Stored,
        strict: bool,
        gaps: bool,
    ) -> Result<()> {
        let Stored {
            docs,
            seq,
            recorded_at,
            replayed,
        } = stored;
        let idx = self.events.len() as u32;
        if seq != Self::seq(idx) {
            return Err(Error::Storage {
                message: format!(
                    "event `{}` has seq {seq} where seq {} was expected (a store's sequence numbers are gap-free from 1)",
                    ev.event_id,
                    Self::seq(idx)
                ),
            });
        }
        let recorded_us = recorded_at.timestamp_micros();
        let plan = self.plan(ev, strict, gaps, !replayed)?;
        let time_ms = ev.time.timestamp_millis();
        let party = match &ev.body {
            EventBody::Ship { customer, .. } | EventBody::Return { customer, .. } => {
                customer.as_deref()
            }
            EventBody::Receive { supplier, .. } => supplier.as_deref(),
            _ => None,
        }
        .filter(|p| !p.is_empty())
        .map(|p| self.catalog.party_names.intern(p));
        let location = match &ev.location {
            Some(l)
                if plan
                    .moves
                    .iter()
                    .any(|m| matches!(m.1, Place::Container(_))) =>
            {
                self.catalog.places.intern(l)
            }
            _ => NO_PLACE,
        };
        let (mut effects, undo) = self.commit(plan, idx, time_ms, party);
        self.pending.push(undo);
        let voids = self.plan_retract_target(ev);
        if let Some(target) = voids {
            let attrs = self.retract(target);
            if let Some(undo) = self.pending.last_mut() {
                undo.extend(attrs);
            }
            self.events[target as usize].voided_by = idx;
            // A void changes no lot itself (its lots are the last in the list).
            self.fx_lots.truncate(effects.lots.0 as usize);
            effects.lots.1 = effects.lots.0;
        }
        let id: Arc<str> = Arc::from(ev.event_id.as_str());
        let docs = match docs {
            Some(d) => d,
            None if ev.documents.is_empty() => self.catalog.no_docs.clone(),
            None => Arc::from(ev.documents.as_slice()),
        };
        self.events.push(EventRec {
            time: ev.time,
            location,
            kind: ev.body.kind_index(),
            voids: voids.unwrap_or(NONE),
            id,
            docs,
            recorded_us,
            voided_by: NONE,
            effects,
        });
        let events = &self.events;
        self.by_id.insert(idx, |n| &*events[n as usize].id);
        Ok(())
    }

    fn plan_retract_target(&self, ev: &Event) -> Option<u32> {
        match &ev.body {
            EventBody::Void { target, .. } => self.event_index(target),
            _ => None,
        }
    }

    /// The sizes of the index's tables, to roll back to with
    /// [`State::rollback_to`].
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            events: self.events.len(),
            lots: self.ledger.lots.len(),
            containers: self.ledger.containers.len(),
            places: self.catalog.places.len(),
            parties: self.catalog.party_names.len(),
            products: self.catalog.products.len(),
        }
    }

    /// Puts the index back exactly as it was at `mark`: the events applied
    /// since are unapplied, and the lots, containers, names and products they
    /// (or a rejected event's validation) created are forgotten, so a rejected
    /// batch leaves no trace, not even an interned name.
    pub(crate) fn rollback_to(&mut self, mark: &Mark) {
        while self.events.len() > mark.events && self.unapply_last() {}
        self.ledger.truncate(mark.lots, mark.containers);
        self.graph.truncate_nodes(mark.lots);
        self.catalog.places.truncate(mark.places);
        self.catalog.party_names.truncate(mark.parties);
        self.catalog.products.truncate(mark.products);
        self.catalog.product_recs.truncate(mark.products);
        self.catalog.live_lots.truncate(mark.products);
        self.seal();
    }

    /// The events applied since the last seal are stored: their undo
    /// information is no longer needed.
    pub(crate) fn seal(&mut self) {
        self.pending.clear();
    }

    /// Reverses the last applied event exactly (rollback of a batch not yet
    /// sealed). Returns whether there was one.
    pub(crate) fn unapply_last(&mut self) -> bool {
        let Some(rec) = self.events.pop() else {
            return false;
        };
        let undo = self.pending.pop().unwrap_or_default();
        let idx = self.events.len() as u32;
        self.by_id.remove(&*rec.id, |n| n == idx);
        if let Some(t) = rec.voids() {
            self.unretract(t);
            self.events[t as usize].voided_by = NONE;
        }
        let fx = rec.effects;
        self.remove_effects(idx, &fx);
        // The last event's lots are the last in the list.
        self.fx_lots.truncate(fx.lots.0 as usize);
        if fx.edges.1 > fx.edges.0 {
            self.graph.truncate_edges(fx.edges.0 as usize);
        }
        for u in undo.into_iter().rev() {
            match u {
                Undo::Product(id, prev) => self.catalog.product_recs[id as usize] = prev,
                Undo::Party(name, prev) => restore(&mut self.catalog.parties, name, prev),
                Undo::Location(name, prev) => restore(&mut self.catalog.locations, name, prev),
                Undo::Lot(id, attrs) => self.ledger.lots[id as usize].attrs = attrs,
                Undo::Container(c, loc, len) => {
                    let rec = &mut self.ledger.containers[c as usize];
                    rec.location = loc;
                    rec.lots.truncate(len);
                }
            }
        }
        true
    }

    /// The stock movements of live event `idx`, lot by lot (in the order the
    /// event first named each lot).
    pub(crate) fn event_moves(&self, idx: u32) -> EventMoves<'_> {
        EventMoves {
            state: self,
            idx,
            lots: self.fx_lots[self.events[idx as usize].effects.lot_range()].iter(),
            lot: 0,
            moves: [].iter(),
        }
    }

    /// Removes every effect of event `idx` (it is being voided); its movements
    /// are kept with its effects while it is voided. The attributes it gave its
    /// lots are taken back; returns how to put them back (for a rolled-back
    /// void).
    fn retract(&mut self, idx: u32) -> Vec<Undo> {
        let moves: Vec<(u32, Movement)> = self.event_moves(idx).map(|(l, m)| (l, *m)).collect();
        let mut fx = std::mem::take(&mut self.events[idx as usize].effects);
        self.remove_effects(idx, &fx);
        let undo = self.retract_attrs(idx, &fx, &moves);
        let packed = self.packed_into(idx, &moves);
        if !moves.is_empty() {
            fx.rare_mut().voided_moves = moves;
        }
        self.events[idx as usize].effects = fx;
        for c in packed {
            self.refresh_container(c);
        }
        undo
    }

    /// Gives each lot event `idx` touched the attributes it would have had if
    /// `idx` had never been recorded (`fx`: its effects, `moves`: its
    /// movements, already out of the ledger). A lot that more than one event
    /// described folds the other events' offers again; otherwise only the lot's
    /// first producer gave it attributes, so voiding that event clears them.
    fn retract_attrs(&mut self, idx: u32, fx: &Effects, moves: &[(u32, Movement)]) -> Vec<Undo> {
        let mut undo = Vec::new();
        let mut changed = Vec::new();
        for i in fx.lot_range() {
            let lot = self.fx_lots[i];
            let r = &self.ledger.lots[lot as usize];
            let attrs = match r.attrs.refolded(live_but(&self.events, idx)) {
                Some(a) => a,
                None => {
                    let produced = moves.iter().any(|(l, m)| {
                        *l == lot && matches!(m.role(), Role::Received | Role::Produced)
                    });
                    let first = r.first_producer().is_none_or(|e| e > idx);
                    if !(produced && first) {
                        continue;
                    }
                    LotAttrsRec::default()
                }
            };
            if attrs != r.attrs {
                // Even with the same expiry now, the expiry it had before some
                // later transform may have changed.
                changed.push(lot);
                let r = &mut self.ledger.lots[lot as usize];
                undo.push(Undo::Lot(lot, std::mem::replace(&mut r.attrs, attrs)));
            }
        }
        self.reinherit(idx, changed, &mut undo);
        undo
    }

    /// After a void of event `idx` changed the attributes of the lots `changed`:
    /// every output whose expiry a live transform inherited from them gets the
    /// expiry it would have had without `idx` (the earliest expiry its inputs
    /// had before that transform, less the margin the transform used), and so
    /// on downstream. Pushes how to undo each change onto `undo`.
    fn reinherit(&mut self, idx: u32, mut changed: Vec<u32>, undo: &mut Vec<Undo>) {
        while let Some(lot) = changed.pop() {
            let mut transforms: Vec<u32> = self.ledger.lots[lot as usize]
                .moves
                .iter()
                .filter(|m| {
                    // A transform before the void's target inherited nothing
                    // from what the target gave.
                    m.event > idx
                        && m.role() == Role::Consumed
                        && self.events[m.event as usize].kind() == "transform"
                })
                .map(|m| m.event)
                .collect();
            transforms.dedup();
            for t in transforms {
                let (mut ins, mut outs) = (Vec::new(), Vec::new());
                for (l, m) in self.event_moves(t) {
                    match m.role() {
                        Role::Consumed => ins.push(l),
                        Role::Produced => outs.push(l),
                        _ => {}
                    }
                }
                ins.dedup();
                outs.dedup();
                for out in outs {
                    let rec = &self.ledger.lots[out as usize];
                    let Some(offer) = rec.attrs.offer_of(t, rec.first_producer()) else {
                        continue;
                    };
                    let Some(how) = offer.inherited().filter(|h| h.event == t) else {
                        continue;
                    };
                    let live = live_but(&self.events, idx);
                    let inputs = ins.iter().map(|&i| {
                        let before_t = |e: u32| e < t && live(e);
                        (i, self.ledger.lots[i as usize].attrs.expiry_among(before_t))
                    });
                    let offer_now = match self.earliest_expiry(inputs) {
                        Some((date, from)) => {
                            offer.with_inherited(Some(date), Inherited { from, ..how })
                        }
                        None => offer.with_inherited(None, how),
                    };
                    if offer_now == offer {
                        continue;
                    }
                    let attrs = rec.attrs.with_offer_of(t, &offer_now, live);
                    changed.push(out);
                    let r = &mut self.ledger.lots[out as usize];
                    undo.push(Undo::Lot(out, std::mem::replace(&mut r.attrs, attrs)));
                }
            }
        }
    }

    /// The containers event `idx` packed `moves` into (none unless it is a pack).
    fn packed_into(&self, idx: u32, moves: &[(u32, Movement)]) -> Vec<u32> {
        if self.events[idx as usize].kind() != "pack" {
            return Vec::new();
        }
        let mut cs: Vec<u32> = moves
            .iter()
            .filter_map(|(_, m)| match m.place() {
                Place::Container(c) => Some(c),
                Place::Loc(_) => None,
            })
            .collect();
        cs.sort_unstable();
        cs.dedup();
        cs
    }

    /// Recomputes container `c`'s location and lots from its live packs, as if
    /// a voided pack had never been recorded: the location of the latest live
    /// pack (none if there is none), the lots live packs put in, in the order
    /// they first went in.
    fn refresh_container(&mut self, c: u32) {
        let place = Place::Container(c);
        let mut latest: Option<u32> = None;
        let mut lots: Vec<(u32, u32)> = Vec::new();
        for &l in &self.ledger.containers[c as usize].lots {
            let first = self.ledger.lots[l as usize]
                .moves
                .iter()
                .filter(|m| {
                    m.place() == place
                        && m.delta > Decimal::ZERO
                        && self.events[m.event as usize].kind() == "pack"
                })
                .map(|m| m.event)
                .inspect(|&e| latest = latest.max(Some(e)))
                .min();
            if let Some(first) = first {
                lots.push((first, l));
            }
        }
        // Stable: lots of one pack keep their order.
        lots.sort_by_key(|&(first, _)| first);
        let location = latest.and_then(|e| self.pack_location(e));
        let rec = &mut self.ledger.containers[c as usize];
        rec.location = location;
        rec.lots = lots.into_iter().map(|(_, l)| l).collect();
    }

    /// Reverses the stock movements, statuses, liveness and links `fx` made as
    /// event `idx` (shared by a void and a rolled-back batch).
    fn remove_effects(&mut self, idx: u32, fx: &Effects) {
        for i in fx.lot_range() {
            let lot = self.fx_lots[i];
            self.ledger.lots[lot as usize].remove_moves(idx);
            self.dec_live(lot);
        }
        for (lot, _) in fx.statuses() {
            self.ledger.lots[*lot as usize]
                .statuses_mut()
                .retain(|s| s.0 != idx);
        }
        for e in fx.edge_ids().rev() {
            self.graph.remove_edge(e);
        }
    }

    /// Puts back every effect of event `idx` (its void is being rolled back).
    fn unretract(&mut self, idx: u32) {
        let mut fx = std::mem::take(&mut self.events[idx as usize].effects);
        let moves = fx
            .rare
            .as_deref_mut()
            .map(|r| std::mem::take(&mut r.voided_moves))
            .unwrap_or_default();
        for (lot, m) in &moves {
            self.ledger.lots[*lot as usize].push_move(*m);
        }
        let packed = self.packed_into(idx, &moves);
        for (lot, s) in fx.statuses() {
            let st = self.ledger.lots[*lot as usize].statuses_mut();
            let pos = st.partition_point(|x| x.0 < idx);
            st.insert(pos, (idx, *s));
        }
        for i in fx.lot_range() {
            self.inc_live(self.fx_lots[i]);
        }
        for e in fx.edge_ids() {
            self.graph.restore_edge(e);
        }
        if fx.rare.as_deref().is_some_and(|r| {
            r.statuses.is_empty() && r.deficits.is_empty() && r.voided_moves.is_empty()
        }) {
            fx.rare = None;
        }
        self.events[idx as usize].effects = fx;
        for c in packed {
            self.refresh_container(c);
        }
    }

    fn units_for<'s>(&'s self, plan: &'s Plan<'_>, product: &str) -> Option<&'s Units> {
        plan.products
            .iter()
            .rev()
            .find(|(p, _)| *p == product)
            .map(|(_, r)| &r.units)
            .or_else(|| self.catalog.product(product).map(|(_, r)| &r.units))
    }

    /// Converts a line to base units, checking it is positive (or non-zero).
    fn base_qty(
        &self,
        plan: &Plan<'_>,
        ev: &Event,
        line: &LotQty,
        signed: bool,
    ) -> Result<Decimal> {
        let id = &ev.event_id;
        if signed {
            if line.quantity.is_zero() {
                return Err(Error::invalid(
                    id,
                    format!(
                        "adjust of lot (`{}`, `{}`) has quantity 0; give the signed change (+ found, - lost)",
                        line.product, line.lot
                    ),
                ));
            }
        } else if line.quantity <= Decimal::ZERO {
            return Err(Error::NonPositiveQuantity {
                event_id: id.clone(),
                product: line.product.clone(),
                lot: line.lot.clone(),
                quantity: line.quantity.to_string(),
            });
        }
        let units = self
            .units_for(plan, &line.product)
            .ok_or_else(|| Error::UnknownProduct {
                event_id: id.clone(),
                product: line.product.clone(),
            })?;
        // Most lines are in the base unit: no multiplication by one.
        let converted = units.factor(&line.uom).and_then(|f| {
            if f == Decimal::ONE {
                Some((line.quantity, f))
            } else {
                line.quantity.checked_mul(f).map(|b| (b, f))
            }
        });
        let Some((base, factor)) = converted else {
            // The unit's error (no conversion, or out of range), from the one
            // place that words it.
            return units.to_base_or_err(line.quantity, &line.uom, id, &line.product);
        };
        if plan.limits {
            let exact = base.scale() == line.quantity.scale() + factor.scale();
            let problem = if exact {
                crate::quantity::base_quantity_problem(base)
            } else {
                Some("the conversion into the base unit is not exact".into())
            };
            if let Some(why) = problem {
                return Err(Error::InvalidField {
                    event_id: id.clone(),
                    field: "quantity".into(),
                    reason: format!(
                        "{} {} of lot (`{}`, `{}`) is {} {}: {why}",
                        line.quantity, line.uom, line.product, line.lot, base, units.base
                    ),
                });
            }
        }
        Ok(base)
    }

    /// Resolves a lot that must already exist (in gap mode, one never seen is
    /// created, its product implied by the line's unit if unknown too).
    fn existing<'a>(&self, plan: &mut Plan<'a>, ev: &Event, line: &'a LotQty) -> Result<LotRef> {
        match self.lot_id(&line.product, &line.lot, &ev.event_id) {
            Ok(id) => Ok(LotRef::Existing(id)),
            Err(_) if plan.gaps => {
                self.implicit_product(plan, line);
                Ok(self.creatable(plan, line, LotAttrsRec::default()))
            }
            Err(e) => Err(e),
        }
    }

    /// Resolves a lot that may be created (receipt, transform output).
    fn creatable<'a>(&self, plan: &mut Plan<'a>, line: &'a LotQty, attrs: LotAttrsRec) -> LotRef {
        if let Some(id) = self.ledger.live(&line.product, &line.lot) {
            let rec = &self.ledger.lots[id as usize];
            let idx = self.events.len() as u32;
            let first = || rec.first_producer();
            // One offer per event: a second line of the lot joins the first's
            // (or, when that one was merged without being remembered, joins
            // the attributes it left).
            let planned = plan.lot_updates.iter().position(|(i, _)| *i == id);
            let (base, offer) = match planned {
                Some(p) => {
                    let update = &plan.lot_updates[p].1;
                    match update.offer_of(idx, first()) {
                        Some(earlier) => (&rec.attrs, earlier.with_line(&attrs)),
                        None => (update, attrs),
                    }
                }
                None => (&rec.attrs, attrs),
            };
            if let Some(updated) = base.offered(idx, &offer, first) {
                match planned {
                    Some(p) => plan.lot_updates[p].1 = updated,
                    None => plan.lot_updates.push((id, updated)),
                }
            }
            return LotRef::Existing(id);
        }
        if let Some(i) = plan
            .new_lots
            .iter()
            .position(|n| n.product == line.product && n.lot == line.lot)
        {
            let n = &mut plan.new_lots[i];
            n.attrs = n.attrs.with_line(&attrs);
            return LotRef::New(i);
        }
        plan.new_lots.push(NewLot {
            product: &line.product,
            lot: &line.lot,
            attrs,
        });
        LotRef::New(plan.new_lots.len() - 1)
    }

    /// An output's attributes: as given, or with the expiry inherited from the
    /// inputs when its product asks for it; records where the expiry came from.
    fn output_attrs(
        &self,
        plan: &Plan<'_>,
        product: &str,
        given: &LotAttrs,
        ins: &[(LotRef, Decimal, &LotQty)],
    ) -> LotAttrsRec {
        if given.expiry.is_some() {
            // Given by this event (the next one in the index).
            return LotAttrsRec::new(given, None, Some(self.events.len() as u32));
        }
        let margin = plan
            .products
            .iter()
            .rev()
            .find(|(p, _)| *p == product)
            .map(|(_, r)| r.rules.inherit_expiry)
            .or_else(|| {
                self.catalog
                    .product(product)
                    .map(|(_, r)| r.rules.inherit_expiry)
            })
            .flatten();
        let Some(margin) = margin else {
            return LotAttrsRec::new(given, None, None);
        };
        let inputs = ins.iter().filter_map(|(l, _, _)| match l {
            LotRef::Existing(i) => Some((*i, self.ledger.lots[*i as usize].attrs.expiry)),
            LotRef::New(_) => None,
        });
        let rec = LotAttrsRec::new(given, None, None);
        match self.earliest_expiry(inputs) {
            Some((date, from)) => {
                let event = self.events.len() as u32;
                rec.with_inherited(
                    Some(date),
                    Inherited {
                        event,
                        from,
                        margin,
                    },
                )
            }
            None => rec,
        }
    }

    /// The earliest of the inputs' expiries `(lot, expiry)`, with the lot that
    /// has it (ties: the first lot by name).
    fn earliest_expiry(
        &self,
        inputs: impl Iterator<Item = (u32, Option<chrono::NaiveDate>)>,
    ) -> Option<(chrono::NaiveDate, u32)> {
        inputs
            .filter_map(|(lot, e)| {
                e.map(|e| (e, self.ledger.lots[lot as usize].key.to_string(), lot))
            })
            .min()
            .map(|(e, _, lot)| (e, lot))
    }

    /// Declares a product implicitly (first receipt or output) with the line's unit.
    fn implicit_product<'a>(&self, plan: &mut Plan<'a>, line: &'a LotQty) {
        if self.units_for(plan, &line.product).is_none() {
            plan.products.push((
                &line.product,
                ProductRec {
                    units: Units::new(&line.uom),
                    uom: Arc::from(line.uom.as_str()),
                    description: None,
                    rules: Default::default(),
                    declared: false,
                },
            ));
        }
    }

    fn location_of(&mut self, ev: &Event) -> Result<u32> {
        match &ev.location {
            Some(l) => Ok(self.catalog.places.intern(l)),
            None => Err(Error::MissingField {
                event_id: ev.event_id.clone(),
                field: "location".into(),
            }),
        }
    }

    /// Checks a take against stock, accounting for earlier takes in the same plan.
    fn take(
        &self,
        plan: &mut Plan<'_>,
        ev: &Event,
        lot: LotRef,
        place: Place,
        qty: Decimal,
        role: Role,
    ) -> Result<()> {
        let id = match lot {
            LotRef::Existing(id) => id,
            LotRef::New(i) if plan.gaps => {
                // A gap: the lot was never seen here, so nothing is on hand.
                let n = &plan.new_lots[i];
                let planned: Decimal = plan
                    .moves
                    .iter()
                    .filter(|(l, p, _, _)| *l == lot && *p == place)
                    .map(|m| m.2)
                    .sum();
                if qty > planned {
                    plan.deficits.push(Deficit {
                        event_id: ev.event_id.clone(),
                        product: n.product.to_string(),
                        lot: n.lot.to_string(),
                        location: self.place_name(place),
                        requested: qty,
                        on_hand: planned,
                        uom: self
                            .units_for(plan, n.product)
                            .map(|u| u.base.clone())
                            .unwrap_or_default(),
                    });
                }
                plan.moves.push((lot, place, -qty, role));
                return Ok(());
            }
            LotRef::New(_) => {
                return Err(Error::invalid(
                    &ev.event_id,
                    "cannot take stock from a lot this event creates",
                ));
            }
        };
        let rec = &self.ledger.lots[id as usize];
        let planned: Decimal = plan
            .moves
            .iter()
            .filter(|(l, p, _, _)| *l == lot && *p == place)
            .map(|m| m.2)
            .sum();
        let on_hand = rec.at(place) + planned;
        if qty > on_hand {
            let uom = self.catalog.base_uom(rec.product).to_string();
            if plan.strict {
                return Err(Error::InsufficientStock {
                    event_id: ev.event_id.clone(),
                    product: rec.key.product.to_string(),
                    lot: rec.key.lot.to_string(),
                    location: self.place_name(place),
                    requested: fmt_decimal(qty),
                    on_hand: fmt_decimal(on_hand),
                    uom,
                });
            }
            plan.deficits.push(Deficit {
                event_id: ev.event_id.clone(),
                product: rec.key.product.to_string(),
                lot: rec.key.lot.to_string(),
                location: self.place_name(place),
                requested: qty,
                on_hand,
                uom,
            });
        }
        plan.moves.push((lot, place, -qty, role));
        Ok(())
    }

    fn plan<'a>(
        &mut self,
        ev: &'a Event,
        strict: bool,
        gaps: bool,
        limits: bool,
    ) -> Result<Plan<'a>> {
        let mut plan = Plan {
            strict,
            gaps,
            limits,
            moves: std::mem::take(&mut self.spare.moves),
            edges: std::mem::take(&mut self.spare.edges),
            ..Plan::default()
        };
        let id: &str = &ev.event_id;
        match &ev.body {
            EventBody::Receive {
                item,
                supplier,
                attrs,
            } => {
                let loc = self.location_of(ev)?;
                // An expiry given here has this event (the next one in the
                // index) as its source.
                let given_by = attrs.expiry.map(|_| self.events.len() as u32);
                let attrs = LotAttrsRec::new(attrs, supplier.as_deref(), given_by);
                self.implicit_product(&mut plan, item);
                let q = self.base_qty(&plan, ev, item, false)?;
                let lot = self.creatable(&mut plan, item, attrs);
                plan.moves.push((lot, Place::Loc(loc), q, Role::Received));
            }
            EventBody::Transform { inputs, outputs } => {
                if inputs.is_empty() || outputs.is_empty() {
                    return Err(Error::invalid(
                        id,
                        "a transform needs at least one input and one output",
                    ));
                }
                let loc = self.location_of(ev)?;
                let mut ins = Vec::new();
                for line in inputs {
                    let lot = self.existing(&mut plan, ev, line)?;
                    let q = self.base_qty(&plan, ev, line, false)?;
                    self.take(&mut plan, ev, lot, Place::Loc(loc), q, Role::Consumed)?;
                    ins.push((lot, q, line));
                }
                let mut outs = Vec::new();
                for o in outputs {
                    self.implicit_product(&mut plan, &o.item);
                    let q = self.base_qty(&plan, ev, &o.item, false)?;
                    let attrs = self.output_attrs(&plan, &o.item.product, &o.attrs, &ins);
                    let lot = self.creatable(&mut plan, &o.item, attrs);
                    if let LotRef::Existing(out_id) = lot {
                        for (l, _, line) in &ins {
                            if let LotRef::Existing(i) = l
                                && (*i == out_id
                                    || self.graph.reaches(&[out_id], Direction::Outgoing, *i))
                            {
                                return Err(Error::Cycle {
                                    event_id: id.to_string(),
                                    product: o.item.product.clone(),
                                    lot: o.item.lot.clone(),
                                    input_product: line.product.clone(),
                                    input_lot: line.lot.clone(),
                                });
                            }
                        }
                    }
                    plan.moves.push((lot, Place::Loc(loc), q, Role::Produced));
                    outs.push((lot, q));
                }
                for (i, qi, _) in &ins {
                    for (o, qo) in &outs {
                        plan.edges.push((*i, *o, *qi, *qo));
                    }
                }
            }
            EventBody::Ship { item, .. } => match item {
                ShipItem::Lot(line) => {
                    let loc = self.location_of(ev)?;
                    let lot = self.existing(&mut plan, ev, line)?;
                    let q = self.base_qty(&plan, ev, line, false)?;
                    self.take(&mut plan, ev, lot, Place::Loc(loc), q, Role::Shipped)?;
                }
                ShipItem::Container(c) => {
                    let cid = self.ledger.container_ids.get(c);
                    let contents = cid
                        .map(|c| self.ledger.container_contents(c))
                        .unwrap_or_default();
                    let Some(cid) = cid.filter(|_| !contents.is_empty()) else {
                        return Err(Error::UnknownContainer {
                            event_id: id.to_string(),
                            container: c.clone(),
                        });
                    };
                    for (lot, q) in contents {
                        plan.moves.push((
                            LotRef::Existing(lot),
                            Place::Container(cid),
                            -q,
                            Role::Shipped,
                        ));
                    }
                }
            },
            EventBody::Move {
                item,
                from_location,
                to_location,
            } => {
                let from = self.catalog.places.intern(from_location);
                let to = self.catalog.places.intern(to_location);
                if from == to {
                    return Err(Error::invalid(
                        id,
                        format!("move from `{from_location}` to the same location"),
                    ));
                }
                let lot = self.existing(&mut plan, ev, item)?;
                let q = self.base_qty(&plan, ev, item, false)?;
                self.take(&mut plan, ev, lot, Place::Loc(from), q, Role::Transfer)?;
                plan.moves.push((lot, Place::Loc(to), q, Role::Transfer));
            }
            EventBody::Pack {
                container,
                contents,
            } => {
                if contents.is_empty() {
                    return Err(Error::invalid(
                        id,
                        format!("pack into `{container}` has no contents"),
                    ));
                }
                let loc = self.location_of(ev)?;
                let c = self.ledger.container(container);
                let mut lots = Vec::new();
                for line in contents {
                    let lot = self.existing(&mut plan, ev, line)?;
                    let q = self.base_qty(&plan, ev, line, false)?;
                    self.take(&mut plan, ev, lot, Place::Loc(loc), q, Role::Transfer)?;
                    plan.moves
                        .push((lot, Place::Container(c), q, Role::Transfer));
                    lots.push(lot);
                }
                plan.containers.push((c, Some(loc), lots));
            }
            EventBody::Unpack {
                container,
                contents,
            } => {
                let known = self.ledger.container_ids.get(container);
                let known = match known {
                    None if plan.gaps => Some(self.ledger.container(container)),
                    k => k,
                };
                let Some(c) = known else {
                    return Err(Error::UnknownContainer {
                        event_id: id.to_string(),
                        container: container.clone(),
                    });
                };
                let loc = match &ev.location {
                    Some(l) => self.catalog.places.intern(l),
                    None => self.ledger.containers[c as usize].location.ok_or_else(|| {
                        Error::MissingField {
                            event_id: id.to_string(),
                            field: "location".into(),
                        }
                    })?,
                };
                for line in contents {
                    let lot = self.existing(&mut plan, ev, line)?;
                    let q = self.base_qty(&plan, ev, line, false)?;
                    self.take(&mut plan, ev, lot, Place::Container(c), q, Role::Transfer)?;
                    plan.moves.push((lot, Place::Loc(loc), q, Role::Transfer));
                }
            }
            EventBody::Adjust { item, .. } => {
                let loc = self.location_of(ev)?;
                let lot = self.existing(&mut plan, ev, item)?;
                let q = self.base_qty(&plan, ev, item, true)?;
                if q < Decimal::ZERO {
                    self.take(&mut plan, ev, lot, Place::Loc(loc), -q, Role::Adjusted)?;
                } else {
                    plan.moves.push((lot, Place::Loc(loc), q, Role::Adjusted));
                }
            }
            EventBody::Dispose { item, .. } | EventBody::Consume { item, .. } => {
                let role = if matches!(ev.body, EventBody::Dispose { .. }) {
                    Role::Disposed
                } else {
                    Role::Consumed
                };
                let loc = self.location_of(ev)?;
                let lot = self.existing(&mut plan, ev, item)?;
                let q = self.base_qty(&plan, ev, item, false)?;
                self.take(&mut plan, ev, lot, Place::Loc(loc), q, role)?;
            }
            EventBody::Return { item, .. } => {
                let loc = self.location_of(ev)?;
                let lot = self.existing(&mut plan, ev, item)?;
                let q = self.base_qty(&plan, ev, item, false)?;
                plan.moves.push((lot, Place::Loc(loc), q, Role::Returned));
            }
            EventBody::Status { status, lots, .. } => {
                if lots.is_empty() {
                    return Err(Error::invalid(id, "a status event needs at least one lot"));
                }
                for k in lots {
                    let l = self.lot_id(&k.product, &k.lot, id)?;
                    if !plan.statuses.iter().any(|s| s.0 == l) {
                        plan.statuses.push((l, *status));
                    }
                }
            }
            EventBody::Void { target, .. } => {
                let t = self
                    .event_index(target)
                    .ok_or_else(|| Error::UnknownEvent {
                        event_id: id.to_string(),
                        target: target.clone(),
                    })?;
                let rec = &self.events[t as usize];
                match rec.kind() {
                    "void" => {
                        return Err(Error::invalid(
                            id,
                            format!("`{target}` is itself a void; record the event again instead"),
                        ));
                    }
                    "product" | "party" | "location" => {
                        return Err(Error::invalid(
                            id,
                            format!(
                                "`{target}` is master data; record a corrected `{}` event instead",
                                rec.kind()
                            ),
                        ));
                    }
                    _ => {}
                }
                if let Some(by) = rec.voided_by() {
                    return Err(Error::invalid(
                        id,
                        format!(
                            "`{target}` is already voided by `{}`",
                            self.events[by as usize].id
                        ),
                    ));
                }
                if strict {
                    let later = self.void_conflicts(t);
                    if !later.is_empty() {
                        return Err(Error::VoidConflict {
                            event_id: id.to_string(),
                            target: target.clone(),
                            later,
                        });
                    }
                }
                plan.retract = Some(t);
            }
            EventBody::Product {
                product,
                uom,
                conversions,
                description,
                rules,
            } => {
                if plan.limits {
                    for (unit, factor) in conversions {
                        if let Some(why) = crate::quantity::conversion_factor_problem(*factor) {
                            return Err(Error::field(
                                id,
                                "conversions",
                                format!("`{unit}` = {factor} `{uom}`: {why}"),
                            ));
                        }
                    }
                    if let Some((lo, hi)) = rules.yield_range
                        && !(lo > Decimal::ZERO && lo <= hi && hi <= Decimal::from(1_000_000))
                    {
                        return Err(Error::field(
                            id,
                            "yield_range",
                            format!("[{lo}, {hi}] must have 0 < low <= high <= 1000000"),
                        ));
                    }
                }
                if let Some((pid, rec)) = self.catalog.product(product) {
                    let has_lots = self.catalog.live_lots(pid) > 0;
                    if rec.units.base != *uom && has_lots {
                        return Err(Error::invalid(
                            id,
                            format!(
                                "product `{product}` has lots kept in `{}`; its base unit cannot change to `{uom}`",
                                rec.units.base
                            ),
                        ));
                    }
                }
                plan.products.push((
                    product,
                    ProductRec {
                        uom: Arc::from(uom.as_str()),
                        units: Units {
                            base: uom.clone(),
                            conversions: conversions.clone(),
                        },
                        description: description.clone(),
                        rules: rules.clone(),
                        declared: true,
                    },
                ));
            }
            EventBody::MockRecall { lots, .. } => {
                for k in lots {
                    self.lot_id(&k.product, &k.lot, id)?;
                }
            }
            EventBody::Party { party, name, role } => {
                plan.party = Some((
                    true,
                    party,
                    PartyRec {
                        name: name.clone(),
                        role: role.clone(),
                    },
                ));
            }
            EventBody::Location {
                location,
                name,
                party,
            } => {
                plan.party = Some((
                    false,
                    location,
                    PartyRec {
                        name: name.clone(),
                        role: party.clone(),
                    },
                ));
            }
        }
        if plan.limits {
            self.check_stock_exact(&plan, ev)?;
        }
        Ok(plan)
    }

    /// Every stock the plan changes must stay exact: a decimal holds 28 digits,
    /// and a sum that needs more would be rounded (or, past 10^28, overflow).
    /// Within the limits of a quantity this takes a lot far beyond any real
    /// one; it is refused rather than rounded.
    fn check_stock_exact(&self, plan: &Plan<'_>, ev: &Event) -> Result<()> {
        for (i, &(lot, place, _, _)) in plan.moves.iter().enumerate() {
            let same = |m: &&PlannedMove| m.0 == lot && m.1 == place;
            if plan.moves[..i].iter().any(|m| same(&m)) {
                continue;
            }
            let mut stock = match lot {
                LotRef::Existing(id) => self.ledger.lots[id as usize].at(place),
                LotRef::New(_) => Decimal::ZERO,
            };
            for m in plan.moves[i..].iter().filter(same) {
                let next = stock
                    .checked_add(m.2)
                    .filter(|r| r.scale() == stock.scale().max(m.2.scale()));
                let Some(next) = next else {
                    let (product, code) = match lot {
                        LotRef::Existing(id) => {
                            let k = &self.ledger.lots[id as usize].key;
                            (k.product.to_string(), k.lot.to_string())
                        }
                        LotRef::New(k) => (
                            plan.new_lots[k].product.to_string(),
                            plan.new_lots[k].lot.to_string(),
                        ),
                    };
                    return Err(Error::InvalidField {
                        event_id: ev.event_id.clone(),
                        field: "quantity".into(),
                        reason: format!(
                            "lot (`{product}`, `{code}`) at `{}` would hold {stock} + {}: more digits than a decimal keeps exactly (28)",
                            self.place_name(place),
                            m.2
                        ),
                    });
                };
                stock = next;
            }
        }
        Ok(())
    }

    /// Later live events that would have taken something else if `target` had
    /// never been recorded: their stock would go missing, or a container they
    /// shipped whole would have held what `target` took out of it.
    fn void_conflicts(&self, target: u32) -> Vec<String> {
        let mut later: Vec<u32> = Vec::new();
        let mut checked: Vec<(u32, Place)> = Vec::new();
        // The containers the target packed into or took lots out of.
        let mut containers: Vec<(u32, Vec<u32>)> = Vec::new();
        for (lot, m) in self.event_moves(target) {
            if let Place::Container(c) = m.place() {
                match containers.iter_mut().find(|(x, _)| *x == c) {
                    Some((_, lots)) => lots.push(lot),
                    None => containers.push((c, vec![lot])),
                }
            }
        }
        let packed = self.events[target as usize].kind() == "pack";
        for (c, mut lots) in containers {
            lots.extend_from_slice(&self.ledger.containers[c as usize].lots);
            lots.sort_unstable();
            lots.dedup();
            let place = Place::Container(c);
            // Later events that took lots out of the container: whether each
            // shipped it whole.
            let mut takes: Vec<(u32, bool)> = Vec::new();
            for &l in &lots {
                for mv in &self.ledger.lots[l as usize].moves {
                    if mv.place() == place && mv.delta < Decimal::ZERO && mv.event > target {
                        takes.push((mv.event, mv.role() == Role::Shipped));
                    }
                }
            }
            takes.sort_unstable();
            takes.dedup();
            for (t, whole) in takes {
                // A shipment of the whole container would have taken what the
                // target took out; anything taken out went to where the
                // container was, which a pack may have decided.
                let conflict = (whole && !packed)
                    || (packed
                        && self.container_location_before(c, &lots, t, None)
                            != self.container_location_before(c, &lots, t, Some(target)));
                if conflict && !later.contains(&t) {
                    later.push(t);
                }
            }
        }
        for (lot, m) in self.event_moves(target) {
            if m.delta <= Decimal::ZERO || checked.contains(&(lot, m.place())) {
                continue;
            }
            checked.push((lot, m.place()));
            let mut bal = Decimal::ZERO;
            for mv in &self.ledger.lots[lot as usize].moves {
                if mv.place() != m.place() || mv.event == target {
                    continue;
                }
                bal += mv.delta;
                if bal < Decimal::ZERO && mv.event > target && !later.contains(&mv.event) {
                    later.push(mv.event);
                }
            }
        }
        later.sort_unstable();
        later
            .into_iter()
            .map(|e| self.events[e as usize].id.to_string())
            .collect()
    }

    /// Where container `c` (which held `lots`) was just before event `before`:
    /// the location of its latest live pack, leaving out event `skip`.
    fn container_location_before(
        &self,
        c: u32,
        lots: &[u32],
        before: u32,
        skip: Option<u32>,
    ) -> Option<u32> {
        let place = Place::Container(c);
        let latest = lots
            .iter()
            .flat_map(|&l| &self.ledger.lots[l as usize].moves)
            .filter(|m| {
                m.place() == place
                    && m.delta > Decimal::ZERO
                    && m.event < before
                    && Some(m.event) != skip
                    && self.events[m.event as usize].kind() == "pack"
            })
            .map(|m| m.event)
            .max()?;
        self.pack_location(latest)
    }

    /// Where pack `e` packed: a pack takes its contents from its location.
    fn pack_location(&self, e: u32) -> Option<u32> {
        self.event_moves(e).find_map(|(_, m)| match m.place() {
            Place::Loc(l) if m.delta < Decimal::ZERO => Some(l),
            _ => None,
        })
    }

    fn commit(
        &mut self,
        plan: Plan<'_>,
        idx: u32,
        time_ms: i64,
        party: Option<u32>,
    ) -> (Effects, Vec<Undo>) {
        let party_slot = party.and_then(|p| std::num::NonZeroU32::new(p.wrapping_add(1)));
        let undo = plan.products.len()
            + plan.lot_updates.len()
            + plan.new_lots.len()
            + plan.containers.len()
            + usize::from(plan.party.is_some());
        let mut undo: Vec<Undo> = Vec::with_capacity(undo);
        // The event's lots go straight to the end of the shared list.
        let first_lot = self.fx_lots.len();
        let mut rare = RareEffects {
            deficits: plan.deficits,
            ..RareEffects::default()
        };
        for (name, rec) in plan.products {
            let pid = self.catalog.products.intern(name);
            let prev = self.catalog.product_by_id(pid).cloned();
            undo.push(Undo::Product(pid, prev));
            self.catalog.set_product(name, rec);
        }
        for (id, attrs) in plan.lot_updates {
            let r = &mut self.ledger.lots[id as usize];
            undo.push(Undo::Lot(id, std::mem::replace(&mut r.attrs, attrs)));
        }
        let mut new_ids = std::mem::take(&mut self.spare.lots);
        for n in plan.new_lots {
            let pid = self.catalog.products.intern(n.product);
            // The lot's product name is the catalog's: one string per product,
            // not one per lot (heap, and a shared count for report rows).
            let key = LotKey {
                product: self.catalog.products.name(pid).clone(),
                lot: Arc::from(n.lot),
            };
            let id = self.ledger.get_or_create(key, pid);
            let r = &mut self.ledger.lots[id as usize];
            undo.push(Undo::Lot(id, std::mem::replace(&mut r.attrs, n.attrs)));
            r.product = pid;
            self.graph.ensure(id);
            new_ids.push(id);
        }
        let resolve = |r: LotRef| match r {
            LotRef::Existing(i) => i,
            LotRef::New(k) => new_ids[k],
        };
        let touch = |lots: &mut Vec<u32>, lot: u32| {
            if !lots[first_lot..].contains(&lot) {
                lots.push(lot);
            }
        };
        let mut moves = plan.moves;
        for (lot, place, delta, role) in moves.drain(..) {
            let lot = resolve(lot);
            let m = Movement::new(idx, place, delta, role, party_slot);
            self.ledger.lots[lot as usize].push_move(m);
            touch(&mut self.fx_lots, lot);
        }
        let first_edge = self.graph.edges.len() as u32;
        self.spare.moves = moves;
        let mut edges = plan.edges;
        for (from, to, qi, qo) in edges.drain(..) {
            let e = self.graph.add_edge(Edge {
                from: resolve(from),
                to: resolve(to),
                event: idx,
                time_ms,
                qty_in: qi,
                qty_out: qo,
                live: true,
            });
            debug_assert_eq!(e + 1, self.graph.edges.len() as u32);
        }
        self.spare.edges = edges;
        let edges = (first_edge, self.graph.edges.len() as u32);
        rare.statuses.reserve_exact(plan.statuses.len());
        for (lot, s) in plan.statuses {
            self.ledger.lots[lot as usize].statuses_mut().push((idx, s));
            rare.statuses.push((lot, s));
            touch(&mut self.fx_lots, lot);
        }
        for (c, loc, lots) in plan.containers {
            let rec = &mut self.ledger.containers[c as usize];
            undo.push(Undo::Container(c, rec.location, rec.lots.len()));
            rec.location = loc;
            for l in lots {
                let l = resolve(l);
                if !rec.lots.contains(&l) {
                    rec.lots.push(l);
                }
            }
        }
        if let Some((is_party, name, rec)) = plan.party {
            let map = if is_party {
                &mut self.catalog.parties
            } else {
                &mut self.catalog.locations
            };
            let prev = map.insert(name.to_string(), rec);
            undo.push(if is_party {
                Undo::Party(name.to_string(), prev)
            } else {
                Undo::Location(name.to_string(), prev)
            });
        }
        for i in first_lot..self.fx_lots.len() {
            self.inc_live(self.fx_lots[i]);
        }
        new_ids.clear();
        self.spare.lots = new_ids;
        let lots_range = (first_lot as u32, self.fx_lots.len() as u32);
        let _ = plan.retract;
        let rare = (!rare.statuses.is_empty() || !rare.deficits.is_empty()).then(|| Box::new(rare));
        (
            Effects {
                lots: lots_range,
                edges,
                rare,
            },
            undo,
        )
    }
}

fn restore(map: &mut FastMap<String, PartyRec>, name: String, prev: Option<PartyRec>) {
    match prev {
        Some(p) => {
            map.insert(name, p);
        }
        None => {
            map.remove(&name);
        }
    }
}

/// The checkpoint form of the index (`checkpoint.rs`): catalog, ledger, the
/// event records, graph and the shared list of the lots each event changed. The
/// event-id index is not written: it is rebuilt from the records.
mod checkpoint {
    use super::*;
    use crate::checkpoint::Bounds;
    use crate::checkpoint::codec::{Get, Got, Put, Reader, Writer, corrupt};
    use crate::ledger::checkpoint::get_movement;
    use crate::model::Document;

    impl Put for Deficit {
        fn put(&self, w: &mut Writer<'_>) {
            w.str(&self.event_id);
            w.str(&self.product);
            w.str(&self.lot);
            w.str(&self.location);
            self.requested.put(w);
            self.on_hand.put(w);
            w.str(&self.uom);
        }
    }

    impl Get for Deficit {
        fn get(r: &mut Reader<'_>) -> Got<Self> {
            Ok(Deficit {
                event_id: r.string()?,
                product: r.string()?,
                lot: r.string()?,
                location: r.string()?,
                requested: Decimal::get(r)?,
                on_hand: Decimal::get(r)?,
                uom: r.string()?,
            })
        }
    }

    impl Put for Document {
        fn put(&self, w: &mut Writer<'_>) {
            w.str(&self.doc_type);
            w.str(&self.id);
        }
    }

    impl Get for Document {
        fn get(r: &mut Reader<'_>) -> Got<Self> {
            Ok(Document {
                doc_type: r.string()?,
                id: r.string()?,
            })
        }
    }

    /// An index or [`NONE`].
    fn get_link(r: &mut Reader<'_>, bound: usize, what: &str) -> Got<u32> {
        match r.u32()? {
            NONE => Ok(NONE),
            v if (v as usize) < bound => Ok(v),
            v => Err(crate::checkpoint::codec::bad_index(what, v, bound)),
        }
    }

    /// A range `(start, end)` within `0..=bound`.
    fn get_range(r: &mut Reader<'_>, bound: usize, what: &str) -> Got<(u32, u32)> {
        let (a, b) = (r.u32()?, r.u32()?);
        if a > b || b as usize > bound {
            return Err(corrupt(format!(
                "{what} {a}..{b} is out of range (0..{bound})"
            )));
        }
        Ok((a, b))
    }

    impl EventRec {
        fn put(&self, w: &mut Writer<'_>) {
            w.u8(self.kind);
            w.u32(self.location);
            w.u32(self.voids);
            w.u32(self.voided_by);
            w.str(&self.id);
            w.put_list(&self.docs);
            w.i64(self.recorded_us);
            self.time.put(w);
            let fx = &self.effects;
            w.u32(fx.lots.0);
            w.u32(fx.lots.1);
            w.u32(fx.edges.0);
            w.u32(fx.edges.1);
            w.opt(fx.rare.as_deref(), |w, rare| {
                w.list(&rare.statuses, |w, s| {
                    w.u32(s.0);
                    s.1.put(w);
                });
                w.put_list(&rare.deficits);
                w.list(&rare.voided_moves, |w, m| {
                    w.u32(m.0);
                    m.1.put(w);
                });
            });
        }

        fn get(r: &mut Reader<'_>, b: &Bounds, no_docs: &Arc<[Document]>) -> Got<EventRec> {
            let kind = r.u8()?;
            if kind as usize >= crate::event::KINDS.len() {
                return Err(corrupt(format!("event kind {kind}")));
            }
            let location = get_link(r, b.places, "event location")?;
            let voids = get_link(r, b.events, "voided event")?;
            let voided_by = get_link(r, b.events, "voiding event")?;
            let id = r.arc_str()?;
            let docs: Vec<Document> = r.get_list("documents")?;
            let docs = if docs.is_empty() {
                no_docs.clone()
            } else {
                Arc::from(docs)
            };
            let recorded_us = r.i64()?;
            let time = crate::event::Time::get(r)?;
            let lots = get_range(r, b.fx_lots, "event lots")?;
            let edges = get_range(r, b.edges, "event links")?;
            let rare = r.opt(|r| {
                // (lot, status): the lot is bounded by the lots, not the events.
                let statuses = r.list("statuses", 64, |r| {
                    Ok((r.index(b.lots, "status lot")?, LotStatus::get(r)?))
                })?;
                let deficits = r.get_list("deficits")?;
                let voided_moves = r.list("voided movements", 64, |r| {
                    Ok((r.index(b.lots, "voided movement lot")?, get_movement(r, b)?))
                })?;
                Ok(Box::new(RareEffects {
                    statuses,
                    deficits,
                    voided_moves,
                }))
            })?;
            Ok(EventRec {
                kind,
                location,
                voids,
                voided_by,
                id,
                docs,
                recorded_us,
                time,
                effects: Effects { lots, edges, rare },
            })
        }
    }

    /// The graph and the list of the lots each event changed.
    fn get_graph_and_lots(r: &mut Reader<'_>, b: &Bounds) -> Got<(LotGraph, Vec<u32>)> {
        let graph = LotGraph::get(r, b)?;
        let fx_lots = r.list("event lots", b.fx_lots, |r| r.index(b.lots, "event lot"))?;
        if fx_lots.len() != b.fx_lots {
            return Err(corrupt(
                "the list of the lots events changed has the wrong size",
            ));
        }
        Ok((graph, fx_lots))
    }

    impl State {
        /// The sizes a checkpoint's header gives, so every index read back can
        /// be checked.
        pub(crate) fn bounds(&self) -> Bounds {
            Bounds {
                lots: self.ledger.lots.len(),
                events: self.events.len(),
                edges: self.graph.edges.len(),
                places: self.catalog.places.len(),
                containers: self.ledger.containers.len(),
                parties: self.catalog.party_names.len(),
                fx_lots: self.fx_lots.len(),
            }
        }

        /// Writes the index. Nothing may be pending: the caller holds the store,
        /// so every applied event is stored.
        pub(crate) fn put(&self, w: &mut Writer<'_>) {
            debug_assert!(self.pending.is_empty());
            self.catalog.put(w);
            self.ledger.put(w);
            w.list_of(self.events.len(), self.events.iter(), |w, e| e.put(w));
            self.graph.put(w);
            w.put_list(&self.fx_lots);
        }

        /// Reads what [`State::put`] wrote, for an index of the sizes `b`.
        pub(crate) fn get(r: &mut Reader<'_>, b: &Bounds) -> Got<State> {
            let catalog = Catalog::get(r)?;
            if catalog.places.len() != b.places || catalog.party_names.len() != b.parties {
                return Err(corrupt("the catalog's sizes differ from the header"));
            }
            let no_docs = catalog.no_docs.clone();
            // The hash indexes are rebuilt on the second core while the next
            // part is decoded: the lots' while the events are, the events'
            // while the graph is.
            let (ledger, (events, by_id, graph, fx_lots)) =
                Ledger::get_then(r, &catalog, b, |r| {
                    let events = r.table("events", |r| EventRec::get(r, b, &no_docs))?;
                    if events.len() != b.events {
                        return Err(corrupt(format!(
                            "{} events where the header says {}",
                            events.len(),
                            b.events
                        )));
                    }
                    let (by_id, rest) = std::thread::scope(|s| {
                        let by_id = s.spawn(|| {
                            let mut by_id = IdIndex::with_capacity(events.len());
                            for n in 0..events.len() as u32 {
                                by_id.insert(n, |m| &*events[m as usize].id);
                            }
                            by_id
                        });
                        let rest = get_graph_and_lots(r, b);
                        let by_id = by_id
                            .join()
                            .map_err(|_| corrupt("the thread indexing the events panicked"));
                        (by_id, rest)
                    });
                    let (graph, fx_lots) = rest?;
                    Ok((events, by_id?, graph, fx_lots))
                })?;
            Ok(State {
                catalog,
                ledger,
                graph,
                events,
                by_id,
                fx_lots,
                pending: Vec::new(),
                spare: Spare::default(),
            })
        }
    }
}
