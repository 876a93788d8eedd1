//! Checkpoints of the index beside a SQLite store: a reopen loads the checkpoint
//! and replays only the events after it, with the same answers as a full replay;
//! a stale, foreign, truncated, damaged or other-version checkpoint is not used
//! (the whole log is replayed, and `open_info` says why); a store without a
//! checkpoint location refuses to write one.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{answers, assert_every_kind, at, qty, record_all_kinds};
use lottrack_core::{Error, Event, Tracker};

fn checkpoint_of(store: &Path) -> PathBuf {
    let mut p = store.as_os_str().to_owned();
    p.push(".checkpoint");
    PathBuf::from(p)
}

fn receipt(id: &str, lot: &str) -> Event {
    Event::receive(
        at("2026-03-09T08:00:00Z"),
        "plant-1",
        qty("spinach", lot, "10", "kg"),
        Some("farm-a"),
    )
    .with_id(id)
}

/// The answers of a tracker that replays the whole log at `path` (its
/// checkpoint moved away and back).
fn full_replay_answers(path: &Path) -> String {
    let cp = checkpoint_of(path);
    let aside = path.with_extension("aside");
    let had = cp.exists();
    if had {
        std::fs::rename(&cp, &aside).unwrap();
    }
    let t = Tracker::open_sqlite(path).unwrap();
    assert_eq!(t.open_info().checkpoint_seq, None);
    let a = answers(&t);
    drop(t);
    if had {
        std::fs::rename(&aside, &cp).unwrap();
    }
    a
}

#[test]
fn a_reopen_loads_the_checkpoint_and_replays_only_what_came_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    record_all_kinds(&t);
    let n = t.event_count() as u64;
    let saved = t.write_checkpoint().unwrap();
    assert_eq!(saved.seq, n);
    assert_eq!(saved.path, checkpoint_of(&path));
    assert_eq!(std::fs::metadata(&saved.path).unwrap().len(), saved.bytes);
    t.record(receipt("LATE-1", "L-late")).unwrap();
    let live = answers(&t);
    drop(t);

    let t = Tracker::open_sqlite(&path).unwrap();
    let info = t.open_info();
    assert_eq!(info.checkpoint_seq, Some(n));
    assert_eq!(info.replayed, 1, "only the event after the checkpoint");
    assert_eq!(info.checkpoint_skipped, None);
    assert_eq!(t.event_count() as u64, n + 1);
    assert_every_kind(&t);
    assert_eq!(answers(&t), live);
    assert_eq!(full_replay_answers(&path), live);
    // The cold paths read events back from the file, by the loaded index.
    assert_eq!(t.event("LATE-1").unwrap(), receipt("LATE-1", "L-late"));
    assert_eq!(t.events().unwrap().len() as u64, n + 1);
    // And the loaded index takes new events.
    t.record(receipt("LATE-2", "L-late-2")).unwrap();
    drop(t);
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.open_info().replayed, 2);
    assert_eq!(t.event_count() as u64, n + 2);
}

#[test]
fn a_checkpoint_read_back_writes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    record_all_kinds(&t);
    t.write_checkpoint().unwrap();
    let first = std::fs::read(checkpoint_of(&path)).unwrap();
    drop(t);
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.open_info().replayed, 0);
    t.write_checkpoint().unwrap();
    assert_eq!(std::fs::read(checkpoint_of(&path)).unwrap(), first);
}

/// Opens `path` expecting its checkpoint to be skipped for a reason containing
/// `why`, and the whole log replayed with the answers `want`.
fn assert_skipped(path: &Path, why: &str, want: &str) {
    let t = Tracker::open_sqlite(path).unwrap();
    let info = t.open_info();
    assert_eq!(info.checkpoint_seq, None);
    assert_eq!(info.replayed, t.event_count() as u64);
    let skipped = info.checkpoint_skipped.unwrap_or_default();
    assert!(skipped.contains(why), "{skipped:?} should say {why:?}");
    assert!(skipped.contains(".checkpoint"), "names the file: {skipped}");
    assert_eq!(answers(&t), want);
}

#[test]
fn a_checkpoint_that_does_not_match_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    record_all_kinds(&t);
    t.write_checkpoint().unwrap();
    let want = answers(&t);
    drop(t);
    let cp = checkpoint_of(&path);
    let good = std::fs::read(&cp).unwrap();
    assert!(good.len() > 1000);

    // Damaged: a flipped byte in the middle, a cut end, an empty file.
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x40;
    std::fs::write(&cp, &bad).unwrap();
    assert_skipped(&path, "checksum", &want);
    std::fs::write(&cp, &good[..good.len() - 9]).unwrap();
    assert_skipped(&path, "ends", &want);
    std::fs::write(&cp, b"").unwrap();
    assert_skipped(&path, "header", &want);
    // Not a checkpoint; another version of the format.
    std::fs::write(&cp, b"SQLite format 3\0 and more bytes").unwrap();
    assert_skipped(&path, "magic", &want);
    let mut other_version = good.clone();
    other_version[8] = 3;
    std::fs::write(&cp, &other_version).unwrap();
    assert_skipped(&path, "format version 3", &want);

    // Another store's checkpoint: same number of events, other ids.
    let other = dir.path().join("other.lottrack");
    let o = Tracker::open_sqlite(&other).unwrap();
    let n = Tracker::open_sqlite(&path).unwrap().event_count();
    for i in 0..n {
        o.record(receipt(&format!("O-{i}"), &format!("L{i}")))
            .unwrap();
    }
    o.write_checkpoint().unwrap();
    drop(o);
    std::fs::copy(checkpoint_of(&other), &cp).unwrap();
    assert_skipped(&path, "another log", &want);

    // A checkpoint ahead of its store (the store restored from an older copy).
    std::fs::write(&cp, &good).unwrap();
    let older = dir.path().join("older.lottrack");
    let t = Tracker::open_sqlite(&older).unwrap();
    t.record(receipt("R-1", "L1")).unwrap();
    drop(t);
    let older_want = answers(&Tracker::open_sqlite(&older).unwrap());
    std::fs::copy(&cp, checkpoint_of(&older)).unwrap();
    assert_skipped(&older, "does not hold", &older_want);

    // The good one is used again.
    std::fs::write(&cp, &good).unwrap();
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.open_info().replayed, 0);
    assert_eq!(answers(&t), want);
}

#[test]
fn a_store_without_a_checkpoint_location_refuses_and_a_failed_write_is_an_error() {
    let t = Tracker::in_memory();
    record_all_kinds(&t);
    let err = t.write_checkpoint().unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    assert!(err.to_string().contains("memory"), "{err}");

    // The checkpoint cannot be put in place (a directory is in its way): the
    // error names the file, and no temporary file is left behind.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    t.record(receipt("R-1", "L1")).unwrap();
    let cp = checkpoint_of(&path);
    std::fs::create_dir(&cp).unwrap();
    std::fs::write(cp.join("keep"), "x").unwrap();
    let err = t.write_checkpoint().unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    assert!(
        err.to_string().contains("plant.lottrack.checkpoint"),
        "{err}"
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    // A directory where the checkpoint should be is no checkpoint: skipped.
    drop(t);
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.open_info().checkpoint_seq, None);
    assert!(t.open_info().checkpoint_skipped.is_some());
    std::fs::remove_dir_all(&cp).unwrap();
    t.write_checkpoint().unwrap();
    t.record(receipt("R-2", "L2")).unwrap();
    drop(t);
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.open_info().checkpoint_seq, Some(1));
    assert_eq!(t.open_info().replayed, 1);
}

#[test]
fn two_trackers_writing_checkpoints_at_once_each_leave_a_whole_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let a = Tracker::open_sqlite(&path).unwrap();
    record_all_kinds(&a);
    let b = Tracker::open_sqlite(&path).unwrap();
    std::thread::scope(|s| {
        for t in [&a, &b] {
            s.spawn(move || {
                for _ in 0..5 {
                    t.write_checkpoint().unwrap();
                }
            });
        }
    });
    let want = answers(&a);
    drop((a, b));
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.open_info().replayed, 0);
    assert_eq!(answers(&t), want);
}

#[test]
fn a_checkpoint_of_an_empty_store_replays_everything_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.write_checkpoint().unwrap().seq, 0);
    record_all_kinds(&t);
    let want = answers(&t);
    let n = t.event_count() as u64;
    drop(t);
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.open_info().checkpoint_seq, Some(0));
    assert_eq!(t.open_info().replayed, n);
    assert_eq!(answers(&t), want);
}

/// More lots than events (one transform making many), and a status event on
/// the last of them: the checkpoint is read back (a status's lot is bounded by
/// the lots, not by the events).
#[test]
fn a_status_on_a_lot_numbered_past_the_events_is_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    t.record(receipt("R-1", "L1")).unwrap();
    let outs: Vec<String> = (0..6)
        .map(|i| format!(r#"{{"product":"bag","lot":"B{i}","quantity":"1","uom":"each"}}"#))
        .collect();
    t.record_json(&format!(
        r#"{{"event_id":"T-1","kind":"transform","time":"2026-03-09T09:00:00Z","location":"plant-1","inputs":[{{"product":"spinach","lot":"L1","quantity":"6","uom":"kg"}}],"outputs":[{}]}}"#,
        outs.join(",")
    ))
    .unwrap();
    t.record_json(r#"{"event_id":"H-1","kind":"status","time":"2026-03-09T10:00:00Z","status":"hold","lots":[{"product":"bag","lot":"B5"}]}"#)
        .unwrap();
    assert!(t.lot_count() > t.event_count());
    t.write_checkpoint().unwrap();
    let want = answers(&t);
    drop(t);
    let t = Tracker::open_sqlite(&path).unwrap();
    let info = t.open_info();
    assert_eq!(
        (info.checkpoint_seq, info.replayed, info.checkpoint_skipped),
        (Some(3), 0, None)
    );
    assert_eq!(answers(&t), want);
}
