//! Exposure: for each lot downstream of a root, the share of it that came from the
//! root, following quantities through every transform.
//!
//! A lot's share is the quantity-weighted mix of what went into it: for every
//! transform that produced it, (quantity produced there / everything that came into
//! the lot) × Σ over that transform's inputs of (input quantity / all input
//! quantity) × the input's own share. Inputs of different products are weighed in a
//! common unit (their shared base unit, or kg / l through declared conversions);
//! where none exists the answer is an [`Error::IncompatibleUnits`], never a guess.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::balance::mass_balance;
use crate::error::{Error, Result};
use crate::graph::EdgeFilter;
use crate::model::LotKey;
use crate::quantity::fixed_unit;
use crate::report::ser_decimal;
use crate::state::State;
use crate::trace::{TraceDirection, TraceOptions, reach};
use crate::tracker::Tracker;

/// One downstream lot and the share of it that came from the root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposedLot {
    /// Product.
    pub product: Arc<str>,
    /// Lot code.
    pub lot: Arc<str>,
    /// Shortest transform steps from the root.
    pub depth: u32,
    /// Share of the lot that came from the root, 0..=1.
    #[serde(serialize_with = "ser_decimal")]
    pub fraction: Decimal,
}

/// The exposure of every lot downstream of a root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure {
    /// The root lot.
    pub root: LotKey,
    /// Downstream lots (the root excluded), by depth.
    pub lots: Vec<ExposedLot>,
}

impl Tracker {
    /// Share of each downstream lot that came from `lot`.
    ///
    /// ```
    /// use lottrack_core::{LotKey, TraceOptions, Tracker};
    /// let t = Tracker::in_memory();
    /// for (id, lot, q) in [("E1", "A", "30"), ("E2", "B", "10")] {
    ///     t.record_json(&format!(r#"{{"event_id":"{id}","kind":"receive","time":"2026-03-01T08:00:00Z","location":"x","product":"flour","lot":"{lot}","quantity":"{q}","uom":"kg"}}"#)).unwrap();
    /// }
    /// t.record_json(r#"{"event_id":"T","kind":"transform","time":"2026-03-02T08:00:00Z","location":"x","inputs":[{"product":"flour","lot":"A","quantity":"30","uom":"kg"},{"product":"flour","lot":"B","quantity":"10","uom":"kg"}],"outputs":[{"product":"mix","lot":"M","quantity":"40","uom":"kg"}]}"#).unwrap();
    /// let e = t.exposure(&LotKey::new("flour", "A"), &TraceOptions::default()).unwrap();
    /// assert_eq!(e.lots[0].fraction.to_string(), "0.75");
    /// ```
    pub fn exposure(&self, lot: &LotKey, opts: &TraceOptions) -> Result<Exposure> {
        self.with_state(|s| exposure(s, lot, opts))
    }
}

/// A quantity of a product's base unit expressed in a unit common to all products
/// of one transform: (unit, quantity).
fn weigh(s: &State, lot: u32, qty: Decimal) -> Option<(String, Decimal)> {
    let rec = &s.ledger.lots[lot as usize];
    let units = &s.catalog.product_by_id(rec.product)?.units;
    if let Some((dim, f)) = fixed_unit(&units.base) {
        return qty.checked_mul(f).map(|q| (dim.to_string(), q));
    }
    for (unit, per) in &units.conversions {
        if let Some((dim, f)) = fixed_unit(unit) {
            // one `unit` is `per` base units
            return qty
                .checked_div(*per)
                .and_then(|q| q.checked_mul(f))
                .map(|q| (dim.to_string(), q));
        }
    }
    Some((units.base.clone(), qty))
}

/// A transform feeding a lot: (event, quantity of the lot it produced, its inputs
/// with the quantity each contributed).
type EventInputs = (u32, Decimal, Vec<(u32, Decimal)>);

/// Positions of the reached lots and a topological order of them (Kahn's
/// algorithm over the reached sub-graph, following edges the filter admits).
pub(crate) fn topo_order(
    s: &State,
    reached: &[(u32, u32)],
    filter: EdgeFilter,
) -> (HashMap<u32, usize>, Vec<usize>) {
    let pos: HashMap<u32, usize> = reached
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (*n, i))
        .collect();
    let edges_out = |n: u32| {
        s.graph
            .out(n)
            .filter(move |a| filter.admits(s.graph.edges[a.edge as usize].time_ms))
            .filter_map(|a| pos.get(&a.lot).copied())
    };
    let mut indeg = vec![0usize; reached.len()];
    for &(n, _) in reached {
        for j in edges_out(n) {
            indeg[j] += 1;
        }
    }
    let mut order = Vec::with_capacity(reached.len());
    let mut stack: Vec<usize> = (0..reached.len()).filter(|i| indeg[*i] == 0).collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        for j in edges_out(reached[i].0) {
            indeg[j] -= 1;
            if indeg[j] == 0 {
                stack.push(j);
            }
        }
    }
    (pos, order)
}

pub(crate) fn exposure(s: &State, lot: &LotKey, opts: &TraceOptions) -> Result<Exposure> {
    let root = s.lot_id(&lot.product, &lot.lot, "")?;
    let reached = reach(s, &[root], TraceDirection::Forward, opts);
    let filter = opts.filter();
    let (pos, order) = topo_order(s, &reached, filter);
    let mut frac = vec![Decimal::ZERO; reached.len()];
    for i in order {
        let n = reached[i].0;
        if n == root {
            frac[i] = Decimal::ONE;
            continue;
        }
        // Returns bring the lot's own material back: they do not dilute its share.
        let mb = mass_balance(s, n);
        let total_in = mb.received + mb.produced;
        if total_in.is_zero() {
            continue;
        }
        // Group the lot's incoming edges by transform event.
        let mut by_event: Vec<EventInputs> = Vec::new();
        for a in s.graph.inc(n) {
            let e = &s.graph.edges[a.edge as usize];
            if !filter.admits(e.time_ms) {
                continue;
            }
            match by_event.iter_mut().find(|b| b.0 == e.event) {
                Some(b) => b.2.push((e.from, e.qty_in)),
                None => by_event.push((e.event, e.qty_out, vec![(e.from, e.qty_in)])),
            }
        }
        let mut share = Decimal::ZERO;
        for (event, produced, inputs) in by_event {
            let mut weighed = Vec::with_capacity(inputs.len());
            let mut unit: Option<String> = None;
            for (from, q) in &inputs {
                let (u, w) = weigh(s, *from, *q).unwrap_or_default();
                match &unit {
                    None => unit = Some(u),
                    Some(prev) if *prev != u => {
                        return Err(Error::IncompatibleUnits {
                            context: format!(
                                "exposure through transform `{}`",
                                s.events[event as usize].id
                            ),
                            from: prev.clone(),
                            to: u,
                        });
                    }
                    _ => {}
                }
                weighed.push((*from, w));
            }
            let Some(all) = weighed
                .iter()
                .try_fold(Decimal::ZERO, |a, w| a.checked_add(w.1))
            else {
                return Err(Error::InvalidField {
                    event_id: s.events[event as usize].id.to_string(),
                    field: "quantity".into(),
                    reason: "the inputs of this transform are too large to add up exactly".into(),
                });
            };
            if all.is_zero() {
                continue;
            }
            let mut from_root = Decimal::ZERO;
            for (from, w) in weighed {
                if let Some(&j) = pos.get(&from) {
                    from_root += w / all * frac[j];
                }
            }
            share += produced / total_in * from_root;
        }
        frac[i] = share.min(Decimal::ONE);
    }
    let lots = reached
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| *n != root)
        .map(|(i, (n, depth))| {
            let k = &s.ledger.lots[*n as usize].key;
            ExposedLot {
                product: k.product.clone(),
                lot: k.lot.clone(),
                depth: *depth,
                fraction: frac[i].normalize(),
            }
        })
        .collect();
    Ok(Exposure {
        root: s.ledger.lots[root as usize].key.clone(),
        lots,
    })
}
