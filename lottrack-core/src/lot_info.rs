//! A lot's attributes as the tracker knows them: status, dates (and where the
//! expiry came from), supplier and supplier's lot code, on hand.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Result;
use crate::model::{LotKey, LotStatus};
use crate::report::ser_decimal;
use crate::tracker::Tracker;

/// Everything known about one lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotInfo {
    /// Product.
    pub product: String,
    /// Lot code.
    pub lot: String,
    /// Current status.
    pub status: LotStatus,
    /// Expiry (best-before / use-by).
    pub expiry: Option<NaiveDate>,
    /// Where the expiry came from.
    pub expiry_source: Option<String>,
    /// Production date.
    pub production_date: Option<NaiveDate>,
    /// Supplier of the first receipt.
    pub supplier: Option<String>,
    /// The supplier's own lot code.
    pub supplier_lot: Option<String>,
    /// Origin party.
    pub origin: Option<String>,
    /// On hand over every location and container (base unit).
    #[serde(serialize_with = "ser_decimal")]
    pub on_hand: Decimal,
    /// The product's base unit.
    pub uom: String,
}

impl Tracker {
    /// A lot's attributes.
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg","supplier":"farm","supplier_lot":"F-9","expiry":"2026-03-20"}"#).unwrap();
    /// let info = t.lot(&LotKey::new("p", "L")).unwrap();
    /// assert_eq!(info.supplier_lot.as_deref(), Some("F-9"));
    /// assert_eq!(info.expiry_source.as_deref(), Some("given by event E1"));
    /// ```
    pub fn lot(&self, lot: &LotKey) -> Result<LotInfo> {
        self.with_state(|s| {
            let id = s.lot_id(&lot.product, &lot.lot, "")?;
            let r = &s.ledger.lots[id as usize];
            Ok(LotInfo {
                product: r.key.product.to_string(),
                lot: r.key.lot.to_string(),
                status: r.status(),
                expiry: r.attrs.expiry,
                expiry_source: r.attrs.expiry_source(&s.events, &s.ledger.lots),
                production_date: r.attrs.production_date,
                supplier: r.attrs.supplier().map(str::to_string),
                supplier_lot: r.attrs.supplier_lot().map(str::to_string),
                origin: r.attrs.origin().map(str::to_string),
                on_hand: r.on_hand(),
                uom: s.catalog.base_uom(r.product).to_string(),
            })
        })
    }
}
