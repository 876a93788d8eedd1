//! A JSON array of events in the design's format reads back as the events it
//! was written from, and records as one atomic batch.
#![allow(clippy::unwrap_used)]

mod common;

use common::{all_kinds, answers};
use lottrack_core::{Event, Tracker};

#[test]
fn every_kind_round_trips_through_one_json_array() {
    let events = all_kinds();
    let array = format!(
        "[{}]",
        events
            .iter()
            .map(Event::to_json)
            .collect::<Vec<_>>()
            .join(",\n  ")
    );
    assert_eq!(Event::list_from_json(&array).unwrap(), events);

    // Recorded as one array or one by one: the same answers.
    let batch = Tracker::in_memory();
    let recorded = batch.record_batch_json(&array).unwrap();
    assert_eq!(recorded.len(), events.len());
    assert!(
        recorded
            .iter()
            .enumerate()
            .all(|(i, r)| r.seq == i as u64 + 1)
    );
    let singly = Tracker::in_memory();
    for e in events {
        singly.record(e).unwrap();
    }
    assert_eq!(answers(&batch), answers(&singly));
}
