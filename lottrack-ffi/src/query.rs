//! Lot queries returned as JSON strings: mass balance, exposure, on hand,
//! inventory, expiry, first-expired-first-out picks, history, one event.
//!
//! Every function here only reads: it may run concurrently with any other call on
//! the same tracker except `lt_tracker_free`. Each JSON string is the caller's, to
//! free with `lt_string_free`; quantities in it are decimal strings.

use std::ffi::c_char;

use lottrack_core::model::parse_date;
use lottrack_core::quantity::parse_decimal;
use lottrack_core::{Error, LotKey, TraceOptions, Tracker};

use crate::error::LtStatus;
use crate::guard::{FfiResult, arg_out, arg_str, arg_tracker, guard, json_string, write_string};
use crate::trace::lot_key;
use crate::tracker::LtTracker;

/// The shared body of the per-lot queries: checks the arguments, runs `f` and
/// writes its JSON.
///
/// # Safety
/// As the exported per-lot functions.
unsafe fn lot_query<T: serde::Serialize>(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
    what: &str,
    f: impl FnOnce(&Tracker, &LotKey) -> lottrack_core::Result<T>,
) -> FfiResult {
    // SAFETY: the caller's contract; each pointer is checked before use.
    unsafe {
        let t = arg_tracker(tracker)?;
        let key = lot_key(product, lot)?;
        let out = arg_out(out_json, "out_json")?;
        let json = json_string(&f(t, &key)?, what)?;
        write_string(out, json);
    }
    Ok(())
}

/// A lot's mass balance: in (received, produced, returned), out (shipped,
/// consumed, disposed, adjusted) and on hand, exactly, in the product's base unit.
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the lot. Not NULL.
/// @param lot Lot code. Not NULL.
/// @param[out] out_json Receives `{"product", "lot", "uom", "received", "produced",
///             "returned", "shipped", "consumed", "disposed", "adjusted", "on_hand",
///             "unaccounted"}`. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_PRODUCT`, `LT_ERR_UNKNOWN_LOT`;
///         `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `product` and `lot` are NULL or
/// NUL-terminated; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mass_balance_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_mass_balance_json", || {
        // SAFETY: the caller's contract.
        unsafe {
            lot_query(tracker, product, lot, out_json, "mass balance", |t, k| {
                t.mass_balance(k)
            })
        }
    })
}

/// Exposure: for each lot downstream of a root lot, the share of it that came from
/// the root, following quantities through every transform.
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the root lot. Not NULL.
/// @param lot Lot code of the root lot. Not NULL.
/// @param[out] out_json Receives `{"root": {"product", "lot"}, "lots": [{"product",
///             "lot", "depth", "fraction"}]}` (fraction a decimal string, 0 to 1).
///             Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_PRODUCT`, `LT_ERR_UNKNOWN_LOT`;
///         `LT_ERR_INCOMPATIBLE_UNITS` when a transform mixes inputs with no common
///         unit; `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// As `lt_mass_balance_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_exposure_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_exposure_json", || {
        // SAFETY: the caller's contract.
        unsafe {
            lot_query(tracker, product, lot, out_json, "exposure", |t, k| {
                t.exposure(k, &TraceOptions::default())
            })
        }
    })
}

/// A lot's stock per location (and container).
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the lot. Not NULL.
/// @param lot Lot code. Not NULL.
/// @param[out] out_json Receives `[{"product", "lot", "location", "container"?,
///             "quantity", "uom", "status", "expiry"}]` (an empty array when nothing
///             is on hand). Not NULL; untouched on failure.
/// @return As `lt_mass_balance_json`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// As `lt_mass_balance_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_on_hand_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_on_hand_json", || {
        // SAFETY: the caller's contract.
        unsafe {
            lot_query(tracker, product, lot, out_json, "on hand", |t, k| {
                t.on_hand(k)
            })
        }
    })
}

/// What is known about one lot: status, expiry (and where it came from),
/// production date, supplier and supplier's lot code, origin, total on hand.
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the lot. Not NULL.
/// @param lot Lot code. Not NULL.
/// @param[out] out_json Receives `{"product", "lot", "status", "expiry",
///             "expiry_source", "production_date", "supplier", "supplier_lot",
///             "origin", "on_hand", "uom"}` (absent values are `null`). Not NULL;
///             untouched on failure.
/// @return As `lt_mass_balance_json`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// As `lt_mass_balance_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_lot_info_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_lot_info_json", || {
        // SAFETY: the caller's contract.
        unsafe { lot_query(tracker, product, lot, out_json, "lot info", |t, k| t.lot(k)) }
    })
}

/// A product's master data: base unit, unit conversions, description.
///
/// @param tracker The tracker. Not NULL.
/// @param product The product. Not NULL.
/// @param[out] out_json Receives `{"product", "uom", "conversions": {"case": "12",
///             …}, "description", "declared"}`: a conversion `"case": "12"` means one
///             case is 12 base units; `declared` is false for a product known only
///             from a receipt (no `product` event). Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_PRODUCT`; `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `product` is NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_product_json(
    tracker: *const LtTracker,
    product: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_product_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let product = arg_str(product, "product")?;
            let out = arg_out(out_json, "out_json")?;
            let info = t.product(product).ok_or_else(|| Error::UnknownProduct {
                event_id: String::new(),
                product: product.to_string(),
            })?;
            write_string(out, json_string(&info, "product")?);
        }
        Ok(())
    })
}

/// Every event that touched a lot (stock movements and status changes), in event
/// time order, in the event JSON format.
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the lot. Not NULL.
/// @param lot Lot code. Not NULL.
/// @param[out] out_json Receives a JSON array of events. Not NULL; untouched on
///             failure.
/// @return As `lt_mass_balance_json`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// As `lt_mass_balance_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_history_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_history_json", || {
        // SAFETY: the caller's contract.
        unsafe {
            lot_query(tracker, product, lot, out_json, "history", |t, k| {
                t.history(k)
            })
        }
    })
}

/// Every lot with stock, per location, ordered by product, lot and location.
///
/// @param tracker The tracker. Not NULL.
/// @param[out] out_json Receives a JSON array like `lt_on_hand_json`'s. Not NULL;
///             untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_inventory_json(
    tracker: *const LtTracker,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_inventory_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let out = arg_out(out_json, "out_json")?;
            write_string(out, json_string(&t.inventory(), "inventory")?);
        }
        Ok(())
    })
}

/// Lots with stock whose expiry is before a date, earliest first.
///
/// @param tracker The tracker. Not NULL.
/// @param date A calendar date `YYYY-MM-DD`. Not NULL.
/// @param[out] out_json Receives a JSON array like `lt_on_hand_json`'s. Not NULL;
///             untouched on failure.
/// @return `LT_OK`; `LT_ERR_INVALID_FIELD` for a date that is not `YYYY-MM-DD`;
///         `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `date` is NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_expiring_before_json(
    tracker: *const LtTracker,
    date: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_expiring_before_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let d = arg_str(date, "date")?;
            let out = arg_out(out_json, "out_json")?;
            let day = parse_date(d, "date")?;
            write_string(out, json_string(&t.expiring_before(day), "expiring lots")?);
        }
        Ok(())
    })
}

/// A first-expired-first-out pick suggestion: which lots of a product to pick at a
/// location for a quantity, earliest expiry first, from active loose stock.
///
/// @param tracker The tracker. Not NULL.
/// @param product The product. Not NULL.
/// @param quantity The quantity wanted, a positive decimal string. Not NULL.
/// @param uom Its unit. Not NULL.
/// @param location Where to pick. Not NULL.
/// @param[out] out_json Receives `{"product", "location", "picks": [{"lot",
///             "quantity", "uom", "expiry"}], "shortfall"}`. Not NULL; untouched on
///             failure.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_PRODUCT`, `LT_ERR_UNKNOWN_UNIT`,
///         `LT_ERR_NON_POSITIVE_QUANTITY`, `LT_ERR_INVALID_FIELD` (quantity not a
///         decimal); `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; the strings are NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_fefo_json(
    tracker: *const LtTracker,
    product: *const c_char,
    quantity: *const c_char,
    uom: *const c_char,
    location: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_fefo_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let product = arg_str(product, "product")?;
            let q = arg_str(quantity, "quantity")?;
            let uom = arg_str(uom, "uom")?;
            let location = arg_str(location, "location")?;
            let out = arg_out(out_json, "out_json")?;
            let qty = parse_decimal(q).ok_or_else(|| Error::InvalidField {
                event_id: String::new(),
                field: "quantity".into(),
                reason: format!("`{q}` is not a finite decimal"),
            })?;
            let plan = t.fefo(product, qty, uom, location)?;
            write_string(out, json_string(&plan, "FEFO plan")?);
        }
        Ok(())
    })
}

/// One recorded event by id, in the event JSON format.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id The event's id. Not NULL.
/// @param[out] out_json Receives the event. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_EVENT`; `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `event_id` is NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_event_json(
    tracker: *const LtTracker,
    event_id: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_event_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let id = arg_str(event_id, "event_id")?;
            let out = arg_out(out_json, "out_json")?;
            let ev = t.event(id)?;
            write_string(out, crate::guard::c_string(ev.to_json(), "event")?);
        }
        Ok(())
    })
}
