//! The FDA FSMA 204 electronic sortable spreadsheet, as a CSV string.

use std::ffi::c_char;

use lottrack_core::{Fsma204Filter, LotKey};

use crate::error::LtStatus;
use crate::guard::{arg_opt_str, arg_out, arg_time, arg_tracker, c_string, guard, write_string};
use crate::tracker::LtTracker;

/// The FSMA 204 electronic sortable spreadsheet (CSV, RFC 4180) of the critical
/// tracking events from `start` to `end` inclusive: one row per lot line, with the
/// columns the FDA asks for (event type, traceability lot code and its source,
/// product, quantity, unit, location, date, time, reference documents, …).
///
/// @param tracker The tracker. Not NULL.
/// @param start First event time, RFC 3339 with offset. Not NULL.
/// @param end Last event time, RFC 3339 with offset. Not NULL.
/// @param lots_json NULL for every lot, or only the lots a recall of these root lots
///        reaches: `[{"product": "spinach", "lot": "F-100"}]`.
/// @param[out] out_csv Receives the CSV text. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_INVALID_TIME`; for `lots_json` the errors of
///         `lt_recall_json`; `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; the strings are NULL or NUL-terminated;
/// `out_csv` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_fsma204_csv(
    tracker: *const LtTracker,
    start: *const c_char,
    end: *const c_char,
    lots_json: *const c_char,
    out_csv: *mut *mut c_char,
) -> LtStatus {
    guard("lt_fsma204_csv", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let start = arg_time(start, "start", "")?;
            let end = arg_time(end, "end", "")?;
            let roots = match arg_opt_str(lots_json, "lots_json")? {
                Some(json) => Some(LotKey::list_from_json(json)?),
                None => None,
            };
            let out = arg_out(out_csv, "out_csv")?;
            let filter = Fsma204Filter {
                recall_roots: roots,
                ..Fsma204Filter::default()
            };
            let csv = t.fsma204_csv(start, end, &filter)?;
            write_string(out, c_string(csv, "FSMA 204 CSV")?);
        }
        Ok(())
    })
}
