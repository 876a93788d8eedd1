//! Ingest into the SQLite store (single events, batches of 1 000, typed and as
//! JSON arrays), reopening a store by replaying its log or from its checkpoint,
//! and writing a checkpoint, in a temporary directory.
//!
//! `LOTTRACK_BENCH_SCALE=10k|100k|1m` (default 100k lots). Single-event appends
//! run on the first 300 (`synchronous=FULL`: one fsync each) or 2 000
//! (`synchronous=NORMAL`) events, each one transaction.

#![allow(missing_docs, clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use lottrack_benches::generator::{self, scale_label};
use lottrack_core::Tracker;
use lottrack_core::store::{SqliteOptions, SqliteStore, Synchronous};

static N: AtomicUsize = AtomicUsize::new(0);

fn fresh(dir: &std::path::Path, sync: Synchronous) -> Tracker {
    let p = dir.join(format!("s{}.lottrack", N.fetch_add(1, Ordering::Relaxed)));
    Tracker::open(SqliteStore::open_with(p, SqliteOptions { synchronous: sync }).unwrap()).unwrap()
}

fn sqlite(c: &mut Criterion) {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let events = &data.1;
    let dir = tempfile::tempdir().unwrap();
    let label = scale_label(lots);

    let mut g = c.benchmark_group(format!("ingest_sqlite/{label}"));
    g.sample_size(10);
    for (name, sync, n) in [
        ("single_full", Synchronous::Full, 300),
        ("single_normal", Synchronous::Normal, 2_000),
    ] {
        let single = &events[..n.min(events.len())];
        g.throughput(Throughput::Elements(single.len() as u64));
        g.bench_function(name, |b| {
            b.iter_batched(
                || (fresh(dir.path(), sync), single.to_vec()),
                |(t, evs)| {
                    for e in evs {
                        t.record(e).unwrap();
                    }
                    t
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.throughput(Throughput::Elements(events.len() as u64));
    for (name, sync) in [
        ("batch_1000_full", Synchronous::Full),
        ("batch_1000_normal", Synchronous::Normal),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || (fresh(dir.path(), sync), events.clone()),
                |(t, evs)| {
                    lottrack_benches::record_in_batches(&t, evs, 1000);
                    t
                },
                BatchSize::PerIteration,
            )
        });
    }
    // The same batches as JSON arrays (`lt_record_batch_json` from C).
    let arrays: Vec<String> = events
        .chunks(1000)
        .map(|c| {
            let rows: Vec<String> = c.iter().map(|e| e.to_json()).collect();
            format!("[{}]", rows.join(","))
        })
        .collect();
    g.bench_function("json_batch_1000_full", |b| {
        b.iter_batched(
            || fresh(dir.path(), Synchronous::Full),
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

    // Reopen: replay a store holding every event; load another one's checkpoint.
    let path = dir.path().join("reopen.lottrack");
    let checkpointed = dir.path().join("checkpointed.lottrack");
    for p in [&path, &checkpointed] {
        let t = Tracker::open_sqlite(p).unwrap();
        for chunk in events.chunks(1000) {
            t.record_batch(chunk.to_vec()).unwrap();
        }
        if p == &checkpointed {
            t.write_checkpoint().unwrap();
        }
    }
    let mut g = c.benchmark_group(format!("reopen_sqlite/{label}"));
    g.sample_size(10);
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("open_and_replay", |b| {
        b.iter(|| {
            let t = Tracker::open_sqlite(&path).unwrap();
            assert_eq!(t.event_count(), events.len());
            t
        })
    });
    g.bench_function("open_from_checkpoint", |b| {
        b.iter(|| {
            let t = Tracker::open_sqlite(&checkpointed).unwrap();
            assert_eq!(t.open_info().replayed, 0);
            assert_eq!(t.event_count(), events.len());
            t
        })
    });
    let t = Tracker::open_sqlite(&checkpointed).unwrap();
    g.bench_function("write_checkpoint", |b| {
        b.iter(|| t.write_checkpoint().unwrap())
    });
    g.finish();
}

criterion_group!(benches, sqlite);
criterion_main!(benches);
