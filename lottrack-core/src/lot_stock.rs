//! A lot's stock per place, kept inline while it sits at one place.
//!
//! Most lots only ever sit at one place at a time (received, then consumed or
//! shipped from there), so the common case needs no heap block of its own: a
//! lot's first place is kept in the record and a list is made only when it is at
//! two places at once (after a move that left some behind, or a pack).

use rust_decimal::Decimal;

use crate::ledger::Place;

/// Stock per place; zero entries are removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum LotStock {
    /// No stock anywhere.
    #[default]
    Empty,
    /// Stock at one place (never zero).
    One((Place, Decimal)),
    /// Stock at several places (or at one, after the others emptied).
    Many(Vec<(Place, Decimal)>),
}

impl LotStock {
    /// Every place with stock, with its quantity.
    pub(crate) fn as_slice(&self) -> &[(Place, Decimal)] {
        match self {
            LotStock::Empty => &[],
            LotStock::One(e) => std::slice::from_ref(e),
            LotStock::Many(v) => v,
        }
    }

    /// See [`LotStock::as_slice`].
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, (Place, Decimal)> {
        self.as_slice().iter()
    }

    /// Whether there is no stock anywhere.
    pub(crate) fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// Adds `delta` at `place` (negative takes), removing a place that empties.
    pub(crate) fn add(&mut self, place: Place, delta: Decimal) {
        match self {
            LotStock::Empty => {
                if !delta.is_zero() {
                    *self = LotStock::One((place, delta));
                }
            }
            LotStock::One((p, q)) if *p == place => {
                *q += delta;
                if q.is_zero() {
                    *self = LotStock::Empty;
                }
            }
            LotStock::One(e) => {
                if !delta.is_zero() {
                    *self = LotStock::Many(vec![*e, (place, delta)]);
                }
            }
            LotStock::Many(v) => {
                if let Some(i) = v.iter().position(|(p, _)| *p == place) {
                    v[i].1 += delta;
                    if v[i].1.is_zero() {
                        v.swap_remove(i);
                    }
                } else if !delta.is_zero() {
                    v.push((place, delta));
                }
            }
        }
    }

    /// Gives back the room a list keeps for growth.
    pub(crate) fn shrink_to_fit(&mut self) {
        if let LotStock::Many(v) = self {
            v.shrink_to_fit();
        }
    }
}

impl From<Vec<(Place, Decimal)>> for LotStock {
    /// Keeps the places in the list's order (a checkpoint's, as written).
    fn from(v: Vec<(Place, Decimal)>) -> Self {
        match v.len() {
            0 => LotStock::Empty,
            1 => LotStock::One(v[0]),
            _ => LotStock::Many(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn one_place_inline_then_a_list_then_back() {
        let (a, b) = (Place::Loc(1), Place::Container(2));
        let mut s = LotStock::default();
        assert!(s.is_empty());
        s.add(a, d(0));
        assert_eq!(s, LotStock::Empty);
        s.add(a, d(10));
        assert_eq!(s, LotStock::One((a, d(10))));
        s.add(b, d(4));
        assert_eq!(s.as_slice(), &[(a, d(10)), (b, d(4))]);
        s.add(a, d(-10));
        assert_eq!(s.as_slice(), &[(b, d(4))]);
        s.add(b, d(-4));
        assert!(s.is_empty());
        s.add(b, d(-3));
        assert_eq!(s.as_slice(), &[(b, d(-3))]);
    }

    #[test]
    fn taking_the_one_place_empties_it() {
        let a = Place::Loc(7);
        let mut s = LotStock::One((a, d(5)));
        s.add(a, d(-5));
        assert_eq!(s, LotStock::Empty);
        assert_eq!(LotStock::from(vec![(a, d(1))]), LotStock::One((a, d(1))));
        assert_eq!(LotStock::from(Vec::new()), LotStock::Empty);
    }
}
