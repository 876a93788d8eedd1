//! The ledger: every lot (interned by its key), its attributes and status, its
//! stock per place and every stock movement that made it, in recording order.

use crate::id_index::IdIndex;
use crate::table::Table;

use rust_decimal::Decimal;

use crate::lot_attrs::LotAttrsRec;
use crate::lot_stock::LotStock;
use crate::model::{LotKey, LotStatus};

/// Where stock sits: at a location, or inside a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Place {
    /// A location (interned id).
    Loc(u32),
    /// A container (interned id).
    Container(u32),
}

/// Why a lot's stock changed; drives the mass balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Received,
    Produced,
    Returned,
    Shipped,
    /// Consumed by a transform input or a `consume` event.
    Consumed,
    Disposed,
    Adjusted,
    /// Internal transfers (moves, packing): net zero over the lot.
    Transfer,
}

/// One change of one lot's stock at one place. 32 bytes: the place's kind and
/// the role share a byte (see [`Movement::place`] and [`Movement::role`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Movement {
    /// Index of the event (in recording order).
    pub(crate) event: u32,
    /// The place's location or container id ([`Movement::place`]).
    place_id: u32,
    /// Signed change, in the product's base unit.
    pub(crate) delta: Decimal,
    /// The event's customer (ship, return) or supplier (receive): its id in
    /// `Catalog::party_names` plus one (reports name and group movements by it
    /// without reading the event).
    pub(crate) party: Option<std::num::NonZeroU32>,
    /// The role (`Role as u8`, bits 0–2) and whether the place is a container
    /// (bit 3).
    kind: u8,
}

/// [`Movement::kind`]'s bit for a container.
const IN_CONTAINER: u8 = 8;

/// Every role, by its number (`Role as u8`).
pub(crate) const ROLES: [Role; 8] = [
    Role::Received,
    Role::Produced,
    Role::Returned,
    Role::Shipped,
    Role::Consumed,
    Role::Disposed,
    Role::Adjusted,
    Role::Transfer,
];

impl Movement {
    /// A movement of `delta` at `place` by event `event`.
    pub(crate) fn new(
        event: u32,
        place: Place,
        delta: Decimal,
        role: Role,
        party: Option<std::num::NonZeroU32>,
    ) -> Self {
        let (place_id, container) = match place {
            Place::Loc(l) => (l, 0),
            Place::Container(c) => (c, IN_CONTAINER),
        };
        Movement {
            event,
            place_id,
            delta,
            party,
            kind: role as u8 | container,
        }
    }

    /// Where the stock changed.
    #[inline]
    pub(crate) fn place(&self) -> Place {
        if self.kind & IN_CONTAINER == 0 {
            Place::Loc(self.place_id)
        } else {
            Place::Container(self.place_id)
        }
    }

    /// Why it changed.
    #[inline]
    pub(crate) fn role(&self) -> Role {
        ROLES[usize::from(self.kind & 7)]
    }
}

/// Everything known about one lot.
#[derive(Debug, Clone)]
pub(crate) struct LotRec {
    pub(crate) key: LotKey,
    pub(crate) product: u32,
    /// Attributes, with the supplier (from the first receipt), if any.
    pub(crate) attrs: LotAttrsRec,
    /// Live status events, in recording order: (event index, status). Boxed:
    /// most lots never get one ([`LotRec::statuses`]). The box is the point: 8
    /// bytes in every lot instead of a vector's 24.
    #[allow(clippy::box_collection)]
    status_events: Option<Box<Vec<(u32, LotStatus)>>>,
    /// Stock per place; zero entries are removed. Inline while at one place.
    pub(crate) stock: LotStock,
    /// Every live movement, sorted by event index.
    pub(crate) moves: Vec<Movement>,
    /// Number of live events that name this lot; 0 means it does not exist (yet, or
    /// any more after a void).
    pub(crate) live_refs: u32,
}

impl LotRec {
    /// The current status (the last live status event's, else active).
    pub(crate) fn status(&self) -> LotStatus {
        self.statuses().last().map(|s| s.1).unwrap_or_default()
    }

    /// Live status events, in recording order: (event index, status).
    pub(crate) fn statuses(&self) -> &[(u32, LotStatus)] {
        self.status_events.as_deref().map_or(&[], |v| v.as_slice())
    }

    /// The status events to change (made on first use).
    pub(crate) fn statuses_mut(&mut self) -> &mut Vec<(u32, LotStatus)> {
        self.status_events.get_or_insert_default()
    }

    /// Stock at one place.
    pub(crate) fn at(&self, place: Place) -> Decimal {
        self.stock
            .iter()
            .find(|(p, _)| *p == place)
            .map(|s| s.1)
            .unwrap_or(Decimal::ZERO)
    }

    /// Total on hand over every place (containers included).
    pub(crate) fn on_hand(&self) -> Decimal {
        self.stock.iter().map(|s| s.1).sum()
    }

    /// The first live event that received or produced this lot: the one whose
    /// attributes it has, until a second event offers some.
    pub(crate) fn first_producer(&self) -> Option<u32> {
        self.moves
            .iter()
            .find(|m| matches!(m.role(), Role::Received | Role::Produced))
            .map(|m| m.event)
    }

    /// Records a movement (kept sorted by event index) and updates stock.
    pub(crate) fn push_move(&mut self, m: Movement) {
        self.stock.add(m.place(), m.delta);
        match self.moves.last() {
            Some(last) if last.event > m.event => {
                let pos = self.moves.partition_point(|x| x.event <= m.event);
                self.moves.insert(pos, m);
            }
            _ => {
                // Most lots move two or three times: start at two, not four.
                if self.moves.capacity() == 0 {
                    self.moves.reserve_exact(2);
                }
                self.moves.push(m)
            }
        }
    }

    /// Removes every movement of `event`, reversing its stock changes.
    pub(crate) fn remove_moves(&mut self, event: u32) {
        let mut removed = Vec::new();
        self.moves.retain(|m| {
            if m.event == event {
                removed.push(*m);
                false
            } else {
                true
            }
        });
        for m in removed {
            self.stock.add(m.place(), -m.delta);
        }
    }
}

/// A container's record: where it was packed and which lots ever went in.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContainerRec {
    pub(crate) location: Option<u32>,
    pub(crate) lots: Vec<u32>,
}

/// All lots, by dense index.
#[derive(Debug, Default, Clone)]
pub(crate) struct Ledger {
    /// Lot keys to lot ids (the keys are read from the records).
    ids: IdIndex,
    pub(crate) lots: Table<LotRec>,
    pub(crate) container_ids: crate::intern::Interner,
    pub(crate) containers: Vec<ContainerRec>,
}

impl Ledger {
    /// Gives back the room the lot table and each lot's lists keep for growth.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.lots.shrink_to_fit();
        for l in self.lots.iter_mut() {
            l.moves.shrink_to_fit();
            l.stock.shrink_to_fit();
            if let Some(v) = &mut l.status_events {
                v.shrink_to_fit();
            }
        }
        self.containers.shrink_to_fit();
        for c in &mut self.containers {
            c.lots.shrink_to_fit();
        }
    }

    /// The id of a lot, live or not.
    pub(crate) fn id(&self, product: &str, lot: &str) -> Option<u32> {
        // Looked up by the borrowed pair: no `LotKey` (two `Arc<str>`) per lookup.
        self.ids.find(&(product, lot), |n| {
            let k = &self.lots[n as usize].key;
            *k.product == *product && *k.lot == *lot
        })
    }

    /// The id of a live lot.
    pub(crate) fn live(&self, product: &str, lot: &str) -> Option<u32> {
        self.id(product, lot)
            .filter(|id| self.lots[*id as usize].live_refs > 0)
    }

    /// The id of a lot, creating its record if new.
    pub(crate) fn get_or_create(&mut self, key: LotKey, product: u32) -> u32 {
        if let Some(id) = self.id(&key.product, &key.lot) {
            return id;
        }
        let id = self.lots.len() as u32;
        self.lots.push(LotRec {
            key,
            product,
            attrs: LotAttrsRec::default(),
            status_events: None,
            stock: LotStock::Empty,
            moves: Vec::new(),
            live_refs: 0,
        });
        let lots = &self.lots;
        self.ids.insert(id, |n| {
            let k = &lots[n as usize].key;
            (&*k.product, &*k.lot)
        });
        id
    }

    /// Forgets the lots and containers created after the first `lots` and
    /// `containers` (a rolled-back batch created them; nothing refers to them
    /// any more).
    pub(crate) fn truncate(&mut self, lots: usize, containers: usize) {
        while self.lots.len() > lots {
            let id = (self.lots.len() - 1) as u32;
            let k = &self.lots[id as usize].key;
            self.ids.remove(&(&*k.product, &*k.lot), |n| n == id);
            self.lots.pop();
        }
        self.container_ids.truncate(containers);
        self.containers.truncate(containers);
    }

    /// The id of a container, creating its record if new.
    pub(crate) fn container(&mut self, name: &str) -> u32 {
        let id = self.container_ids.intern(name);
        if self.containers.len() <= id as usize {
            self.containers
                .resize(id as usize + 1, ContainerRec::default());
        }
        id
    }

    /// Lots with stock in a container, with their quantities.
    pub(crate) fn container_contents(&self, c: u32) -> Vec<(u32, Decimal)> {
        let Some(rec) = self.containers.get(c as usize) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &lot in &rec.lots {
            let q = self.lots[lot as usize].at(Place::Container(c));
            if !q.is_zero() && !out.iter().any(|(l, _)| *l == lot) {
                out.push((lot, q));
            }
        }
        out
    }
}

/// The checkpoint form of the ledger (`checkpoint.rs`): lots with their
/// movements, stock and statuses, then the containers. The key index is not
/// written: it is rebuilt from the lots.
pub(crate) mod checkpoint {
    use super::*;
    use crate::catalog::Catalog;
    use crate::checkpoint::Bounds;
    use crate::checkpoint::codec::{Get, Got, Put, Reader, Writer, corrupt};

    impl Put for Place {
        #[inline]
        fn put(&self, w: &mut Writer<'_>) {
            match *self {
                Place::Loc(l) => w.u32(l << 1),
                Place::Container(c) => w.u32((c << 1) | 1),
            }
        }
    }

    /// A place whose location or container must exist.
    #[inline]
    fn get_place(r: &mut Reader<'_>, b: &Bounds) -> Got<Place> {
        let v = r.u32()?;
        let (id, bound, what) = match v & 1 {
            0 => (v >> 1, b.places, "location"),
            _ => (v >> 1, b.containers, "container"),
        };
        if id as usize >= bound {
            return Err(crate::checkpoint::codec::bad_index(what, id, bound));
        }
        Ok(if v & 1 == 0 {
            Place::Loc(id)
        } else {
            Place::Container(id)
        })
    }

    impl Put for Movement {
        #[inline]
        fn put(&self, w: &mut Writer<'_>) {
            w.u32(self.event);
            self.place().put(w);
            self.delta.put(w);
            w.u8(self.role() as u8);
            self.party.put(w);
        }
    }

    /// A movement whose event, place and party exist.
    #[inline]
    pub(crate) fn get_movement(r: &mut Reader<'_>, b: &Bounds) -> Got<Movement> {
        let event = r.index(b.events, "movement event")?;
        let place = get_place(r, b)?;
        let delta = Decimal::get(r)?;
        let role = r.u8()?;
        let role = *ROLES
            .get(role as usize)
            .ok_or_else(|| corrupt(format!("movement role {role}")))?;
        let party = Option::<std::num::NonZeroU32>::get(r)?;
        if party.is_some_and(|p| p.get() as usize > b.parties) {
            return Err(corrupt(format!("movement party {party:?}")));
        }
        Ok(Movement::new(event, place, delta, role, party))
    }

    impl Put for LotStatus {
        fn put(&self, w: &mut Writer<'_>) {
            w.u8(LotStatus::ALL.iter().position(|s| s == self).unwrap_or(0) as u8);
        }
    }

    impl Get for LotStatus {
        fn get(r: &mut Reader<'_>) -> Got<Self> {
            let s = r.u8()?;
            LotStatus::ALL
                .get(s as usize)
                .copied()
                .ok_or_else(|| corrupt(format!("lot status {s}")))
        }
    }

    /// A status event `(event, status)` whose event exists.
    fn get_status(r: &mut Reader<'_>, b: &Bounds) -> Got<(u32, LotStatus)> {
        Ok((r.index(b.events, "status event")?, LotStatus::get(r)?))
    }

    impl LotRec {
        fn put(&self, w: &mut Writer<'_>) {
            // The product's name is the catalog's: only its id is written.
            w.u32(self.product);
            w.str(&self.key.lot);
            self.attrs.put(w);
            w.list(self.statuses(), |w, s| {
                w.u32(s.0);
                s.1.put(w);
            });
            w.list(self.stock.as_slice(), |w, (p, q)| {
                p.put(w);
                q.put(w);
            });
            w.put_list(&self.moves);
            w.u32(self.live_refs);
        }

        fn get(r: &mut Reader<'_>, catalog: &Catalog, b: &Bounds) -> Got<LotRec> {
            let product = r.index(catalog.products.len(), "lot product")?;
            let lot = r.arc_str()?;
            let attrs = LotAttrsRec::get(r, b)?;
            let statuses = r.list("statuses", 16, |r| get_status(r, b))?;
            let stock = r.list("stock", 16, |r| Ok((get_place(r, b)?, Decimal::get(r)?)))?;
            let moves = r.list("movements", 64, |r| get_movement(r, b))?;
            if moves.windows(2).any(|m| m[0].event > m[1].event) {
                return Err(corrupt(format!(
                    "the movements of lot `{lot}` are out of order"
                )));
            }
            Ok(LotRec {
                key: LotKey {
                    product: catalog.products.name(product).clone(),
                    lot,
                },
                product,
                attrs,
                status_events: (!statuses.is_empty()).then(|| Box::new(statuses)),
                stock: stock.into(),
                moves,
                live_refs: r.u32()?,
            })
        }
    }

    impl Ledger {
        pub(crate) fn put(&self, w: &mut Writer<'_>) {
            w.list_of(self.lots.len(), self.lots.iter(), |w, l| l.put(w));
            self.container_ids.put(w);
            w.list(&self.containers, |w, c| {
                w.opt(c.location.as_ref(), |w, l| w.u32(*l));
                w.put_list(&c.lots);
            });
        }

        /// Reads the ledger, then runs `rest` (the decoding of what follows it)
        /// while a second thread rebuilds the key index of the lots.
        pub(crate) fn get_then<T>(
            r: &mut Reader<'_>,
            catalog: &Catalog,
            b: &Bounds,
            rest: impl FnOnce(&mut Reader<'_>) -> Got<T>,
        ) -> Got<(Ledger, T)> {
            let lots = r.table("lots", |r| LotRec::get(r, catalog, b))?;
            if lots.len() != b.lots {
                return Err(corrupt(format!(
                    "{} lots where the header says {}",
                    lots.len(),
                    b.lots
                )));
            }
            let container_ids = <crate::intern::Interner as Get>::get(r)?;
            let containers = r.list("containers", b.containers, |r| {
                let location = r.opt(|r| r.index(b.places, "container location"))?;
                let lots = r.list("container lots", 64, |r| r.index(b.lots, "container lot"))?;
                Ok(ContainerRec { location, lots })
            })?;
            if container_ids.len() != b.containers || containers.len() != b.containers {
                return Err(corrupt("container count differs from the header"));
            }
            let (ids, rest) = std::thread::scope(|s| {
                let ids = s.spawn(|| {
                    let mut ids = IdIndex::with_capacity(lots.len());
                    for n in 0..lots.len() as u32 {
                        ids.insert(n, |m| {
                            let k = &lots[m as usize].key;
                            (&*k.product, &*k.lot)
                        });
                    }
                    ids
                });
                let rest = rest(r);
                let ids = ids
                    .join()
                    .map_err(|_| corrupt("the thread indexing the lots panicked"));
                (ids, rest)
            });
            let ledger = Ledger {
                ids: ids?,
                lots,
                container_ids,
                containers,
            };
            Ok((ledger, rest?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_sorted_and_reverse_exactly() {
        let mut l = Ledger::default();
        let id = l.get_or_create(LotKey::new("p", "l"), 0);
        let lot = &mut l.lots[id as usize];
        let d = |n: i64| Decimal::from(n);
        lot.push_move(Movement::new(1, Place::Loc(0), d(10), Role::Received, None));
        lot.push_move(Movement::new(3, Place::Loc(0), d(-4), Role::Shipped, None));
        lot.push_move(Movement::new(2, Place::Loc(1), d(5), Role::Received, None));
        assert_eq!(
            lot.moves.iter().map(|m| m.event).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(lot.on_hand(), d(11));
        lot.remove_moves(1);
        assert_eq!(lot.at(Place::Loc(0)), d(-4));
        assert_eq!(lot.at(Place::Loc(1)), d(5));
    }

    #[test]
    fn a_movement_keeps_its_place_and_role_in_one_byte() {
        assert!(std::mem::size_of::<Movement>() <= 32);
        let party = std::num::NonZeroU32::new(7);
        for role in ROLES {
            for place in [
                Place::Loc(0),
                Place::Loc(u32::MAX),
                Place::Container(0),
                Place::Container(u32::MAX),
            ] {
                let m = Movement::new(9, place, Decimal::from(-3), role, party);
                assert_eq!((m.place(), m.role()), (place, role));
                assert_eq!((m.event, m.delta, m.party), (9, Decimal::from(-3), party));
            }
        }
    }
}
