//! Recall: the report a recall coordinator needs — affected lots with status and
//! stock to hold, customers to notify with their shipments, and the mass balance
//! of the root lots — and executing it as durable status events.

use std::sync::Arc;

use serde::Serialize;

use crate::balance::{MassBalance, mass_balance};
use crate::error::Result;
use crate::event::{Event, Time};
use crate::graph::EdgeFilter;
use crate::ledger::{Movement, Place, Role};
use crate::model::{LotKey, LotStatus};
use crate::recall_ids::{RecallIds, customer_rows};
use crate::state::State;
use crate::trace::{LotId, Shipment, TraceOptions};
use crate::tracker::Tracker;

/// Stock of an affected lot at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnHand {
    /// Location.
    pub location: Arc<str>,
    /// Container, if packed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<Arc<str>>,
    /// Quantity (base unit).
    #[serde(serialize_with = "crate::report::ser_decimal")]
    pub quantity: rust_decimal::Decimal,
    /// Base unit.
    pub uom: Arc<str>,
}

/// An affected lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecallLot {
    /// Product.
    pub product: Arc<str>,
    /// Lot code.
    pub lot: Arc<str>,
    /// Shortest transform steps from a root (0 for a root).
    pub depth: u32,
    /// Current status.
    pub status: LotStatus,
    /// Stock to put on hold, per location.
    pub on_hand: Vec<OnHand>,
}

/// A customer to notify and what they received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerShipments {
    /// The customer.
    pub customer: Arc<str>,
    /// Their shipments of affected lots, by time.
    pub shipments: Vec<Shipment>,
}

/// The recall report, in the design's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecallReport {
    /// The lots recalled.
    pub roots: Vec<LotKey>,
    /// Every affected lot (roots at depth 0), by depth.
    pub lots: Vec<RecallLot>,
    /// Customers to notify, by name.
    pub customers: Vec<CustomerShipments>,
    /// Mass balance of each root.
    pub mass_balance: Vec<MassBalance>,
}

impl Drop for RecallReport {
    /// Frees the rows in warmed batches (see `warm.rs`): a row's names are
    /// released with locked decrements, as slow one by one as their clones.
    fn drop(&mut self) {
        use crate::warm::touch;
        for c in &mut self.customers {
            crate::warm::drop_batched(&mut c.shipments, |sh| {
                touch(&sh.0.event_id) + touch(&sh.0.lot) + touch(&sh.0.documents)
            });
        }
        crate::warm::drop_batched(&mut self.lots, |l| {
            touch(&l.lot) + l.on_hand.first().map_or(0, |o| touch(&o.location))
        });
    }
}

impl RecallReport {
    /// The report as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The report as one CSV: a `notify` row per shipment to a customer, then a
    /// `hold` row per affected lot and location with stock.
    ///
    /// ```
    /// use lottrack_core::{LotKey, TraceOptions, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"2","uom":"kg","customer":"shop","documents":[{"type":"bol","id":"B1"}]}"#).unwrap();
    /// let csv = t.recall(&[LotKey::new("p", "L")], &TraceOptions::default()).unwrap().to_csv();
    /// let lines: Vec<&str> = csv.lines().collect();
    /// assert_eq!(lines[0], "action,customer,product,lot,location,container,quantity,uom,time,event_id,documents");
    /// assert_eq!(lines[1], "notify,shop,p,L,a,,2,kg,2026-03-02T08:00:00+00:00,E2,bol:B1");
    /// assert_eq!(lines[2], "hold,,p,L,a,,3,kg,,,");
    /// ```
    pub fn to_csv(&self) -> String {
        use crate::quantity::fmt_decimal;
        use crate::report::csv_line;
        let mut out = csv_line([
            "action",
            "customer",
            "product",
            "lot",
            "location",
            "container",
            "quantity",
            "uom",
            "time",
            "event_id",
            "documents",
        ]);
        for c in &self.customers {
            for sh in &c.shipments {
                let docs: Vec<String> = sh.documents.iter().map(|d| d.to_string()).collect();
                out.push_str(&csv_line([
                    "notify",
                    &c.customer,
                    &sh.product,
                    &sh.lot,
                    &sh.location,
                    "",
                    &fmt_decimal(sh.quantity),
                    &sh.uom,
                    &sh.time.to_rfc3339(),
                    &sh.event_id,
                    &docs.join(";"),
                ]));
            }
        }
        for (lot, oh) in self.stock_to_hold() {
            out.push_str(&csv_line([
                "hold",
                "",
                &lot.product,
                &lot.lot,
                &oh.location,
                oh.container.as_deref().unwrap_or(""),
                &fmt_decimal(oh.quantity),
                &oh.uom,
                "",
                "",
                "",
            ]));
        }
        out
    }

    /// Every stock line to hold.
    pub fn stock_to_hold(&self) -> impl Iterator<Item = (&RecallLot, &OnHand)> {
        self.lots
            .iter()
            .flat_map(|l| l.on_hand.iter().map(move |o| (l, o)))
    }
}

impl Tracker {
    /// The recall report for `lots` (nothing is recorded).
    ///
    /// ```
    /// use lottrack_core::{LotKey, TraceOptions, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"2","uom":"kg","customer":"shop"}"#).unwrap();
    /// let r = t.recall(&[LotKey::new("p", "L")], &TraceOptions::default()).unwrap();
    /// assert_eq!(&*r.customers[0].customer, "shop");
    /// assert_eq!(r.lots[0].on_hand[0].quantity.to_string(), "3");
    /// assert!(r.mass_balance[0].closes());
    /// ```
    pub fn recall(&self, lots: &[LotKey], opts: &TraceOptions) -> Result<RecallReport> {
        self.with_state(|s| report(s, &crate::recall_ids::recall_ids(s, lots, opts)?))
    }

    /// The full report of a lean recall (see [`RecallIds`]): what
    /// [`Tracker::recall`] returns, when nothing was recorded in between.
    pub fn recall_report(&self, ids: &RecallIds) -> Result<RecallReport> {
        self.with_state(|s| report(s, ids))
    }

    /// Executes a recall: records one `status` event setting every affected lot to
    /// `recalled` (durable and auditable), then returns the report.
    ///
    /// ```
    /// use lottrack_core::{LotKey, LotStatus, TraceOptions, Tracker, parse_time};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// let r = t.execute_recall(&[LotKey::new("p", "L")], &TraceOptions::default(),
    ///                          parse_time("2026-03-05T08:00:00Z").unwrap(), Some("R1")).unwrap();
    /// assert_eq!(r.lots[0].status, LotStatus::Recalled);
    /// assert_eq!(t.event("R1").unwrap().body.kind(), "status");
    /// ```
    pub fn execute_recall(
        &self,
        lots: &[LotKey],
        opts: &TraceOptions,
        time: Time,
        event_id: Option<&str>,
    ) -> Result<RecallReport> {
        let before = self.recall(lots, opts)?;
        let keys: Vec<LotKey> = before
            .lots
            .iter()
            .map(|l| LotKey::new(&l.product, &l.lot))
            .collect();
        let mut ev = Event::status(time, LotStatus::Recalled, keys, Some("recall"));
        if let Some(id) = event_id {
            ev = ev.with_id(id);
        }
        self.record(ev)?;
        self.recall(lots, opts)
    }
}

/// The rows of a lean recall.
fn report(s: &State, ids: &RecallIds) -> Result<RecallReport> {
    let n = s.ledger.lots.len();
    if let Some(bad) = ids
        .roots
        .iter()
        .chain(&ids.lots)
        .find(|l| l.0 as usize >= n)
    {
        return Err(crate::error::Error::InvalidField {
            event_id: String::new(),
            field: "recall ids".into(),
            reason: format!(
                "lot id {} was not handed out by this tracker ({n} lots)",
                bad.0
            ),
        });
    }
    if ids.depths.len() != ids.lots.len() {
        return Err(crate::error::Error::InvalidField {
            event_id: String::new(),
            field: "recall ids".into(),
            reason: format!("{} lots but {} depths", ids.lots.len(), ids.depths.len()),
        });
    }
    let out_lots = lot_rows(s, &ids.lots, &ids.depths);
    let customers = ids
        .customers
        .iter()
        .map(|c| customer_rows(s, ids, c))
        .collect::<Result<Vec<_>>>()?;
    Ok(RecallReport {
        roots: ids
            .roots
            .iter()
            .map(|r| s.ledger.lots[r.0 as usize].key.clone())
            .collect(),
        lots: out_lots,
        customers,
        mass_balance: ids.roots.iter().map(|r| mass_balance(s, r.0)).collect(),
    })
}

/// The report rows of the affected lots `(lot, depth)`.
fn lot_rows(s: &State, lots: &[LotId], depths: &[u32]) -> Vec<RecallLot> {
    let mut out = Vec::with_capacity(lots.len());
    for (batch, depths) in lots
        .chunks(crate::warm::BATCH)
        .zip(depths.chunks(crate::warm::BATCH))
    {
        let mut sum = 0;
        for l in batch {
            let rec = &s.ledger.lots[l.0 as usize];
            sum += crate::warm::touch(&rec.key.lot)
                + rec
                    .stock
                    .as_slice()
                    .first()
                    .map_or(0, |p| matches!(p.0, Place::Loc(_)) as usize);
        }
        crate::warm::keep(sum);
        for (l, &depth) in batch.iter().zip(depths) {
            lot_row(s, l.0, depth, &mut out);
        }
    }
    out
}

/// Appends the report row of lot `n` at `depth` to `out`.
fn lot_row(s: &State, n: u32, depth: u32, out: &mut Vec<RecallLot>) {
    let rec = &s.ledger.lots[n as usize];
    // As `stock_lines` orders them, without its per-line product and lot.
    let mut on_hand: Vec<OnHand> = rec
        .stock
        .iter()
        .filter(|(_, q)| !q.is_zero())
        .map(|(p, q)| OnHand {
            location: s
                .place_location(*p)
                .map(|l| s.catalog.places.name(l).clone())
                .unwrap_or_else(|| Arc::from("")),
            container: match p {
                Place::Container(c) => Some(s.ledger.container_ids.name(*c).clone()),
                Place::Loc(_) => None,
            },
            quantity: *q,
            uom: s.catalog.base_uom_arc(rec.product),
        })
        .collect();
    on_hand.sort_by(|a, b| {
        a.location
            .cmp(&b.location)
            .then_with(|| a.container.cmp(&b.container))
    });
    out.push(RecallLot {
        product: rec.key.product.clone(),
        lot: rec.key.lot.clone(),
        depth,
        status: rec.status(),
        on_hand,
    });
}

/// A recall's roots as lot ids (an unknown lot is an error naming it).
pub(crate) fn resolve_roots(s: &State, lots: &[LotKey]) -> Result<Vec<u32>> {
    lots.iter()
        .map(|k| s.lot_id(&k.product, &k.lot, ""))
        .collect()
}

/// Whether movement `m` is a shipment the recall's time filter admits (an open
/// filter admits every one without reading its event record).
pub(crate) fn is_shipment(s: &State, m: &Movement, filter: EdgeFilter) -> bool {
    m.role() == Role::Shipped
        && (filter.is_open() || filter.admits(s.events[m.event as usize].time_ms()))
}

/// The customer slot of a shipment: 0 when it names no customer, else its
/// party's id plus one (`Catalog::party_names`).
pub(crate) fn customer_slot(m: &Movement) -> usize {
    m.party.map_or(0, |p| p.get() as usize)
}
