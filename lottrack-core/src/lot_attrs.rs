//! A lot's attributes as the index keeps them: the dates inline, where the
//! expiry came from as the index of the event that gave it (named only when a
//! report asks), and what few lots have (supplier, the supplier's lot code,
//! origin, where an inherited expiry came from) behind one pointer. 24 bytes per
//! lot instead of a [`LotAttrs`] and a supplier `String` (112 bytes inline plus a
//! formatted "given by event …" string per lot).
//!
//! A lot that more than one event gave attributes to (a second receipt, an
//! output of a lot already on hand) also keeps what each of those events offered,
//! so that voiding one of them leaves the attributes as if it had never been
//! recorded ([`LotAttrsRec::refolded`]).

use chrono::NaiveDate;

use crate::ledger::LotRec;
use crate::model::LotAttrs;
use crate::state::EventRec;
use crate::table::Table;

/// An expiry inherited from a transform's inputs: the transform, the input
/// whose expiry was the earliest, and the product's margin in days. The input's
/// date is the expiry plus the margin; the words are made when a report asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Inherited {
    pub(crate) event: u32,
    pub(crate) from: u32,
    pub(crate) margin: i64,
}

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
    /// Where the expiry came from, when not given by an event or inherited.
    expiry_source: Option<String>,
    /// The expiry was inherited from a transform's inputs.
    inherited: Option<Inherited>,
    /// Once a second event offers attributes: what every event that offered
    /// some gave, `(event index, attributes)` in event order (the entries keep no
    /// offers of their own).
    offers: Vec<(u32, LotAttrsRec)>,
}

impl LotMore {
    fn is_empty(&self) -> bool {
        self.supplier.is_none()
            && self.supplier_lot.is_none()
            && self.origin.is_none()
            && self.expiry_source.is_none()
            && self.inherited.is_none()
            && self.offers.is_empty()
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
            inherited: None,
            offers: Vec::new(),
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

    /// Where the expiry came from, in words (`events` and `lots`: the index's
    /// records).
    pub(crate) fn expiry_source(
        &self,
        events: &Table<EventRec>,
        lots: &Table<LotRec>,
    ) -> Option<String> {
        if let Some(i) = self.given_by {
            return events
                .get(i as usize)
                .map(|e| format!("given by event {}", e.id));
        }
        let m = self.more.as_deref()?;
        match (m.inherited, self.expiry) {
            (Some(h), Some(expiry)) => {
                let event = events.get(h.event as usize)?;
                let from = lots.get(h.from as usize)?;
                let date = expiry.checked_add_days(chrono::Days::new(h.margin.unsigned_abs()))?;
                Some(format!(
                    "inherited by event {}: earliest input expiry {date} ({}) minus {} day(s)",
                    event.id, from.key, h.margin
                ))
            }
            _ => m.expiry_source.clone(),
        }
    }

    /// How the expiry was inherited, if it was.
    pub(crate) fn inherited(&self) -> Option<Inherited> {
        self.more.as_deref().and_then(|m| m.inherited)
    }

    /// These attributes with the expiry inherited as `how` says, from an input
    /// whose expiry is `date` (`None`: no input had one, so no expiry).
    pub(crate) fn with_inherited(&self, date: Option<NaiveDate>, how: Inherited) -> LotAttrsRec {
        let mut m = self.clone();
        let expiry =
            date.and_then(|d| d.checked_sub_days(chrono::Days::new(how.margin.unsigned_abs())));
        m.expiry = expiry;
        m.given_by = None;
        if expiry.is_some() || m.more.is_some() {
            let more = m.more_mut();
            more.inherited = expiry.map(|_| how);
            if expiry.is_some() {
                more.expiry_source = None;
            }
        }
        m.tidy();
        m
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
            let inherited = new.inherited();
            let more = m.more_mut();
            more.expiry_source = source;
            more.inherited = inherited;
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
        m.tidy();
        changed.then_some(m)
    }

    /// These attributes (from one line of an event) joined with another line
    /// of the same event for the same lot: the blanks filled as
    /// [`LotAttrsRec::merged`] does, except that an expiry the event gives
    /// outright replaces one it inherited, whichever line came first (so the
    /// event's offer does not depend on whether the inherited one survives a
    /// void upstream).
    pub(crate) fn with_line(&self, line: &LotAttrsRec) -> LotAttrsRec {
        let mut m = self.merged(line).unwrap_or_else(|| self.clone());
        if self.given_by.is_none() && self.inherited().is_some() && line.given_by.is_some() {
            m.expiry = line.expiry;
            m.given_by = line.given_by;
            if let Some(more) = m.more.as_deref_mut() {
                more.inherited = None;
                more.expiry_source = None;
            }
            m.tidy();
        }
        m
    }

    fn more_mut(&mut self) -> &mut LotMore {
        self.more.get_or_insert_with(Box::default)
    }

    /// Drops the box of rarer attributes once nothing is in it.
    fn tidy(&mut self) {
        if self.more.as_deref().is_some_and(LotMore::is_empty) {
            self.more = None;
        }
    }

    /// Whether there is nothing here (the attributes of a lot nobody described).
    pub(crate) fn is_empty(&self) -> bool {
        *self == LotAttrsRec::default()
    }

    /// What each event that offered attributes gave, once there were two.
    fn offers(&self) -> &[(u32, LotAttrsRec)] {
        self.more.as_deref().map_or(&[], |m| &m.offers)
    }

    fn set_offers(&mut self, offers: Vec<(u32, LotAttrsRec)>) {
        if offers.is_empty() && self.more.is_none() {
            return;
        }
        self.more_mut().offers = offers;
        self.tidy();
    }

    /// These attributes once event `idx` offers `offer` (a later receipt or
    /// output of the same lot): the blanks filled as [`LotAttrsRec::merged`]
    /// does, and the offer remembered beside the attributes the lot had
    /// (`first`: the event that gave those, its first producer), so that a void
    /// of either can take its part back. `None` when the offer is empty.
    ///
    /// Without `first` (no producing event found) the lot's attributes are
    /// merged as before and nothing is remembered.
    pub(crate) fn offered(
        &self,
        idx: u32,
        offer: &LotAttrsRec,
        first: impl FnOnce() -> Option<u32>,
    ) -> Option<LotAttrsRec> {
        if offer.is_empty() {
            return None;
        }
        let mut offers = self.offers().to_vec();
        if offers.is_empty() && !self.is_empty() {
            match first() {
                Some(f) => offers.push((f, self.clone())),
                None => return self.merged(offer),
            }
        }
        offers.push((idx, offer.clone()));
        let mut m = self.merged(offer).unwrap_or_else(|| self.clone());
        m.set_offers(offers);
        Some(m)
    }

    /// What event `event` offered this lot, if it offered anything: its entry
    /// among the offers, or, for a lot no second event described, the lot's
    /// attributes when `event` is its first producer (`first`).
    pub(crate) fn offer_of(&self, event: u32, first: Option<u32>) -> Option<LotAttrsRec> {
        let offers = self.offers();
        if offers.is_empty() {
            return (first == Some(event) && !self.is_empty()).then(|| self.clone());
        }
        offers
            .iter()
            .find(|(e, _)| *e == event)
            .map(|(_, a)| a.clone())
    }

    /// These attributes with event `event`'s offer (see
    /// [`LotAttrsRec::offer_of`]) replaced by `offer`, folded again over the
    /// offers of the events `live` keeps.
    pub(crate) fn with_offer_of(
        &self,
        event: u32,
        offer: &LotAttrsRec,
        live: impl Fn(u32) -> bool,
    ) -> LotAttrsRec {
        if self.offers().is_empty() {
            return offer.clone();
        }
        let mut m = self.clone();
        let offers = m.more_mut();
        for (e, a) in &mut offers.offers {
            if *e == event {
                a.clone_from(offer);
            }
        }
        m.refolded(live).unwrap_or(m)
    }

    /// The expiry as the offers of the events `live` keeps give it (the lot as
    /// it was before some event, say), or as it is for a lot only its first
    /// producer described.
    pub(crate) fn expiry_among(&self, live: impl Fn(u32) -> bool) -> Option<NaiveDate> {
        match self.refolded(live) {
            Some(a) => a.expiry,
            None => self.expiry,
        }
    }

    /// These attributes computed again from the offers of the events `live`
    /// keeps, as if the others had never been recorded (a void); the offers
    /// stay, for a later void or offer. `None` when the lot keeps no offers.
    pub(crate) fn refolded(&self, live: impl Fn(u32) -> bool) -> Option<LotAttrsRec> {
        let offers = self.offers();
        if offers.is_empty() {
            return None;
        }
        let mut acc: Option<LotAttrsRec> = None;
        for (_, o) in offers.iter().filter(|(e, _)| live(*e)) {
            acc = Some(match acc {
                None => o.clone(),
                Some(a) => a.merged(o).unwrap_or(a),
            });
        }
        let mut m = acc.unwrap_or_default();
        m.set_offers(offers.to_vec());
        Some(m)
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
            w.opt(m.inherited.as_ref(), |w, h| {
                w.u32(h.event);
                w.u32(h.from);
                w.i64(h.margin);
            });
            w.list(&m.offers, |w, (e, a)| {
                w.u32(*e);
                a.put(w);
            });
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
                inherited: r.opt(|r| {
                    Ok(Inherited {
                        event: r.index(b.events, "expiry inheriting event")?,
                        from: r.index(b.lots, "expiry inherited from lot")?,
                        margin: r.i64()?,
                    })
                })?,
                offers: r.list("attribute offers", 4, |r| {
                    let e = r.index(b.events, "attribute offer event")?;
                    let a = LotAttrsRec::get(r, b)?;
                    if !a.offers().is_empty() {
                        return Err(crate::checkpoint::codec::corrupt(
                            "an attribute offer with offers of its own",
                        ));
                    }
                    Ok((e, a))
                })?,
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

    /// Two receipts of one lot, the second giving its expiry, and a transform
    /// whose output inherits that expiry (less a day).
    fn two_receipts_and_an_output() -> Tracker {
        let t = Tracker::in_memory();
        let events = [
            r#"{"kind":"product","event_id":"P","time":"2026-02-01T00:00:00Z","product":"flour","uom":"kg","inherit_expiry":{"margin_days":1}}"#,
            r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"wheat","lot":"W","quantity":"5","uom":"kg","supplier":"farm-a"}"#,
            r#"{"event_id":"E2","kind":"receive","time":"2026-03-01T09:00:00Z","location":"a","product":"wheat","lot":"W","quantity":"5","uom":"kg","supplier":"farm-b","expiry":"2026-04-10"}"#,
            r#"{"event_id":"E3","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"wheat","lot":"W","quantity":"2","uom":"kg"}],"outputs":[{"product":"flour","lot":"F","quantity":"2","uom":"kg"}]}"#,
        ];
        for e in events {
            t.record_json(e).unwrap();
        }
        t
    }

    fn void(t: &Tracker, target: &str) -> crate::Result<crate::Recorded> {
        t.record_json(&format!(
            r#"{{"event_id":"V-{target}","kind":"void","time":"2026-03-03T08:00:00Z","target":"{target}"}}"#
        ))
    }

    #[test]
    fn a_void_takes_back_the_attributes_its_event_gave() {
        let t = two_receipts_and_an_output();
        let (w, f) = (LotKey::new("wheat", "W"), LotKey::new("flour", "F"));
        let flour = t.lot(&f).unwrap();
        assert_eq!(flour.expiry, date("2026-04-09"));
        assert_eq!(
            flour.expiry_source.as_deref(),
            Some(
                "inherited by event E3: earliest input expiry 2026-04-10 (wheat/W) minus 1 day(s)"
            )
        );

        // Without E2 the wheat has no expiry, so the flour inherited none.
        void(&t, "E2").unwrap();
        let wheat = t.lot(&w).unwrap();
        assert_eq!((wheat.expiry, wheat.expiry_source), (None, None));
        assert_eq!(wheat.supplier.as_deref(), Some("farm-a"));
        let flour = t.lot(&f).unwrap();
        assert_eq!((flour.expiry, flour.expiry_source), (None, None));

        // Without E1 the first supplier is E2's; the expiry stays.
        let t = two_receipts_and_an_output();
        void(&t, "E1").unwrap();
        let wheat = t.lot(&w).unwrap();
        assert_eq!(wheat.supplier.as_deref(), Some("farm-b"));
        assert_eq!(wheat.expiry_source.as_deref(), Some("given by event E2"));
        assert_eq!(t.lot(&f).unwrap().expiry, date("2026-04-09"));
    }

    #[test]
    fn a_refused_batch_with_a_void_puts_the_attributes_back() {
        let t = two_receipts_and_an_output();
        let before = (
            t.lot(&LotKey::new("wheat", "W")).unwrap(),
            t.lot(&LotKey::new("flour", "F")).unwrap(),
        );
        let v = crate::Event::from_json(
            r#"{"event_id":"V","kind":"void","time":"2026-03-03T08:00:00Z","target":"E2"}"#,
        )
        .unwrap();
        // More wheat than is left once E2 is voided (5 kg received, 2 used).
        let ship = crate::Event::from_json(
            r#"{"event_id":"S","kind":"ship","time":"2026-03-03T09:00:00Z","location":"a","product":"wheat","lot":"W","quantity":"4","uom":"kg","customer":"c"}"#,
        )
        .unwrap();
        let err = t.record_batch(vec![v, ship]).unwrap_err();
        assert_eq!(err.kind_name(), "InsufficientStock");
        let after = (
            t.lot(&LotKey::new("wheat", "W")).unwrap(),
            t.lot(&LotKey::new("flour", "F")).unwrap(),
        );
        assert_eq!(format!("{after:?}"), format!("{before:?}"));
        assert_eq!(after.0.expiry, date("2026-04-10"));
        assert_eq!(after.1.expiry, date("2026-04-09"));
    }
}
