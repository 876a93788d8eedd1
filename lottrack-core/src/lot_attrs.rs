//! A lot's attributes as the index keeps them: the dates inline, where the
//! expiry came from as the index of the event that gave it (named only when a
//! report asks), and the strings few lots have (supplier, the supplier's lot code,
//! origin, an inherited expiry's explanation) behind one pointer. 24 bytes per
//! lot instead of a [`LotAttrs`] and a supplier `String` (112 bytes inline plus a
//! formatted "given by event …" string per lot).

use chrono::NaiveDate;

use crate::model::LotAttrs;
use crate::state::EventRec;

/// The compact attributes of one lot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LotAttrsRec {
    pub(crate) expiry: Option<NaiveDate>,
    pub(crate) production_date: Option<NaiveDate>,
    /// The event that gave the expiry (its source reads "given by event …").
    given_by: Option<u32>,
    more: Option<Box<LotMore>>,
}

/// The attributes only some lots have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LotMore {
    supplier: Option<String>,
    supplier_lot: Option<String>,
    origin: Option<String>,
    /// Where the expiry came from, when not simply given by an event.
    expiry_source: Option<String>,
}

impl LotMore {
    fn is_empty(&self) -> bool {
        self.supplier.is_none()
            && self.supplier_lot.is_none()
            && self.origin.is_none()
            && self.expiry_source.is_none()
    }
}

impl LotAttrsRec {
    /// Packs `attrs` and the supplier. With `given_by`, the expiry's source is
    /// that event (and `attrs.expiry_source` is not kept).
    pub(crate) fn new(attrs: &LotAttrs, supplier: Option<&str>, given_by: Option<u32>) -> Self {
        let more = LotMore {
            supplier: supplier.map(str::to_string),
            supplier_lot: attrs.supplier_lot.clone(),
            origin: attrs.origin.clone(),
            expiry_source: match given_by {
                Some(_) => None,
                None => attrs.expiry_source.clone(),
            },
        };
        LotAttrsRec {
            expiry: attrs.expiry,
            production_date: attrs.production_date,
            given_by,
            more: (!more.is_empty()).then(|| Box::new(more)),
        }
    }

    pub(crate) fn supplier(&self) -> Option<&str> {
        self.more.as_deref().and_then(|m| m.supplier.as_deref())
    }

    pub(crate) fn supplier_lot(&self) -> Option<&str> {
        self.more.as_deref().and_then(|m| m.supplier_lot.as_deref())
    }

    pub(crate) fn origin(&self) -> Option<&str> {
        self.more.as_deref().and_then(|m| m.origin.as_deref())
    }

    /// Where the expiry came from, in words (`events`: the index's records).
    pub(crate) fn expiry_source(&self, events: &[EventRec]) -> Option<String> {
        match self.given_by {
            Some(i) => events
                .get(i as usize)
                .map(|e| format!("given by event {}", e.id)),
            None => self.more.as_deref().and_then(|m| m.expiry_source.clone()),
        }
    }

    /// These attributes with the blanks filled from `new` (a later receipt or
    /// output of the same lot), or `None` when that changes nothing. The expiry's
    /// source follows the expiry; the first supplier is kept.
    pub(crate) fn merged(&self, new: &LotAttrsRec) -> Option<LotAttrsRec> {
        let mut m = self.clone();
        let mut changed = false;
        if m.expiry.is_none() && new.expiry.is_some() {
            m.expiry = new.expiry;
            m.given_by = new.given_by;
            let source = new.more.as_deref().and_then(|n| n.expiry_source.clone());
            m.more_mut().expiry_source = source;
            changed = true;
        }
        if m.production_date.is_none() && new.production_date.is_some() {
            m.production_date = new.production_date;
            changed = true;
        }
        if let Some(n) = new.more.as_deref() {
            changed |= fill(&mut m.more_mut().supplier_lot, &n.supplier_lot);
            changed |= fill(&mut m.more_mut().origin, &n.origin);
            changed |= fill(&mut m.more_mut().supplier, &n.supplier);
        }
        if m.more.as_deref().is_some_and(LotMore::is_empty) {
            m.more = None;
        }
        changed.then_some(m)
    }

    fn more_mut(&mut self) -> &mut LotMore {
        self.more.get_or_insert_with(Box::default)
    }
}

/// Fills an empty slot; whether it did.
fn fill(slot: &mut Option<String>, value: &Option<String>) -> bool {
    if slot.is_none() && value.is_some() {
        slot.clone_from(value);
        true
    } else {
        false
    }
}

/// The checkpoint form (`checkpoint.rs`).
impl LotAttrsRec {
    pub(crate) fn put(&self, w: &mut crate::checkpoint::codec::Writer<'_>) {
        use crate::checkpoint::codec::Put;
        self.expiry.put(w);
        self.production_date.put(w);
        self.given_by.put(w);
        w.opt(self.more.as_deref(), |w, m| {
            m.supplier.put(w);
            m.supplier_lot.put(w);
            m.origin.put(w);
            m.expiry_source.put(w);
        });
    }

    /// Reads what [`LotAttrsRec::put`] wrote; the giving event must exist.
    pub(crate) fn get(
        r: &mut crate::checkpoint::codec::Reader<'_>,
        b: &crate::checkpoint::Bounds,
    ) -> crate::checkpoint::codec::Got<Self> {
        use crate::checkpoint::codec::Get;
        let expiry = Option::<NaiveDate>::get(r)?;
        let production_date = Option::<NaiveDate>::get(r)?;
        let given_by = r.opt(|r| r.index(b.events, "expiry source event"))?;
        let more = r.opt(|r| {
            Ok(Box::new(LotMore {
                supplier: Option::get(r)?,
                supplier_lot: Option::get(r)?,
                origin: Option::get(r)?,
                expiry_source: Option::get(r)?,
            }))
        })?;
        Ok(LotAttrsRec {
            expiry,
            production_date,
            given_by,
            more,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{LotKey, Tracker};

    fn date(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn compact_and_filled_in_by_later_events() {
        assert!(std::mem::size_of::<LotAttrsRec>() <= 24);
        let given = LotAttrs {
            expiry: date("2026-03-15"),
            ..LotAttrs::default()
        };
        let a = LotAttrsRec::new(&given, None, Some(0));
        assert!(a.more.is_none(), "nothing boxed for a lot with only dates");
        // Nothing new: no update.
        assert_eq!(a.merged(&a.clone()), None);
        // The blanks are filled, the first supplier and expiry are kept.
        let later = LotAttrs {
            expiry: date("2026-04-01"),
            production_date: date("2026-03-01"),
            supplier_lot: Some("A-7".into()),
            ..LotAttrs::default()
        };
        let b = LotAttrsRec::new(&later, Some("farm"), Some(5));
        let m = a.merged(&b).unwrap();
        assert_eq!(m.expiry, date("2026-03-15"));
        assert_eq!(m.given_by, Some(0));
        assert_eq!(m.production_date, date("2026-03-01"));
        assert_eq!(m.supplier_lot(), Some("A-7"));
        assert_eq!(m.supplier(), Some("farm"));
        let c = LotAttrsRec::new(&LotAttrs::default(), Some("other"), None);
        assert_eq!(m.merged(&c), None, "the first supplier stays");
    }

    #[test]
    fn the_expiry_source_follows_the_expiry() {
        let t = Tracker::in_memory();
        let rx = |id: &str, extra: &str| {
            format!(
                r#"{{"event_id":"{id}","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"{extra}}}"#
            )
        };
        t.record_json(&rx("E1", r#","supplier":"farm""#)).unwrap();
        let info = t.lot(&LotKey::new("p", "L")).unwrap();
        assert_eq!((info.expiry, info.expiry_source), (None, None));
        // A later receipt gives the expiry: its event is the source.
        t.record_json(&rx("E2", r#","expiry":"2026-03-20","supplier":"x""#))
            .unwrap();
        let info = t.lot(&LotKey::new("p", "L")).unwrap();
        assert_eq!(info.expiry, date("2026-03-20"));
        assert_eq!(info.expiry_source.as_deref(), Some("given by event E2"));
        assert_eq!(info.supplier.as_deref(), Some("farm"));
        // A third does not move it.
        t.record_json(&rx("E3", r#","expiry":"2026-05-01""#))
            .unwrap();
        let info = t.lot(&LotKey::new("p", "L")).unwrap();
        assert_eq!(info.expiry_source.as_deref(), Some("given by event E2"));
    }
}
