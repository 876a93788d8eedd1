//! Crash test of the SQLite store: a child process appends events in a loop and
//! prints the id of every event the tracker acknowledged; the test kills it with
//! SIGKILL at pseudo-random moments, many times, and after each kill reopens the
//! file and checks that it opens cleanly, that every acknowledged event is there,
//! that batches are all-or-nothing and that the log is gap-free. Every round goes on
//! appending to the same file; every third round two writer processes append
//! concurrently. A second test kills writers while they create a new file.
//!
//! The child is this test binary itself: [`crash_writer_child`] does nothing unless
//! `LOTTRACK_CRASH_WRITER_DB` is set, and the parent runs only that test in the
//! child (`--exact crash_writer_child`), so no extra binary is needed.
//!
//! `LOTTRACK_CRASH_ROUNDS` (default 25), `LOTTRACK_CRASH_CREATE_ROUNDS` (default 20)
//! and `LOTTRACK_CRASH_SEED` change the number of kills and the kill times.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;
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
fn check(path: &Path, acked: &BTreeSet<String>, tags: &[u64]) -> usize {
    let t = Tracker::open_sqlite(path)
        .unwrap_or_else(|e| panic!("the store does not reopen after SIGKILL: {e}"));
    let events = t.events().expect("events");
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
    // The engine agrees with itself: the mass balance of every lot of this round
    // closes.
    let this_round: Vec<String> = tags.iter().map(|t| format!("R{t}-")).collect();
    for (_, e, _) in &events {
        if !this_round.iter().any(|p| e.event_id.starts_with(p)) {
            continue;
        }
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

/// One writer child, its stdout read by a thread.
struct Writer {
    child: Child,
    opened: Receiver<()>,
    reader: JoinHandle<Vec<String>>,
}

impl Writer {
    /// Starts a writer appending to `path` events of round (writer tag) `tag`.
    fn spawn(path: &Path, tag: u64) -> Writer {
        // `/proc/self/exe` still names this binary when a concurrent build has
        // replaced the file meanwhile.
        let exe = Path::new("/proc/self/exe");
        let exe = if exe.exists() {
            exe.to_path_buf()
        } else {
            std::env::current_exe().unwrap()
        };
        let mut child = Command::new(exe)
            .args([
                "--exact",
                "crash_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_VAR, path)
            .env(ROUND_VAR, tag.to_string())
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
        Writer {
            child,
            opened,
            reader,
        }
    }

    /// Waits until the writer has opened the store.
    fn wait_opened(&self) {
        self.opened
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("the writer did not open the store: {e}"));
    }

    /// SIGKILLs the writer; returns the ids it acknowledged.
    fn kill(mut self) -> Vec<String> {
        let exited_early = self.child.try_wait().unwrap();
        self.child.kill().unwrap(); // SIGKILL on Unix
        let status = self.child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut self.child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(
            exited_early.is_none(),
            "the writer exited by itself ({status}): {stderr}"
        );
        self.reader.join().unwrap()
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn sigkill_never_loses_an_acknowledged_event() {
    let rounds = env_u64("LOTTRACK_CRASH_ROUNDS", 25);
    let mut rng = Rng(env_u64("LOTTRACK_CRASH_SEED", 0x5EED_CAFE) | 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.lottrack");
    let mut acked = BTreeSet::new();
    let started = Instant::now();
    let mut stored = 0;
    let mut rounds_with_acks = 0;
    for round in 0..rounds {
        let wait = Duration::from_millis(5 + rng.below(76));
        // Every third round, two processes append concurrently (each catching up
        // on the other's events when its append conflicts).
        let mut tags = vec![round];
        if round % 3 == 2 {
            tags.push(round + 1_000_000);
        }
        let writers: Vec<Writer> = tags.iter().map(|&tag| Writer::spawn(&path, tag)).collect();
        // Most kills hit the append loop (the clock starts when the writers have
        // opened the store); every fifth one may also hit the start-up: opening,
        // replaying.
        if round % 5 != 4 {
            for w in &writers {
                w.wait_opened();
            }
        }
        std::thread::sleep(wait);
        let new: Vec<String> = writers.into_iter().flat_map(Writer::kill).collect();
        if !new.is_empty() {
            rounds_with_acks += 1;
        }
        acked.extend(new);
        stored = check(&path, &acked, &tags);
        assert!(stored >= acked.len());
    }
    eprintln!(
        "crash test: {rounds} rounds of SIGKILL, {} acknowledged events ({rounds_with_acks} rounds with acks), \
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

/// Kills writers while they create and initialise a new file: whatever is left
/// behind (no file, an empty file, a file with a hot journal, a store) opens.
#[test]
fn sigkill_while_creating_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // How long a writer takes to start and open a new store on this machine.
    let probe = dir.path().join("probe.lottrack");
    let t0 = Instant::now();
    let w = Writer::spawn(&probe, 0);
    w.wait_opened();
    let startup = t0.elapsed();
    w.kill();
    let mut rng = Rng(env_u64("LOTTRACK_CRASH_SEED", 0x5EED_CAFE) | 1);
    let mut outcomes: BTreeMap<&str, u32> = BTreeMap::new();
    for i in 0..env_u64("LOTTRACK_CRASH_CREATE_ROUNDS", 20) {
        let path = dir.path().join(format!("new-{i}.lottrack"));
        let span = startup.as_micros() as u64 * 3 / 2;
        let wait = Duration::from_micros(rng.below(span.max(1)));
        let w = Writer::spawn(&path, i);
        std::thread::sleep(wait);
        let acked: BTreeSet<String> = w.kill().into_iter().collect();
        let journal = dir.path().join(format!("new-{i}.lottrack-journal"));
        let hot_journal = std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0);
        let outcome = match std::fs::metadata(&path) {
            Err(_) => "no file",
            Ok(_) if hot_journal => "a file with a hot journal",
            Ok(m) if m.len() == 0 => "empty file",
            Ok(_) => "a database",
        };
        *outcomes.entry(outcome).or_default() += 1;
        if outcome != "no file" {
            check(&path, &acked, &[i]);
            // And it goes on as a store.
            let t = Tracker::open_sqlite(&path).unwrap();
            let time = parse_time("2026-03-01T08:00:00Z").unwrap();
            let ev = Event::receive(time, "plant", line("grain", "after", "1"), None)
                .with_id("after-0of1");
            t.record(ev).unwrap();
        }
    }
    eprintln!("killed while creating (start-up takes {startup:?}): {outcomes:?}");
}
