//! Mass balance: what came into a lot (received, produced, returned), what went out
//! (shipped, consumed, disposed, adjusted) and what is on hand — exactly.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Result;
use crate::ledger::Role;
use crate::model::LotKey;
use crate::report::ser_decimal;
use crate::state::State;
use crate::tracker::Tracker;

/// A lot's mass balance, in its product's base unit.
///
/// `unaccounted = received + produced + returned − shipped − consumed − disposed −
/// adjusted − on_hand`; it is exactly zero unless lenient mode let more leave than
/// came in (then it is negative by the deficit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MassBalance {
    /// Product.
    pub product: String,
    /// Lot code.
    pub lot: String,
    /// The product's base unit.
    pub uom: String,
    /// Received from suppliers.
    #[serde(serialize_with = "ser_decimal")]
    pub received: Decimal,
    /// Produced by transforms.
    #[serde(serialize_with = "ser_decimal")]
    pub produced: Decimal,
    /// Returned by customers.
    #[serde(serialize_with = "ser_decimal")]
    pub returned: Decimal,
    /// Shipped to customers.
    #[serde(serialize_with = "ser_decimal")]
    pub shipped: Decimal,
    /// Consumed by transforms or `consume` events.
    #[serde(serialize_with = "ser_decimal")]
    pub consumed: Decimal,
    /// Disposed of.
    #[serde(serialize_with = "ser_decimal")]
    pub disposed: Decimal,
    /// Net removed by adjustments (negative when adjustments found stock).
    #[serde(serialize_with = "ser_decimal")]
    pub adjusted: Decimal,
    /// On hand now, over every location and container.
    #[serde(serialize_with = "ser_decimal")]
    pub on_hand: Decimal,
    /// In − out − on hand.
    #[serde(serialize_with = "ser_decimal")]
    pub unaccounted: Decimal,
}

impl MassBalance {
    /// Everything that came in.
    pub fn total_in(&self) -> Decimal {
        self.received + self.produced + self.returned
    }

    /// Everything that went out.
    pub fn total_out(&self) -> Decimal {
        self.shipped + self.consumed + self.disposed + self.adjusted
    }

    /// True when in − out = on hand exactly.
    pub fn closes(&self) -> bool {
        self.unaccounted.is_zero()
    }
}

impl Tracker {
    /// The mass balance of one lot.
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"oil","lot":"O1","quantity":"0.1","uom":"l"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"receive","time":"2026-03-01T09:00:00Z","location":"a","product":"oil","lot":"O1","quantity":"0.2","uom":"l"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E3","kind":"ship","time":"2026-03-01T10:00:00Z","location":"a","product":"oil","lot":"O1","quantity":"0.3","uom":"l","customer":"c"}"#).unwrap();
    /// let mb = t.mass_balance(&LotKey::new("oil", "O1")).unwrap();
    /// assert_eq!(mb.received.to_string(), "0.3");
    /// assert!(mb.on_hand.is_zero() && mb.closes());
    /// ```
    pub fn mass_balance(&self, lot: &LotKey) -> Result<MassBalance> {
        self.with_state(|s| {
            let id = s.lot_id(&lot.product, &lot.lot, "")?;
            Ok(mass_balance(s, id))
        })
    }
}

pub(crate) fn mass_balance(s: &State, id: u32) -> MassBalance {
    let rec = &s.ledger.lots[id as usize];
    let z = Decimal::ZERO;
    let (mut received, mut produced, mut returned) = (z, z, z);
    let (mut shipped, mut consumed, mut disposed, mut adjusted) = (z, z, z, z);
    for m in &rec.moves {
        match m.role() {
            Role::Received => received += m.delta,
            Role::Produced => produced += m.delta,
            Role::Returned => returned += m.delta,
            Role::Shipped => shipped -= m.delta,
            Role::Consumed => consumed -= m.delta,
            Role::Disposed => disposed -= m.delta,
            Role::Adjusted => adjusted -= m.delta,
            Role::Transfer => {}
        }
    }
    let on_hand: Decimal = rec.stock.iter().map(|s| s.1).filter(|q| *q > z).sum();
    let unaccounted =
        received + produced + returned - shipped - consumed - disposed - adjusted - on_hand;
    MassBalance {
        product: rec.key.product.to_string(),
        lot: rec.key.lot.to_string(),
        uom: s.catalog.base_uom(rec.product).to_string(),
        received,
        produced,
        returned,
        shipped,
        consumed,
        disposed,
        adjusted,
        on_hand,
        unaccounted,
    }
}
