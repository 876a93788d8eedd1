//! Forward and backward traces at several reach sizes: the full result
//! (`trace_forward`), the lean one (`trace_forward_ids`) and, for scale, the bare
//! CSR walk over the same graph.
//!
//! `LOTTRACK_BENCH_SCALE=10k|100k|1m|10m` (default 100k lots).

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use lottrack_benches::Visited;
use lottrack_benches::generator::{self, scale_label};
use lottrack_core::{TraceOptions, Tracker};

fn trace(c: &mut Criterion) {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let (chain, events) = (&data.0, &data.1);
    let t = Tracker::in_memory();
    for chunk in events.chunks(1000) {
        t.record_batch(chunk.to_vec()).unwrap();
    }
    let opts = TraceOptions::default();
    let fwd = chain.csr_forward();
    let bwd = chain.csr_backward();
    let mut vis = Visited::default();
    let label = scale_label(lots);

    let mut g = c.benchmark_group(format!("trace_forward/{label}"));
    g.sample_size(20);
    for r in chain.forward_roots() {
        let key = chain.key(r.lot);
        g.bench_function(format!("csr_baseline/reach_{}", r.reach), |b| {
            b.iter(|| fwd.reach_count(r.lot, &mut vis))
        });
        g.bench_function(format!("ids/reach_{}", r.reach), |b| {
            b.iter(|| t.trace_forward_ids(&key, &opts).unwrap())
        });
        g.bench_function(format!("full/reach_{}", r.reach), |b| {
            b.iter(|| t.trace_forward(&key, &opts).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group(format!("trace_backward/{label}"));
    g.sample_size(20);
    for r in chain.pick_roots(&bwd, &[3, 30, 300, 3_000]) {
        let key = chain.key(r.lot);
        g.bench_function(format!("csr_baseline/reach_{}", r.reach), |b| {
            b.iter(|| bwd.reach_count(r.lot, &mut vis))
        });
        g.bench_function(format!("ids/reach_{}", r.reach), |b| {
            b.iter(|| t.trace_backward_ids(&key, &opts).unwrap())
        });
        g.bench_function(format!("full/reach_{}", r.reach), |b| {
            b.iter(|| t.trace_backward(&key, &opts).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, trace);
criterion_main!(benches);
