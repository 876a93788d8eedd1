//! The threads a tracker runs in the background (the writing thread of large
//! batches, kept for the tracker's life; a SQLite store's WAL copier) stop when
//! the tracker is dropped: an application that opens and closes trackers all
//! day does not gather threads. Counted by name in `/proc/self/task`, so one
//! test in its own process (tests of a file share one).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod common;

use common::{at, qty};
use lottrack_core::{Event, Tracker};

fn receipts(from: usize, n: usize) -> Vec<Event> {
    (from..from + n)
        .map(|i| {
            Event::receive(
                at("2026-03-01T08:00:00Z"),
                "plant-1",
                qty("spinach", &format!("L{i}"), "10", "kg"),
                None,
            )
            .with_id(&format!("R{i}"))
        })
        .collect()
}

/// Threads of this process whose name starts with `prefix` (Linux keeps the
/// first 15 bytes of a name).
fn threads(prefix: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim_end().starts_with(prefix))
        .count()
}

#[test]
fn a_dropped_tracker_leaves_no_thread_behind() {
    let writers = || threads("lottrack-writer");
    let copiers = || threads("lottrack-wal");
    assert_eq!((writers(), copiers()), (0, 0));

    // Small batches need no writing thread; the first large one starts it and
    // the next ones use the same.
    let memory = Tracker::in_memory();
    memory.record_batch(receipts(0, 10)).unwrap();
    assert_eq!(writers(), 0);
    memory.record_batch(receipts(10, 300)).unwrap();
    memory.record_batch(receipts(310, 300)).unwrap();
    assert_eq!(writers(), 1);

    let dir = tempfile::tempdir().unwrap();
    let sqlite = Tracker::open_sqlite(dir.path().join("t.lottrack")).unwrap();
    assert_eq!(copiers(), 1);
    sqlite.record_batch(receipts(0, 300)).unwrap();
    assert_eq!((writers(), copiers()), (2, 1));

    drop(memory);
    assert_eq!(writers(), 1);
    drop(sqlite);
    assert_eq!((writers(), copiers()), (0, 0));

    // Reopened, the store holds every event of the large batch.
    let again = Tracker::open_sqlite(dir.path().join("t.lottrack")).unwrap();
    assert_eq!(again.event_count(), 300);
    drop(again);
    assert_eq!((writers(), copiers()), (0, 0));
}
