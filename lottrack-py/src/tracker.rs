//! `Tracker`: the engine's front door from Python.
//!
//! Every method converts its Python arguments, releases the GIL for the core call
//! and wraps the result. Typed event methods (`receive`, `transform`, …) build the
//! event in the design's JSON format from their keyword arguments and hand it to
//! `Event::from_value`, so the core alone decides what a valid event is and its
//! messages are the ones the user sees.

// The typed event methods mirror the event fields as keyword arguments.
#![allow(clippy::too_many_arguments)]

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use lottrack_core::store::{SqliteOptions, Synchronous};
use lottrack_core::{
    Event, Fsma204Filter, LazyTrace, StockMode, TraceDirection, TraceOptions, Tracker,
    TrackerOptions,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyMapping, PyString, PyTuple};
use serde_json::{Map, Value};

use crate::checkpoint_info::PyCheckpointInfo;
use crate::convert::{
    date_arg, json_attributes, json_date, json_documents, json_keys, json_lines, json_loads,
    json_quantity, json_time, lot_keys, opt_time_arg, py_to_json, quantity_arg, str_list, str_of,
    time_arg, time_or_now, tolerance_arg,
};
use crate::epcis_import_summary::PyEpcisImportSummary;
use crate::errors::OrRaise;
use crate::event::PyEvent;
use crate::exposure::PyExposure;
use crate::fefo_plan::PyFefoPlan;
use crate::import_summary::PyImportSummary;
use crate::location_info::{LocationView, PyLocationInfo};
use crate::lot_info::PyLotInfo;
use crate::mass_balance::PyMassBalance;
use crate::mock_recall::PyMockRecall;
use crate::open_info::PyOpenInfo;
use crate::party_info::{PartyView, PyPartyInfo};
use crate::product_info::PyProductInfo;
use crate::recall_report::PyRecallReport;
use crate::recorded::PyRecorded;
use crate::rows::{PyRows, rows_of};
use crate::trace::PyTrace;
use crate::unit_balance::PyUnitBalance;

/// The traceability engine over one event store.
///
/// ``Tracker()`` keeps events in memory; ``Tracker.open(path)`` opens (or creates)
/// a SQLite store; ``Tracker.open_postgres(dsn)`` connects to PostgreSQL (when the
/// package was built with the ``postgres`` feature). ``lenient=True`` records
/// events that take more than is on hand and reports them in ``deficits()``
/// instead of raising ``InsufficientStockError``.
///
/// Times are aware ``datetime`` objects or RFC 3339 strings with an offset (a naive
/// ``datetime`` raises ``InvalidTimeError``); dates are ``datetime.date`` or
/// ``"YYYY-MM-DD"``; quantities are ``Decimal``, ``int`` or ``str`` — or a finite
/// ``float``, read as its shortest ``repr`` (``0.1`` is ``Decimal("0.1")``, not the
/// binary value ``0.1000000000000000055…``); pass ``Decimal`` or ``str`` when
/// the value was computed.
///
/// A tracker may be shared by several threads: queries run concurrently with the
/// GIL released, writes are serialized. ``close()`` (or a ``with`` block) releases
/// the store.
#[pyclass(frozen, name = "Tracker", module = "lottrack")]
pub struct PyTracker {
    inner: RwLock<Option<Arc<Tracker>>>,
    /// The core's `describe()`, kept for the repr of a closed tracker.
    described: String,
}

fn options(lenient: bool, max_conflict_retries: Option<u32>) -> TrackerOptions {
    let default = TrackerOptions::default();
    TrackerOptions {
        stock_mode: if lenient {
            StockMode::Lenient
        } else {
            StockMode::Strict
        },
        max_conflict_retries: max_conflict_retries.unwrap_or(default.max_conflict_retries),
    }
}

fn trace_options(
    py: Python<'_>,
    max_depth: Option<u32>,
    as_of: Option<&Bound<'_, PyAny>>,
    since: Option<&Bound<'_, PyAny>>,
    until: Option<&Bound<'_, PyAny>>,
) -> PyResult<TraceOptions> {
    Ok(TraceOptions {
        max_depth,
        from: opt_time_arg(py, since, None, "since")?,
        to: opt_time_arg(py, until, None, "until")?,
        as_of: opt_time_arg(py, as_of, None, "as_of")?,
    })
}

/// An event under construction in the design's JSON format.
struct Draft<'py> {
    py: Python<'py>,
    map: Map<String, Value>,
}

impl<'py> Draft<'py> {
    fn new(
        py: Python<'py>,
        kind: &str,
        event_id: Option<&str>,
        time: &Bound<'py, PyAny>,
    ) -> PyResult<Self> {
        let mut map = Map::new();
        if let Some(id) = event_id {
            map.insert("event_id".into(), Value::String(id.into()));
        }
        map.insert("kind".into(), Value::String(kind.into()));
        map.insert("time".into(), json_time(py, time, "time")?);
        Ok(Draft { py, map })
    }

    /// Master data: the time defaults to now.
    fn master(
        py: Python<'py>,
        kind: &str,
        event_id: Option<&str>,
        time: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        match time.filter(|t| !t.is_none()) {
            Some(t) => Self::new(py, kind, event_id, t),
            None => {
                let now = PyString::new(
                    py,
                    &chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                );
                Self::new(py, kind, event_id, now.as_any())
            }
        }
    }

    fn str(mut self, key: &str, v: &str) -> Self {
        self.map.insert(key.into(), Value::String(v.into()));
        self
    }

    fn opt_str(mut self, key: &str, v: Option<&str>) -> Self {
        if let Some(v) = v {
            self.map.insert(key.into(), Value::String(v.into()));
        }
        self
    }

    fn value(mut self, key: &str, v: Value) -> Self {
        self.map.insert(key.into(), v);
        self
    }

    fn quantity(self, key: &str, q: &Bound<'py, PyAny>) -> PyResult<Self> {
        let v = json_quantity(self.py, q, key)?;
        Ok(self.value(key, v))
    }

    fn date(self, key: &str, d: Option<&Bound<'py, PyAny>>) -> PyResult<Self> {
        match d.filter(|d| !d.is_none()) {
            Some(d) => {
                let v = json_date(self.py, d, key)?;
                Ok(self.value(key, v))
            }
            None => Ok(self),
        }
    }

    /// The four fields of a lot line.
    fn line(
        self,
        product: &str,
        lot: &str,
        quantity: &Bound<'py, PyAny>,
        uom: &str,
    ) -> PyResult<Self> {
        Ok(self
            .str("product", product)
            .str("lot", lot)
            .quantity("quantity", quantity)?
            .str("uom", uom))
    }

    fn lines(self, key: &str, lines: &Bound<'py, PyAny>) -> PyResult<Self> {
        let v = json_lines(self.py, lines, key)?;
        Ok(self.value(key, v))
    }

    /// Reference documents and free-form attributes.
    fn extras(
        self,
        documents: Option<&Bound<'py, PyAny>>,
        attributes: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let mut d = self;
        if let Some(docs) = documents.filter(|d| !d.is_none()) {
            let v = json_documents(docs)?;
            d = d.value("documents", v);
        }
        if let Some(a) = attributes.filter(|a| !a.is_none()) {
            let v = json_attributes(d.py, a)?;
            d = d.value("attributes", v);
        }
        Ok(d)
    }

    fn event(self) -> PyResult<Event> {
        Event::from_value(&Value::Object(self.map)).or_raise(self.py)
    }
}

impl PyTracker {
    fn wrap(t: Tracker) -> Self {
        PyTracker {
            described: t.describe(),
            inner: RwLock::new(Some(Arc::new(t))),
        }
    }

    /// The core tracker, or an error once closed.
    fn get(&self) -> PyResult<Arc<Tracker>> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| PyValueError::new_err("operation on a closed Tracker"))
    }

    /// A trace in `direction`, taken now (GIL released); its rows are made on
    /// first use (see `PyTrace`).
    #[allow(clippy::too_many_arguments)]
    fn lazy_trace(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        max_depth: Option<u32>,
        as_of: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        direction: TraceDirection,
    ) -> PyResult<PyTrace> {
        let opts = trace_options(py, max_depth, as_of, since, until)?;
        let key = lottrack_core::LotKey::new(product, lot);
        let t = self.get()?;
        let trace = py
            .detach(|| LazyTrace::new(t, key, opts, direction))
            .or_raise(py)?;
        Ok(PyTrace(Arc::new(trace)))
    }

    fn record_event(&self, py: Python<'_>, ev: Event) -> PyResult<PyRecorded> {
        let t = self.get()?;
        py.detach(move || t.record(ev)).or_raise(py).map(PyRecorded)
    }

    fn record_draft(&self, d: Draft<'_>) -> PyResult<PyRecorded> {
        let py = d.py;
        let ev = d.event()?;
        self.record_event(py, ev)
    }

    /// An event from a mapping, a JSON string or an `Event`.
    fn event_of(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Event> {
        if let Ok(e) = obj.cast::<PyEvent>() {
            return Ok(e.get().0.clone());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Event::from_json(&s.to_cow()?).or_raise(py);
        }
        if obj.is_instance_of::<PyDict>() || obj.cast::<PyMapping>().is_ok() {
            return Event::from_value(&py_to_json(py, obj, "")?).or_raise(py);
        }
        Err(PyTypeError::new_err(
            "an event is a dict in the event JSON format, a JSON string or an Event",
        ))
    }

    /// A one-lot event (`adjust`, `dispose`, `consume`).
    fn line_event(
        &self,
        py: Python<'_>,
        kind: &str,
        product: &str,
        lot: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        location: &str,
        time: &Bound<'_, PyAny>,
        reason: Option<&str>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, kind, event_id, time)?
            .str("location", location)
            .line(product, lot, quantity, uom)?
            .opt_str("reason", reason)
            .extras(documents, attributes)?;
        self.record_draft(d)
    }
}

#[pymethods]
impl PyTracker {
    /// A tracker over a fresh in-memory store.
    #[new]
    #[pyo3(signature = (*, lenient = false))]
    fn new(lenient: bool) -> Self {
        PyTracker::wrap(Tracker::in_memory_with(options(lenient, None)))
    }

    /// Opens (or creates) the SQLite store at ``path`` and replays it.
    ///
    /// ``synchronous="full"`` (default) makes every acknowledged event survive a
    /// power loss; ``"normal"`` is faster and survives a process crash. Raises
    /// ``NotAStoreError`` for a file that is not a lottrack store (it is not
    /// written to) and ``SchemaTooNewError`` for one written by a newer lottrack.
    ///
    /// Several trackers (processes) may share one file: an append that finds new
    /// events catches up and validates again, up to ``max_conflict_retries`` times
    /// (default 16) before ``ConflictError``.
    ///
    /// Do not open the file with a second SQLite library in this process (Python's
    /// ``sqlite3`` module) while the tracker is open: closing that connection drops
    /// lottrack's file locks. Close the tracker first.
    #[staticmethod]
    #[pyo3(signature = (path, *, lenient = false, synchronous = "full",
        max_conflict_retries = None))]
    fn open(
        py: Python<'_>,
        path: PathBuf,
        lenient: bool,
        synchronous: &str,
        max_conflict_retries: Option<u32>,
    ) -> PyResult<Self> {
        let synchronous = match synchronous {
            "full" => Synchronous::Full,
            "normal" => Synchronous::Normal,
            other => {
                return Err(PyValueError::new_err(format!(
                    "synchronous must be 'full' or 'normal', not {other:?}"
                )));
            }
        };
        let t = py
            .detach(move || {
                Tracker::open_sqlite_with(
                    &path,
                    SqliteOptions { synchronous },
                    options(lenient, max_conflict_retries),
                )
            })
            .or_raise(py)?;
        Ok(PyTracker::wrap(t))
    }

    /// Connects to the PostgreSQL store at ``dsn`` (``"host=... user=... dbname=..."``
    /// or a ``postgresql://`` URL) and replays it; the tables live in ``schema``
    /// (created if absent), so several logs can share a database. With
    /// ``checkpoint``, this process keeps its checkpoint of the shared log at that
    /// path (``write_checkpoint()`` writes it; opening loads it and reads only the
    /// later events). Available when lottrack was built
    /// with the ``postgres`` feature (``maturin build --features postgres``);
    /// otherwise raises ``NotImplementedError``.
    #[staticmethod]
    #[pyo3(signature = (dsn, *, schema = "public", lenient = false, max_conflict_retries = None,
        checkpoint = None))]
    fn open_postgres(
        py: Python<'_>,
        dsn: &str,
        schema: &str,
        lenient: bool,
        max_conflict_retries: Option<u32>,
        checkpoint: Option<PathBuf>,
    ) -> PyResult<Self> {
        #[cfg(feature = "postgres")]
        {
            let (dsn, schema) = (dsn.to_string(), schema.to_string());
            let t = py
                .detach(move || {
                    let mut store =
                        lottrack_core::store::PostgresStore::connect_with_schema(&dsn, &schema)?;
                    if let Some(path) = checkpoint {
                        store = store.with_checkpoint(path);
                    }
                    Tracker::open_with(store, options(lenient, max_conflict_retries))
                })
                .or_raise(py)?;
            Ok(PyTracker::wrap(t))
        }
        #[cfg(not(feature = "postgres"))]
        {
            let _ = (py, dsn, schema, lenient, max_conflict_retries, checkpoint);
            Err(pyo3::exceptions::PyNotImplementedError::new_err(
                "this lottrack was built without PostgreSQL support; rebuild it with the \
                 `postgres` feature: maturin build --release --features postgres -m \
                 lottrack-py/Cargo.toml",
            ))
        }
    }

    /// True when built with PostgreSQL support (``open_postgres`` works).
    #[classattr]
    fn postgres_support() -> bool {
        cfg!(feature = "postgres")
    }

    /// Releases the store (the SQLite file, the PostgreSQL connection). Further
    /// calls raise ``ValueError``; queries already running finish first.
    fn close(&self) {
        self.inner.write().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// True once ``close()`` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        match self.get() {
            Ok(t) => {
                let (events, lots) = py.detach(move || (t.event_count(), t.lot_count()));
                format!("<Tracker {}: {events} events, {lots} lots>", self.described)
            }
            Err(_) => format!("<Tracker {}: closed>", self.described),
        }
    }

    /// Where the events are kept, as ``describe()`` says it: ``"memory"``,
    /// ``"sqlite:<path>"`` or ``"postgres://user@host:port/db?schema=<schema>"``
    /// (never the password). Still readable once closed.
    #[getter]
    fn store(&self) -> &str {
        &self.described
    }

    /// What the tracker's store is: ``"memory"``, ``"sqlite:<path>"`` or
    /// ``"postgres://user@host:port/db?schema=<schema>"`` (never the password).
    fn describe(&self, py: Python<'_>) -> PyResult<String> {
        let t = self.get()?;
        Ok(py.detach(move || t.describe()))
    }

    /// True when stock shortfalls are recorded (``lenient=True``) rather than raised.
    #[getter]
    fn lenient(&self) -> PyResult<bool> {
        Ok(self.get()?.options().stock_mode == StockMode::Lenient)
    }

    /// Number of events recorded (voids and voided events included).
    #[getter]
    fn event_count(&self, py: Python<'_>) -> PyResult<usize> {
        let t = self.get()?;
        Ok(py.detach(move || t.event_count()))
    }

    /// Number of live lots.
    #[getter]
    fn lot_count(&self, py: Python<'_>) -> PyResult<usize> {
        let t = self.get()?;
        Ok(py.detach(move || t.lot_count()))
    }

    /// Sequence number of the last event in the index.
    #[getter]
    fn last_seq(&self, py: Python<'_>) -> PyResult<u64> {
        let t = self.get()?;
        Ok(py.detach(move || t.last_seq()))
    }

    // ----- recording -------------------------------------------------------

    /// Records one event given as a JSON string in the design's event format.
    fn record_json(&self, py: Python<'_>, json: &str) -> PyResult<PyRecorded> {
        let t = self.get()?;
        let json = json.to_string();
        py.detach(move || t.record_json(&json))
            .or_raise(py)
            .map(PyRecorded)
    }

    /// Records one event: a dict in the design's event JSON format (``Decimal``,
    /// ``datetime`` and ``date`` values are accepted where the format has strings),
    /// or an ``Event`` (e.g. from another tracker's ``history()``).
    fn record(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<PyRecorded> {
        let ev = Self::event_of(py, event)?;
        self.record_event(py, ev)
    }

    /// Records several events all-or-nothing (dicts, JSON strings or ``Event``
    /// objects): either every one is valid and all are stored in one atomic append,
    /// or none is.
    fn record_batch(&self, py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<Vec<PyRecorded>> {
        let mut evs = Vec::new();
        for e in events.try_iter()? {
            evs.push(Self::event_of(py, &e?)?);
        }
        let t = self.get()?;
        let r = py.detach(move || t.record_batch(evs)).or_raise(py)?;
        Ok(r.into_iter().map(PyRecorded).collect())
    }

    /// Records a JSON array of events in the design's format all-or-nothing, as
    /// ``record_batch`` does, without a Python object per event: the fastest
    /// way in for events that are JSON already (an ERP export, a message).
    fn record_batch_json(&self, py: Python<'_>, json: &str) -> PyResult<Vec<PyRecorded>> {
        let t = self.get()?;
        let json = json.to_string();
        let r = py.detach(move || t.record_batch_json(&json)).or_raise(py)?;
        Ok(r.into_iter().map(PyRecorded).collect())
    }

    /// A lot arrives from a supplier (creates the lot if new).
    #[pyo3(signature = (*, product, lot, quantity, uom, location, time, supplier = None,
        event_id = None, expiry = None, production_date = None, supplier_lot = None,
        origin = None, documents = None, attributes = None))]
    fn receive(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        location: &str,
        time: &Bound<'_, PyAny>,
        supplier: Option<&str>,
        event_id: Option<&str>,
        expiry: Option<&Bound<'_, PyAny>>,
        production_date: Option<&Bound<'_, PyAny>>,
        supplier_lot: Option<&str>,
        origin: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "receive", event_id, time)?
            .str("location", location)
            .line(product, lot, quantity, uom)?
            .opt_str("supplier", supplier)
            .opt_str("supplier_lot", supplier_lot)
            .opt_str("origin", origin)
            .date("expiry", expiry)?
            .date("production_date", production_date)?
            .extras(documents, attributes)?;
        self.record_draft(d)
    }

    /// Input lots are consumed and output lots produced at ``location``
    /// (production, repacking, splitting, commingling). Each line is a dict
    /// ``{"product", "lot", "quantity", "uom"}`` or a tuple ``(product, lot,
    /// quantity, uom)``; an output dict may also give ``expiry``,
    /// ``production_date``, ``supplier_lot`` and ``origin``.
    #[pyo3(signature = (*, inputs, outputs, location, time, event_id = None, documents = None,
        attributes = None))]
    fn transform(
        &self,
        py: Python<'_>,
        inputs: &Bound<'_, PyAny>,
        outputs: &Bound<'_, PyAny>,
        location: &str,
        time: &Bound<'_, PyAny>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "transform", event_id, time)?
            .str("location", location)
            .lines("inputs", inputs)?
            .lines("outputs", outputs)?
            .extras(documents, attributes)?;
        self.record_draft(d)
    }

    /// A quantity of a lot leaves ``location`` to ``customer`` — or, with
    /// ``container=`` and no lot, everything a packed container holds.
    #[pyo3(signature = (*, location, time, customer, product = None, lot = None,
        quantity = None, uom = None, container = None, event_id = None, documents = None,
        attributes = None))]
    fn ship(
        &self,
        py: Python<'_>,
        location: &str,
        time: &Bound<'_, PyAny>,
        customer: &str,
        product: Option<&str>,
        lot: Option<&str>,
        quantity: Option<&Bound<'_, PyAny>>,
        uom: Option<&str>,
        container: Option<&str>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let mut d = Draft::new(py, "ship", event_id, time)?
            .str("location", location)
            .str("customer", customer)
            .opt_str("container", container)
            .opt_str("product", product)
            .opt_str("lot", lot)
            .opt_str("uom", uom);
        if let Some(q) = quantity.filter(|q| !q.is_none()) {
            d = d.quantity("quantity", q)?;
        }
        self.record_draft(d.extras(documents, attributes)?)
    }

    /// A quantity of a lot changes location inside the company.
    #[pyo3(name = "move", signature = (*, product, lot, quantity, uom, from_location,
        to_location, time, event_id = None, documents = None, attributes = None))]
    fn move_(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        from_location: &str,
        to_location: &str,
        time: &Bound<'_, PyAny>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "move", event_id, time)?
            .str("location", from_location)
            .line(product, lot, quantity, uom)?
            .str("from_location", from_location)
            .str("to_location", to_location)
            .extras(documents, attributes)?;
        self.record_draft(d)
    }

    /// Lots go into a container (a pallet or case, an SSCC) at ``location``.
    #[pyo3(signature = (*, container, contents, location, time, event_id = None,
        documents = None, attributes = None))]
    fn pack(
        &self,
        py: Python<'_>,
        container: &str,
        contents: &Bound<'_, PyAny>,
        location: &str,
        time: &Bound<'_, PyAny>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "pack", event_id, time)?
            .str("location", location)
            .str("container", container)
            .lines("contents", contents)?
            .extras(documents, attributes)?;
        self.record_draft(d)
    }

    /// Lots come out of a container at ``location``.
    #[pyo3(signature = (*, container, contents, location, time, event_id = None,
        documents = None, attributes = None))]
    fn unpack(
        &self,
        py: Python<'_>,
        container: &str,
        contents: &Bound<'_, PyAny>,
        location: &str,
        time: &Bound<'_, PyAny>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "unpack", event_id, time)?
            .str("location", location)
            .str("container", container)
            .lines("contents", contents)?
            .extras(documents, attributes)?;
        self.record_draft(d)
    }

    /// An inventory correction: a signed quantity (+ found, − lost).
    #[pyo3(signature = (*, product, lot, quantity, uom, location, time, reason = None,
        event_id = None, documents = None, attributes = None))]
    fn adjust(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        location: &str,
        time: &Bound<'_, PyAny>,
        reason: Option<&str>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        self.line_event(
            py, "adjust", product, lot, quantity, uom, location, time, reason, event_id, documents,
            attributes,
        )
    }

    /// A destruction of a quantity of a lot.
    #[pyo3(signature = (*, product, lot, quantity, uom, location, time, reason = None,
        event_id = None, documents = None, attributes = None))]
    fn dispose(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        location: &str,
        time: &Bound<'_, PyAny>,
        reason: Option<&str>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        self.line_event(
            py, "dispose", product, lot, quantity, uom, location, time, reason, event_id,
            documents, attributes,
        )
    }

    /// A use of a quantity of a lot without an output lot.
    #[pyo3(signature = (*, product, lot, quantity, uom, location, time, reason = None,
        event_id = None, documents = None, attributes = None))]
    fn consume(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        location: &str,
        time: &Bound<'_, PyAny>,
        reason: Option<&str>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        self.line_event(
            py, "consume", product, lot, quantity, uom, location, time, reason, event_id,
            documents, attributes,
        )
    }

    /// ``customer`` sends a quantity of a lot back into ``location``.
    #[pyo3(signature = (*, product, lot, quantity, uom, location, time, customer,
        event_id = None, documents = None, attributes = None))]
    fn return_(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        location: &str,
        time: &Bound<'_, PyAny>,
        customer: &str,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "return", event_id, time)?
            .str("location", location)
            .line(product, lot, quantity, uom)?
            .str("customer", customer)
            .extras(documents, attributes)?;
        self.record_draft(d)
    }

    /// Changes the status of ``lots`` (a list of ``(product, lot)`` pairs, or one
    /// pair): ``status`` is ``"active"``, ``"on_hold"``, ``"quarantined"``,
    /// ``"recalled"``, ``"consumed"``, ``"expired"`` or one of the verbs ``"hold"``,
    /// ``"release"``, ``"quarantine"``, ``"recall"``.
    #[pyo3(signature = (lots, status, *, time, reason = None, event_id = None,
        documents = None, attributes = None))]
    fn set_status(
        &self,
        py: Python<'_>,
        lots: &Bound<'_, PyAny>,
        status: &str,
        time: &Bound<'_, PyAny>,
        reason: Option<&str>,
        event_id: Option<&str>,
        documents: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "status", event_id, time)?
            .str("status", status)
            .value("lots", json_keys(lots)?)
            .opt_str("reason", reason)
            .extras(documents, attributes)?;
        self.record_draft(d)
    }

    /// Retracts the event ``target`` (an EPCIS error declaration): state is as if
    /// it never happened, the history keeps both.
    #[pyo3(signature = (target, *, time, reason = None, event_id = None))]
    fn void(
        &self,
        py: Python<'_>,
        target: &str,
        time: &Bound<'_, PyAny>,
        reason: Option<&str>,
        event_id: Option<&str>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::new(py, "void", event_id, time)?
            .str("target", target)
            .opt_str("reason", reason);
        self.record_draft(d)
    }

    /// Product master data: its base unit ``uom`` and ``conversions``
    /// (``{"case": 12}``: one case is 12 base units). ``inherit_expiry`` (``True`` or
    /// a margin in days) lets transform outputs without an expiry take their inputs'
    /// earliest one; ``yield_range=(low, high)`` bounds output ÷ input of a
    /// transform producing it. ``time`` defaults to now.
    #[pyo3(signature = (product, uom, conversions = None, *, description = None,
        inherit_expiry = None, yield_range = None, time = None, event_id = None))]
    fn define_product(
        &self,
        py: Python<'_>,
        product: &str,
        uom: &str,
        conversions: Option<&Bound<'_, PyAny>>,
        description: Option<&str>,
        inherit_expiry: Option<&Bound<'_, PyAny>>,
        yield_range: Option<&Bound<'_, PyAny>>,
        time: Option<&Bound<'_, PyAny>>,
        event_id: Option<&str>,
    ) -> PyResult<PyRecorded> {
        let mut d = Draft::master(py, "product", event_id, time)?
            .str("product", product)
            .str("uom", uom)
            .opt_str("description", description);
        if let Some(c) = conversions.filter(|c| !c.is_none()) {
            let mut m = Map::new();
            for kv in c.call_method0("items")?.try_iter()? {
                let kv = kv?;
                let unit = str_of(&kv.get_item(0)?, "conversions (unit)")?;
                let f = json_quantity(py, &kv.get_item(1)?, &format!("conversions.{unit}"))?;
                m.insert(unit, f);
            }
            d = d.value("conversions", Value::Object(m));
        }
        if let Some(ie) = inherit_expiry.filter(|v| !v.is_none()) {
            let v = if ie.is_instance_of::<PyBool>() {
                Value::Bool(ie.is_truthy()?)
            } else {
                let mut m = Map::new();
                m.insert("margin_days".into(), py_to_json(py, ie, "inherit_expiry")?);
                Value::Object(m)
            };
            d = d.value("inherit_expiry", v);
        }
        if let Some(yr) = yield_range.filter(|v| !v.is_none()) {
            let mut v = Vec::new();
            for x in yr.try_iter()? {
                v.push(json_quantity(py, &x?, "yield_range")?);
            }
            d = d.value("yield_range", Value::Array(v));
        }
        self.record_draft(d)
    }

    /// Party master data (a supplier, own company or customer; ``party`` may be a
    /// GLN). ``time`` defaults to now.
    #[pyo3(signature = (party, *, name = None, role = None, time = None, event_id = None))]
    fn define_party(
        &self,
        py: Python<'_>,
        party: &str,
        name: Option<&str>,
        role: Option<&str>,
        time: Option<&Bound<'_, PyAny>>,
        event_id: Option<&str>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::master(py, "party", event_id, time)?
            .str("party", party)
            .opt_str("name", name)
            .opt_str("role", role);
        self.record_draft(d)
    }

    /// Location master data (``location`` may be a GLN). ``time`` defaults to now.
    #[pyo3(signature = (location, *, name = None, party = None, time = None, event_id = None))]
    fn define_location(
        &self,
        py: Python<'_>,
        location: &str,
        name: Option<&str>,
        party: Option<&str>,
        time: Option<&Bound<'_, PyAny>>,
        event_id: Option<&str>,
    ) -> PyResult<PyRecorded> {
        let d = Draft::master(py, "location", event_id, time)?
            .str("location", location)
            .opt_str("name", name)
            .opt_str("party", party);
        self.record_draft(d)
    }

    /// Imports one event per line from the JSON-lines file at ``path`` (blank lines
    /// skipped), in atomic batches of 1000. ``progress`` is a callable that gets the
    /// number of lines done after each batch, or ``True`` for a progress bar (when
    /// tqdm is installed; otherwise no bar). If the callable raises (or Ctrl-C is
    /// pressed), the import stops and the exception propagates; earlier batches stay
    /// recorded and re-running the import is safe (events are idempotent by id).
    #[pyo3(signature = (path, progress = None))]
    fn import_jsonl(
        &self,
        py: Python<'_>,
        path: PathBuf,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<PyImportSummary> {
        let t = self.get()?;
        let mut bar: Option<Py<PyAny>> = None;
        let mut callback: Option<Py<PyAny>> = None;
        match progress {
            Some(p) if p.bind(py).is_instance_of::<PyBool>() => {
                bar = match p.bind(py).is_truthy()? {
                    true => progress_bar(py, &path)?,
                    false => None,
                };
            }
            Some(p) if !p.bind(py).is_none() => {
                if !p.bind(py).is_callable() {
                    return Err(PyTypeError::new_err(
                        "progress must be a callable taking the number of lines done, or True",
                    ));
                }
                callback = Some(p);
            }
            _ => {}
        }
        let file = File::open(&path)?;
        let cancelled = Arc::new(AtomicBool::new(false));
        let raised: Arc<Mutex<Option<PyErr>>> = Arc::new(Mutex::new(None));
        let reader = BufReader::with_capacity(
            1 << 16,
            Cancellable {
                inner: file,
                cancelled: cancelled.clone(),
            },
        );
        let (cancel2, raised2) = (cancelled.clone(), raised.clone());
        let bar2 = bar.as_ref().map(|b| b.clone_ref(py));
        let result = py.detach(move || {
            let mut done_before = 0u64;
            let mut report = |lines: u64| {
                if cancel2.load(Ordering::Relaxed) {
                    return;
                }
                Python::attach(|py| {
                    let r = (|| -> PyResult<()> {
                        if let Some(cb) = &callback {
                            cb.call1(py, (lines,))?;
                        }
                        if let Some(b) = &bar2 {
                            b.call_method1(py, "update", (lines - done_before,))?;
                        }
                        py.check_signals()
                    })();
                    done_before = lines;
                    if let Err(e) = r {
                        *raised2.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                        cancel2.store(true, Ordering::Relaxed);
                    }
                });
            };
            t.import_jsonl(reader, &mut report)
        });
        if let Some(b) = &bar {
            b.call_method0(py, "close")?;
        }
        if let Some(e) = raised.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(e);
        }
        result.or_raise(py).map(PyImportSummary)
    }

    /// Writes every event (voids and voided ones included, so a replay rebuilds the
    /// same state) as one JSON line each to ``path``; returns the count.
    fn export_jsonl(&self, py: Python<'_>, path: PathBuf) -> PyResult<u64> {
        let t = self.get()?;
        let file = File::create(&path)?;
        let n = py
            .detach(move || {
                let mut out = BufWriter::new(file);
                let n = t.export_jsonl(&mut out)?;
                out.flush().map_err(|e| lottrack_core::Error::Storage {
                    message: e.to_string(),
                })?;
                Ok::<_, lottrack_core::Error>(n)
            })
            .or_raise(py)?;
        Ok(n)
    }

    /// Imports a GS1 EPCIS 2.0 JSON / JSON-LD document from the file at ``path``
    /// (ObjectEvent, TransformationEvent, AggregationEvent, TransactionEvent and
    /// error declarations; master data in its header). The document is validated
    /// whole and recorded in one atomic batch, leniently for stock (lots a partner
    /// ships that were never received here are reported in ``stock_gaps``, not
    /// raised) and idempotently by ``eventID`` (events without one get the CBV 2.0
    /// event hash ID), so importing a file twice counts nothing twice. Events
    /// lottrack does not track are listed in ``unsupported``; malformed EPCIS raises
    /// an error naming the event.
    fn import_epcis(&self, py: Python<'_>, path: PathBuf) -> PyResult<PyEpcisImportSummary> {
        let t = self.get()?;
        let file = File::open(&path)?;
        let s = py
            .detach(move || t.import_epcis(BufReader::with_capacity(1 << 16, file)))
            .or_raise(py)?;
        Ok(PyEpcisImportSummary(Arc::new(s)))
    }

    /// Writes the tracker's events to ``path`` as one EPCIS 2.0 JSON-LD document
    /// (master data in its header; products without a GTIN get private
    /// ``urn:lottrack:class:<product>:<lot>`` URIs that import back to the same
    /// product and lot); returns the number of EPCIS events written.
    fn export_epcis(&self, py: Python<'_>, path: PathBuf) -> PyResult<u64> {
        let t = self.get()?;
        let file = File::create(&path)?;
        let n = py
            .detach(move || {
                let mut out = BufWriter::new(file);
                let n = t.export_epcis(&mut out)?;
                out.flush().map_err(|e| lottrack_core::Error::Storage {
                    message: e.to_string(),
                })?;
                Ok::<_, lottrack_core::Error>(n)
            })
            .or_raise(py)?;
        Ok(n)
    }

    /// Saves the index beside the SQLite store (its path with ``.checkpoint``
    /// appended, replaced atomically), so the next ``Tracker.open`` of the file
    /// loads it and replays only the events recorded after it. Raises
    /// ``StorageError`` for an in-memory tracker or when the file cannot be
    /// written. Queries run on meanwhile; recording waits.
    fn write_checkpoint(&self, py: Python<'_>) -> PyResult<PyCheckpointInfo> {
        let t = self.get()?;
        py.detach(move || t.write_checkpoint())
            .or_raise(py)
            .map(PyCheckpointInfo)
    }

    /// How the index was built when the tracker was opened: the checkpoint
    /// loaded, the events replayed, why a checkpoint was not used.
    fn open_info(&self) -> PyResult<PyOpenInfo> {
        Ok(PyOpenInfo(self.get()?.open_info()))
    }

    /// Reads events other writers appended to the store since the last read
    /// (PostgreSQL, or another process on the same SQLite file); returns how many
    /// were new.
    fn sync(&self, py: Python<'_>) -> PyResult<usize> {
        let t = self.get()?;
        py.detach(move || t.sync()).or_raise(py)
    }

    // ----- queries ---------------------------------------------------------

    /// Everything made from the lot, and who received it. ``max_depth`` limits the
    /// transform steps; ``since``/``until`` keep only events in that window;
    /// ``as_of`` ignores events after that time.
    #[pyo3(signature = (product, lot, *, max_depth = None, as_of = None, since = None,
        until = None))]
    fn trace_forward(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        max_depth: Option<u32>,
        as_of: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyTrace> {
        self.lazy_trace(
            py,
            product,
            lot,
            max_depth,
            as_of,
            since,
            until,
            TraceDirection::Forward,
        )
    }

    /// Everything the lot was made from, and who supplied it (options as for
    /// ``trace_forward``).
    #[pyo3(signature = (product, lot, *, max_depth = None, as_of = None, since = None,
        until = None))]
    fn trace_backward(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        max_depth: Option<u32>,
        as_of: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyTrace> {
        self.lazy_trace(
            py,
            product,
            lot,
            max_depth,
            as_of,
            since,
            until,
            TraceDirection::Backward,
        )
    }

    /// In (received, produced, returned) vs out (shipped, consumed, disposed,
    /// adjusted) vs on hand of one lot, exactly.
    fn mass_balance(&self, py: Python<'_>, product: &str, lot: &str) -> PyResult<PyMassBalance> {
        let key = lottrack_core::LotKey::new(product, lot);
        let t = self.get()?;
        py.detach(move || t.mass_balance(&key))
            .or_raise(py)
            .map(PyMassBalance)
    }

    /// The recall report for ``lots`` (``[(product, lot), ...]`` or one pair);
    /// nothing is recorded. Options as for ``trace_forward``.
    #[pyo3(signature = (lots, *, max_depth = None, as_of = None, since = None, until = None))]
    fn recall(
        &self,
        py: Python<'_>,
        lots: &Bound<'_, PyAny>,
        max_depth: Option<u32>,
        as_of: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecallReport> {
        let keys = lot_keys(lots)?;
        let opts = trace_options(py, max_depth, as_of, since, until)?;
        let t = self.get()?;
        let r = py.detach(move || t.recall(&keys, &opts)).or_raise(py)?;
        Ok(PyRecallReport(Arc::new(r)))
    }

    /// Executes a recall: records one ``status`` event setting every affected lot to
    /// ``recalled`` (durable and auditable), then returns the report. ``time``
    /// defaults to now.
    #[pyo3(signature = (lots, *, time = None, event_id = None, max_depth = None, as_of = None,
        since = None, until = None))]
    fn execute_recall(
        &self,
        py: Python<'_>,
        lots: &Bound<'_, PyAny>,
        time: Option<&Bound<'_, PyAny>>,
        event_id: Option<&str>,
        max_depth: Option<u32>,
        as_of: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRecallReport> {
        let keys = lot_keys(lots)?;
        let opts = trace_options(py, max_depth, as_of, since, until)?;
        let time = time_or_now(py, time, event_id, "time")?;
        let event_id = event_id.map(str::to_string);
        let t = self.get()?;
        let r = py
            .detach(move || t.execute_recall(&keys, &opts, time, event_id.as_deref()))
            .or_raise(py)?;
        Ok(PyRecallReport(Arc::new(r)))
    }

    /// For each lot downstream of this one, the share of it that came from it.
    /// Options as for ``trace_forward``.
    #[pyo3(signature = (product, lot, *, max_depth = None, as_of = None, since = None,
        until = None))]
    fn exposure(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        max_depth: Option<u32>,
        as_of: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyExposure> {
        let opts = trace_options(py, max_depth, as_of, since, until)?;
        let key = lottrack_core::LotKey::new(product, lot);
        let t = self.get()?;
        let e = py.detach(move || t.exposure(&key, &opts)).or_raise(py)?;
        Ok(PyExposure(Arc::new(e)))
    }

    /// On hand of one lot, per location (and container): ``Rows[StockLine]``.
    fn on_hand(&self, py: Python<'_>, product: &str, lot: &str) -> PyResult<Py<PyRows>> {
        let key = lottrack_core::LotKey::new(product, lot);
        let t = self.get()?;
        let lines = py.detach(move || t.on_hand(&key)).or_raise(py)?;
        rows_of(py, lines)
    }

    /// Every lot with stock, per location, by product, lot and location:
    /// ``Rows[StockLine]``.
    fn inventory(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        let t = self.get()?;
        let lines = py.detach(move || t.inventory());
        rows_of(py, lines)
    }

    /// Lots with stock whose expiry is before ``date`` (``datetime.date`` or
    /// ``"YYYY-MM-DD"``), earliest first: ``Rows[StockLine]``.
    fn expiring_before(&self, py: Python<'_>, date: &Bound<'_, PyAny>) -> PyResult<Py<PyRows>> {
        let d = date_arg(py, date, None, "date")?;
        let t = self.get()?;
        let lines = py.detach(move || t.expiring_before(d));
        rows_of(py, lines)
    }

    /// Which lots of ``product`` to pick at ``location`` for ``quantity`` (in
    /// ``uom``), earliest expiry first, from active loose stock.
    fn fefo(
        &self,
        py: Python<'_>,
        product: &str,
        quantity: &Bound<'_, PyAny>,
        uom: &str,
        location: &str,
    ) -> PyResult<PyFefoPlan> {
        let q = quantity_arg(py, quantity, None, "quantity")?;
        let (product, uom, location) = (product.to_string(), uom.to_string(), location.to_string());
        let t = self.get()?;
        let plan = py
            .detach(move || t.fefo(&product, q, &uom, &location))
            .or_raise(py)?;
        Ok(PyFefoPlan(Arc::new(plan)))
    }

    /// Every live event that touched the lot, in time order: ``Rows[Event]``.
    fn history(&self, py: Python<'_>, product: &str, lot: &str) -> PyResult<Py<PyRows>> {
        let key = lottrack_core::LotKey::new(product, lot);
        let t = self.get()?;
        let evs = py.detach(move || t.history(&key)).or_raise(py)?;
        rows_of(py, evs)
    }

    /// One recorded event by id (``UnknownEventError`` if there is none).
    fn event(&self, py: Python<'_>, event_id: &str) -> PyResult<PyEvent> {
        let t = self.get()?;
        let id = event_id.to_string();
        py.detach(move || t.event(&id)).or_raise(py).map(PyEvent)
    }

    /// Everything known about one lot: status, dates, supplier, on hand.
    fn lot(&self, py: Python<'_>, product: &str, lot: &str) -> PyResult<PyLotInfo> {
        let key = lottrack_core::LotKey::new(product, lot);
        let t = self.get()?;
        py.detach(move || t.lot(&key)).or_raise(py).map(PyLotInfo)
    }

    /// A snapshot of everything that had happened by event time ``time``, as known
    /// now (voided events out, late-arriving events with an earlier time in): a new
    /// in-memory ``Tracker`` on which every query can be asked.
    fn as_of(&self, py: Python<'_>, time: &Bound<'_, PyAny>) -> PyResult<PyTracker> {
        let at = time_arg(py, time, None, "time")?;
        let t = self.get()?;
        let snap = py.detach(move || t.as_of(at)).or_raise(py)?;
        Ok(PyTracker::wrap(snap))
    }

    /// A snapshot of what the tracker knew at recorded time ``recorded`` (events
    /// recorded by then, voids only if recorded by then): the question a regulator
    /// asks after a correction. A new in-memory ``Tracker``.
    fn as_known_at(&self, py: Python<'_>, recorded: &Bound<'_, PyAny>) -> PyResult<PyTracker> {
        let at = time_arg(py, recorded, None, "recorded")?.with_timezone(&chrono::Utc);
        let t = self.get()?;
        let snap = py.detach(move || t.as_known_at(at)).or_raise(py)?;
        Ok(PyTracker::wrap(snap))
    }

    /// When the event ``event_id`` was recorded (an aware UTC ``datetime``), or
    /// ``None`` when there is no such event.
    fn recorded_at<'py>(
        &self,
        py: Python<'py>,
        event_id: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let t = self.get()?;
        let id = event_id.to_string();
        match py.detach(move || t.recorded_at(&id)) {
            Some(t) => Ok(Some(t.into_pyobject(py)?.into_any())),
            None => Ok(None),
        }
    }

    /// A lot's mass balance converted exactly into ``unit`` (``"kg"``, ``"lb"``, …,
    /// through the product's conversions and the mass and volume tables), with the
    /// percentage accounted for and whether it is within ``tolerance``: ``(low,
    /// high)`` percentages, default ``None`` = ``(95, 105)``. A product with no path
    /// to ``unit`` raises ``IncompatibleUnitsError`` naming it.
    #[pyo3(signature = (product, lot, unit, tolerance = None))]
    fn mass_balance_in(
        &self,
        py: Python<'_>,
        product: &str,
        lot: &str,
        unit: &str,
        tolerance: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyUnitBalance> {
        let tol = tolerance_arg(py, tolerance)?;
        let key = lottrack_core::LotKey::new(product, lot);
        let (t, unit) = (self.get()?, unit.to_string());
        py.detach(move || t.mass_balance_in(&key, &unit, tol))
            .or_raise(py)
            .map(PyUnitBalance)
    }

    /// Every live transform's yield in ``unit`` (outputs ÷ inputs, percent),
    /// flagging those outside the ``yield_range`` declared for their output
    /// products: ``Rows[TransformYield]`` in recording order.
    fn transform_yields(&self, py: Python<'_>, unit: &str) -> PyResult<Py<PyRows>> {
        let (t, unit) = (self.get()?, unit.to_string());
        let y = py.detach(move || t.transform_yields(&unit)).or_raise(py)?;
        rows_of(py, y)
    }

    /// Runs a mock recall of ``lots`` (``[(product, lot), ...]`` or one pair) in
    /// ``reporting_unit`` without recording anything: forward trace, backward trace
    /// to the suppliers, customers ranked by the root material they received,
    /// stock to hold, the roots' mass balance, and a ``score`` (percent of the root
    /// quantity accounted for) judged against ``tolerance`` (``(low, high)``
    /// percent, default ``None`` = ``(95, 105)``). ``record_mock_recall(drill)``
    /// records that it was run.
    #[pyo3(signature = (lots, reporting_unit, tolerance = None))]
    fn mock_recall(
        &self,
        py: Python<'_>,
        lots: &Bound<'_, PyAny>,
        reporting_unit: &str,
        tolerance: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyMockRecall> {
        let keys = lot_keys(lots)?;
        let tol = tolerance_arg(py, tolerance)?;
        let (t, unit) = (self.get()?, reporting_unit.to_string());
        let m = py
            .detach(move || t.mock_recall(&keys, &unit, tol))
            .or_raise(py)?;
        Ok(PyMockRecall(Arc::new(m)))
    }

    /// Records that the drill was run: a ``mock_recall`` event (roots, score,
    /// verdict, figures) that changes no stock or status, so an audit can see when
    /// drills were run and how they scored. ``time`` defaults to now.
    #[pyo3(signature = (drill, *, time = None, event_id = None))]
    fn record_mock_recall(
        &self,
        py: Python<'_>,
        drill: PyRef<'_, PyMockRecall>,
        time: Option<&Bound<'_, PyAny>>,
        event_id: Option<&str>,
    ) -> PyResult<PyRecorded> {
        let time = time_or_now(py, time, event_id, "time")?;
        let (t, m, id) = (self.get()?, drill.0.clone(), event_id.map(str::to_string));
        py.detach(move || t.record_mock_recall(&m, time, id.as_deref()))
            .or_raise(py)
            .map(PyRecorded)
    }

    /// The FDA FSMA 204 electronic sortable spreadsheet (CSV text) of the critical
    /// tracking events (receiving, shipping, transformation) from ``start`` to
    /// ``end`` inclusive, one row per lot line, under the FDA template's column
    /// names. ``products`` keeps only those products; ``recall_roots`` (lots, as for
    /// ``recall``) only the lots a recall of them reaches.
    #[pyo3(signature = (start, end, *, products = None, recall_roots = None))]
    fn fsma204_csv(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        products: Option<&Bound<'_, PyAny>>,
        recall_roots: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let start = time_arg(py, start, None, "start")?;
        let end = time_arg(py, end, None, "end")?;
        let filter = Fsma204Filter {
            products: products
                .filter(|p| !p.is_none())
                .map(|p| str_list(p, "products"))
                .transpose()?,
            recall_roots: recall_roots
                .filter(|r| !r.is_none())
                .map(lot_keys)
                .transpose()?,
        };
        let t = self.get()?;
        py.detach(move || t.fsma204_csv(start, end, &filter))
            .or_raise(py)
    }

    /// A product's master data (base unit, conversions, description), or ``None``
    /// for an unknown product.
    fn product(&self, py: Python<'_>, name: &str) -> PyResult<Option<PyProductInfo>> {
        let (t, name) = (self.get()?, name.to_string());
        Ok(py.detach(move || t.product(&name)).map(PyProductInfo))
    }

    /// A party's master data (name, role), or ``None`` when no ``party`` event
    /// declared it.
    fn party(&self, py: Python<'_>, id: &str) -> PyResult<Option<PyPartyInfo>> {
        let (t, key) = (self.get()?, id.to_string());
        Ok(py
            .detach(move || t.party(&key))
            .map(|r| PyPartyInfo(PartyView::new(id, r))))
    }

    /// A location's master data (name, owning party), or ``None`` when no
    /// ``location`` event declared it.
    fn location(&self, py: Python<'_>, id: &str) -> PyResult<Option<PyLocationInfo>> {
        let (t, key) = (self.get()?, id.to_string());
        Ok(py
            .detach(move || t.location(&key))
            .map(|r| PyLocationInfo(LocationView::new(id, r))))
    }

    /// Every event in recording order, voids and voided ones included: a list of
    /// ``(seq, event, voided)`` with ``event`` a dict in the event JSON format
    /// (what ``record()`` accepts) and ``voided`` true when a void retracted it.
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let t = self.get()?;
        // Decoded and serialised without the GIL.
        let text = py
            .detach(move || t.events().map(|evs| serde_json::to_string(&evs)))
            .or_raise(py)?
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let rows = json_loads(py, &text)?;
        let out = PyList::empty(py);
        for row in rows.try_iter()? {
            out.append(PyTuple::new(
                py,
                row?.try_iter()?.collect::<PyResult<Vec<_>>>()?,
            )?)?;
        }
        Ok(out)
    }

    /// Stock taken beyond what was on hand (lenient mode), by live events:
    /// ``Rows[Deficit]``.
    fn deficits(&self, py: Python<'_>) -> PyResult<Py<PyRows>> {
        let t = self.get()?;
        let d = py.detach(move || t.deficits());
        rows_of(py, d)
    }
}

/// A reader that fails once `cancelled` is set, which stops an import between
/// batches.
struct Cancellable<R> {
    inner: R,
    cancelled: Arc<AtomicBool>,
}

impl<R: Read> Read for Cancellable<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("import cancelled"));
        }
        self.inner.read(buf)
    }
}

/// A tqdm bar sized to the file's non-blank lines, or `None` without tqdm.
fn progress_bar(py: Python<'_>, path: &std::path::Path) -> PyResult<Option<Py<PyAny>>> {
    let tqdm = match py.import("tqdm") {
        Ok(m) => m,
        Err(_) => return Ok(None),
    };
    let p = path.to_path_buf();
    let total = py.detach(move || count_lines(&p))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("total", total)?;
    kwargs.set_item("unit", " events")?;
    kwargs.set_item("desc", "import")?;
    kwargs.set_item("unit_scale", true)?;
    let bar = tqdm.getattr("tqdm")?.call((), Some(&kwargs))?;
    Ok(Some(bar.unbind()))
}

/// Number of non-blank lines of a file.
fn count_lines(path: &std::path::Path) -> std::io::Result<u64> {
    let mut f = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        let read = std::io::BufRead::read_until(&mut f, b'\n', &mut buf)?;
        if read == 0 {
            return Ok(n);
        }
        if buf.iter().any(|b| !b.is_ascii_whitespace()) {
            n += 1;
        }
    }
}
