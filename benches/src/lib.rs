//! Benchmarks of lottrack: a deterministic generator of realistic supply chains
//! ([`generator`], in `src/gen.rs`), the bare CSR baseline ([`Csr`]) the forward trace is measured
//! against, and helpers shared by the criterion suites and the side-by-side run.

#![allow(clippy::unwrap_used)]

#[path = "gen.rs"]
pub mod generator;

pub mod bare_ingest;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// A graph in compressed sparse rows: the edges of node `n` are
/// `targets[offsets[n]..offsets[n + 1]]`. The physical limit for a traversal.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    /// Start of each node's edges in `targets` (`n + 1` entries).
    pub offsets: Vec<u32>,
    /// Edge targets, grouped by source.
    pub targets: Vec<u32>,
}

/// A reusable, epoch-stamped visited array and queue.
#[derive(Debug, Clone, Default)]
pub struct Visited {
    epoch: u32,
    stamp: Vec<u32>,
    queue: Vec<u32>,
}

impl Visited {
    fn begin(&mut self, n: usize) {
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
}

impl Csr {
    /// Builds the CSR of `edges` over `n` nodes.
    pub fn build(n: usize, edges: impl Iterator<Item = (u32, u32)> + Clone) -> Csr {
        let mut offsets = vec![0u32; n + 1];
        for (a, _) in edges.clone() {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; offsets[n] as usize];
        for (a, b) in edges {
            targets[fill[a as usize] as usize] = b;
            fill[a as usize] += 1;
        }
        Csr { offsets, targets }
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Breadth-first reach from `root` (root included): the count only.
    #[inline(never)]
    pub fn reach_count(&self, root: u32, vis: &mut Visited) -> usize {
        vis.begin(self.nodes());
        let epoch = vis.epoch;
        vis.stamp[root as usize] = epoch;
        vis.queue.push(root);
        let mut head = 0;
        while head < vis.queue.len() {
            let n = vis.queue[head] as usize;
            head += 1;
            let (a, b) = (self.offsets[n] as usize, self.offsets[n + 1] as usize);
            for &t in &self.targets[a..b] {
                let s = &mut vis.stamp[t as usize];
                if *s != epoch {
                    *s = epoch;
                    vis.queue.push(t);
                }
            }
        }
        vis.queue.len()
    }

    /// The nodes reached from `root` (root included), in visit order.
    pub fn reach_set(&self, root: u32, vis: &mut Visited) -> Vec<u32> {
        self.reach_count(root, vis);
        vis.queue.clone()
    }
}

/// Records `events` into `t` in batches of `n` (taking them by value, as a
/// caller handing over its events would), panicking on a refused batch: the
/// benchmarks' generated chain is valid.
pub fn record_in_batches(t: &lottrack_core::Tracker, events: Vec<lottrack_core::Event>, n: usize) {
    let mut evs = events.into_iter();
    loop {
        let chunk: Vec<_> = evs.by_ref().take(n).collect();
        if chunk.is_empty() {
            break;
        }
        if let Err(e) = t.record_batch(chunk) {
            panic!("a batch of the generated chain was refused: {e}");
        }
    }
}

/// Times `f` adaptively: runs it until `budget` is spent (at least `min_iters`
/// times) and returns the median of per-call times.
pub fn time_median(budget: Duration, min_iters: usize, mut f: impl FnMut()) -> Duration {
    let mut samples = Vec::new();
    let start = Instant::now();
    while samples.len() < min_iters || (start.elapsed() < budget && samples.len() < 100_000) {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// Formats a duration with 3 significant digits (µs below a millisecond).
pub fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else if v >= 1.0 {
        format!("{v:.2} ms")
    } else if v >= 0.1 {
        format!("{:.0} µs", v * 1e3)
    } else if v >= 0.01 {
        format!("{:.1} µs", v * 1e3)
    } else {
        format!("{:.2} µs", v * 1e3)
    }
}

/// Writes the graph for the peers: `lots.tsv` (`index<TAB>product<TAB>lot`),
/// `edges.tsv` (`from<TAB>to` lot indices) and `roots.tsv` (`index<TAB>reach`).
/// The events themselves go to `events.jsonl`, written by the caller.
pub fn export_graph(
    dir: &Path,
    chain: &generator::Chain,
    roots: &[generator::Root],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("lots.tsv"))?);
    for i in 0..chain.lots() as u32 {
        writeln!(w, "{i}\t{}\t{}", chain.product(i), chain.lot_code(i))?;
    }
    w.flush()?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("edges.tsv"))?);
    for (a, b) in &chain.edges {
        writeln!(w, "{a}\t{b}")?;
    }
    w.flush()?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("roots.tsv"))?);
    for r in roots {
        writeln!(w, "{}\t{}", r.lot, r.reach)?;
    }
    w.flush()
}

/// The lots a forward trace from `key` reaches, as sorted `product/lot` names
/// (for tests comparing the tracker with a baseline).
#[cfg(test)]
pub(crate) fn traced_names(t: &lottrack_core::Tracker, key: &lottrack_core::LotKey) -> Vec<String> {
    let tr = t
        .trace_forward(key, &lottrack_core::TraceOptions::default())
        .unwrap();
    let mut got: Vec<String> = tr
        .lots
        .iter()
        .map(|l| format!("{}/{}", l.product, l.lot))
        .collect();
    got.sort();
    got
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_reach() {
        let c = Csr::build(5, [(0u32, 1u32), (1, 2), (0, 2), (3, 4)].into_iter());
        let mut v = Visited::default();
        assert_eq!(c.reach_count(0, &mut v), 3);
        assert_eq!(c.reach_count(3, &mut v), 2);
        let mut s = c.reach_set(0, &mut v);
        s.sort();
        assert_eq!(s, vec![0, 1, 2]);
    }
}
