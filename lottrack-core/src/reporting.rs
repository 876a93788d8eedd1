//! Mass balance in one reporting unit, with a tolerance, and per-transform yields.
//!
//! Auditors ask for a whole mock recall in one unit (kg, lb, l …) and accept e.g.
//! 95–105 % accounted for. Every figure is converted exactly from the product's base
//! unit through its declared conversions (`{"kg": "4"}`: one kg is 4 each) and the
//! fixed mass and volume tables; a product with no path to the reporting unit is an
//! [`Error::IncompatibleUnits`] naming it, or — in reports over many lots — is
//! listed by name in `unconvertible`, never silently skipped.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::balance::{MassBalance, mass_balance};
use crate::error::{Error, Result};
use crate::model::LotKey;
use crate::report::ser_decimal;
use crate::state::State;
use crate::tracker::Tracker;

/// An accepted range of "accounted for", in percent (e.g. 95–105).
///
/// ```
/// use lottrack_core::reporting::Tolerance;
/// let t = Tolerance::percent("99.5", "105").unwrap();
/// assert!(t.admits("100".parse().unwrap()));
/// assert!(!t.admits("99.4".parse().unwrap()));
/// assert!(Tolerance::percent("105", "95").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tolerance {
    /// Lowest accepted percentage.
    #[serde(serialize_with = "ser_decimal")]
    pub low: Decimal,
    /// Highest accepted percentage.
    #[serde(serialize_with = "ser_decimal")]
    pub high: Decimal,
}

impl Tolerance {
    /// A tolerance from two percentages given as text.
    pub fn percent(low: &str, high: &str) -> Result<Tolerance> {
        let parse = |s: &str, f: &str| {
            crate::quantity::parse_decimal(s)
                .filter(|d| *d >= Decimal::ZERO)
                .ok_or_else(|| {
                    Error::field("", f, format!("`{s}` is not a non-negative percentage"))
                })
        };
        let (low, high) = (parse(low, "tolerance.low")?, parse(high, "tolerance.high")?);
        if low > high {
            return Err(Error::field(
                "",
                "tolerance",
                format!("low {low} % is above high {high} %"),
            ));
        }
        Ok(Tolerance { low, high })
    }

    /// Whether a percentage is within the range (bounds included).
    pub fn admits(&self, pct: Decimal) -> bool {
        pct >= self.low && pct <= self.high
    }
}

impl Default for Tolerance {
    /// 95–105 %.
    fn default() -> Self {
        Tolerance {
            low: Decimal::from(95),
            high: Decimal::from(105),
        }
    }
}

/// A lot's mass balance converted into a reporting unit, with a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitBalance {
    /// The balance in the reporting unit (its `uom` is the reporting unit).
    #[serde(flatten)]
    pub balance: MassBalance,
    /// Shipped + consumed + disposed + adjusted + on hand, as a percentage of
    /// received + produced + returned (100 when nothing came in).
    #[serde(serialize_with = "ser_decimal")]
    pub accounted_pct: Decimal,
    /// Whether `accounted_pct` is within the tolerance.
    pub pass: bool,
    /// The tolerance applied.
    pub tolerance: Tolerance,
}

/// A transform's inputs against its outputs in one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransformYield {
    /// The transform event.
    pub event_id: String,
    /// The unit both sides are in.
    pub uom: String,
    /// Total of the inputs.
    #[serde(serialize_with = "ser_decimal")]
    pub inputs: Decimal,
    /// Total of the outputs.
    #[serde(serialize_with = "ser_decimal")]
    pub outputs: Decimal,
    /// outputs ÷ inputs, in percent.
    #[serde(serialize_with = "ser_decimal")]
    pub yield_pct: Decimal,
    /// The declared yield range of the output products, in percent, if any.
    pub expected_pct: Option<(String, String)>,
    /// True when a declared yield range exists and the yield is outside it.
    pub flagged: bool,
}

/// Factor turning one base unit of `product_id` into `unit`, if a path exists.
pub(crate) fn factor_to(s: &State, product_id: u32, unit: &str) -> Option<Decimal> {
    let units = &s.catalog.product_by_id(product_id)?.units;
    // one `unit` is `f` base units, so one base unit is 1/f `unit`
    let f = units.factor(unit)?;
    Decimal::ONE.checked_div(f)
}

/// Converts a base-unit mass balance into `unit`.
pub(crate) fn convert_balance(s: &State, lot: u32, unit: &str) -> Result<MassBalance> {
    let rec = &s.ledger.lots[lot as usize];
    let f = factor_to(s, rec.product, unit).ok_or_else(|| Error::IncompatibleUnits {
        context: format!("reporting product `{}` in `{unit}`", rec.key.product),
        from: s.catalog.base_uom(rec.product).to_string(),
        to: unit.to_string(),
    })?;
    let mb = mass_balance(s, lot);
    let c = |d: Decimal| {
        d.checked_mul(f)
            .map(|x| x.normalize())
            .ok_or_else(|| too_large(d, s.catalog.base_uom(rec.product), unit))
    };
    let mb = MassBalance {
        uom: unit.to_string(),
        received: c(mb.received)?,
        produced: c(mb.produced)?,
        returned: c(mb.returned)?,
        shipped: c(mb.shipped)?,
        consumed: c(mb.consumed)?,
        disposed: c(mb.disposed)?,
        adjusted: c(mb.adjusted)?,
        on_hand: c(mb.on_hand)?,
        unaccounted: c(mb.unaccounted)?,
        ..mb
    };
    // Its totals (`total_in`, `total_out`, what is accounted for) must fit too.
    let total_in = mb
        .received
        .checked_add(mb.produced)
        .and_then(|x| x.checked_add(mb.returned));
    let accounted = [mb.consumed, mb.disposed, mb.adjusted, mb.on_hand]
        .iter()
        .try_fold(mb.shipped, |a, d| a.checked_add(*d));
    if total_in.is_none() || accounted.is_none() {
        return Err(too_large(mb.received, unit, unit));
    }
    Ok(mb)
}

/// The error for a quantity too large to express in another unit.
fn too_large(d: Decimal, from: &str, unit: &str) -> Error {
    Error::InvalidField {
        event_id: String::new(),
        field: "unit".into(),
        reason: format!("{d} {from} is too large to express in `{unit}` exactly"),
    }
}

/// `part` as a percentage of `whole`, to 4 places (the product first when it
/// fits, so small figures stay exact), or an error when it is too large to
/// express.
pub(crate) fn percent(part: Decimal, whole: Decimal) -> Result<Decimal> {
    part.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|x| x.checked_div(whole))
        .or_else(|| {
            part.checked_div(whole)
                .and_then(|x| x.checked_mul(Decimal::ONE_HUNDRED))
        })
        .map(|p| p.round_dp(4).normalize())
        .ok_or_else(|| Error::InvalidField {
            event_id: String::new(),
            field: "quantity".into(),
            reason: format!("{part} is too large a multiple of {whole} to give as a percentage"),
        })
}

/// The verdict on a converted balance.
pub(crate) fn judge(balance: MassBalance, tolerance: Tolerance) -> Result<UnitBalance> {
    let total_in = balance.total_in();
    let accounted = balance.total_out() + balance.on_hand;
    let accounted_pct = if total_in.is_zero() {
        Decimal::ONE_HUNDRED
    } else {
        percent(accounted, total_in)?
    };
    Ok(UnitBalance {
        pass: tolerance.admits(accounted_pct),
        balance,
        accounted_pct,
        tolerance,
    })
}

impl Tracker {
    /// A lot's mass balance in `unit`, with the percentage accounted for and a
    /// pass/fail verdict against `tolerance`.
    ///
    /// ```
    /// use lottrack_core::{LotKey, Tracker, reporting::Tolerance};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"P","kind":"product","time":"2026-03-01T00:00:00Z","product":"bag","uom":"each","conversions":{"kg":"4"}}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"bag","lot":"B","quantity":"400","uom":"each"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"bag","lot":"B","quantity":"100","uom":"each","customer":"c"}"#).unwrap();
    /// let b = t.mass_balance_in(&LotKey::new("bag", "B"), "lb", Tolerance::default()).unwrap();
    /// assert_eq!(b.balance.received.round_dp(3).to_string(), "220.462");
    /// assert!(b.pass);
    /// ```
    pub fn mass_balance_in(
        &self,
        lot: &LotKey,
        unit: &str,
        tolerance: Tolerance,
    ) -> Result<UnitBalance> {
        self.with_state(|s| {
            let id = s.lot_id(&lot.product, &lot.lot, "")?;
            judge(convert_balance(s, id, unit)?, tolerance)
        })
    }

    /// Every live transform's yield in `unit` (outputs ÷ inputs), flagging those
    /// outside their output products' declared yield range.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"P","kind":"product","time":"2026-03-01T00:00:00Z","product":"juice","uom":"kg","yield_range":["0.5","0.7"]}"#).unwrap();
    /// t.record_json(r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"apples","lot":"A","quantity":"100","uom":"kg"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"T","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"apples","lot":"A","quantity":"100","uom":"kg"}],"outputs":[{"product":"juice","lot":"J","quantity":"80","uom":"kg"}]}"#).unwrap();
    /// let y = t.transform_yields("kg").unwrap();
    /// assert_eq!(y[0].yield_pct.to_string(), "80");
    /// assert!(y[0].flagged);
    /// ```
    pub fn transform_yields(&self, unit: &str) -> Result<Vec<TransformYield>> {
        self.with_state(|s| {
            let mut out = Vec::new();
            for (idx, rec) in s.events.iter().enumerate() {
                if !rec.live() || rec.kind() != "transform" {
                    continue;
                }
                let (mut inputs, mut outputs) = (Decimal::ZERO, Decimal::ZERO);
                let mut range: Option<(Decimal, Decimal)> = None;
                for (lot, m) in s.event_moves(idx as u32) {
                    let lr = &s.ledger.lots[lot as usize];
                    let f =
                        factor_to(s, lr.product, unit).ok_or_else(|| Error::IncompatibleUnits {
                            context: format!(
                                "yield of transform `{}` for product `{}`",
                                rec.id, lr.key.product
                            ),
                            from: s.catalog.base_uom(lr.product).to_string(),
                            to: unit.to_string(),
                        })?;
                    let q = m
                        .delta
                        .checked_mul(f)
                        .ok_or_else(|| too_large(m.delta, s.catalog.base_uom(lr.product), unit))?;
                    if m.delta < Decimal::ZERO {
                        inputs = inputs
                            .checked_sub(q)
                            .ok_or_else(|| too_large(q, unit, unit))?;
                    } else {
                        outputs = outputs
                            .checked_add(q)
                            .ok_or_else(|| too_large(q, unit, unit))?;
                        if let Some(r) = s
                            .catalog
                            .product_by_id(lr.product)
                            .and_then(|p| p.rules.yield_range)
                        {
                            range = Some(match range {
                                Some((lo, hi)) => (lo.max(r.0), hi.min(r.1)),
                                None => r,
                            });
                        }
                    }
                }
                let yield_pct = if inputs.is_zero() {
                    Decimal::ZERO
                } else {
                    percent(outputs, inputs)?
                };
                let pct = |r: Decimal| r.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(Decimal::MAX);
                let flagged =
                    range.is_some_and(|(lo, hi)| yield_pct < pct(lo) || yield_pct > pct(hi));
                out.push(TransformYield {
                    event_id: rec.id.to_string(),
                    uom: unit.to_string(),
                    inputs: inputs.normalize(),
                    outputs: outputs.normalize(),
                    yield_pct,
                    expected_pct: range.map(|(lo, hi)| {
                        (
                            pct(lo).normalize().to_string(),
                            pct(hi).normalize().to_string(),
                        )
                    }),
                    flagged,
                });
            }
            Ok(out)
        })
    }
}
