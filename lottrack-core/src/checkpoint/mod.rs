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
//! damaged checkpoint costs time, never an event. So does one that loads but
//! that the events after it do not apply to (written by a faulty build, or
//! altered with its checksums made to match): the whole log is replayed then
//! too. Deleting the file is always safe.
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
const VERSION: u32 = 2;

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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{LotKey, TraceOptions, Tracker};

    /// A small store with every kind of stock event, a container and a void.
    fn store(dir: &Path) -> PathBuf {
        let path = dir.join("fuzz.lottrack");
        let t = Tracker::open_sqlite(&path).unwrap();
        let ev = |id: &str, body: &str| {
            format!(r#"{{"event_id":"{id}","time":"2026-03-01T08:00:00+01:00",{body}}}"#)
        };
        let line = |p: &str, l: &str, q: &str| {
            format!(r#"{{"product":"{p}","lot":"{l}","quantity":"{q}","uom":"kg"}}"#)
        };
        for json in [
            ev(
                "P",
                r#""kind":"product","product":"salad","uom":"kg","conversions":{"case":"12"}"#,
            ),
            ev(
                "R1",
                r#""kind":"receive","location":"a","product":"leaf","lot":"L1","quantity":"50.5","uom":"kg","supplier":"farm","expiry":"2026-03-20","documents":[{"type":"po","id":"PO-1"}]"#,
            ),
            ev(
                "R2",
                r#""kind":"receive","location":"a","product":"leaf","lot":"L2","quantity":"30","uom":"kg""#,
            ),
            ev(
                "T1",
                &format!(
                    r#""kind":"transform","location":"a","inputs":[{},{}],"outputs":[{}]"#,
                    line("leaf", "L1", "20"),
                    line("leaf", "L2", "10"),
                    line("salad", "S1", "24")
                ),
            ),
            ev(
                "K1",
                &format!(
                    r#""kind":"pack","location":"a","container":"C1","contents":[{}]"#,
                    line("salad", "S1", "12")
                ),
            ),
            ev(
                "S1",
                r#""kind":"ship","location":"a","container":"C1","customer":"shop""#,
            ),
            ev(
                "M1",
                r#""kind":"move","product":"leaf","lot":"L1","quantity":"5","uom":"kg","from_location":"a","to_location":"b""#,
            ),
            ev(
                "H1",
                r#""kind":"status","status":"hold","lots":[{"product":"leaf","lot":"L2"}]"#,
            ),
            ev(
                "D1",
                r#""kind":"dispose","location":"a","product":"leaf","lot":"L2","quantity":"1","uom":"kg","reason":"spoiled""#,
            ),
            ev(
                "V1",
                r#""kind":"void","target":"D1","reason":"incorrect_data""#,
            ),
        ] {
            t.record_json(&json)
                .unwrap_or_else(|e| panic!("{json}: {e}"));
        }
        t.write_checkpoint().unwrap();
        // One event after it, replayed on top of the checkpoint at each open.
        t.record_json(r#"{"event_id":"R3","kind":"receive","time":"2026-03-01T09:00:00Z","location":"a","product":"leaf","lot":"L1","quantity":"2","uom":"kg"}"#)
            .unwrap();
        path
    }

    /// Every query a reopened tracker answers, to run over a loaded index.
    fn ask(t: &Tracker) {
        let o = TraceOptions::default();
        for (p, l) in [("leaf", "L1"), ("leaf", "L2"), ("salad", "S1")] {
            let k = LotKey::new(p, l);
            let _ = t.trace_forward(&k, &o);
            let _ = t.trace_backward(&k, &o);
            let _ = t.mass_balance(&k);
            let _ = t.recall(std::slice::from_ref(&k), &o);
            let _ = t.exposure(&k, &o);
            let _ = t.history(&k);
            let _ = t.lot(&k);
        }
        let _ = t.inventory();
        let _ = t.events();
        // And recording on top of it: a new lot, a take from an old one, a void.
        for json in [
            r#"{"event_id":"N1","kind":"receive","time":"2026-03-02T08:00:00Z","location":"a","product":"leaf","lot":"L9","quantity":"3","uom":"kg"}"#,
            r#"{"event_id":"N2","kind":"ship","time":"2026-03-02T09:00:00Z","location":"a","product":"leaf","lot":"L1","quantity":"1","uom":"kg","customer":"shop"}"#,
            r#"{"event_id":"N3","kind":"void","time":"2026-03-02T10:00:00Z","target":"N2","reason":"incorrect_data"}"#,
            r#"{"event_id":"N4","kind":"void","time":"2026-03-02T10:00:00Z","target":"T1","reason":"incorrect_data"}"#,
        ] {
            let _ = t.record_json(json);
        }
        let _ = t.trace_forward(&LotKey::new("leaf", "L1"), &o);
    }

    /// A checkpoint that loads but that the events after it do not apply to
    /// (here its products' base unit altered, checksum made to match): the
    /// whole log is replayed instead, and `open_info` says so.
    #[test]
    fn a_checkpoint_the_log_does_not_apply_to_gives_way_to_a_full_replay() {
        let dir = tempfile::tempdir().unwrap();
        let path = store(dir.path());
        let want = {
            let t = Tracker::open_sqlite(&path).unwrap();
            assert_eq!(t.open_info().replayed, 1);
            t.mass_balance(&LotKey::new("leaf", "L1")).unwrap()
        };
        let cp = dir.path().join("fuzz.lottrack.checkpoint");
        let mut bytes = std::fs::read(&cp).unwrap();
        let len = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        let unit = b"\x02\x00\x00\x00\x00\x00\x00\x00kg";
        let chunk = &mut bytes[16..16 + len];
        let mut changed = 0;
        for i in 0..chunk.len() - unit.len() {
            if &chunk[i..i + unit.len()] == unit {
                chunk[i + unit.len() - 1] = b'x';
                changed += 1;
            }
        }
        assert!(changed > 0);
        let sum = codec::checksum(&bytes[16..16 + len]);
        bytes[16 + len..24 + len].copy_from_slice(&sum.to_le_bytes());
        std::fs::write(&cp, &bytes).unwrap();
        let t = Tracker::open_sqlite(&path).unwrap();
        let info = t.open_info();
        assert_eq!(info.checkpoint_seq, None);
        assert_eq!(info.replayed, t.event_count() as u64);
        let why = info.checkpoint_skipped.unwrap_or_default();
        assert!(why.contains("did not apply") && why.contains("R3"), "{why}");
        assert_eq!(t.mass_balance(&LotKey::new("leaf", "L1")).unwrap(), want);
    }

    /// Chunks whose bytes were changed and whose checksums were made to match
    /// again (what no random damage does, and only a writer bug or a forger
    /// could): decoding fails with an error or yields an index the queries run
    /// over; it never panics.
    #[test]
    fn altered_chunks_are_errors_or_usable_never_panics() {
        let dir = tempfile::tempdir().unwrap();
        let path = store(dir.path());
        let cp = dir.path().join("fuzz.lottrack.checkpoint");
        let good = std::fs::read(&cp).unwrap();
        let pristine = std::fs::read(&path).unwrap();
        // The chunks' payload ranges.
        let mut chunks = Vec::new();
        let mut at = 12;
        loop {
            let len = u32::from_le_bytes(good[at..at + 4].try_into().unwrap()) as usize;
            if len == 0 {
                break;
            }
            chunks.push((at + 4, len));
            at += 12 + len;
        }
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let (mut used, mut refused, mut fell_back) = (0, 0, 0);
        for round in 0..400 {
            let mut bytes = good.clone();
            let (start, len) = chunks[next() as usize % chunks.len()];
            for _ in 0..1 + round % 3 {
                let i = start + next() as usize % len;
                bytes[i] = match round % 4 {
                    0 => bytes[i] ^ (1 << (next() % 8)),
                    1 => 0xFF,
                    2 => 0,
                    _ => next() as u8,
                };
            }
            let sum = codec::checksum(&bytes[start..start + len]);
            bytes[start + len..start + len + 8].copy_from_slice(&sum.to_le_bytes());
            std::fs::write(&cp, &bytes).unwrap();
            // Each round starts from the same log (the last one recorded on top).
            for side in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.path().join(format!("fuzz.lottrack{side}")));
            }
            std::fs::write(&path, &pristine).unwrap();
            let t = Tracker::open_sqlite(&path).unwrap();
            let info = t.open_info();
            if info.checkpoint_seq.is_some() {
                used += 1;
                assert_eq!(info.replayed, 1);
                ask(&t);
            } else {
                refused += 1;
                let why = info.checkpoint_skipped.clone().unwrap_or_default();
                fell_back += usize::from(why.contains("did not apply"));
                // Why: damaged, or a log position this store does not hold.
                assert!(t.open_info().checkpoint_skipped.is_some());
                assert_eq!(t.open_info().replayed, t.event_count() as u64);
            }
        }
        assert!(
            used > 0 && refused > 0,
            "used {used}, refused {refused} ({fell_back} after loading)"
        );
    }
}
