//! Typed in-memory ingest, timed alone (no criterion), for profiling:
//! `perf record -g target/release/examples/ingest_probe`. Records the generated
//! chain (default 100 k lots; `LOTTRACK_BENCH_SCALE`) in batches of 1 000, `ROUNDS`
//! times (default 5), and prints events per second of each round, then the
//! calling thread's CPU time and page faults (first touches of fresh memory)
//! and the whole process's page faults in the round. With
//! `STORE=sqlite` the tracker records into a fresh SQLite file (synchronous FULL)
//! in a temporary directory instead; `STORE=sqlite-normal` likewise with
//! synchronous NORMAL; `STORE=bare` times the bare ingest baseline
//! (`lottrack_benches::bare_ingest`) instead of a tracker, `STORE=bare-one` the
//! same on one thread, `STORE=bare-log` the same keeping a log of the events'
//! JSON made on a second thread (`bare_ingest::ingest_with_log`),
//! `STORE=bare-log-events` keeping the events themselves as the log. `BATCH`
//! sets the batch size (default 1 000).
//!
//! `cargo run --release -p lottrack-benches --example ingest_probe`

#![allow(missing_docs, clippy::unwrap_used)]

use std::time::Instant;

use lottrack_benches::generator;
use lottrack_core::Tracker;
use lottrack_core::store::{SqliteOptions, Synchronous};

fn main() {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let events = &data.1;
    let rounds = generator::rounds_from_env(5);
    let batch = std::env::var("BATCH")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(1000);
    for _ in 0..rounds {
        let evs = events.clone();
        let dir = tempfile::tempdir().unwrap();
        let store = std::env::var("STORE").unwrap_or_default();
        let cpu0 = cpu_seconds();
        let t0 = Instant::now();
        let path = dir.path().join("ingest.db");
        if store.starts_with("bare") {
            use lottrack_benches::bare_ingest::{self, Log};
            let ix = match store.as_str() {
                "bare-one" => bare_ingest::ingest_one_thread(evs, batch),
                "bare-log" => bare_ingest::ingest_with_log(evs, batch, Log::Json(Vec::new()))
                    .map(|(ix, _)| ix),
                "bare-log-events" => {
                    bare_ingest::ingest_with_log(evs, batch, Log::Events(Vec::new()))
                        .map(|(ix, _)| ix)
                }
                _ => bare_ingest::ingest(evs, batch),
            }
            .unwrap();
            report(events.len(), t0.elapsed(), cpu_seconds() - cpu0);
            drop(ix);
            continue;
        }
        let t = match store.as_str() {
            "sqlite" => Tracker::open_sqlite(&path).unwrap(),
            "sqlite-normal" => Tracker::open_sqlite_with(
                &path,
                SqliteOptions {
                    synchronous: Synchronous::Normal,
                },
                Default::default(),
            )
            .unwrap(),
            _ => Tracker::in_memory(),
        };
        let own0 = Stat::of("thread-self");
        let all0 = Stat::of("self");
        lottrack_benches::record_in_batches(&t, evs, batch);
        report(events.len(), t0.elapsed(), cpu_seconds() - cpu0);
        let (own, all) = (Stat::of("thread-self"), Stat::of("self"));
        println!(
            "  calling thread: cpu {:.0} ms, {} page faults; whole process: {} page faults",
            (own.cpu - own0.cpu) * 1e3,
            own.minflt - own0.minflt,
            all.minflt - all0.minflt
        );
        drop(t);
    }
}

fn report(events: usize, el: std::time::Duration, cpu: f64) {
    println!(
        "{} events in {:.1} ms: {:.0} ev/s, cpu {:.0} %",
        events,
        el.as_secs_f64() * 1e3,
        events as f64 / el.as_secs_f64(),
        cpu / el.as_secs_f64() * 100.0
    );
}

/// CPU seconds (user and system, clock ticks of 10 ms) and minor page faults
/// (first touches of fresh memory) so far, of `/proc/<who>/stat`: `self` for
/// the process, `thread-self` for the calling thread.
struct Stat {
    cpu: f64,
    minflt: u64,
}

impl Stat {
    fn of(who: &str) -> Stat {
        let stat = std::fs::read_to_string(format!("/proc/{who}/stat")).unwrap_or_default();
        // Fields after the command's closing parenthesis: minflt is the 10th
        // of the whole line, utime and stime the 14th and 15th.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<u64> = rest
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        let at = |i: usize| f.get(i).copied().unwrap_or(0);
        Stat {
            cpu: (at(11) + at(12)) as f64 / 100.0,
            minflt: at(7),
        }
    }
}

/// The process's user and system time so far, in seconds (`/proc/self/stat`,
/// clock ticks of 10 ms), to tell how busy the two cores were.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the
    // 14th and 15th of the whole line.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}
