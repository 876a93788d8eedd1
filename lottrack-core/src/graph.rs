//! The lot graph: lots are nodes, transform links are edges carrying quantities.
//!
//! The adjacency is laid out for traversal speed — per lot, a contiguous list of
//! (neighbour, edge) pairs in each direction — and exposes petgraph's visit traits
//! (`GraphBase`, `IntoNeighbors`, `IntoNeighborsDirected`, `Visitable`,
//! `NodeIndexable`), so petgraph's algorithms run over it unchanged. Traversals use
//! an epoch-stamped visited array borrowed from a pool: a query costs in proportion
//! to what it reaches, never to the size of the graph.

use std::sync::Mutex;

use petgraph::Direction;
use petgraph::visit::{
    GraphBase, IntoNeighbors, IntoNeighborsDirected, NodeCount, NodeIndexable, Visitable,
};
use rust_decimal::Decimal;

/// One transform link: `from` (an input lot) went into `to` (an output lot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub(crate) from: u32,
    pub(crate) to: u32,
    /// The transform event's index.
    pub(crate) event: u32,
    /// Event time as UTC milliseconds (for time-window and as-of filters).
    pub(crate) time_ms: i64,
    /// Quantity of `from` consumed by the event (base unit of its product).
    pub(crate) qty_in: Decimal,
    /// Quantity of `to` produced by the event (base unit of its product).
    pub(crate) qty_out: Decimal,
    pub(crate) live: bool,
}

/// A neighbour entry: the lot at the other end and the edge id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Adj {
    pub(crate) lot: u32,
    pub(crate) edge: u32,
}

/// Reusable traversal state: visited stamps, depths and a queue.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    epoch: u32,
    stamp: Vec<u32>,
    pub(crate) depth: Vec<u32>,
    pub(crate) queue: Vec<u32>,
}

impl Scratch {
    /// Starts a new traversal over `n` nodes (grows only when the graph did).
    pub(crate) fn begin(&mut self, n: usize) {
        if self.stamp.len() < n {
            self.stamp.resize(n, 0);
            self.depth.resize(n, 0);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.epoch = 1;
        }
        self.queue.clear();
    }

    /// Marks `n`; true when it was not yet visited in this traversal.
    #[inline]
    pub(crate) fn visit(&mut self, n: u32) -> bool {
        let s = &mut self.stamp[n as usize];
        if *s == self.epoch {
            false
        } else {
            *s = self.epoch;
            true
        }
    }
}

/// The lot graph.
#[derive(Debug, Default)]
pub(crate) struct LotGraph {
    pub(crate) fwd: Vec<Vec<Adj>>,
    pub(crate) bwd: Vec<Vec<Adj>>,
    pub(crate) edges: Vec<Edge>,
    pool: Mutex<Vec<Scratch>>,
}

impl Clone for LotGraph {
    fn clone(&self) -> Self {
        LotGraph {
            fwd: self.fwd.clone(),
            bwd: self.bwd.clone(),
            edges: self.edges.clone(),
            pool: Mutex::new(Vec::new()),
        }
    }
}

/// Which filter a traversal applies to edges.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct EdgeFilter {
    pub(crate) from_ms: Option<i64>,
    pub(crate) to_ms: Option<i64>,
}

impl EdgeFilter {
    #[inline]
    pub(crate) fn is_open(&self) -> bool {
        self.from_ms.is_none() && self.to_ms.is_none()
    }

    #[inline]
    pub(crate) fn admits(&self, t: i64) -> bool {
        self.from_ms.is_none_or(|f| t >= f) && self.to_ms.is_none_or(|e| t <= e)
    }
}

impl LotGraph {
    /// Makes room for lot `n`.
    pub(crate) fn ensure(&mut self, n: u32) {
        let need = n as usize + 1;
        if self.fwd.len() < need {
            self.fwd.resize_with(need, Vec::new);
            self.bwd.resize_with(need, Vec::new);
        }
    }

    /// Adds a live edge; returns its id.
    pub(crate) fn add_edge(&mut self, e: Edge) -> u32 {
        self.ensure(e.from.max(e.to));
        let id = self.edges.len() as u32;
        self.fwd[e.from as usize].push(Adj {
            lot: e.to,
            edge: id,
        });
        self.bwd[e.to as usize].push(Adj {
            lot: e.from,
            edge: id,
        });
        self.edges.push(e);
        id
    }

    /// Removes edge `id` from the adjacency (it stays in `edges`, not live).
    pub(crate) fn remove_edge(&mut self, id: u32) {
        let e = &mut self.edges[id as usize];
        if !e.live {
            return;
        }
        e.live = false;
        let (from, to) = (e.from as usize, e.to as usize);
        self.fwd[from].retain(|a| a.edge != id);
        self.bwd[to].retain(|a| a.edge != id);
    }

    /// Restores a removed edge.
    pub(crate) fn restore_edge(&mut self, id: u32) {
        let e = &mut self.edges[id as usize];
        if e.live {
            return;
        }
        e.live = true;
        let (from, to) = (e.from, e.to);
        self.fwd[from as usize].push(Adj { lot: to, edge: id });
        self.bwd[to as usize].push(Adj {
            lot: from,
            edge: id,
        });
    }

    /// Drops edges that were added last and are no longer wanted (batch rollback).
    pub(crate) fn truncate_edges(&mut self, len: usize) {
        while self.edges.len() > len {
            let id = (self.edges.len() - 1) as u32;
            self.remove_edge(id);
            self.edges.pop();
        }
    }

    /// Number of lot slots.
    pub(crate) fn node_bound(&self) -> usize {
        self.fwd.len()
    }

    fn adj(&self, dir: Direction) -> &Vec<Vec<Adj>> {
        match dir {
            Direction::Outgoing => &self.fwd,
            Direction::Incoming => &self.bwd,
        }
    }

    /// Runs `f` with a scratch borrowed from the pool.
    pub(crate) fn with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        let mut s = self
            .pool
            .lock()
            .map(|mut p| p.pop().unwrap_or_default())
            .unwrap_or_default();
        s.begin(self.node_bound());
        let r = f(&mut s);
        if let Ok(mut p) = self.pool.lock() {
            p.push(s);
        }
        r
    }

    /// Breadth-first walk from `roots` in `dir`, up to `max_depth` transform steps,
    /// following only edges the filter admits. Calls `visit(lot, depth, via_edge)`
    /// once per reached lot (roots at depth 0 with no edge), shortest depth first.
    pub(crate) fn bfs(
        &self,
        roots: &[u32],
        dir: Direction,
        max_depth: Option<u32>,
        filter: EdgeFilter,
        mut visit: impl FnMut(u32, u32),
    ) {
        let adj = self.adj(dir);
        let open = filter.is_open();
        self.with_scratch(|s| {
            for &r in roots {
                if (r as usize) < adj.len() && s.visit(r) {
                    s.depth[r as usize] = 0;
                    s.queue.push(r);
                    visit(r, 0);
                }
            }
            let mut head = 0;
            while head < s.queue.len() {
                let n = s.queue[head];
                head += 1;
                let d = s.depth[n as usize];
                if max_depth.is_some_and(|m| d >= m) {
                    continue;
                }
                for a in &adj[n as usize] {
                    if !open && !filter.admits(self.edges[a.edge as usize].time_ms) {
                        continue;
                    }
                    if s.visit(a.lot) {
                        s.depth[a.lot as usize] = d + 1;
                        s.queue.push(a.lot);
                        visit(a.lot, d + 1);
                    }
                }
            }
        })
    }

    /// Whether `target` is reachable from any of `from` following `dir`.
    pub(crate) fn reaches(&self, from: &[u32], dir: Direction, target: u32) -> bool {
        let mut found = false;
        self.bfs(from, dir, None, EdgeFilter::default(), |n, _| {
            if n == target {
                found = true;
            }
        });
        found
    }
}

// petgraph's visit traits over the adjacency.

impl GraphBase for LotGraph {
    type NodeId = u32;
    type EdgeId = u32;
}

impl<'a> IntoNeighbors for &'a LotGraph {
    type Neighbors = std::iter::Map<std::slice::Iter<'a, Adj>, fn(&Adj) -> u32>;
    fn neighbors(self, n: u32) -> Self::Neighbors {
        self.fwd[n as usize].iter().map(adj_lot as fn(&Adj) -> u32)
    }
}

impl<'a> IntoNeighborsDirected for &'a LotGraph {
    type NeighborsDirected = std::iter::Map<std::slice::Iter<'a, Adj>, fn(&Adj) -> u32>;
    fn neighbors_directed(self, n: u32, d: Direction) -> Self::NeighborsDirected {
        self.adj(d)[n as usize]
            .iter()
            .map(adj_lot as fn(&Adj) -> u32)
    }
}

fn adj_lot(a: &Adj) -> u32 {
    a.lot
}

impl Visitable for LotGraph {
    type Map = fixedbitset_map::Map;
    fn visit_map(&self) -> Self::Map {
        fixedbitset_map::Map::with_capacity(self.node_bound())
    }
    fn reset_map(&self, map: &mut Self::Map) {
        map.clear_and_grow(self.node_bound());
    }
}

impl NodeIndexable for LotGraph {
    fn node_bound(&self) -> usize {
        self.fwd.len()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl NodeCount for LotGraph {
    fn node_count(&self) -> usize {
        self.fwd.len()
    }
}

/// A visit map for petgraph's algorithms (a plain bit vector).
pub(crate) mod fixedbitset_map {
    /// Visited set over dense node ids.
    #[derive(Debug, Clone, Default)]
    pub struct Map(Vec<u64>);

    impl Map {
        pub(crate) fn with_capacity(n: usize) -> Self {
            Map(vec![0; n.div_ceil(64)])
        }
        pub(crate) fn clear_and_grow(&mut self, n: usize) {
            self.0.iter_mut().for_each(|w| *w = 0);
            self.0.resize(n.div_ceil(64), 0);
        }
    }

    impl petgraph::visit::VisitMap<u32> for Map {
        fn visit(&mut self, a: u32) -> bool {
            let (w, b) = ((a / 64) as usize, a % 64);
            if w >= self.0.len() {
                self.0.resize(w + 1, 0);
            }
            let was = self.0[w] & (1 << b) != 0;
            self.0[w] |= 1 << b;
            !was
        }
        fn is_visited(&self, a: &u32) -> bool {
            let (w, b) = ((a / 64) as usize, a % 64);
            self.0.get(w).is_some_and(|x| x & (1 << b) != 0)
        }
        fn unvisit(&mut self, a: u32) -> bool {
            let (w, b) = ((a / 64) as usize, a % 64);
            match self.0.get_mut(w) {
                Some(x) => {
                    let was = *x & (1 << b) != 0;
                    *x &= !(1 << b);
                    was
                }
                None => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: u32, to: u32) -> Edge {
        Edge {
            from,
            to,
            event: 0,
            time_ms: 0,
            qty_in: Decimal::ONE,
            qty_out: Decimal::ONE,
            live: true,
        }
    }

    #[test]
    fn bfs_shortest_depth_and_petgraph_agree() {
        let mut g = LotGraph::default();
        g.add_edge(edge(0, 1));
        g.add_edge(edge(1, 2));
        g.add_edge(edge(0, 2));
        let e = g.add_edge(edge(2, 3));
        let mut seen = Vec::new();
        g.bfs(
            &[0],
            Direction::Outgoing,
            None,
            EdgeFilter::default(),
            |n, d| seen.push((n, d)),
        );
        assert_eq!(seen, vec![(0, 0), (1, 1), (2, 1), (3, 2)]);
        let mut dfs = petgraph::visit::Dfs::new(&g, 0);
        let mut via_petgraph = Vec::new();
        while let Some(n) = dfs.next(&g) {
            via_petgraph.push(n);
        }
        via_petgraph.sort();
        assert_eq!(via_petgraph, vec![0, 1, 2, 3]);
        g.remove_edge(e);
        assert!(!g.reaches(&[0], Direction::Outgoing, 3));
        g.restore_edge(e);
        assert!(g.reaches(&[3], Direction::Incoming, 0));
        let mut limited = Vec::new();
        g.bfs(
            &[0],
            Direction::Outgoing,
            Some(1),
            EdgeFilter::default(),
            |n, _| limited.push(n),
        );
        assert_eq!(limited, vec![0, 1, 2]);
    }
}
