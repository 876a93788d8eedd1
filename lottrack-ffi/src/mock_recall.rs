//! Scored mock recalls: `LtMockRecall`, a handle on one drill's result (score,
//! verdict, customers ranked by exposure, and the report as JSON, CSV and
//! Markdown), and recording that a drill was run.

use std::ffi::{CString, c_char};

use lottrack_core::LotKey;
use lottrack_core::mock_recall::MockRecall;
use lottrack_core::quantity::fmt_decimal;

use crate::error::{FfiError, LtStatus};
use crate::guard::{
    FfiResult, arg_opt_str, arg_out, arg_ref, arg_str, arg_time, arg_tracker, c_string, guard,
    no_panic, nul_in_string, write_string,
};
use crate::record::write_outs;
use crate::reporting::tolerance;
use crate::tracker::LtTracker;

/// The result of a mock recall (a recall drill): nothing was recorded to compute
/// it. Read the verdict with `lt_mock_recall_score()` and `lt_mock_recall_passed()`,
/// walk the customers most exposed first with `lt_mock_recall_customer_count()` and
/// `lt_mock_recall_customer()`, get the report with `lt_mock_recall_json()`,
/// `lt_mock_recall_csv()` or `lt_mock_recall_markdown()`, record that the drill
/// was run with `lt_record_mock_recall()`, and free it with `lt_mock_recall_free()`.
///
/// Thread-safety: immutable; may be read from several threads at once. It owns its
/// data: it stays valid after new events are recorded and after its tracker is
/// freed.
pub struct LtMockRecall {
    drill: MockRecall,
    /// Per customer, most exposed first: the name (`None`: it holds a NUL byte and
    /// has no C string) and the estimated root quantity (`None`: unknown).
    customers: Vec<(Option<CString>, Option<CString>)>,
}

impl LtMockRecall {
    fn new(drill: MockRecall) -> LtMockRecall {
        let customers = drill
            .customers
            .iter()
            .map(|c| {
                (
                    CString::new(c.customer.as_str()).ok(),
                    // A decimal's text never holds a NUL byte.
                    c.root_quantity
                        .and_then(|q| CString::new(fmt_decimal(q)).ok()),
                )
            })
            .collect();
        LtMockRecall { drill, customers }
    }
}

/// The drill behind a handle argument.
///
/// # Safety
/// `p` is NULL or a live `LtMockRecall`.
unsafe fn arg_drill<'a>(p: *const LtMockRecall) -> FfiResult<&'a LtMockRecall> {
    // SAFETY: the caller's contract.
    unsafe { arg_ref(p, "drill") }
}

/// Runs a mock recall of some lots without recording anything: the forward trace,
/// the backward trace to the suppliers, the customers to notify ranked by the
/// estimated quantity of root material they received, the stock to hold, and the
/// mass balance of each root in one reporting unit, with a score (the share of the
/// roots' quantity accounted for, in percent) judged against a tolerance.
///
/// @param tracker The tracker. Not NULL.
/// @param lots_json The root lots, `[{"product": "flour", "lot": "F-1"}]`. Not NULL.
/// @param unit The reporting unit (`"kg"`, `"lb"` …). Not NULL.
/// @param tol_low_pct Lowest accepted score in percent, a decimal string (`"95"`).
///        Not NULL.
/// @param tol_high_pct Highest accepted score in percent (`"105"`). Not NULL.
/// @param[out] out Receives the drill. Not NULL; untouched on failure.
/// @return `LT_OK` (a product with no path to `unit` does not fail the call: it is
///         listed in the report's `"unconvertible"` and the drill does not pass);
///         `LT_ERR_MALFORMED_JSON`, `LT_ERR_MISSING_FIELD`, `LT_ERR_INVALID_FIELD`
///         for a bad `lots_json`; `LT_ERR_INVALID_FIELD` for a bad tolerance;
///         `LT_ERR_UNKNOWN_PRODUCT`, `LT_ERR_UNKNOWN_LOT`; `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller owns the drill and frees it with `lt_mock_recall_free()`.
///
/// Thread-safety: may run concurrently with any call on the same tracker except
/// `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; the strings are NULL or NUL-terminated;
/// `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall(
    tracker: *const LtTracker,
    lots_json: *const c_char,
    unit: *const c_char,
    tol_low_pct: *const c_char,
    tol_high_pct: *const c_char,
    out: *mut *mut LtMockRecall,
) -> LtStatus {
    guard("lt_mock_recall", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let lots = LotKey::list_from_json(arg_str(lots_json, "lots_json")?)?;
            let unit = arg_str(unit, "unit")?;
            let tol = tolerance(tol_low_pct, tol_high_pct)?;
            let out = arg_out(out, "out")?;
            let drill = t.mock_recall(&lots, unit, tol)?;
            out.write(Box::into_raw(Box::new(LtMockRecall::new(drill))));
        }
        Ok(())
    })
}

/// The drill's score: the share of the roots' quantity accounted for (shipped,
/// consumed, disposed, adjusted or on hand), in percent, e.g. `"100"` or
/// `"98.5"` (at most 4 decimals).
///
/// @param drill The drill. Not NULL.
/// @param[out] out_pct Receives the percentage as a decimal string. Not NULL;
///             untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: a drill may be read from several threads at once.
///
/// # Safety
/// `drill` is NULL or a live drill; `out_pct` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_score(
    drill: *const LtMockRecall,
    out_pct: *mut *mut c_char,
) -> LtStatus {
    guard("lt_mock_recall_score", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let d = arg_drill(drill)?;
            let out = arg_out(out_pct, "out_pct")?;
            write_string(out, c_string(fmt_decimal(d.drill.score), "score")?);
        }
        Ok(())
    })
}

/// Whether the drill passed: the score is within the tolerance and every root lot
/// could be converted into the reporting unit.
///
/// @param drill The drill. Not NULL.
/// @param[out] out_passed Receives `true` or `false`. Not NULL; untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Thread-safety: a drill may be read from several threads at once.
///
/// # Safety
/// `drill` is NULL or a live drill; `out_passed` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_passed(
    drill: *const LtMockRecall,
    out_passed: *mut bool,
) -> LtStatus {
    guard("lt_mock_recall_passed", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let d = arg_drill(drill)?;
            let out = arg_out(out_passed, "out_passed")?;
            out.write(d.drill.pass);
        }
        Ok(())
    })
}

/// The number of customers to notify (customers who received an affected lot).
///
/// @param drill The drill. Not NULL.
/// @param[out] out_count Receives the number; valid indexes for
///             `lt_mock_recall_customer` are 0 to it − 1. Not NULL; untouched on
///             failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Thread-safety: a drill may be read from several threads at once.
///
/// # Safety
/// `drill` is NULL or a live drill; `out_count` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_customer_count(
    drill: *const LtMockRecall,
    out_count: *mut usize,
) -> LtStatus {
    guard("lt_mock_recall_customer_count", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let d = arg_drill(drill)?;
            let out = arg_out(out_count, "out_count")?;
            out.write(d.customers.len());
        }
        Ok(())
    })
}

/// One customer to notify, by rank: index 0 received the most root material (the
/// one to call first); ties in customer order.
///
/// @param drill The drill. Not NULL.
/// @param index 0 to the count of `lt_mock_recall_customer_count` − 1.
/// @param[out] out_customer Receives the customer. Not NULL.
/// @param[out] out_root_quantity Receives the estimated quantity of root material
///             the customer received, a decimal string in the reporting unit, or
///             NULL when it is unknown (a product on the way has no path to the
///             reporting unit). Not NULL.
/// @return `LT_OK`; `LT_ERR_OUT_OF_RANGE` for an index past the end;
///         `LT_ERR_NULL_POINTER`; `LT_ERR_INVALID_FIELD` for a customer name holding
///         a NUL byte (read it with `lt_mock_recall_json`). Outs are untouched on
///         failure.
///
/// Ownership: the strings belong to the drill; do not free them. They stay valid
/// until `lt_mock_recall_free(drill)`.
///
/// Thread-safety: a drill may be read from several threads at once.
///
/// # Safety
/// `drill` is NULL or a live drill; the outs are NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_customer(
    drill: *const LtMockRecall,
    index: usize,
    out_customer: *mut *const c_char,
    out_root_quantity: *mut *const c_char,
) -> LtStatus {
    guard("lt_mock_recall_customer", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let d = arg_drill(drill)?;
            let out_c = arg_out(out_customer, "out_customer")?;
            let out_q = arg_out(out_root_quantity, "out_root_quantity")?;
            let (name, qty) = d.customers.get(index).ok_or(FfiError::OutOfRange {
                what: "the customers",
                index,
                len: d.customers.len(),
            })?;
            let name = name.as_ref().ok_or_else(|| nul_in_string("customer"))?;
            out_c.write(name.as_ptr());
            out_q.write(qty.as_ref().map_or(std::ptr::null(), |q| q.as_ptr()));
        }
        Ok(())
    })
}

/// The shared body of the report functions.
///
/// # Safety
/// As `lt_mock_recall_json`.
unsafe fn report(
    drill: *const LtMockRecall,
    out: *mut *mut c_char,
    out_name: &'static str,
    render: fn(&MockRecall) -> String,
    what: &str,
) -> FfiResult {
    // SAFETY: the caller's contract; each pointer is checked before use.
    unsafe {
        let d = arg_drill(drill)?;
        let out = arg_out(out, out_name)?;
        write_string(out, c_string(render(&d.drill), what)?);
    }
    Ok(())
}

/// The whole drill as JSON: `{"roots", "reporting_unit", "tolerance": {"low",
/// "high"}, "started_at", "elapsed_us", "lots": [{"product", "lot", "depth",
/// "status", "share", "root_quantity"}], "suppliers", "customers": [{"customer",
/// "shipments", "root_quantity"}], "stock_to_hold", "mass_balance",
/// "unconvertible", "root_quantity", "accounted_quantity", "score", "pass"}`;
/// quantities are decimal strings (`null` where unknown), customers most exposed
/// first.
///
/// @param drill The drill. Not NULL.
/// @param[out] out_json Receives the JSON. Not NULL; untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: a drill may be read from several threads at once.
///
/// # Safety
/// `drill` is NULL or a live drill; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_json(
    drill: *const LtMockRecall,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_mock_recall_json", || {
        // SAFETY: the caller's contract.
        unsafe {
            report(
                drill,
                out_json,
                "out_json",
                MockRecall::to_json,
                "mock recall",
            )
        }
    })
}

/// The drill as one CSV (RFC 4180, CRLF line ends): a header line, a `notify` row
/// per shipment to a customer (with the customer's estimated root quantity), a
/// `hold` row per lot and location with stock, a `balance` row per root. Columns:
/// `section, customer_or_location, product, lot, quantity, uom, root_quantity,
/// time, event_id, documents`.
///
/// @param drill The drill. Not NULL.
/// @param[out] out_csv Receives the CSV text. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_NULL_POINTER`; `LT_ERR_INVALID_FIELD` if a value holds
///         a NUL byte (use the JSON form then).
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: a drill may be read from several threads at once.
///
/// # Safety
/// `drill` is NULL or a live drill; `out_csv` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_csv(
    drill: *const LtMockRecall,
    out_csv: *mut *mut c_char,
) -> LtStatus {
    guard("lt_mock_recall_csv", || {
        // SAFETY: the caller's contract.
        unsafe {
            report(
                drill,
                out_csv,
                "out_csv",
                MockRecall::to_csv,
                "mock recall CSV",
            )
        }
    })
}

/// A one-page Markdown summary of the drill to file with an audit: the verdict
/// (`PASS`/`FAIL`) and score, the mass balance of each root, the customers ranked
/// by exposure, the stock to hold and the suppliers.
///
/// @param drill The drill. Not NULL.
/// @param[out] out_markdown Receives the Markdown text. Not NULL; untouched on
///             failure.
/// @return `LT_OK`; `LT_ERR_NULL_POINTER`; `LT_ERR_INVALID_FIELD` if a value holds
///         a NUL byte (use the JSON form then).
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: a drill may be read from several threads at once.
///
/// # Safety
/// `drill` is NULL or a live drill; `out_markdown` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_markdown(
    drill: *const LtMockRecall,
    out_markdown: *mut *mut c_char,
) -> LtStatus {
    guard("lt_mock_recall_markdown", || {
        // SAFETY: the caller's contract.
        unsafe {
            report(
                drill,
                out_markdown,
                "out_markdown",
                MockRecall::to_markdown,
                "mock recall summary",
            )
        }
    })
}

/// Records that a drill was run: a `mock_recall` event naming the root lots, with
/// the score, verdict, reporting unit, quantities and timing in its `result`. It
/// changes no stock and no status; an audit sees it in the lots' history and in
/// the event log.
///
/// @param tracker The tracker to record into (normally the one the drill ran on).
///        Not NULL.
/// @param drill The drill. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When the drill was run, RFC 3339 with offset. Not NULL.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with
///             `lt_string_free`.
/// @return `LT_OK`; `LT_ERR_INVALID_TIME`; the recording errors
///         (`LT_ERR_DUPLICATE_EVENT`, `LT_ERR_UNKNOWN_LOT` for roots the tracker
///         does not know, `LT_ERR_STORAGE`, …); `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`. On error nothing is recorded and the outs are
///         untouched.
///
/// Thread-safety: may run concurrently with any call on the same tracker except
/// `lt_tracker_free`; the drill may be read by other threads meanwhile.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `drill` is NULL or a live drill; the
/// strings are NULL or NUL-terminated; the outs are NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_record_mock_recall(
    tracker: *mut LtTracker,
    drill: *const LtMockRecall,
    event_id: *const c_char,
    time: *const c_char,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_record_mock_recall", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let d = arg_drill(drill)?;
            let id = arg_opt_str(event_id, "event_id")?.filter(|s| !s.is_empty());
            let time = arg_time(time, "time", id.unwrap_or(""))?;
            let r = t.record_mock_recall(&d.drill, time, id)?;
            write_outs(r, out_seq, out_event_id)
        }
    })
}

/// Frees a drill and the strings `lt_mock_recall_customer` returned from it.
///
/// @param drill The drill, or NULL (then nothing happens).
///
/// Thread-safety: must not run while another thread reads the same drill.
///
/// # Safety
/// `drill` is NULL or a drill from `lt_mock_recall` that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_mock_recall_free(drill: *mut LtMockRecall) {
    if drill.is_null() {
        return;
    }
    no_panic((), || {
        // SAFETY: created by `Box::into_raw` in `lt_mock_recall` (the contract).
        drop(unsafe { Box::from_raw(drill) });
    });
}
