//! The recall target, split in its parts: building the report and dropping
//! it, for the root reaching ~100 k lots of the generated chain (default 1 M lots;
//! `LOTTRACK_BENCH_SCALE=10k|100k|1m`), next to the lean trace of the same root and
//! the lean recall (`Tracker::recall_ids`).
//!
//! `cargo run --release -p lottrack-benches --example recall_probe` (`ROUNDS=n`
//! for other than eight rounds)

#![allow(missing_docs, clippy::unwrap_used)]

use std::time::Instant;

use lottrack_benches::generator;
use lottrack_core::{TraceOptions, Tracker};

fn main() {
    let lots = generator::scale_from_env(1_000_000);
    let data = generator::cached(lots);
    let (chain, events) = (&data.0, &data.1);
    let t = Tracker::in_memory();
    for chunk in events.chunks(1000) {
        t.record_batch(chunk.to_vec()).unwrap();
    }
    let fwd = chain.csr_forward();
    let root = chain.pick_roots(&fwd, &[100_000])[0];
    let keys = [chain.key(root.lot)];
    let opts = TraceOptions::default();
    let rep = t.recall(&keys, &opts).unwrap();
    let shipments: usize = rep.customers.iter().map(|c| c.shipments.len()).sum();
    let on_hand: usize = rep.lots.iter().map(|l| l.on_hand.len()).sum();
    let (customers, n_lots) = (rep.customers.len(), rep.lots.len());
    drop(rep);
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(8);
    for _ in 0..rounds {
        // As criterion times it: built, then dropped untouched.
        let t0 = Instant::now();
        let rep = t.recall(&keys, &opts).unwrap();
        let build = t0.elapsed();
        let t1 = Instant::now();
        drop(std::hint::black_box(rep));
        let dropped = t1.elapsed();
        let t2 = Instant::now();
        let ids = t.trace_forward_ids(&keys[0], &opts).unwrap();
        let lean = t2.elapsed();
        let t3 = Instant::now();
        let rids = t.recall_ids(&keys, &opts).unwrap();
        let lean_recall = t3.elapsed();
        let t4 = Instant::now();
        drop(std::hint::black_box(rids));
        let lean_recall_drop = t4.elapsed();
        println!(
            "{n_lots} lots, {shipments} shipments to {customers} customers, {on_hand} stock lines: \
             report {:.1} ms = build {:.1} ms + drop {:.1} ms (lean trace of {} lots {:.2} ms; \
             lean recall {:.1} ms + drop {:.2} ms)",
            (build + dropped).as_secs_f64() * 1e3,
            build.as_secs_f64() * 1e3,
            dropped.as_secs_f64() * 1e3,
            ids.lots.len(),
            lean.as_secs_f64() * 1e3,
            lean_recall.as_secs_f64() * 1e3,
            lean_recall_drop.as_secs_f64() * 1e3,
        );
    }
}
