//! Strings the library hands out: how to free them, and the version string.

use std::ffi::{CString, c_char};

use crate::guard::no_panic;

/// Frees a string that a lottrack function returned through a `char **`
/// out-parameter (JSON, CSV, an event id).
///
/// @param s The string, or NULL (then nothing happens).
///
/// Ownership: only strings allocated by lottrack may be passed, each exactly once;
/// never pass them to libc `free()`, and never pass the `const char *` of
/// `lt_last_error_message`, `lt_status_name`, `lt_version` or `lt_trace_lot`.
///
/// Thread-safety: any thread may free a string, whichever thread received it.
///
/// # Safety
/// `s` is NULL or a string returned by lottrack that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    no_panic((), || {
        // SAFETY: `s` came from `CString::into_raw` in this library (the contract).
        drop(unsafe { CString::from_raw(s) });
    });
}

const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, e.g. `"0.1.0"` (semantic versioning).
///
/// @return A static NUL-terminated string, never NULL; do not free it.
///
/// Thread-safety: safe to call from any thread at any time.
#[unsafe(no_mangle)]
pub extern "C" fn lt_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn version_and_free() {
        let v = unsafe { CStr::from_ptr(lt_version()) };
        assert_eq!(v.to_str().expect("utf-8"), env!("CARGO_PKG_VERSION"));
        unsafe { lt_string_free(std::ptr::null_mut()) };
        let s = CString::new("x").expect("no nul").into_raw();
        unsafe { lt_string_free(s) };
    }
}
