//! Reopening a SQLite store, split into its stages, for profiling and A/B runs:
//! builds a store holding the generated chain (default 100 k lots;
//! `LOTTRACK_BENCH_SCALE`) in a temporary directory, then times, `ROUNDS` times
//! (default 3): parsing every event's JSON alone (`Event::from_json`), and the
//! whole `Tracker::open_sqlite` (read, parse on the second thread, apply).
//!
//! `cargo run --release -p lottrack-benches --example replay_probe`

#![allow(missing_docs, clippy::unwrap_used)]

use std::time::Instant;

use lottrack_benches::generator;
use lottrack_core::{Event, Tracker};

fn main() {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let events = &data.1;
    let rounds = generator::rounds_from_env(3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.lottrack");
    {
        let t = Tracker::open_sqlite(&path).unwrap();
        for chunk in events.chunks(1000) {
            t.record_batch(chunk.to_vec()).unwrap();
        }
    }
    let jsons: Vec<String> = events.iter().map(|e| e.to_json()).collect();
    let n = events.len() as f64;
    for _ in 0..rounds {
        let t0 = Instant::now();
        let mut kinds = 0usize;
        for j in &jsons {
            kinds += Event::from_json(j).unwrap().body.kind().len();
        }
        let parse = t0.elapsed().as_secs_f64();
        let t0 = Instant::now();
        let t = Tracker::open_sqlite(&path).unwrap();
        let open = t0.elapsed().as_secs_f64();
        assert_eq!(t.event_count(), events.len());
        println!(
            "{} events: parse alone {:.0} ms ({:.0} k ev/s), open + replay {:.0} ms ({:.0} k ev/s) [{kinds}]",
            events.len(),
            parse * 1e3,
            n / parse / 1e3,
            open * 1e3,
            n / open / 1e3,
        );
        drop(t);
    }
}
