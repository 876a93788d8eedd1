//! The ledger: every lot (interned by its key), its attributes and status, its
//! stock per place and every stock movement that made it, in recording order.

use crate::id_index::IdIndex;

use rust_decimal::Decimal;

use crate::lot_attrs::LotAttrsRec;
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

/// One change of one lot's stock at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Movement {
    /// Index of the event (in recording order).
    pub(crate) event: u32,
    pub(crate) place: Place,
    /// Signed change, in the product's base unit.
    pub(crate) delta: Decimal,
    pub(crate) role: Role,
    /// The event's customer (ship, return) or supplier (receive): its id in
    /// `Catalog::party_names` plus one (reports name and group movements by it
    /// without reading the event).
    pub(crate) party: Option<std::num::NonZeroU32>,
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
    /// Stock per place; zero entries are removed.
    pub(crate) stock: Vec<(Place, Decimal)>,
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

    fn add_stock(&mut self, place: Place, delta: Decimal) {
        if let Some(i) = self.stock.iter().position(|(p, _)| *p == place) {
            self.stock[i].1 += delta;
            if self.stock[i].1.is_zero() {
                self.stock.swap_remove(i);
            }
        } else if !delta.is_zero() {
            // Most lots sit at one place: one entry, not the four a first push
            // would reserve (96 bytes of heap per lot).
            if self.stock.capacity() == 0 {
                self.stock.reserve_exact(1);
            }
            self.stock.push((place, delta));
        }
    }

    /// Records a movement (kept sorted by event index) and updates stock.
    pub(crate) fn push_move(&mut self, m: Movement) {
        self.add_stock(m.place, m.delta);
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
            self.add_stock(m.place, -m.delta);
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
    pub(crate) lots: Vec<LotRec>,
    pub(crate) container_ids: crate::intern::Interner,
    pub(crate) containers: Vec<ContainerRec>,
}

impl Ledger {
    /// Gives back the room the lot table and each lot's lists keep for growth.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.lots.shrink_to_fit();
        for l in &mut self.lots {
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
    pub(crate) fn get_or_create(&mut self, key: &LotKey, product: u32) -> u32 {
        if let Some(id) = self.id(&key.product, &key.lot) {
            return id;
        }
        let id = self.lots.len() as u32;
        self.lots.push(LotRec {
            key: key.clone(),
            product,
            attrs: LotAttrsRec::default(),
            status_events: None,
            stock: Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_sorted_and_reverse_exactly() {
        let mut l = Ledger::default();
        let id = l.get_or_create(&LotKey::new("p", "l"), 0);
        let lot = &mut l.lots[id as usize];
        let d = |n: i64| Decimal::from(n);
        lot.push_move(Movement {
            event: 1,
            place: Place::Loc(0),
            delta: d(10),
            role: Role::Received,
            party: None,
        });
        lot.push_move(Movement {
            event: 3,
            place: Place::Loc(0),
            delta: d(-4),
            role: Role::Shipped,
            party: None,
        });
        lot.push_move(Movement {
            event: 2,
            place: Place::Loc(1),
            delta: d(5),
            role: Role::Received,
            party: None,
        });
        assert_eq!(
            lot.moves.iter().map(|m| m.event).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(lot.on_hand(), d(11));
        lot.remove_moves(1);
        assert_eq!(lot.at(Place::Loc(0)), d(-4));
        assert_eq!(lot.at(Place::Loc(1)), d(5));
    }
}
