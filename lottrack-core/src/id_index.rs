//! An index from keys to record numbers that stores only the numbers: the key of
//! each entry is read from the records themselves (a lot's key from its ledger
//! record, an event id from its event record) when the table needs it. Four bytes
//! per entry instead of a copy or shared pointer of the key beside the number.

use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;

/// Record numbers, found by the hash of their key and a comparison the caller
/// gives (foldhash, with a random seed per index as in [`crate::hashing`]).
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    table: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdIndex")
            .field("len", &self.table.len())
            .finish()
    }
}

impl IdIndex {
    /// An empty index with room for `n` records.
    pub(crate) fn with_capacity(n: usize) -> Self {
        IdIndex {
            table: HashTable::with_capacity(n),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    /// The record whose key is `key`: `is` tells whether record `n` has it.
    pub(crate) fn find<K: Hash + ?Sized>(&self, key: &K, is: impl Fn(u32) -> bool) -> Option<u32> {
        self.table
            .find(self.hasher.hash_one(key), |&n| is(n))
            .copied()
    }

    /// Adds record `n`, which must not be in the index yet; `key_of` gives the key
    /// of any record in it (`n` included).
    pub(crate) fn insert<K: Hash>(&mut self, n: u32, key_of: impl Fn(u32) -> K) {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(key_of(n));
        self.table
            .insert_unique(hash, n, |&m| hasher.hash_one(key_of(m)));
    }

    /// Removes the record whose key is `key`; whether there was one.
    pub(crate) fn remove<K: Hash + ?Sized>(&mut self, key: &K, is: impl Fn(u32) -> bool) -> bool {
        match self.table.find_entry(self.hasher.hash_one(key), |&n| is(n)) {
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
