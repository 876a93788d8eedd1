//! Checkpoints: the in-memory index saved beside its store, so that opening a
//! large store loads the index instead of replaying every event.
//!
//! The log stays the source of truth. A checkpoint is a cache of the index as it
//! stood after event `seq`: [`Tracker::write_checkpoint`] writes it (for a SQLite
//! store, to the file's path with `.checkpoint` appended), and
//! [`Tracker::open`] loads it when it matches the store, then replays only the
//! events after `seq`. A checkpoint is used only when
//!
//! * it was written by this version of the format (magic and version number),
//! * every chunk's checksum holds and the stream ends where it should,
//! * every index inside it points at something that exists, and
//! * the store still holds, at `seq`, the event the checkpoint names (its id and
//!   the time it was recorded).
//!
//! Otherwise the tracker replays the whole log, as without a checkpoint, and
//! [`OpenInfo::checkpoint_skipped`] says why: a stale, foreign, truncated or
//! damaged checkpoint costs time, never an event. Deleting the file is always
//! safe.
//!
//! # File format
//!
//! `LTCKPT\r\n`, the format version (`u32`, little-endian), then a stream of
//! chunks: `len: u32`, `len` bytes, an XXH64-style checksum of those bytes
//! (`u64`); a chunk of length 0 ends the stream. The fields (see `codec.rs`) are:
//! the log position (`seq`, the event id and recorded time at `seq`), the sizes
//! of the index, then the index itself (catalog, ledger, event records, graph,
//! the lots each event changed). The hash indexes are not written.
//!
//! A second thread reads the file and checks each chunk while the calling thread
//! decodes the previous one; the hash indexes are rebuilt on further threads
//! while the next part is decoded (the lots' key index during the events, the
//! event-id index during the graph).
//!
//! ```
//! use lottrack_core::Tracker;
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("plant.lottrack");
//! let t = Tracker::open_sqlite(&path)?;
//! t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#)?;
//! let saved = t.write_checkpoint()?;
//! assert_eq!(saved.seq, 1);
//! t.record_json(r#"{"event_id":"E2","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"2","uom":"kg","customer":"c"}"#)?;
//! drop(t);
//!
//! let t = Tracker::open_sqlite(&path)?;
//! let info = t.open_info();
//! assert_eq!(info.checkpoint_seq, Some(1));
//! assert_eq!(info.replayed, 1); // only E2
//! assert_eq!(t.event_count(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod codec;

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::DateTime;

use crate::error::{Error, Result};
use crate::state::State;
use crate::store::EventStore;
use codec::{Corrupt, Got, Reader, Writer, checksum, corrupt};

#[cfg(doc)]
use crate::Tracker;

/// The first bytes of every checkpoint file.
const MAGIC: &[u8; 8] = b"LTCKPT\r\n";
/// The version of the format this build writes and reads.
const VERSION: u32 = 1;

/// What [`Tracker::write_checkpoint`] wrote.
///
/// ```
/// let info = lottrack_core::checkpoint::CheckpointInfo { path: "p.checkpoint".into(), seq: 7, bytes: 4096 };
/// assert_eq!(info.seq, 7);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckpointInfo {
    /// The checkpoint file.
    pub path: PathBuf,
    /// The sequence number of the last event it includes.
    pub seq: u64,
    /// Its size in bytes.
    pub bytes: u64,
}

/// How [`Tracker::open`] built the index: from a checkpoint or not, and how many
/// events it replayed from the log.
///
/// ```
/// let t = lottrack_core::Tracker::in_memory();
/// assert_eq!(t.open_info(), lottrack_core::checkpoint::OpenInfo::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct OpenInfo {
    /// The sequence number of the checkpoint that was loaded, if one was.
    pub checkpoint_seq: Option<u64>,
    /// Events replayed from the log (all of them without a checkpoint, those
    /// after it with one).
    pub replayed: u64,
    /// Why a checkpoint file that was there was not used (stale, damaged,
    /// another store's, another format version), if it was not.
    pub checkpoint_skipped: Option<String>,
}

/// The sizes of an index, written in a checkpoint's header so that every index
/// read back can be checked against what it points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    pub(crate) lots: usize,
    pub(crate) events: usize,
    pub(crate) edges: usize,
    pub(crate) places: usize,
    pub(crate) containers: usize,
    /// Named customers and suppliers (`Catalog::party_names`).
    pub(crate) parties: usize,
    /// The length of the list of the lots each event changed.
    pub(crate) fx_lots: usize,
}

impl Bounds {
    fn put(&self, w: &mut Writer<'_>) {
        for n in [
            self.lots,
            self.events,
            self.edges,
            self.places,
            self.containers,
            self.parties,
            self.fx_lots,
        ] {
            w.len(n);
        }
    }

    fn get(r: &mut Reader<'_>) -> Got<Bounds> {
        Ok(Bounds {
            lots: r.len("lots")?,
            events: r.len("events")?,
            edges: r.len("edges")?,
            places: r.len("places")?,
            containers: r.len("containers")?,
            parties: r.len("parties")?,
            fx_lots: r.len("event lots")?,
        })
    }
}

/// Where in the log a checkpoint stands: after event `seq`, whose id and
/// recorded time (microseconds) must match the store's.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Position {
    seq: u64,
    event_id: String,
    recorded_us: i64,
}

/// Writes `state` (the index of the log up to its last event) to `path`: to a
/// temporary file beside it first (`<path>.<pid>-<n>.tmp`), flushed to disk,
/// then renamed over `path`, so a crash leaves the old checkpoint or the new
/// one, never half of one. A failure removes the temporary file.
pub(crate) fn write(state: &State, path: &Path) -> Result<CheckpointInfo> {
    let io = |what: &str, e: std::io::Error| Error::Storage {
        message: format!("checkpoint {}: {what}: {e}", path.display()),
    };
    // A name of its own, so that two processes writing checkpoints of one
    // store at once each rename a whole file (the last one wins).
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let tmp = PathBuf::from(tmp);
    let file = File::create_new(&tmp).map_err(|e| io("create a temporary file", e))?;
    let mut out = BufWriter::with_capacity(8 << 20, file);
    let written = (|| -> std::io::Result<u64> {
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        let mut w = Writer::new(&mut out);
        let pos = position(state);
        w.u64(pos.seq);
        w.str(&pos.event_id);
        w.i64(pos.recorded_us);
        state.bounds().put(&mut w);
        state.put(&mut w);
        let n = w.finish()?;
        out.flush()?;
        out.get_ref().sync_all()?;
        Ok(n + MAGIC.len() as u64 + 4)
    })();
    let bytes = match written {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("write", e));
        }
    };
    drop(out);
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("rename the temporary file over it", e));
    }
    // The rename itself is durable once the directory is flushed.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io("flush the directory", e))?;
    }
    Ok(CheckpointInfo {
        path: path.to_path_buf(),
        seq: state.last_seq(),
        bytes,
    })
}

fn position(state: &State) -> Position {
    let last = state.events.last();
    Position {
        seq: state.last_seq(),
        event_id: last.map(|e| e.id.to_string()).unwrap_or_default(),
        recorded_us: last.map_or(0, |e| e.recorded_at().timestamp_micros()),
    }
}

/// Loads the checkpoint at `path` if it matches `store`'s log; `Err` says why
/// it was not used (the caller then replays the whole log).
pub(crate) fn load(path: &Path, store: &mut dyn EventStore) -> std::result::Result<State, String> {
    let mut file = File::open(path).map_err(|e| format!("cannot open it: {e}"))?;
    let mut head = [0u8; 12];
    file.read_exact(&mut head)
        .map_err(|e| format!("cannot read its header: {e}"))?;
    if &head[..8] != MAGIC {
        return Err("not a lottrack checkpoint (wrong magic bytes)".into());
    }
    let version = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
    if version != VERSION {
        return Err(format!(
            "format version {version}; this build reads version {VERSION}"
        ));
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Got<Option<Vec<u8>>>>(4);
        let (spent_tx, spent_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        scope.spawn(move || {
            let mut file = std::io::BufReader::with_capacity(1 << 20, file);
            loop {
                let buf = spent_rx.try_recv().unwrap_or_default();
                let chunk = read_chunk(&mut file, buf);
                let end = !matches!(chunk, Ok(Some(_)));
                // The decoder is gone (it failed): stop reading.
                if tx.send(chunk).is_err() || end {
                    break;
                }
            }
        });
        let mut next = |spent: Vec<u8>| -> Got<Option<Vec<u8>>> {
            let _ = spent_tx.send(spent);
            rx.recv()
                .unwrap_or_else(|_| Err(corrupt("the reading thread stopped")))
        };
        // Returning drops `next` and closes the channels: a reader still
        // sending stops.
        decode(&mut Reader::new(&mut next), store)
    })
}

/// Reads the header, checks it against the store, then the index.
fn decode(r: &mut Reader<'_>, store: &mut dyn EventStore) -> std::result::Result<State, String> {
    let damaged = |e: Corrupt| format!("damaged: {e}");
    r.boundary().map_err(damaged)?;
    let pos = Position {
        seq: r.u64().map_err(damaged)?,
        event_id: r.string().map_err(damaged)?,
        recorded_us: r.i64().map_err(damaged)?,
    };
    check_position(&pos, store)?;
    let bounds = Bounds::get(r).map_err(damaged)?;
    if bounds.events as u64 != pos.seq {
        return Err(damaged(corrupt(format!(
            "{} events for seq {}",
            bounds.events, pos.seq
        ))));
    }
    let state = State::get(r, &bounds).map_err(damaged)?;
    r.finish().map_err(damaged)?;
    Ok(state)
}

/// The store must hold, at the checkpoint's `seq`, the event it names.
fn check_position(pos: &Position, store: &mut dyn EventStore) -> std::result::Result<(), String> {
    if pos.seq == 0 {
        return Ok(());
    }
    let mut found = None;
    let read = store.read_seqs(&[pos.seq], &mut |row| {
        found = Some(row);
        Ok(())
    });
    let stale = || {
        format!(
            "it stands after event `{}` at seq {}, which this store does not hold",
            pos.event_id, pos.seq
        )
    };
    let row = match (read, found) {
        (Ok(()), Some(row)) => row,
        _ => return Err(stale()),
    };
    let recorded_us = DateTime::parse_from_rfc3339(&row.recorded_at)
        .map(|t| t.timestamp_micros())
        .ok();
    if row.event_id != pos.event_id || recorded_us != Some(pos.recorded_us) {
        return Err(format!(
            "it stands after event `{}` at seq {}, but the store holds `{}` there: it belongs to another log",
            pos.event_id, pos.seq, row.event_id
        ));
    }
    Ok(())
}

/// Reads one chunk into `buf` and checks it; `None` at the end marker.
fn read_chunk(file: &mut impl Read, mut buf: Vec<u8>) -> Got<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    file.read_exact(&mut len)
        .map_err(|e| corrupt(format!("the file ends before its end marker ({e})")))?;
    let len = u32::from_le_bytes(len) as usize;
    if len == 0 {
        return Ok(None);
    }
    if len > codec::MAX_CHUNK {
        return Err(corrupt(format!("a chunk of {len} bytes")));
    }
    buf.clear();
    buf.resize(len, 0);
    let mut sum = [0u8; 8];
    file.read_exact(&mut buf)
        .and_then(|()| file.read_exact(&mut sum))
        .map_err(|e| corrupt(format!("the file ends inside a chunk ({e})")))?;
    if u64::from_le_bytes(sum) != checksum(&buf) {
        return Err(corrupt("a chunk's checksum does not match its bytes"));
    }
    Ok(Some(buf))
}
