//! Heap allocations per event of typed in-memory ingest, counted by a counting
//! global allocator: by every thread, by the calling (validating) thread alone,
//! and the blocks the caller's events themselves hold (which the tracker frees).
//! Records the generated chain (default 100 k lots; `LOTTRACK_BENCH_SCALE`) in
//! batches of 1 000 once.
//!
//! `cargo run --release -p lottrack-benches --example alloc_probe`

#![allow(missing_docs, clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use lottrack_benches::generator;
use lottrack_core::Tracker;

/// Allocations, frees and reallocations: of all threads, and of this thread.
static ALL: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];
thread_local! {
    static MINE: Cell<[usize; 3]> = const { Cell::new([0; 3]) };
}

fn count(kind: usize) {
    ALL[kind].fetch_add(1, Ordering::Relaxed);
    // A thread being torn down has no counter left: only the total counts it.
    let _ = MINE.try_with(|c| {
        let mut v = c.get();
        v[kind] += 1;
        c.set(v);
    });
}

struct Counting;

// SAFETY: delegates to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        count(0);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        count(1);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        count(2);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn all() -> [usize; 3] {
    [0, 1, 2].map(|k| ALL[k].load(Ordering::Relaxed))
}

fn mine() -> [usize; 3] {
    MINE.with(|c| c.get())
}

fn per_event(what: &str, before: [usize; 3], after: [usize; 3], n: f64) {
    let d = |k: usize| (after[k] - before[k]) as f64 / n;
    println!(
        "{what}: {:.2} allocations, {:.2} frees, {:.2} reallocations an event",
        d(0),
        d(1),
        d(2)
    );
}

fn main() {
    let lots = generator::scale_from_env(100_000);
    let data = generator::cached(lots);
    let events = &data.1;
    let n = events.len() as f64;

    let own0 = mine();
    let evs = events.clone();
    per_event("the caller's events (cloned)", own0, mine(), n);

    let (all0, own0) = (all(), mine());
    let t = Tracker::in_memory();
    lottrack_benches::record_in_batches(&t, evs, 1000);
    let (all1, own1) = (all(), mine());
    per_event("recording, all threads", all0, all1, n);
    per_event("recording, the calling thread", own0, own1, n);
    drop(t);
}
