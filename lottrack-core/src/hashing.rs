//! The hash maps of the in-memory index (lot keys, event ids, interned names).
//!
//! They use foldhash, several times faster than the standard library's SipHash on
//! short keys such as lot codes and event ids, where hashing and rehashing were
//! a quarter of ingest. Each map draws a random seed (`foldhash::fast::RandomState`),
//! which keeps a fixed set of colliding keys from being prepared in advance; it is
//! not a cryptographic defence, which an index of a company's own events does not
//! need.

/// A `HashMap` with foldhash's per-map random seed.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_map() {
        let mut m: FastMap<String, u32> = FastMap::default();
        m.insert("L-1".into(), 1);
        m.insert("L-2".into(), 2);
        assert_eq!(m.get("L-1"), Some(&1));
        assert_eq!(m.insert("L-1".into(), 3), Some(1));
        assert_eq!(m.len(), 2);
    }
}
