//! Large batches into a store that writes rows as they come (SQLite) are
//! validated on one thread while a second writes them, in one transaction: all
//! of a batch is stored or none of it, whichever thread fails first, and the
//! index after a failed batch is exactly as before.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{answers, at, qty};
use lottrack_core::store::{EventStore, MemoryStore, NewEvent, StoredEvent};
use lottrack_core::{Error, Event, Result, Tracker};

fn receipt(i: usize) -> Event {
    Event::receive(
        at("2026-03-01T08:00:00Z"),
        "plant-1",
        qty("spinach", &format!("L{i}"), "10", "kg"),
        Some("farm-a"),
    )
    .with_id(&format!("R{i}"))
}

fn ship(i: usize, n: &str) -> Event {
    Event::ship(
        at("2026-03-02T08:00:00Z"),
        "plant-1",
        qty("spinach", &format!("L{i}"), n, "kg"),
        "store-1",
    )
    .with_id(&format!("S{i}"))
}

fn stored_rows(path: &Path) -> u64 {
    let mut s = lottrack_core::store::SqliteStore::open(path).unwrap();
    s.last_seq().unwrap()
}

/// Over receipts `L0..L599` of 10 kg: shipment 450 of a batch of 600 takes
/// 11 kg. The batch is refused naming it, and the answers are as before.
fn refuse_a_batch_short_of_stock(t: &Tracker) {
    let before = answers(t);
    let mut bad: Vec<Event> = (0..600).map(|i| ship(i, "4")).collect();
    bad[450] = ship(450, "11");
    let err = t.record_batch(bad).unwrap_err();
    assert!(
        matches!(&err, Error::InsufficientStock { event_id, .. } if event_id == "S450"),
        "{err:?}"
    );
    assert_eq!(answers(t), before);
}

#[test]
fn a_large_batch_is_stored_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plant.lottrack");
    let t = Tracker::open_sqlite(&path).unwrap();
    let batch: Vec<Event> = (0..600).map(receipt).collect();
    let rec = t.record_batch(batch.clone()).unwrap();
    assert_eq!(rec.len(), 600);
    assert_eq!(rec[599].seq, 600);
    assert!(rec.iter().all(|r| !r.duplicate));
    assert_eq!(stored_rows(&path), 600);

    refuse_a_batch_short_of_stock(&t);
    assert_eq!(stored_rows(&path), 600);
    assert_eq!(t.event_count(), 600);

    // The same events again are duplicates (read back from the store).
    let again = t.record_batch(batch).unwrap();
    assert!(again.iter().all(|r| r.duplicate));
    // An event twice in one large batch: the second is a duplicate of the first.
    let mut twice: Vec<Event> = (0..300).map(|i| ship(i, "1")).collect();
    twice.push(ship(7, "1"));
    let rec = t.record_batch(twice).unwrap();
    assert!(rec[300].duplicate && rec[300].seq == rec[7].seq);
    assert_eq!(stored_rows(&path), 900);
    drop(t);
    let t = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(t.event_count(), 900);
}

#[test]
fn a_large_batch_in_memory_is_stored_whole_or_not_at_all() {
    let t = Tracker::in_memory();
    let rec = t.record_batch((0..600).map(receipt).collect()).unwrap();
    assert_eq!(rec[599].seq, 600);
    refuse_a_batch_short_of_stock(&t);
    assert_eq!(t.last_seq(), 600);
    // The next batch takes the numbers the failed one did not keep, and each
    // row is the event it was made from.
    let ships: Vec<Event> = (0..600).map(|i| ship(i, "4")).collect();
    let rec = t.record_batch(ships.clone()).unwrap();
    assert_eq!(rec[0].seq, 601);
    assert_eq!(t.last_seq(), 1200);
    assert_eq!(t.event(&ships[321].event_id).unwrap(), ships[321]);
}

#[test]
fn a_stale_tracker_streams_after_catching_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.lottrack");
    let a = Tracker::open_sqlite(&path).unwrap();
    let b = Tracker::open_sqlite(&path).unwrap();
    a.record(receipt(9999)).unwrap();
    // B has not seen A's event: its streamed append meets a moved log, catches
    // up and validates again.
    let rec = b.record_batch((0..300).map(receipt).collect()).unwrap();
    assert_eq!(rec[0].seq, 2);
    assert_eq!(b.event_count(), 301);
    assert_eq!(stored_rows(&path), 301);
}

/// A store that writes rows as they come and fails at row `fail_at` of a
/// streamed append (nothing of that batch kept), like a disk filling up.
struct Failing {
    inner: MemoryStore,
    fail_at: usize,
    streamed: usize,
    /// Panic at `fail_at` instead of returning an error (a bug in a store).
    panics: bool,
}

impl EventStore for Failing {
    fn append(&mut self, expected_last_seq: u64, events: &[NewEvent]) -> Result<u64> {
        self.inner.append(expected_last_seq, events)
    }
    fn append_streamed(
        &mut self,
        expected_last_seq: u64,
        next: &mut dyn FnMut(Vec<NewEvent>) -> Result<Option<Vec<NewEvent>>>,
    ) -> Result<u64> {
        self.streamed += 1;
        let mut rows = Vec::new();
        let mut spent = Vec::new();
        while let Some(chunk) = next(spent)? {
            for r in &chunk {
                if rows.len() == self.fail_at && self.panics {
                    panic!("a store bug at row {}", rows.len());
                }
                if rows.len() == self.fail_at {
                    return Err(Error::Storage {
                        message: format!("disk full at row {}", rows.len()),
                    });
                }
                rows.push(r.clone());
            }
            spent = chunk;
        }
        self.inner.append_owned(expected_last_seq, rows)
    }
    fn read_from(
        &mut self,
        after_seq: u64,
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        self.inner.read_from(after_seq, visit)
    }
    fn last_seq(&mut self) -> Result<u64> {
        self.inner.last_seq()
    }
    fn describe(&self) -> String {
        "failing".into()
    }
}

#[test]
fn a_writer_failing_mid_stream_stores_nothing_and_changes_nothing() {
    let t = Tracker::open(Failing {
        inner: MemoryStore::new(),
        fail_at: 150,
        streamed: 0,
        panics: false,
    })
    .unwrap();
    t.record(receipt(0)).unwrap();
    let before = answers(&t);
    let err = t.record_batch((1..400).map(receipt).collect()).unwrap_err();
    assert_eq!(err.to_string(), "storage error: disk full at row 150");
    assert_eq!(t.event_count(), 1);
    assert_eq!(answers(&t), before);
    assert!(t.lot(&lottrack_core::LotKey::new("spinach", "L1")).is_err());
    // A small batch is not streamed (the failing row is never reached) and is
    // stored.
    t.record_batch((1..50).map(receipt).collect()).unwrap();
    assert_eq!(t.event_count(), 50);
}

#[test]
fn a_store_panicking_mid_stream_stores_nothing_and_the_tracker_goes_on() {
    let t = Tracker::open(Failing {
        inner: MemoryStore::new(),
        fail_at: 150,
        streamed: 0,
        panics: true,
    })
    .unwrap();
    t.record(receipt(0)).unwrap();
    let before = answers(&t);
    let err = t.record_batch((1..400).map(receipt).collect()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "storage error: the writing thread panicked; nothing was stored"
    );
    assert_eq!(t.event_count(), 1);
    assert_eq!(answers(&t), before);
    // The store came back from the writing thread: the tracker records and
    // reads as before, a second large batch included (the thread survived).
    t.record_batch((1..100).map(receipt).collect()).unwrap();
    assert_eq!(t.event_count(), 100);
    assert_eq!(t.event("R99").unwrap().event_id, "R99");
    let err = t
        .record_batch((100..400).map(receipt).collect())
        .unwrap_err();
    assert!(err.to_string().contains("panicked"), "{err}");
    assert_eq!(t.event_count(), 100);
}

/// Receipts and shipments that carry documents (shipment 7 twice in its batch,
/// the second time amid the others).
fn documented_batches() -> (Vec<Event>, Vec<Event>) {
    let receipts = (0..300)
        .map(|i| receipt(i).with_document("po", &format!("PO-{i}")))
        .collect();
    let mut ships: Vec<Event> = (0..300)
        .map(|i| {
            let s = ship(i, "4").with_document("bol", &format!("B-{i}"));
            if i % 3 == 0 {
                s.with_document("inv", &format!("I-{i}"))
            } else {
                s
            }
        })
        .collect();
    let again = ships[7].clone();
    ships.insert(150, again);
    (receipts, ships)
}

/// What the reports say about lots `L0..L299`, documents included.
fn documented_answers(t: &Tracker) -> Vec<String> {
    let o = lottrack_core::TraceOptions::default();
    (0..300)
        .map(|i| {
            let k = lottrack_core::LotKey::new("spinach", &format!("L{i}"));
            format!(
                "{} {}",
                t.trace_forward(&k, &o).unwrap().to_json(),
                t.recall(&[k], &o).unwrap().to_json()
            )
        })
        .collect()
}

#[test]
fn a_streamed_batch_keeps_every_events_documents() {
    let (receipts, ships) = documented_batches();
    // One event at a time: never streamed.
    let one_by_one = Tracker::in_memory();
    for ev in receipts.iter().chain(&ships) {
        one_by_one.record(ev.clone()).unwrap();
    }
    let want = documented_answers(&one_by_one);
    let o = lottrack_core::TraceOptions::default();
    let k = lottrack_core::LotKey::new("spinach", "L123");
    let tr = one_by_one.trace_forward(&k, &o).unwrap();
    let docs: Vec<&str> = tr.shipments[0].documents.iter().map(|d| &*d.id).collect();
    assert_eq!(docs, ["B-123", "I-123"]);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docs.lottrack");
    for t in [Tracker::in_memory(), Tracker::open_sqlite(&path).unwrap()] {
        t.record_batch(receipts.clone()).unwrap();
        let rec = t.record_batch(ships.clone()).unwrap();
        assert!(rec[150].duplicate && !rec[151].duplicate);
        assert_eq!(rec[150].seq, rec[7].seq);
        assert_eq!(rec[151].seq, rec[149].seq + 1);
        assert_eq!(rec[300].seq, 600);
        assert_eq!(documented_answers(&t), want);
        // The stored rows keep them too.
        assert_eq!(t.event("S123").unwrap(), ships[123]);
        assert_eq!(t.event("S200").unwrap(), ships[201]);
    }
    // Read back from the file: the same.
    let reopened = Tracker::open_sqlite(&path).unwrap();
    assert_eq!(documented_answers(&reopened), want);
}
