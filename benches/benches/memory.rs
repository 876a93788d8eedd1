//! Heap per lot, counted by a counting global allocator (requested bytes of live
//! allocations; the allocator's own per-block overhead comes on top).
//!
//! Three figures: an in-memory tracker (index + the memory store's log), a tracker
//! reopened over a SQLite store (the index alone; the log stays on disk), and the
//! bare ingest baseline's index (`lottrack_benches::bare_ingest`: the floor, what
//! an index that only answers traces and balances holds). "Beyond
//! strings" subtracts one copy of the strings a lot and its events necessarily
//! carry: product and lot code of every lot, the id of every event.
//!
//! `LOTTRACK_BENCH_SCALE=10k|100k|1m|10m` (default 100k lots). Not a criterion
//! suite: it prints one table.

#![allow(missing_docs, clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use lottrack_benches::generator::{self, Config, scale_label};
use lottrack_core::{Event, Tracker};

struct Counting;

static BYTES: AtomicIsize = AtomicIsize::new(0);
static BLOCKS: AtomicIsize = AtomicIsize::new(0);

// SAFETY: delegates to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        BYTES.fetch_add(l.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        BYTES.fetch_sub(l.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        BYTES.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn heap() -> (isize, isize) {
    (
        BYTES.load(Ordering::Relaxed),
        BLOCKS.load(Ordering::Relaxed),
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list`: nothing to list
    }
    let lots = generator::scale_from_env(100_000);
    let cfg = Config::new(lots);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.lottrack");

    // In memory: generate straight into the tracker so only the tracker stays.
    let (b0, k0) = heap();
    let t = Tracker::in_memory();
    let mut strings = 0usize;
    let mut batch: Vec<Event> = Vec::with_capacity(1000);
    let chain = {
        let sqlite = Tracker::open_sqlite(&path).unwrap();
        let mut sq_batch: Vec<Event> = Vec::with_capacity(1000);
        let chain = generator::generate(&cfg, &mut |ev| {
            strings += ev.event_id.len();
            sq_batch.push(ev.clone());
            batch.push(ev);
            if batch.len() == 1000 {
                t.record_batch(std::mem::take(&mut batch)).unwrap();
                sqlite.record_batch(std::mem::take(&mut sq_batch)).unwrap();
            }
        });
        t.record_batch(std::mem::take(&mut batch)).unwrap();
        sqlite.record_batch(sq_batch).unwrap();
        chain
    };
    for i in 0..chain.lots() as u32 {
        strings += chain.product(i).len() + chain.lot_code(i).len();
    }
    let n = chain.lots();
    let events = chain.events;
    drop(chain);
    drop(batch);
    let (b1, k1) = heap();
    let mem_bytes = b1 - b0;
    let mem_blocks = k1 - k0;

    // Reopened over SQLite: the index alone.
    drop(t);
    let (b2, k2) = heap();
    let t = Tracker::open_sqlite(&path).unwrap();
    let (b3, k3) = heap();
    assert_eq!(t.event_count(), events);
    let sq_bytes = b3 - b2;
    let sq_blocks = k3 - k2;

    drop(t);

    // The bare baseline's index over the same events.
    let (b4, k4) = heap();
    let (chain, evs) = generator::generate_vec(&cfg);
    assert_eq!(chain.lots(), n);
    drop(chain);
    let bare = lottrack_benches::bare_ingest::ingest(evs, 1000).unwrap();
    let (b5, k5) = heap();
    let bare_bytes = b5 - b4;
    let bare_blocks = k5 - k4;
    drop(bare);

    let per = |b: isize| b as f64 / n as f64;
    println!("memory/{}: {n} lots, {events} events", scale_label(lots));
    println!(
        "  strings (product + lot code per lot, event ids): {:.1} bytes/lot",
        strings as f64 / n as f64
    );
    println!(
        "  in-memory tracker: {:.1} bytes/lot heap ({:.1} beyond strings), {:.2} blocks/lot",
        per(mem_bytes),
        per(mem_bytes - strings as isize),
        mem_blocks as f64 / n as f64
    );
    println!(
        "  SQLite tracker, index only: {:.1} bytes/lot heap ({:.1} beyond strings), {:.2} blocks/lot",
        per(sq_bytes),
        per(sq_bytes - strings as isize),
        sq_blocks as f64 / n as f64
    );
    println!(
        "  bare baseline's index: {:.1} bytes/lot heap ({:.1} beyond strings), {:.2} blocks/lot",
        per(bare_bytes),
        per(bare_bytes - strings as isize),
        bare_blocks as f64 / n as f64
    );
}
