//! Warming the shared names of report rows before their reference counts change.
//!
//! A report row clones names (`Arc<str>`) that sit in scattered cache lines of
//! the index. A clone is a locked increment, and x86 runs no later load past a
//! locked instruction: built one by one, every row waits for its names' misses in
//! turn. Rows are therefore built in batches of [`BATCH`]: the batch's counts are
//! first read with plain loads, which the CPU overlaps, then changed in cache.

use std::sync::Arc;

/// Rows warmed, then built (or dropped), at a time.
pub(crate) const BATCH: usize = 32;

/// Reads the line holding `a`'s counts (a relaxed load: a plain `mov`).
#[inline]
pub(crate) fn touch<T: ?Sized>(a: &Arc<T>) -> usize {
    Arc::strong_count(a)
}

/// Hands the sum of touched counts to the optimizer as used, so the loads stay.
#[inline]
pub(crate) fn keep(sum: usize) {
    std::hint::black_box(sum);
}

/// Empties `v` from its end, [`BATCH`] rows at a time, each batch warmed by
/// `warm` (which touches what dropping a row writes) before it is dropped.
pub(crate) fn drop_batched<T>(v: &mut Vec<T>, warm: impl Fn(&T) -> usize) {
    while !v.is_empty() {
        let from = v.len().saturating_sub(BATCH);
        keep(v[from..].iter().map(&warm).sum());
        v.truncate(from);
    }
}
