//! Master data: products with their unit tables, parties and locations.

use std::collections::HashMap;

use crate::intern::Interner;
use crate::quantity::Units;

/// A product's master data.
#[derive(Debug, Clone)]
pub(crate) struct ProductRec {
    pub(crate) units: Units,
    pub(crate) description: Option<String>,
    /// Declared by a `product` event (rather than implied by a first receipt).
    pub(crate) declared: bool,
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
    pub(crate) parties: HashMap<String, PartyRec>,
    pub(crate) locations: HashMap<String, PartyRec>,
}

impl Catalog {
    /// The product's record, if the product is known.
    pub(crate) fn product(&self, name: &str) -> Option<(u32, &ProductRec)> {
        let id = self.products.get(name)?;
        self.product_recs[id as usize].as_ref().map(|r| (id, r))
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

    /// The base unit of a product id ("" if unknown).
    pub(crate) fn base_uom(&self, id: u32) -> &str {
        self.product_by_id(id)
            .map(|p| p.units.base.as_str())
            .unwrap_or("")
    }
}
