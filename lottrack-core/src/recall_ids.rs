//! The lean recall: what a recall reaches — affected lots, customers to notify
//! and their shipments — by index, with no report rows built.
//!
//! A [`crate::RecallReport`] for a root reaching 100 k lots holds ~125 k shipment
//! rows of nine shared names each; making and freeing them is most of its cost
//! (each name's reference count sits in a different cache line of the index).
//! [`RecallIds`] is what a binding returns when it builds its rows on demand, as
//! [`crate::TraceIds`] is for traces: [`Tracker::recall_customer`] names one
//! customer's shipments, [`Tracker::recall_report`] all of it.
//! [`Tracker::recall`] is [`Tracker::recall_ids`] and then
//! [`Tracker::recall_report`] under one lock, so both give the same report.

use std::sync::Arc;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ledger::Role;
use crate::model::LotKey;
use crate::recall::{CustomerShipments, customer_slot, is_shipment, resolve_roots};
use crate::state::State;
use crate::trace::{LotId, Shipment, TraceDirection, TraceOptions, movement, reach};
use crate::tracker::Tracker;

/// One shipment of an affected lot, by index. Resolved with
/// [`Tracker::recall_customer`]; stable while the ship event is not voided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ShipmentRef {
    /// The lot shipped.
    pub lot: LotId,
    /// The ship event's index in the tracker (recording order; never reused).
    pub event: u32,
    /// Where the movement sat in the lot's ledger when found (checked on use).
    #[serde(skip)]
    hint: u32,
}

/// A customer to notify, in a [`RecallIds`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerRef {
    /// The customer (empty for shipments that named none).
    pub customer: Arc<str>,
    /// Its shipments: `RecallIds::shipments[start..end]`.
    pub shipments: std::ops::Range<usize>,
}

/// The lean form of a recall report: the same lots, customers and shipments, in
/// the same order, as indexes.
///
/// ```
/// use lottrack_core::{LotKey, TraceOptions, Tracker};
/// let t = Tracker::in_memory();
/// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
/// t.record_json(r#"{"event_id":"E2","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"2","uom":"kg","customer":"shop"}"#).unwrap();
/// let roots = [LotKey::new("p", "L")];
/// let ids = t.recall_ids(&roots, &TraceOptions::default()).unwrap();
/// assert_eq!((ids.lots.len(), ids.shipments.len()), (1, 1));
/// assert_eq!(&*ids.customers[0].customer, "shop");
/// let shop = t.recall_customer(&ids, 0).unwrap();
/// assert_eq!(&*shop.shipments[0].event_id, "E2");
/// assert_eq!(t.recall_report(&ids).unwrap(), t.recall(&roots, &TraceOptions::default()).unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecallIds {
    /// The lots recalled.
    pub roots: Vec<LotId>,
    /// Every affected lot (roots at depth 0), by depth.
    pub lots: Vec<LotId>,
    /// `depths[i]` is the depth of `lots[i]`.
    pub depths: Vec<u32>,
    /// Customers to notify, by name.
    pub customers: Vec<CustomerRef>,
    /// Every shipment of an affected lot: each customer's by time, then event id.
    pub shipments: Vec<ShipmentRef>,
}

impl Tracker {
    /// The lean recall for `lots` (see [`RecallIds`]; nothing is recorded).
    pub fn recall_ids(&self, lots: &[LotKey], opts: &TraceOptions) -> Result<RecallIds> {
        self.with_state(|s| recall_ids(s, lots, opts))
    }

    /// The shipments of customer `i` of `ids`, named, as the full report has
    /// them. An index out of range, or a shipment whose event was voided since,
    /// is an error.
    pub fn recall_customer(&self, ids: &RecallIds, i: usize) -> Result<CustomerShipments> {
        self.with_state(|s| {
            let c = ids.customers.get(i).ok_or_else(|| {
                invalid(format!(
                    "customer {i} is not in this recall ({} customers)",
                    ids.customers.len()
                ))
            })?;
            customer_rows(s, ids, c)
        })
    }
}

pub(crate) fn recall_ids(s: &State, lots: &[LotKey], opts: &TraceOptions) -> Result<RecallIds> {
    let roots = resolve_roots(s, lots)?;
    let reached = reach(s, &roots, TraceDirection::Forward, opts);
    let filter = opts.filter();
    // Shipments in the order the lots were reached, with their customer slot.
    let mut found: Vec<(u32, ShipmentRef)> = Vec::new();
    let mut counts = vec![0usize; s.catalog.party_names.len() + 1];
    for &(n, _) in &reached {
        let rec = &s.ledger.lots[n as usize];
        for (k, m) in rec.moves.iter().enumerate() {
            if is_shipment(s, m, filter) {
                let slot = customer_slot(m);
                counts[slot] += 1;
                let r = ShipmentRef {
                    lot: LotId(n),
                    event: m.event,
                    hint: k as u32,
                };
                found.push((slot as u32, r));
            }
        }
    }
    // Grouped by customer slot, keeping the reached order (a counting sort).
    let mut starts = Vec::with_capacity(counts.len());
    let mut at = 0;
    for &c in &counts {
        starts.push(at);
        at += c;
    }
    let mut next = starts.clone();
    let placeholder = ShipmentRef {
        lot: LotId(0),
        event: 0,
        hint: 0,
    };
    let mut shipments = vec![placeholder; found.len()];
    for (slot, r) in found {
        let i = &mut next[slot as usize];
        shipments[*i] = r;
        *i += 1;
    }
    // Within a customer: by time, then event id, then as the lots were reached
    // (an event shipping several affected lots). The event's time is read once
    // per shipment, and its id only when two events share a time.
    let mut customers = Vec::new();
    let mut keyed: Vec<(crate::event::Time, ShipmentRef)> = Vec::new();
    for (slot, (&start, &count)) in starts.iter().zip(&counts).enumerate() {
        if count == 0 {
            continue;
        }
        let group = &mut shipments[start..start + count];
        keyed.clear();
        keyed.extend(group.iter().map(|r| (s.events[r.event as usize].time, *r)));
        keyed.sort_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                if a.1.event == b.1.event {
                    std::cmp::Ordering::Equal
                } else {
                    let ids = (
                        &s.events[a.1.event as usize].id,
                        &s.events[b.1.event as usize].id,
                    );
                    ids.0.cmp(ids.1)
                }
            })
        });
        for (dst, k) in group.iter_mut().zip(&keyed) {
            *dst = k.1;
        }
        let customer = match slot {
            0 => s.catalog.empty_name(),
            p => s.catalog.party_names.name(p as u32 - 1).clone(),
        };
        customers.push(CustomerRef {
            customer,
            shipments: start..start + count,
        });
    }
    // By name; the shipments stay where they are.
    customers.sort_by(|a, b| a.customer.cmp(&b.customer));
    Ok(RecallIds {
        roots: roots.into_iter().map(LotId).collect(),
        lots: reached.iter().map(|r| LotId(r.0)).collect(),
        depths: reached.iter().map(|r| r.1).collect(),
        customers,
        shipments,
    })
}

/// The named shipments of one customer of `ids`.
pub(crate) fn customer_rows(
    s: &State,
    ids: &RecallIds,
    c: &CustomerRef,
) -> Result<CustomerShipments> {
    let refs = ids.shipments.get(c.shipments.clone()).ok_or_else(|| {
        invalid(format!(
            "shipments {:?} are not in this recall ({} shipments)",
            c.shipments,
            ids.shipments.len()
        ))
    })?;
    let mut shipments = Vec::with_capacity(refs.len());
    for batch in refs.chunks(crate::warm::BATCH) {
        warm_shipments(s, batch);
        for r in batch {
            shipments.push(shipment_row(s, r)?);
        }
    }
    Ok(CustomerShipments {
        customer: c.customer.clone(),
        shipments,
    })
}

/// Brings the lines a batch of shipment rows reads and counts into cache.
fn warm_shipments(s: &State, batch: &[ShipmentRef]) {
    use crate::warm::touch;
    let mut sum = 0;
    for r in batch {
        if let Some(rec) = s.ledger.lots.get(r.lot.0 as usize) {
            let hinted = rec.moves.get(r.hint as usize);
            sum += touch(&rec.key.lot) + hinted.map_or(0, |m| m.event as usize);
        }
        if let Some(ev) = s.events.get(r.event as usize) {
            sum += touch(&ev.id) + touch(&ev.docs);
        }
    }
    crate::warm::keep(sum);
}

/// The named row of one shipment of a lean recall.
fn shipment_row(s: &State, r: &ShipmentRef) -> Result<Shipment> {
    let rec = s.ledger.lots.get(r.lot.0 as usize).ok_or_else(|| {
        invalid(format!(
            "lot id {} was not handed out by this tracker",
            r.lot.0
        ))
    })?;
    let shipped = |m: &crate::ledger::Movement| m.event == r.event && m.role() == Role::Shipped;
    let m = match rec.moves.get(r.hint as usize) {
        Some(m) if shipped(m) => m,
        // The ledger changed since (a void): find it by event.
        _ => {
            let from = rec.moves.partition_point(|m| m.event < r.event);
            rec.moves[from..]
                .iter()
                .take_while(|m| m.event == r.event)
                .find(|m| shipped(m))
                .ok_or_else(|| {
                    invalid(format!(
                        "event {} no longer ships lot `{}`/`{}` (voided since the recall)",
                        r.event, rec.key.product, rec.key.lot
                    ))
                })?
        }
    };
    let uom = s.catalog.base_uom_arc(rec.product);
    Ok(Shipment(movement(s, rec, m, &uom)))
}

fn invalid(reason: String) -> Error {
    Error::InvalidField {
        event_id: String::new(),
        field: "recall ids".into(),
        reason,
    }
}
