//! JSON-lines import and export of the event log (one event per line, the event
//! JSON format), to and from files.

use std::ffi::c_char;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};

use lottrack_core::Error;

use crate::error::LtStatus;
use crate::guard::{arg_str, arg_tracker, guard, write_opt};
use crate::tracker::LtTracker;

/// What an import did.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LtImportSummary {
    /// Non-blank lines read.
    pub lines: u64,
    /// Events newly recorded.
    pub recorded: u64,
    /// Events already recorded with the same payload (idempotent no-ops).
    pub duplicates: u64,
}

fn io_err(action: &str, path: &str, e: std::io::Error) -> Error {
    Error::Storage {
        message: format!("cannot {action} `{path}`: {e}"),
    }
}

/// Imports a JSON-lines file: one event per line (blank lines skipped), recorded
/// in atomic batches of 1000. On the first invalid line the import stops: earlier
/// batches stay recorded, the failing batch does not, and the message names the
/// line. Re-running an import is safe: events are idempotent by `event_id`.
///
/// @param tracker The tracker. Not NULL.
/// @param path The file to read (UTF-8 path). Not NULL.
/// @param[out] out_summary Receives the counts; may be NULL. Untouched on failure.
/// @return `LT_OK`; `LT_ERR_STORAGE` when the file cannot be read; any error of
///         `lt_record_json` for an invalid line; `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`; other
/// recordings interleave between its batches.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `path` is NULL or NUL-terminated;
/// `out_summary` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_import_jsonl(
    tracker: *mut LtTracker,
    path: *const c_char,
    out_summary: *mut LtImportSummary,
) -> LtStatus {
    guard("lt_import_jsonl", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        let (t, path) = unsafe { (arg_tracker(tracker)?, arg_str(path, "path")?) };
        let file = File::open(path).map_err(|e| io_err("open", path, e))?;
        let s = t.import_jsonl(BufReader::new(file), &mut |_| {})?;
        let summary = LtImportSummary {
            lines: s.lines,
            recorded: s.recorded,
            duplicates: s.duplicates,
        };
        // SAFETY: NULL or valid for a write (the contract).
        unsafe { write_opt(out_summary, summary) };
        Ok(())
    })
}

/// Exports every event (voids and voided events included, so a replay rebuilds
/// the same state) to a JSON-lines file, in recording order. The file is created
/// or truncated.
///
/// @param tracker The tracker. Not NULL.
/// @param path The file to write (UTF-8 path). Not NULL.
/// @param[out] out_count Receives the number of events written; may be NULL.
///             Untouched on failure.
/// @return `LT_OK`; `LT_ERR_STORAGE` when the file cannot be written;
///         `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`; it
/// writes the events recorded when it started.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `path` is NULL or NUL-terminated;
/// `out_count` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_export_jsonl(
    tracker: *const LtTracker,
    path: *const c_char,
    out_count: *mut u64,
) -> LtStatus {
    guard("lt_export_jsonl", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        let (t, path) = unsafe { (arg_tracker(tracker)?, arg_str(path, "path")?) };
        let file = File::create(path).map_err(|e| io_err("create", path, e))?;
        let mut w = BufWriter::new(file);
        let n = t.export_jsonl(&mut w)?;
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
