//! The plain C structs the typed functions take (lot lines, lot keys, lot
//! attributes, documents, unit conversions) and their conversion into the core's
//! types. Every pointer in them is borrowed for the duration of the call only.

use std::borrow::Cow;
use std::ffi::c_char;

use chrono::NaiveDate;
use lottrack_core::model::parse_date;
use lottrack_core::{Error, LotAttrs, LotKey, LotQty};

use crate::error::FfiError;
use crate::guard::{FfiResult, arg_opt_str_named, arg_slice, arg_str_named};

/// A quantity of a lot in a unit: one line of a receipt, shipment, transform, pack …
///
/// All four strings are required (not NULL), UTF-8 and NUL-terminated.
/// `quantity` is a decimal string (`"500"`, `"12.25"`, `"1e3"`) so that it stays
/// exact; for `lt_adjust` it may be negative.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LtLotQty {
    /// Product (article number, GTIN …).
    pub product: *const c_char,
    /// Lot (batch) code.
    pub lot: *const c_char,
    /// Exact decimal quantity as text.
    pub quantity: *const c_char,
    /// Unit of measure (`"kg"`, `"each"`, `"case"` …).
    pub uom: *const c_char,
}

/// A lot's identity: product and lot code (both required, UTF-8).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LtLotKey {
    /// Product.
    pub product: *const c_char,
    /// Lot code.
    pub lot: *const c_char,
}

/// Attributes a lot gets when a receipt or a transform creates it. Every field may
/// be NULL (not set). Dates are calendar dates `YYYY-MM-DD`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LtLotAttrs {
    /// Best-before / use-by date, `YYYY-MM-DD`, or NULL.
    pub expiry: *const c_char,
    /// Production date, `YYYY-MM-DD`, or NULL.
    pub production_date: *const c_char,
    /// The supplier's own lot code, or NULL.
    pub supplier_lot: *const c_char,
    /// Origin party (farm, plant) where it differs from the supplier, or NULL.
    pub origin: *const c_char,
}

/// A reference document of an event: purchase order, invoice, bill of lading …
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LtDocument {
    /// Document type (`"po"`, `"invoice"`, `"bol"` …). Not NULL.
    pub doc_type: *const c_char,
    /// Document number. Not NULL.
    pub id: *const c_char,
}

/// A unit conversion of a product: one `unit` is `factor` base units
/// (`{"case", "12"}`: one case is 12 each).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LtConversion {
    /// The unit. Not NULL.
    pub unit: *const c_char,
    /// How many base units one `unit` is, a positive decimal string. Not NULL.
    pub factor: *const c_char,
}

fn field(prefix: &str, name: &str) -> Cow<'static, str> {
    Cow::Owned(format!("{prefix}.{name}"))
}

/// Names the C argument and the event in an engine error about one field: the
/// engine checks the value (`quantity` is not a decimal) without knowing that it
/// came from `inputs[2]` of event `E7`. Other errors pass unchanged.
fn in_context(e: Error, at: Option<&str>, event_id: &str) -> FfiError {
    match e {
        Error::InvalidField {
            event_id: ev,
            field,
            reason,
        } => Error::InvalidField {
            event_id: if ev.is_empty() {
                event_id.to_string()
            } else {
                ev
            },
            field: match at {
                Some(at) => format!("{at}.{field}"),
                None => field,
            },
            reason,
        }
        .into(),
        other => other.into(),
    }
}

/// Converts one lot line; `at` names it in messages (`item`, `inputs[2]`).
///
/// # Safety
/// The strings of `q` are NULL or NUL-terminated and live for `'a`.
pub unsafe fn lot_qty(q: &LtLotQty, at: &str, event_id: &str) -> FfiResult<LotQty> {
    // SAFETY: the caller's contract.
    let (product, lot, quantity, uom) = unsafe {
        (
            arg_str_named(q.product, || field(at, "product"))?,
            arg_str_named(q.lot, || field(at, "lot"))?,
            arg_str_named(q.quantity, || field(at, "quantity"))?,
            arg_str_named(q.uom, || field(at, "uom"))?,
        )
    };
    LotQty::parse(product, lot, quantity, uom).map_err(|e| in_context(e, Some(at), event_id))
}

/// Converts an array of lot lines named `name` (`inputs`, `contents` …).
///
/// # Safety
/// `p` is NULL or points to `n` valid `LtLotQty` whose strings are NULL or
/// NUL-terminated.
pub unsafe fn lot_qtys(
    p: *const LtLotQty,
    n: usize,
    name: &'static str,
    event_id: &str,
) -> FfiResult<Vec<LotQty>> {
    // SAFETY: the caller's contract.
    let lines = unsafe { arg_slice(p, n, name) }?;
    lines
        .iter()
        .enumerate()
        // SAFETY: the caller's contract.
        .map(|(i, q)| unsafe { lot_qty(q, &format!("{name}[{i}]"), event_id) })
        .collect()
}

/// Converts an array of lot keys named `name`.
///
/// # Safety
/// `p` is NULL or points to `n` valid `LtLotKey` whose strings are NULL or
/// NUL-terminated.
pub unsafe fn lot_keys(p: *const LtLotKey, n: usize, name: &'static str) -> FfiResult<Vec<LotKey>> {
    // SAFETY: the caller's contract.
    let keys = unsafe { arg_slice(p, n, name) }?;
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            // SAFETY: the caller's contract.
            let (product, lot) = unsafe {
                (
                    arg_str_named(k.product, || Cow::Owned(format!("{name}[{i}].product")))?,
                    arg_str_named(k.lot, || Cow::Owned(format!("{name}[{i}].lot")))?,
                )
            };
            Ok(LotKey::new(product, lot))
        })
        .collect()
}

fn date(s: Option<&str>, name: &str, event_id: &str) -> FfiResult<Option<NaiveDate>> {
    s.map(|s| parse_date(s, name).map_err(|e| in_context(e, None, event_id)))
        .transpose()
}

/// Converts optional lot attributes named `name`.
///
/// # Safety
/// `a` is `None` or its strings are NULL or NUL-terminated.
pub unsafe fn lot_attrs(a: Option<&LtLotAttrs>, name: &str, event_id: &str) -> FfiResult<LotAttrs> {
    let Some(a) = a else {
        return Ok(LotAttrs::default());
    };
    // SAFETY: the caller's contract.
    let (expiry, production, supplier_lot, origin) = unsafe {
        (
            arg_opt_str_named(a.expiry, || field(name, "expiry"))?,
            arg_opt_str_named(a.production_date, || field(name, "production_date"))?,
            arg_opt_str_named(a.supplier_lot, || field(name, "supplier_lot"))?,
            arg_opt_str_named(a.origin, || field(name, "origin"))?,
        )
    };
    Ok(LotAttrs {
        expiry: date(expiry, &format!("{name}.expiry"), event_id)?,
        production_date: date(production, &format!("{name}.production_date"), event_id)?,
        supplier_lot: supplier_lot.map(str::to_string),
        origin: origin.map(str::to_string),
        ..LotAttrs::default()
    })
}

/// Converts an array of documents into (type, id) pairs.
///
/// # Safety
/// `p` is NULL or points to `n` valid `LtDocument` whose strings are NULL or
/// NUL-terminated and live for `'a`.
pub unsafe fn documents<'a>(p: *const LtDocument, n: usize) -> FfiResult<Vec<(&'a str, &'a str)>> {
    // SAFETY: the caller's contract.
    let docs = unsafe { arg_slice(p, n, "documents") }?;
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            // SAFETY: the caller's contract.
            unsafe {
                Ok((
                    arg_str_named(d.doc_type, || {
                        Cow::Owned(format!("documents[{i}].doc_type"))
                    })?,
                    arg_str_named(d.id, || Cow::Owned(format!("documents[{i}].id")))?,
                ))
            }
        })
        .collect()
}

/// Converts an array of unit conversions into (unit, factor) pairs.
///
/// # Safety
/// As [`documents`].
pub unsafe fn conversions<'a>(
    p: *const LtConversion,
    n: usize,
) -> FfiResult<Vec<(&'a str, &'a str)>> {
    // SAFETY: the caller's contract.
    let conv = unsafe { arg_slice(p, n, "conversions") }?;
    conv.iter()
        .enumerate()
        .map(|(i, c)| {
            // SAFETY: the caller's contract.
            unsafe {
                Ok((
                    arg_str_named(c.unit, || Cow::Owned(format!("conversions[{i}].unit")))?,
                    arg_str_named(c.factor, || Cow::Owned(format!("conversions[{i}].factor")))?,
                ))
            }
        })
        .collect()
}
