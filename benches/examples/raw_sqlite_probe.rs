//! SQLite alone, without lottrack: the generated chain's rows (event id, a
//! recorded time, the event's JSON) inserted with rusqlite into a table of the
//! store's schema, in transactions of 1 000 rows, `ROUNDS` times (default 3).
//! Prints rows per second, the insert time per row and the commit time per
//! batch: the rate SQLite itself allows the writing thread of a batch.
//!
//! Settings from the environment: `SYNC` (`FULL`, the default, or `NORMAL`),
//! `PAGE` (page size, default 8192 as in the store), `UNIQUE=0` (no unique
//! index on `event_id`), `CKPT` (SQLite's automatic checkpoint threshold in
//! pages, default 1000; 0 turns it off). Scale: `LOTTRACK_BENCH_SCALE`.
//!
//! `cargo run --release -p lottrack-benches --example raw_sqlite_probe`

#![allow(missing_docs, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use lottrack_benches::generator;
use rusqlite::{Connection, TransactionBehavior};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let rows: Vec<(String, String)> = data
        .1
        .iter()
        .map(|e| (e.event_id.clone(), e.to_json()))
        .collect();
    let page: u32 = env_or("PAGE", 8192);
    let sync: String = env_or("SYNC", "FULL".to_string());
    let unique = env_or("UNIQUE", 1) == 1;
    let ckpt: i64 = env_or("CKPT", 1000);
    let recorded_at = "2026-12-06T15:52:46.123456Z";
    for _ in 0..generator::rounds_from_env(3) {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Connection::open(dir.path().join("raw.db")).unwrap();
        c.pragma_update(None, "page_size", page).unwrap();
        c.pragma_update(None, "cache_size", -65_536).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.pragma_update(None, "synchronous", &sync).unwrap();
        c.pragma_update(None, "wal_autocheckpoint", ckpt).unwrap();
        c.execute_batch(&format!(
            "CREATE TABLE events(seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL {}, \
             recorded_at TEXT NOT NULL, json TEXT NOT NULL)",
            if unique { "UNIQUE" } else { "" }
        ))
        .unwrap();
        let (mut inserting, mut committing) = (Duration::ZERO, Duration::ZERO);
        let t0 = Instant::now();
        let mut seq = 0i64;
        let batches = rows.chunks(1000).len();
        for chunk in rows.chunks(1000) {
            let t1 = Instant::now();
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .unwrap();
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO events(seq, event_id, recorded_at, json) VALUES (?1, ?2, ?3, ?4)",
                    )
                    .unwrap();
                for (id, json) in chunk {
                    seq += 1;
                    insert.execute((seq, id, recorded_at, json)).unwrap();
                }
            }
            let t2 = Instant::now();
            tx.commit().unwrap();
            inserting += t2 - t1;
            committing += t2.elapsed();
        }
        let el = t0.elapsed().as_secs_f64();
        println!(
            "{} rows in {:.1} ms: {:.0} rows/s; insert {:.2} µs a row, commit {:.2} ms a batch \
             (SYNC={sync} PAGE={page} UNIQUE={} CKPT={ckpt})",
            rows.len(),
            el * 1e3,
            rows.len() as f64 / el,
            inserting.as_secs_f64() / rows.len() as f64 * 1e6,
            committing.as_secs_f64() / batches as f64 * 1e3,
            u8::from(unique),
        );
    }
}
