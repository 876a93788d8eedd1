//! The lot graph: lots are nodes, transform links are edges carrying quantities.
//!
//! The adjacency is laid out for traversal speed — per lot, a contiguous run of
//! neighbours in each direction, their edges in a parallel array — and exposes
//! petgraph's visit traits (`GraphBase`, `IntoNeighbors`,
//! `IntoNeighborsDirected`, `Visitable`, `NodeIndexable`), so petgraph's
//! algorithms run over it unchanged. Traversals use
//! an epoch-stamped visited array borrowed from a pool: a query costs in proportion
//! to what it reaches, never to the size of the graph.

use std::sync::Mutex;

use petgraph::Direction;
use petgraph::visit::{
    GraphBase, IntoNeighbors, IntoNeighborsDirected, NodeCount, NodeIndexable, Visitable,
};
use rust_decimal::Decimal;

use crate::table::Table;

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
    pub(crate) edges: Table<Edge>,
    pool: Mutex<Vec<Scratch>>,
}

/// "No entry" / a removed entry.
const NONE: u32 = u32::MAX;

/// The top bit of a node's start: the node also has entries in the delta. The
/// compacted part therefore holds fewer than 2^31 entries a direction, one per
/// live link: 2^31 links would take ~120 GB of link records first.
const IN_DELTA: u32 = 1 << 31;

/// One direction of the adjacency, laid out like a CSR: every node's neighbours
/// sit contiguously in `lots` (and their edges at the same places in `edges`),
/// in node order, a node's run ending where the next node's starts. Edges added
/// since the last compaction go to `delta` (a per-node list, in insertion
/// order); removed entries become tombstones (`lot == NONE`). When the delta
/// grows past a quarter of the compacted part, everything is compacted again —
/// O(1) amortized per edge. Neighbour order is insertion order, removals keep
/// the order of the others, a restored edge comes last (as with a `Vec` per
/// node).
///
/// An open traversal reads what a plain CSR reads: a node's start and the next
/// one's (4 bytes each, side by side) and its neighbours (4 bytes each); the
/// edges and the delta's ends only when they are needed (a filtered walk, a
/// node flagged [`IN_DELTA`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Adjacency {
    /// Where each node's run starts in `lots`, with [`IN_DELTA`] set when it
    /// has entries in the delta. The last node's run ends at `lots.len()`.
    start: Vec<u32>,
    /// The neighbour of each entry of the compacted part (`NONE`: removed).
    lots: Vec<u32>,
    /// The edge of each entry, beside `lots`.
    edges: Vec<u32>,
    /// First and last delta entry of each node flagged [`IN_DELTA`].
    ends: Vec<(u32, u32)>,
    /// Entries added since the last compaction, each with the index of its
    /// node's next one (`NONE`: the last).
    delta: Vec<(Adj, u32)>,
    dead: usize,
}

impl Adjacency {
    fn ensure(&mut self, n: usize) {
        if self.start.len() < n {
            // A new node's run is empty: it starts where the compacted part ends.
            self.start.resize(n, self.lots.len() as u32);
            self.ends.resize(n, (NONE, NONE));
        }
    }

    /// The compacted run of node `n`: `from..to` in `lots` and `edges`.
    #[inline(always)]
    fn run(&self, n: usize) -> (usize, usize, bool) {
        let s = self.start[n];
        let to = self
            .start
            .get(n + 1)
            .map_or(self.lots.len(), |&t| (t & !IN_DELTA) as usize);
        ((s & !IN_DELTA) as usize, to, s & IN_DELTA != 0)
    }

    fn push(&mut self, node: u32, a: Adj) {
        let idx = self.delta.len() as u32;
        self.delta.push((a, NONE));
        let n = node as usize;
        if self.start[n] & IN_DELTA == 0 {
            self.start[n] |= IN_DELTA;
            self.ends[n] = (idx, idx);
        } else {
            let tail = self.ends[n].1;
            self.delta[tail as usize].1 = idx;
            self.ends[n].1 = idx;
        }
        if self.delta.len() > 1024 + self.lots.len() / 4 {
            self.compact();
        }
    }

    fn remove(&mut self, node: u32, edge: u32) {
        let (from, to, in_delta) = self.run(node as usize);
        if let Some(i) = (from..to).find(|&i| self.edges[i] == edge && self.lots[i] != NONE) {
            self.lots[i] = NONE;
            self.dead += 1;
            return;
        }
        let mut i = if in_delta {
            self.ends[node as usize].0
        } else {
            NONE
        };
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

    /// Forgets the nodes after the first `n` (their entries are tombstones by
    /// then; the last node's run takes them in and skips them).
    fn truncate(&mut self, n: usize) {
        self.start.truncate(n);
        self.ends.truncate(n);
    }

    /// Compacts and gives back the room kept for growth.
    fn shrink_to_fit(&mut self) {
        self.compact();
        self.lots.shrink_to_fit();
        self.edges.shrink_to_fit();
        self.delta.shrink_to_fit();
        self.start.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Rebuilds `lots` and `edges` in node order from every live entry;
    /// empties the delta.
    fn compact(&mut self) {
        let live = self.lots.len() + self.delta.len() - self.dead;
        let mut lots = Vec::with_capacity(live + live / 4);
        let mut edges = Vec::with_capacity(live + live / 4);
        for n in 0..self.start.len() {
            // Read before `start[n]` is rewritten; `start[n + 1]` is still old.
            let (from, to, in_delta) = self.run(n);
            self.start[n] = lots.len() as u32;
            for i in from..to {
                if self.lots[i] != NONE {
                    lots.push(self.lots[i]);
                    edges.push(self.edges[i]);
                }
            }
            if in_delta {
                let mut i = self.ends[n].0;
                while i != NONE {
                    let (a, next) = self.delta[i as usize];
                    if a.lot != NONE {
                        lots.push(a.lot);
                        edges.push(a.edge);
                    }
                    i = next;
                }
                self.ends[n] = (NONE, NONE);
            }
        }
        self.lots = lots;
        self.edges = edges;
        // The delta keeps its room: it fills again to the same size.
        self.delta.clear();
        self.dead = 0;
    }

    /// The neighbours of `n` (nothing for a node out of range).
    #[inline]
    pub(crate) fn of(&self, n: u32) -> Neighbors<'_> {
        let n = n as usize;
        if n >= self.start.len() {
            return Neighbors {
                lots: &[],
                edges: &[],
                at: 0,
                delta: &self.delta,
                next: NONE,
            };
        }
        let (from, to, in_delta) = self.run(n);
        Neighbors {
            lots: &self.lots[from..to],
            edges: &self.edges[from..to],
            at: 0,
            delta: &self.delta,
            next: if in_delta { self.ends[n].0 } else { NONE },
        }
    }

    /// Calls `f` for each live neighbour of `n` and its edge: a filtered
    /// traversal's inner loop.
    #[inline(always)]
    fn each(&self, n: u32, mut f: impl FnMut(Adj)) {
        let (from, to, in_delta) = self.run(n as usize);
        for (&lot, &edge) in self.lots[from..to].iter().zip(&self.edges[from..to]) {
            if lot != NONE {
                f(Adj { lot, edge });
            }
        }
        if in_delta {
            self.each_in_delta(n, f);
        }
    }

    /// Calls `f` for each live neighbour of `n`: an open traversal's inner
    /// loop, which reads no edge.
    #[inline(always)]
    fn each_lot(&self, n: u32, mut f: impl FnMut(u32)) {
        let (from, to, in_delta) = self.run(n as usize);
        for &lot in &self.lots[from..to] {
            if lot != NONE {
                f(lot);
            }
        }
        if in_delta {
            self.each_in_delta(n, |a| f(a.lot));
        }
    }

    /// The delta part of [`Adjacency::each`].
    fn each_in_delta(&self, n: u32, mut f: impl FnMut(Adj)) {
        let mut i = self.ends[n as usize].0;
        while i != NONE {
            let (a, next) = self.delta[i as usize];
            if a.lot != NONE {
                f(a);
            }
            i = next;
        }
    }

    fn len(&self) -> usize {
        self.start.len()
    }
}

/// The live neighbours of one node, in order.
#[derive(Debug, Clone)]
pub(crate) struct Neighbors<'a> {
    lots: &'a [u32],
    edges: &'a [u32],
    at: usize,
    delta: &'a [(Adj, u32)],
    next: u32,
}

impl Iterator for Neighbors<'_> {
    type Item = Adj;
    #[inline]
    fn next(&mut self) -> Option<Adj> {
        while let Some(&lot) = self.lots.get(self.at) {
            let edge = self.edges[self.at];
            self.at += 1;
            if lot != NONE {
                return Some(Adj { lot, edge });
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
        self.fwd.truncate(n);
        self.bwd.truncate(n);
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
                    adj.each_lot(n, |lot| {
                        if s.visit(lot) {
                            s.queue.push(lot);
                            visit(lot, depth + 1);
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
                adj.each_lot(n, |lot| {
                    if s.visit(lot) {
                        s.queue.push(lot);
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
            w.len(self.start.len());
            let mut row: Vec<Adj> = Vec::new();
            for n in 0..self.start.len() as u32 {
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
            let mut start = Vec::with_capacity(n);
            let mut lots = Vec::with_capacity(b.edges);
            let mut edges = Vec::with_capacity(b.edges);
            for _ in 0..n {
                r.boundary()?;
                start.push(lots.len() as u32);
                let len = r.len("neighbours")?;
                for _ in 0..len {
                    r.boundary()?;
                    lots.push(r.index(b.lots, "neighbour lot")?);
                    edges.push(r.index(b.edges, "neighbour edge")?);
                }
            }
            if lots.len() >= IN_DELTA as usize {
                return Err(corrupt(format!(
                    "{} neighbour entries in one direction (at most {})",
                    lots.len(),
                    IN_DELTA - 1
                )));
            }
            Ok(Adjacency {
                ends: vec![(NONE, NONE); start.len()],
                start,
                lots,
                edges,
                delta: Vec::new(),
                dead: 0,
            })
        }
    }

    impl LotGraph {
        pub(crate) fn put(&self, w: &mut Writer<'_>) {
            w.list_of(self.edges.len(), self.edges.iter(), |w, e| e.put(w));
            self.fwd.put(w);
            self.bwd.put(w);
        }

        pub(crate) fn get(r: &mut Reader<'_>, b: &Bounds) -> Got<LotGraph> {
            let edges = r.table("edges", |r| get_edge(r, b))?;
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

    /// A seeded generator of numbers below `m` (a linear congruential one).
    fn lcg(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut x = seed;
        move |m| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        }
    }

    #[test]
    fn adjacency_matches_a_vec_per_node_through_compactions() {
        // A model: one Vec per node, as the adjacency behaved before compaction.
        let mut g = LotGraph::default();
        let mut model: Vec<Vec<u32>> = vec![Vec::new(); 300];
        let mut rnd = lcg(7);
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
    fn adjacency_with_new_nodes_and_rolled_back_batches_matches_the_model() {
        // Nodes appear over time (after compactions too) and some batches are
        // rolled back: their edges removed, then their new nodes forgotten.
        let mut g = LotGraph::default();
        let mut fwd: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut bwd: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut rnd = lcg(11);
        let mut nodes = 2u32;
        for batch in 0..400u32 {
            let (nodes0, edges0) = (nodes, g.edges.len());
            let (fwd0, bwd0) = (fwd.clone(), bwd.clone());
            for _ in 0..(1 + rnd(40)) {
                if rnd(3) == 0 {
                    nodes += 1;
                }
                let (a, b) = (rnd(nodes as u64) as u32, rnd(nodes as u64) as u32);
                let id = g.add_edge(edge(a, b));
                for v in [&mut fwd, &mut bwd] {
                    v.resize(nodes as usize, Vec::new());
                }
                fwd[a as usize].push((b, id));
                bwd[b as usize].push((a, id));
            }
            if batch % 5 == 4 {
                g.truncate_edges(edges0);
                g.truncate_nodes(nodes0 as usize);
                (nodes, fwd, bwd) = (nodes0, fwd0, bwd0);
                for v in [&mut fwd, &mut bwd] {
                    v.resize(nodes as usize, Vec::new());
                }
            }
        }
        assert!(g.edges.len() > 5_000, "enough edges for compactions");
        for (dir, model) in [(Direction::Outgoing, &fwd), (Direction::Incoming, &bwd)] {
            let adj = g.adj(dir);
            for n in 0..model.len() as u32 {
                let want = &model[n as usize];
                let got: Vec<(u32, u32)> = adj.of(n).map(|a| (a.lot, a.edge)).collect();
                assert_eq!(&got, want, "{dir:?} node {n}");
                if n as usize >= adj.len() {
                    // A node no edge reached yet: no slot, no neighbours.
                    assert!(want.is_empty());
                    continue;
                }
                let mut each = Vec::new();
                adj.each(n, |a| each.push((a.lot, a.edge)));
                assert_eq!(&each, want, "{dir:?} node {n}, each");
                let mut lots = Vec::new();
                adj.each_lot(n, |l| lots.push(l));
                let want_lots: Vec<u32> = want.iter().map(|&(l, _)| l).collect();
                assert_eq!(lots, want_lots, "{dir:?} node {n}, each_lot");
            }
        }
        // Compacted, the same neighbours in the same order.
        let before: Vec<Vec<Adj>> = (0..nodes).map(|n| g.out(n).collect()).collect();
        g.shrink_to_fit();
        let after: Vec<Vec<Adj>> = (0..nodes).map(|n| g.out(n).collect()).collect();
        assert_eq!(before, after);
        assert!(g.fwd.delta.is_empty() && g.fwd.dead == 0);
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
