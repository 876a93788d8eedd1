//! `Trace`: the result of a forward or backward trace, kept as the core's
//! `LazyTrace` (the lot set fixed when taken; names, links, shipments and
//! receipts read on first use, GIL released). Row objects are made only when a
//! row is accessed; `to_dict()` builds the design's shape directly.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use lottrack_core::trace::Movement;
use lottrack_core::{Document, LazyTrace, LotKey, Time, Trace, TraceDirection, TraceLot};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rust_decimal::Decimal;

use crate::convert::{self, lot_key};
use crate::errors::OrRaise;
use crate::lot_key::PyLotKey;
use crate::row_iter::PyRowIter;
use crate::rows::{PyRows, Row, RowSource, rows};

/// A forward trace (what was made from the root, and who received it) or a
/// backward trace (what the root was made from, and who supplied it).
///
/// Iterating yields the lots reached (``TraceLot``, the root excluded); ``len()``
/// is their number; ``(product, lot) in trace`` tests whether a lot was reached.
///
/// The set of lots reached is fixed when the trace is taken: ``len()``,
/// iteration, ``in``, ``lots``, ``root`` and ``direction`` answer for that moment
/// even if more events are recorded afterwards. Links, shipments and receipts
/// (and ``to_dict()``, ``to_json()``, ``to_pandas()``, ``to_dot()``, ``to_svg()``,
/// ``repr()``) are read from the tracker on first use, for those lots, and kept:
/// events recorded between the trace and that first use are included. A trace
/// keeps its tracker's index alive until the trace is dropped, so it stays
/// readable after ``Tracker.close()``.
#[pyclass(frozen, name = "Trace", module = "lottrack")]
pub struct PyTrace(pub Arc<LazyTrace>);

impl PyTrace {
    /// The full trace: built once (GIL released), then shared.
    fn full(&self, py: Python<'_>) -> PyResult<Arc<Trace>> {
        let t = &*self.0;
        py.detach(|| t.details().cloned()).or_raise(py)
    }

    /// The lots as rows (named once, GIL released).
    fn lots_rows(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        let t = &*self.0;
        py.detach(|| {
            t.lots();
        });
        Py::new(py, PyRows(Arc::new(LotRows(self.0.clone()))))
    }

    fn direction_str(&self) -> &'static str {
        match self.0.direction() {
            TraceDirection::Forward => "forward",
            TraceDirection::Backward => "backward",
        }
    }
}

#[pymethods]
impl PyTrace {
    /// ``"forward"`` or ``"backward"``.
    #[getter]
    fn direction(&self) -> &'static str {
        self.direction_str()
    }

    /// The lot traced from.
    #[getter]
    fn root(&self) -> PyLotKey {
        PyLotKey(self.0.root().clone())
    }

    /// Every lot reached (the root excluded), by depth: ``Rows[TraceLot]``.
    #[getter]
    fn lots(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        self.lots_rows(py)
    }

    /// Transform links among the root and the lots reached: ``Rows[TraceLink]``.
    #[getter]
    fn links(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.full(py)?, |t: &Trace| &t.links)
    }

    /// Shipments of the root and of every lot reached (forward traces), by time:
    /// ``Rows[Shipment]``.
    #[getter]
    fn shipments(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.full(py)?, |t: &Trace| &t.shipments)
    }

    /// Receipts of the root and of every lot reached (backward traces), by time:
    /// ``Rows[Receipt]``.
    #[getter]
    fn receipts(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        rows(py, &self.full(py)?, |t: &Trace| &t.receipts)
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyRowIter>> {
        let lots = self.lots_rows(py)?;
        Py::new(py, PyRowIter::new(lots.get().0.clone()))
    }

    fn __contains__(&self, py: Python<'_>, lot: &Bound<'_, PyAny>) -> bool {
        let Ok(k) = lot_key(lot) else {
            return false;
        };
        let t = &*self.0;
        py.detach(|| t.contains(&k))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let f = self.full(py)?;
        Ok(format!(
            "<Trace {} from {}: {} lots, {} links, {} shipments, {} receipts>",
            self.direction_str(),
            self.0.root(),
            self.0.len(),
            f.links.len(),
            f.shipments.len(),
            f.receipts.len()
        ))
    }

    /// The trace as a Graphviz DOT digraph: lots are boxes labelled with product,
    /// lot and the quantity shipped (forward) or received (backward), the root in
    /// bold; customers are ``house`` shapes, suppliers ``invhouse`` shapes; edges
    /// run the way goods flow, labelled with their event.
    fn to_dot(&self, py: Python<'_>) -> PyResult<String> {
        let f = self.full(py)?;
        Ok(py.detach(|| f.to_dot()))
    }

    /// The trace as SVG text, drawn by Graphviz's ``dot -Tsvg`` (GIL released).
    /// Raises ``StorageError`` saying so when ``dot`` is not installed.
    fn to_svg(&self, py: Python<'_>) -> PyResult<String> {
        let f = self.full(py)?;
        py.detach(|| f.to_svg()).or_raise(py)
    }

    /// The trace as ``pandas.DataFrame`` objects: ``{"lots", "links", "shipments",
    /// "receipts"}``. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::convert::pandas(py)?; // fail early, before reading the details
        let d = PyDict::new(py);
        d.set_item("lots", self.lots(py)?.get().0.frame(py)?)?;
        d.set_item("links", self.links(py)?.get().0.frame(py)?)?;
        d.set_item("shipments", self.shipments(py)?.get().0.frame(py)?)?;
        d.set_item("receipts", self.receipts(py)?.get().0.frame(py)?)?;
        Ok(d)
    }

    /// The result in the design's JSON shape, as dicts and lists (quantities as
    /// decimal strings, times as RFC 3339 strings).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let f = self.full(py)?;
        trace_dict(py, &f)
    }

    /// The result as a JSON string (the design's JSON shape).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let f = self.full(py)?;
        crate::convert::to_json(py, &*f)
    }
}

/// The rows of `Trace.lots` (named by the core's `LazyTrace`). `to_list()` builds
/// the dicts directly (like `Trace.to_dict()`).
struct LotRows(Arc<LazyTrace>);

impl LotRows {
    fn rows(&self) -> &[TraceLot] {
        self.0.lots()
    }
}

impl RowSource for LotRows {
    fn len(&self) -> usize {
        self.rows().len()
    }

    fn name(&self) -> &'static str {
        TraceLot::NAME
    }

    fn get<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>> {
        self.rows()
            .get(i)
            .ok_or_else(|| pyo3::exceptions::PyIndexError::new_err("row index out of range"))?
            .object(py)
    }

    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rows = self.rows();
        let _gc = GcPause::new(py, rows.len())?;
        let mut s = Strings::new(py, rows.len() + 16);
        Ok(s.lots(rows)?.into_any())
    }

    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        convert::to_json(py, &self.rows())
    }

    fn frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::pandas(py)?; // fail early, before converting the rows
        let rows = self.rows();
        let mut records = Vec::with_capacity(rows.len());
        for r in rows {
            r.records(py, &mut records)?;
        }
        convert::data_frame(py, TraceLot::COLUMNS, records)
    }
}

// ---------------------------------------------------------------------------
// to_dict(): the design's JSON shape built directly as Python objects
// ---------------------------------------------------------------------------

/// Python before 3.12 runs its cyclic garbage collector from inside allocations:
/// building the ~100 k dicts of a 10 k-lot trace ran a collection every 700 of
/// them, each traversing what was built so far (a third of the time). The
/// collector is paused while a large result is built and resumed after (3.12 and
/// later only schedule a collection for the interpreter loop, so there is nothing
/// to pause). Left alone when the program disabled it itself.
struct GcPause<'py>(Option<Bound<'py, PyModule>>);

impl<'py> GcPause<'py> {
    /// Rows below which the collector is left alone (the calls cost ~1 µs).
    const ROWS: usize = 1000;

    fn new(py: Python<'py>, rows: usize) -> PyResult<Self> {
        if rows < Self::ROWS || py.version_info() >= (3, 12) {
            return Ok(GcPause(None));
        }
        let gc = py.import("gc")?;
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(GcPause(None));
        }
        gc.call_method0("disable")?;
        Ok(GcPause(Some(gc)))
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.0 {
            // Cannot fail for the gc module; an error would be lost here anyway.
            let _ = gc.call_method0("enable");
        }
    }
}

/// Hashes a pointer (one `usize`): multiply, then rotate so that the low bits,
/// which pick the bucket, depend on every bit of the address.
#[derive(Default)]
struct PtrHasher(u64);

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }

    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

/// The `type` and `id` of a document.
type DocStrings<'py> = (Bound<'py, PyString>, Bound<'py, PyString>);

/// The Python `str` objects of one `to_dict()`: one per shared core string
/// (`Arc<str>`, by address), one per distinct product name, time and quantity.
struct Strings<'a, 'py> {
    py: Python<'py>,
    by_ptr: HashMap<usize, Bound<'py, PyString>, BuildHasherDefault<PtrHasher>>,
    by_text: HashMap<&'a str, Bound<'py, PyString>>,
    /// Product names seen, scanned before `by_text` (there are few).
    products: Vec<(&'a str, Bound<'py, PyString>)>,
    /// The `(type, id)` strings of a shared document list, by its address.
    documents: HashMap<usize, Vec<DocStrings<'py>>, BuildHasherDefault<PtrHasher>>,
    /// By the address of the event id: one time per event.
    times: HashMap<usize, Bound<'py, PyString>, BuildHasherDefault<PtrHasher>>,
    quantities: HashMap<[u8; 16], Bound<'py, PyString>>,
    /// `{key: None}` of a shipment (`customer`) and of a receipt (`supplier`): a
    /// copy of it is a dict sized for all nine keys, in the design's order.
    templates: [Option<Bound<'py, PyDict>>; 2],
}

impl<'a, 'py> Strings<'a, 'py> {
    fn new(py: Python<'py>, capacity: usize) -> Self {
        Strings {
            py,
            by_ptr: HashMap::with_capacity_and_hasher(capacity, Default::default()),
            by_text: HashMap::new(),
            products: Vec::new(),
            documents: HashMap::default(),
            times: HashMap::default(),
            quantities: HashMap::new(),
            templates: [None, None],
        }
    }

    /// A shared string, reused by address (lot codes, event ids, parties …).
    fn arc(&mut self, s: &'a Arc<str>) -> &Bound<'py, PyString> {
        let py = self.py;
        self.by_ptr
            .entry(s.as_ptr() as usize)
            .or_insert_with(|| PyString::new(py, s))
    }

    /// A string whose text repeats under different addresses (product names):
    /// reused by address, else by text.
    fn named(&mut self, s: &'a Arc<str>) -> &Bound<'py, PyString> {
        const SCANNED: usize = 32;
        let py = self.py;
        let (by_text, products) = (&mut self.by_text, &mut self.products);
        self.by_ptr.entry(s.as_ptr() as usize).or_insert_with(|| {
            if let Some((_, p)) = products.iter().find(|(t, _)| *t == &**s) {
                return p.clone();
            }
            if products.len() < SCANNED {
                let p = PyString::new(py, s);
                products.push((&**s, p.clone()));
                return p;
            }
            by_text
                .entry(&**s)
                .or_insert_with(|| PyString::new(py, s))
                .clone()
        })
    }

    /// A string reused by text (document types and ids).
    fn text(&mut self, s: &'a str) -> &Bound<'py, PyString> {
        let py = self.py;
        self.by_text
            .entry(s)
            .or_insert_with(|| PyString::new(py, s))
    }

    /// The time of the event `event_id` as RFC 3339 text, as the core serializes it.
    fn time(&mut self, event_id: &Arc<str>, t: &Time) -> &Bound<'py, PyString> {
        let py = self.py;
        self.times
            .entry(event_id.as_ptr() as usize)
            .or_insert_with(|| PyString::new(py, &t.to_rfc3339()))
    }

    /// A quantity as decimal text, as the core serializes it.
    fn quantity(&mut self, q: &Decimal) -> &Bound<'py, PyString> {
        let py = self.py;
        self.quantities
            .entry(q.serialize())
            .or_insert_with(|| PyString::new(py, &lottrack_core::quantity::fmt_decimal(*q)))
    }

    /// `{"product", "lot"}`.
    fn key(&mut self, k: &'a LotKey) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let d = PyDict::new(py);
        d.set_item(intern!(py, "product"), self.named(&k.product))?;
        d.set_item(intern!(py, "lot"), self.arc(&k.lot))?;
        Ok(d)
    }

    /// A shipment (`receipt` false) or receipt: the core's `ser_movement` shape.
    fn movement(&mut self, m: &'a Movement, receipt: bool) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let party_key = if receipt {
            intern!(py, "supplier")
        } else {
            intern!(py, "customer")
        };
        let template = match &self.templates[usize::from(receipt)] {
            Some(t) => t,
            None => {
                let t = PyDict::new(py);
                for k in [
                    intern!(py, "event_id"),
                    party_key,
                    intern!(py, "product"),
                    intern!(py, "lot"),
                    intern!(py, "quantity"),
                    intern!(py, "uom"),
                    intern!(py, "time"),
                    intern!(py, "location"),
                    intern!(py, "documents"),
                ] {
                    t.set_item(k, py.None())?;
                }
                self.templates[usize::from(receipt)].insert(t)
            }
        };
        // Filling a copy replaces values in place: no table growth per dict.
        let d = template.copy()?;
        d.set_item(intern!(py, "event_id"), self.arc(&m.event_id))?;
        d.set_item(party_key, self.arc(&m.party))?;
        d.set_item(intern!(py, "product"), self.named(&m.product))?;
        d.set_item(intern!(py, "lot"), self.arc(&m.lot))?;
        d.set_item(intern!(py, "quantity"), self.quantity(&m.quantity))?;
        d.set_item(intern!(py, "uom"), self.arc(&m.uom))?;
        d.set_item(intern!(py, "time"), self.time(&m.event_id, &m.time))?;
        d.set_item(intern!(py, "location"), self.arc(&m.location))?;
        d.set_item(intern!(py, "documents"), self.documents(&m.documents)?)?;
        Ok(d)
    }

    /// `[{"product", "lot", "depth"}]`.
    fn lots(&mut self, lots: &'a [TraceLot]) -> PyResult<Bound<'py, PyList>> {
        let py = self.py;
        let mut out = Vec::with_capacity(lots.len());
        for l in lots {
            let d = PyDict::new(py);
            d.set_item(intern!(py, "product"), self.named(&l.product))?;
            d.set_item(intern!(py, "lot"), self.arc(&l.lot))?;
            d.set_item(intern!(py, "depth"), l.depth)?;
            out.push(d);
        }
        PyList::new(py, out)
    }

    /// `[{"type", "id"}]`: new dicts and list each time (they are mutable), the
    /// strings of a document list shared by several movements made once.
    fn documents(&mut self, docs: &'a Arc<[Document]>) -> PyResult<Bound<'py, PyList>> {
        let py = self.py;
        if docs.is_empty() {
            return Ok(PyList::empty(py));
        }
        let key = docs.as_ptr() as usize;
        if !self.documents.contains_key(&key) {
            let names: Vec<DocStrings<'py>> = docs
                .iter()
                .map(|d| (self.text(&d.doc_type).clone(), self.text(&d.id).clone()))
                .collect();
            self.documents.insert(key, names);
        }
        let mut out = Vec::with_capacity(docs.len());
        for (doc_type, id) in &self.documents[&key] {
            let d = PyDict::new(py);
            d.set_item(intern!(py, "type"), doc_type)?;
            d.set_item(intern!(py, "id"), id)?;
            out.push(d);
        }
        PyList::new(py, out)
    }
}

/// The trace in the core's serde shape (`Trace`'s `Serialize`), built directly:
/// the same keys in the same order and the same values as `json.loads(to_json())`,
/// with one `str` object per distinct name.
fn trace_dict<'py>(py: Python<'py>, t: &Trace) -> PyResult<Bound<'py, PyDict>> {
    let _gc = GcPause::new(
        py,
        t.lots.len() + t.links.len() + t.shipments.len() + t.receipts.len(),
    )?;
    let mut s = Strings::new(py, t.lots.len() * 2 + 64);
    let out = PyDict::new(py);
    let direction = match t.direction {
        TraceDirection::Forward => intern!(py, "forward"),
        TraceDirection::Backward => intern!(py, "backward"),
    };
    out.set_item(intern!(py, "direction"), direction)?;
    out.set_item(intern!(py, "root"), s.key(&t.root)?)?;

    out.set_item(intern!(py, "lots"), s.lots(&t.lots)?)?;

    let mut links = Vec::with_capacity(t.links.len());
    for l in &t.links {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "event_id"), s.arc(&l.event_id))?;
        d.set_item(intern!(py, "from"), s.key(&l.from)?)?;
        d.set_item(intern!(py, "to"), s.key(&l.to)?)?;
        links.push(d);
    }
    out.set_item(intern!(py, "links"), PyList::new(py, links)?)?;

    let mut shipments = Vec::with_capacity(t.shipments.len());
    for m in &t.shipments {
        shipments.push(s.movement(m, false)?);
    }
    out.set_item(intern!(py, "shipments"), PyList::new(py, shipments)?)?;

    let mut receipts = Vec::with_capacity(t.receipts.len());
    for m in &t.receipts {
        receipts.push(s.movement(m, true)?);
    }
    out.set_item(intern!(py, "receipts"), PyList::new(py, receipts)?)?;
    Ok(out)
}
