//! Side by side, in one run, on the same generated graph: the same forward trace
//! as a bare CSR walk (the physical limit), lottrack's Rust API, a recursive CTE in
//! SQLite and, when `LOTTRACK_TEST_PG` holds a DSN, in PostgreSQL. Every method
//! must return the same lot set for every root before any time is printed.
//!
//! ```text
//! cargo run --release -p lottrack-benches --bin side_by_side -- [SCALE] [--export DIR] [--budget-ms N]
//! ```
//!
//! SCALE is `10k`, `100k` (default, or `LOTTRACK_BENCH_SCALE`), `1m`, `10m`.
//! `--csr-only` generates the graph and times the CSR baseline alone (for scales
//! whose index does not fit in memory).
//! `--export DIR` also writes the graph for `benches/python/side_by_side.py`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use lottrack_benches::generator::{self, Config};
use lottrack_benches::{Visited, ms, time_median};
use lottrack_core::{Event, TraceOptions, Tracker};

/// The lot index encoded in a generated lot code (`R12`, `S2-40`, `P7`, `B3`).
fn index_of(code: &str) -> u32 {
    let digits = code
        .rsplit(['-', 'R', 'S', 'P', 'B'])
        .next()
        .unwrap_or(code);
    digits.parse().unwrap()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut scale = generator::scale_from_env(100_000);
    let mut export: Option<std::path::PathBuf> = None;
    let mut budget = Duration::from_millis(1500);
    let mut csr_only = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--export" => export = args.next().map(Into::into),
            "--budget-ms" => {
                budget = Duration::from_millis(args.next().and_then(|s| s.parse().ok()).unwrap())
            }
            "--csr-only" => csr_only = true,
            s => scale = generator::parse_scale(s).expect("scale like 100k or 1m"),
        }
    }

    if csr_only {
        // Scales whose index does not fit this machine: the graph and the baseline.
        let t0 = Instant::now();
        let chain = generator::generate(&Config::new(scale), &mut |_| {});
        println!(
            "graph: {} lots, {} transform links, {} events ({} days), generated in {:.1} s",
            chain.lots(),
            chain.edges.len(),
            chain.events,
            chain.days,
            t0.elapsed().as_secs_f64()
        );
        let csr = chain.csr_forward();
        let mut vis = Visited::default();
        for r in chain.forward_roots() {
            let t = time_median(budget, 5, || {
                std::hint::black_box(csr.reach_count(r.lot, &mut vis));
            });
            println!(
                "{:>10} reach {:>9}: CSR {}",
                chain.lot_code(r.lot),
                r.reach,
                ms(t)
            );
        }
        return;
    }

    // Generate straight into the tracker (and the export), in batches of 1 000.
    let t0 = Instant::now();
    let tracker = Tracker::in_memory();
    let mut batch: Vec<Event> = Vec::with_capacity(1000);
    let mut jsonl = export.as_ref().map(|d| {
        std::fs::create_dir_all(d).unwrap();
        std::io::BufWriter::new(std::fs::File::create(d.join("events.jsonl")).unwrap())
    });
    let chain = generator::generate(&Config::new(scale), &mut |ev| {
        if let Some(w) = jsonl.as_mut() {
            use std::io::Write;
            writeln!(w, "{}", ev.to_json()).unwrap();
        }
        batch.push(ev);
        if batch.len() == 1000 {
            tracker.record_batch(std::mem::take(&mut batch)).unwrap();
        }
    });
    tracker.record_batch(batch).unwrap();
    drop(jsonl);
    println!(
        "graph: {} lots, {} transform links, {} events ({} days), generated and recorded in {:.1} s",
        chain.lots(),
        chain.edges.len(),
        chain.events,
        chain.days,
        t0.elapsed().as_secs_f64()
    );
    let csr = chain.csr_forward();
    let roots = chain.forward_roots();
    if let Some(dir) = &export {
        lottrack_benches::export_graph(dir, &chain, &roots).unwrap();
        println!("exported to {}", dir.display());
    }

    // SQLite: an edges table indexed on the source, a recursive CTE.
    let sqlite = rusqlite::Connection::open_in_memory().unwrap();
    sqlite
        .execute_batch("CREATE TABLE edges(src INTEGER NOT NULL, dst INTEGER NOT NULL);")
        .unwrap();
    {
        let tx = sqlite.unchecked_transaction().unwrap();
        {
            let mut ins = tx.prepare("INSERT INTO edges VALUES (?1, ?2)").unwrap();
            for (a, b) in &chain.edges {
                ins.execute((a, b)).unwrap();
            }
        }
        tx.commit().unwrap();
    }
    sqlite
        .execute_batch("CREATE INDEX edges_src ON edges(src); ANALYZE;")
        .unwrap();
    const CTE: &str = "WITH RECURSIVE r(n) AS (SELECT ?1 UNION SELECT e.dst FROM edges e JOIN r ON e.src = r.n) SELECT n FROM r";
    let sqlite_set = |root: u32| -> Vec<u32> {
        let mut st = sqlite.prepare_cached(CTE).unwrap();
        let rows = st.query_map([root], |r| r.get::<_, u32>(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };

    // PostgreSQL, when a server is given.
    let mut pg = std::env::var("LOTTRACK_TEST_PG").ok().map(|dsn| {
        let mut c = postgres::Client::connect(&dsn, postgres::NoTls).unwrap();
        c.batch_execute(
            "DROP TABLE IF EXISTS lottrack_bench_edges;
             CREATE TABLE lottrack_bench_edges(src INTEGER NOT NULL, dst INTEGER NOT NULL);",
        )
        .unwrap();
        {
            use std::io::Write;
            let mut w = c.copy_in("COPY lottrack_bench_edges FROM STDIN").unwrap();
            let mut buf = String::new();
            for (a, b) in &chain.edges {
                buf.push_str(&format!("{a}\t{b}\n"));
                if buf.len() > 1 << 20 {
                    w.write_all(buf.as_bytes()).unwrap();
                    buf.clear();
                }
            }
            w.write_all(buf.as_bytes()).unwrap();
            w.finish().unwrap();
        }
        c.batch_execute(
            "CREATE INDEX lottrack_bench_edges_src ON lottrack_bench_edges(src);
             ANALYZE lottrack_bench_edges;",
        )
        .unwrap();
        c
    });
    const PG_CTE: &str = "WITH RECURSIVE r(n) AS (SELECT $1::int UNION SELECT e.dst FROM lottrack_bench_edges e JOIN r ON e.src = r.n) SELECT n FROM r";
    let pg_set = |pg: &mut Option<postgres::Client>, root: u32| -> Option<Vec<u32>> {
        let c = pg.as_mut()?;
        let rows = c.query(PG_CTE, &[&(root as i32)]).unwrap();
        Some(rows.iter().map(|r| r.get::<_, i32>(0) as u32).collect())
    };

    let opts = TraceOptions::default();
    let lottrack_set = |root: u32| -> Vec<u32> {
        let tr = tracker.trace_forward(&chain.key(root), &opts).unwrap();
        std::iter::once(root)
            .chain(tr.lots.iter().map(|l| index_of(&l.lot)))
            .collect()
    };
    let lottrack_ids_set = |root: u32| -> Vec<u32> {
        let tr = tracker.trace_forward_ids(&chain.key(root), &opts).unwrap();
        tracker
            .lot_keys(&tr.lots)
            .iter()
            .map(|k| index_of(&k.lot))
            .chain(std::iter::once(root))
            .collect()
    };

    // 1. Agreement: every method returns the same set for every root.
    let mut vis = Visited::default();
    for r in &roots {
        let want: BTreeSet<u32> = csr.reach_set(r.lot, &mut vis).into_iter().collect();
        let check = |name: &str, got: Vec<u32>| {
            let n = got.len();
            let got: BTreeSet<u32> = got.into_iter().collect();
            assert_eq!(n, got.len(), "{name}: duplicates for root {}", r.lot);
            assert!(
                got == want,
                "{name} disagrees with the CSR baseline for root {}",
                r.lot
            );
        };
        check("lottrack trace_forward", lottrack_set(r.lot));
        check("lottrack trace_forward_ids", lottrack_ids_set(r.lot));
        check("SQLite CTE", sqlite_set(r.lot));
        if let Some(s) = pg_set(&mut pg, r.lot) {
            check("PostgreSQL CTE", s);
        }
    }
    println!(
        "agreement: CSR, lottrack (trace_forward, trace_forward_ids), SQLite{} return the same lot sets for all {} roots",
        if pg.is_some() { ", PostgreSQL" } else { "" },
        roots.len()
    );
    println!(
        "machine: {} cores, load average {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    // 2. Times: median per trace.
    println!();
    println!(
        "{:>9} {:>8} | {:>10} {:>10} {:>10} {:>10} {:>10} | {:>9} {:>9} {:>9} {:>9}",
        "root",
        "reach",
        "CSR",
        "lt ids",
        "lt full",
        "SQLite",
        "Postgres",
        "ids/CSR",
        "full/CSR",
        "SQL/ids",
        "PG/ids"
    );
    for r in &roots {
        let key = chain.key(r.lot);
        let t_csr = time_median(budget, 20, || {
            std::hint::black_box(csr.reach_count(r.lot, &mut vis));
        });
        let t_ids = time_median(budget, 20, || {
            std::hint::black_box(tracker.trace_forward_ids(&key, &opts).unwrap());
        });
        let t_full = time_median(budget, 5, || {
            std::hint::black_box(tracker.trace_forward(&key, &opts).unwrap());
        });
        let t_sql = time_median(budget, 3, || {
            std::hint::black_box(sqlite_set(r.lot));
        });
        let has_pg = pg.is_some();
        let t_pg = has_pg.then(|| {
            time_median(budget, 3, || {
                std::hint::black_box(pg_set(&mut pg, r.lot));
            })
        });
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!(
            "{:>9} {:>8} | {:>10} {:>10} {:>10} {:>10} {:>10} | {:>8.2}x {:>8.2}x {:>8.0}x {:>9}",
            key.lot,
            r.reach,
            ms(t_csr),
            ms(t_ids),
            ms(t_full),
            ms(t_sql),
            t_pg.map(ms).unwrap_or_else(|| "-".into()),
            ratio(t_ids, t_csr),
            ratio(t_full, t_csr),
            ratio(t_sql, t_ids),
            t_pg.map(|p| format!("{:.0}x", ratio(p, t_ids)))
                .unwrap_or_else(|| "-".into()),
        );
    }
    println!();
    println!("lt ids  = Tracker::trace_forward_ids (lot ids and depths; names resolved on demand)");
    println!("lt full = Tracker::trace_forward (lots, links, shipments with their strings)");
    println!(
        "ratios: time of the first / time of the second (SQL/ids: how many times faster lottrack is)"
    );
}
