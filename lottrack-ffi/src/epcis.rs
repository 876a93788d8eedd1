//! GS1 EPCIS 2.0 JSON(-LD) documents: import from and export to files.

use std::ffi::c_char;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};

use lottrack_core::Error;

use crate::error::LtStatus;
use crate::guard::{arg_str, arg_tracker, guard, json_string, write_opt, write_string};
use crate::tracker::LtTracker;

fn io_err(action: &str, path: &str, e: std::io::Error) -> Error {
    Error::Storage {
        message: format!("cannot {action} `{path}`: {e}"),
    }
}

/// Imports an EPCIS 2.0 JSON document (object, aggregation, transformation and
/// transaction events; master data in its header). Events already recorded (by
/// `eventID`, or the CBV hash ID for events without one) are skipped.
///
/// @param tracker The tracker. Not NULL.
/// @param path The document to read (UTF-8 path). Not NULL.
/// @param[out] out_summary_json Receives what the import did, `{"events",
///             "imported", "recorded", "duplicates", "hash_ids", "unsupported",
///             "stock_gaps", …}`; may be NULL. Free it with `lt_string_free`.
///             Untouched on failure.
/// @return `LT_OK`; `LT_ERR_STORAGE` when the file cannot be read;
///         `LT_ERR_MALFORMED_JSON` and the recording errors for a bad document;
///         `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `path` is NULL or NUL-terminated;
/// `out_summary_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_import_epcis(
    tracker: *mut LtTracker,
    path: *const c_char,
    out_summary_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_import_epcis", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        let (t, path) = unsafe { (arg_tracker(tracker)?, arg_str(path, "path")?) };
        let file = File::open(path).map_err(|e| io_err("open", path, e))?;
        let summary = t.import_epcis(BufReader::new(file))?;
        if !out_summary_json.is_null() {
            let json = json_string(&summary, "EPCIS import summary")?;
            // SAFETY: checked non-NULL; valid for a write by the contract.
            unsafe { write_string(out_summary_json, json) };
        }
        Ok(())
    })
}

/// Exports every live event as one EPCIS 2.0 JSON-LD document (with the master
/// data in its header), to a file that is created or truncated.
///
/// @param tracker The tracker. Not NULL.
/// @param path The file to write (UTF-8 path). Not NULL.
/// @param[out] out_count Receives the number of EPCIS events written; may be NULL.
///             Untouched on failure.
/// @return `LT_OK`; `LT_ERR_STORAGE` when the file cannot be written;
///         `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `path` is NULL or NUL-terminated;
/// `out_count` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_export_epcis(
    tracker: *const LtTracker,
    path: *const c_char,
    out_count: *mut u64,
) -> LtStatus {
    guard("lt_export_epcis", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        let (t, path) = unsafe { (arg_tracker(tracker)?, arg_str(path, "path")?) };
        let file = File::create(path).map_err(|e| io_err("create", path, e))?;
        let mut w = BufWriter::new(file);
        let n = t.export_epcis(&mut w)?;
        w.flush().map_err(|e| io_err("write", path, e))?;
        w.into_inner()
            .map_err(|e| io_err("write", path, e.into_error()))?
            .sync_all()
            .map_err(|e| io_err("sync", path, e))?;
        // SAFETY: NULL or valid for a write (the contract).
        unsafe { write_opt(out_count, n) };
        Ok(())
    })
}
