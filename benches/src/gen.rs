//! A deterministic generator of realistic supply chains.
//!
//! The chain is simulated day by day. Each day, farms deliver raw lots to one of
//! four plants; bulk ingredients (salt, oil, sugar) are received in lots that last
//! one day, a few days or half the run. At each plant, yesterday's lots of every
//! layer go through the next commingling stage: every lot is split into two
//! portions, the portions are shuffled and grouped into batches of 2–4 inputs with
//! 1–3 outputs (so each lot feeds about two batches); a share of the first-stage
//! batches also takes a bulk ingredient. The last stage is split into 2–4 retail
//! packs (units `each`, 12 to a case), which are shipped in 1–3 shipments to
//! hundreds of customers, some after a move to a distribution centre. A few
//! shipments are returned, a few are voided and shipped again, a few receipts are
//! voided as mistakes, a few packs are damaged, held and released.
//!
//! Traces from a last-stage lot reach a few packs, from a raw lot hundreds to a few
//! thousand lots, and from a long-lived bulk lot a large share of its plant's
//! production (about 100 k lots in a 1 M-lot chain, over a million in a 10 M one).
//!
//! Everything is derived from the seed: the same [`Config`] gives the same events,
//! byte for byte, on every run and machine.

use std::sync::Arc;

use chrono::{Duration, FixedOffset, NaiveDate, TimeZone};
use lottrack_core::{Event, LotAttrs, LotKey, LotQty, LotStatus, Time};
use rust_decimal::Decimal;

/// Commingling stages between the raw lots and the retail packs.
pub const STAGES: usize = 4;
/// Plants (lots are mixed only within a plant).
pub const PLANTS: usize = 4;
/// Distribution centres packs may move to before they ship.
pub const DCS: usize = 2;
/// Customers shipped to.
pub const CUSTOMERS: usize = 500;
/// Lots per raw lot, measured on the generator (used to size a run).
const LOTS_PER_RAW: f64 = 25.4;

const RAW_PRODUCTS: &[&str] = &[
    "spinach", "kale", "lettuce", "carrot", "cabbage", "chard", "leek", "celery",
];
const BULK_PRODUCTS: &[&str] = &["salt", "oil", "sugar"];
const STAGE_PRODUCTS: &[&str] = &["washed", "cut", "blend", "dressed"];
const PACK_PRODUCTS: &[&str] = &[
    "salad-bag",
    "salad-bowl",
    "soup-kit",
    "wrap-mix",
    "slaw",
    "side-dish",
];

/// Layer of a lot, as stored in [`Chain::lot_layer`].
pub mod layer {
    /// Received from a farm.
    pub const RAW: u8 = 0;
    /// A bulk ingredient lot.
    pub const BULK: u8 = 1;
    /// First commingling stage (stage `s` is `STAGE1 + s - 1`).
    pub const STAGE1: u8 = 2;
    /// A retail pack.
    pub const PACK: u8 = 100;
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Approximate number of lots (the run stops receiving once it is reached and
    /// drains the pipeline, so the result is within a few percent).
    pub lots: usize,
    /// Seed of the pseudo-random stream.
    pub seed: u64,
}

impl Config {
    /// About `lots` lots with the default seed.
    pub fn new(lots: usize) -> Config {
        Config {
            lots,
            seed: 0x1077_5eed,
        }
    }
}

/// Reads a scale such as `10k`, `100k`, `1m`, `10m` or a plain number.
///
/// ```
/// assert_eq!(lottrack_benches::generator::parse_scale("1m"), Some(1_000_000));
/// assert_eq!(lottrack_benches::generator::parse_scale("250K"), Some(250_000));
/// assert_eq!(lottrack_benches::generator::parse_scale("x"), None);
/// ```
pub fn parse_scale(s: &str) -> Option<usize> {
    let s = s.trim().to_ascii_lowercase().replace('_', "");
    let (num, mul) = if let Some(n) = s.strip_suffix('m') {
        (n, 1_000_000)
    } else if let Some(n) = s.strip_suffix('k') {
        (n, 1_000)
    } else {
        (s.as_str(), 1)
    };
    num.parse::<usize>().ok().map(|n| n * mul)
}

/// The scale from `LOTTRACK_BENCH_SCALE`, else `default`.
pub fn scale_from_env(default: usize) -> usize {
    std::env::var("LOTTRACK_BENCH_SCALE")
        .ok()
        .and_then(|s| parse_scale(&s))
        .unwrap_or(default)
}

/// How many rounds a probe runs: `ROUNDS` from the environment, else `default`.
///
/// ```
/// // With `ROUNDS` unset, the default.
/// if std::env::var_os("ROUNDS").is_none() {
///     assert_eq!(lottrack_benches::generator::rounds_from_env(3), 3);
/// }
/// ```
pub fn rounds_from_env(default: usize) -> usize {
    std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

/// A short label for a scale (`100k`, `1m`).
pub fn scale_label(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// What a run generated, besides its events: every live lot (in creation order,
/// which is its index) and every transform link, for the peers and the baseline.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    /// Product names; `lot_product` indexes them.
    pub products: Vec<String>,
    /// Product of each lot.
    pub lot_product: Vec<u16>,
    /// Layer of each lot (see [`layer`]).
    pub lot_layer: Vec<u8>,
    /// Transform links `(input lot, output lot)`, by lot index.
    pub edges: Vec<(u32, u32)>,
    /// Number of events generated.
    pub events: usize,
    /// Events that voided another.
    pub voids: usize,
    /// Days simulated.
    pub days: u32,
}

/// A trace root and the number of lots its forward (or backward) trace reaches,
/// the root excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root {
    /// Lot index.
    pub lot: u32,
    /// Lots reached (root excluded).
    pub reach: usize,
}

impl Chain {
    /// Number of lots.
    pub fn lots(&self) -> usize {
        self.lot_layer.len()
    }

    /// The lot code of lot `i` (unique over the chain).
    pub fn lot_code(&self, i: u32) -> String {
        lot_code(self.lot_layer[i as usize], i)
    }

    /// The product of lot `i`.
    pub fn product(&self, i: u32) -> &str {
        &self.products[self.lot_product[i as usize] as usize]
    }

    /// The key of lot `i`.
    pub fn key(&self, i: u32) -> LotKey {
        LotKey::new(self.product(i), &self.lot_code(i))
    }

    /// The forward adjacency as CSR.
    pub fn csr_forward(&self) -> crate::Csr {
        crate::Csr::build(self.lots(), self.edges.iter().copied())
    }

    /// The backward adjacency as CSR.
    pub fn csr_backward(&self) -> crate::Csr {
        crate::Csr::build(self.lots(), self.edges.iter().map(|&(a, b)| (b, a)))
    }

    /// Candidate roots of every layer with their reach in `csr`'s direction, sorted
    /// by reach; sampled deterministically from the middle of the run.
    pub fn candidates(&self, csr: &crate::Csr) -> Vec<Root> {
        let mut by_layer: Vec<Vec<u32>> = vec![Vec::new(); 256];
        for (i, l) in self.lot_layer.iter().enumerate() {
            by_layer[*l as usize].push(i as u32);
        }
        let mut vis = crate::Visited::default();
        let mut out = Vec::new();
        for (l, lots) in by_layer.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            // Eight samples from the middle half of the run (every bulk lot).
            let n = lots.len();
            let picks: Vec<u32> = if l == layer::BULK as usize {
                lots.clone()
            } else {
                (0..8)
                    .map(|k| lots[(n / 4 + (n / 2) * k / 8).min(n - 1)])
                    .collect()
            };
            for lot in picks {
                let reach = csr.reach_count(lot, &mut vis) - 1;
                out.push(Root { lot, reach });
            }
        }
        out.sort_by_key(|r| (r.reach, r.lot));
        out.dedup_by_key(|r| r.lot);
        out
    }

    /// For each target reach, the candidate whose reach is nearest (in ratio);
    /// distinct roots, sorted by reach. Roots reaching nothing are skipped.
    pub fn pick_roots(&self, csr: &crate::Csr, targets: &[usize]) -> Vec<Root> {
        let cands: Vec<Root> = self
            .candidates(csr)
            .into_iter()
            .filter(|r| r.reach > 0)
            .collect();
        let mut picked: Vec<Root> = Vec::new();
        for &t in targets {
            let best = cands.iter().min_by(|a, b| {
                let da = ((a.reach as f64) / (t as f64)).ln().abs();
                let db = ((b.reach as f64) / (t as f64)).ln().abs();
                da.total_cmp(&db)
            });
            if let Some(b) = best
                && !picked.iter().any(|p| p.lot == b.lot)
            {
                picked.push(*b);
            }
        }
        picked.sort_by_key(|r| r.reach);
        picked
    }

    /// Forward trace roots spanning a few lots to the largest reach:
    /// targets 3, 30, 300, 3 000, 30 000, 300 000.
    pub fn forward_roots(&self) -> Vec<Root> {
        self.pick_roots(&self.csr_forward(), &[3, 30, 300, 3_000, 30_000, 300_000])
    }
}

fn lot_code(layer: u8, i: u32) -> String {
    match layer {
        layer::RAW => format!("R{i}"),
        layer::BULK => format!("B{i}"),
        layer::PACK => format!("P{i}"),
        s => format!("S{}-{i}", s - layer::STAGE1 + 1),
    }
}

/// SplitMix64: small, fast, deterministic.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `1/n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.next_u64().is_multiple_of(n)
    }

    /// Shuffles `v` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// A lot waiting for its next step: index, quantity on hand (base unit), product.
#[derive(Debug, Clone, Copy)]
struct Pending {
    lot: u32,
    qty: u64,
    product: u16,
}

/// A bulk ingredient lot in use at a plant.
#[derive(Debug, Clone, Copy)]
struct BulkLot {
    lot: u32,
    until_day: u32,
}

struct Gen<'a> {
    rng: Rng,
    chain: Chain,
    sink: &'a mut dyn FnMut(Event),
    day: u32,
    day_start: Time,
    tick: i64,
    step_ms: i64,
    plants: Vec<String>,
    dcs: Vec<String>,
    customers: Vec<String>,
    farms: Vec<String>,
    raw_ids: Vec<u16>,
    bulk_ids: Vec<u16>,
    stage_ids: Vec<Vec<u16>>,
    pack_ids: Vec<u16>,
    bulk_days: [u32; 3],
    mistakes: u64,
}

const BULK_QTY: u64 = 100_000_000;

impl Gen<'_> {
    fn time(&mut self) -> Time {
        self.tick += 1;
        self.day_start + Duration::milliseconds(self.tick * self.step_ms)
    }

    fn emit(&mut self, ev: Event) {
        let id = format!("E{}", self.chain.events);
        self.chain.events += 1;
        if matches!(ev.body, lottrack_core::EventBody::Void { .. }) {
            self.chain.voids += 1;
        }
        (self.sink)(ev.with_id(&id));
    }

    fn last_id(&self) -> String {
        format!("E{}", self.chain.events - 1)
    }

    fn new_lot(&mut self, layer: u8, product: u16) -> u32 {
        let i = self.chain.lot_layer.len() as u32;
        self.chain.lot_layer.push(layer);
        self.chain.lot_product.push(product);
        i
    }

    fn line(&self, lot: u32, qty: u64, uom: &str) -> LotQty {
        LotQty::exact(
            self.chain.product(lot),
            &self.chain.lot_code(lot),
            Decimal::from(qty),
            uom,
        )
    }

    fn date(&self, plus_days: i64) -> NaiveDate {
        (self.day_start + Duration::days(plus_days)).date_naive()
    }

    fn master_data(&mut self) {
        let t = self.time();
        let products = self.chain.products.clone();
        for (i, p) in products.iter().enumerate() {
            let is_pack = self.pack_ids.contains(&(i as u16));
            let ev = if is_pack {
                Event::product(t, p, "each", &[("case", "12")])
            } else {
                Event::product(t, p, "kg", &[])
            };
            if let Ok(ev) = ev {
                self.emit(ev);
            }
        }
        for (i, c) in self.customers.clone().iter().enumerate() {
            let name = format!("Customer {i}");
            self.emit(Event::party(t, c, Some(&name), Some("customer")));
        }
        for (i, f) in self.farms.clone().iter().enumerate() {
            let name = format!("Farm {i}");
            self.emit(Event::party(t, f, Some(&name), Some("supplier")));
        }
        for l in self.plants.clone().iter().chain(self.dcs.clone().iter()) {
            self.emit(Event::location(
                t,
                l,
                Some(&format!("Site {l}")),
                Some("own"),
            ));
        }
    }

    fn receive_raw(&mut self, plant: usize) -> Pending {
        let product = self.raw_ids[self.rng.range(0, self.raw_ids.len() as u64 - 1) as usize];
        let lot = self.new_lot(layer::RAW, product);
        let qty = self.rng.range(500, 2000);
        let farm = self.farms[self.rng.range(0, self.farms.len() as u64 - 1) as usize].clone();
        let t = self.time();
        let attrs = LotAttrs {
            expiry: Some(self.date(14)),
            supplier_lot: Some(format!("A-{lot}")),
            ..Default::default()
        };
        let ev = Event::receive(
            t,
            &self.plants[plant],
            self.line(lot, qty, "kg"),
            Some(&farm),
        )
        .with_lot_attrs(attrs)
        .with_document("po", &format!("PO-{}", lot / 8));
        self.emit(ev);
        // Now and then a receipt is keyed twice by mistake and voided.
        if self.rng.one_in(200) {
            self.mistakes += 1;
            let t = self.time();
            let code = format!("X{}", self.mistakes);
            let line = LotQty::exact(self.chain.product(lot), &code, Decimal::from(qty), "kg");
            self.emit(Event::receive(t, &self.plants[plant], line, Some(&farm)));
            let target = self.last_id();
            let t = self.time();
            self.emit(Event::void(t, &target, Some("incorrect_data")));
        }
        Pending { lot, qty, product }
    }

    fn bulk_lot(&mut self, bulk: &mut [Vec<Option<BulkLot>>], plant: usize, b: usize) -> u32 {
        if let Some(l) = bulk[plant][b]
            && l.until_day > self.day
        {
            return l.lot;
        }
        let product = self.bulk_ids[b];
        let lot = self.new_lot(layer::BULK, product);
        let t = self.time();
        let supplier = format!("bulk-supplier-{b}");
        let ev = Event::receive(
            t,
            &self.plants[plant],
            self.line(lot, BULK_QTY, "kg"),
            Some(&supplier),
        );
        self.emit(ev);
        bulk[plant][b] = Some(BulkLot {
            lot,
            until_day: self.day + self.bulk_days[b],
        });
        lot
    }

    /// One commingling stage at one plant over yesterday's lots of the layer below.
    fn stage(
        &mut self,
        stage: usize,
        plant: usize,
        inputs: &[Pending],
        bulk: &mut [Vec<Option<BulkLot>>],
    ) -> Vec<Pending> {
        let mut portions: Vec<(u32, u64)> = Vec::with_capacity(inputs.len() * 2);
        for p in inputs {
            if p.qty >= 2 {
                let a = p.qty / 2;
                portions.push((p.lot, a));
                portions.push((p.lot, p.qty - a));
            } else if p.qty == 1 {
                portions.push((p.lot, 1));
            }
        }
        self.rng.shuffle(&mut portions);
        let mut out = Vec::new();
        let mut i = 0;
        let products = self.stage_ids[stage - 1].clone();
        while i < portions.len() {
            let want = self.rng.range(2, 4) as usize;
            let mut batch: Vec<(u32, u64)> = Vec::with_capacity(want + 1);
            while batch.len() < want && i < portions.len() {
                if batch.iter().any(|b| b.0 == portions[i].0) {
                    // Same lot twice: swap in a later portion of another lot.
                    let swap = (i + 1..portions.len().min(i + 16))
                        .find(|&j| !batch.iter().any(|b| b.0 == portions[j].0));
                    match swap {
                        Some(j) => portions.swap(i, j),
                        None => break,
                    }
                }
                batch.push(portions[i]);
                i += 1;
            }
            let mut lines: Vec<LotQty> =
                batch.iter().map(|&(l, q)| self.line(l, q, "kg")).collect();
            let mut ins: Vec<u32> = batch.iter().map(|b| b.0).collect();
            let mut total: u64 = batch.iter().map(|b| b.1).sum();
            if stage == 1 {
                for b in 0..self.bulk_ids.len() {
                    if self.rng.one_in(b as u64 + 2) {
                        let lot = self.bulk_lot(bulk, plant, b);
                        lines.push(self.line(lot, 1, "kg"));
                        ins.push(lot);
                        total += 1;
                    }
                }
            }
            let n_out = (self.rng.range(1, 3)).min(total) as usize;
            let product = products[self.rng.range(0, products.len() as u64 - 1) as usize];
            let mut outs = Vec::with_capacity(n_out);
            let mut out_lines = Vec::with_capacity(n_out);
            for k in 0..n_out {
                let q = if k + 1 == n_out {
                    total - (total / n_out as u64) * (n_out as u64 - 1)
                } else {
                    total / n_out as u64
                };
                let lot = self.new_lot(layer::STAGE1 + stage as u8 - 1, product);
                out_lines.push(self.line(lot, q, "kg"));
                outs.push(Pending {
                    lot,
                    qty: q,
                    product,
                });
            }
            for &a in &ins {
                for o in &outs {
                    self.chain.edges.push((a, o.lot));
                }
            }
            let t = self.time();
            let ev = Event::transform(t, &self.plants[plant], lines, out_lines)
                .with_lot_attrs(LotAttrs {
                    production_date: Some(self.date(0)),
                    expiry: Some(self.date(12)),
                    ..Default::default()
                })
                .with_document("batch", &format!("W-{stage}-{}", outs[0].lot));
            self.emit(ev);
            out.extend(outs);
        }
        out
    }

    /// Splits yesterday's last-stage lots into retail packs.
    fn pack(&mut self, plant: usize, inputs: &[Pending]) -> Vec<Pending> {
        let mut out = Vec::new();
        for p in inputs {
            let each = p.qty * 4;
            let n = (self.rng.range(2, 4)).min(each) as usize;
            let product = self.pack_ids[p.product as usize % self.pack_ids.len()];
            let mut lines = Vec::with_capacity(n);
            let mut outs = Vec::with_capacity(n);
            for k in 0..n {
                let q = if k + 1 == n {
                    each - (each / n as u64) * (n as u64 - 1)
                } else {
                    each / n as u64
                };
                let lot = self.new_lot(layer::PACK, product);
                lines.push(self.line(lot, q, "each"));
                outs.push(Pending {
                    lot,
                    qty: q,
                    product,
                });
                self.chain.edges.push((p.lot, lot));
            }
            let t = self.time();
            let ev = Event::transform(
                t,
                &self.plants[plant],
                vec![self.line(p.lot, p.qty, "kg")],
                lines,
            )
            .with_lot_attrs(LotAttrs {
                production_date: Some(self.date(0)),
                expiry: Some(self.date(10)),
                ..Default::default()
            });
            self.emit(ev);
            out.extend(outs);
        }
        out
    }

    /// Ships yesterday's packs: moves, shipments, returns, voids, holds, damage.
    fn ship(&mut self, plant: usize, packs: &[Pending]) {
        for p in packs {
            let mut at = self.plants[plant].clone();
            let mut on_hand = p.qty;
            if self.rng.one_in(5) {
                let dc = self.dcs[self.rng.range(0, DCS as u64 - 1) as usize].clone();
                let t = self.time();
                let line = self.line(p.lot, on_hand, "each");
                self.emit(Event::move_(t, line, &at, &dc));
                at = dc;
            }
            if self.rng.one_in(50) {
                let t = self.time();
                let key = self.chain.key(p.lot);
                self.emit(Event::status(
                    t,
                    LotStatus::OnHold,
                    vec![key.clone()],
                    Some("qa"),
                ));
                let t = self.time();
                self.emit(Event::status(
                    t,
                    LotStatus::Active,
                    vec![key],
                    Some("qa passed"),
                ));
            }
            let n = self.rng.range(1, 3);
            let budget = on_hand * 9 / 10;
            for _ in 0..n {
                let mut q = budget / n;
                if q == 0 {
                    continue;
                }
                let customer = self.customers
                    [self.rng.range(0, self.customers.len() as u64 - 1) as usize]
                    .clone();
                let (qty, uom) = if q >= 24 && self.rng.one_in(2) {
                    q = q / 12 * 12;
                    (q / 12, "case")
                } else {
                    (q, "each")
                };
                let t = self.time();
                let line = self.line(p.lot, qty, uom);
                let bol = format!("B-{}", self.chain.events);
                let ev = Event::ship(t, &at, line.clone(), &customer).with_document("bol", &bol);
                if self.rng.one_in(200) {
                    // Keyed against the wrong lot's paperwork: voided, shipped again.
                    self.emit(ev.clone());
                    let target = self.last_id();
                    let t = self.time();
                    self.emit(Event::void(t, &target, Some("incorrect_data")));
                    let t = self.time();
                    self.emit(Event::ship(t, &at, line, &customer).with_document("bol", &bol));
                } else {
                    self.emit(ev);
                }
                on_hand -= q;
                if self.rng.one_in(100) {
                    let t = self.time();
                    self.emit(Event::return_(
                        t,
                        &at,
                        self.line(p.lot, 1, "each"),
                        &customer,
                    ));
                    on_hand += 1;
                }
            }
            if on_hand > 0 && self.rng.one_in(100) {
                let t = self.time();
                self.emit(Event::dispose(
                    t,
                    &at,
                    self.line(p.lot, 1, "each"),
                    Some("damaged"),
                ));
            }
        }
    }
}

/// Generates the chain, handing every event to `sink` in recording order; returns
/// the lots and links. Events carry ids `E0`, `E1`, … and are all accepted by a
/// strict tracker.
pub fn generate(cfg: &Config, sink: &mut dyn FnMut(Event)) -> Chain {
    let plan = |ratio: f64| {
        let raw_total = ((cfg.lots as f64 / ratio).ceil() as usize).max(8 * PLANTS);
        let days = (raw_total / 20).clamp(5, 100) as u32;
        (raw_total, days, raw_total.div_ceil(days as usize))
    };
    // Lots per raw lot depend a little on the size of a day's cohort: measure it on
    // a short dry run with the same cohort, then size the real run.
    let mut ratio = LOTS_PER_RAW;
    for _ in 0..2 {
        let (_, days, raw_per_day) = plan(ratio);
        let dry_days = days.min(8);
        let dry = run(
            cfg,
            raw_per_day * dry_days as usize,
            dry_days,
            days,
            &mut |_| {},
        );
        ratio = dry.lots() as f64 / (raw_per_day * dry_days as usize) as f64;
    }
    let (raw_total, days, _) = plan(ratio);
    run(cfg, raw_total, days, days, sink)
}

fn run(
    cfg: &Config,
    raw_total: usize,
    days: u32,
    bulk_span: u32,
    sink: &mut dyn FnMut(Event),
) -> Chain {
    let raw_per_day = raw_total.div_ceil(days as usize);
    let mut products: Vec<String> = Vec::new();
    let mut ids = |names: &[&str], prefix: &str| -> Vec<u16> {
        names
            .iter()
            .map(|n| {
                products.push(format!("{prefix}{n}"));
                (products.len() - 1) as u16
            })
            .collect()
    };
    let raw_ids = ids(RAW_PRODUCTS, "");
    let bulk_ids = ids(BULK_PRODUCTS, "");
    let stage_ids: Vec<Vec<u16>> = (1..=STAGES)
        .map(|s| {
            let names: Vec<String> = STAGE_PRODUCTS
                .iter()
                .take(3)
                .map(|n| format!("s{s}-{n}"))
                .collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            ids(&refs, "")
        })
        .collect();
    let pack_ids = ids(PACK_PRODUCTS, "");
    let farms = (raw_total / 10).max(50);
    let tz = FixedOffset::east_opt(3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("utc"));
    let start = tz
        .with_ymd_and_hms(2026, 1, 5, 6, 0, 0)
        .single()
        .expect("valid start time");
    // Events per day ≈ 30 per raw lot; spread them over 16 hours.
    let step_ms = ((16 * 3600 * 1000) / (32 * raw_per_day as i64 + 64)).max(1);
    let mut g = Gen {
        rng: Rng::new(cfg.seed),
        chain: Chain {
            products,
            ..Default::default()
        },
        sink,
        day: 0,
        day_start: start,
        tick: 0,
        step_ms,
        plants: (0..PLANTS).map(|i| format!("plant-{i}")).collect(),
        dcs: (0..DCS).map(|i| format!("dc-{i}")).collect(),
        customers: (0..CUSTOMERS).map(|i| format!("customer-{i}")).collect(),
        farms: (0..farms).map(|i| format!("farm-{i}")).collect(),
        raw_ids,
        bulk_ids,
        stage_ids,
        pack_ids,
        bulk_days: [1, 4, (bulk_span / 2).max(2)],
        mistakes: 0,
    };
    g.master_data();
    // layers[plant][k]: yesterday's lots of layer k (0 = raw, 1..=STAGES, STAGES+1 = packs).
    let mut layers: Vec<Vec<Vec<Pending>>> = vec![vec![Vec::new(); STAGES + 2]; PLANTS];
    let mut bulk: Vec<Vec<Option<BulkLot>>> = vec![vec![None; BULK_PRODUCTS.len()]; PLANTS];
    let mut received = 0usize;
    let mut day = 0u32;
    loop {
        g.day = day;
        g.day_start = start + Duration::days(day as i64);
        g.tick = 0;
        let mut next: Vec<Vec<Vec<Pending>>> = vec![vec![Vec::new(); STAGES + 2]; PLANTS];
        if received < raw_total {
            for k in 0..raw_per_day.min(raw_total - received) {
                let plant = k % PLANTS;
                let p = g.receive_raw(plant);
                next[plant][0].push(p);
            }
            received += raw_per_day.min(raw_total - received);
        }
        for plant in 0..PLANTS {
            for s in 1..=STAGES {
                let ins = std::mem::take(&mut layers[plant][s - 1]);
                if !ins.is_empty() {
                    next[plant][s] = g.stage(s, plant, &ins, &mut bulk);
                }
            }
            let last = std::mem::take(&mut layers[plant][STAGES]);
            next[plant][STAGES + 1] = g.pack(plant, &last);
            let packs = std::mem::take(&mut layers[plant][STAGES + 1]);
            g.ship(plant, &packs);
        }
        layers = next;
        day += 1;
        if received >= raw_total && layers.iter().all(|p| p.iter().all(Vec::is_empty)) {
            break;
        }
    }
    g.chain.days = day;
    g.chain
}

/// Generates the chain and collects its events.
pub fn generate_vec(cfg: &Config) -> (Chain, Vec<Event>) {
    let mut events = Vec::with_capacity(cfg.lots + cfg.lots / 2);
    let chain = generate(cfg, &mut |e| events.push(e));
    (chain, events)
}

/// A shared, lazily generated chain per scale for benches that need it several
/// times in one process.
pub fn cached(lots: usize) -> Arc<(Chain, Vec<Event>)> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<usize, Arc<(Chain, Vec<Event>)>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let m = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut m = m.lock().unwrap_or_else(|e| e.into_inner());
    m.entry(lots)
        .or_insert_with(|| Arc::new(generate_vec(&Config::new(lots))))
        .clone()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use lottrack_core::Tracker;

    #[test]
    fn deterministic() {
        let (a, ea) = generate_vec(&Config::new(3_000));
        let (b, eb) = generate_vec(&Config::new(3_000));
        assert_eq!(ea, eb);
        assert_eq!(a.edges, b.edges);
        let (_, ec) = generate_vec(&Config {
            seed: 7,
            ..Config::new(3_000)
        });
        assert_ne!(ea, ec);
    }

    #[test]
    fn sizes_are_near_the_target() {
        for n in [10_000usize, 100_000] {
            let c = generate(&Config::new(n), &mut |_| {});
            let lots = c.lots();
            assert!(
                lots as f64 > n as f64 * 0.9 && (lots as f64) < n as f64 * 1.1,
                "{n}: {lots} lots"
            );
            let per_lot = c.edges.len() as f64 / lots as f64;
            assert!((1.5..4.0).contains(&per_lot), "{per_lot} edges per lot");
            assert!(c.events > lots, "{} events for {lots} lots", c.events);
            assert!(c.voids > 0);
        }
    }

    #[test]
    fn reach_spans_a_few_lots_to_thousands() {
        let c = generate(&Config::new(100_000), &mut |_| {});
        eprintln!(
            "lots {} edges {} events {} days {}",
            c.lots(),
            c.edges.len(),
            c.events,
            c.days
        );
        let roots = c.forward_roots();
        assert!(roots.first().unwrap().reach <= 10, "{roots:?}");
        assert!(roots.last().unwrap().reach >= 5_000, "{roots:?}");
        assert!(roots.len() >= 4, "{roots:?}");
    }

    #[test]
    fn strict_tracker_accepts_every_event_at_10k() {
        let (c, events) = generate_vec(&Config::new(10_000));
        let t = Tracker::in_memory();
        for ev in &events {
            if let Err(e) = t.record(ev.clone()) {
                panic!("{} rejected: {e}", ev.to_json());
            }
        }
        assert_eq!(t.event_count(), events.len());
        assert_eq!(t.lot_count(), c.lots());
        // The tracker's graph is the chain's: a forward trace reaches the same lots.
        let csr = c.csr_forward();
        let mut vis = crate::Visited::default();
        for r in c.forward_roots() {
            let got = crate::traced_names(&t, &c.key(r.lot));
            assert_eq!(got.len(), r.reach);
            let mut want: Vec<String> = csr
                .reach_set(r.lot, &mut vis)
                .into_iter()
                .filter(|l| *l != r.lot)
                .map(|l| c.key(l).to_string())
                .collect();
            want.sort();
            assert_eq!(got, want);
        }
        // And the JSON form is accepted as well.
        let j = Tracker::in_memory();
        for ev in events.iter().take(2_000) {
            j.record_json(&ev.to_json()).unwrap();
        }
    }
}
