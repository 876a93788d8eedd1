//! Traces: as JSON strings, and as an `LtTrace` handle whose lots a client walks
//! by index without parsing JSON.

use std::ffi::c_char;
use std::sync::{Arc, OnceLock};

use lottrack_core::{LazyTrace, LotKey, Trace, TraceDirection, TraceOptions, Tracker};

use crate::error::{FfiError, LtStatus};
use crate::guard::{
    FfiResult, arg_opt_ref, arg_opt_time, arg_out, arg_str, arg_tracker, c_string, guard, no_panic,
    nul_in_string, write_string,
};
use crate::tracker::LtTracker;

/// Options of a trace. Pass NULL instead of a pointer to it for the defaults.
/// Zero-initialise it (`LtTraceOptions o = {0};`) and set what you need.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LtTraceOptions {
    /// Follow at most this many transform steps; 0 means no limit.
    pub max_depth: u32,
    /// Only events at or after this RFC 3339 time, or NULL.
    pub from: *const c_char,
    /// Only events at or before this RFC 3339 time, or NULL.
    pub to: *const c_char,
    /// What had happened by this RFC 3339 time (later events are ignored), or NULL.
    pub as_of: *const c_char,
}

/// Converts optional C trace options.
///
/// # Safety
/// `o` is NULL or a valid `LtTraceOptions` whose strings are NULL or NUL-terminated.
pub unsafe fn trace_options(o: *const LtTraceOptions) -> FfiResult<TraceOptions> {
    // SAFETY: the caller's contract.
    let Some(o) = (unsafe { arg_opt_ref(o) }) else {
        return Ok(TraceOptions::default());
    };
    // SAFETY: the caller's contract.
    unsafe {
        Ok(TraceOptions {
            max_depth: (o.max_depth != 0).then_some(o.max_depth),
            from: arg_opt_time(o.from, "options.from")?,
            to: arg_opt_time(o.to, "options.to")?,
            as_of: arg_opt_time(o.as_of, "options.as_of")?,
        })
    }
}

/// A lot key from two string arguments.
///
/// # Safety
/// Both are NULL or NUL-terminated.
pub unsafe fn lot_key(product: *const c_char, lot: *const c_char) -> FfiResult<LotKey> {
    // SAFETY: the caller's contract.
    unsafe {
        Ok(LotKey::new(
            arg_str(product, "product")?,
            arg_str(lot, "lot")?,
        ))
    }
}

/// Marks an entry whose name holds a NUL byte and so has no C string.
const NO_C_STRING: usize = usize::MAX;

/// The result of a forward or backward trace. Walk its lots with `lt_trace_len()`
/// and `lt_trace_lot()`, get all of it (shipments, receipts, links) with
/// `lt_trace_json()`, free it with `lt_trace_free()`.
///
/// The set of lots reached (and their depths) is fixed when the trace is taken.
/// The lots' names are read from the tracker on the first `lt_trace_lot()`, and
/// links, shipments and receipts on the first `lt_trace_json()` / `lt_trace_dot()`
/// / `lt_trace_svg()`, for those lots; both are then kept.
///
/// Thread-safety: may be read from several threads at once. It stays valid after
/// new events are recorded and after its tracker is freed (it keeps the tracker's
/// state alive until `lt_trace_free()`).
pub struct LtTrace {
    trace: LazyTrace,
    /// The lots' names as C strings, made on first use.
    names: OnceLock<Names>,
}

/// The product and lot codes of a trace's lots as C strings.
struct Names {
    /// The lots' product and lot codes, each NUL-terminated, back to back.
    bytes: Vec<u8>,
    /// Per lot: offsets of its product and lot code in `bytes`.
    index: Vec<(usize, usize)>,
}

impl Names {
    fn new<'a>(lots: impl ExactSizeIterator<Item = (&'a str, &'a str)>) -> Names {
        let mut bytes = Vec::new();
        let mut push = |s: &str| {
            if s.as_bytes().contains(&0) {
                return NO_C_STRING;
            }
            let at = bytes.len();
            bytes.extend_from_slice(s.as_bytes());
            bytes.push(0);
            at
        };
        let mut index = Vec::with_capacity(lots.len());
        for (p, l) in lots {
            index.push((push(p), push(l)));
        }
        Names { bytes, index }
    }

    fn ptr(&self, at: usize, what: &str) -> FfiResult<*const c_char> {
        if at == NO_C_STRING {
            return Err(nul_in_string(what));
        }
        Ok(self.bytes[at..].as_ptr().cast())
    }
}

impl LtTrace {
    /// The lots' names as C strings: made once, then kept.
    fn names(&self) -> &Names {
        self.names
            .get_or_init(|| Names::new(self.trace.lots().iter().map(|l| (&*l.product, &*l.lot))))
    }
}

type TraceFn = fn(&Tracker, &LotKey, &TraceOptions) -> lottrack_core::Result<Trace>;

/// The shared body of the handle functions.
///
/// # Safety
/// As `lt_trace_forward_with`.
unsafe fn trace_handle(
    direction: TraceDirection,
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    options: *const LtTraceOptions,
    out: *mut *mut LtTrace,
) -> FfiResult {
    // SAFETY: the caller's contract; each pointer is checked before use.
    unsafe {
        let t = &crate::guard::arg_ref(tracker, "tracker")?.inner;
        let key = lot_key(product, lot)?;
        let opts = trace_options(options)?;
        let out = arg_out(out, "out")?;
        let trace = LazyTrace::new(Arc::clone(t), key, opts, direction)?;
        let handle = Box::new(LtTrace {
            trace,
            names: OnceLock::new(),
        });
        out.write(Box::into_raw(handle));
    }
    Ok(())
}

/// The shared body of `lt_trace_json`, `lt_trace_dot` and `lt_trace_svg`: the
/// trace's details (built on first use) rendered by `render` into `out`.
///
/// # Safety
/// `trace` is NULL or a live trace; `out` is NULL or valid for a write.
unsafe fn trace_text(
    trace: *const LtTrace,
    out: *mut *mut c_char,
    out_name: &'static str,
    what: &'static str,
    render: impl FnOnce(&Trace) -> lottrack_core::Result<String>,
) -> FfiResult {
    // SAFETY: the caller's contract; each pointer is checked before use.
    unsafe {
        let t = crate::guard::arg_ref(trace, "trace")?;
        let out = arg_out(out, out_name)?;
        let text = c_string(render(t.trace.details()?)?, what)?;
        write_string(out, text);
    }
    Ok(())
}

/// The shared body of the JSON functions.
///
/// # Safety
/// As `lt_trace_forward_json`.
unsafe fn trace_json(
    f: TraceFn,
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> FfiResult {
    // SAFETY: the caller's contract; each pointer is checked before use.
    unsafe {
        let t = arg_tracker(tracker)?;
        let key = lot_key(product, lot)?;
        let out = arg_out(out_json, "out_json")?;
        let json = c_string(f(t, &key, &TraceOptions::default())?.to_json(), "trace")?;
        write_string(out, json);
    }
    Ok(())
}

/// Traces forward from a lot: every lot made from it (with its depth, the
/// shortest number of transform steps), and the shipments to customers of the lot
/// and of everything made from it. Voided events take part in no result.
///
/// The set of lots reached (and their depths) is fixed now; the details are read
/// from the tracker on first use: the lots' names on the first `lt_trace_lot()`,
/// links and shipments on the first `lt_trace_json()` (see `LtTrace`).
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the root lot. Not NULL.
/// @param lot Lot code of the root lot. Not NULL.
/// @param[out] out Receives the trace. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_PRODUCT` / `LT_ERR_UNKNOWN_LOT` when the lot
///         does not exist; `LT_ERR_NULL_POINTER`, `LT_ERR_INVALID_UTF8`.
///
/// Ownership: the caller owns the trace and frees it with `lt_trace_free()`.
///
/// Thread-safety: may run concurrently with any call on the same tracker except
/// `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `product` and `lot` are NULL or
/// NUL-terminated; `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_forward(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out: *mut *mut LtTrace,
) -> LtStatus {
    guard("lt_trace_forward", || {
        // SAFETY: the caller's contract.
        unsafe {
            trace_handle(
                TraceDirection::Forward,
                tracker,
                product,
                lot,
                std::ptr::null(),
                out,
            )
        }
    })
}

/// Traces backward from a lot: every lot it was made from (with its depth) and
/// the receipts from suppliers of the lot and of all those lots.
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the root lot. Not NULL.
/// @param lot Lot code of the root lot. Not NULL.
/// @param[out] out Receives the trace. Not NULL; untouched on failure.
/// @return As `lt_trace_forward`.
///
/// Ownership: the caller owns the trace and frees it with `lt_trace_free()`.
///
/// Thread-safety: as `lt_trace_forward`.
///
/// # Safety
/// As `lt_trace_forward`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_backward(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out: *mut *mut LtTrace,
) -> LtStatus {
    guard("lt_trace_backward", || {
        // SAFETY: the caller's contract.
        unsafe {
            trace_handle(
                TraceDirection::Backward,
                tracker,
                product,
                lot,
                std::ptr::null(),
                out,
            )
        }
    })
}

/// `lt_trace_forward` with options (maximum depth, time window, as-of time).
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the root lot. Not NULL.
/// @param lot Lot code of the root lot. Not NULL.
/// @param options The options, or NULL for the defaults.
/// @param[out] out Receives the trace. Not NULL; untouched on failure.
/// @return As `lt_trace_forward`; `LT_ERR_INVALID_TIME` for an option time that is
///         not RFC 3339 with an offset.
///
/// Ownership: the caller owns the trace and frees it with `lt_trace_free()`.
///
/// Thread-safety: as `lt_trace_forward`.
///
/// # Safety
/// As `lt_trace_forward`; `options` is NULL or a valid `LtTraceOptions`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_forward_with(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    options: *const LtTraceOptions,
    out: *mut *mut LtTrace,
) -> LtStatus {
    guard("lt_trace_forward_with", || {
        // SAFETY: the caller's contract.
        unsafe { trace_handle(TraceDirection::Forward, tracker, product, lot, options, out) }
    })
}

/// `lt_trace_backward` with options (maximum depth, time window, as-of time).
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the root lot. Not NULL.
/// @param lot Lot code of the root lot. Not NULL.
/// @param options The options, or NULL for the defaults.
/// @param[out] out Receives the trace. Not NULL; untouched on failure.
/// @return As `lt_trace_forward_with`.
///
/// Ownership: the caller owns the trace and frees it with `lt_trace_free()`.
///
/// Thread-safety: as `lt_trace_forward`.
///
/// # Safety
/// As `lt_trace_forward_with`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_backward_with(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    options: *const LtTraceOptions,
    out: *mut *mut LtTrace,
) -> LtStatus {
    guard("lt_trace_backward_with", || {
        // SAFETY: the caller's contract.
        unsafe {
            trace_handle(
                TraceDirection::Backward,
                tracker,
                product,
                lot,
                options,
                out,
            )
        }
    })
}

/// The number of lots a trace reached (the root excluded).
///
/// @param trace The trace, or NULL (then 0).
/// @return The number of lots; valid indexes for `lt_trace_lot` are 0 to this − 1.
///
/// Thread-safety: a trace may be read from several threads at once.
///
/// # Safety
/// `trace` is NULL or a live trace.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_len(trace: *const LtTrace) -> usize {
    no_panic(0, || {
        // SAFETY: the caller's contract.
        unsafe { trace.as_ref() }.map_or(0, |t| t.trace.len())
    })
}

/// One lot of a trace, by index, in order of depth.
///
/// @param trace The trace. Not NULL.
/// @param index 0 to `lt_trace_len(trace)` − 1.
/// @param[out] product Receives the lot's product. Not NULL.
/// @param[out] lot Receives the lot code. Not NULL.
/// @param[out] depth Receives the shortest number of transform steps from the root
///             (1 for a direct output or input). Not NULL.
/// @return `LT_OK`; `LT_ERR_OUT_OF_RANGE` for an index past the end;
///         `LT_ERR_NULL_POINTER`; `LT_ERR_INVALID_FIELD` for a product or lot code
///         holding a NUL byte (read such a trace with `lt_trace_json`). Outs are
///         untouched on failure.
///
/// Ownership: the strings belong to the trace; do not free them. They stay valid
/// until `lt_trace_free(trace)`.
///
/// Thread-safety: a trace may be read from several threads at once.
///
/// # Safety
/// `trace` is NULL or a live trace; the outs are NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_lot(
    trace: *const LtTrace,
    index: usize,
    product: *mut *const c_char,
    lot: *mut *const c_char,
    depth: *mut u32,
) -> LtStatus {
    guard("lt_trace_lot", || {
        // SAFETY: the caller's contract.
        let t = unsafe { crate::guard::arg_ref(trace, "trace") }?;
        let (product, lot, depth) = (
            arg_out(product, "product")?,
            arg_out(lot, "lot")?,
            arg_out(depth, "depth")?,
        );
        let len = t.trace.len();
        let &d = t
            .trace
            .ids()
            .depths
            .get(index)
            .ok_or(FfiError::OutOfRange {
                what: "the trace",
                index,
                len,
            })?;
        let names = t.names();
        let &(p, l) = names.index.get(index).ok_or(FfiError::OutOfRange {
            what: "the trace",
            index,
            len,
        })?;
        let (p, l) = (names.ptr(p, "product")?, names.ptr(l, "lot")?);
        // SAFETY: checked non-NULL; valid for writes by the contract.
        unsafe {
            product.write(p);
            lot.write(l);
            depth.write(d);
        }
        Ok(())
    })
}

/// The whole trace as JSON: `{"direction", "root", "lots", "links", "shipments",
/// "receipts"}` (see the README for the shape; quantities are decimal strings).
///
/// The links, shipments and receipts are read from the tracker on the first call
/// of this, `lt_trace_dot` or `lt_trace_svg`, for the lots fixed when the trace
/// was taken, and then kept: events recorded between taking the trace and that
/// first call are included (links only among the trace's own lots), later ones
/// are not.
///
/// @param trace The trace. Not NULL.
/// @param[out] out_json Receives the JSON. Not NULL; untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: a trace may be read from several threads at once.
///
/// # Safety
/// `trace` is NULL or a live trace; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_json(
    trace: *const LtTrace,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_trace_json", || {
        // SAFETY: the caller's contract.
        unsafe { trace_text(trace, out_json, "out_json", "trace", |t| Ok(t.to_json())) }
    })
}

/// The trace as a Graphviz DOT digraph: lots, the transforms linking them, and the
/// customers (forward) or suppliers (backward) with the quantities. Render it with
/// `dot -Tsvg`.
///
/// @param trace The trace. Not NULL.
/// @param[out] out_dot Receives the DOT text. Not NULL; untouched on failure.
/// @return `LT_OK` or `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: a trace may be read from several threads at once.
///
/// # Safety
/// `trace` is NULL or a live trace; `out_dot` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_dot(
    trace: *const LtTrace,
    out_dot: *mut *mut c_char,
) -> LtStatus {
    guard("lt_trace_dot", || {
        // SAFETY: the caller's contract.
        unsafe { trace_text(trace, out_dot, "out_dot", "trace DOT", |t| Ok(t.to_dot())) }
    })
}

/// The trace as an SVG picture, drawn by Graphviz (`dot -Tsvg`) from the text of
/// `lt_trace_dot`. Graphviz must be installed where the program runs (the `dot`
/// program on the `PATH`); the call starts it as a child process and waits.
///
/// @param trace The trace. Not NULL.
/// @param[out] out_svg Receives the SVG document. Not NULL; untouched on failure.
/// @return `LT_OK`; `LT_ERR_STORAGE` when `dot` cannot be run or fails (the
///         message says so; `lt_trace_dot` still works); `LT_ERR_NULL_POINTER`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: a trace may be read from several threads at once.
///
/// # Safety
/// `trace` is NULL or a live trace; `out_svg` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_svg(
    trace: *const LtTrace,
    out_svg: *mut *mut c_char,
) -> LtStatus {
    guard("lt_trace_svg", || {
        // SAFETY: the caller's contract.
        unsafe { trace_text(trace, out_svg, "out_svg", "trace SVG", |t| t.to_svg()) }
    })
}

/// Frees a trace and the strings `lt_trace_lot` returned from it.
///
/// @param trace The trace, or NULL (then nothing happens).
///
/// Thread-safety: must not run while another thread reads the same trace.
///
/// # Safety
/// `trace` is NULL or a trace that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_free(trace: *mut LtTrace) {
    if trace.is_null() {
        return;
    }
    no_panic((), || {
        // SAFETY: created by `Box::into_raw` in `trace_handle` (the contract).
        drop(unsafe { Box::from_raw(trace) });
    });
}

/// A forward trace as JSON (`lt_trace_forward` + `lt_trace_json` in one call).
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the root lot. Not NULL.
/// @param lot Lot code of the root lot. Not NULL.
/// @param[out] out_json Receives `{"direction": "forward", "root", "lots", "links",
///             "shipments", "receipts"}`. Not NULL; untouched on failure.
/// @return As `lt_trace_forward`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: may run concurrently with any call on the same tracker except
/// `lt_tracker_free`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `product` and `lot` are NULL or
/// NUL-terminated; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_forward_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_trace_forward_json", || {
        // SAFETY: the caller's contract.
        unsafe { trace_json(Tracker::trace_forward, tracker, product, lot, out_json) }
    })
}

/// A backward trace as JSON (`lt_trace_backward` + `lt_trace_json` in one call).
///
/// @param tracker The tracker. Not NULL.
/// @param product Product of the root lot. Not NULL.
/// @param lot Lot code of the root lot. Not NULL.
/// @param[out] out_json Receives `{"direction": "backward", ...}`. Not NULL;
///             untouched on failure.
/// @return As `lt_trace_forward`.
///
/// Ownership: the caller frees the string with `lt_string_free()`.
///
/// Thread-safety: as `lt_trace_forward_json`.
///
/// # Safety
/// As `lt_trace_forward_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_trace_backward_json(
    tracker: *const LtTracker,
    product: *const c_char,
    lot: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_trace_backward_json", || {
        // SAFETY: the caller's contract.
        unsafe { trace_json(Tracker::trace_backward, tracker, product, lot, out_json) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lottrack_core::TraceDirection;

    /// The engine refuses control characters in identifiers when recording, but a
    /// store written before that rule may still hold a lot code with a NUL byte:
    /// the handle refuses to hand it out as a C string, the JSON form carries it.
    #[test]
    fn a_name_with_a_nul_byte_is_refused_not_truncated() {
        use lottrack_core::store::{EventStore, MemoryStore, NewEvent};
        // Written straight into the store, as an old version could have: replay
        // takes the log as it is.
        let rows: Vec<NewEvent> = [
            r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"R","quantity":"5","uom":"kg"}"#,
            r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"p","lot":"R","quantity":"5","uom":"kg"}],"outputs":[{"product":"p","lot":"bad\u0000lot","quantity":"5","uom":"kg"}]}"#,
            r#"{"event_id":"E3","kind":"transform","time":"2026-03-03T08:00:00Z","location":"a","inputs":[{"product":"p","lot":"bad\u0000lot","quantity":"5","uom":"kg"}],"outputs":[{"product":"q","lot":"ok","quantity":"5","uom":"kg"}]}"#,
        ]
        .iter()
        .enumerate()
        .map(|(i, json)| NewEvent {
            event_id: format!("E{}", i + 1),
            recorded_at: "2026-03-04T08:00:00.000000Z".into(),
            json: json.to_string(),
        })
        .collect();
        let mut store = MemoryStore::new();
        store.append(0, &rows).expect("appended");
        let tracker = Arc::new(Tracker::open(store).expect("replayed"));
        let trace = LazyTrace::new(
            tracker,
            LotKey::new("p", "R"),
            TraceOptions::default(),
            TraceDirection::Forward,
        )
        .expect("trace");
        let handle = LtTrace {
            trace,
            names: OnceLock::new(),
        };
        let tr = Box::into_raw(Box::new(handle));
        let (mut p, mut l, mut d) = (std::ptr::null(), std::ptr::null(), 0u32);
        unsafe {
            assert_eq!(lt_trace_len(tr), 2);
            let st = lt_trace_lot(tr, 0, &mut p, &mut l, &mut d);
            assert_eq!(st, LtStatus::LtErrInvalidField);
            assert!(p.is_null() && l.is_null() && d == 0);
            assert_eq!(lt_trace_lot(tr, 1, &mut p, &mut l, &mut d), LtStatus::LtOk);
            assert_eq!(std::ffi::CStr::from_ptr(l).to_bytes(), b"ok");
            assert_eq!(d, 2);
            let mut json = std::ptr::null_mut();
            assert_eq!(lt_trace_json(tr, &mut json), LtStatus::LtOk);
            let text = std::ffi::CStr::from_ptr(json).to_str().expect("utf-8");
            assert!(text.contains(r"bad\u0000lot"), "{text}");
            crate::string::lt_string_free(json);
            lt_trace_free(tr);
        }
    }
}
