//! Store benchmark: append rate through the tracker into SQLite (single events and
//! batches of 1,000, `synchronous=FULL` and, for comparison, `NORMAL`), and the
//! replay time of a large SQLite file.
//!
//! Run: `cargo run --release -p lottrack-core --example store_bench -- [EVENTS]`
//! (EVENTS defaults to 1,000,000: the size of the file whose replay is timed).
//!
//! Options:
//! * `--dir DIR` — where the files go (default: a fresh directory under the
//!   system's temporary directory, removed at the end unless `--keep`);
//! * `--keep` — keep the files (the large one is `replay.lottrack`);
//! * `--replay-only FILE` — only time the replay of FILE (and its bare read and
//!   parse);
//! * `--open-only FILE` — only `Tracker::open_sqlite(FILE)`, timed (for profiling);
//! * `--skip-appends` — skip the append-rate measurements.
//!
//! The large file holds a realistic-ish mix, in cycles of 9 events: two receipts
//! (flour and salt, with supplier lot, expiry and a purchase order), a transform
//! (this cycle's flour and salt plus the previous cycle's flour into a bread lot),
//! four shipments to stores, a move to the distribution centre and a shipment from
//! there — recorded with `record_batch` 1,000 events at a time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lottrack_core::store::{EventStore, SqliteOptions, SqliteStore, Synchronous};
use lottrack_core::{Event, LotAttrs, LotKey, LotQty, Result, Time, Tracker, parse_time};

type Main = std::result::Result<(), Box<dyn std::error::Error>>;

fn qty(product: &str, lot: &str, q: u32, uom: &str) -> LotQty {
    LotQty::exact(product, lot, q.into(), uom)
}

fn base_time() -> Time {
    parse_time("2026-01-01T06:00:00+01:00").unwrap_or_else(|e| panic!("literal time: {e}"))
}

/// Master data: the products the generated events use.
fn master_data() -> Result<Vec<Event>> {
    let t = base_time();
    Ok(vec![
        Event::product(t, "flour", "kg", &[])?.with_id("P-flour"),
        Event::product(t, "salt", "kg", &[])?.with_id("P-salt"),
        Event::product(t, "bread", "each", &[("case", "10")])?.with_id("P-bread"),
        Event::location(t, "plant", Some("Bakery"), Some("own")).with_id("L-plant"),
        Event::location(t, "dc", Some("Distribution centre"), Some("own")).with_id("L-dc"),
    ])
}

/// The nine events of production cycle `c`.
fn cycle(c: u64) -> Vec<Event> {
    let t = base_time() + chrono::Duration::minutes(c as i64);
    let day = t.date_naive();
    let expiry = |days: u64| LotAttrs {
        expiry: day.checked_add_days(chrono::Days::new(days)),
        ..Default::default()
    };
    let (flour, salt, bread) = (format!("F{c}"), format!("S{c}"), format!("B{c}"));
    let mut inputs = vec![
        qty("flour", &flour, 600, "kg"),
        qty("salt", &salt, 10, "kg"),
    ];
    if c > 0 {
        inputs.push(qty("flour", &format!("F{}", c - 1), 400, "kg"));
    }
    let mut ev = vec![
        Event::receive(
            t,
            "plant",
            qty("flour", &flour, 1000, "kg"),
            Some(&format!("mill-{}", c % 20)),
        )
        .with_lot_attrs(LotAttrs {
            supplier_lot: Some(format!("ML-{c}")),
            ..expiry(180)
        })
        .with_document("po", &format!("PO-{c}")),
        Event::receive(t, "plant", qty("salt", &salt, 50, "kg"), Some("salt-works"))
            .with_lot_attrs(expiry(720)),
        Event::transform(t, "plant", inputs, vec![qty("bread", &bread, 2000, "each")])
            .with_lot_attrs(expiry(5)),
    ];
    for k in 0..4 {
        ev.push(
            Event::ship(
                t,
                "plant",
                qty("bread", &bread, 40, "case"),
                &format!("store-{}", (c * 7 + k) % 200),
            )
            .with_document("invoice", &format!("INV-{c}-{k}")),
        );
    }
    ev.push(Event::move_(
        t,
        qty("bread", &bread, 300, "each"),
        "plant",
        "dc",
    ));
    ev.push(Event::ship(
        t,
        "dc",
        qty("bread", &bread, 300, "each"),
        &format!("dist-{}", c % 10),
    ));
    for (k, e) in ev.iter_mut().enumerate() {
        e.event_id = format!("c{c}-{k}");
    }
    ev
}

/// An endless stream of realistic events.
struct Generator {
    next_cycle: u64,
    pending: std::vec::IntoIter<Event>,
}

impl Generator {
    fn new() -> Generator {
        Generator {
            next_cycle: 0,
            pending: Vec::new().into_iter(),
        }
    }
}

impl Iterator for Generator {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.pending.next() {
                return Some(e);
            }
            self.pending = cycle(self.next_cycle).into_iter();
            self.next_cycle += 1;
        }
    }
}

fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn open(path: &Path, sync: Synchronous) -> Result<Tracker> {
    Tracker::open(SqliteStore::open_with(
        path,
        SqliteOptions { synchronous: sync },
    )?)
}

fn rate(n: u64, d: Duration) -> String {
    format!("{:>9.0} events/s", n as f64 / d.as_secs_f64())
}

/// Single-event appends for about `budget`, at most `max` events.
fn single_appends(dir: &Path, sync: Synchronous, budget: Duration, max: u64) -> Result<()> {
    let path = dir.join(format!("single-{sync:?}.lottrack"));
    remove_store(&path);
    let t = open(&path, sync)?;
    t.record_batch(master_data()?)?;
    let mut latencies = Vec::new();
    let started = Instant::now();
    for e in Generator::new() {
        let t0 = Instant::now();
        t.record(e)?;
        latencies.push(t0.elapsed());
        if started.elapsed() >= budget || latencies.len() as u64 >= max {
            break;
        }
    }
    let total = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    println!(
        "single events, synchronous={:<6} {} ({} events in {:.2} s; latency p50 {:.2} ms, p99 {:.2} ms)",
        format!("{sync:?}").to_uppercase(),
        rate(latencies.len() as u64, total),
        latencies.len(),
        total.as_secs_f64(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
    drop(t);
    remove_store(&path);
    Ok(())
}

/// Appends `n` generated events in batches of `batch` to a fresh file; returns the
/// time spent in `record_batch`.
fn fill(path: &Path, sync: Synchronous, n: u64, batch: usize, progress: bool) -> Result<Duration> {
    remove_store(path);
    let t = open(path, sync)?;
    t.record_batch(master_data()?)?;
    let mut events = Generator::new();
    let mut done = t.event_count() as u64;
    let mut spent = Duration::ZERO;
    let mut last_report = Instant::now();
    while done < n {
        let chunk: Vec<Event> = events
            .by_ref()
            .take(batch.min((n - done) as usize))
            .collect();
        let len = chunk.len() as u64;
        let t0 = Instant::now();
        t.record_batch(chunk)?;
        spent += t0.elapsed();
        done += len;
        if progress && last_report.elapsed() > Duration::from_secs(10) {
            eprintln!("  … {done} events");
            last_report = Instant::now();
        }
    }
    Ok(spent)
}

fn batch_appends(dir: &Path, sync: Synchronous, n: u64) -> Result<()> {
    let path = dir.join(format!("batch-{sync:?}.lottrack"));
    let spent = fill(&path, sync, n, 1000, false)?;
    println!(
        "batches of 1,000, synchronous={:<4} {} ({n} events in {:.2} s, {:.2} ms per batch)",
        format!("{sync:?}").to_uppercase(),
        rate(n, spent),
        spent.as_secs_f64(),
        spent.as_secs_f64() * 1e3 / (n as f64 / 1000.0),
    );
    remove_store(&path);
    Ok(())
}

/// Peak resident memory of this process (Linux), for the record.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// Times the replay of `path`, and for comparison the bare read of its rows and
/// the read plus JSON parsing.
fn replay(path: &Path) -> Main {
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum();

    let mut store = SqliteStore::open(path)?;
    let t0 = Instant::now();
    let (mut rows, mut bytes) = (0u64, 0u64);
    store.read_from(0, &mut |row| {
        rows += 1;
        bytes += row.json.len() as u64;
        Ok(())
    })?;
    let read = t0.elapsed();
    let t0 = Instant::now();
    let mut parsed = 0u64;
    store.read_from(0, &mut |row| {
        Event::from_json(&row.json)?;
        parsed += 1;
        Ok(())
    })?;
    let read_parse = t0.elapsed();
    drop(store);

    let t0 = Instant::now();
    let t = Tracker::open_sqlite(path)?;
    let full = t0.elapsed();
    println!(
        "replay of {} ({} events, {:.1} MB on disk, {:.0} bytes of JSON per event):",
        path.display(),
        t.event_count(),
        size as f64 / 1e6,
        bytes as f64 / rows.max(1) as f64
    );
    println!(
        "  Tracker::open_sqlite (read + parse + index) {:>7.2} s  {}",
        full.as_secs_f64(),
        rate(t.event_count() as u64, full)
    );
    println!(
        "  of which, measured separately: read rows {:.2} s, read + Event::from_json {:.2} s",
        read.as_secs_f64(),
        read_parse.as_secs_f64()
    );
    assert_eq!(rows, parsed);
    assert_eq!(rows, t.event_count() as u64);
    // A query on the replayed index, to show it is live.
    let q0 = Instant::now();
    let mb = t.mass_balance(&LotKey::new("flour", "F0"))?;
    println!(
        "  a mass balance afterwards: {:.3} ms (closes: {}); peak RSS {}",
        q0.elapsed().as_secs_f64() * 1e3,
        mb.closes(),
        peak_rss()
    );
    Ok(())
}

fn main() -> Main {
    let mut args = std::env::args().skip(1);
    let mut events: u64 = 1_000_000;
    let mut dir: Option<PathBuf> = None;
    let mut keep = false;
    let mut skip_appends = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = Some(args.next().ok_or("--dir needs a directory")?.into()),
            "--keep" => keep = true,
            "--skip-appends" => skip_appends = true,
            "--replay-only" => {
                let file = args.next().ok_or("--replay-only needs a file")?;
                return replay(Path::new(&file));
            }
            "--open-only" => {
                let file = args.next().ok_or("--open-only needs a file")?;
                let t0 = Instant::now();
                let t = Tracker::open_sqlite(&file)?;
                println!(
                    "opened {file}: {} events in {:.2} s",
                    t.event_count(),
                    t0.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            n => events = n.replace('_', "").parse()?,
        }
    }
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d)?;
            d
        }
        None => {
            let d =
                std::env::temp_dir().join(format!("lottrack-store-bench-{}", std::process::id()));
            std::fs::create_dir_all(&d)?;
            d
        }
    };
    println!(
        "lottrack store bench: SQLite {}, files in {}",
        rusqlite::version(),
        dir.display()
    );

    if !skip_appends {
        single_appends(&dir, Synchronous::Full, Duration::from_secs(5), 20_000)?;
        single_appends(&dir, Synchronous::Normal, Duration::from_secs(3), 50_000)?;
        batch_appends(&dir, Synchronous::Full, 100_000)?;
        batch_appends(&dir, Synchronous::Normal, 100_000)?;
    }

    let path = dir.join("replay.lottrack");
    let t0 = Instant::now();
    let spent = fill(&path, Synchronous::Full, events, 1000, true)?;
    println!(
        "built {} with {events} events (batches of 1,000, FULL) in {:.1} s: {}",
        path.display(),
        t0.elapsed().as_secs_f64(),
        rate(events, spent)
    );
    replay(&path)?;
    if keep {
        println!("kept {}", dir.display());
    } else {
        remove_store(&path);
        let _ = std::fs::remove_dir(&dir);
    }
    Ok(())
}
