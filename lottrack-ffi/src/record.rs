//! Recording events: from JSON (`lt_record_json`) and typed, without JSON, one
//! function per event kind (`lt_receive`, `lt_transform`, `lt_ship`, …).
//!
//! Every typed function takes the same head — tracker, `event_id` (NULL or `""`:
//! generated), `time` (RFC 3339 with offset) — then the kind's own arguments, then
//! the same tail: reference documents (`documents`, `n_documents`) and two optional
//! out-parameters, `out_seq` (the event's sequence number) and `out_event_id` (its
//! id, to free with `lt_string_free`). An event is validated before anything is
//! stored: on failure nothing is recorded and the out-parameters are untouched.
//! Recording the identical event again (same id, same payload) is an idempotent
//! no-op that returns `LT_OK` and the original sequence number.

use std::ffi::c_char;

use lottrack_core::{Event, LotStatus, Time, Tracker};

use crate::error::LtStatus;
use crate::guard::{
    FfiResult, arg_opt_ref, arg_opt_str, arg_ref, arg_str, arg_time, arg_tracker, c_string, guard,
    json_string, write_opt, write_string,
};
use crate::model::{
    LtConversion, LtDocument, LtLotAttrs, LtLotKey, LtLotQty, documents, lot_attrs, lot_keys,
    lot_qty, lot_qtys,
};
use crate::tracker::LtTracker;

/// The arguments every typed recording function shares.
struct Head<'a> {
    tracker: &'a Tracker,
    event_id: &'a str,
    time: Time,
    documents: Vec<(&'a str, &'a str)>,
}

/// Reads the shared head and the documents.
///
/// # Safety
/// The pointers are NULL or valid as the exported functions document.
unsafe fn head<'a>(
    tracker: *const LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    docs: *const LtDocument,
    n_docs: usize,
) -> FfiResult<Head<'a>> {
    // SAFETY: the caller's contract.
    unsafe {
        let tracker = arg_tracker(tracker)?;
        let event_id = arg_opt_str(event_id, "event_id")?.unwrap_or("");
        let time = arg_time(time, "time", event_id)?;
        let documents = documents(docs, n_docs)?;
        Ok(Head {
            tracker,
            event_id,
            time,
            documents,
        })
    }
}

impl Head<'_> {
    /// Records `ev` with the head's id and documents and writes the optional outs.
    ///
    /// # Safety
    /// `out_seq` and `out_event_id` are NULL or valid for a write.
    unsafe fn record(
        &self,
        mut ev: Event,
        out_seq: *mut u64,
        out_event_id: *mut *mut c_char,
    ) -> FfiResult {
        if !self.event_id.is_empty() {
            ev = ev.with_id(self.event_id);
        }
        for (doc_type, id) in &self.documents {
            ev = ev.with_document(doc_type, id);
        }
        let r = self.tracker.record(ev)?;
        // SAFETY: the caller's contract.
        unsafe { write_outs(r, out_seq, out_event_id) }
    }
}

/// Writes what recording did to the optional out-parameters.
///
/// # Safety
/// `out_seq` and `out_event_id` are NULL or valid for a write.
pub(crate) unsafe fn write_outs(
    r: lottrack_core::Recorded,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> FfiResult {
    // The engine refuses ids with control characters, so this conversion cannot
    // fail for an event it recorded; it stays as the boundary's guarantee.
    let id = if out_event_id.is_null() {
        None
    } else {
        Some(c_string(r.event_id, "event_id")?)
    };
    // SAFETY: the caller's contract.
    unsafe {
        write_opt(out_seq, r.seq);
        if let Some(id) = id {
            write_string(out_event_id, id);
        }
    }
    Ok(())
}

/// Records one event given in the design's JSON format (one object; see the
/// README: `{"event_id": "E1", "kind": "receive", "time": "...", ...}`).
///
/// @param tracker The tracker. Not NULL.
/// @param event_json The event, UTF-8 JSON, NUL-terminated. Not NULL.
/// @return `LT_OK` (also when the identical event was recorded before: idempotent);
///         `LT_ERR_MALFORMED_JSON`, `LT_ERR_MISSING_FIELD`, `LT_ERR_UNKNOWN_KIND`,
///         `LT_ERR_INVALID_TIME`, `LT_ERR_INVALID_FIELD` for a bad event (also an
///         empty identifier, or one holding a control character such as `\u0000`); the
///         validation errors (`LT_ERR_UNKNOWN_LOT`, `LT_ERR_INSUFFICIENT_STOCK`,
///         `LT_ERR_DUPLICATE_EVENT`, …); `LT_ERR_STORAGE` when the store fails.
///         On error nothing is recorded.
///
/// Thread-safety: may run concurrently with any call on the same tracker except
/// `lt_tracker_free`; recordings are serialized inside the tracker.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `event_json` is NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_record_json(
    tracker: *mut LtTracker,
    event_json: *const c_char,
) -> LtStatus {
    guard("lt_record_json", || {
        // SAFETY: the caller's contract.
        let (t, json) = unsafe { (arg_tracker(tracker)?, arg_str(event_json, "event_json")?) };
        t.record_json(json)?;
        Ok(())
    })
}

/// Records a JSON array of events (each in the format of `lt_record_json`)
/// all-or-nothing: each is validated against the state the earlier ones leave,
/// then all are stored in one atomic append (one SQLite transaction), or none
/// is. How to record many events fast: one event per call is one transaction
/// each.
///
/// @param tracker The tracker. Not NULL.
/// @param events_json The events, a UTF-8 JSON array, NUL-terminated. Not NULL.
///             `[]` records nothing.
/// @param[out] out_json Receives, per event in order, `{"event_id", "seq",
///             "duplicate"}` (`duplicate` true for an event recorded before with
///             the same content); may be NULL when not wanted. Untouched on error.
/// @return `LT_OK`; `LT_ERR_MALFORMED_JSON` when the text is not a JSON array
///         (the message names the element that is not JSON); otherwise the
///         error of the first bad event, as `lt_record_json` returns it, naming
///         that event. On error nothing is recorded.
///
/// Ownership: the caller frees `*out_json` with `lt_string_free()`.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// `tracker` is NULL or a live tracker; `events_json` is NULL or a
/// NUL-terminated string; `out_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_record_batch_json(
    tracker: *mut LtTracker,
    events_json: *const c_char,
    out_json: *mut *mut c_char,
) -> LtStatus {
    guard("lt_record_batch_json", || {
        // SAFETY: the caller's contract.
        let (t, json) = unsafe { (arg_tracker(tracker)?, arg_str(events_json, "events_json")?) };
        let recorded = t.record_batch_json(json)?;
        if !out_json.is_null() {
            let json = json_string(&recorded, "recorded events")?;
            // SAFETY: non-NULL, valid for a write by the contract.
            unsafe { write_string(out_json, json) };
        }
        Ok(())
    })
}

/// Like `lt_record_json`, and also tells the event's sequence number and id.
///
/// @param tracker The tracker. Not NULL.
/// @param event_json The event, UTF-8 JSON, NUL-terminated. Not NULL.
/// @param[out] out_seq Receives the event's sequence number in the log; may be NULL.
/// @param[out] out_event_id Receives the event's id (generated when the JSON has
///             none); may be NULL. Free it with `lt_string_free`.
/// @return As `lt_record_json`. Out-parameters are untouched on error.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_record_json`; `out_seq` and `out_event_id` are NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_record_json_ex(
    tracker: *mut LtTracker,
    event_json: *const c_char,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_record_json_ex", || {
        // SAFETY: the caller's contract.
        let (t, json) = unsafe { (arg_tracker(tracker)?, arg_str(event_json, "event_json")?) };
        // The core refuses identifiers with control characters (NUL included), so
        // the id written back always fits a C string.
        let r = t.record(Event::from_json(json)?)?;
        // SAFETY: the caller's contract.
        unsafe { write_outs(r, out_seq, out_event_id) }
    })
}

/// Records a receipt: a quantity of a lot arrives from a supplier (the lot is
/// created if new; its attributes are set by its first receipt).
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset (`"2026-03-01T08:00:00+01:00"`). Not NULL.
/// @param location Where the stock arrives. Not NULL.
/// @param item Lot and quantity received. Not NULL.
/// @param supplier The supplier party, or NULL.
/// @param attrs Lot attributes (expiry, production date, supplier lot, origin), or NULL.
/// @param documents Reference documents (purchase order …); NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused (nothing recorded, outs untouched).
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// Every pointer is NULL or valid as described; strings are NUL-terminated; arrays
/// hold the given number of elements; outs are NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_receive(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    item: *const LtLotQty,
    supplier: *const c_char,
    attrs: *const LtLotAttrs,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_receive", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let item = lot_qty(arg_ref(item, "item")?, "item", h.event_id)?;
            let supplier = arg_opt_str(supplier, "supplier")?;
            let attrs = lot_attrs(arg_opt_ref(attrs), "attrs", h.event_id)?;
            let ev = Event::receive(h.time, location, item, supplier).with_lot_attrs(attrs);
            h.record(ev, out_seq, out_event_id)
        }
    })
}

/// Records a transform: input lots are consumed and output lots produced at one
/// location (production, repacking, splitting 1→n, commingling n→1).
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where inputs are taken and outputs put. Not NULL.
/// @param inputs Input lots with the quantities consumed; NULL when `n_inputs` is 0.
/// @param n_inputs Number of inputs.
/// @param outputs Output lots with the quantities produced; NULL when `n_outputs` is 0.
/// @param n_outputs Number of outputs.
/// @param output_attrs Attributes given to every output lot (expiry …), or NULL.
/// @param documents Reference documents (work order …); NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused (`LT_ERR_CYCLE` when an output would
///         become its own ancestor, `LT_ERR_INVALID_EVENT` for an empty transform, …).
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_transform(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    inputs: *const LtLotQty,
    n_inputs: usize,
    outputs: *const LtLotQty,
    n_outputs: usize,
    output_attrs: *const LtLotAttrs,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_transform", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let ins = lot_qtys(inputs, n_inputs, "inputs", h.event_id)?;
            let outs = lot_qtys(outputs, n_outputs, "outputs", h.event_id)?;
            let attrs = lot_attrs(arg_opt_ref(output_attrs), "output_attrs", h.event_id)?;
            let mut ev = Event::transform(h.time, location, ins, outs);
            if !output_attrs.is_null() {
                ev = ev.with_lot_attrs(attrs);
            }
            h.record(ev, out_seq, out_event_id)
        }
    })
}

/// Records a shipment of a quantity of a lot from `location` to a customer.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the stock leaves from. Not NULL.
/// @param item Lot and quantity shipped. Not NULL.
/// @param customer The customer party. Not NULL.
/// @param documents Reference documents (bill of lading, invoice …); NULL when
///        `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused (`LT_ERR_INSUFFICIENT_STOCK`, …).
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_ship(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    item: *const LtLotQty,
    customer: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_ship", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let item = lot_qty(arg_ref(item, "item")?, "item", h.event_id)?;
            let customer = arg_str(customer, "customer")?;
            h.record(
                Event::ship(h.time, location, item, customer),
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records a shipment of everything a container (pallet, case; an SSCC) holds.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the container leaves from. Not NULL.
/// @param container The container id. Not NULL.
/// @param customer The customer party. Not NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused (`LT_ERR_UNKNOWN_CONTAINER` for a
///         container that holds nothing, …).
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_ship_container(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    container: *const c_char,
    customer: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_ship_container", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let container = arg_str(container, "container")?;
            let customer = arg_str(customer, "customer")?;
            h.record(
                Event::ship_container(h.time, location, container, customer),
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records a move of a quantity of a lot between two locations of the company.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param item Lot and quantity moved. Not NULL.
/// @param from_location Where it is taken from. Not NULL.
/// @param to_location Where it goes. Not NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_move(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    item: *const LtLotQty,
    from_location: *const c_char,
    to_location: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_move", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let item = lot_qty(arg_ref(item, "item")?, "item", h.event_id)?;
            let from = arg_str(from_location, "from_location")?;
            let to = arg_str(to_location, "to_location")?;
            h.record(Event::move_(h.time, item, from, to), out_seq, out_event_id)
        }
    })
}

/// Records packing lots into a container at a location.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the packing happens (the stock is taken there). Not NULL.
/// @param container The container id (an SSCC …). Not NULL.
/// @param contents Lots and quantities packed; NULL when `n_contents` is 0.
/// @param n_contents Number of contents.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_pack(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    container: *const c_char,
    contents: *const LtLotQty,
    n_contents: usize,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_pack", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let container = arg_str(container, "container")?;
            let contents = lot_qtys(contents, n_contents, "contents", h.event_id)?;
            h.record(
                Event::pack(h.time, location, container, contents),
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records unpacking lots from a container at a location.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the unpacked stock is put. Not NULL.
/// @param container The container id. Not NULL.
/// @param contents Lots and quantities taken out; NULL when `n_contents` is 0.
/// @param n_contents Number of contents.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_unpack(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    container: *const c_char,
    contents: *const LtLotQty,
    n_contents: usize,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_unpack", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let container = arg_str(container, "container")?;
            let contents = lot_qtys(contents, n_contents, "contents", h.event_id)?;
            h.record(
                Event::unpack(h.time, location, container, contents),
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Which of adjust / dispose / consume.
#[derive(Clone, Copy)]
enum Removal {
    Adjust,
    Dispose,
    Consume,
}

/// The shared body of `lt_adjust`, `lt_dispose` and `lt_consume`.
///
/// # Safety
/// As `lt_receive`.
#[allow(clippy::too_many_arguments)]
unsafe fn removal(
    kind: Removal,
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    item: *const LtLotQty,
    reason: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> FfiResult {
    // SAFETY: the caller's contract; each pointer is checked for NULL before use.
    unsafe {
        let h = head(tracker, event_id, time, documents, n_documents)?;
        let location = arg_str(location, "location")?;
        let item = lot_qty(arg_ref(item, "item")?, "item", h.event_id)?;
        let reason = arg_opt_str(reason, "reason")?;
        let ev = match kind {
            Removal::Adjust => Event::adjust(h.time, location, item, reason),
            Removal::Dispose => Event::dispose(h.time, location, item, reason),
            Removal::Consume => Event::consume(h.time, location, item, reason),
        };
        h.record(ev, out_seq, out_event_id)
    }
}

/// Records an inventory correction at a location: a signed quantity, positive
/// when stock was found, negative when it was lost.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the stock is corrected. Not NULL.
/// @param item Lot and signed quantity (`"-2.5"`). Not NULL.
/// @param reason Why (`"cycle_count"` …), or NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_adjust(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    item: *const LtLotQty,
    reason: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_adjust", || {
        // SAFETY: this function's contract is `removal`'s.
        unsafe {
            removal(
                Removal::Adjust,
                tracker,
                event_id,
                time,
                location,
                item,
                reason,
                documents,
                n_documents,
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records the destruction of a quantity of a lot at a location.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the stock is destroyed. Not NULL.
/// @param item Lot and quantity. Not NULL.
/// @param reason Why (`"spoiled"` …), or NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_dispose(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    item: *const LtLotQty,
    reason: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_dispose", || {
        // SAFETY: this function's contract is `removal`'s.
        unsafe {
            removal(
                Removal::Dispose,
                tracker,
                event_id,
                time,
                location,
                item,
                reason,
                documents,
                n_documents,
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records the use of a quantity of a lot without an output lot (cleaning,
/// samples, an ingredient not traced further).
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the stock is used. Not NULL.
/// @param item Lot and quantity. Not NULL.
/// @param reason Why, or NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_consume(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    item: *const LtLotQty,
    reason: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_consume", || {
        // SAFETY: this function's contract is `removal`'s.
        unsafe {
            removal(
                Removal::Consume,
                tracker,
                event_id,
                time,
                location,
                item,
                reason,
                documents,
                n_documents,
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records a return: a customer sends a quantity of a lot back into a location.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Where the returned stock arrives. Not NULL.
/// @param item Lot and quantity returned. Not NULL.
/// @param customer The customer returning it. Not NULL.
/// @param documents Reference documents (RMA …); NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_return(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    item: *const LtLotQty,
    customer: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_return", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let item = lot_qty(arg_ref(item, "item")?, "item", h.event_id)?;
            let customer = arg_str(customer, "customer")?;
            h.record(
                Event::return_(h.time, location, item, customer),
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records a status change of lots: hold, release, quarantine, recall.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param status The new status: `"active"`, `"on_hold"`, `"quarantined"`,
///        `"recalled"`, `"consumed"`, `"expired"`, or the verbs `"hold"`,
///        `"release"`, `"quarantine"`, `"recall"`. Not NULL.
/// @param lots The lots concerned; NULL when `n_lots` is 0.
/// @param n_lots Number of lots.
/// @param reason Why, or NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`; `LT_ERR_INVALID_FIELD` for an unknown status; or the reason it
///         was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_set_status(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    status: *const c_char,
    lots: *const LtLotKey,
    n_lots: usize,
    reason: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_set_status", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let s = arg_str(status, "status")?;
            let st = LotStatus::parse_or_err(s, h.event_id)?;
            let lots = lot_keys(lots, n_lots, "lots")?;
            let reason = arg_opt_str(reason, "reason")?;
            h.record(
                Event::status(h.time, st, lots, reason),
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records a void: retracts an earlier event (an EPCIS error declaration). State is
/// as if the target never happened; the history keeps both.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique id of the void event, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param target The id of the event retracted. Not NULL.
/// @param reason Why (`"incorrect_data"` …), or NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`; `LT_ERR_UNKNOWN_EVENT` for an unknown target;
///         `LT_ERR_VOID_CONFLICT` when later events took the stock the target
///         brought, or shipped whole a container it took lots out of (the
///         message names them); `LT_ERR_INVALID_EVENT` for a void of a void.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_void(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    target: *const c_char,
    reason: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_void", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let target = arg_str(target, "target")?;
            let reason = arg_opt_str(reason, "reason")?;
            h.record(Event::void(h.time, target, reason), out_seq, out_event_id)
        }
    })
}

/// Records product master data: its base unit and unit conversions. A lot's
/// balances are kept in its product's base unit.
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param product Product id. Not NULL.
/// @param uom Base unit of measure. Not NULL.
/// @param conversions Unit conversions (`{"case", "12"}`: one case is 12 base
///        units); NULL when `n_conversions` is 0.
/// @param n_conversions Number of conversions.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`; `LT_ERR_INVALID_FIELD` for a factor that is not a positive
///         decimal; or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_product(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    product: *const c_char,
    uom: *const c_char,
    conversions: *const LtConversion,
    n_conversions: usize,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_product", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let product = arg_str(product, "product")?;
            let uom = arg_str(uom, "uom")?;
            let conv = crate::model::conversions(conversions, n_conversions)?;
            let ev = Event::product(h.time, product, uom, &conv)?;
            h.record(ev, out_seq, out_event_id)
        }
    })
}

/// Records party master data (a supplier, the own company, a customer).
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param party Party id (a GLN where there is one). Not NULL.
/// @param name Name, or NULL.
/// @param role `"supplier"`, `"customer"`, `"own"`, or NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_party(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    party: *const c_char,
    name: *const c_char,
    role: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_party", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let party = arg_str(party, "party")?;
            let name = arg_opt_str(name, "name")?;
            let role = arg_opt_str(role, "role")?;
            h.record(
                Event::party(h.time, party, name, role),
                out_seq,
                out_event_id,
            )
        }
    })
}

/// Records location master data (a site, a warehouse, a line).
///
/// @param tracker The tracker. Not NULL.
/// @param event_id Unique event id, or NULL / `""` to have one generated.
/// @param time When, RFC 3339 with offset. Not NULL.
/// @param location Location id (a GLN where there is one). Not NULL.
/// @param name Name, or NULL.
/// @param party Owning party, or NULL.
/// @param documents Reference documents; NULL when `n_documents` is 0.
/// @param n_documents Number of documents.
/// @param[out] out_seq Receives the sequence number; may be NULL.
/// @param[out] out_event_id Receives the event id; may be NULL; free with `lt_string_free`.
/// @return `LT_OK`, or the reason it was refused.
///
/// Thread-safety: as `lt_record_json`.
///
/// # Safety
/// As `lt_receive`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lt_location(
    tracker: *mut LtTracker,
    event_id: *const c_char,
    time: *const c_char,
    location: *const c_char,
    name: *const c_char,
    party: *const c_char,
    documents: *const LtDocument,
    n_documents: usize,
    out_seq: *mut u64,
    out_event_id: *mut *mut c_char,
) -> LtStatus {
    guard("lt_location", || {
        // SAFETY: the pointers are valid per this function's contract; each is
        // checked for NULL before use.
        unsafe {
            let h = head(tracker, event_id, time, documents, n_documents)?;
            let location = arg_str(location, "location")?;
            let name = arg_opt_str(name, "name")?;
            let party = arg_opt_str(party, "party")?;
            h.record(
                Event::location(h.time, location, name, party),
                out_seq,
                out_event_id,
            )
        }
    })
}
