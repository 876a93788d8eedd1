//! The bare ingest baseline: the least work an index of lots must do to take the
//! same typed events and answer traces and balances afterwards, with nothing else.
//! It is to ingest what [`crate::Csr`] is to the forward trace: the floor on this
//! machine that lottrack's `Tracker::record_batch` is measured against.
//!
//! Per event it takes the id (moved, not copied) into a hash table, finds or adds
//! each lot by its `(product, lot)` key (foldhash over a table of record numbers,
//! the keys moved into the records), converts each quantity into the product's
//! base unit, adds it to the lot's one stock total and appends a movement `(lot,
//! delta)` to one flat list, and appends a transform's links to one flat list. A
//! void looks its target up and reverses the target's movements and links.
//! [`BareIndex::finish`] then builds, by counting sort, the links in both
//! directions and each lot's movements (what traces, recalls and the mass
//! balance read).
//!
//! What it leaves out, and lottrack does: refusing events (stock short, unknown
//! lots, duplicate ids, bad units or limits), stock per location and container,
//! lot attributes and statuses, parties and documents, undo of a refused batch,
//! results per event, the store, and an index that answers between two batches.
//!
//! [`ingest_with_log`] adds the one part of the store an in-memory tracker
//! cannot leave out: the log of the events as given, kept on a second thread
//! while the next events are indexed, each batch in the log before the next one
//! starts; either as JSON text, as a tracker's memory store keeps it, or as the
//! events themselves, the cheapest log there is. The index then copies the
//! strings it keeps, since the events go to the log whole.

use hashbrown::HashTable;
use lottrack_core::{Event, EventBody, LotQty, ShipItem};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::mem::take;

/// A product's base unit and its conversions: (unit, base units in one).
type Units = (String, Vec<(String, Decimal)>);

/// The bare index (see the module documentation).
///
/// ```
/// use lottrack_benches::bare_ingest::BareIndex;
/// use lottrack_core::{Event, LotQty, parse_time};
/// let t = parse_time("2026-03-01T08:00:00Z").unwrap();
/// let line = LotQty::new("spinach", "F-1", "500", "kg").unwrap();
/// let mut ix = BareIndex::new();
/// ix.take(&mut Event::receive(t, "plant-1", line, Some("farm-a"))).unwrap();
/// ix.finish();
/// let lot = ix.lot("spinach", "F-1").unwrap();
/// assert_eq!(ix.stock[lot as usize].to_string(), "500");
/// ```
#[derive(Default)]
pub struct BareIndex {
    /// Whether the strings it keeps are copied (the events go on whole to a
    /// log) rather than moved out of the events.
    copies: bool,
    hasher: foldhash::fast::FixedState,
    event_ids: Vec<Box<str>>,
    event_table: HashTable<u32>,
    /// Where each event's movements start in `moves` (one more entry than events).
    event_moves: Vec<u32>,
    /// Where each event's links start in `links` (likewise).
    event_links: Vec<u32>,
    lot_keys: Vec<(Box<str>, Box<str>)>,
    lot_table: HashTable<u32>,
    /// Each lot's stock over every place, in its product's base unit.
    pub stock: Vec<Decimal>,
    /// Every movement: (lot, signed change in the base unit); voided ones zeroed.
    moves: Vec<(u32, Decimal)>,
    /// Every link: (input lot, output lot); voided ones set to `u32::MAX`.
    links: Vec<(u32, u32)>,
    /// Products: base unit and conversions into it.
    units: HashMap<String, Units, foldhash::fast::FixedState>,
    /// Built by [`BareIndex::finish`]: links forward and backward, movements per lot.
    pub forward: crate::Csr,
    /// See `forward`.
    pub backward: crate::Csr,
    /// Each lot's movements (indexes into the movement list), by lot.
    pub lot_moves: crate::Csr,
}

impl BareIndex {
    /// An empty index.
    pub fn new() -> Self {
        BareIndex {
            event_moves: vec![0],
            event_links: vec![0],
            ..BareIndex::default()
        }
    }

    /// Number of lots.
    pub fn lots(&self) -> usize {
        self.lot_keys.len()
    }

    /// The id of a lot by its key.
    pub fn lot(&self, product: &str, lot: &str) -> Option<u32> {
        let h = self.hasher.hash_one((product, lot));
        self.lot_table
            .find(h, |&n| {
                let k = &self.lot_keys[n as usize];
                *k.0 == *product && *k.1 == *lot
            })
            .copied()
    }

    /// A part of the event the index keeps: moved out of it, or copied.
    fn own<T: Clone + Default>(&self, v: &mut T) -> T {
        if self.copies { v.clone() } else { take(v) }
    }

    fn lot_or_add(&mut self, product: String, lot: String) -> u32 {
        let h = self.hasher.hash_one((product.as_str(), lot.as_str()));
        let keys = &self.lot_keys;
        if let Some(&n) = self.lot_table.find(h, |&n| {
            let k = &keys[n as usize];
            *k.0 == *product && *k.1 == *lot
        }) {
            return n;
        }
        let n = self.lot_keys.len() as u32;
        self.lot_keys
            .push((product.into_boxed_str(), lot.into_boxed_str()));
        self.stock.push(Decimal::ZERO);
        let (keys, hasher) = (&self.lot_keys, &self.hasher);
        self.lot_table.insert_unique(h, n, |&m| {
            let k = &keys[m as usize];
            hasher.hash_one((&*k.0, &*k.1))
        });
        n
    }

    fn event_index(&self, id: &str) -> Option<u32> {
        let h = self.hasher.hash_one(id);
        self.event_table
            .find(h, |&n| *self.event_ids[n as usize] == *id)
            .copied()
    }

    fn base(&self, line: &LotQty) -> Result<Decimal, String> {
        let Some((base, conv)) = self.units.get(&line.product) else {
            return Ok(line.quantity);
        };
        if line.uom == *base {
            return Ok(line.quantity);
        }
        conv.iter()
            .find(|(u, _)| *u == line.uom)
            .and_then(|(_, f)| line.quantity.checked_mul(*f))
            .ok_or_else(|| {
                format!(
                    "{} {} of {}: no conversion",
                    line.quantity, line.uom, line.product
                )
            })
    }

    fn line(&mut self, line: &mut LotQty, sign: i8) -> Result<u32, String> {
        let q = self.base(line)?;
        let (product, lot) = (self.own(&mut line.product), self.own(&mut line.lot));
        let lot = self.lot_or_add(product, lot);
        let d = if sign < 0 { -q } else { q };
        self.stock[lot as usize] += d;
        self.moves.push((lot, d));
        Ok(lot)
    }

    /// Takes one event: the strings it keeps are moved out of it, the rest is
    /// left to the caller to free.
    pub fn take(&mut self, ev: &mut Event) -> Result<(), String> {
        let idx = self.event_ids.len() as u32;
        let sign = sign(&ev.body);
        match &mut ev.body {
            EventBody::Receive { item, .. }
            | EventBody::Return { item, .. }
            | EventBody::Ship {
                item: ShipItem::Lot(item),
                ..
            }
            | EventBody::Dispose { item, .. }
            | EventBody::Consume { item, .. }
            | EventBody::Adjust { item, .. } => {
                self.line(item, sign)?;
            }
            EventBody::Move { item, .. } => {
                // Out of one place, into another: net zero, two movements.
                let lot = self.line(item, -1)?;
                let d = -self.moves[self.moves.len() - 1].1;
                self.stock[lot as usize] += d;
                self.moves.push((lot, d));
            }
            EventBody::Transform { inputs, outputs } => {
                let first = self.moves.len();
                for i in inputs {
                    self.line(i, -1)?;
                }
                let outs = self.moves.len();
                for o in outputs {
                    self.line(&mut o.item, 1)?;
                }
                for i in first..outs {
                    for o in outs..self.moves.len() {
                        self.links.push((self.moves[i].0, self.moves[o].0));
                    }
                }
            }
            EventBody::Void { target, .. } => {
                let t = self
                    .event_index(target)
                    .ok_or_else(|| format!("void {}: no event {target}", ev.event_id))?;
                let (a, b) = (
                    self.event_moves[t as usize] as usize,
                    self.event_moves[t as usize + 1] as usize,
                );
                for m in a..b {
                    let (lot, d) = self.moves[m];
                    self.stock[lot as usize] -= d;
                    self.moves[m].1 = Decimal::ZERO;
                }
                let (a, b) = (
                    self.event_links[t as usize] as usize,
                    self.event_links[t as usize + 1] as usize,
                );
                for l in &mut self.links[a..b] {
                    *l = (u32::MAX, u32::MAX);
                }
            }
            EventBody::Product {
                product,
                uom,
                conversions,
                ..
            } => {
                let (product, uom) = (self.own(product), self.own(uom));
                let conversions = self.own(conversions).into_iter().collect();
                self.units.insert(product, (uom, conversions));
            }
            EventBody::Status { .. }
            | EventBody::Party { .. }
            | EventBody::Location { .. }
            | EventBody::MockRecall { .. } => {}
            other => {
                return Err(format!(
                    "event {}: the bare baseline does not take {} events",
                    ev.event_id,
                    other.kind()
                ));
            }
        }
        let h = self.hasher.hash_one(ev.event_id.as_str());
        let id = self.own(&mut ev.event_id);
        self.event_ids.push(id.into_boxed_str());
        let (ids, hasher) = (&self.event_ids, &self.hasher);
        self.event_table
            .insert_unique(h, idx, |&m| hasher.hash_one(&*ids[m as usize]));
        self.event_moves.push(self.moves.len() as u32);
        self.event_links.push(self.links.len() as u32);
        Ok(())
    }

    /// Builds the links in both directions and each lot's movements.
    pub fn finish(&mut self) {
        self.event_ids.shrink_to_fit();
        self.event_moves.shrink_to_fit();
        self.event_links.shrink_to_fit();
        self.lot_keys.shrink_to_fit();
        self.stock.shrink_to_fit();
        self.moves.shrink_to_fit();
        self.links.shrink_to_fit();
        let n = self.lot_keys.len();
        let live = || self.links.iter().copied().filter(|l| l.0 != u32::MAX);
        self.forward = crate::Csr::build(n, live());
        self.backward = crate::Csr::build(n, live().map(|(a, b)| (b, a)));
        self.lot_moves = crate::Csr::build(
            n,
            self.moves
                .iter()
                .enumerate()
                .map(|(i, (lot, _))| (*lot, i as u32)),
        );
    }
}

/// Takes `events` into a new bare index in batches of `n` (moved, as
/// `record_in_batches` hands them to a tracker) and finishes it. What is left of
/// each batch is freed on a second thread, as a tracker frees its batches on its
/// writing thread.
///
/// ```
/// use lottrack_benches::{bare_ingest, generator};
/// let (chain, events) = generator::generate_vec(&generator::Config::new(1_000));
/// let ix = bare_ingest::ingest(events, 1_000).unwrap();
/// assert!(ix.lots() >= chain.lots());
/// ```
pub fn ingest(events: Vec<Event>, n: usize) -> Result<BareIndex, String> {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<Event>>();
    let freer = std::thread::spawn(move || rx.into_iter().for_each(drop));
    let ix = ingest_into(events, n, |chunk| {
        // The thread only ends once `tx` is dropped: it is alive here.
        let _ = tx.send(chunk);
    });
    drop(tx);
    let _ = freer.join();
    ix
}

/// The log [`ingest_with_log`] keeps, in order.
#[derive(Debug)]
pub enum Log {
    /// Each event's JSON ([`Event::to_json`]), as a tracker's memory store
    /// keeps it.
    Json(Vec<Box<str>>),
    /// The events themselves, kept whole: the cheapest log there is.
    Events(Vec<Event>),
}

impl Log {
    /// How many events it holds.
    pub fn len(&self) -> usize {
        match self {
            Log::Json(rows) => rows.len(),
            Log::Events(events) => events.len(),
        }
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keep(&mut self, chunk: Vec<Event>) {
        match self {
            Log::Json(rows) => rows.extend(chunk.iter().map(|e| e.to_json().into_boxed_str())),
            Log::Events(events) => events.extend(chunk),
        }
    }
}

/// Events handed to the log thread at a time within a batch.
const LOG_CHUNK: usize = 64;

/// Takes `events` into a new bare index in batches of `n`, as [`ingest`], and
/// keeps their log in the form `log` starts as (`Log::Json(Vec::new())` or
/// `Log::Events(Vec::new())`): a second thread logs chunks of the batch already
/// indexed, and a batch ends once its last event is in the log. Returns the
/// finished index and the log.
///
/// ```
/// use lottrack_benches::bare_ingest::{self, Log};
/// use lottrack_benches::generator;
/// let (_, events) = generator::generate_vec(&generator::Config::new(1_000));
/// let n = events.len();
/// let (ix, log) = bare_ingest::ingest_with_log(events.clone(), 1_000, Log::Json(Vec::new())).unwrap();
/// let Log::Json(rows) = log else { panic!("a JSON log") };
/// assert_eq!(rows.len(), n);
/// assert!(rows[0].starts_with("{\"event_id\":"));
/// let (same, log) = bare_ingest::ingest_with_log(events, 1_000, Log::Events(Vec::new())).unwrap();
/// assert_eq!(log.len(), n);
/// assert_eq!(same.stock, ix.stock);
/// ```
pub fn ingest_with_log(events: Vec<Event>, n: usize, log: Log) -> Result<(BareIndex, Log), String> {
    use std::sync::mpsc::{channel, sync_channel};
    // A chunk of events to log, or `None`: the batch is sent, say when logged.
    let (tx, rx) = sync_channel::<Option<Vec<Event>>>(8);
    let (done_tx, done_rx) = channel::<()>();
    let logger = std::thread::spawn(move || {
        let mut log = log;
        while let Some(msg) = recv_spinning(&rx) {
            match msg {
                Some(chunk) => log.keep(chunk),
                None => {
                    let _ = done_tx.send(());
                }
            }
        }
        log
    });
    let mut ix = BareIndex::new();
    ix.copies = true;
    let mut evs = events.into_iter();
    let taken = loop {
        let mut batch: Vec<Event> = evs.by_ref().take(n).collect();
        if batch.is_empty() {
            break Ok(());
        }
        let mut failed = None;
        while !batch.is_empty() && failed.is_none() {
            let mut chunk: Vec<Event> = batch.drain(..LOG_CHUNK.min(batch.len())).collect();
            failed = chunk.iter_mut().find_map(|e| ix.take(e).err());
            // The logger only ends once `tx` is dropped: it is alive here.
            let _ = tx.send(Some(chunk));
        }
        let _ = tx.send(None);
        let _ = recv_spinning(&done_rx);
        if let Some(e) = failed {
            break Err(e);
        }
    };
    drop(tx);
    let log = logger
        .join()
        .map_err(|_| "the log thread panicked".to_string())?;
    taken?;
    ix.finish();
    Ok((ix, log))
}

/// Receives from `rx`, spinning for up to a millisecond before sleeping, as a
/// tracker's writing thread and its caller wait for each other (a sleeping
/// thread is woken late on a VM); `None` once the sender is gone.
fn recv_spinning<T>(rx: &std::sync::mpsc::Receiver<T>) -> Option<T> {
    use std::sync::mpsc::TryRecvError;
    let start = std::time::Instant::now();
    loop {
        match rx.try_recv() {
            Ok(v) => return Some(v),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) if start.elapsed().as_micros() < 1000 => {
                std::hint::spin_loop();
            }
            Err(TryRecvError::Empty) => return rx.recv().ok(),
        }
    }
}

/// [`ingest`] on one thread: what is left of each batch is freed in line.
pub fn ingest_one_thread(events: Vec<Event>, n: usize) -> Result<BareIndex, String> {
    ingest_into(events, n, drop)
}

fn ingest_into(
    events: Vec<Event>,
    n: usize,
    mut free: impl FnMut(Vec<Event>),
) -> Result<BareIndex, String> {
    let mut ix = BareIndex::new();
    let mut evs = events.into_iter();
    loop {
        let mut chunk: Vec<_> = evs.by_ref().take(n).collect();
        if chunk.is_empty() {
            break;
        }
        for e in &mut chunk {
            ix.take(e)?;
        }
        free(chunk);
    }
    ix.finish();
    Ok(ix)
}

/// +1 for what adds stock, −1 for what takes it (`Adjust` is signed already).
fn sign(body: &EventBody) -> i8 {
    match body {
        EventBody::Ship { .. } | EventBody::Dispose { .. } | EventBody::Consume { .. } => -1,
        _ => 1,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::generator::{Config, generate_vec};
    use lottrack_core::{LotKey, Tracker};

    /// The baseline reads the generated chain as the tracker does: the same lots,
    /// the same stock on every lot, the same forward traces.
    #[test]
    fn agrees_with_the_tracker_on_a_10k_chain() {
        let (c, events) = generate_vec(&Config::new(10_000));
        let t = Tracker::in_memory();
        crate::record_in_batches(&t, events.clone(), 1000);
        let one = ingest_one_thread(events.clone(), 1000).unwrap();
        let json: Vec<String> = events.iter().map(|e| e.to_json()).collect();
        let (logged, log) = ingest_with_log(events.clone(), 1000, Log::Json(Vec::new())).unwrap();
        let (kept, whole) = ingest_with_log(events.clone(), 1000, Log::Events(Vec::new())).unwrap();
        let Log::Events(whole) = whole else {
            panic!("the events kept whole")
        };
        assert!(whole == events);
        assert_eq!(kept.stock, one.stock);
        let ix = ingest(events, 1000).unwrap();
        assert_eq!(one.stock, ix.stock);
        assert_eq!(one.forward.targets, ix.forward.targets);
        assert_eq!(logged.stock, ix.stock);
        assert_eq!(logged.forward.targets, ix.forward.targets);
        assert_eq!(logged.lot_moves.targets, ix.lot_moves.targets);
        let Log::Json(log) = log else {
            panic!("a JSON log")
        };
        assert!(log.iter().map(|j| &**j).eq(json.iter().map(|j| j.as_str())));

        let live = (0..ix.lots())
            .filter(|&l| {
                let r = ix.lot_moves.offsets[l] as usize..ix.lot_moves.offsets[l + 1] as usize;
                ix.lot_moves.targets[r]
                    .iter()
                    .any(|&m| !ix.moves[m as usize].1.is_zero())
            })
            .count();
        assert_eq!(live, t.lot_count());
        assert_eq!(live, c.lots());

        let mut checked = 0;
        for (l, (product, lot)) in ix.lot_keys.iter().enumerate() {
            let Ok(lines) = t.on_hand(&LotKey::new(product, lot)) else {
                continue;
            };
            let on_hand: Decimal = lines.iter().map(|s| s.quantity).sum();
            assert_eq!(on_hand, ix.stock[l], "{product}/{lot}");
            checked += 1;
        }
        assert_eq!(checked, live);

        let mut vis = crate::Visited::default();
        for r in c.forward_roots() {
            let key = c.key(r.lot);
            let root = ix.lot(&key.product, &key.lot).unwrap();
            let mut want: Vec<String> = ix
                .forward
                .reach_set(root, &mut vis)
                .into_iter()
                .filter(|&l| l != root)
                .map(|l| {
                    let k = &ix.lot_keys[l as usize];
                    format!("{}/{}", k.0, k.1)
                })
                .collect();
            let got = crate::traced_names(&t, &key);
            want.sort();
            assert_eq!(got, want, "root {key}");
            assert_eq!(got.len(), r.reach);
        }
    }

    #[test]
    fn refuses_what_it_cannot_take() {
        let mut ix = BareIndex::new();
        let t = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap();
        let err = ix.take(&mut Event::void(t, "E404", None)).unwrap_err();
        assert!(err.contains("no event E404"), "{err}");
    }
}
