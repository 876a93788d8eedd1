//! Checkpoints of the index beside a SQLite store (`lt_write_checkpoint`), and
//! how a tracker was opened (`lt_open_info_json`): from a checkpoint, and how
//! many events it replayed.
//!
//! A checkpoint is a cache: `lt_tracker_open` loads it when it matches the log
//! and replays only the events recorded after it; a stale, damaged or foreign
//! checkpoint is ignored (the whole log is replayed) and deleting it is always
//! safe. See `lottrack_core::checkpoint`.

use std::ffi::c_char;

use crate::error::LtStatus;
use crate::guard::{arg_out, arg_tracker, guard, json_string, write_string};
use crate::tracker::LtTracker;

/// Saves the tracker's index beside its SQLite store (the store's path with
/// `.checkpoint` appended, replaced atomically), so the next `lt_tracker_open`
/// of the file loads it instead of replaying every event. Call it after a bulk
/// import, at shutdown, or nightly.
///
/// @param tracker The tracker. Not NULL.
/// @param[out] out_json Receives `{"path", "seq", "bytes"}` (the file, the last
///             event it includes, its size); may be NULL when not wanted.
/// @return `LT_OK`; `LT_ERR_STORAGE` when the store keeps no checkpoint (an
///         in-memory tracker) or the file cannot be written (the message names
///         it); `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees `*out_json` with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
/// Queries run on while the checkpoint is written; recording waits for it.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_write_checkpoint(
    tracker: *const LtTracker,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_write_checkpoint", || {
        // SAFETY: the caller's contract.
        let t = unsafe { arg_tracker(tracker) }?;
        let info = t.write_checkpoint()?;
        if !out_json.is_null() {
            let json = json_string(&info, "checkpoint")?;
            // SAFETY: non-NULL, valid for a write by the contract.
            unsafe { write_string(out_json, json) };
        }
        Ok(())
    })
}

/// How the tracker's index was built when it was opened.
///
/// @param tracker The tracker. Not NULL.
/// @param[out] out_json Receives `{"checkpoint_seq": N or null, "replayed": N,
///             "checkpoint_skipped": "why" or null}`: the checkpoint loaded (the
///             seq of its last event), the events replayed from the log, and why a
///             checkpoint file that was there was not used. Not NULL; untouched on
///             failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_open_info_json(
    tracker: *const LtTracker,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_open_info_json", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let out = arg_out(out_json, "out_json")?;
            write_string(out, json_string(&t.open_info(), "open info")?);
        }
        Ok(())
    })
}
