//! The reopen target at full size: streams the generated chain (default 6.2 M
//! lots, about 10 M events; `LOTTRACK_BENCH_SCALE`) into a SQLite store in batches
//! of 1 000, without holding the events in memory, closes it, then times
//! `Tracker::open_sqlite` `ROUNDS` times (default 1). Before closing, the writing
//! tracker saves a checkpoint of its index (`Tracker::write_checkpoint`), so each
//! reopen loads it; with `REPLAY=1` the checkpoint is moved aside first and the
//! reopen replays the whole log (read, parse, apply). The store lives in a
//! temporary directory (`REOPEN_DIR` to choose where: it takes about 4 GB at 10 M
//! events, and the checkpoint about as much again). Prints the peak resident
//! memory of the process.
//!
//! `cargo run --release -p lottrack-benches --example reopen_probe`

#![allow(missing_docs, clippy::unwrap_used)]

use std::time::Instant;

use lottrack_benches::generator::{self, Config};
use lottrack_core::Tracker;

fn peak_rss_gib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / (1024.0 * 1024.0))
}

fn main() {
    let lots = generator::scale_from_env(6_200_000);
    let rounds = generator::rounds_from_env(1);
    let dir = match std::env::var("REOPEN_DIR") {
        Ok(d) => tempfile::tempdir_in(d).unwrap(),
        Err(_) => tempfile::tempdir().unwrap(),
    };
    let path = dir.path().join("reopen.lottrack");
    let t0 = Instant::now();
    let events = {
        let t = Tracker::open_sqlite(&path).unwrap();
        let mut batch = Vec::with_capacity(1000);
        let mut n = 0usize;
        generator::generate(&Config::new(lots), &mut |ev| {
            batch.push(ev);
            if batch.len() == 1000 {
                n += batch.len();
                t.record_batch(std::mem::replace(&mut batch, Vec::with_capacity(1000)))
                    .unwrap();
            }
        });
        n += batch.len();
        if !batch.is_empty() {
            t.record_batch(batch).unwrap();
        }
        assert_eq!(t.event_count(), n);
        let t1 = Instant::now();
        let cp = t.write_checkpoint().unwrap();
        println!(
            "checkpoint written in {:.1} s: {:.2} GB",
            t1.elapsed().as_secs_f64(),
            cp.bytes as f64 / 1e9
        );
        n
    };
    let replay = std::env::var("REPLAY").is_ok_and(|v| v == "1");
    if replay {
        let mut cp = path.clone().into_os_string();
        cp.push(".checkpoint");
        std::fs::remove_file(&cp).unwrap();
    }
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "{events} events generated and recorded in {:.1} s; store {:.2} GB; peak RSS {:.1} GiB",
        t0.elapsed().as_secs_f64(),
        bytes as f64 / 1e9,
        peak_rss_gib()
    );
    for _ in 0..rounds {
        let t0 = Instant::now();
        let t = Tracker::open_sqlite(&path).unwrap();
        let el = t0.elapsed().as_secs_f64();
        assert_eq!(t.event_count(), events);
        let info = t.open_info();
        println!(
            "reopen: {events} events in {el:.1} s ({:.0} k ev/s); checkpoint {:?}, {} replayed; peak RSS {:.1} GiB",
            events as f64 / el / 1e3,
            info.checkpoint_seq,
            info.replayed,
            peak_rss_gib()
        );
        let t0 = Instant::now();
        drop(t);
        println!(
            "  dropping the tracker: {:.1} s",
            t0.elapsed().as_secs_f64()
        );
    }
}
