//! The [`Tracker`]: the engine's front door. It validates and records events into a
//! store and answers queries from the in-memory index built over the store's log.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, SubsecRound, Utc};

use crate::checkpoint::{self, CheckpointInfo, OpenInfo};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::event_log::{EventLog, decode};
use crate::state::{Deficit, State, Stored};
use crate::store::{EventStore, MemoryStore, StoredEvent};
use crate::writer_thread::WriterThread;

/// How stock shortfalls are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StockMode {
    /// Taking more than is on hand is an error (the default).
    #[default]
    Strict,
    /// Taking more than is on hand is recorded and reported by [`Tracker::deficits`].
    Lenient,
}

/// Options of a tracker.
///
/// ```
/// use lottrack_core::{StockMode, Tracker, TrackerOptions};
/// let t = Tracker::in_memory_with(TrackerOptions { stock_mode: StockMode::Lenient, ..Default::default() });
/// assert_eq!(t.options().stock_mode, StockMode::Lenient);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerOptions {
    /// Strict (default) or lenient stock checks.
    pub stock_mode: StockMode,
    /// How often an append is retried after another writer got there first.
    pub max_conflict_retries: u32,
}

impl Default for TrackerOptions {
    fn default() -> Self {
        TrackerOptions {
            stock_mode: StockMode::Strict,
            max_conflict_retries: 16,
        }
    }
}

/// What recording one event did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recorded {
    /// The event's id (generated when it had none).
    pub event_id: String,
    /// Its sequence number in the log.
    pub seq: u64,
    /// True when the same event was already recorded (an idempotent no-op).
    pub duplicate: bool,
}

/// The traceability engine over one event store.
///
/// `Tracker` is `Send + Sync`: queries take `&self` and run concurrently; writes are
/// serialized and become visible only once the store has acknowledged them.
///
/// ```
/// use lottrack_core::{LotKey, TraceOptions, Tracker};
/// let t = Tracker::in_memory();
/// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00+01:00","location":"plant-1","product":"spinach","lot":"F-100","quantity":"500","uom":"kg","supplier":"farm-a"}"#).unwrap();
/// t.record_json(r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T10:00:00+01:00","location":"plant-1","inputs":[{"product":"spinach","lot":"F-100","quantity":"200","uom":"kg"}],"outputs":[{"product":"salad","lot":"S-1","quantity":"400","uom":"each"}]}"#).unwrap();
/// let tr = t.trace_forward(&LotKey::new("spinach", "F-100"), &TraceOptions::default()).unwrap();
/// assert_eq!(tr.lots.len(), 1);
/// assert_eq!(&*tr.lots[0].lot, "S-1");
/// fn assert_send_sync<T: Send + Sync>() {}
/// assert_send_sync::<Tracker>();
/// ```
pub struct Tracker {
    state: RwLock<State>,
    /// Writes the rows of large batches (`batch.rs`); locked, after the store,
    /// only by `record_batch_mode`. Stopped before the store closes.
    writer: Mutex<WriterThread>,
    store: Mutex<Box<dyn EventStore>>,
    options: TrackerOptions,
    open_info: OpenInfo,
}

impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("store", &self.lock_store().describe())
            .field("events", &self.read().events.len())
            .finish()
    }
}

impl Tracker {
    /// A tracker over a fresh in-memory store.
    pub fn in_memory() -> Tracker {
        Self::in_memory_with(TrackerOptions::default())
    }

    /// A tracker over a fresh in-memory store with options.
    pub fn in_memory_with(options: TrackerOptions) -> Tracker {
        Tracker {
            state: RwLock::new(State::default()),
            writer: Mutex::default(),
            store: Mutex::new(Box::new(MemoryStore::new())),
            options,
            open_info: OpenInfo::default(),
        }
    }

    /// Opens `store` and replays its log.
    ///
    /// ```
    /// use lottrack_core::{store::MemoryStore, Tracker};
    /// let t = Tracker::open(MemoryStore::new()).unwrap();
    /// assert_eq!(t.event_count(), 0);
    /// ```
    pub fn open(store: impl EventStore + 'static) -> Result<Tracker> {
        Self::open_with(store, TrackerOptions::default())
    }

    /// Opens `store` with options and replays its log: from the store's
    /// checkpoint when it has one that matches the log (only the events after
    /// it are replayed; see [`crate::checkpoint`] and [`Tracker::open_info`]),
    /// else from the first event.
    pub fn open_with(store: impl EventStore + 'static, options: TrackerOptions) -> Result<Tracker> {
        let mut store: Box<dyn EventStore> = Box::new(store);
        let mut open_info = OpenInfo::default();
        let mut state = State::default();
        if let Some(path) = store.checkpoint_path().filter(|p| p.exists()) {
            match checkpoint::load(&path, &mut *store) {
                Ok(loaded) => {
                    open_info.checkpoint_seq = Some(loaded.last_seq());
                    state = loaded;
                }
                Err(why) => {
                    open_info.checkpoint_skipped =
                        Some(format!("checkpoint {} not used: {why}", path.display()))
                }
            }
        }
        let mut t = Tracker {
            state: RwLock::new(state),
            writer: Mutex::default(),
            store: Mutex::new(store),
            options,
            open_info,
        };
        let replayed = match t.sync() {
            Ok(n) => n,
            // The log after a checkpoint does not apply to it (a checkpoint
            // written by a faulty build, or altered): replay the whole log.
            Err(e) if t.open_info.checkpoint_seq.is_some() => {
                *t.write() = State::default();
                t.open_info.checkpoint_seq = None;
                t.open_info.checkpoint_skipped = Some(format!(
                    "the checkpoint was loaded, but the events after it did not apply to it ({e}); the whole log was replayed"
                ));
                t.sync()?
            }
            Err(e) => return Err(e),
        };
        t.open_info.replayed = replayed as u64;
        // A replay builds the index in bulk: give back the room kept for growth
        // (a checkpoint is read back at its size; a short replay after it only
        // grew the tables).
        let mut state = t.write();
        if replayed * 2 >= state.events.len() {
            state.shrink_to_fit();
        } else if replayed > 0 {
            state.shrink_tables();
        }
        drop(state);
        Ok(t)
    }

    /// How the index was built when the tracker was opened: from a checkpoint
    /// (and which) or not, and how many events were replayed. A tracker made
    /// with [`Tracker::in_memory`] replayed nothing.
    ///
    /// ```
    /// let t = lottrack_core::Tracker::in_memory();
    /// assert_eq!(t.open_info().replayed, 0);
    /// assert_eq!(t.open_info().checkpoint_seq, None);
    /// ```
    pub fn open_info(&self) -> OpenInfo {
        self.open_info.clone()
    }

    /// Saves the index of everything recorded so far beside the store, so the
    /// next [`Tracker::open`] loads it and replays only the events recorded
    /// after it (see [`crate::checkpoint`]). For a SQLite store the file is the
    /// store's path with `.checkpoint` appended; it is replaced atomically.
    ///
    /// Queries run on while it is written; recording waits until it is done.
    /// Fails with [`Error::Storage`] for a store that keeps no checkpoint (the
    /// memory store; PostgreSQL unless given a path with
    /// `PostgresStore::with_checkpoint`) or when the file cannot be written.
    ///
    /// ```
    /// let t = lottrack_core::Tracker::in_memory();
    /// let err = t.write_checkpoint().unwrap_err();
    /// assert!(err.to_string().contains("keeps no checkpoint"), "{err}");
    /// ```
    pub fn write_checkpoint(&self) -> Result<CheckpointInfo> {
        let store = self.lock_store();
        let path = store.checkpoint_path().ok_or_else(|| Error::Storage {
            message: format!(
                "the {} store keeps no checkpoint (only file stores such as SQLite do)",
                store.describe()
            ),
        })?;
        // Taken while the store is held, so no batch is half applied; the
        // store is free again for reads while the index is written.
        let state = self.read();
        drop(store);
        checkpoint::write(&state, &path)
    }

    /// Opens (or creates) the SQLite store at `path` and replays it.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("lottrack-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("open_sqlite.db");
    /// # let _ = std::fs::remove_file(&path);
    /// let t = lottrack_core::Tracker::open_sqlite(&path).unwrap();
    /// assert_eq!(t.event_count(), 0);
    /// ```
    pub fn open_sqlite(path: impl AsRef<Path>) -> Result<Tracker> {
        Self::open(crate::store::SqliteStore::open(path)?)
    }

    /// Opens (or creates) the SQLite store at `path` with store and tracker options.
    ///
    /// ```
    /// use lottrack_core::{StockMode, Tracker, TrackerOptions, store::{SqliteOptions, Synchronous}};
    /// let dir = std::env::temp_dir().join(format!("lottrack-doc-with-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("with.db");
    /// # let _ = std::fs::remove_file(&path);
    /// let t = Tracker::open_sqlite_with(&path, SqliteOptions { synchronous: Synchronous::Normal },
    ///     TrackerOptions { stock_mode: StockMode::Lenient, ..Default::default() }).unwrap();
    /// assert_eq!(t.options().stock_mode, StockMode::Lenient);
    /// ```
    pub fn open_sqlite_with(
        path: impl AsRef<Path>,
        store: crate::store::SqliteOptions,
        options: TrackerOptions,
    ) -> Result<Tracker> {
        Self::open_with(crate::store::SqliteStore::open_with(path, store)?, options)
    }

    /// Connects to the PostgreSQL store at `dsn` and replays it.
    #[cfg(feature = "postgres")]
    pub fn open_postgres(dsn: &str) -> Result<Tracker> {
        Self::open(crate::store::PostgresStore::connect(dsn)?)
    }

    /// What the tracker's store is (`"memory"`, `"sqlite:/path"`, `"postgres:…"`).
    ///
    /// ```
    /// assert_eq!(lottrack_core::Tracker::in_memory().describe(), "memory");
    /// ```
    pub fn describe(&self) -> String {
        self.lock_store().describe()
    }

    /// The tracker's options.
    pub fn options(&self) -> TrackerOptions {
        self.options
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_store(&self) -> MutexGuard<'_, Box<dyn EventStore>> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The writing thread: taken after the store's lock while recording, or
    /// with no other lock of the tracker to hand it a task (`json_batch.rs`).
    pub(crate) fn lock_writer(&self) -> MutexGuard<'_, WriterThread> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records one event (validated first; on error nothing changes).
    pub fn record(&self, event: Event) -> Result<Recorded> {
        let mut r = self.record_batch(vec![event])?;
        r.pop().ok_or_else(|| Error::Storage {
            message: "batch returned no result".into(),
        })
    }

    /// Records one event given in the design's JSON format.
    pub fn record_json(&self, json: &str) -> Result<Recorded> {
        self.record(Event::from_json(json)?)
    }

    /// Records several events all-or-nothing: either every event is valid (each
    /// validated against the state the earlier ones leave) and all are stored in
    /// one atomic append, or none is.
    ///
    /// ```
    /// use lottrack_core::{Event, LotQty, Tracker, parse_time};
    /// let t = Tracker::in_memory();
    /// let time = parse_time("2026-03-01T08:00:00Z").unwrap();
    /// let ok = Event::receive(time, "p1", LotQty::new("rice", "R1", "10", "kg").unwrap(), None).with_id("A");
    /// let bad = Event::ship(time, "p1", LotQty::new("rice", "R1", "11", "kg").unwrap(), "c1").with_id("B");
    /// assert!(t.record_batch(vec![ok, bad]).is_err());
    /// assert_eq!(t.event_count(), 0);
    /// ```
    pub fn record_batch(&self, events: Vec<Event>) -> Result<Vec<Recorded>> {
        let strict = self.options.stock_mode == StockMode::Strict;
        self.record_batch_mode(events, strict, false)
    }

    /// [`Tracker::record_batch`] with explicit stock checks: `strict` as the stock
    /// mode says, and `gaps` for a partner's partial view (EPCIS import): stock taken
    /// from a lot or container never seen here is recorded as a deficit instead of
    /// failing. Replay applies stored events in gap mode, so they replay as recorded.
    pub(crate) fn record_batch_mode(
        &self,
        events: Vec<Event>,
        strict: bool,
        gaps: bool,
    ) -> Result<Vec<Recorded>> {
        let mut events = events;
        for ev in &mut events {
            if ev.event_id.is_empty() {
                ev.event_id = generate_id();
            }
            ev.check_identifiers()?;
        }
        // Shared with the writing thread of a streamed batch.
        let events = std::sync::Arc::new(events);
        let mut store = self.lock_store();
        let mut state = self.write();
        let mut attempts = 0;
        loop {
            let mark = state.mark();
            let expected = state.last_seq();
            // Microseconds: what the stores keep, so a replay gives the same times.
            let now = Utc::now().trunc_subsecs(6);
            let batch = crate::batch::Batch {
                events: &events,
                expected,
                now,
                now_text: now
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
                    .into(),
                strict,
                gaps,
            };
            // A large batch of new events: its rows are made and written on a
            // second thread while the next events are validated.
            let streamed = events.len() >= crate::batch::STREAM_MIN
                && events
                    .iter()
                    .all(|e| state.event_index(&e.event_id).is_none());
            let outcome = if streamed {
                batch.apply_streamed(&mut state, &mut store, &mut self.lock_writer())
            } else {
                batch.apply_then_append(&mut state, &mut **store)
            };
            match outcome {
                Ok(results) => {
                    state.seal();
                    if streamed {
                        // Freeing the events costs ~0.3 µs each: the writing
                        // thread does it while the caller goes on.
                        self.lock_writer().dispose(Box::new(events));
                    }
                    return Ok(results);
                }
                Err(e) => {
                    state.rollback_to(&mark);
                    // Another writer got there first (a conflict), or this tracker
                    // is behind a shared store and judged the events on stale state:
                    // catch up and validate again.
                    let retry = matches!(e, Error::Conflict { .. })
                        || store.last_seq().is_ok_and(|last| last > expected);
                    if retry && attempts < self.options.max_conflict_retries {
                        attempts += 1;
                        catch_up(&mut **store, &mut state)?;
                        continue;
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Reads events other writers appended to the store since the last read and
    /// applies them; returns how many were new.
    pub fn sync(&self) -> Result<usize> {
        let mut store = self.lock_store();
        let mut state = self.write();
        catch_up(&mut **store, &mut state)
    }

    /// The sequence number of the last event in the index.
    pub fn last_seq(&self) -> u64 {
        self.read().last_seq()
    }

    /// Number of events recorded (voids and voided events included).
    pub fn event_count(&self) -> usize {
        self.read().events.len()
    }

    /// Number of lots (live ones: every lot some live event names).
    pub fn lot_count(&self) -> usize {
        self.read()
            .ledger
            .lots
            .iter()
            .filter(|l| l.live_refs > 0)
            .count()
    }

    /// Every event, in recording order, with its sequence number and whether it is
    /// voided (read back from the store; an error names an event that cannot be
    /// decoded).
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#).unwrap();
    /// let all = t.events().unwrap();
    /// assert_eq!((all[0].0, all[0].1.event_id.as_str(), all[0].2), (1, "E1", false));
    /// ```
    pub fn events(&self) -> Result<Vec<(u64, Event, bool)>> {
        self.with_log(|s, log| {
            let mut out = Vec::with_capacity(s.events.len());
            log.for_all_rows(s, |i, row| {
                let rec = &s.events[i as usize];
                out.push((State::seq(i), decode(&row)?, !rec.live()));
                Ok(())
            })?;
            Ok(out)
        })
    }

    /// One event by id.
    pub fn event(&self, event_id: &str) -> Result<Event> {
        self.with_log(|s, log| {
            let i = s.event_index(event_id).ok_or_else(|| Error::UnknownEvent {
                event_id: String::new(),
                target: event_id.to_string(),
            })?;
            log.event(s, i)
        })
    }

    /// A party's master data (name, role), if a `party` event declared it.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"P","kind":"party","time":"2026-03-01T00:00:00Z","party":"store-12","name":"FreshMart #12"}"#).unwrap();
    /// assert_eq!(t.party_name("store-12").as_deref(), Some("FreshMart #12"));
    /// assert_eq!(t.party_name("nobody"), None);
    /// ```
    pub fn party(&self, id: &str) -> Option<crate::PartyRec> {
        self.read().catalog.parties.get(id).cloned()
    }

    /// A party's display name, if declared.
    pub fn party_name(&self, id: &str) -> Option<String> {
        self.party(id).and_then(|p| p.name)
    }

    /// A product's master data: base unit, conversions, description.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"P","kind":"product","time":"2026-03-01T00:00:00Z","product":"salad","uom":"each","conversions":{"case":"12"},"description":"Salad bowl"}"#).unwrap();
    /// let p = t.product("salad").unwrap();
    /// assert_eq!((p.uom.as_str(), p.description.as_deref()), ("each", Some("Salad bowl")));
    /// ```
    pub fn product(&self, name: &str) -> Option<crate::ProductInfo> {
        self.read()
            .catalog
            .product(name)
            .map(|(_, r)| crate::ProductInfo {
                product: name.to_string(),
                uom: r.units.base.clone(),
                conversions: r.units.conversions.clone(),
                description: r.description.clone(),
                declared: r.declared,
                inherit_expiry: r.rules.inherit_expiry,
                yield_range: r.rules.yield_range,
            })
    }

    /// A location's master data (name, owning party), if declared.
    pub fn location(&self, id: &str) -> Option<crate::PartyRec> {
        self.read().catalog.locations.get(id).cloned()
    }

    /// Stock taken beyond what was on hand (lenient mode), by live events.
    pub fn deficits(&self) -> Vec<Deficit> {
        self.read()
            .events
            .iter()
            .filter(|r| r.live())
            .flat_map(|r| r.effects.deficits().iter().cloned())
            .collect()
    }

    /// Runs `f` over the index under a read lock (for the query modules).
    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.read())
    }

    /// Runs `f` over the index and the store's log, for the queries that read
    /// events back (`event_log.rs`). Takes the store's lock, then the index's
    /// read lock: the order appends take.
    pub(crate) fn with_log<R>(&self, f: impl FnOnce(&State, &mut EventLog<'_>) -> R) -> R {
        let mut store = self.lock_store();
        let s = self.read();
        f(&s, &mut EventLog::new(&mut **store))
    }

    /// Calls `f` on every event's JSON in recording order (with whether it is
    /// voided), streamed from the store, stopping at the first error: streaming
    /// exports.
    pub(crate) fn for_each_event_json(
        &self,
        mut f: impl FnMut(&str, bool) -> Result<()>,
    ) -> Result<()> {
        self.with_log(|s, log| {
            log.for_all_rows(s, |i, row| f(&row.json, !s.events[i as usize].live()))
        })
    }
}

/// Applies the store's events after `state.last_seq` (trusting what was valid when
/// stored: stock checks are lenient on replay).
fn catch_up(store: &mut dyn EventStore, state: &mut State) -> Result<usize> {
    use std::sync::mpsc::sync_channel;
    // A second thread reads the store and parses each row while this one applies:
    // reading and parsing are about half of a replay. Batches keep the hand-offs
    // rare; the order of the log is kept (one reader, a FIFO channel). If applying
    // fails, dropping the receiver stops the reader at its next batch.
    const BATCH: usize = 512;
    type Parsed = (StoredEvent, Result<(Event, DateTime<Utc>)>);
    let from = state.last_seq();
    let parse = |row: StoredEvent| -> Parsed {
        let ev = Event::from_json(&row.json).map_err(|e| replay_err(&row, e));
        let at = DateTime::parse_from_rfc3339(&row.recorded_at)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| replay_err(&row, e));
        let r = ev.and_then(|ev| at.map(|at| (ev, at)));
        (row, r)
    };
    let mut n = 0;
    // Spent batches go back to the reader to be freed where they were allocated
    // (freeing another thread's blocks contends for its malloc arena).
    let (spent_tx, spent_rx) = std::sync::mpsc::channel::<Vec<Parsed>>();
    let mut apply = |mut parsed: Vec<Parsed>| -> Result<()> {
        for (row, r) in &mut parsed {
            let (ev, at) = match r {
                Ok(ok) => ok,
                Err(e) => return Err(e.clone()),
            };
            if state.event_index(&ev.event_id).is_some() {
                return Err(replay_err(row, "event id appears twice in the log"));
            }
            // The event is dropped after this: its documents move to the index.
            let docs = (!ev.documents.is_empty())
                .then(|| std::sync::Arc::from(std::mem::take(&mut ev.documents)));
            let stored = Stored {
                docs,
                seq: row.seq,
                recorded_at: *at,
                replayed: true,
            };
            let res = state.apply_mode(ev, stored, false, true);
            // Replayed events are stored already: nothing to undo.
            state.seal();
            res.map_err(|e| replay_err(row, e))?;
            n += 1;
        }
        // The reader may be gone (the log is read): then this thread frees them.
        let _ = spent_tx.send(parsed);
        Ok(())
    };
    let stopped = || Error::Storage {
        message: "replay: stopped by an error applying an earlier event".into(),
    };
    let (read, applied) = std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Vec<Parsed>>(4);
        let reader = scope.spawn(move || -> Result<()> {
            let mut batch: Vec<Parsed> = Vec::with_capacity(BATCH);
            store.read_from(from, &mut |row: StoredEvent| {
                batch.push(parse(row));
                if batch.len() == BATCH {
                    while let Ok(spent) = spent_rx.try_recv() {
                        drop(spent);
                    }
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    tx.send(full).map_err(|_| stopped())?;
                }
                Ok(())
            })?;
            if !batch.is_empty() {
                tx.send(batch).map_err(|_| stopped())?;
            }
            Ok(())
        });
        let mut applied = Ok(());
        for parsed in rx.iter() {
            applied = apply(parsed);
            if applied.is_err() {
                break;
            }
        }
        // Dropping the receiver ends a reader still sending.
        drop(rx);
        let read = reader.join().unwrap_or_else(|_| {
            Err(Error::Storage {
                message: "replay: the reading thread panicked".into(),
            })
        });
        (read, applied)
    });
    // An apply error names the event; a read error after it is only its echo.
    applied?;
    read?;
    Ok(n)
}

fn replay_err(row: &StoredEvent, e: impl std::fmt::Display) -> Error {
    Error::Storage {
        message: format!(
            "event `{}` at seq {} cannot be replayed: {e}",
            row.event_id, row.seq
        ),
    }
}

/// A new unique event id: time, process and a counter.
fn generate_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!("lt-{t:x}-{:x}-{n:x}", std::process::id())
}
