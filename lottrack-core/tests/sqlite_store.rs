//! The SQLite store through the tracker: every event kind survives closing and
//! reopening the file, the file is plain SQLite, bad files are refused with their
//! own error kinds and left unchanged, and two trackers on one file serialize
//! their writes (conflict, catch-up, re-validation).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Barrier;

use common::{answers, assert_every_kind, assert_sane, at, qty, record_all_kinds};
use lottrack_core::{Error, Event, LotKey, Tracker};

/// Every file in `dir` with its bytes (the store's `-wal`/`-shm` side files included).
fn dir_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    all.sort();
    all
}

/// Opens `path` with `Tracker::open_sqlite`, expecting failure, and checks that
/// nothing in its directory changed.
fn refused(path: &Path) -> Error {
    let before = dir_bytes(path.parent().unwrap());
    let err = Tracker::open_sqlite(path).unwrap_err();
    assert_eq!(dir_bytes(path.parent().unwrap()), before, "{err}");
    err
}

#[test]
fn every_kind_round_trips_through_a_reopened_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bakery.lottrack");

    let reference = Tracker::in_memory();
    record_all_kinds(&reference);
    assert_every_kind(&reference);
    assert_sane(&reference);
    let expected = answers(&reference);

    let t = Tracker::open_sqlite(&path).unwrap();
    record_all_kinds(&t);
    assert_every_kind(&t);
    assert_sane(&t);
    assert_eq!(answers(&t), expected);
    let events = t.events().expect("events");
    // Recording the same events again is an idempotent no-op, also across a reopen.
    assert!(t.record(common::all_kinds().remove(9)).unwrap().duplicate);
    drop(t);

    let reopened = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(reopened.events().expect("events"), events);
    assert_sane(&reopened);
    assert_eq!(answers(&reopened), expected);
    let again = reopened.record(common::all_kinds().remove(9)).unwrap();
    assert!(again.duplicate);
    assert_eq!(reopened.last_seq(), events.len() as u64);

    // The reopened tracker goes on writing, and a third opening sees that too.
    let ship = Event::ship(
        at("2026-03-07T08:00:00+01:00"),
        "dc",
        qty("flour", "F1", "85", "kg"),
        "store-2",
    )
    .with_id("SH-late");
    let r = reopened.record(ship).unwrap();
    assert_eq!(r.seq, events.len() as u64 + 1);
    let after = answers(&reopened);
    drop(reopened);
    let third = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(answers(&third), after);
    assert_ne!(after, expected);
    assert!(third.on_hand(&LotKey::new("flour", "F1")).unwrap().len() == 1);
}

#[test]
fn the_file_is_readable_with_the_sqlite3_shell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shell.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    record_all_kinds(&t);
    let events = t.events().expect("events");
    drop(t);

    let shell = |sql: &str| {
        Command::new("sqlite3")
            .arg("-readonly")
            .arg(&path)
            .arg(sql)
            .output()
    };
    let out = match shell("select count(*) from events") {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipping the sqlite3 shell check: cannot run `sqlite3` ({e})");
            return;
        }
    };
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        events.len().to_string()
    );
    // Every row is the event in the design's JSON format, in sequence order.
    let out = shell("select seq, json from events order by seq").unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), events.len());
    for (row, (seq, event, _)) in rows.iter().zip(&events) {
        let (s, json) = row.split_once('|').unwrap();
        assert_eq!(s.parse::<u64>().unwrap(), *seq);
        assert_eq!(&Event::from_json(json).unwrap(), event, "{json}");
    }
    let out = shell("select value from lottrack_meta where key = 'schema_version'").unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "1");
    // Reading with the shell changed nothing lottrack cares about.
    assert_eq!(
        Tracker::open_sqlite(&path)
            .unwrap()
            .events()
            .expect("events"),
        events
    );
}

#[test]
fn an_empty_file_opens_as_a_new_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.lottrack");
    std::fs::write(&path, b"").unwrap();
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.event_count(), 0);
    record_all_kinds(&t);
    let answers_before = answers(&t);
    drop(t);
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    assert_eq!(
        answers(&Tracker::open_sqlite(&path).unwrap()),
        answers_before
    );
}

#[test]
fn garbage_is_not_a_store_and_stays_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.lottrack");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..10_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    for content in [
        bytes.clone(),
        b"event_id,kind\nE1,receive\n".to_vec(),
        // The SQLite magic followed by junk.
        [b"SQLite format 3\0".as_slice(), &bytes].concat(),
    ] {
        std::fs::write(&path, &content).unwrap();
        let err = refused(&path);
        assert_eq!(err.kind_name(), "NotAStore", "{err}");
        assert!(matches!(err, Error::NotAStore { .. }));
        assert!(err.to_string().contains("garbage.lottrack"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), content);
    }
}

#[test]
fn a_foreign_sqlite_database_is_not_a_store_and_stays_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, what TEXT);
             INSERT INTO events(what) VALUES ('birthday'), ('meeting');",
        )
        .unwrap();
    }
    let err = refused(&path);
    assert_eq!(err.kind_name(), "NotAStore", "{err}");
    assert!(err.to_string().contains("events"), "{err}");

    // The same in WAL mode, while the other program has it open (its rows still in
    // the `-wal` file). Reading a WAL database updates the reader marks in the
    // `-shm` shared-memory index, which is no content: the database and its log
    // stay byte for byte the same.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wal.db");
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let content = || {
        let mut files = dir_bytes(dir.path());
        files.retain(|(p, _)| !p.to_string_lossy().ends_with("-shm"));
        files
    };
    let before = content();
    assert_eq!(before.len(), 2, "wal.db and wal.db-wal");
    let err = Tracker::open_sqlite(&path).unwrap_err();
    assert_eq!(err.kind_name(), "NotAStore", "{err}");
    assert_eq!(content(), before);
    let n: i64 = other
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_newer_schema_version_is_refused_and_the_file_stays_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.lottrack");
    {
        let t = Tracker::open_sqlite(&path).unwrap();
        record_all_kinds(&t);
    }
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = DELETE;
             UPDATE lottrack_meta SET value = 7 WHERE key = 'schema_version';",
        )
        .unwrap();
    }
    let err = refused(&path);
    assert_eq!(err.kind_name(), "SchemaTooNew", "{err}");
    assert_eq!(
        err,
        Error::SchemaTooNew {
            found: 7,
            supported: 1
        }
    );
    assert!(err.to_string().contains('7'), "{err}");
}

/// Receives `kg` of a lot of salt at `plant`.
fn receipt(id: &str, lot: &str, kg: &str) -> Event {
    Event::receive(
        at("2026-03-01T08:00:00Z"),
        "plant",
        qty("salt", lot, kg, "kg"),
        Some("mine"),
    )
    .with_id(id)
}

fn shipment(id: &str, lot: &str, kg: &str, customer: &str) -> Event {
    Event::ship(
        at("2026-03-02T08:00:00Z"),
        "plant",
        qty("salt", lot, kg, "kg"),
        customer,
    )
    .with_id(id)
}

#[test]
fn two_trackers_on_one_file_both_writes_land() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.lottrack");
    let a = Tracker::open_sqlite(&path).unwrap();
    let b = Tracker::open_sqlite(&path).unwrap();

    a.record(receipt("A1", "L-A", "10")).unwrap();
    // B has not seen A1: its append expects an empty log, conflicts, catches up,
    // validates again and lands after A1.
    assert_eq!(b.last_seq(), 0);
    let r = b.record(receipt("B1", "L-B", "5")).unwrap();
    assert_eq!((r.seq, r.duplicate), (2, false));
    assert_eq!(b.event_count(), 2);
    assert!(b.event("A1").is_ok());

    // A batch behind by several events catches up the same way.
    a.record_batch(vec![receipt("A2", "L-A2", "1"), receipt("A3", "L-A3", "1")])
        .unwrap();
    let rs = b
        .record_batch(vec![
            receipt("B2", "L-B2", "1"),
            shipment("B3", "L-B", "1", "c"),
        ])
        .unwrap();
    assert_eq!(rs.iter().map(|r| r.seq).collect::<Vec<_>>(), [5, 6]);

    // A sees B's events after sync(); both agree; a fresh tracker agrees too.
    assert_eq!(a.sync().unwrap(), 2); // A caught up B1 when its own batch conflicted
    assert_eq!(a.events().expect("events"), b.events().expect("events"));
    let c = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(c.events().expect("events"), a.events().expect("events"));
    let seqs: Vec<u64> = c
        .events()
        .expect("events")
        .iter()
        .map(|(s, _, _)| *s)
        .collect();
    assert_eq!(seqs, (1..=6).collect::<Vec<_>>());

    // The same event recorded by both trackers is stored once.
    a.record(receipt("X", "L-X", "2")).unwrap();
    let dup = b.record(receipt("X", "L-X", "2")).unwrap();
    assert!(dup.duplicate);
    assert_eq!(dup.seq, 7);
    // A different payload under an id the other tracker used is refused.
    a.record(receipt("Y", "L-Y", "2")).unwrap();
    let err = b.record(receipt("Y", "L-Y", "3")).unwrap_err();
    assert_eq!(err.kind_name(), "DuplicateEvent", "{err}");
    assert_eq!(Tracker::open_sqlite(&path).unwrap().event_count(), 8);
}

#[test]
fn two_trackers_on_one_file_cannot_both_ship_the_last_stock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("last-stock.lottrack");
    let a = Tracker::open_sqlite(&path).unwrap();
    let b = Tracker::open_sqlite(&path).unwrap();

    // In turn: A ships the last 10 kg; B, not synced, tries the same.
    a.record(receipt("R0", "L0", "10")).unwrap();
    b.sync().unwrap();
    a.record(shipment("A-S0", "L0", "10", "plant-a-customer"))
        .unwrap();
    let err = b
        .record(shipment("B-S0", "L0", "10", "plant-b-customer"))
        .unwrap_err();
    assert_eq!(err.kind_name(), "InsufficientStock", "{err}");
    assert!(err.to_string().contains("only 0 kg"), "{err}");
    // B caught up while retrying: it knows about A's shipment now.
    assert!(b.event("A-S0").is_ok());
    assert_eq!(b.events().expect("events"), a.events().expect("events"));

    // Racing from two threads, many times.
    let mut wins = [0; 2];
    for round in 1..=20 {
        let lot = format!("L{round}");
        a.record(receipt(&format!("R{round}"), &lot, "10")).unwrap();
        b.sync().unwrap();
        let barrier = Barrier::new(2);
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = [(&a, "A"), (&b, "B")]
                .into_iter()
                .map(|(t, who)| {
                    let (barrier, lot) = (&barrier, &lot);
                    s.spawn(move || {
                        barrier.wait();
                        t.record(shipment(&format!("{who}-S{round}"), lot, "10", who))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok: Vec<usize> = (0..2).filter(|&i| results[i].is_ok()).collect();
        assert_eq!(ok.len(), 1, "round {round}: {results:?}");
        wins[ok[0]] += 1;
        let err = results[1 - ok[0]].as_ref().unwrap_err();
        assert_eq!(err.kind_name(), "InsufficientStock", "round {round}: {err}");
    }
    eprintln!(
        "last-stock race on SQLite: A won {}, B won {}",
        wins[0], wins[1]
    );

    // The log: gap-free, every lot shipped once, balances close.
    a.sync().unwrap();
    b.sync().unwrap();
    let fresh = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(fresh.events().expect("events"), a.events().expect("events"));
    assert_eq!(fresh.events().expect("events"), b.events().expect("events"));
    let seqs: Vec<u64> = fresh
        .events()
        .expect("events")
        .iter()
        .map(|(s, _, _)| *s)
        .collect();
    assert_eq!(seqs, (1..=42).collect::<Vec<_>>());
    for round in 0..=20 {
        let lot = LotKey::new("salt", &format!("L{round}"));
        let mb = fresh.mass_balance(&lot).unwrap();
        assert!(mb.closes(), "{mb:?}");
        assert_eq!(mb.shipped, mb.received, "{mb:?}");
        assert!(fresh.on_hand(&lot).unwrap().is_empty());
    }
}

/// The index does not keep the events: history, `event`, `events`, the exports
/// and a repeated record read them back from the file, and a row changed behind
/// the tracker's back is reported with its event and sequence number, never
/// answered from a stale copy.
#[test]
fn cold_queries_read_events_back_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cold.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    let time = at("2026-03-01T08:00:00Z");
    let receive = Event::receive(time, "p1", qty("rice", "R1", "10", "kg"), None).with_id("E1");
    let ship = Event::ship(time, "p1", qty("rice", "R1", "4", "kg"), "c1").with_id("E2");
    t.record_batch(vec![receive.clone(), ship.clone()]).unwrap();
    assert_eq!(t.event("E2").unwrap(), ship);
    let key = LotKey::new("rice", "R1");
    assert_eq!(t.history(&key).unwrap(), [receive.clone(), ship.clone()]);
    let mut jsonl = Vec::new();
    assert_eq!(t.export_jsonl(&mut jsonl).unwrap(), 2);
    assert_eq!(
        String::from_utf8(jsonl).unwrap(),
        format!("{}\n{}\n", receive.to_json(), ship.to_json())
    );
    // The same event twice in one batch: the second is a duplicate of the first
    // (compared as given, it is not stored yet); a different event under a
    // batch-mate's id is refused and the batch leaves nothing behind.
    let adjust = Event::ship(time, "p1", qty("rice", "R1", "1", "kg"), "c2").with_id("E3");
    let r = t
        .record_batch(vec![adjust.clone(), adjust.clone()])
        .unwrap();
    assert_eq!(
        (r[0].seq, r[0].duplicate, r[1].seq, r[1].duplicate),
        (3, false, 3, true)
    );
    let other = Event::ship(time, "p1", qty("rice", "R1", "2", "kg"), "c3").with_id("E4");
    let clash = Event::ship(time, "p1", qty("rice", "R1", "3", "kg"), "c3").with_id("E4");
    let err = t.record_batch(vec![other, clash]).unwrap_err();
    assert!(
        matches!(err, Error::DuplicateEvent { ref event_id } if event_id == "E4"),
        "{err}"
    );
    assert_eq!(t.last_seq(), 3);
    // Stored events are compared with the row in the file.
    assert!(t.record(ship.clone()).unwrap().duplicate);

    // Change the file under the tracker: the row of E2 no longer decodes.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE events SET json = '{\"kind\":' WHERE seq = 2", [])
        .unwrap();
    let err = t.event("E2").unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("`E2`") && msg.contains("seq 2"), "{msg}");
    assert!(t.history(&key).unwrap_err().to_string().contains("`E2`"));
    assert!(t.events().unwrap_err().to_string().contains("`E2`"));
    // The JSONL export writes the log as stored, without decoding it.
    let mut jsonl = Vec::new();
    t.export_jsonl(&mut jsonl).unwrap();
    assert_eq!(
        String::from_utf8(jsonl).unwrap().lines().nth(1),
        Some("{\"kind\":")
    );
    assert!(t.record(ship).is_err());
    // E1 is untouched and still answers.
    assert_eq!(t.event("E1").unwrap(), receive);
    // A row holding another event than the index has at its seq is named.
    c.execute("UPDATE events SET event_id = 'X9' WHERE seq = 1", [])
        .unwrap();
    let msg = t.event("E1").unwrap_err().to_string();
    assert!(
        msg.contains("`X9`") && msg.contains("`E1`") && msg.contains("seq 1"),
        "{msg}"
    );
    // The queries the index answers alone still work.
    assert_eq!(t.mass_balance(&key).unwrap().on_hand.to_string(), "5");
}

/// Cold queries (which take the store's lock, then the index's) run while a
/// writer appends (store, then index): no deadlock, and every answer is a
/// consistent prefix of the log.
#[test]
fn cold_queries_and_appends_from_several_threads() {
    let dir = tempfile::tempdir().unwrap();
    let t = Tracker::open_sqlite(dir.path().join("busy.lottrack")).unwrap();
    t.record(receipt("R0", "L0", "1000")).unwrap();
    const BATCHES: usize = 40;
    let start = Barrier::new(4);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            start.wait();
            for b in 0..BATCHES {
                let batch: Vec<Event> = (0..5)
                    .map(|i| shipment(&format!("S{b}-{i}"), "L0", "1", &format!("c{i}")))
                    .collect();
                t.record_batch(batch).unwrap();
            }
        });
        for reader in 0..3 {
            let (t, start) = (&t, &start);
            scope.spawn(move || {
                start.wait();
                let key = LotKey::new("salt", "L0");
                let mut last = 0;
                while last < 1 + 5 * BATCHES {
                    let n = match reader {
                        0 => {
                            let all = t.events().unwrap();
                            for (i, (seq, ev, _)) in all.iter().enumerate() {
                                assert_eq!(*seq, i as u64 + 1, "{}", ev.event_id);
                            }
                            all.len()
                        }
                        1 => {
                            let h = t.history(&key).unwrap();
                            assert_eq!(h[0].event_id, "R0");
                            h.len()
                        }
                        _ => {
                            let mut out = Vec::new();
                            let n = t.export_jsonl(&mut out).unwrap() as usize;
                            assert_eq!(String::from_utf8(out).unwrap().lines().count(), n);
                            n
                        }
                    };
                    assert!(n >= last, "went back from {last} to {n} events");
                    last = n;
                }
            });
        }
    });
    assert_eq!(t.event_count(), 1 + 5 * BATCHES);
    assert_eq!(
        t.mass_balance(&LotKey::new("salt", "L0"))
            .unwrap()
            .on_hand
            .to_string(),
        (1000 - 5 * BATCHES).to_string()
    );
}

#[test]
fn the_log_is_copied_into_the_file_while_batches_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let wal = dir.path().join("plant.lottrack-wal");
    let len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let t = Tracker::open_sqlite(&path).unwrap();
    let new_file = len(&path);
    // About 12 MB of log in batches of 500: past SQLite's 1 000-page mark,
    // which wakes the thread that copies the log into the file.
    const EVENTS: usize = 40_000;
    for b in 0..EVENTS / 500 {
        let batch = (b * 500..(b + 1) * 500)
            .map(|i| receipt(&format!("R{i}"), &format!("L{i}"), "10"))
            .collect();
        t.record_batch(batch).unwrap();
    }
    // The copy runs beside the writer; wait for it to reach the file (a bound
    // on liveness, not a timing: it normally takes milliseconds).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while len(&path) < 4 << 20 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        len(&path) >= 4 << 20,
        "the log was not copied into the file: {} bytes (new: {new_file}), log {} bytes",
        len(&path),
        len(&wal)
    );
    drop(t);
    // Closing copies the rest and removes the log.
    assert!(!wal.exists(), "the log outlived the store");
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.event_count(), EVENTS);
    assert!(
        t.lot(&LotKey::new("salt", &format!("L{}", EVENTS - 1)))
            .is_ok()
    );
}
