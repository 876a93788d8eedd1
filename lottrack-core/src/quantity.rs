//! Exact quantities and units of measure.
//!
//! Quantities are [`Decimal`]s, never floating point, so a balance that should be
//! zero is exactly zero. Text and JSON numbers are read digit for digit.
//! A product's lots are kept in its base unit; [`Units`] converts into it using the
//! product's declared conversions and the fixed mass and volume tables below.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// Reads an exact decimal from text such as `"500"`, `"0.125"` or `"1e3"`.
///
/// ```
/// use lottrack_core::quantity::parse_decimal;
/// use rust_decimal::Decimal;
/// assert_eq!(parse_decimal("0.1").unwrap() + parse_decimal("0.2").unwrap(), parse_decimal("0.3").unwrap());
/// assert!(parse_decimal("NaN").is_none());
/// assert_eq!(parse_decimal("1e3").unwrap(), Decimal::from(1000));
/// ```
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        t.parse::<Decimal>().ok()
    }
}

/// The largest magnitude a quantity may have in its product's base unit,
/// checked when an event is recorded: 10^20. A decimal holds 28 digits, so a
/// lot's stock and balance sums cannot overflow before some 790 million such
/// movements of one lot, and conversions into another unit ([`conversion_factor_problem`])
/// stay within range.
///
/// ```
/// assert_eq!(lottrack_core::quantity::max_base_quantity().to_string(), "100000000000000000000");
/// ```
pub fn max_base_quantity() -> Decimal {
    MAX_BASE
}

/// 10^20, the limit's digits.
const MAX_BASE_DIGITS: u128 = 100_000_000_000_000_000_000;

/// 10^20 as a decimal (`0x5_6BC7_5E2D_6310_0000`), made once at compile time.
const MAX_BASE: Decimal = Decimal::from_parts(0x6310_0000, 0x6BC7_5E2D, 0x5, false, 0);

/// Why `base` (a quantity in its base unit) is outside the limit, if it is.
///
/// ```
/// use lottrack_core::quantity::{base_quantity_problem, parse_decimal};
/// assert_eq!(base_quantity_problem(parse_decimal("12.5").unwrap()), None);
/// assert_eq!(base_quantity_problem(parse_decimal("1e20").unwrap()), None);
/// assert!(base_quantity_problem(parse_decimal("1e21").unwrap()).is_some());
/// ```
pub fn base_quantity_problem(base: Decimal) -> Option<String> {
    // A mantissa within the limit is a quantity within it (the scale only
    // divides): the comparison of two decimals is left for the rest.
    if base.mantissa().unsigned_abs() <= MAX_BASE_DIGITS {
        return None;
    }
    (base.abs() > MAX_BASE).then(|| "quantities may be at most 10^20 in the base unit".to_string())
}

/// Why a declared conversion factor (base units in one unit) is out of bounds,
/// if it is: it must lie between 10^-9 and 10^9.
///
/// ```
/// use lottrack_core::quantity::{conversion_factor_problem, parse_decimal};
/// assert_eq!(conversion_factor_problem(parse_decimal("12").unwrap()), None);
/// assert!(conversion_factor_problem(parse_decimal("1e12").unwrap()).is_some());
/// ```
pub fn conversion_factor_problem(factor: Decimal) -> Option<String> {
    let (lo, hi) = (Decimal::new(1, 9), Decimal::from(1_000_000_000_i64));
    (factor < lo || factor > hi)
        .then(|| "a conversion factor must lie between 0.000000001 and 1000000000".to_string())
}

/// Formats a decimal without trailing zeros (`"500"`, `"0.25"`).
///
/// ```
/// use lottrack_core::quantity::{fmt_decimal, parse_decimal};
/// assert_eq!(fmt_decimal(parse_decimal("12.500").unwrap()), "12.5");
/// ```
pub fn fmt_decimal(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Fixed conversions between common mass and volume units: (unit, dimension, factor
/// to the dimension's reference unit kg or l).
const FIXED: &[(&str, &str, &str)] = &[
    ("kg", "mass", "1"),
    ("g", "mass", "0.001"),
    ("mg", "mass", "0.000001"),
    ("t", "mass", "1000"),
    ("lb", "mass", "0.45359237"),
    ("oz", "mass", "0.028349523125"),
    ("l", "volume", "1"),
    ("ml", "volume", "0.001"),
    ("hl", "volume", "100"),
];

/// A fixed unit's (dimension, factor to its reference unit), if it is one.
///
/// ```
/// use lottrack_core::quantity::fixed_unit;
/// assert_eq!(fixed_unit("t").unwrap().0, "mass");
/// assert!(fixed_unit("case").is_none());
/// ```
pub fn fixed_unit(uom: &str) -> Option<(&'static str, Decimal)> {
    FIXED
        .iter()
        .find(|(u, _, _)| *u == uom)
        .and_then(|(_, dim, f)| parse_decimal(f).map(|f| (*dim, f)))
}

/// A product's unit table: its base unit and how many base units one of another
/// unit is.
///
/// ```
/// use lottrack_core::quantity::Units;
/// use rust_decimal::Decimal;
/// let mut u = Units::new("each");
/// u.conversions.insert("case".into(), Decimal::from(12));
/// assert_eq!(u.to_base(Decimal::from(2), "case"), Some(Decimal::from(24)));
/// assert_eq!(u.to_base(Decimal::from(2), "pallet"), None);
/// let kg = Units::new("kg");
/// assert_eq!(kg.to_base(Decimal::from(2), "t"), Some(Decimal::from(2000)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Units {
    /// The unit balances are kept in.
    pub base: String,
    /// `unit -> number of base units in one of it`.
    pub conversions: BTreeMap<String, Decimal>,
}

impl Units {
    /// A unit table with only the base unit.
    pub fn new(base: &str) -> Self {
        Units {
            base: base.to_string(),
            conversions: BTreeMap::new(),
        }
    }

    /// Converts `qty` in `uom` into the base unit, exactly; `None` if no path exists.
    pub fn to_base(&self, qty: Decimal, uom: &str) -> Option<Decimal> {
        self.factor(uom).and_then(|f| qty.checked_mul(f))
    }

    /// How many base units one `uom` is.
    pub fn factor(&self, uom: &str) -> Option<Decimal> {
        if uom == self.base {
            return Some(Decimal::ONE);
        }
        if let Some(f) = self.conversions.get(uom) {
            return Some(*f);
        }
        // Through the fixed tables: uom -> reference -> base (base is a fixed unit),
        // or uom -> reference -> a declared unit that is fixed -> base.
        let (dim, f_uom) = fixed_unit(uom)?;
        if let Some((bdim, f_base)) = fixed_unit(&self.base)
            && bdim == dim
        {
            return f_uom.checked_div(f_base);
        }
        for (unit, per) in &self.conversions {
            if let Some((cdim, f_conv)) = fixed_unit(unit)
                && cdim == dim
            {
                return f_uom.checked_div(f_conv).and_then(|x| x.checked_mul(*per));
            }
        }
        None
    }

    /// Converts a base-unit quantity into `uom`, exactly where the division is exact.
    pub fn from_base(&self, qty: Decimal, uom: &str) -> Option<Decimal> {
        self.factor(uom).and_then(|f| qty.checked_div(f))
    }

    /// Converts `qty` in `uom` to base, or returns [`Error::UnknownUnit`].
    pub fn to_base_or_err(
        &self,
        qty: Decimal,
        uom: &str,
        event_id: &str,
        product: &str,
    ) -> Result<Decimal> {
        self.to_base(qty, uom).ok_or_else(|| Error::UnknownUnit {
            event_id: event_id.to_string(),
            product: product.to_string(),
            uom: uom.to_string(),
            base_uom: self.base.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).expect("decimal")
    }

    #[test]
    fn the_limit_holds_at_every_scale() {
        assert_eq!(max_base_quantity(), Decimal::from(10_i128.pow(20)));
        for (q, over) in [
            ("100000000000000000000", false),
            ("-100000000000000000000", false),
            ("100000000000000000000.000", false),
            ("99999999999999999999.99999999", false),
            ("100000000000000000000.1", true),
            ("-100000000000000000000.0000001", true),
            ("100000000000000000001", true),
            ("1e21", true),
            ("0.0000000000000000000000000001", false),
        ] {
            assert_eq!(base_quantity_problem(d(q)).is_some(), over, "{q}");
            assert_eq!(d(q).abs() > max_base_quantity(), over, "{q}");
        }
    }

    #[test]
    fn fixed_and_declared_conversions() {
        let mut u = Units::new("each");
        u.conversions.insert("kg".into(), d("4")); // 1 kg = 4 each
        assert_eq!(u.to_base(d("500"), "g"), Some(d("2")));
        assert_eq!(u.to_base(d("1"), "l"), None);
        let lb = Units::new("lb");
        assert_eq!(lb.to_base(d("0.45359237"), "kg"), Some(d("1")));
    }

    #[test]
    fn parse_rejects_junk() {
        assert!(parse_decimal("").is_none());
        assert!(parse_decimal("abc").is_none());
        assert!(parse_decimal("inf").is_none());
        assert_eq!(fmt_decimal(d("1.2300")), "1.23");
    }
}
