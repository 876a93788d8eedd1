//! Ingest into an in-memory tracker: typed events one by one, typed batches of
//! 1 000, the JSON form one by one and as JSON arrays of 1 000
//! (`Tracker::record_batch_json`, what C's `lt_record_batch_json` runs) (events/s),
//! and the same typed batches taken by the bare ingest baseline
//! (`lottrack_benches::bare_ingest`), the floor typed batches are measured against:
//! alone, keeping a log of the events' JSON as the memory store does, and keeping
//! the events themselves as the log.
//!
//! `LOTTRACK_BENCH_SCALE=10k|100k|1m` (default 100k lots).

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use lottrack_benches::bare_ingest::{Log, ingest_with_log};
use lottrack_benches::generator::{self, scale_label};
use lottrack_core::Tracker;

fn ingest(c: &mut Criterion) {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let events = &data.1;
    let json: Vec<String> = events.iter().map(|e| e.to_json()).collect();
    let arrays: Vec<String> = json
        .chunks(1000)
        .map(|c| format!("[{}]", c.join(",")))
        .collect();
    let mut g = c.benchmark_group(format!("ingest_memory/{}", scale_label(lots)));
    g.sample_size(10);
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("typed_record", |b| {
        b.iter_batched(
            || events.clone(),
            |evs| {
                let t = Tracker::in_memory();
                for e in evs {
                    t.record(e).unwrap();
                }
                t
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("typed_batch_1000", |b| {
        b.iter_batched(
            || events.clone(),
            |evs| {
                let t = Tracker::in_memory();
                lottrack_benches::record_in_batches(&t, evs, 1000);
                t
            },
            BatchSize::PerIteration,
        )
    });
    // The floor: the same events taken by the bare baseline (no checks, no
    // store), what is left of them freed on a second thread as the tracker does,
    // and all on one thread.
    g.bench_function("bare_baseline_batch_1000", |b| {
        b.iter_batched(
            || events.clone(),
            |evs| lottrack_benches::bare_ingest::ingest(evs, 1000).unwrap(),
            BatchSize::PerIteration,
        )
    });
    // The floor with the log an in-memory tracker keeps, on a second thread,
    // each batch logged before the next: the events' JSON, as the memory store
    // keeps it, and the events themselves, the cheapest log there is.
    g.bench_function("bare_baseline_json_log", |b| {
        b.iter_batched(
            || events.clone(),
            |evs| ingest_with_log(evs, 1000, Log::Json(Vec::new())).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("bare_baseline_event_log", |b| {
        b.iter_batched(
            || events.clone(),
            |evs| ingest_with_log(evs, 1000, Log::Events(Vec::new())).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("bare_baseline_one_thread", |b| {
        b.iter_batched(
            || events.clone(),
            |evs| lottrack_benches::bare_ingest::ingest_one_thread(evs, 1000).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("json_record", |b| {
        b.iter_batched(
            Tracker::in_memory,
            |t| {
                for j in &json {
                    t.record_json(j).unwrap();
                }
                t
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("json_batch_1000", |b| {
        b.iter_batched(
            Tracker::in_memory,
            |t| {
                for a in &arrays {
                    t.record_batch_json(a).unwrap();
                }
                t
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
