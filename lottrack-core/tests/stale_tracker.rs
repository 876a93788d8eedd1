//! A tracker behind a shared store catches up before refusing an event: another
//! writer may have received the lot or the stock it takes.

use lottrack_core::{LotKey, Tracker};

#[test]
fn a_stale_tracker_catches_up_instead_of_refusing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shared.db");
    let a = Tracker::open_sqlite(&path).expect("a");
    let b = Tracker::open_sqlite(&path).expect("b");
    a.record_json(r#"{"event_id":"R1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"plant","product":"salt","lot":"L1","quantity":"10","uom":"kg"}"#)
        .expect("a receives");
    // B never saw R1: it must catch up rather than answer "unknown product".
    b.record_json(r#"{"event_id":"S1","kind":"ship","time":"2026-03-02T08:00:00Z","location":"plant","product":"salt","lot":"L1","quantity":"4","uom":"kg","customer":"c"}"#)
        .expect("b ships after catching up");
    a.record_json(r#"{"event_id":"A1","kind":"adjust","time":"2026-03-03T08:00:00Z","location":"plant","product":"salt","lot":"L1","quantity":"5","uom":"kg"}"#)
        .expect("a finds 5 kg");
    // B thinks 6 kg are left; the log says 11.
    b.record_json(r#"{"event_id":"S2","kind":"ship","time":"2026-03-04T08:00:00Z","location":"plant","product":"salt","lot":"L1","quantity":"11","uom":"kg","customer":"c"}"#)
        .expect("b ships all 11 kg");
    // A real shortage is still refused, with the up-to-date figure.
    let e = b
        .record_json(r#"{"event_id":"S3","kind":"ship","time":"2026-03-05T08:00:00Z","location":"plant","product":"salt","lot":"L1","quantity":"1","uom":"kg","customer":"c"}"#)
        .expect_err("nothing left");
    assert_eq!(
        e.to_string(),
        "event S3: takes 1 kg of lot (`salt`, `L1`) at `plant` but only 0 kg is on hand"
    );
    a.sync().expect("sync");
    let mb = a.mass_balance(&LotKey::new("salt", "L1")).expect("mb");
    assert_eq!(
        (mb.shipped.to_string(), mb.on_hand.to_string()),
        ("15".to_string(), "0".to_string())
    );
}
