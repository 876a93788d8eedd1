//! Master data: products with their unit tables, parties and locations.

use crate::hashing::FastMap;

use crate::intern::Interner;
use crate::quantity::Units;

/// A product's master data.
#[derive(Debug, Clone)]
pub(crate) struct ProductRec {
    pub(crate) units: Units,
    /// `units.base`, shared by reports without copying.
    pub(crate) uom: std::sync::Arc<str>,
    pub(crate) description: Option<String>,
    pub(crate) rules: crate::event::ProductRules,
    /// Declared by a `product` event (rather than implied by a first receipt).
    pub(crate) declared: bool,
}

/// A product's master data, as [`crate::Tracker::product`] returns it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProductInfo {
    /// Product id.
    pub product: String,
    /// Base unit (lots' balances are kept in it).
    pub uom: String,
    /// `unit -> base units in one of it`.
    pub conversions: std::collections::BTreeMap<String, rust_decimal::Decimal>,
    /// Description.
    pub description: Option<String>,
    /// Declared by a `product` event (false when implied by a first receipt).
    pub declared: bool,
    /// Expiry inheritance margin in days, when lots inherit their inputs' expiry.
    pub inherit_expiry: Option<i64>,
    /// Accepted yield range (output ÷ input) of transforms producing it.
    pub yield_range: Option<(rust_decimal::Decimal, rust_decimal::Decimal)>,
}

/// A party's or location's master data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyRec {
    /// Display name.
    pub name: Option<String>,
    /// Role (`supplier`, `customer`, `own`) or, for a location, its owning party.
    pub role: Option<String>,
}

/// Products, parties and locations, each interned.
#[derive(Debug, Default, Clone)]
pub(crate) struct Catalog {
    pub(crate) products: Interner,
    pub(crate) product_recs: Vec<Option<ProductRec>>,
    pub(crate) places: Interner,
    /// Customers and suppliers named by events (not only declared parties).
    pub(crate) party_names: Interner,
    pub(crate) parties: FastMap<String, PartyRec>,
    pub(crate) locations: FastMap<String, PartyRec>,
    /// Live lots per product id.
    pub(crate) live_lots: Vec<u32>,
    /// `""`, shared.
    pub(crate) empty: std::sync::Arc<str>,
    /// No documents, shared.
    pub(crate) no_docs: std::sync::Arc<[crate::model::Document]>,
}

impl Catalog {
    /// The product's record, if the product is known: declared by a `product`
    /// event, or implied by a live lot (a product implied only by voided events is
    /// unknown again, as if they never happened).
    pub(crate) fn product(&self, name: &str) -> Option<(u32, &ProductRec)> {
        let id = self.products.get(name)?;
        self.product_recs[id as usize]
            .as_ref()
            .filter(|r| r.declared || self.live_lots(id) > 0)
            .map(|r| (id, r))
    }

    /// Number of live lots of a product.
    pub(crate) fn live_lots(&self, id: u32) -> u32 {
        self.live_lots.get(id as usize).copied().unwrap_or(0)
    }

    pub(crate) fn lot_count_change(&mut self, id: u32, delta: i32) {
        if self.live_lots.len() <= id as usize {
            self.live_lots.resize(id as usize + 1, 0);
        }
        let c = &mut self.live_lots[id as usize];
        *c = c.saturating_add_signed(delta);
    }

    pub(crate) fn product_by_id(&self, id: u32) -> Option<&ProductRec> {
        self.product_recs.get(id as usize).and_then(Option::as_ref)
    }

    /// Sets a product's record, interning it.
    pub(crate) fn set_product(&mut self, name: &str, rec: ProductRec) -> u32 {
        let id = self.products.intern(name);
        if self.product_recs.len() <= id as usize {
            self.product_recs.resize(id as usize + 1, None);
        }
        self.product_recs[id as usize] = Some(rec);
        id
    }

    /// The empty name, shared (a movement without a party or location).
    pub(crate) fn empty_name(&self) -> std::sync::Arc<str> {
        self.empty.clone()
    }

    /// The base unit of a product id, shared ("" if unknown).
    pub(crate) fn base_uom_arc(&self, id: u32) -> std::sync::Arc<str> {
        self.product_by_id(id)
            .map(|p| p.uom.clone())
            .unwrap_or_else(|| self.empty.clone())
    }

    /// The base unit of a product id ("" if unknown).
    pub(crate) fn base_uom(&self, id: u32) -> &str {
        self.product_by_id(id)
            .map(|p| p.units.base.as_str())
            .unwrap_or("")
    }
}

/// The checkpoint form of the catalog (`checkpoint.rs`). Parties and locations
/// are written in name order, so equal catalogs write equal bytes.
mod checkpoint {
    use super::*;
    use crate::checkpoint::codec::{Get, Got, Put, Reader, Writer, corrupt};
    use rust_decimal::Decimal;

    impl Put for ProductRec {
        fn put(&self, w: &mut Writer<'_>) {
            w.str(&self.units.base);
            w.len(self.units.conversions.len());
            for (unit, factor) in &self.units.conversions {
                w.str(unit);
                factor.put(w);
            }
            self.description.put(w);
            w.opt(self.rules.inherit_expiry.as_ref(), |w, d| w.i64(*d));
            w.opt(self.rules.yield_range.as_ref(), |w, (lo, hi)| {
                lo.put(w);
                hi.put(w);
            });
            w.u8(u8::from(self.declared));
        }
    }

    impl Get for ProductRec {
        fn get(r: &mut Reader<'_>) -> Got<Self> {
            let base = r.string()?;
            let mut conversions = std::collections::BTreeMap::new();
            for _ in 0..r.len("conversions")? {
                let unit = r.string()?;
                conversions.insert(unit, Decimal::get(r)?);
            }
            let description = Option::<String>::get(r)?;
            let inherit_expiry = r.opt(|r| r.i64())?;
            let yield_range = r.opt(|r| Ok((Decimal::get(r)?, Decimal::get(r)?)))?;
            let declared = match r.u8()? {
                0 => false,
                1 => true,
                b => return Err(corrupt(format!("product flag {b}"))),
            };
            Ok(ProductRec {
                uom: std::sync::Arc::from(base.as_str()),
                units: Units { base, conversions },
                description,
                rules: crate::event::ProductRules {
                    inherit_expiry,
                    yield_range,
                },
                declared,
            })
        }
    }

    impl Put for PartyRec {
        fn put(&self, w: &mut Writer<'_>) {
            self.name.put(w);
            self.role.put(w);
        }
    }

    impl Get for PartyRec {
        fn get(r: &mut Reader<'_>) -> Got<Self> {
            Ok(PartyRec {
                name: Option::get(r)?,
                role: Option::get(r)?,
            })
        }
    }

    fn put_map(w: &mut Writer<'_>, map: &FastMap<String, PartyRec>) {
        let mut rows: Vec<(&String, &PartyRec)> = map.iter().collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        w.list(&rows, |w, (k, v)| {
            w.str(k);
            v.put(w);
        });
    }

    fn get_map(r: &mut Reader<'_>) -> Got<FastMap<String, PartyRec>> {
        let rows: Vec<(String, PartyRec)> = r.get_list("parties")?;
        Ok(rows.into_iter().collect())
    }

    impl Catalog {
        pub(crate) fn put(&self, w: &mut Writer<'_>) {
            self.products.put(w);
            w.put_list(&self.product_recs);
            self.places.put(w);
            self.party_names.put(w);
            put_map(w, &self.parties);
            put_map(w, &self.locations);
            // Without trailing zeros: the table grows as products first get a
            // live lot, so its length depends on history, not on the state.
            let used = self
                .live_lots
                .iter()
                .rposition(|&n| n != 0)
                .map_or(0, |i| i + 1);
            w.put_list(&self.live_lots[..used]);
        }

        pub(crate) fn get(r: &mut Reader<'_>) -> Got<Catalog> {
            let products = <Interner as Get>::get(r)?;
            let product_recs: Vec<Option<ProductRec>> = r.get_list("products")?;
            if product_recs.len() != products.len() {
                return Err(corrupt(format!(
                    "{} product records for {} products",
                    product_recs.len(),
                    products.len()
                )));
            }
            Ok(Catalog {
                products,
                product_recs,
                places: <Interner as Get>::get(r)?,
                party_names: <Interner as Get>::get(r)?,
                parties: get_map(r)?,
                locations: get_map(r)?,
                live_lots: r.get_list("live lots")?,
                ..Catalog::default()
            })
        }
    }
}
