//! FDA FSMA 204 electronic sortable spreadsheet: one CSV for a date range,
//! optionally limited to some products or to the lots a recall reaches.
//!
//! One row per lot that a critical tracking event (CTE) names, with that event's
//! key data elements (KDEs), under the column names of the FDA's sortable
//! spreadsheet (the KDE names of 21 CFR 1.1325–1.1350):
//!
//! | column | from |
//! |---|---|
//! | `Event Type` | `receive` → `Receiving` (a `return` → `Receiving`, its source being the customer), `ship` → `Shipping`, `transform` → `Transformation` (one row per input and per output lot; see `Role`) |
//! | `Traceability Lot Code` | the lot code |
//! | `Traceability Lot Code Source` | where the lot code was assigned: for a lot made here (transform output) the location of the transform; for a received lot its origin, else its supplier; each as "name (id)" when master data names it |
//! | `Product Description` | the product's declared description, else the product id |
//! | `Quantity`, `Unit of Measure` | as the event gives them (a container shipment: each lot it held, in the product's base unit) |
//! | `Location Description` | the location of the event (where received, shipped from, transformed) |
//! | `Date`, `Time` | the event's date and time at its own UTC offset (`YYYY-MM-DD`, `HH:MM:SS±hh:mm`) |
//! | `Reference Document Type`, `Reference Document Number` | the event's documents (several joined with `;`) |
//! | `Immediate Previous Source` | Receiving: the supplier (or the returning customer) |
//! | `Ship From Location`, `Ship To Location` | Shipping: the event's location and the customer; Receiving: the supplier's and the event's |
//! | `Role` | `input` / `output` for Transformation rows, empty otherwise |
//! | `Supplier Lot Code` | the supplier's own lot code, when recorded |
//! | `Product ID`, `Event ID` | lottrack's product id and event id, to find the record |
//!
//! Other event kinds (moves, packing, adjustments, disposals, status changes) are
//! not CTEs and have no rows; voided events have none either. Rows come in event
//! time order (recording order among equal times).

use std::collections::HashSet;

use crate::error::Result;
use crate::event::{EventBody, ShipItem, Time};
use crate::event_log::EventLog;
use crate::model::{LotKey, LotQty};
use crate::quantity::fmt_decimal;
use crate::report::csv_line;
use crate::state::State;
use crate::trace::{TraceDirection, TraceOptions, reach};
use crate::tracker::Tracker;

/// The FSMA 204 spreadsheet's columns, in order.
pub const FSMA204_COLUMNS: [&str; 18] = [
    "Event Type",
    "Traceability Lot Code",
    "Traceability Lot Code Source",
    "Product Description",
    "Quantity",
    "Unit of Measure",
    "Location Description",
    "Date",
    "Time",
    "Reference Document Type",
    "Reference Document Number",
    "Immediate Previous Source",
    "Ship From Location",
    "Ship To Location",
    "Role",
    "Supplier Lot Code",
    "Product ID",
    "Event ID",
];

/// Which rows an FSMA 204 spreadsheet keeps besides its date range.
///
/// ```
/// use lottrack_core::{Fsma204Filter, LotKey};
/// let all = Fsma204Filter::default();
/// assert!(all.products.is_none() && all.recall_roots.is_none());
/// let recall = Fsma204Filter { recall_roots: Some(vec![LotKey::new("spinach", "F-100")]), ..Default::default() };
/// assert_eq!(recall.recall_roots.unwrap().len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fsma204Filter {
    /// Only these products (ids).
    pub products: Option<Vec<String>>,
    /// Only the lots a recall of these root lots reaches (the roots and every lot
    /// made from them).
    pub recall_roots: Option<Vec<LotKey>>,
}

struct Row<'a> {
    event_type: &'a str,
    line: LotQty,
    role: &'a str,
    previous_source: String,
    ship_from: String,
    ship_to: String,
}

fn described(name: Option<&String>, id: &str) -> String {
    match name {
        Some(n) if !n.is_empty() && n != id => format!("{n} ({id})"),
        _ => id.to_string(),
    }
}

fn location_desc(s: &State, id: &str) -> String {
    described(
        s.catalog.locations.get(id).and_then(|r| r.name.as_ref()),
        id,
    )
}

fn party_desc(s: &State, id: &str) -> String {
    described(s.catalog.parties.get(id).and_then(|r| r.name.as_ref()), id)
}

fn opt_party(s: &State, id: &Option<String>) -> String {
    id.as_deref().map(|p| party_desc(s, p)).unwrap_or_default()
}

fn sheet(
    s: &State,
    log: &mut EventLog<'_>,
    start: Time,
    end: Time,
    filter: &Fsma204Filter,
) -> Result<String> {
    let lots: Option<HashSet<u32>> = match &filter.recall_roots {
        None => None,
        Some(roots) => {
            let mut ids = Vec::with_capacity(roots.len());
            for k in roots {
                ids.push(s.lot_id(&k.product, &k.lot, "")?);
            }
            let reached = reach(s, &ids, TraceDirection::Forward, &TraceOptions::default());
            Some(reached.into_iter().map(|(n, _)| n).collect())
        }
    };
    let keep = |l: &LotQty| {
        filter
            .products
            .as_ref()
            .is_none_or(|p| p.contains(&l.product))
            && lots.as_ref().is_none_or(|set| {
                s.ledger
                    .id(&l.product, &l.lot)
                    .is_some_and(|id| set.contains(&id))
            })
    };
    let mut order: Vec<usize> = (0..s.events.len())
        .filter(|&i| {
            let r = &s.events[i];
            r.live() && r.time >= start && r.time <= end
        })
        .collect();
    order.sort_by_key(|&i| (s.events[i].time_ms(), i));
    order.retain(|&i| {
        matches!(
            s.events[i].kind(),
            "receive" | "return" | "ship" | "transform"
        )
    });
    let idx: Vec<u32> = order.iter().map(|&i| i as u32).collect();
    let events = log.events(s, &idx)?;
    let mut out = csv_line(FSMA204_COLUMNS);
    for (i, ev) in order.into_iter().zip(events) {
        let here = ev
            .location
            .as_deref()
            .map(|l| location_desc(s, l))
            .unwrap_or_default();
        let mut rows: Vec<Row<'_>> = Vec::new();
        match &ev.body {
            EventBody::Receive { item, supplier, .. } => rows.push(Row {
                event_type: "Receiving",
                line: item.clone(),
                role: "",
                previous_source: opt_party(s, supplier),
                ship_from: opt_party(s, supplier),
                ship_to: here.clone(),
            }),
            EventBody::Return { item, customer } => rows.push(Row {
                event_type: "Receiving",
                line: item.clone(),
                role: "",
                previous_source: opt_party(s, customer),
                ship_from: opt_party(s, customer),
                ship_to: here.clone(),
            }),
            EventBody::Ship { item, customer } => {
                let lines = match item {
                    ShipItem::Lot(l) => vec![l.clone()],
                    ShipItem::Container(_) => s
                        .event_moves(i as u32)
                        .map(|(lot, m)| {
                            let r = &s.ledger.lots[lot as usize];
                            LotQty::exact(
                                &r.key.product,
                                &r.key.lot,
                                -m.delta,
                                s.catalog.base_uom(r.product),
                            )
                        })
                        .collect(),
                };
                for line in lines {
                    rows.push(Row {
                        event_type: "Shipping",
                        line,
                        role: "",
                        previous_source: String::new(),
                        ship_from: here.clone(),
                        ship_to: opt_party(s, customer),
                    });
                }
            }
            EventBody::Transform { inputs, outputs } => {
                for l in inputs {
                    rows.push(Row {
                        event_type: "Transformation",
                        line: l.clone(),
                        role: "input",
                        previous_source: String::new(),
                        ship_from: String::new(),
                        ship_to: String::new(),
                    });
                }
                for o in outputs {
                    rows.push(Row {
                        event_type: "Transformation",
                        line: o.item.clone(),
                        role: "output",
                        previous_source: String::new(),
                        ship_from: String::new(),
                        ship_to: String::new(),
                    });
                }
            }
            _ => continue,
        }
        let doc_types: Vec<&str> = ev.documents.iter().map(|d| d.doc_type.as_str()).collect();
        let doc_ids: Vec<&str> = ev.documents.iter().map(|d| d.id.as_str()).collect();
        for row in rows.into_iter().filter(|r| keep(&r.line)) {
            let l = &row.line;
            let lot_rec = s
                .ledger
                .id(&l.product, &l.lot)
                .map(|id| &s.ledger.lots[id as usize]);
            let made_here = lot_rec.is_some_and(|r| {
                r.moves
                    .iter()
                    .any(|m| m.role() == crate::ledger::Role::Produced)
            });
            let tlc_source = if made_here {
                let at = lot_rec
                    .and_then(|r| {
                        r.moves
                            .iter()
                            .find(|m| m.role() == crate::ledger::Role::Produced)
                            .and_then(|m| {
                                let loc = s.place_location(m.place())?;
                                Some(s.catalog.places.name(loc).to_string())
                            })
                    })
                    .unwrap_or_default();
                location_desc(s, &at)
            } else {
                lot_rec
                    .and_then(|r| r.attrs.origin().or(r.attrs.supplier()).map(str::to_string))
                    .map(|p| party_desc(s, &p))
                    .unwrap_or_default()
            };
            let description = s
                .catalog
                .product(&l.product)
                .and_then(|(_, p)| p.description.clone())
                .unwrap_or_else(|| l.product.clone());
            let supplier_lot = lot_rec
                .and_then(|r| r.attrs.supplier_lot().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&csv_line([
                row.event_type,
                &l.lot,
                &tlc_source,
                &description,
                &fmt_decimal(l.quantity),
                &l.uom,
                &here,
                &ev.time.format("%Y-%m-%d").to_string(),
                &ev.time.format("%H:%M:%S%:z").to_string(),
                &doc_types.join(";"),
                &doc_ids.join(";"),
                &row.previous_source,
                &row.ship_from,
                &row.ship_to,
                row.role,
                &supplier_lot,
                &l.product,
                &ev.event_id,
            ]));
        }
    }
    Ok(out)
}

impl Tracker {
    /// The FDA FSMA 204 electronic sortable spreadsheet (CSV, RFC 4180) of the
    /// critical tracking events from `start` to `end` inclusive; see [`crate::fsma`]
    /// for the columns and their mapping.
    ///
    /// ```
    /// use lottrack_core::{Fsma204Filter, Tracker, parse_time};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00+01:00","location":"plant-1","product":"spinach","lot":"F-100","quantity":"500","uom":"kg","supplier":"farm-a","documents":[{"type":"po","id":"PO-1"}]}"#).unwrap();
    /// let csv = t.fsma204_csv(parse_time("2026-03-01T00:00:00Z").unwrap(),
    ///                         parse_time("2026-03-31T00:00:00Z").unwrap(),
    ///                         &Fsma204Filter::default()).unwrap();
    /// let rows: Vec<&str> = csv.lines().collect();
    /// assert!(rows[0].starts_with("Event Type,Traceability Lot Code,Traceability Lot Code Source,"));
    /// assert_eq!(rows[1], "Receiving,F-100,farm-a,spinach,500,kg,plant-1,2026-03-01,08:00:00+01:00,po,PO-1,farm-a,farm-a,plant-1,,,spinach,E1");
    /// ```
    pub fn fsma204_csv(&self, start: Time, end: Time, filter: &Fsma204Filter) -> Result<String> {
        self.with_log(|s, log| sheet(s, log, start, end, filter))
    }
}
