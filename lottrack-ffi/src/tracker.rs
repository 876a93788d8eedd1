//! `LtTracker`: the engine handle — create, open, free, and its counters.

use std::ffi::c_char;
use std::sync::Arc;

use lottrack_core::store::SqliteOptions;
use lottrack_core::{StockMode, Tracker, TrackerOptions};

use crate::error::LtStatus;
use crate::guard::{
    arg_opt_ref, arg_out, arg_str, arg_tracker, guard, json_string, no_panic, write_string,
};

/// The traceability engine over one event store (in memory or a SQLite file).
///
/// Create it with `lt_tracker_new_memory()` or `lt_tracker_open()` (or take a
/// bitemporal snapshot of one with `lt_tracker_as_of()` / `lt_tracker_as_known_at()`),
/// free it with `lt_tracker_free()`.
///
/// Thread-safety: one tracker may be shared by any number of threads. Every
/// recording function (`lt_record_json`, `lt_receive`, … `lt_import_jsonl`) and
/// every query (`lt_trace_*`, `lt_recall_*`, `lt_mass_balance_json`, …) may be
/// called concurrently on the same tracker: queries run in parallel, recordings are
/// serialized inside the tracker, and a query sees each recorded event entirely or
/// not at all. The only exception is `lt_tracker_free()`, which must not run while
/// any other call on the same tracker is in progress or can still start.
pub struct LtTracker {
    /// Shared with the trace handles taken from it (`LtTrace` reads details on
    /// first use), so they stay readable after `lt_tracker_free`.
    pub(crate) inner: Arc<Tracker>,
}

pub(crate) fn boxed(t: Tracker) -> *mut LtTracker {
    Box::into_raw(Box::new(LtTracker { inner: Arc::new(t) }))
}

/// Options of a tracker. Start from `lt_tracker_options_default()` and change what
/// you need; pass NULL instead of a pointer for the defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LtTrackerOptions {
    /// `false` (the default): taking more than is on hand is refused with
    /// `LT_ERR_INSUFFICIENT_STOCK`. `true` (lenient): it is recorded and reported by
    /// `lt_deficits_json`, for importing the history of systems that let stock go
    /// negative.
    pub lenient: bool,
    /// How often an append is retried (after catching up and validating again)
    /// when another writer appended to the same store first; then
    /// `LT_ERR_CONFLICT`. Default 16.
    pub max_conflict_retries: u32,
}

impl From<&LtTrackerOptions> for TrackerOptions {
    fn from(o: &LtTrackerOptions) -> Self {
        TrackerOptions {
            stock_mode: if o.lenient {
                StockMode::Lenient
            } else {
                StockMode::Strict
            },
            max_conflict_retries: o.max_conflict_retries,
        }
    }
}

/// The default tracker options: strict stock checks, 16 conflict retries.
///
/// @return The options, by value.
///
/// Thread-safety: safe to call from any thread at any time.
#[unsafe(no_mangle)]
pub extern "C" fn lt_tracker_options_default() -> LtTrackerOptions {
    let d = TrackerOptions::default();
    LtTrackerOptions {
        lenient: d.stock_mode == StockMode::Lenient,
        max_conflict_retries: d.max_conflict_retries,
    }
}

/// Tracker options from an optional C pointer.
///
/// # Safety
/// `o` is NULL or a valid `LtTrackerOptions`.
unsafe fn options(o: *const LtTrackerOptions) -> TrackerOptions {
    // SAFETY: the caller's contract.
    unsafe { arg_opt_ref(o) }.map_or_else(TrackerOptions::default, TrackerOptions::from)
}

/// Creates a tracker over a fresh in-memory store (for tests and throwaway
/// analysis: nothing is kept after `lt_tracker_free`).
///
/// @param[out] out Receives the new tracker. Must not be NULL. Untouched on failure.
/// @return `LT_OK`, or `LT_ERR_NULL_POINTER` when `out` is NULL.
///
/// Ownership: the caller owns the tracker and frees it with `lt_tracker_free()`.
///
/// Thread-safety: safe to call from any thread.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_tracker_new_memory(out: *mut *mut LtTracker) -> LtStatus {
    guard("lt_tracker_new_memory", || {
        let out = arg_out(out, "out")?;
        // SAFETY: checked non-NULL; valid for a write by the contract.
        unsafe { out.write(boxed(Tracker::in_memory())) };
        Ok(())
    })
}

/// Opens (or creates) the SQLite store at `sqlite_path` and replays its log.
///
/// A missing or empty (0-byte) file is created and initialised. The file is kept
/// in WAL mode with `synchronous=FULL`: an event acknowledged with `LT_OK` survives
/// a crash or `kill -9`. Several trackers (in this or other processes on the same
/// machine) may open one file: a tracker that finds events it has not seen catches
/// up and validates again when it records, and `lt_sync` catches up on demand. Do
/// not let a second SQLite library in the same process (e.g. an embedded Python's
/// `sqlite3`) open the file while it is open here: closing its descriptor drops
/// lottrack's POSIX locks.
///
/// @param sqlite_path Path of the database file (UTF-8, NUL-terminated). Not NULL.
/// @param[out] out Receives the new tracker. Must not be NULL. Untouched on failure.
/// @return `LT_OK`; `LT_ERR_NOT_A_STORE` for a file that is not a lottrack store
///         (another SQLite database, a text file, a directory); `LT_ERR_SCHEMA_TOO_NEW`
///         for a store written by a newer lottrack; `LT_ERR_STORAGE` when the file
///         cannot be opened or read (missing directory, I/O error, unreadable log);
///         `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`. A refused file is left
///         unchanged.
///
/// Ownership: the caller owns the tracker and frees it with `lt_tracker_free()`,
/// which closes the file.
///
/// Thread-safety: safe to call from any thread.
///
/// # Safety
/// `sqlite_path` is NULL or a NUL-terminated string; `out` is NULL or valid for
/// writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_tracker_open(
    sqlite_path: *const c_char,
    out: *mut *mut LtTracker,
) -> LtStatus {
    guard("lt_tracker_open", || {
        // SAFETY: the caller's contract.
        let path = unsafe { arg_str(sqlite_path, "sqlite_path") }?;
        let out = arg_out(out, "out")?;
        let t = Tracker::open_sqlite(path)?;
        // SAFETY: checked non-NULL; valid for a write by the contract.
        unsafe { out.write(boxed(t)) };
        Ok(())
    })
}

/// `lt_tracker_new_memory` with options (lenient stock mode …).
///
/// @param options The options, or NULL for the defaults.
/// @param[out] out Receives the new tracker. Must not be NULL. Untouched on failure.
/// @return `LT_OK`, or `LT_ERR_NULL_POINTER` when `out` is NULL.
///
/// Ownership: the caller owns the tracker and frees it with `lt_tracker_free()`.
///
/// Thread-safety: safe to call from any thread.
///
/// # Safety
/// `options` is NULL or a valid `LtTrackerOptions`; `out` is NULL or valid for
/// writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_tracker_new_memory_with(
    options: *const LtTrackerOptions,
    out: *mut *mut LtTracker,
) -> LtStatus {
    guard("lt_tracker_new_memory_with", || {
        let out = arg_out(out, "out")?;
        // SAFETY: the caller's contract.
        let opts = unsafe { self::options(options) };
        // SAFETY: checked non-NULL; valid for a write by the contract.
        unsafe { out.write(boxed(Tracker::in_memory_with(opts))) };
        Ok(())
    })
}

/// `lt_tracker_open` with options (lenient stock mode, conflict retries).
///
/// @param sqlite_path Path of the database file (UTF-8, NUL-terminated). Not NULL.
/// @param options The options, or NULL for the defaults.
/// @param[out] out Receives the new tracker. Must not be NULL. Untouched on failure.
/// @return As `lt_tracker_open`.
///
/// Ownership: the caller owns the tracker and frees it with `lt_tracker_free()`.
///
/// Thread-safety: safe to call from any thread.
///
/// # Safety
/// `sqlite_path` is NULL or a NUL-terminated string; `options` is NULL or a valid
/// `LtTrackerOptions`; `out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_tracker_open_with(
    sqlite_path: *const c_char,
    options: *const LtTrackerOptions,
    out: *mut *mut LtTracker,
) -> LtStatus {
    guard("lt_tracker_open_with", || {
        // SAFETY: the caller's contract.
        let (path, opts) =
            unsafe { (arg_str(sqlite_path, "sqlite_path")?, self::options(options)) };
        let out = arg_out(out, "out")?;
        let t = Tracker::open_sqlite_with(path, SqliteOptions::default(), opts)?;
        // SAFETY: checked non-NULL; valid for a write by the contract.
        unsafe { out.write(boxed(t)) };
        Ok(())
    })
}

/// Frees a tracker; its store is closed once the traces taken from it are freed
/// too (a trace keeps the index it reads from). Every event acknowledged with
/// `LT_OK` is already durable; nothing is lost by freeing.
///
/// @param tracker The tracker, or NULL (then nothing happens).
///
/// Thread-safety: must not run concurrently with any other call on the same
/// tracker, and the tracker must not be used afterwards. Trace handles
/// (`LtTrace`), drills (`LtMockRecall`), snapshots and strings obtained from it
/// stay valid: they own their data.
///
/// # Safety
/// `tracker` is NULL or a tracker from `lt_tracker_new_memory` / `lt_tracker_open`
/// (or a snapshot from `lt_tracker_as_of` / `lt_tracker_as_known_at`) that was not
/// freed yet and is not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_tracker_free(tracker: *mut LtTracker) {
    if tracker.is_null() {
        return;
    }
    no_panic((), || {
        // SAFETY: created by `Box::into_raw` in `boxed` (the contract).
        drop(unsafe { Box::from_raw(tracker) });
    });
}

/// The number of events recorded (voids and voided events included).
///
/// @param tracker The tracker. Not NULL.
/// @param[out] out Receives the count. Not NULL; untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_event_count(tracker: *const LtTracker, out: *mut u64) -> LtStatus {
    guard("lt_event_count", || {
        // SAFETY: the caller's contract.
        let t = unsafe { arg_tracker(tracker) }?;
        let out = arg_out(out, "out")?;
        let n = t.event_count() as u64;
        // SAFETY: checked non-NULL.
        unsafe { out.write(n) };
        Ok(())
    })
}

/// The sequence number of the last event in the log (0 when empty).
///
/// @param tracker The tracker. Not NULL.
/// @param[out] out Receives the sequence number. Not NULL; untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_last_seq(tracker: *const LtTracker, out: *mut u64) -> LtStatus {
    guard("lt_last_seq", || {
        // SAFETY: the caller's contract.
        let t = unsafe { arg_tracker(tracker) }?;
        let out = arg_out(out, "out")?;
        let n = t.last_seq();
        // SAFETY: checked non-NULL.
        unsafe { out.write(n) };
        Ok(())
    })
}

/// Stock taken beyond what was on hand, by live events (only a lenient tracker
/// records such events; see `LtTrackerOptions`).
///
/// @param tracker The tracker. Not NULL.
/// @param[out] out_json Receives `[{"event_id", "product", "lot", "location",
///             "requested", "on_hand", "uom"}]` (empty for a strict tracker). Not
///             NULL; untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_deficits_json(
    tracker: *const LtTracker,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_deficits_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let out = arg_out(out_json, "out_json")?;
            write_string(out, json_string(&t.deficits(), "deficits")?);
        }
        Ok(())
    })
}

/// Reads the events other trackers (other processes) appended to the same store
/// since this tracker last read it, and applies them, so that queries see them.
///
/// @param tracker The tracker. Not NULL.
/// @param[out] out_new Receives the number of events read; may be NULL.
/// @return `LT_OK`; `LT_ERR_STORAGE` when the store cannot be read;
///         `LT_ERR_NULL_POINTER`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `out_new` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_sync(tracker: *mut LtTracker, out_new: *mut u64) -> LtStatus {
    guard("lt_sync", || {
        // SAFETY: the caller's contract.
        let t = unsafe { arg_tracker(tracker) }?;
        let n = t.sync()? as u64;
        // SAFETY: NULL or valid for a write (the contract).
        unsafe { crate::guard::write_opt(out_new, n) };
        Ok(())
    })
}
