//! The PostgreSQL store through the tracker (cargo feature `postgres`): a round
//! trip, two trackers racing to ship the last stock of a lot, a writer whose
//! append conflicts with an unrelated event, and large batches, whose store is
//! lent to the tracker's writing thread.
//!
//! These tests need a server: set `LOTTRACK_TEST_PG` to a DSN (see
//! `.ci/postgres-setup.sh`). Without it they print a message and pass, except under
//! `CI=true`, where a missing server is a failure. Each test works in a schema of
//! its own (`t_<name>_<pid>`), dropped at the end.
#![cfg(feature = "postgres")]
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Barrier;

use common::{answers, assert_every_kind, assert_sane, at, qty, record_all_kinds};
use lottrack_core::store::PostgresStore;
use lottrack_core::{Error, Event, LotKey, Tracker, TrackerOptions};

/// The test DSN, or `None` (test skipped) when unset outside CI.
fn test_dsn(test: &str) -> Option<String> {
    match std::env::var("LOTTRACK_TEST_PG") {
        Ok(dsn) if !dsn.trim().is_empty() => Some(dsn),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{test}: LOTTRACK_TEST_PG is not set but CI=true: PostgreSQL tests must run in CI"
            );
            eprintln!("skipping {test}: LOTTRACK_TEST_PG is not set (no PostgreSQL server)");
            None
        }
    }
}

/// A schema of one test's own, dropped (with its tables) when the test ends.
struct Schema {
    dsn: String,
    name: String,
}

impl Schema {
    fn new(dsn: &str, test: &str) -> Schema {
        let s = Schema {
            dsn: dsn.to_string(),
            name: format!("t_{test}_{}", std::process::id()),
        };
        s.drop_schema().unwrap();
        s
    }

    fn drop_schema(&self) -> Result<(), postgres::Error> {
        let mut c = postgres::Client::connect(&self.dsn, postgres::NoTls)?;
        c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name))
    }

    /// A tracker over the schema's log (a connection of its own, like another
    /// process or plant).
    fn tracker(&self) -> Tracker {
        self.tracker_with(TrackerOptions::default())
    }

    fn tracker_with(&self, options: TrackerOptions) -> Tracker {
        let store = PostgresStore::connect_with_schema(&self.dsn, &self.name).unwrap();
        Tracker::open_with(store, options).unwrap()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Err(e) = self.drop_schema() {
            eprintln!("cannot drop test schema {}: {e}", self.name);
        }
    }
}

fn receipt(id: &str, lot: &str, kg: &str, location: &str) -> Event {
    Event::receive(
        at("2026-03-01T08:00:00Z"),
        location,
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

/// The log as a fresh tracker replays it: gap-free sequence numbers.
fn assert_gap_free(t: &Tracker) {
    let seqs: Vec<u64> = t
        .events()
        .expect("events")
        .iter()
        .map(|(s, _, _)| *s)
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    assert_eq!(t.last_seq(), seqs.len() as u64);
}

#[test]
fn pg_tracker_round_trip() {
    let Some(dsn) = test_dsn("pg_tracker_round_trip") else {
        return;
    };
    let schema = Schema::new(&dsn, "round_trip");

    let reference = Tracker::in_memory();
    record_all_kinds(&reference);
    let expected = answers(&reference);

    let first = schema.tracker();
    record_all_kinds(&first);
    assert_every_kind(&first);
    assert_sane(&first);
    assert_eq!(answers(&first), expected);

    // A second tracker on the same log (another process) gives the same answers.
    let second = schema.tracker();
    assert_eq!(
        second.events().expect("events"),
        first.events().expect("events")
    );
    assert_sane(&second);
    assert_eq!(answers(&second), expected);
    assert_gap_free(&second);

    // It writes; the first sees that after sync(), and a third opening agrees.
    let late = Event::ship(
        at("2026-03-07T08:00:00+01:00"),
        "dc",
        qty("flour", "F1", "85", "kg"),
        "store-2",
    )
    .with_id("SH-late");
    let r = second.record(late).unwrap();
    assert_eq!(r.seq, first.last_seq() + 1);
    assert_eq!(first.sync().unwrap(), 1);
    assert_eq!(first.sync().unwrap(), 0);
    let after = answers(&second);
    assert_ne!(after, expected);
    assert_eq!(answers(&first), after);
    assert_eq!(answers(&schema.tracker()), after);
    assert!(
        first
            .on_hand(&LotKey::new("flour", "F1"))
            .unwrap()
            .iter()
            .all(|s| s.location != "dc")
    );
}

#[test]
fn pg_two_trackers_race_for_the_last_stock() {
    let Some(dsn) = test_dsn("pg_two_trackers_race_for_the_last_stock") else {
        return;
    };
    let schema = Schema::new(&dsn, "last_stock");
    // Only reads, and only at the end.
    let observer = schema.tracker();
    let receiver = schema.tracker();
    let racers = [schema.tracker(), schema.tracker()];
    let names = ["A", "B"];
    const ROUNDS: usize = 20;
    let mut wins = [0; 2];
    for round in 0..ROUNDS {
        let lot = format!("L{round}");
        receiver
            .record(receipt(&format!("R{round}"), &lot, "10", "plant"))
            .unwrap();
        for r in &racers {
            r.sync().unwrap();
        }
        let barrier = Barrier::new(2);
        let results: Vec<Result<_, Error>> = std::thread::scope(|s| {
            let handles: Vec<_> = racers
                .iter()
                .zip(names)
                .map(|(t, who)| {
                    let (barrier, lot) = (&barrier, &lot);
                    s.spawn(move || {
                        barrier.wait();
                        let shipped =
                            t.record(shipment(&format!("{who}-S{round}"), lot, "10", who));
                        // Then something unrelated, also behind the other racer.
                        t.record(receipt(
                            &format!("{who}-N{round}"),
                            &format!("{who}-N{round}"),
                            "1",
                            who,
                        ))
                        .unwrap();
                        shipped
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok: Vec<usize> = (0..2).filter(|&i| results[i].is_ok()).collect();
        assert_eq!(ok.len(), 1, "round {round}: {results:?}");
        let (winner, loser) = (ok[0], 1 - ok[0]);
        wins[winner] += 1;
        let err = results[loser].as_ref().unwrap_err();
        assert_eq!(err.kind_name(), "InsufficientStock", "round {round}: {err}");
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("`{lot}`")) && msg.contains("only 0 kg"),
            "{msg}"
        );
        // The loser caught up while retrying: it knows the winner's shipment.
        let winner_ship = format!("{}-S{round}", names[winner]);
        assert!(racers[loser].event(&winner_ship).is_ok());
    }
    eprintln!(
        "last-stock race on PostgreSQL: A won {}, B won {} of {ROUNDS}",
        wins[0], wins[1]
    );

    // A third tracker catches up on both writers' events (the receiver caught up
    // on most of them already, each time its own receipt conflicted).
    assert_eq!(receiver.sync().unwrap(), 3);
    assert_eq!(observer.event_count(), 0);
    assert_eq!(observer.sync().unwrap(), 4 * ROUNDS);
    for t in [&receiver, &observer] {
        for round in 0..ROUNDS {
            for who in names {
                assert!(t.event(&format!("{who}-N{round}")).is_ok());
            }
            let ships = names
                .iter()
                .filter(|who| t.event(&format!("{who}-S{round}")).is_ok())
                .count();
            assert_eq!(ships, 1, "round {round}");
        }
    }
    // The log is consistent: gap-free, every lot shipped exactly once, every
    // balance closes, and everyone agrees with a fresh replay.
    let fresh = schema.tracker();
    assert_gap_free(&fresh);
    assert_eq!(fresh.event_count(), 4 * ROUNDS);
    for r in &racers {
        r.sync().unwrap();
        assert_eq!(r.events().expect("events"), fresh.events().expect("events"));
    }
    assert_eq!(
        receiver.events().expect("events"),
        fresh.events().expect("events")
    );
    assert_eq!(
        observer.events().expect("events"),
        fresh.events().expect("events")
    );
    for round in 0..ROUNDS {
        let lot = LotKey::new("salt", &format!("L{round}"));
        let mb = fresh.mass_balance(&lot).unwrap();
        assert!(mb.closes(), "{mb:?}");
        assert_eq!(mb.shipped, mb.received, "{mb:?}");
        assert!(fresh.on_hand(&lot).unwrap().is_empty());
    }
    assert!(fresh.deficits().is_empty());
}

#[test]
fn pg_append_behind_an_unrelated_event_catches_up_and_succeeds() {
    let Some(dsn) = test_dsn("pg_append_behind_an_unrelated_event_catches_up_and_succeeds") else {
        return;
    };
    let schema = Schema::new(&dsn, "catch_up");
    let a = schema.tracker();
    let b = schema.tracker();

    a.record(receipt("A1", "LA", "10", "plant")).unwrap();
    // B has not seen A1: its append conflicts, it catches up, validates again and
    // retries after A1.
    assert_eq!(b.last_seq(), 0);
    let r = b.record(receipt("B1", "LB", "10", "plant")).unwrap();
    assert_eq!((r.seq, r.duplicate), (2, false));
    assert!(b.event("A1").is_ok());

    // A batch behind by several events: all of it lands, after them, in order.
    a.record_batch(vec![
        receipt("A2", "LA2", "1", "plant"),
        shipment("A3", "LA", "4", "c1"),
    ])
    .unwrap();
    a.record(shipment("A4", "LA", "1", "c1")).unwrap();
    let rs = b
        .record_batch(vec![
            shipment("B2", "LB", "3", "c2"),
            receipt("B3", "LB3", "2", "plant"),
            shipment("B4", "LB", "7", "c2"),
        ])
        .unwrap();
    assert_eq!(rs.iter().map(|r| r.seq).collect::<Vec<_>>(), [6, 7, 8]);
    assert_eq!(a.sync().unwrap(), 3); // A caught up B1 when its batch conflicted.
    assert_eq!(a.events().expect("events"), b.events().expect("events"));

    // The same event recorded by both trackers is stored once. (B's `duplicate`
    // flag is false here, unlike on SQLite: B's append expected the log to end at 8,
    // and the PostgreSQL store takes identical rows right after the expected
    // position for its own earlier, ambiguously committed attempt.)
    a.record(receipt("X", "LX", "2", "plant")).unwrap();
    let dup = b.record(receipt("X", "LX", "2", "plant")).unwrap();
    assert_eq!(dup.seq, 9);
    assert_eq!(b.last_seq(), 9);
    // The same when B is further behind: a conflict, a catch-up, a duplicate.
    a.record(receipt("X2", "LX2", "2", "plant")).unwrap();
    a.record(receipt("X3", "LX3", "2", "plant")).unwrap();
    let dup = b.record(receipt("X3", "LX3", "2", "plant")).unwrap();
    assert_eq!((dup.seq, dup.duplicate), (11, true));
    // A different payload under an id the other tracker used is refused.
    a.record(receipt("Y", "LY", "2", "plant")).unwrap();
    let err = b.record(receipt("Y", "LY", "3", "plant")).unwrap_err();
    assert_eq!(err.kind_name(), "DuplicateEvent", "{err}");

    // Without retries, the conflict itself is the (clear) error, and nothing is
    // stored.
    let c = schema.tracker_with(TrackerOptions {
        max_conflict_retries: 0,
        ..Default::default()
    });
    a.record(receipt("A5", "LA5", "1", "plant")).unwrap();
    let err = c.record(receipt("C1", "LC", "1", "plant")).unwrap_err();
    assert_eq!(err.kind_name(), "Conflict", "{err}");
    assert!(err.to_string().contains("store is at 13"), "{err}");
    assert_eq!(c.last_seq(), 12);
    c.sync().unwrap();
    assert!(c.event("C1").is_err());
    c.record(receipt("C1", "LC", "1", "plant")).unwrap();

    let fresh = schema.tracker();
    assert_gap_free(&fresh);
    assert_eq!(fresh.event_count(), 14);
    for lot in ["LA", "LB"] {
        let mb = fresh.mass_balance(&LotKey::new("salt", lot)).unwrap();
        assert!(mb.closes(), "{mb:?}");
    }
    assert!(
        fresh
            .on_hand(&LotKey::new("salt", "LB"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn pg_a_process_checkpoint_of_the_shared_log() {
    let Some(dsn) = test_dsn("pg_a_process_checkpoint_of_the_shared_log") else {
        return;
    };
    let schema = Schema::new(&dsn, "checkpoint");
    let dir = tempfile::tempdir().unwrap();
    let cp = dir.path().join("plant-1.checkpoint");
    let open = || {
        let store = PostgresStore::connect_with_schema(&dsn, &schema.name)
            .unwrap()
            .with_checkpoint(&cp);
        Tracker::open(store).unwrap()
    };
    let plant1 = open();
    record_all_kinds(&plant1);
    let n = plant1.event_count() as u64;
    assert_eq!(plant1.write_checkpoint().unwrap().seq, n);
    // Another plant appends; this process reopens from its checkpoint and
    // reads only that event from the server.
    let plant2 = schema.tracker();
    plant2.record(receipt("R-2", "S2", "50", "plant")).unwrap();
    drop(plant1);
    let plant1 = open();
    let info = plant1.open_info();
    assert_eq!((info.checkpoint_seq, info.replayed), (Some(n), 1));
    assert_eq!(answers(&plant1), answers(&plant2));
    assert_gap_free(&plant1);
    // Without the option there is no checkpoint to write.
    let err = plant2.write_checkpoint().unwrap_err();
    assert!(err.to_string().contains("keeps no checkpoint"), "{err}");
}

#[test]
fn pg_large_batches_stream_through_the_writing_thread() {
    let Some(dsn) = test_dsn("pg_large_batches_stream_through_the_writing_thread") else {
        return;
    };
    let schema = Schema::new(&dsn, "large_batches");
    let a = schema.tracker();
    let b = schema.tracker();
    // 300 events (streamed: the store goes to the writing thread and back).
    let receipts = |from: usize| -> Vec<Event> {
        (from..from + 300)
            .map(|i| receipt(&format!("R{i}"), &format!("L{i}"), "10", "plant"))
            .collect()
    };
    let r = a.record_batch(receipts(0)).unwrap();
    assert_eq!((r.len(), r[299].seq), (300, 300));

    // A large batch short of stock at its last event stores nothing.
    let before = answers(&a);
    let mut short = receipts(300);
    short.push(shipment("S-too-much", "L0", "11", "c1"));
    let err = a.record_batch(short).unwrap_err();
    assert!(err.to_string().contains("L0"), "{err}");
    assert_eq!((a.event_count(), a.last_seq()), (300, 300));
    assert_eq!(answers(&a), before);

    // B is behind by 300 events: its streamed append conflicts, it catches up
    // and streams again after them; then A catches up with B.
    let r = b.record_batch(receipts(600)).unwrap();
    assert_eq!((r[0].seq, r[299].seq), (301, 600));
    assert_eq!(a.sync().unwrap(), 300);
    assert_eq!(answers(&a), answers(&b));
    assert_gap_free(&schema.tracker());
}
