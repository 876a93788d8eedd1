//! Figures in one reporting unit (kg, lb, l …): a lot's mass balance with a
//! tolerance and a pass/fail verdict, and every transform's yield.
//!
//! Figures are converted exactly by the engine from each product's base unit
//! through its declared conversions and the fixed mass and volume tables; a
//! product with no path to the reporting unit is an `LT_ERR_INCOMPATIBLE_UNITS`
//! naming it. Both functions only read.

use std::ffi::c_char;

use lottrack_core::reporting::Tolerance;

use crate::error::LtStatus;
use crate::guard::{FfiResult, arg_out, arg_str, arg_tracker, guard, json_string, write_string};
use crate::trace::lot_key;
use crate::tracker::LtTracker;

/// A tolerance from two percentage arguments (`"95"`, `"105"`).
///
/// # Safety
/// Both are NULL or NUL-terminated.
pub(crate) unsafe fn tolerance(low: *const c_char, high: *const c_char) -> FfiResult<Tolerance> {
    // SAFETY: the caller's contract.
    let (low, high) = unsafe { (arg_str(low, "tol_low_pct")?, arg_str(high, "tol_high_pct")?) };
    Ok(Tolerance::percent(low, high)?)
}

/// A lot's mass balance converted into a reporting unit, with the percentage
/// accounted for (out + on hand, against in) and whether it is within a tolerance.
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the lot. Not NULL.
/// @param lot Lot code. Not NULL.
/// @param unit The reporting unit (`"kg"`, `"lb"`, `"l"`, or any unit the product
///        declares a conversion to). Not NULL.
/// @param tol_low_pct Lowest accepted percentage, a decimal string (`"95"`,
///        `"99.5"`). Not NULL.
/// @param tol_high_pct Highest accepted percentage (`"105"`). Not NULL.
/// @param[out] out_json Receives `{"product", "lot", "uom", "received", "produced",
///             "returned", "shipped", "consumed", "disposed", "adjusted", "on_hand",
///             "unaccounted", "accounted_pct", "pass", "tolerance": {"low",
///             "high"}}`, every figure a decimal string in `unit` (`uom` is
///             `unit`). Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_INCOMPATIBLE_UNITS` when the product has no path to
///         `unit`; `LT_ERR_INVALID_FIELD` for a percentage that is not a
///         non-negative decimal or a low above the high; `LT_ERR_UNKNOWN_PRODUCT`,
///         `LT_ERR_UNKNOWN_LOT`; `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; the strings are NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mass_balance_in_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    unit: *const c_char,
    tol_low_pct: *const c_char,
    tol_high_pct: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_mass_balance_in_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let key = lot_key(product, lot)?;
            let unit = arg_str(unit, "unit")?;
            let tol = tolerance(tol_low_pct, tol_high_pct)?;
            let out = arg_out(out_json, "out_json")?;
            let balance = t.mass_balance_in(&key, unit, tol)?;
            write_string(out, json_string(&balance, "mass balance")?);
        }
        Ok(())
    })
}

/// Every live transform's yield in a reporting unit (outputs ÷ inputs, in
/// percent), flagging those outside the declared yield range of their output
/// products (a `product` event's `"yield_range": ["0.5", "0.7"]`).
///
/// @param tracker The tracker. Not NULL.
/// @param unit The reporting unit both sides are converted into. Not NULL.
/// @param[out] out_json Receives `[{"event_id", "uom", "inputs", "outputs",
///             "yield_pct", "expected_pct": ["50", "70"] or null, "flagged"}]` in
///             recording order (an empty array without transforms). Not NULL;
///             untouched on failure.
/// @return `LT_OK`; `LT_ERR_INCOMPATIBLE_UNITS` when a product of a transform has
///         no path to `unit` (the message names the transform and the product);
///         `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `unit` is NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_transform_yields_json(
    tracker: *const LtTracker,
    unit: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_transform_yields_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let unit = arg_str(unit, "unit")?;
            let out = arg_out(out_json, "out_json")?;
            let yields = t.transform_yields(unit)?;
            write_string(out, json_string(&yields, "transform yields")?);
        }
        Ok(())
    })
}
