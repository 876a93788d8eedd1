//! An append-only table of records in fixed-size chunks, for the index's
//! largest tables (events, lots, links): growing it never moves a record.
//!
//! A `Vec` that outgrows its room allocates twice the room and copies every
//! record into it: at a million events that is a copy of ~100 MB and fresh
//! pages for all of it, and for a moment the old and new arrays (three times
//! the records) are held at once. Here a full chunk stays where it is and the
//! next record starts a new one; only the first chunk grows as a `Vec` does,
//! so a small index stays small. A record is found by its number in two
//! steps: the chunk (`n >> CHUNK_BITS`), then the place in it.

use std::ops::{Index, IndexMut};

/// Records per chunk, as a power of two (16 384: ~1.5 MB of event records).
const CHUNK_BITS: u32 = 14;
const CHUNK: usize = 1 << CHUNK_BITS;
const MASK: usize = CHUNK - 1;

/// Records by number, `0..len()`, in chunks of [`CHUNK`] (the last one
/// partly filled).
#[derive(Clone)]
pub(crate) struct Table<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> Table<T> {
    /// How many records it holds.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Adds a record as number `len()`.
    #[inline]
    pub(crate) fn push(&mut self, v: T) {
        match self.chunks.get_mut(self.len >> CHUNK_BITS) {
            Some(chunk) => chunk.push(v),
            _ => {
                // The first chunk starts small and grows; the others are
                // allocated whole, once.
                let mut c = if self.chunks.is_empty() {
                    Vec::new()
                } else {
                    Vec::with_capacity(CHUNK)
                };
                c.push(v);
                self.chunks.push(c);
            }
        }
        self.len += 1;
    }

    /// Takes the last record off. A chunk it empties is kept for the next
    /// record (a refused batch's undo, then the next batch, need not free and
    /// allocate it again).
    pub(crate) fn pop(&mut self) -> Option<T> {
        let n = self.len.checked_sub(1)?;
        let v = self.chunks.get_mut(n >> CHUNK_BITS)?.pop()?;
        self.len = n;
        if self.chunks.len() > (n >> CHUNK_BITS) + 2 {
            // Never more than one empty chunk past the one the next record
            // goes into.
            self.chunks.pop();
        }
        v.into()
    }

    /// Record `n`, if there is one.
    #[inline]
    pub(crate) fn get(&self, n: usize) -> Option<&T> {
        self.chunks.get(n >> CHUNK_BITS)?.get(n & MASK)
    }

    /// The last record.
    pub(crate) fn last(&self) -> Option<&T> {
        self.get(self.len.checked_sub(1)?)
    }

    /// The records in order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.chunks.iter().flatten()
    }

    /// The records in order, to change.
    pub(crate) fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut T> {
        self.chunks.iter_mut().flatten()
    }

    /// Gives back the room the last chunk keeps for growth (and an empty
    /// chunk past the last record).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.chunks.truncate(self.len.div_ceil(CHUNK));
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
        self.chunks.shrink_to_fit();
    }
}

impl<T> FromIterator<T> for Table<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut t = Table::default();
        iter.into_iter().for_each(|v| t.push(v));
        t
    }
}

impl<T> Index<usize> for Table<T> {
    type Output = T;

    /// Record `n`; panics when there is none, as a slice does (the index's
    /// own record numbers, never a caller's).
    #[inline]
    fn index(&self, n: usize) -> &T {
        &self.chunks[n >> CHUNK_BITS][n & MASK]
    }
}

impl<T> IndexMut<usize> for Table<T> {
    #[inline]
    fn index_mut(&mut self, n: usize) -> &mut T {
        &mut self.chunks[n >> CHUNK_BITS][n & MASK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_numbers_and_places_across_chunks() {
        let mut t: Table<u64> = Table::default();
        assert!(t.len() == 0 && t.last().is_none() && t.get(0).is_none());
        let n = 2 * CHUNK + 5;
        for i in 0..n as u64 {
            t.push(i * 3);
        }
        assert_eq!(t.len(), n);
        assert_eq!(t.chunks.len(), 3);
        // A full chunk never moves: its records stay at the same address.
        let first = &t[0] as *const u64;
        let second = &t[CHUNK] as *const u64;
        for i in 0..CHUNK as u64 {
            t.push(i);
        }
        assert_eq!(&t[0] as *const u64, first);
        assert_eq!(&t[CHUNK] as *const u64, second);
        assert_eq!(t[CHUNK - 1], (CHUNK as u64 - 1) * 3);
        assert_eq!(t[CHUNK], CHUNK as u64 * 3);
        assert_eq!(t.get(n - 1), Some(&((n as u64 - 1) * 3)));
        assert_eq!(t.get(t.len()), None);
        t[7] = 1;
        t[CHUNK + 1] = 2;
        assert_eq!((t[7], t[CHUNK + 1]), (1, 2));
        assert_eq!(t.iter().count(), t.len());
        assert_eq!(t.iter().nth(CHUNK + 1), Some(&2));
        assert_eq!(t.iter().next_back(), Some(&(CHUNK as u64 - 1)));
    }

    #[test]
    fn popping_empties_chunks_and_pushing_refills_them() {
        let mut t: Table<u32> = (0..CHUNK as u32 + 1).collect();
        assert_eq!(t.chunks.len(), 2);
        assert_eq!(t.pop(), Some(CHUNK as u32));
        // The emptied chunk is kept for the next record.
        assert_eq!(t.chunks.len(), 2);
        assert_eq!(t.last(), Some(&(CHUNK as u32 - 1)));
        assert_eq!(t.get(CHUNK), None);
        t.push(9);
        assert_eq!((t.len(), t[CHUNK]), (CHUNK + 1, 9));
        assert_eq!(t.chunks.len(), 2);
        t.pop();
        t.pop();
        assert_eq!((t.len(), t.chunks.len()), (CHUNK - 1, 2));
        t.shrink_to_fit();
        assert_eq!(t.chunks.len(), 1);
        while t.pop().is_some() {}
        assert!(t.len() == 0 && t.last().is_none());
        assert!(t.chunks.len() <= 1);
        assert_eq!(t.pop(), None);
        t.push(4);
        assert_eq!(t.iter().copied().collect::<Vec<_>>(), vec![4]);
        t.iter_mut().for_each(|v| *v += 1);
        t.shrink_to_fit();
        assert_eq!(t[0], 5);
    }
}
