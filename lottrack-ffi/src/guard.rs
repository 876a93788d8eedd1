//! The boundary: the one helper every exported body runs in, and the argument
//! checks it uses.
//!
//! [`guard`] clears the thread's last error, runs the body inside `catch_unwind`,
//! turns an error into its [`LtStatus`] and message and a panic into
//! `LT_ERR_PANIC`. The `arg_*` helpers turn raw C arguments into Rust values: a NULL
//! pointer becomes `LT_ERR_NULL_POINTER`, a string that is not UTF-8 becomes
//! `LT_ERR_INVALID_UTF8`, naming the argument.

use std::any::Any;
use std::borrow::Cow;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lottrack_core::{Error, Time, Tracker, parse_time};

use crate::error::{FfiError, LtStatus, clear_last_error, set_last_error};
use crate::tracker::LtTracker;

/// The result of a body run by [`guard`].
pub type FfiResult<T = ()> = Result<T, FfiError>;

/// Runs the body of the exported function `func`: clears the last error, catches
/// panics, and turns the outcome into a status (setting the last error message on
/// failure).
pub fn guard(func: &'static str, body: impl FnOnce() -> FfiResult) -> LtStatus {
    clear_last_error();
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => LtStatus::LtOk,
        Ok(Err(e)) => {
            let status = e.status();
            match &e {
                FfiError::Core(_) => set_last_error(&e.to_string()),
                _ => set_last_error(&format!("{func}: {e}")),
            }
            status
        }
        Err(payload) => {
            let msg = panic_message(&*payload);
            // Dropping a panic payload can itself panic; never let that escape.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            set_last_error(&format!(
                "{func}: internal error (panic): {msg}; please report this"
            ));
            LtStatus::LtErrPanic
        }
    }
}

/// Runs an infallible body (a getter or a `*_free`) so that no panic escapes;
/// returns `fallback` if it panicked. The last error is left as it was.
pub fn no_panic<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(v) => v,
        Err(payload) => {
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            fallback
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

/// A required string argument.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid and unchanged
/// for `'a`.
pub unsafe fn arg_str<'a>(p: *const c_char, name: &'static str) -> FfiResult<&'a str> {
    // SAFETY: the caller's contract.
    unsafe { arg_str_named(p, || Cow::Borrowed(name)) }
}

/// A required string argument whose name is built only on failure (`inputs[2].lot`).
///
/// # Safety
/// As [`arg_str`].
pub unsafe fn arg_str_named<'a>(
    p: *const c_char,
    name: impl FnOnce() -> Cow<'static, str>,
) -> FfiResult<&'a str> {
    if p.is_null() {
        return Err(FfiError::NullPointer(name()));
    }
    // SAFETY: non-NULL, and NUL-terminated and live for 'a by the caller's contract.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|e| FfiError::InvalidUtf8 {
        param: name(),
        valid_up_to: e.valid_up_to(),
    })
}

/// An optional string argument: NULL gives `None`.
///
/// # Safety
/// As [`arg_str`].
pub unsafe fn arg_opt_str<'a>(p: *const c_char, name: &'static str) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's contract.
        unsafe { arg_str(p, name) }.map(Some)
    }
}

/// An optional string argument named on failure only.
///
/// # Safety
/// As [`arg_str`].
pub unsafe fn arg_opt_str_named<'a>(
    p: *const c_char,
    name: impl FnOnce() -> Cow<'static, str>,
) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's contract.
        unsafe { arg_str_named(p, name) }.map(Some)
    }
}

/// An array argument given as pointer and length: `(NULL, 0)` is the empty array.
///
/// # Safety
/// `p` is NULL or points to `len` initialized `T`s that stay valid for `'a`.
pub unsafe fn arg_slice<'a, T>(p: *const T, len: usize, name: &'static str) -> FfiResult<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(FfiError::NullPointer(Cow::Borrowed(name)));
    }
    // SAFETY: non-NULL, `len` elements by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// An optional pointer to a struct argument.
///
/// # Safety
/// `p` is NULL or points to a valid `T` for `'a`.
pub unsafe fn arg_opt_ref<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }
}

/// A required pointer to a struct argument.
///
/// # Safety
/// `p` is NULL or points to a valid `T` for `'a`.
pub unsafe fn arg_ref<'a, T>(p: *const T, name: &'static str) -> FfiResult<&'a T> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or(FfiError::NullPointer(Cow::Borrowed(name)))
}

/// The tracker behind a handle.
///
/// # Safety
/// `p` is NULL or a live tracker handle (`lt_tracker_new_memory`, `lt_tracker_open`,
/// a snapshot).
pub unsafe fn arg_tracker<'a>(p: *const LtTracker) -> FfiResult<&'a Tracker> {
    // SAFETY: the caller's contract.
    unsafe { arg_ref(p, "tracker") }.map(|t| &*t.inner)
}

/// A required out-parameter: checked before any work so that a NULL one fails
/// without side effects. Write it only once the call has succeeded.
pub fn arg_out<T>(p: *mut T, name: &'static str) -> FfiResult<*mut T> {
    if p.is_null() {
        Err(FfiError::NullPointer(Cow::Borrowed(name)))
    } else {
        Ok(p)
    }
}

/// An RFC 3339 time argument (required).
///
/// # Safety
/// As [`arg_str`].
pub unsafe fn arg_time(p: *const c_char, name: &'static str, event_id: &str) -> FfiResult<Time> {
    // SAFETY: the caller's contract.
    let s = unsafe { arg_str(p, name) }?;
    parse_time(s).map_err(|e| {
        FfiError::Core(match e {
            Error::InvalidTime { value, reason, .. } => Error::InvalidTime {
                event_id: event_id.to_string(),
                field: name.to_string(),
                value,
                reason,
            },
            other => other,
        })
    })
}

/// An optional RFC 3339 time argument: NULL gives `None`.
///
/// # Safety
/// As [`arg_str`].
pub unsafe fn arg_opt_time(p: *const c_char, name: &'static str) -> FfiResult<Option<Time>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's contract.
        unsafe { arg_time(p, name, "") }.map(Some)
    }
}

/// A string result as a C string the caller frees with `lt_string_free`; a string
/// holding a NUL byte cannot be one and is an `LT_ERR_INVALID_FIELD` naming `what`.
pub fn c_string(s: String, what: &str) -> FfiResult<CString> {
    CString::new(s).map_err(|_| nul_in_string(what))
}

/// The error for a result string that holds a NUL byte. The engine refuses control
/// characters in identifiers, but free text recorded through JSON (a document
/// number, a reason) may hold `\u0000`, and so may identifiers in a store written
/// before that rule.
pub fn nul_in_string(what: &str) -> FfiError {
    FfiError::Core(Error::InvalidField {
        event_id: String::new(),
        field: what.to_string(),
        reason: "contains a NUL byte, which a C string cannot hold; use the JSON form".into(),
    })
}

/// A result serialized to JSON, as a C string for `lt_string_free`.
pub fn json_string<T: serde::Serialize + ?Sized>(value: &T, what: &str) -> FfiResult<CString> {
    let json = serde_json::to_string(value)
        .map_err(|e| FfiError::Internal(format!("cannot serialize {what}: {e}")))?;
    c_string(json, what)
}

/// Writes a string result to a (checked, non-NULL) out-parameter; the caller frees
/// it with `lt_string_free`.
///
/// # Safety
/// `out` is non-NULL and valid for a write.
pub unsafe fn write_string(out: *mut *mut c_char, s: CString) {
    // SAFETY: the caller's contract.
    unsafe { out.write(s.into_raw()) };
}

/// Writes `value` through an optional out-parameter (NULL: not wanted).
///
/// # Safety
/// `out` is NULL or valid for a write.
pub unsafe fn write_opt<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: the caller's contract.
        unsafe { out.write(value) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_lt_err_panic() {
        let st = guard("lt_test", || panic!("kaboom {}", 42));
        assert_eq!(st, LtStatus::LtErrPanic);
        let msg = unsafe { CStr::from_ptr(crate::error::lt_last_error_message()) };
        let msg = msg.to_str().expect("utf-8");
        assert!(
            msg.contains("lt_test") && msg.contains("kaboom 42"),
            "{msg}"
        );
        assert_eq!(guard("lt_test", || Ok(())), LtStatus::LtOk);
        let msg = unsafe { CStr::from_ptr(crate::error::lt_last_error_message()) };
        assert_eq!(msg.to_bytes(), b"");
        assert_eq!(no_panic(7, || panic!("again")), 7);
    }

    #[test]
    fn arguments_are_checked() {
        let e = unsafe { arg_str(std::ptr::null(), "lot") }.unwrap_err();
        assert_eq!(e.status(), LtStatus::LtErrNullPointer);
        assert_eq!(e.to_string(), "argument `lot` is NULL");
        let bad = b"ab\xffc\0";
        let e = unsafe { arg_str(bad.as_ptr().cast(), "lot") }.unwrap_err();
        assert_eq!(e.status(), LtStatus::LtErrInvalidUtf8);
        assert!(e.to_string().contains("offset 2"));
        let e = unsafe { arg_slice::<u8>(std::ptr::null(), 3, "inputs") }.unwrap_err();
        assert_eq!(e.status(), LtStatus::LtErrNullPointer);
        assert!(
            unsafe { arg_slice::<u8>(std::ptr::null(), 0, "inputs") }
                .expect("empty")
                .is_empty()
        );
        let e = c_string("a\0b".into(), "csv").unwrap_err();
        assert_eq!(e.status(), LtStatus::LtErrInvalidField);
        let e = unsafe { arg_time(c"yesterday".as_ptr(), "time", "E1") }.unwrap_err();
        assert_eq!(e.status(), LtStatus::LtErrInvalidTime);
        assert!(e.to_string().starts_with("event E1:"), "{e}");
    }
}
