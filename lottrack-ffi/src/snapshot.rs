//! Bitemporal views: a snapshot tracker of what had happened by an event time
//! (`lt_tracker_as_of`), or of what the tracker knew at a recorded time
//! (`lt_tracker_as_known_at`), and when an event was recorded (`lt_recorded_at`).
//!
//! Every event keeps its event time (when it happened) and the time the tracker
//! recorded it. A snapshot is a new `LtTracker` over an in-memory copy of the
//! events it selects, on which every query can be asked.

use std::ffi::c_char;

use chrono::{SecondsFormat, Utc};
use lottrack_core::Error;

use crate::error::LtStatus;
use crate::guard::{arg_out, arg_str, arg_time, arg_tracker, c_string, guard, write_string};
use crate::tracker::{LtTracker, boxed};

/// A snapshot of everything that had happened by event time `time`, as known now:
/// the live events whose event time is at or before `time` (voided events are out;
/// events recorded late with an earlier event time are in).
///
/// The snapshot is a new tracker over an in-memory copy of those events: every
/// query (traces, recalls, balances, mock recalls …) can be asked of it. It is
/// read-only in spirit: it is in lenient stock mode, and what is recorded into it
/// stays in the copy (never in `tracker`'s store) and is lost when it is freed.
/// It does not follow later events of `tracker`.
///
/// @param tracker The tracker. Not NULL.
/// @param time The event time, RFC 3339 with offset. Not NULL.
/// @param[out] out Receives the snapshot. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_INVALID_TIME`; `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller owns the snapshot and frees it with `lt_tracker_free()`.
/// It is independent of `tracker`: either may be freed first.
///
/// Thread-safety: may run concurrently with any call on `tracker` except
/// `lt_tracker_free`. The snapshot is a tracker like any other.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `time` is NULL or NUL-terminated; `out` is
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_tracker_as_of(
    tracker: *const LtTracker,
    time: *const c_char,
    out: *mut *mut LtTracker,
) -> LtStatus {
    guard("lt_tracker_as_of", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let time = arg_time(time, "time", "")?;
            let out = arg_out(out, "out")?;
            out.write(boxed(t.as_of(time)?));
        }
        Ok(())
    })
}

/// A snapshot of what the tracker knew at recorded time `recorded_time`: the events
/// recorded up to then, with the voids recorded up to then — before later
/// corrections and late-arriving events. The question a regulator asks after a
/// correction: "what did your system say on the 3rd?"
///
/// Like `lt_tracker_as_of`, the snapshot is a new, read-only-in-spirit tracker
/// over an in-memory copy (lenient stock mode; recordings into it stay in the copy).
///
/// @param tracker The tracker. Not NULL.
/// @param recorded_time The recorded time, RFC 3339 with offset (compare
///        `lt_recorded_at`). Not NULL.
/// @param[out] out Receives the snapshot. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_INVALID_TIME`; `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller owns the snapshot and frees it with `lt_tracker_free()`.
/// It is independent of `tracker`: either may be freed first.
///
/// Thread-safety: as `lt_tracker_as_of`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `recorded_time` is NULL or NUL-terminated;
/// `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_tracker_as_known_at(
    tracker: *const LtTracker,
    recorded_time: *const c_char,
    out: *mut *mut LtTracker,
) -> LtStatus {
    guard("lt_tracker_as_known_at", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let at = arg_time(recorded_time, "recorded_time", "")?.with_timezone(&Utc);
            let out = arg_out(out, "out")?;
            out.write(boxed(t.as_known_at(at)?));
        }
        Ok(())
    })
}

/// When an event was recorded by the tracker (not its event time).
///
/// @param tracker The tracker. Not NULL.
/// @param event_id The event's id. Not NULL.
/// @param[out] out_time Receives the recorded time, RFC 3339 in UTC with
///             microseconds (`"2026-03-05T09:12:44.123456Z"`), as the store keeps
///             it; pass it to `lt_tracker_as_known_at` to see what the tracker knew
///             right after recording the event. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_EVENT`; `LT_ERR_NULL_POINTER`,
///         `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call but `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `event_id` is NULL or NUL-terminated;
/// `out_time` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_recorded_at(
    tracker: *const LtTracker,
    event_id: *const c_char,
    out_time: *mut *mut c_char,
) -> LtStatus {
    guard("lt_recorded_at", || {
        // SAFETY: the caller's contract; each pointer is checked before use.
        unsafe {
            let t = arg_tracker(tracker)?;
            let id = arg_str(event_id, "event_id")?;
            let out = arg_out(out_time, "out_time")?;
            let at = t.recorded_at(id).ok_or_else(|| Error::UnknownEvent {
                event_id: String::new(),
                target: id.to_string(),
            })?;
            let text = at.to_rfc3339_opts(SecondsFormat::Micros, true);
            write_string(out, c_string(text, "recorded time")?);
        }
        Ok(())
    })
}
