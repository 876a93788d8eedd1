//! Interning: names (products, locations, parties, containers) mapped to dense
//! integer indices, so strings never sit on the hot path.

use crate::hashing::FastMap;
use std::sync::Arc;

/// A string table handing out dense `u32` ids in first-seen order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    ids: FastMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

impl Interner {
    /// The id of `name`, if it was interned.
    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// The id of `name`, interning it if new.
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        let arc: Arc<str> = Arc::from(name);
        self.names.push(arc.clone());
        self.ids.insert(arc, id);
        id
    }

    /// Number of names.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// Forgets the names interned after the first `len` (a rolled-back batch
    /// interned them).
    pub(crate) fn truncate(&mut self, len: usize) {
        for name in self.names.drain(len.min(self.names.len())..) {
            self.ids.remove(&name);
        }
    }

    /// The name of `id`.
    pub(crate) fn name(&self, id: u32) -> &Arc<str> {
        &self.names[id as usize]
    }
}

/// The checkpoint form (`checkpoint.rs`): the names in id order.
impl crate::checkpoint::codec::Put for Interner {
    fn put(&self, w: &mut crate::checkpoint::codec::Writer<'_>) {
        w.put_list(&self.names);
    }
}

impl crate::checkpoint::codec::Get for Interner {
    fn get(r: &mut crate::checkpoint::codec::Reader<'_>) -> crate::checkpoint::codec::Got<Self> {
        let names: Vec<Arc<str>> = r.get_list("names")?;
        let mut ids = FastMap::default();
        ids.reserve(names.len());
        for (i, n) in names.iter().enumerate() {
            if ids.insert(n.clone(), i as u32).is_some() {
                return Err(crate::checkpoint::codec::corrupt(format!(
                    "the name `{n}` is interned twice"
                )));
            }
        }
        Ok(Interner { ids, names })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_stable() {
        let mut i = Interner::default();
        assert_eq!(i.intern("a"), 0);
        assert_eq!(i.intern("b"), 1);
        assert_eq!(i.intern("a"), 0);
        assert_eq!(i.get("b"), Some(1));
        assert_eq!(i.get("c"), None);
        assert_eq!(&**i.name(1), "b");
    }
}
