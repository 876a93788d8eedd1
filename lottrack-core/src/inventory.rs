//! Inventory: on hand by lot and location, lots expiring before a date, and
//! first-expired-first-out pick suggestions.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ledger::Place;
use crate::model::{LotKey, LotStatus};
use crate::report::ser_decimal;
use crate::state::State;
use crate::tracker::Tracker;

/// Stock of one lot at one location (or inside a container there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockLine {
    /// Product.
    pub product: String,
    /// Lot code.
    pub lot: String,
    /// Location.
    pub location: String,
    /// The container holding it, if packed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Quantity in the product's base unit.
    #[serde(serialize_with = "ser_decimal")]
    pub quantity: Decimal,
    /// The product's base unit.
    pub uom: String,
    /// The lot's status.
    pub status: LotStatus,
    /// The lot's expiry.
    pub expiry: Option<NaiveDate>,
}

/// One pick of a FEFO suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pick {
    /// Lot code.
    pub lot: String,
    /// Quantity to pick, in the product's base unit.
    #[serde(serialize_with = "ser_decimal")]
    pub quantity: Decimal,
    /// The product's base unit.
    pub uom: String,
    /// The lot's expiry (`None` sorts last).
    pub expiry: Option<NaiveDate>,
}

/// A first-expired-first-out pick suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FefoPlan {
    /// Product.
    pub product: String,
    /// Location.
    pub location: String,
    /// Picks, earliest expiry first.
    pub picks: Vec<Pick>,
    /// What active loose stock could not cover (0 when fully covered).
    #[serde(serialize_with = "ser_decimal")]
    pub shortfall: Decimal,
}

pub(crate) fn stock_lines(s: &State, id: u32) -> Vec<StockLine> {
    let rec = &s.ledger.lots[id as usize];
    let mut lines: Vec<StockLine> = rec
        .stock
        .iter()
        .filter(|(_, q)| !q.is_zero())
        .map(|(p, q)| StockLine {
            product: rec.key.product.to_string(),
            lot: rec.key.lot.to_string(),
            location: s
                .place_location(*p)
                .map(|l| s.catalog.places.name(l).to_string())
                .unwrap_or_default(),
            container: match p {
                Place::Container(c) => Some(s.ledger.container_ids.name(*c).to_string()),
                Place::Loc(_) => None,
            },
            quantity: *q,
            uom: s.catalog.base_uom(rec.product).to_string(),
            status: rec.status(),
            expiry: rec.attrs.expiry,
        })
        .collect();
    lines.sort_by(|a, b| {
        a.location
            .cmp(&b.location)
            .then_with(|| a.container.cmp(&b.container))
    });
    lines
}

impl Tracker {
    /// On hand of one lot, per location (and container).
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// let lines = t.on_hand(&LotKey::new("p", "L")).unwrap();
    /// assert_eq!((lines[0].location.as_str(), lines[0].quantity.to_string().as_str()), ("a", "5"));
    /// ```
    pub fn on_hand(&self, lot: &LotKey) -> Result<Vec<StockLine>> {
        self.with_state(|s| Ok(stock_lines(s, s.lot_id(&lot.product, &lot.lot, "")?)))
    }

    /// Every lot with stock, per location, ordered by product, lot and location.
    pub fn inventory(&self) -> Vec<StockLine> {
        self.with_state(|s| {
            let mut out = Vec::new();
            for (id, rec) in s.ledger.lots.iter().enumerate() {
                if rec.live_refs > 0 && !rec.stock.is_empty() {
                    out.extend(stock_lines(s, id as u32));
                }
            }
            out.sort_by(|a, b| {
                (&a.product, &a.lot, &a.location).cmp(&(&b.product, &b.lot, &b.location))
            });
            out
        })
    }

    /// Lots with stock whose expiry is before `date`, earliest first.
    pub fn expiring_before(&self, date: NaiveDate) -> Vec<StockLine> {
        let mut out: Vec<StockLine> = self
            .inventory()
            .into_iter()
            .filter(|l| l.expiry.is_some_and(|e| e < date))
            .collect();
        out.sort_by(|a, b| a.expiry.cmp(&b.expiry).then_with(|| a.lot.cmp(&b.lot)));
        out
    }

    /// Which lots of `product` to pick at `location` for `quantity` (in `uom`),
    /// earliest expiry first, from active loose stock only.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"milk","lot":"late","quantity":"5","uom":"l","expiry":"2026-04-01"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"milk","lot":"early","quantity":"5","uom":"l","expiry":"2026-03-10"}"#).unwrap();
    /// let plan = t.fefo("milk", "7".parse().unwrap(), "l", "a").unwrap();
    /// assert_eq!(plan.picks[0].lot, "early");
    /// assert_eq!(plan.picks[1].quantity.to_string(), "2");
    /// ```
    pub fn fefo(
        &self,
        product: &str,
        quantity: Decimal,
        uom: &str,
        location: &str,
    ) -> Result<FefoPlan> {
        self.with_state(|s| {
            let (pid, prec) = s
                .catalog
                .product(product)
                .ok_or_else(|| Error::UnknownProduct {
                    event_id: String::new(),
                    product: product.to_string(),
                })?;
            let need = prec.units.to_base_or_err(quantity, uom, "", product)?;
            if need <= Decimal::ZERO {
                return Err(Error::NonPositiveQuantity {
                    event_id: String::new(),
                    product: product.to_string(),
                    lot: "*".into(),
                    quantity: quantity.to_string(),
                });
            }
            let loc = s.catalog.places.get(location);
            let mut candidates: Vec<(Option<NaiveDate>, String, Decimal)> = Vec::new();
            if let Some(loc) = loc {
                for rec in s
                    .ledger
                    .lots
                    .iter()
                    .filter(|r| r.product == pid && r.live_refs > 0)
                {
                    let q = rec.at(Place::Loc(loc));
                    if q > Decimal::ZERO && rec.status() == LotStatus::Active {
                        candidates.push((rec.attrs.expiry, rec.key.lot.to_string(), q));
                    }
                }
            }
            candidates.sort_by(|a, b| match (a.0, b.0) {
                (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.1.cmp(&b.1)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.1.cmp(&b.1),
            });
            let mut left = need;
            let mut picks = Vec::new();
            for (expiry, lot, q) in candidates {
                if left.is_zero() {
                    break;
                }
                let take = q.min(left);
                left -= take;
                picks.push(Pick {
                    lot,
                    quantity: take,
                    uom: prec.units.base.clone(),
                    expiry,
                });
            }
            Ok(FefoPlan {
                product: product.to_string(),
                location: location.to_string(),
                picks,
                shortfall: left,
            })
        })
    }
}
