//! The recall report from roots of several reach sizes, and the mass balance of a
//! retail pack and of a bulk lot with many movements.
//!
//! `LOTTRACK_BENCH_SCALE=10k|100k|1m` (default 100k lots); the target is
//! the 1m run's largest root (about 100 k lots reached) in ≤ 100 ms. `ids/…` is the
//! lean recall (`Tracker::recall_ids`), `ids_first_customer/…` it plus one
//! customer's rows (`Tracker::recall_customer`).

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use lottrack_benches::generator::{self, layer, scale_label};
use lottrack_core::{TraceOptions, Tracker};

fn recall(c: &mut Criterion) {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let (chain, events) = (&data.0, &data.1);
    let t = Tracker::in_memory();
    for chunk in events.chunks(1000) {
        t.record_batch(chunk.to_vec()).unwrap();
    }
    let opts = TraceOptions::default();
    let label = scale_label(lots);

    let mut g = c.benchmark_group(format!("recall/{label}"));
    g.sample_size(10);
    let fwd = chain.csr_forward();
    for r in chain.pick_roots(&fwd, &[30, 3_000, 100_000]) {
        let keys = [chain.key(r.lot)];
        g.bench_function(format!("report/reach_{}", r.reach), |b| {
            b.iter(|| t.recall(&keys, &opts).unwrap())
        });
        // The lean recall (lots, customers and shipments by index), and it plus
        // naming one customer's shipments, as a lazily built report does.
        g.bench_function(format!("ids/reach_{}", r.reach), |b| {
            b.iter(|| t.recall_ids(&keys, &opts).unwrap())
        });
        g.bench_function(format!("ids_first_customer/reach_{}", r.reach), |b| {
            b.iter(|| {
                let ids = t.recall_ids(&keys, &opts).unwrap();
                t.recall_customer(&ids, 0).unwrap()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group(format!("mass_balance/{label}"));
    let pick = |l: u8| {
        (0..chain.lots() as u32)
            .rev()
            .find(|&i| chain.lot_layer[i as usize] == l)
            .unwrap()
    };
    for (name, lot) in [
        ("pack", pick(layer::PACK)),
        ("bulk", pick(layer::BULK)),
        ("raw", pick(layer::RAW)),
    ] {
        let key = chain.key(lot);
        g.bench_function(name, |b| b.iter(|| t.mass_balance(&key).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, recall);
criterion_main!(benches);
