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

/// Reusable traversal state: visited stamps and a queue.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    epoch: u32,
    stamp: Vec<u32>,
    pub(crate) queue: Vec<u32>,
    /// Where each BFS level starts in `queue` (reused by `reach_into`).
    levels: Vec<usize>,
}

impl Scratch {
    /// Starts a new traversal over `n` nodes (grows only when the graph did).
    pub(crate) fn begin(&mut self, n: usize) {
        if self.stamp.len() < n {
            self.stamp.resize(n, 0);
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
    fwd: Adjacency,
    bwd: Adjacency,
    pub(crate) edges: Vec<Edge>,
    pool: Mutex<Vec<Scratch>>,
}

/// "No entry" / a removed entry.
const NONE: u32 = u32::MAX;

/// Where one node's neighbours are: a run of the compacted array, then a list of
/// entries added since the last compaction. One 16-byte record per node, so a
/// traversal touches one cache line per node, as with a plain CSR.
#[derive(Debug, Clone, Copy)]
struct NodeAdj {
    start: u32,
    len: u32,
    head: u32,
    tail: u32,
}

const EMPTY: NodeAdj = NodeAdj {
    start: 0,
    len: 0,
    head: NONE,
    tail: NONE,
};

/// One direction of the adjacency, laid out like a CSR: every node's neighbours
/// sit contiguously in `items`, in node order. Edges added since the last
/// compaction go to `delta` (a per-node list, in insertion order); removed entries
/// become tombstones (`lot == NONE`). When the delta grows past a quarter of the
/// compacted part, everything is compacted again — O(1) amortized per edge.
/// Neighbour order is insertion order, removals keep the order of the others, a
/// restored edge comes last (as with a `Vec` per node).
#[derive(Debug, Clone, Default)]
pub(crate) struct Adjacency {
    nodes: Vec<NodeAdj>,
    items: Vec<Adj>,
    delta: Vec<(Adj, u32)>,
    dead: usize,
}

impl Adjacency {
    fn ensure(&mut self, n: usize) {
        if self.nodes.len() < n {
            self.nodes.resize(n, EMPTY);
        }
    }

    fn push(&mut self, node: u32, a: Adj) {
        let idx = self.delta.len() as u32;
        self.delta.push((a, NONE));
        let r = &mut self.nodes[node as usize];
        if r.tail == NONE {
            r.head = idx;
        } else {
            self.delta[r.tail as usize].1 = idx;
        }
        r.tail = idx;
        if self.delta.len() > 1024 + self.items.len() / 4 {
            self.compact();
        }
    }

    fn remove(&mut self, node: u32, edge: u32) {
        let r = self.nodes[node as usize];
        let run = &mut self.items[r.start as usize..(r.start + r.len) as usize];
        if let Some(a) = run.iter_mut().find(|a| a.edge == edge && a.lot != NONE) {
            a.lot = NONE;
            self.dead += 1;
            return;
        }
        let mut i = r.head;
        while i != NONE {
            let (a, next) = &mut self.delta[i as usize];
            if a.edge == edge && a.lot != NONE {
                a.lot = NONE;
                self.dead += 1;
                return;
            }
            i = *next;
        }
    }

    /// Compacts and gives back the room kept for growth.
    fn shrink_to_fit(&mut self) {
        self.compact();
        self.items.shrink_to_fit();
        self.nodes.shrink_to_fit();
    }

    /// Rebuilds `items` in node order from every live entry; empties the delta.
    fn compact(&mut self) {
        let live = self.items.len() + self.delta.len() - self.dead;
        let mut items = Vec::with_capacity(live + live / 4);
        for r in &mut self.nodes {
            let start = items.len() as u32;
            items.extend(
                self.items[r.start as usize..(r.start + r.len) as usize]
                    .iter()
                    .filter(|a| a.lot != NONE),
            );
            let mut i = r.head;
            while i != NONE {
                let (a, next) = self.delta[i as usize];
                if a.lot != NONE {
                    items.push(a);
                }
                i = next;
            }
            *r = NodeAdj {
                start,
                len: items.len() as u32 - start,
                head: NONE,
                tail: NONE,
            };
        }
        self.items = items;
        self.delta = Vec::new();
        self.dead = 0;
    }

    /// The neighbours of `n` (nothing for a node out of range).
    #[inline]
    pub(crate) fn of(&self, n: u32) -> Neighbors<'_> {
        let r = self.nodes.get(n as usize).copied().unwrap_or(EMPTY);
        Neighbors {
            run: self.items[r.start as usize..(r.start + r.len) as usize].iter(),
            delta: &self.delta,
            next: r.head,
        }
    }

    /// Calls `f` for each live neighbour of `n`: the traversal's inner loop.
    #[inline(always)]
    fn each(&self, n: u32, mut f: impl FnMut(Adj)) {
        let r = self.nodes[n as usize];
        for a in &self.items[r.start as usize..(r.start + r.len) as usize] {
            if a.lot != NONE {
                f(*a);
            }
        }
        let mut i = r.head;
        while i != NONE {
            let (a, next) = self.delta[i as usize];
            if a.lot != NONE {
                f(a);
            }
            i = next;
        }
    }

    fn len(&self) -> usize {
        self.nodes.len()
    }
}

/// The live neighbours of one node, in order.
#[derive(Debug, Clone)]
pub(crate) struct Neighbors<'a> {
    run: std::slice::Iter<'a, Adj>,
    delta: &'a [(Adj, u32)],
    next: u32,
}

impl Iterator for Neighbors<'_> {
    type Item = Adj;
    #[inline]
    fn next(&mut self) -> Option<Adj> {
        for a in self.run.by_ref() {
            if a.lot != NONE {
                return Some(*a);
            }
        }
        while self.next != NONE {
            let (a, next) = self.delta[self.next as usize];
            self.next = next;
            if a.lot != NONE {
                return Some(a);
            }
        }
        None
    }
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
    /// Compacts both directions and gives back the room kept for growth
    /// (neighbour order is unchanged).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.fwd.shrink_to_fit();
        self.bwd.shrink_to_fit();
        self.edges.shrink_to_fit();
    }

    /// Makes room for lot `n`.
    pub(crate) fn ensure(&mut self, n: u32) {
        let need = n as usize + 1;
        self.fwd.ensure(need);
        self.bwd.ensure(need);
    }

    /// Adds a live edge; returns its id.
    pub(crate) fn add_edge(&mut self, e: Edge) -> u32 {
        self.ensure(e.from.max(e.to));
        let id = self.edges.len() as u32;
        self.fwd.push(
            e.from,
            Adj {
                lot: e.to,
                edge: id,
            },
        );
        self.bwd.push(
            e.to,
            Adj {
                lot: e.from,
                edge: id,
            },
        );
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
        let (from, to) = (e.from, e.to);
        self.fwd.remove(from, id);
        self.bwd.remove(to, id);
    }

    /// Restores a removed edge.
    pub(crate) fn restore_edge(&mut self, id: u32) {
        let e = &mut self.edges[id as usize];
        if e.live {
            return;
        }
        e.live = true;
        let (from, to) = (e.from, e.to);
        self.fwd.push(from, Adj { lot: to, edge: id });
        self.bwd.push(
            to,
            Adj {
                lot: from,
                edge: id,
            },
        );
    }

    /// Forgets the lot slots after the first `n` (lots of a rolled-back batch;
    /// their edges are gone already).
    pub(crate) fn truncate_nodes(&mut self, n: usize) {
        self.fwd.nodes.truncate(n);
        self.bwd.nodes.truncate(n);
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

    /// One direction of the adjacency.
    pub(crate) fn adj(&self, dir: Direction) -> &Adjacency {
        match dir {
            Direction::Outgoing => &self.fwd,
            Direction::Incoming => &self.bwd,
        }
    }

    /// The live out-edges of `n` (to the lots made from it).
    pub(crate) fn out(&self, n: u32) -> Neighbors<'_> {
        self.fwd.of(n)
    }

    /// The live in-edges of `n` (from the lots it was made from).
    pub(crate) fn inc(&self, n: u32) -> Neighbors<'_> {
        self.bwd.of(n)
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
                    s.queue.push(r);
                    visit(r, 0);
                }
            }
            // Level by level: the queue holds one depth after the other, so a
            // node's depth is its level's and no per-node depth array is touched.
            let mut head = 0;
            let mut depth = 0u32;
            let mut level_end = s.queue.len();
            while head < s.queue.len() {
                if head == level_end {
                    depth += 1;
                    level_end = s.queue.len();
                }
                if max_depth.is_some_and(|m| depth >= m) {
                    break;
                }
                let n = s.queue[head];
                head += 1;
                if open {
                    adj.each(n, |a| {
                        if s.visit(a.lot) {
                            s.queue.push(a.lot);
                            visit(a.lot, depth + 1);
                        }
                    });
                } else {
                    adj.each(n, |a| {
                        if filter.admits(self.edges[a.edge as usize].time_ms) && s.visit(a.lot) {
                            s.queue.push(a.lot);
                            visit(a.lot, depth + 1);
                        }
                    });
                }
            }
        })
    }

    /// Breadth-first reach from `root` (root excluded) straight into `lots` and
    /// `depths`: the visit queue is copied out level by level, no call per lot.
    pub(crate) fn reach_into(
        &self,
        root: u32,
        dir: Direction,
        max_depth: Option<u32>,
        filter: EdgeFilter,
        lots: &mut Vec<u32>,
        depths: &mut Vec<u32>,
    ) {
        self.with_scratch(|s| {
            let mut levels = std::mem::take(&mut s.levels);
            levels.clear();
            self.bfs_levels(s, root, dir, max_depth, filter, &mut levels);
            lots.extend_from_slice(&s.queue[1.min(s.queue.len())..]);
            depths.reserve(lots.len());
            for (d, w) in levels.windows(2).enumerate() {
                depths.resize(depths.len() + (w[1] - w[0]), d as u32 + 1);
            }
            s.levels = levels;
        });
    }

    /// The BFS of [`LotGraph::bfs`] from one root, recording where each level
    /// starts in the queue (`levels[d]` = first index of depth `d + 1`; one more
    /// entry closes the last level).
    fn bfs_levels(
        &self,
        s: &mut Scratch,
        root: u32,
        dir: Direction,
        max_depth: Option<u32>,
        filter: EdgeFilter,
        levels: &mut Vec<usize>,
    ) {
        let adj = self.adj(dir);
        if (root as usize) >= adj.len() || !s.visit(root) {
            return;
        }
        s.queue.push(root);
        let open = filter.is_open();
        let mut head = 0;
        let mut depth = 0u32;
        let mut level_end = 1;
        levels.push(1);
        while head < s.queue.len() {
            if head == level_end {
                depth += 1;
                level_end = s.queue.len();
                levels.push(level_end);
            }
            if max_depth.is_some_and(|m| depth >= m) {
                break;
            }
            let n = s.queue[head];
            head += 1;
            if open {
                adj.each(n, |a| {
                    if s.visit(a.lot) {
                        s.queue.push(a.lot);
                    }
                });
            } else {
                adj.each(n, |a| {
                    if filter.admits(self.edges[a.edge as usize].time_ms) && s.visit(a.lot) {
                        s.queue.push(a.lot);
                    }
                });
            }
        }
        if levels.last() != Some(&s.queue.len()) {
            levels.push(s.queue.len());
        }
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
    type Neighbors = std::iter::Map<Neighbors<'a>, fn(Adj) -> u32>;
    fn neighbors(self, n: u32) -> Self::Neighbors {
        self.fwd.of(n).map(adj_lot as fn(Adj) -> u32)
    }
}

impl<'a> IntoNeighborsDirected for &'a LotGraph {
    type NeighborsDirected = std::iter::Map<Neighbors<'a>, fn(Adj) -> u32>;
    fn neighbors_directed(self, n: u32, d: Direction) -> Self::NeighborsDirected {
        self.adj(d).of(n).map(adj_lot as fn(Adj) -> u32)
    }
}

fn adj_lot(a: Adj) -> u32 {
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

/// The checkpoint form of the graph (`checkpoint.rs`): the edges, then each
/// direction's live neighbours node by node, in their order. Read back, every
/// direction is compacted (one run per node, no tombstones).
mod checkpoint {
    use super::*;
    use crate::checkpoint::Bounds;
    use crate::checkpoint::codec::{Get, Got, Put, Reader, Writer, corrupt};

    impl Put for Edge {
        fn put(&self, w: &mut Writer<'_>) {
            w.u32(self.from);
            w.u32(self.to);
            w.u32(self.event);
            w.i64(self.time_ms);
            self.qty_in.put(w);
            self.qty_out.put(w);
            w.u8(u8::from(self.live));
        }
    }

    fn get_edge(r: &mut Reader<'_>, b: &Bounds) -> Got<Edge> {
        Ok(Edge {
            from: r.index(b.lots, "edge input lot")?,
            to: r.index(b.lots, "edge output lot")?,
            event: r.index(b.events, "edge event")?,
            time_ms: r.i64()?,
            qty_in: Decimal::get(r)?,
            qty_out: Decimal::get(r)?,
            live: match r.u8()? {
                0 => false,
                1 => true,
                v => return Err(corrupt(format!("edge flag {v}"))),
            },
        })
    }

    impl Adjacency {
        fn put(&self, w: &mut Writer<'_>) {
            w.len(self.nodes.len());
            let mut row: Vec<Adj> = Vec::new();
            for n in 0..self.nodes.len() as u32 {
                w.boundary();
                row.clear();
                row.extend(self.of(n));
                w.list(&row, |w, a| {
                    w.u32(a.lot);
                    w.u32(a.edge);
                });
            }
        }

        fn get(r: &mut Reader<'_>, b: &Bounds) -> Got<Adjacency> {
            let n = r.len("adjacency nodes")?;
            if n != b.lots {
                return Err(corrupt(format!("{n} adjacency nodes for {} lots", b.lots)));
            }
            let mut nodes = Vec::with_capacity(n);
            let mut items = Vec::with_capacity(b.edges);
            for _ in 0..n {
                r.boundary()?;
                let start = items.len() as u32;
                let len = r.len("neighbours")?;
                for _ in 0..len {
                    r.boundary()?;
                    items.push(Adj {
                        lot: r.index(b.lots, "neighbour lot")?,
                        edge: r.index(b.edges, "neighbour edge")?,
                    });
                }
                nodes.push(NodeAdj {
                    start,
                    len: items.len() as u32 - start,
                    head: NONE,
                    tail: NONE,
                });
            }
            Ok(Adjacency {
                nodes,
                items,
                delta: Vec::new(),
                dead: 0,
            })
        }
    }

    impl LotGraph {
        pub(crate) fn put(&self, w: &mut Writer<'_>) {
            w.put_list(&self.edges);
            self.fwd.put(w);
            self.bwd.put(w);
        }

        pub(crate) fn get(r: &mut Reader<'_>, b: &Bounds) -> Got<LotGraph> {
            let edges = r.list("edges", b.edges, |r| get_edge(r, b))?;
            if edges.len() != b.edges {
                return Err(corrupt(format!(
                    "{} edges where the header says {}",
                    edges.len(),
                    b.edges
                )));
            }
            Ok(LotGraph {
                fwd: Adjacency::get(r, b)?,
                bwd: Adjacency::get(r, b)?,
                edges,
                pool: Mutex::new(Vec::new()),
            })
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
    fn adjacency_matches_a_vec_per_node_through_compactions() {
        // A model: one Vec per node, as the adjacency behaved before compaction.
        let mut g = LotGraph::default();
        let mut model: Vec<Vec<u32>> = vec![Vec::new(); 300];
        let mut x: u64 = 7;
        let mut rnd = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let mut ids = Vec::new();
        for i in 0..5_000u32 {
            let (a, b) = (rnd(300) as u32, rnd(300) as u32);
            let id = g.add_edge(edge(a, b));
            model[a as usize].push(id);
            ids.push(id);
            if i % 7 == 0 {
                let r = ids[rnd(ids.len() as u64) as usize];
                let e = g.edges[r as usize];
                if e.live {
                    g.remove_edge(r);
                    model[e.from as usize].retain(|&k| k != r);
                } else {
                    g.restore_edge(r);
                    model[e.from as usize].push(r);
                }
            }
        }
        for n in 0..300u32 {
            let got: Vec<u32> = g.out(n).map(|a| a.edge).collect();
            assert_eq!(got, model[n as usize], "node {n}");
            assert!(
                g.inc(n)
                    .all(|a| g.edges[a.edge as usize].to == n && g.edges[a.edge as usize].live)
            );
        }
        let (mut lots, mut depths) = (Vec::new(), Vec::new());
        g.reach_into(
            0,
            Direction::Outgoing,
            Some(2),
            EdgeFilter::default(),
            &mut lots,
            &mut depths,
        );
        let mut via_bfs = Vec::new();
        g.bfs(
            &[0],
            Direction::Outgoing,
            Some(2),
            EdgeFilter::default(),
            |n, d| {
                if d > 0 {
                    via_bfs.push((n, d));
                }
            },
        );
        assert_eq!(
            lots.iter()
                .copied()
                .zip(depths.iter().copied())
                .collect::<Vec<_>>(),
            via_bfs
        );
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
