//! An index from keys to record numbers that stores only the numbers and 32 bits
//! of each key's hash: the key itself is read from the records (a lot's key from
//! its ledger record, an event id from its event record) when a lookup needs to
//! compare it. Eight bytes per entry instead of a copy or shared pointer of the
//! key beside the number; and since the table keeps the hash bits, growing it
//! moves entries without reading a single record or key (reading them back,
//! two cache misses an entry, was most of the cost of an insert).

use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;

/// Record numbers, found by the hash of their key and a comparison the caller
/// gives (foldhash, with a random seed per index as in [`crate::hashing`]).
/// An entry is `hash32 << 32 | record`.
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    table: HashTable<u64>,
    hasher: foldhash::fast::RandomState,
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdIndex")
            .field("len", &self.table.len())
            .finish()
    }
}

/// The table's hash of a key whose hash bits are `h`: the 32 bits the entry
/// keeps, in both halves (hashbrown takes the bucket from the low bits and the
/// tag it compares first from the top seven).
#[inline]
fn spread(h: u32) -> u64 {
    (u64::from(h) << 32) | u64::from(h)
}

/// The hash bits an entry keeps.
#[inline]
fn bits(entry: u64) -> u32 {
    (entry >> 32) as u32
}

/// The entry of record `n` whose key has hash bits `h`.
#[inline]
fn entry(h: u32, n: u32) -> u64 {
    (u64::from(h) << 32) | u64::from(n)
}

/// The record number of an entry.
#[inline]
fn record(entry: u64) -> u32 {
    entry as u32
}

impl IdIndex {
    /// An empty index with room for `n` records.
    pub(crate) fn with_capacity(n: usize) -> Self {
        IdIndex {
            table: HashTable::with_capacity(n),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    /// The 32 hash bits of `key`.
    #[inline]
    fn hash<K: Hash + ?Sized>(&self, key: &K) -> u32 {
        (self.hasher.hash_one(key) >> 32) as u32
    }

    /// The record whose key is `key`: `is` tells whether record `n` has it.
    pub(crate) fn find<K: Hash + ?Sized>(&self, key: &K, is: impl Fn(u32) -> bool) -> Option<u32> {
        let h = self.hash(key);
        self.table
            .find(spread(h), |&e| bits(e) == h && is(record(e)))
            .map(|&e| record(e))
    }

    /// Adds record `n`, which must not be in the index yet; `key_of(n)` is its key.
    pub(crate) fn insert<K: Hash>(&mut self, n: u32, key_of: impl Fn(u32) -> K) {
        let h = self.hash(&key_of(n));
        self.table
            .insert_unique(spread(h), entry(h, n), |&e| spread(bits(e)));
    }

    /// Removes the record whose key is `key`; whether there was one.
    pub(crate) fn remove<K: Hash + ?Sized>(&mut self, key: &K, is: impl Fn(u32) -> bool) -> bool {
        let h = self.hash(key);
        match self
            .table
            .find_entry(spread(h), |&e| bits(e) == h && is(record(e)))
        {
            Ok(entry) => {
                entry.remove();
                true
            }
            Err(_) => false,
        }
    }

    /// How many records it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_the_records_keys() {
        let names: Vec<String> = (0..1000).map(|i| format!("E{i}")).collect();
        let mut ix = IdIndex::default();
        for n in 0..1000u32 {
            ix.insert(n, |m| names[m as usize].as_str());
        }
        assert_eq!(ix.len(), 1000);
        let find = |ix: &IdIndex, k: &str| ix.find(k, |n| names[n as usize] == k);
        assert_eq!(find(&ix, "E517"), Some(517));
        assert_eq!(find(&ix, "E1000"), None);
        assert!(ix.remove("E517", |n| names[n as usize] == "E517"));
        assert!(!ix.remove("E517", |n| names[n as usize] == "E517"));
        assert_eq!(find(&ix, "E517"), None);
        assert_eq!(find(&ix, "E999"), Some(999));
        // A pair of strings hashes as the pair, whatever owns it.
        let pairs: Vec<(String, String)> = vec![("p".into(), "l".into())];
        let mut ix = IdIndex::default();
        ix.insert(0, |m| {
            let (a, b) = &pairs[m as usize];
            (a.as_str(), b.as_str())
        });
        assert_eq!(ix.find(&("p", "l"), |n| n == 0), Some(0));
    }
}
