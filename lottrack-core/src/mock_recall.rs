//! Scored mock recalls: the whole exercise — forward trace, backward trace to the
//! suppliers, customers to notify ranked by how much of the root they received,
//! stock to hold, mass balance in one reporting unit — without recording anything,
//! with a score (share of the root quantity accounted for) and a report a person
//! can file (JSON, CSV, one-page Markdown).
//!
//! Root material is followed through every transform by quantity: a transform
//! consumes `q × share(input)` of root material from each input and hands it to its
//! outputs in proportion to what it produced. So the estimated root quantity in
//! every downstream lot, and with every customer, never exceeds what the root held.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{DateTime, SubsecRound, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::event::{Event, EventBody, Time};
use crate::inventory::{StockLine, stock_lines};
use crate::ledger::Role;
use crate::model::{LotKey, LotStatus};
use crate::quantity::fmt_decimal;
use crate::report::{csv_line, ser_decimal, ser_opt_decimal};
use crate::reporting::{Tolerance, UnitBalance, convert_balance, factor_to, judge};
use crate::state::State;
use crate::trace::{Receipt, Shipment, TraceDirection, TraceOptions, movements, reach};
use crate::tracker::{Recorded, Tracker};

/// A downstream lot with the share and estimated quantity of root material in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotExposure {
    /// Product.
    pub product: String,
    /// Lot code.
    pub lot: String,
    /// Shortest transform steps from a root.
    pub depth: u32,
    /// Current status.
    pub status: LotStatus,
    /// Share of the lot that is root material (`None` when a unit on the way has
    /// no path to the reporting unit).
    #[serde(serialize_with = "ser_opt_decimal")]
    pub share: Option<Decimal>,
    /// Estimated root material the lot received, in the reporting unit.
    #[serde(serialize_with = "ser_opt_decimal")]
    pub root_quantity: Option<Decimal>,
}

/// A customer to notify, with the estimated root material they received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerExposure {
    /// The customer.
    pub customer: String,
    /// Their shipments of affected lots.
    pub shipments: Vec<Shipment>,
    /// Estimated root material received, in the reporting unit.
    #[serde(serialize_with = "ser_opt_decimal")]
    pub root_quantity: Option<Decimal>,
}

/// The result of a mock recall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MockRecall {
    /// The lots the drill started from.
    pub roots: Vec<LotKey>,
    /// The unit every figure is reported in.
    pub reporting_unit: String,
    /// The accepted range of "accounted for".
    pub tolerance: Tolerance,
    /// When the drill ran.
    pub started_at: DateTime<Utc>,
    /// How long it took, in microseconds.
    pub elapsed_us: u64,
    /// Every affected lot (roots at depth 0) with its exposure.
    pub lots: Vec<LotExposure>,
    /// Receipts of the roots and everything upstream of them: who supplied it.
    pub suppliers: Vec<Receipt>,
    /// Customers to notify, most exposed first.
    pub customers: Vec<CustomerExposure>,
    /// Stock to hold.
    pub stock_to_hold: Vec<StockLine>,
    /// Mass balance of each root in the reporting unit.
    pub mass_balance: Vec<UnitBalance>,
    /// Products with no path to the reporting unit (their figures are unknown).
    pub unconvertible: Vec<String>,
    /// Everything that came into the roots, in the reporting unit.
    #[serde(serialize_with = "ser_decimal")]
    pub root_quantity: Decimal,
    /// How much of it is accounted for (out + on hand).
    #[serde(serialize_with = "ser_decimal")]
    pub accounted_quantity: Decimal,
    /// accounted ÷ root quantity, in percent.
    #[serde(serialize_with = "ser_decimal")]
    pub score: Decimal,
    /// Score within tolerance and every root convertible.
    pub pass: bool,
}

impl Tracker {
    /// Runs a mock recall of `lots` in `reporting_unit` without recording anything.
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker, reporting::Tolerance};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"flour","lot":"F","quantity":"100","uom":"kg","supplier":"mill"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"flour","lot":"F","quantity":"60","uom":"kg"}],"outputs":[{"product":"bread","lot":"B","quantity":"100","uom":"kg"}]}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E3","kind":"ship","time":"2026-03-03T08:00:00Z","location":"a","product":"bread","lot":"B","quantity":"50","uom":"kg","customer":"shop"}"#).unwrap();
    /// let m = t.mock_recall(&[LotKey::new("flour", "F")], "kg", Tolerance::default()).unwrap();
    /// assert_eq!(m.score.to_string(), "100");
    /// assert_eq!(m.customers[0].root_quantity.unwrap().to_string(), "30");
    /// assert!(m.to_markdown().contains("PASS"));
    /// ```
    pub fn mock_recall(
        &self,
        lots: &[LotKey],
        reporting_unit: &str,
        tolerance: Tolerance,
    ) -> Result<MockRecall> {
        let started_at = Utc::now().trunc_subsecs(6);
        let clock = Instant::now();
        let mut m = self.with_state(|s| mock_recall(s, lots, reporting_unit, tolerance))?;
        m.started_at = started_at;
        m.elapsed_us = clock.elapsed().as_micros().try_into().unwrap_or(u64::MAX);
        Ok(m)
    }

    /// Records that a drill was run (a `mock_recall` event that changes no stock or
    /// status), so an audit can see when drills were run and how they scored.
    pub fn record_mock_recall(
        &self,
        drill: &MockRecall,
        time: Time,
        event_id: Option<&str>,
    ) -> Result<Recorded> {
        let mut result = Map::new();
        result.insert("reporting_unit".into(), drill.reporting_unit.clone().into());
        result.insert("score".into(), fmt_decimal(drill.score).into());
        result.insert("pass".into(), drill.pass.into());
        result.insert(
            "root_quantity".into(),
            fmt_decimal(drill.root_quantity).into(),
        );
        result.insert(
            "accounted_quantity".into(),
            fmt_decimal(drill.accounted_quantity).into(),
        );
        result.insert("customers".into(), drill.customers.len().into());
        result.insert("lots".into(), drill.lots.len().into());
        result.insert("elapsed_us".into(), drill.elapsed_us.into());
        result.insert(
            "started_at".into(),
            Value::String(drill.started_at.to_rfc3339()),
        );
        let ev = Event {
            event_id: event_id.unwrap_or_default().to_string(),
            time,
            location: None,
            documents: Vec::new(),
            attributes: Map::new(),
            extra: Map::new(),
            body: EventBody::MockRecall {
                lots: drill.roots.clone(),
                result,
            },
        };
        self.record(ev)
    }
}

fn mock_recall(s: &State, lots: &[LotKey], unit: &str, tolerance: Tolerance) -> Result<MockRecall> {
    let mut roots = Vec::with_capacity(lots.len());
    for k in lots {
        roots.push(s.lot_id(&k.product, &k.lot, "")?);
    }
    let opts = TraceOptions::default();
    let reached = reach(s, &roots, TraceDirection::Forward, &opts);
    let flow = root_flow(s, &roots, &reached, unit);
    let mut unconvertible: Vec<String> = Vec::new();
    let mut note = |p: &str| {
        if !unconvertible.iter().any(|x| x == p) {
            unconvertible.push(p.to_string());
        }
    };
    let mut out_lots = Vec::with_capacity(reached.len());
    let mut by_customer: BTreeMap<String, (Vec<Shipment>, Option<Decimal>)> = BTreeMap::new();
    let mut stock_to_hold = Vec::new();
    for &(n, depth) in &reached {
        let rec = &s.ledger.lots[n as usize];
        // `ratio`: root material per unit of the lot (above 1 when a transform
        // yielded less than it consumed); the share shown is capped at the whole lot.
        let (ratio, rootq) = flow.get(&n).copied().unwrap_or((None, None));
        let share = ratio.map(|r| r.min(Decimal::ONE));
        if ratio.is_none() {
            note(&rec.key.product);
        }
        out_lots.push(LotExposure {
            product: rec.key.product.to_string(),
            lot: rec.key.lot.to_string(),
            depth,
            status: rec.status(),
            share: share.map(|d| d.round_dp(6).normalize()),
            root_quantity: rootq.map(|d| d.round_dp(6).normalize()),
        });
        let f = factor_to(s, rec.product, unit);
        for sh in movements(s, n, Role::Shipped, opts.filter()) {
            let entry = by_customer
                .entry(sh.party.to_string())
                .or_insert((Vec::new(), Some(Decimal::ZERO)));
            entry.1 = match (entry.1, f, ratio) {
                (Some(acc), Some(f), Some(sh_)) => sh
                    .quantity
                    .checked_mul(f)
                    .and_then(|q| q.checked_mul(sh_))
                    .and_then(|q| acc.checked_add(q)),
                _ => None,
            };
            entry.0.push(Shipment(sh));
        }
        stock_to_hold.extend(stock_lines(s, n));
    }
    let mut customers: Vec<CustomerExposure> = by_customer
        .into_iter()
        .map(|(customer, (mut shipments, q))| {
            shipments.sort_by(|a, b| {
                a.time
                    .cmp(&b.time)
                    .then_with(|| a.event_id.cmp(&b.event_id))
            });
            CustomerExposure {
                customer,
                shipments,
                root_quantity: q.map(|d| d.round_dp(6).normalize()),
            }
        })
        .collect();
    customers.sort_by(|a, b| {
        b.root_quantity
            .cmp(&a.root_quantity)
            .then_with(|| a.customer.cmp(&b.customer))
    });
    let back = reach(s, &roots, TraceDirection::Backward, &opts);
    let mut suppliers: Vec<Receipt> = back
        .iter()
        .flat_map(|(n, _)| movements(s, *n, Role::Received, opts.filter()))
        .map(Receipt)
        .collect();
    suppliers.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.event_id.cmp(&b.event_id))
    });
    let mut balances = Vec::with_capacity(roots.len());
    let (mut root_quantity, mut accounted) = (Decimal::ZERO, Decimal::ZERO);
    let mut all_convertible = true;
    for r in &roots {
        match convert_balance(s, *r, unit) {
            Ok(mb) => {
                // `convert_balance` checked that each lot's totals fit.
                let sums = root_quantity
                    .checked_add(mb.total_in())
                    .zip(accounted.checked_add(mb.total_out() + mb.on_hand));
                let Some((q, a)) = sums else {
                    return Err(crate::error::Error::InvalidField {
                        event_id: String::new(),
                        field: "quantity".into(),
                        reason: format!(
                            "the roots' quantities are too large to add up in `{unit}`"
                        ),
                    });
                };
                (root_quantity, accounted) = (q, a);
                balances.push(judge(mb, tolerance)?);
            }
            Err(_) => {
                all_convertible = false;
                note(&s.ledger.lots[*r as usize].key.product);
            }
        }
    }
    let score = if root_quantity.is_zero() {
        Decimal::ZERO
    } else {
        crate::reporting::percent(accounted, root_quantity)?
    };
    Ok(MockRecall {
        roots: roots
            .iter()
            .map(|r| s.ledger.lots[*r as usize].key.clone())
            .collect(),
        reporting_unit: unit.to_string(),
        tolerance,
        started_at: Utc::now(),
        elapsed_us: 0,
        lots: out_lots,
        suppliers,
        customers,
        stock_to_hold,
        mass_balance: balances,
        unconvertible,
        root_quantity: root_quantity.normalize(),
        accounted_quantity: accounted.normalize(),
        score,
        pass: all_convertible && !root_quantity.is_zero() && tolerance.admits(score),
    })
}

/// For every reached lot: (root material per unit of the lot, root material
/// received), in
/// the reporting unit; `None` where a unit has no path to it.
pub(crate) fn root_flow(
    s: &State,
    roots: &[u32],
    reached: &[(u32, u32)],
    unit: &str,
) -> HashMap<u32, (Option<Decimal>, Option<Decimal>)> {
    let (pos, order) = crate::exposure::topo_order(s, reached, crate::graph::EdgeFilter::default());
    let total_in = |lot: u32| -> Option<Decimal> {
        let f = factor_to(s, s.ledger.lots[lot as usize].product, unit)?;
        let mb = crate::balance::mass_balance(s, lot);
        mb.received
            .checked_add(mb.produced)
            .and_then(|t| t.checked_mul(f))
    };
    let mut out: HashMap<u32, (Option<Decimal>, Option<Decimal>)> = HashMap::new();
    for i in order {
        let n = reached[i].0;
        if roots.contains(&n) {
            let t = total_in(n);
            out.insert(n, (t.map(|_| Decimal::ONE), t));
            continue;
        }
        // Root material handed to `n` by each transform that produced it.
        let mut events: Vec<u32> = s
            .graph
            .inc(n)
            .filter(|a| pos.contains_key(&a.lot))
            .map(|a| s.graph.edges[a.edge as usize].event)
            .collect();
        events.sort_unstable();
        events.dedup();
        let mut received = Some(Decimal::ZERO);
        for e in events {
            let mut consumed = Some(Decimal::ZERO);
            let (mut produced_all, mut produced_n) = (Some(Decimal::ZERO), Some(Decimal::ZERO));
            for (lot, m) in s.event_moves(e) {
                let f = factor_to(s, s.ledger.lots[lot as usize].product, unit);
                if m.delta < Decimal::ZERO {
                    let ratio = match out.get(&lot) {
                        Some((r, _)) => *r,
                        None => Some(Decimal::ZERO),
                    };
                    consumed = match (consumed, f, ratio) {
                        (Some(c), Some(f), Some(r)) => m
                            .delta
                            .checked_mul(f)
                            .and_then(|q| q.checked_mul(r))
                            .and_then(|q| c.checked_sub(q)),
                        _ => None,
                    };
                } else {
                    let q = f.and_then(|f| m.delta.checked_mul(f));
                    produced_all = produced_all.zip(q).and_then(|(p, q)| p.checked_add(q));
                    if lot == n {
                        produced_n = produced_n.zip(q).and_then(|(p, q)| p.checked_add(q));
                    }
                }
            }
            received = match (received, consumed, produced_all, produced_n) {
                (Some(r), Some(c), Some(pa), Some(pn)) if !pa.is_zero() => {
                    // The product first, as exactly as it fits; past 28 digits
                    // the share first (it is at most 1).
                    c.checked_mul(pn)
                        .and_then(|x| x.checked_div(pa))
                        .or_else(|| pn.checked_div(pa).and_then(|x| c.checked_mul(x)))
                        .and_then(|part| r.checked_add(part))
                }
                (Some(r), Some(_), Some(_), Some(_)) => Some(r),
                _ => None,
            };
        }
        let ratio = match (received, total_in(n)) {
            (Some(r), Some(t)) if !t.is_zero() => r.checked_div(t),
            (Some(_), Some(_)) => Some(Decimal::ZERO),
            _ => None,
        };
        out.insert(n, (ratio, received));
    }
    out
}

impl MockRecall {
    /// The report as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The report as one CSV: `notify` rows (customer, estimated root quantity,
    /// shipment), `hold` rows (stock), `balance` rows (roots).
    pub fn to_csv(&self) -> String {
        let u = &self.reporting_unit;
        let opt = |d: Option<Decimal>| d.map(fmt_decimal).unwrap_or_else(|| "unknown".into());
        let mut out = csv_line([
            "section",
            "customer_or_location",
            "product",
            "lot",
            "quantity",
            "uom",
            "root_quantity",
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
                    &fmt_decimal(sh.quantity),
                    &sh.uom,
                    &format!("{} {u}", opt(c.root_quantity)),
                    &sh.time.to_rfc3339(),
                    &sh.event_id,
                    &docs.join(";"),
                ]));
            }
        }
        for l in &self.stock_to_hold {
            out.push_str(&csv_line([
                "hold",
                &l.location,
                &l.product,
                &l.lot,
                &fmt_decimal(l.quantity),
                &l.uom,
                "",
                "",
                "",
                "",
            ]));
        }
        for b in &self.mass_balance {
            let mb = &b.balance;
            out.push_str(&csv_line([
                "balance",
                "",
                &mb.product,
                &mb.lot,
                &fmt_decimal(mb.total_in()),
                u,
                &format!("{} %", fmt_decimal(b.accounted_pct)),
                "",
                if b.pass { "PASS" } else { "FAIL" },
                "",
            ]));
        }
        out
    }

    /// A one-page Markdown summary to file with the audit.
    pub fn to_markdown(&self) -> String {
        let u = &self.reporting_unit;
        let opt = |d: Option<Decimal>| {
            d.map(|d| fmt_decimal(d.round_dp(3)))
                .unwrap_or_else(|| "unknown".into())
        };
        let mut m = String::new();
        let roots: Vec<String> = self.roots.iter().map(|r| r.to_string()).collect();
        let _ = writeln!(m, "# Mock recall: {}", roots.join(", "));
        let _ = writeln!(m);
        let _ = writeln!(
            m,
            "Run {} in {:.1} ms. Reporting unit **{u}**, tolerance {}–{} %.",
            self.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
            self.elapsed_us as f64 / 1000.0,
            fmt_decimal(self.tolerance.low),
            fmt_decimal(self.tolerance.high)
        );
        let _ = writeln!(m);
        let _ = writeln!(
            m,
            "**Result: {}** — {} % of {} {u} accounted for ({} {u}).",
            if self.pass { "PASS" } else { "FAIL" },
            fmt_decimal(self.score),
            fmt_decimal(self.root_quantity.round_dp(3)),
            fmt_decimal(self.accounted_quantity.round_dp(3))
        );
        if !self.unconvertible.is_empty() {
            let _ = writeln!(
                m,
                "\nNo path to `{u}` for: {}.",
                self.unconvertible.join(", ")
            );
        }
        let _ = writeln!(
            m,
            "\n## Mass balance\n\n| lot | in | shipped | consumed | disposed | adjusted | on hand | accounted | verdict |\n|---|---|---|---|---|---|---|---|---|"
        );
        for b in &self.mass_balance {
            let mb = &b.balance;
            let r = |d: Decimal| fmt_decimal(d.round_dp(3));
            let _ = writeln!(
                m,
                "| {}/{} | {} | {} | {} | {} | {} | {} | {} % | {} |",
                mb.product,
                mb.lot,
                r(mb.total_in()),
                r(mb.shipped),
                r(mb.consumed),
                r(mb.disposed),
                r(mb.adjusted),
                r(mb.on_hand),
                fmt_decimal(b.accounted_pct),
                if b.pass { "pass" } else { "FAIL" }
            );
        }
        let _ = writeln!(
            m,
            "\n## Customers to notify ({}), most exposed first\n\n| customer | shipments | est. root material |\n|---|---|---|",
            self.customers.len()
        );
        for c in &self.customers {
            let _ = writeln!(
                m,
                "| {} | {} | {} {u} |",
                c.customer,
                c.shipments.len(),
                opt(c.root_quantity)
            );
        }
        let _ = writeln!(
            m,
            "\n## Stock to hold: {} lines\n",
            self.stock_to_hold.len()
        );
        for l in &self.stock_to_hold {
            let _ = writeln!(
                m,
                "- {}/{}: {} {} at {}",
                l.product,
                l.lot,
                fmt_decimal(l.quantity),
                l.uom,
                l.location
            );
        }
        let mut farms: Vec<&str> = self.suppliers.iter().map(|r| &*r.party).collect();
        farms.sort_unstable();
        farms.dedup();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let _ = writeln!(
            m,
            "\n## Upstream: {} from {}\n",
            plural(self.suppliers.len(), "receipt", "receipts"),
            farms.join(", ")
        );
        let deepest = self.lots.iter().map(|l| l.depth).max().unwrap_or(0) as usize;
        let _ = writeln!(
            m,
            "Affected lots: {} (deepest {}).",
            self.lots.len(),
            plural(deepest, "transform step", "transform steps")
        );
        m
    }
}
