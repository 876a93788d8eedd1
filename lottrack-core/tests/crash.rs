//! Crash test of the SQLite store: a child process appends events in a loop and
//! prints the id of every event the tracker acknowledged; the test kills it with
//! SIGKILL at pseudo-random moments, many times, and after each kill reopens the
//! file and checks that it opens cleanly, that every acknowledged event is there,
//! that batches are all-or-nothing and that the log is gap-free. Every round goes on
//! appending to the same file.
//!
//! The child is this test binary itself: [`crash_writer_child`] does nothing unless
//! `LOTTRACK_CRASH_WRITER_DB` is set, and the parent runs only that test in the
//! child (`--exact crash_writer_child`), so no extra binary is needed.
//!
//! `LOTTRACK_CRASH_ROUNDS` (default 25) and `LOTTRACK_CRASH_SEED` change the number
//! of kills and the kill times.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lottrack_core::{Event, LotQty, Tracker, parse_time};

const DB_VAR: &str = "LOTTRACK_CRASH_WRITER_DB";
const ROUND_VAR: &str = "LOTTRACK_CRASH_WRITER_ROUND";
/// Prefix of the lines the child prints for acknowledged events.
const ACK: &str = "ACK ";
/// The line the child prints once it has opened the store.
const OPENED: &str = "OPENED";
/// A child that is never killed stops by itself after this long.
const CHILD_LIFETIME: Duration = Duration::from_secs(20);

/// A tiny deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn line(product: &str, lot: &str, q: &str) -> LotQty {
    LotQty::new(product, lot, q, "kg").unwrap()
}

/// Event ids encode their batch: `R{round}-{step}-{index}of{size}`.
fn id(round: u64, step: u64, index: usize, size: usize) -> String {
    format!("R{round}-{step}-{index}of{size}")
}

/// The child: appends forever (single events and small batches: receipts,
/// transforms, ships), printing each acknowledged id and flushing after each line.
#[test]
fn crash_writer_child() {
    let Ok(db) = std::env::var(DB_VAR) else {
        return; // Only a child spawned by the crash test does anything.
    };
    let round: u64 = std::env::var(ROUND_VAR).unwrap().parse().unwrap();
    let t = Tracker::open_sqlite(&db).unwrap();
    println!("{OPENED}");
    let time = parse_time("2026-03-01T08:00:00Z").unwrap();
    let mut rng = Rng(round.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let out = std::io::stdout();
    let started = Instant::now();
    let mut step = 0u64;
    while started.elapsed() < CHILD_LIFETIME {
        step += 1;
        // Lots of this round only, so that every round starts from known stock.
        let raw = format!("R{round}-raw-{step}");
        let events = match rng.below(3) {
            0 => vec![Event::receive(
                time,
                "plant",
                line("grain", &raw, "100"),
                Some("farm"),
            )],
            1 => {
                // Receive, mill part of it, ship part of the flour.
                let flour = format!("R{round}-flour-{step}");
                vec![
                    Event::receive(time, "plant", line("grain", &raw, "100"), Some("farm")),
                    Event::transform(
                        time,
                        "plant",
                        vec![line("grain", &raw, "60")],
                        vec![line("flour", &flour, "50")],
                    ),
                    Event::ship(time, "plant", line("flour", &flour, "20"), "bakery"),
                ]
            }
            _ => {
                // A batch of 2–5 receipts.
                let n = 2 + rng.below(4);
                (0..n)
                    .map(|i| {
                        let lot = format!("{raw}-{i}");
                        Event::receive(time, "plant", line("grain", &lot, "10"), Some("farm"))
                    })
                    .collect()
            }
        };
        let size = events.len();
        let events: Vec<Event> = events
            .into_iter()
            .enumerate()
            .map(|(i, e)| e.with_id(&id(round, step, i, size)))
            .collect();
        let ids: Vec<String> = events.iter().map(|e| e.event_id.clone()).collect();
        if size == 1 {
            t.record(events.into_iter().next().unwrap()).unwrap();
        } else {
            t.record_batch(events).unwrap();
        }
        let mut out = out.lock();
        for id in ids {
            writeln!(out, "{ACK}{id}").unwrap();
        }
        out.flush().unwrap();
    }
}

/// Reopens the file and checks it against everything acknowledged so far.
fn check(path: &Path, acked: &BTreeSet<String>) -> usize {
    let t = Tracker::open_sqlite(path)
        .unwrap_or_else(|e| panic!("the store does not reopen after SIGKILL: {e}"));
    let events = t.events();
    let seqs: Vec<u64> = events.iter().map(|(s, _, _)| *s).collect();
    assert_eq!(
        seqs,
        (1..=events.len() as u64).collect::<Vec<_>>(),
        "gap-free log"
    );
    let stored: BTreeSet<String> = events.iter().map(|(_, e, _)| e.event_id.clone()).collect();
    let lost: Vec<&String> = acked.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged events lost: {lost:?}");
    // Batches are all-or-nothing.
    let mut batches: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for id in &stored {
        let (batch, of) = id.rsplit_once('-').unwrap();
        let size: usize = of.split_once("of").unwrap().1.parse().unwrap();
        let e = batches.entry(batch).or_insert((0, size));
        e.0 += 1;
    }
    for (batch, (n, size)) in batches {
        assert_eq!(n, size, "batch {batch} is partly stored");
    }
    // The engine agrees with itself: every lot's mass balance closes.
    for (_, e, _) in &events {
        if let lottrack_core::EventBody::Receive { item, .. } = &e.body {
            assert!(t.mass_balance(&item.key()).unwrap().closes());
        }
    }
    drop(t);
    // SQLite's own check of the file.
    let c = rusqlite::Connection::open(path).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    events.len()
}

#[test]
fn sigkill_never_loses_an_acknowledged_event() {
    let rounds: u64 = std::env::var("LOTTRACK_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(25);
    let seed: u64 = std::env::var("LOTTRACK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_CAFE);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.lottrack");
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng(seed | 1);
    let mut acked = BTreeSet::new();
    let started = Instant::now();
    let mut stored = 0;
    let mut rounds_with_acks = 0;
    for round in 0..rounds {
        let wait = Duration::from_millis(5 + rng.below(76));
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_VAR, &path)
            .env(ROUND_VAR, round.to_string())
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (opened_tx, opened) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut acks = Vec::new();
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                // libtest may have printed `test crash_writer_child ... ` first.
                if l.ends_with(OPENED) {
                    let _ = opened_tx.send(());
                } else if let Some(id) = l.strip_prefix(ACK) {
                    acks.push(id.to_string());
                }
            }
            acks
        });
        // Most kills hit the append loop (the clock starts when the child has
        // opened the store); every fifth one may also hit the start-up: opening,
        // creating the file, replaying.
        let during_startup = round % 5 == 4;
        if !during_startup {
            opened
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|e| {
                    panic!("round {round}: the writer did not open the store: {e}")
                });
        }
        std::thread::sleep(wait);
        let exited_early = child.try_wait().unwrap();
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(
            exited_early.is_none(),
            "round {round}: the writer exited by itself ({status}): {stderr}"
        );
        let new = reader.join().unwrap();
        if !new.is_empty() {
            rounds_with_acks += 1;
        }
        acked.extend(new);
        stored = check(&path, &acked);
        assert!(stored >= acked.len());
    }
    eprintln!(
        "crash test: {rounds} SIGKILLs, {} acknowledged events ({rounds_with_acks} rounds with acks), \
         {stored} stored, {:.1} s",
        acked.len(),
        started.elapsed().as_secs_f64()
    );
    // Most kills must have hit the append loop, or the test proves little.
    assert!(
        rounds_with_acks * 3 >= rounds,
        "only {rounds_with_acks} of {rounds} rounds acknowledged an append before the kill"
    );
}
