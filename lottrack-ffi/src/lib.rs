//! # lottrack — the C library
//!
//! The C ABI over [`lottrack_core`]: `liblottrack.so` / `liblottrack.a` and the
//! header `include/lottrack.h`, generated from this crate by cbindgen.
//!
//! Conventions (as libgit2 and SQLite): every fallible function returns an
//! [`error::LtStatus`] (`LT_OK` is 0) and writes results through out-parameters,
//! which it leaves untouched on failure; the message of the last failure on the
//! calling thread is `lt_last_error_message()`. Strings are UTF-8 and
//! NUL-terminated; what the library allocates the caller frees with the matching
//! `lt_*_free`, and every `*_free` accepts NULL. Every exported body runs in
//! [`guard::guard`]: NULL pointers and invalid UTF-8 become error codes and no panic
//! crosses the boundary.
//!
//! One module per C type or concern; this file only declares them.

pub mod checkpoint;
pub mod epcis;
pub mod error;
pub mod fsma;
pub mod guard;
pub mod jsonl;
pub mod mock_recall;
pub mod model;
pub mod query;
pub mod recall;
pub mod record;
pub mod reporting;
pub mod snapshot;
pub mod string;
pub mod trace;
pub mod tracker;
