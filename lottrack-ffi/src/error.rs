//! Status codes and the thread-local last error message.
//!
//! Every fallible C function returns an [`LtStatus`]. The codes 1..=21 are the core's
//! [`lottrack_core::Error`] variants, with the same number as
//! [`lottrack_core::Error::code`]; the codes from 100 on are the C layer's own
//! (argument checks and caught panics). The message of the last failure on the
//! calling thread is read with [`lt_last_error_message`].

use std::borrow::Cow;
use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_uint};
use std::fmt;

use lottrack_core::Error;

/// The result of every fallible lottrack call. `LT_OK` (0) is success; every other
/// value is one failure kind, and `lt_last_error_message()` then says what happened.
///
/// Codes 1 to 21 are the engine's error kinds (the same numbers as the Rust
/// `lottrack_core::Error::code()` and the same names as the Python exceptions);
/// codes from 100 on are raised by the C layer itself. Values never change once
/// released; new kinds get new numbers.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LtStatus {
    /// Success.
    LtOk = 0,
    /// The input is not valid JSON (or not the JSON shape asked for).
    LtErrMalformedJson = 1,
    /// A required field of an event is absent.
    LtErrMissingField = 2,
    /// The `kind` of an event names no known event kind.
    LtErrUnknownKind = 3,
    /// A time is not RFC 3339 with a UTC offset (`2026-03-01T08:00:00+01:00`).
    LtErrInvalidTime = 4,
    /// A field has the wrong type or an unreadable value (a date, a quantity, a status …).
    LtErrInvalidField = 5,
    /// A product that has never been declared nor received.
    LtErrUnknownProduct = 6,
    /// A lot that does not exist.
    LtErrUnknownLot = 7,
    /// A unit of measure with no conversion to the product's base unit.
    LtErrUnknownUnit = 8,
    /// A quantity that is zero or negative where a positive one is required.
    LtErrNonPositiveQuantity = 9,
    /// Taking more than is on hand at a location (strict mode).
    LtErrInsufficientStock = 10,
    /// A transform that would make a lot its own ancestor.
    LtErrCycle = 11,
    /// An `event_id` already recorded with a different payload.
    LtErrDuplicateEvent = 12,
    /// A void (or a lookup) naming an event that does not exist.
    LtErrUnknownEvent = 13,
    /// A void that would change what later events took (their stock, or a
    /// container they shipped whole).
    LtErrVoidConflict = 14,
    /// A container that holds nothing or was never packed.
    LtErrUnknownContainer = 15,
    /// Quantities in units that have no common unit (e.g. exposure over kg and each).
    LtErrIncompatibleUnits = 16,
    /// An event that is well-formed but not allowed (a void of a void, an empty transform …).
    LtErrInvalidEvent = 17,
    /// The store failed (I/O, database error, unreadable file).
    LtErrStorage = 18,
    /// The file is not a lottrack store.
    LtErrNotAStore = 19,
    /// The store was written by a newer lottrack.
    LtErrSchemaTooNew = 20,
    /// Another writer appended first and the event is no longer valid, or retries ran out.
    LtErrConflict = 21,
    /// A pointer argument that must not be NULL was NULL.
    LtErrNullPointer = 100,
    /// A string argument is not valid UTF-8.
    LtErrInvalidUtf8 = 101,
    /// An index past the end (of a trace's lots).
    LtErrOutOfRange = 102,
    /// A bug inside lottrack: a panic was caught at the boundary instead of crashing
    /// the caller. The tracker may be left inconsistent: free it and open the store
    /// again (acknowledged events are durable). Please report it with the message.
    LtErrPanic = 103,
}

impl LtStatus {
    /// Every status, in code order.
    ///
    /// cbindgen:ignore
    pub const ALL: [LtStatus; 26] = [
        LtStatus::LtOk,
        LtStatus::LtErrMalformedJson,
        LtStatus::LtErrMissingField,
        LtStatus::LtErrUnknownKind,
        LtStatus::LtErrInvalidTime,
        LtStatus::LtErrInvalidField,
        LtStatus::LtErrUnknownProduct,
        LtStatus::LtErrUnknownLot,
        LtStatus::LtErrUnknownUnit,
        LtStatus::LtErrNonPositiveQuantity,
        LtStatus::LtErrInsufficientStock,
        LtStatus::LtErrCycle,
        LtStatus::LtErrDuplicateEvent,
        LtStatus::LtErrUnknownEvent,
        LtStatus::LtErrVoidConflict,
        LtStatus::LtErrUnknownContainer,
        LtStatus::LtErrIncompatibleUnits,
        LtStatus::LtErrInvalidEvent,
        LtStatus::LtErrStorage,
        LtStatus::LtErrNotAStore,
        LtStatus::LtErrSchemaTooNew,
        LtStatus::LtErrConflict,
        LtStatus::LtErrNullPointer,
        LtStatus::LtErrInvalidUtf8,
        LtStatus::LtErrOutOfRange,
        LtStatus::LtErrPanic,
    ];

    /// The status of a core error code (`Error::code()`), if it is one.
    pub fn from_core_code(code: u32) -> Option<LtStatus> {
        Some(match code {
            1 => LtStatus::LtErrMalformedJson,
            2 => LtStatus::LtErrMissingField,
            3 => LtStatus::LtErrUnknownKind,
            4 => LtStatus::LtErrInvalidTime,
            5 => LtStatus::LtErrInvalidField,
            6 => LtStatus::LtErrUnknownProduct,
            7 => LtStatus::LtErrUnknownLot,
            8 => LtStatus::LtErrUnknownUnit,
            9 => LtStatus::LtErrNonPositiveQuantity,
            10 => LtStatus::LtErrInsufficientStock,
            11 => LtStatus::LtErrCycle,
            12 => LtStatus::LtErrDuplicateEvent,
            13 => LtStatus::LtErrUnknownEvent,
            14 => LtStatus::LtErrVoidConflict,
            15 => LtStatus::LtErrUnknownContainer,
            16 => LtStatus::LtErrIncompatibleUnits,
            17 => LtStatus::LtErrInvalidEvent,
            18 => LtStatus::LtErrStorage,
            19 => LtStatus::LtErrNotAStore,
            20 => LtStatus::LtErrSchemaTooNew,
            21 => LtStatus::LtErrConflict,
            _ => return None,
        })
    }

    /// The status of a core error.
    pub fn of(e: &Error) -> LtStatus {
        // The unit tests prove every core code is mapped; an unmapped one would be a
        // build that mixes versions, reported as an internal error.
        LtStatus::from_core_code(e.code()).unwrap_or(LtStatus::LtErrPanic)
    }

    /// The status's C name, e.g. `LT_ERR_UNKNOWN_LOT`.
    pub fn name(self) -> &'static CStr {
        match self {
            LtStatus::LtOk => c"LT_OK",
            LtStatus::LtErrMalformedJson => c"LT_ERR_MALFORMED_JSON",
            LtStatus::LtErrMissingField => c"LT_ERR_MISSING_FIELD",
            LtStatus::LtErrUnknownKind => c"LT_ERR_UNKNOWN_KIND",
            LtStatus::LtErrInvalidTime => c"LT_ERR_INVALID_TIME",
            LtStatus::LtErrInvalidField => c"LT_ERR_INVALID_FIELD",
            LtStatus::LtErrUnknownProduct => c"LT_ERR_UNKNOWN_PRODUCT",
            LtStatus::LtErrUnknownLot => c"LT_ERR_UNKNOWN_LOT",
            LtStatus::LtErrUnknownUnit => c"LT_ERR_UNKNOWN_UNIT",
            LtStatus::LtErrNonPositiveQuantity => c"LT_ERR_NON_POSITIVE_QUANTITY",
            LtStatus::LtErrInsufficientStock => c"LT_ERR_INSUFFICIENT_STOCK",
            LtStatus::LtErrCycle => c"LT_ERR_CYCLE",
            LtStatus::LtErrDuplicateEvent => c"LT_ERR_DUPLICATE_EVENT",
            LtStatus::LtErrUnknownEvent => c"LT_ERR_UNKNOWN_EVENT",
            LtStatus::LtErrVoidConflict => c"LT_ERR_VOID_CONFLICT",
            LtStatus::LtErrUnknownContainer => c"LT_ERR_UNKNOWN_CONTAINER",
            LtStatus::LtErrIncompatibleUnits => c"LT_ERR_INCOMPATIBLE_UNITS",
            LtStatus::LtErrInvalidEvent => c"LT_ERR_INVALID_EVENT",
            LtStatus::LtErrStorage => c"LT_ERR_STORAGE",
            LtStatus::LtErrNotAStore => c"LT_ERR_NOT_A_STORE",
            LtStatus::LtErrSchemaTooNew => c"LT_ERR_SCHEMA_TOO_NEW",
            LtStatus::LtErrConflict => c"LT_ERR_CONFLICT",
            LtStatus::LtErrNullPointer => c"LT_ERR_NULL_POINTER",
            LtStatus::LtErrInvalidUtf8 => c"LT_ERR_INVALID_UTF8",
            LtStatus::LtErrOutOfRange => c"LT_ERR_OUT_OF_RANGE",
            LtStatus::LtErrPanic => c"LT_ERR_PANIC",
        }
    }
}

/// A failure of one C call: an engine error, or a bad argument caught at the
/// boundary.
#[derive(Debug)]
pub enum FfiError {
    /// An error of the engine.
    Core(Error),
    /// A pointer argument that must not be NULL was NULL (argument name).
    NullPointer(Cow<'static, str>),
    /// A string argument is not UTF-8.
    InvalidUtf8 {
        /// The argument's name.
        param: Cow<'static, str>,
        /// Byte offset of the first invalid byte.
        valid_up_to: usize,
    },
    /// An index past the end.
    OutOfRange {
        /// What was indexed.
        what: &'static str,
        /// The index given.
        index: usize,
        /// The number of elements.
        len: usize,
    },
    /// A bug inside lottrack (reported as `LT_ERR_PANIC`).
    Internal(String),
}

impl FfiError {
    /// The status code of this failure.
    pub fn status(&self) -> LtStatus {
        match self {
            FfiError::Core(e) => LtStatus::of(e),
            FfiError::NullPointer(_) => LtStatus::LtErrNullPointer,
            FfiError::InvalidUtf8 { .. } => LtStatus::LtErrInvalidUtf8,
            FfiError::OutOfRange { .. } => LtStatus::LtErrOutOfRange,
            FfiError::Internal(_) => LtStatus::LtErrPanic,
        }
    }
}

impl fmt::Display for FfiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FfiError::Core(e) => write!(f, "{e}"),
            FfiError::NullPointer(p) => write!(f, "argument `{p}` is NULL"),
            FfiError::InvalidUtf8 { param, valid_up_to } => write!(
                f,
                "argument `{param}` is not valid UTF-8 (invalid byte at offset {valid_up_to})"
            ),
            FfiError::OutOfRange { what, index, len } => {
                write!(f, "index {index} is out of range: {what} has {len} entries")
            }
            FfiError::Internal(m) => write!(f, "internal error: {m}; please report this"),
        }
    }
}

impl From<Error> for FfiError {
    fn from(e: Error) -> Self {
        FfiError::Core(e)
    }
}

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

/// Forgets the calling thread's last error message.
pub(crate) fn clear_last_error() {
    let _ = LAST_ERROR.try_with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            *m = None;
        }
    });
}

/// Sets the calling thread's last error message (NUL bytes in it become `\0`).
pub(crate) fn set_last_error(message: &str) {
    let text = if message.contains('\0') {
        message.replace('\0', "\\0")
    } else {
        message.to_string()
    };
    let c = CString::new(text).unwrap_or_default();
    let _ = LAST_ERROR.try_with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            *m = Some(c);
        }
    });
}

/// The message of the last failed lottrack call on the calling thread.
///
/// @return A NUL-terminated UTF-8 message, never NULL: the empty string when the last
///         call that returns an `LtStatus` succeeded (or none was made yet). It
///         names the event, lot, location and numbers involved.
///
/// Ownership: the string belongs to the library; do not free it. It stays valid
/// until the next lottrack call on the same thread (copy it to keep it).
///
/// Thread-safety: each thread has its own last error; safe to call from any thread.
/// Calling it does not change the message, nor do `lt_status_name`, `lt_version`,
/// `lt_trace_len` or the `*_free` functions.
#[unsafe(no_mangle)]
pub extern "C" fn lt_last_error_message() -> *const c_char {
    std::panic::catch_unwind(|| {
        LAST_ERROR
            .try_with(|m| match m.try_borrow() {
                Ok(m) => m.as_ref().map_or(c"".as_ptr(), |c| c.as_ptr()),
                Err(_) => c"".as_ptr(),
            })
            .unwrap_or(c"".as_ptr())
    })
    .unwrap_or(c"".as_ptr())
}

/// The C name of a status code, e.g. `"LT_ERR_UNKNOWN_LOT"` for `LT_ERR_UNKNOWN_LOT`.
///
/// @param status Any value; values that are no `LtStatus` give `"LT_ERR_UNKNOWN_STATUS"`.
/// @return A static NUL-terminated string, never NULL; do not free it.
///
/// Thread-safety: safe to call from any thread at any time.
#[unsafe(no_mangle)]
pub extern "C" fn lt_status_name(status: LtStatusCode) -> *const c_char {
    LtStatus::ALL
        .iter()
        .find(|s| **s as LtStatusCode == status)
        .map_or(c"LT_ERR_UNKNOWN_STATUS".as_ptr(), |s| s.name().as_ptr())
}

/// An `LtStatus` received from C, as its raw number: C may pass any value, and only
/// the valid ones may become a Rust `LtStatus`. The header shows it as `LtStatus`.
pub type LtStatusCode = c_uint;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn screaming_snake(camel: &str) -> String {
        let mut out = String::new();
        for (i, ch) in camel.chars().enumerate() {
            if ch.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_uppercase());
        }
        out
    }

    /// One value of every core error variant; a variant added to the core without a
    /// C code fails `every_core_kind_has_its_code` through KIND_NAMES.
    fn one_of_each() -> Vec<Error> {
        let s = || String::from("x");
        vec![
            Error::MalformedJson { message: s() },
            Error::MissingField {
                event_id: s(),
                field: s(),
            },
            Error::UnknownKind {
                event_id: s(),
                kind: s(),
            },
            Error::InvalidTime {
                event_id: s(),
                field: s(),
                value: s(),
                reason: s(),
            },
            Error::InvalidField {
                event_id: s(),
                field: s(),
                reason: s(),
            },
            Error::UnknownProduct {
                event_id: s(),
                product: s(),
            },
            Error::UnknownLot {
                event_id: s(),
                product: s(),
                lot: s(),
            },
            Error::UnknownUnit {
                event_id: s(),
                product: s(),
                uom: s(),
                base_uom: s(),
            },
            Error::NonPositiveQuantity {
                event_id: s(),
                product: s(),
                lot: s(),
                quantity: s(),
            },
            Error::InsufficientStock {
                event_id: s(),
                product: s(),
                lot: s(),
                location: s(),
                requested: s(),
                on_hand: s(),
                uom: s(),
            },
            Error::Cycle {
                event_id: s(),
                product: s(),
                lot: s(),
                input_product: s(),
                input_lot: s(),
            },
            Error::DuplicateEvent { event_id: s() },
            Error::UnknownEvent {
                event_id: s(),
                target: s(),
            },
            Error::VoidConflict {
                event_id: s(),
                target: s(),
                later: vec![s()],
            },
            Error::UnknownContainer {
                event_id: s(),
                container: s(),
            },
            Error::IncompatibleUnits {
                context: s(),
                from: s(),
                to: s(),
            },
            Error::InvalidEvent {
                event_id: s(),
                reason: s(),
            },
            Error::Storage { message: s() },
            Error::NotAStore { message: s() },
            Error::SchemaTooNew {
                found: 2,
                supported: 1,
            },
            Error::Conflict { message: s() },
        ]
    }

    #[test]
    fn every_core_kind_has_its_code() {
        let names = Error::KIND_NAMES;
        let core: Vec<LtStatus> = LtStatus::ALL
            .iter()
            .copied()
            .filter(|s| (1..100).contains(&(*s as u32)))
            .collect();
        assert_eq!(core.len(), names.len(), "one C code per core error kind");
        for (i, name) in names.iter().enumerate() {
            let code = i as u32 + 1;
            let st = LtStatus::from_core_code(code).expect("mapped");
            assert_eq!(st as u32, code, "{name}: same number as Error::code()");
            let expect = format!("LT_ERR_{}", screaming_snake(name));
            assert_eq!(st.name().to_str().expect("ascii"), expect);
        }
        assert_eq!(LtStatus::from_core_code(0), None);
        assert_eq!(LtStatus::from_core_code(names.len() as u32 + 1), None);
    }

    #[test]
    fn each_variant_maps_to_its_own_status() {
        let all = one_of_each();
        assert_eq!(all.len(), Error::KIND_NAMES.len());
        let mut seen = HashSet::new();
        for e in &all {
            let st = LtStatus::of(e);
            assert_eq!(st as u32, e.code());
            assert_eq!(
                st.name().to_str().expect("ascii"),
                format!("LT_ERR_{}", screaming_snake(e.kind_name()))
            );
            assert!(seen.insert(st), "{st:?} twice");
        }
    }

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for s in LtStatus::ALL {
            assert!(codes.insert(s as u32), "code {} twice", s as u32);
            assert!(names.insert(s.name()), "name {:?} twice", s.name());
            let ffi_only = !(0..=Error::KIND_NAMES.len() as u32).contains(&(s as u32));
            if ffi_only {
                assert!(s as u32 >= 100, "{s:?}: FFI-only codes start at 100");
            }
        }
        assert_eq!(LtStatus::LtOk as u32, 0);
    }

    #[test]
    fn status_name_accepts_any_value() {
        let name = |c: u32| {
            unsafe { CStr::from_ptr(lt_status_name(c)) }
                .to_str()
                .expect("utf-8")
                .to_string()
        };
        assert_eq!(name(0), "LT_OK");
        assert_eq!(name(7), "LT_ERR_UNKNOWN_LOT");
        assert_eq!(name(103), "LT_ERR_PANIC");
        assert_eq!(name(55), "LT_ERR_UNKNOWN_STATUS");
        assert_eq!(name(u32::MAX), "LT_ERR_UNKNOWN_STATUS");
    }

    #[test]
    fn last_error_is_thread_local_and_never_null() {
        clear_last_error();
        let read = || {
            unsafe { CStr::from_ptr(lt_last_error_message()) }
                .to_str()
                .expect("utf-8")
                .to_string()
        };
        assert_eq!(read(), "");
        set_last_error("boom\0tail");
        assert_eq!(read(), "boom\\0tail");
        std::thread::spawn(move || {
            let m = unsafe { CStr::from_ptr(lt_last_error_message()) };
            assert_eq!(m.to_bytes(), b"");
        })
        .join()
        .expect("thread");
        assert_eq!(read(), "boom\\0tail");
        clear_last_error();
        assert_eq!(read(), "");
    }
}
