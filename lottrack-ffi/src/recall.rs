//! Recalls: the report as JSON or CSV, and executing a recall (durable status
//! events). Lots are given as JSON, `[{"product": "...", "lot": "..."}]`.

use std::ffi::c_char;

use lottrack_core::{LotKey, RecallReport, TraceOptions, Tracker};

use crate::error::LtStatus;
use crate::guard::{
    FfiResult, arg_opt_str, arg_out, arg_str, arg_time, arg_tracker, c_string, guard, write_string,
};
use crate::tracker::LtTracker;

/// The shared body of the report functions.
///
/// # Safety
/// As `lt_recall_json`.
unsafe fn report(
    tracker: *const LtTracker,
    lots_json: *const c_char,
    out: *mut *mut c_char,
    out_name: &'static str,
    render: fn(&RecallReport) -> String,
    what: &str,
) -> FfiResult {
    // SAFETY: the caller's contract; each pointer is checked before use.
    unsafe {
        let t: &Tracker = arg_tracker(tracker)?;
        let lots = LotKey::list_from_json(arg_str(lots_json, "lots_json")?)?;
        let out = arg_out(out, out_name)?;
        let r = t.recall(&lots, &TraceOptions::default())?;
        write_string(out, c_string(render(&r), what)?);
    }
    Ok(())
}

/// The recall report for some lots (nothing is recorded): every affected lot with
/// its status and stock to put on hold, the customers to notify with their
/// shipments, and the mass balance of each root lot.
///
/// @param tracker The tracker. Not NULL.
/// @param lots_json The root lots, `[{"product": "spinach", "lot": "F-100"}]`. Not NULL.
/// @param[out] out_json Receives `{"roots", "lots": [{"product", "lot", "depth",
///             "status", "on_hand": [{"location", "quantity", "uom"}]}],
///             "customers": [{"customer", "shipments"}], "mass_balance"}`. Not NULL;
///             untouched on failure.
/// @return `LT_OK`; `LT_ERR_MALFORMED_JSON`, `LT_ERR_MISSING_FIELD`,
///         `LT_ERR_INVALID_FIELD` for a bad `lots_json`; `LT_ERR_UNKNOWN_PRODUCT`,
///         `LT_ERR_UNKNOWN_LOT`; `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `lots_json` is NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_recall_json(
    tracker: *const LtTracker,
    lots_json: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_recall_json", || {
        // SAFETY: the caller's contract.
        unsafe {
            report(
                tracker,
                lots_json,
                out_json,
                "out_json",
                RecallReport::to_json,
                "recall report",
            )
        }
    })
}

/// The recall report as one CSV (RFC 4180, CRLF line ends): a header line, a
/// `notify` row per shipment to a customer, then a `hold` row per affected lot and
/// location with stock. Columns: `action, customer, product, lot, location,
/// container, quantity, uom, time, event_id, documents`.
///
/// @param tracker The tracker. Not NULL.
/// @param lots_json The root lots, `[{"product": "spinach", "lot": "F-100"}]`. Not NULL.
/// @param[out] out_csv Receives the CSV text. Not NULL; untouched on failure.
/// @return As `lt_recall_json`; `LT_ERR_INVALID_FIELD` if an identifier holds a NUL
///         byte (use the JSON form then).
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// As `lt_recall_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_recall_csv(
    tracker: *const LtTracker,
    lots_json: *const c_char,
    out_csv: *mut *mut c_char,
) -> LtStatus {
    guard("lt_recall_csv", || {
        // SAFETY: the caller's contract.
        unsafe {
            report(
                tracker,
                lots_json,
                out_csv,
                "out_csv",
                RecallReport::to_csv,
                "recall CSV",
            )
        }
    })
}

/// Executes a recall: records one `status` event setting every affected lot to
/// `recalled` (durable and auditable), then returns the report as
/// `lt_recall_json` does (statuses now `recalled`).
///
/// @param tracker The tracker. Not NULL.
/// @param lots_json The root lots, `[{"product": "spinach", "lot": "F-100"}]`. Not NULL.
/// @param time Time of the status event, RFC 3339 with offset. Not NULL.
/// @param event_id Id of the status event, or NULL to have one generated.
/// @param[out] out_json Receives the report. Not NULL; untouched on failure.
/// @return As `lt_recall_json`; `LT_ERR_INVALID_TIME`; the recording errors
///         (`LT_ERR_DUPLICATE_EVENT`, `LT_ERR_STORAGE`, …). On error nothing is
///         recorded.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; the strings are NULL or NUL-terminated;
/// `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_execute_recall_json(
    tracker: *mut LtTracker,
    lots_json: *const c_char,
    time: *const c_char,
    event_id: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_execute_recall_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let lots = LotKey::list_from_json(arg_str(lots_json, "lots_json")?)?;
            let id = arg_opt_str(event_id, "event_id")?.filter(|s| !s.is_empty());
            let time = arg_time(time, "time", id.unwrap_or(""))?;
            let out = arg_out(out_json, "out_json")?;
            let r = t.execute_recall(&lots, &TraceOptions::default(), time, id)?;
            write_string(out, c_string(r.to_json(), "recall report")?);
        }
        Ok(())
    })
}
