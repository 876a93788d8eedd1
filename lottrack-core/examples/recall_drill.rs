//! A recall drill on a realistic fresh-produce chain.
//!
//! Three farms deliver spinach, romaine and kale to a wash plant; washing commingles
//! lots; a cut-and-mix line makes salad mix; a pack line fills 250 g retail bags,
//! which go to stores as loose cases and to distributors on pallets. Along the way:
//! a move between sites, a customer return, a shipment entered for the wrong
//! customer and voided. Then farm A reports E. coli in spinach lot F-100: which
//! customers must we call, what stock must we hold, and does every kilogram of
//! F-100 add up?
//!
//! Run: `cargo run --release --example recall_drill [path.db]` — the events go into
//! a SQLite file (the embedded default store); the drill then reopens the file and
//! checks that the replayed tracker gives the very same recall report, and again
//! from a checkpoint of the index saved beside the file.

use std::time::Instant;

use lottrack_core::{
    Event, LotAttrs, LotKey, LotQty, LotStatus, RecallReport, Result, TraceOptions, Tracker,
    parse_time,
};

fn at(s: &str) -> lottrack_core::Time {
    parse_time(s).unwrap_or_else(|e| panic!("bad literal time {s}: {e}"))
}

fn qty(product: &str, lot: &str, q: &str, uom: &str) -> LotQty {
    LotQty::new(product, lot, q, uom).unwrap_or_else(|| panic!("bad literal quantity {q}"))
}

fn expiry(d: &str) -> LotAttrs {
    LotAttrs {
        expiry: d.parse().ok(),
        ..Default::default()
    }
}

/// The whole week at the plant, as events.
fn week() -> Result<Vec<Event>> {
    let t0 = at("2026-03-01T00:00:00+01:00");
    let mut ev = vec![
        Event::product(t0, "spinach", "kg", &[])?.with_id("P-spinach"),
        Event::product(t0, "romaine", "kg", &[])?.with_id("P-romaine"),
        Event::product(t0, "kale", "kg", &[])?.with_id("P-kale"),
        Event::product(t0, "washed-greens", "kg", &[])?.with_id("P-washed"),
        Event::product(t0, "salad-mix", "kg", &[])?.with_id("P-mix"),
        // A 250 g bag: 4 bags a kg, 12 bags a case.
        Event::product(t0, "salad-bag-250g", "each", &[("case", "12"), ("kg", "4")])?
            .with_id("P-bag"),
        Event::party(t0, "farm-a", Some("Green Valley Farm"), Some("supplier"))
            .with_id("PA-farm-a"),
        Event::party(t0, "farm-b", Some("Sunrise Growers"), Some("supplier")).with_id("PA-farm-b"),
        Event::party(t0, "farm-c", Some("Coastal Leaf Co."), Some("supplier")).with_id("PA-farm-c"),
        Event::party(
            t0,
            "store-12",
            Some("FreshMart #12, Springfield"),
            Some("customer"),
        )
        .with_id("PA-s12"),
        Event::party(
            t0,
            "store-31",
            Some("FreshMart #31, Shelbyville"),
            Some("customer"),
        )
        .with_id("PA-s31"),
        Event::party(
            t0,
            "dist-north",
            Some("Northern Foodservice Distribution"),
            Some("customer"),
        )
        .with_id("PA-dn"),
        Event::party(
            t0,
            "dist-west",
            Some("West Coast Grocers Co-op"),
            Some("customer"),
        )
        .with_id("PA-dw"),
        Event::location(t0, "wash-plant", Some("Salinas wash plant"), Some("own"))
            .with_id("L-wash"),
        Event::location(
            t0,
            "pack-house",
            Some("Watsonville pack house"),
            Some("own"),
        )
        .with_id("L-pack"),
    ];
    // Receipts from the farms.
    for (id, product, lot, q, farm, sl, t) in [
        (
            "R1",
            "spinach",
            "F-100",
            "1200",
            "farm-a",
            "GV-0301-A",
            "2026-03-02T05:10:00+01:00",
        ),
        (
            "R2",
            "spinach",
            "F-101",
            "800",
            "farm-b",
            "SR-77",
            "2026-03-02T05:40:00+01:00",
        ),
        (
            "R3",
            "romaine",
            "R-200",
            "900",
            "farm-c",
            "CL-12",
            "2026-03-02T06:05:00+01:00",
        ),
        (
            "R4",
            "kale",
            "K-300",
            "400",
            "farm-a",
            "GV-0301-K",
            "2026-03-02T06:20:00+01:00",
        ),
    ] {
        ev.push(
            Event::receive(at(t), "wash-plant", qty(product, lot, q, "kg"), Some(farm))
                .with_lot_attrs(LotAttrs {
                    supplier_lot: Some(sl.into()),
                    ..expiry("2026-03-14")
                })
                .with_id(id)
                .with_document("po", &format!("PO-{id}")),
        );
    }
    // Washing commingles farm lots.
    ev.push(
        Event::transform(
            at("2026-03-02T09:00:00+01:00"),
            "wash-plant",
            vec![
                qty("spinach", "F-100", "700", "kg"),
                qty("spinach", "F-101", "500", "kg"),
            ],
            vec![qty("washed-greens", "W-1", "1150", "kg")],
        )
        .with_lot_attrs(expiry("2026-03-12"))
        .with_id("WASH-1"),
    );
    ev.push(
        Event::transform(
            at("2026-03-02T11:00:00+01:00"),
            "wash-plant",
            vec![
                qty("spinach", "F-100", "450", "kg"),
                qty("romaine", "R-200", "850", "kg"),
            ],
            vec![qty("washed-greens", "W-2", "1250", "kg")],
        )
        .with_lot_attrs(expiry("2026-03-12"))
        .with_id("WASH-2"),
    );
    ev.push(
        Event::transform(
            at("2026-03-02T12:30:00+01:00"),
            "wash-plant",
            vec![
                qty("spinach", "F-101", "300", "kg"),
                qty("kale", "K-300", "380", "kg"),
            ],
            vec![qty("washed-greens", "W-3", "650", "kg")],
        )
        .with_lot_attrs(expiry("2026-03-12"))
        .with_id("WASH-3"),
    );
    // Spoiled leaves out, the rest trucked to the pack house.
    ev.push(
        Event::dispose(
            at("2026-03-02T13:00:00+01:00"),
            "wash-plant",
            qty("spinach", "F-100", "50", "kg"),
            Some("trim waste"),
        )
        .with_id("D1"),
    );
    for (id, lot, q) in [
        ("MV1", "W-1", "1150"),
        ("MV2", "W-2", "1250"),
        ("MV3", "W-3", "650"),
    ] {
        ev.push(
            Event::move_(
                at("2026-03-02T15:00:00+01:00"),
                qty("washed-greens", lot, q, "kg"),
                "wash-plant",
                "pack-house",
            )
            .with_id(id),
        );
    }
    // Cut and mix, then bag.
    ev.push(
        Event::transform(
            at("2026-03-03T07:00:00+01:00"),
            "pack-house",
            vec![
                qty("washed-greens", "W-1", "1150", "kg"),
                qty("washed-greens", "W-3", "250", "kg"),
            ],
            vec![qty("salad-mix", "M-1", "1400", "kg")],
        )
        .with_lot_attrs(expiry("2026-03-10"))
        .with_id("MIX-1"),
    );
    ev.push(
        Event::transform(
            at("2026-03-03T09:00:00+01:00"),
            "pack-house",
            vec![qty("washed-greens", "W-2", "1250", "kg")],
            vec![qty("salad-mix", "M-2", "1250", "kg")],
        )
        .with_lot_attrs(expiry("2026-03-10"))
        .with_id("MIX-2"),
    );
    ev.push(
        Event::transform(
            at("2026-03-03T11:00:00+01:00"),
            "pack-house",
            vec![qty("salad-mix", "M-1", "1200", "kg")],
            vec![qty("salad-bag-250g", "B-0303-1", "4800", "each")],
        )
        .with_lot_attrs(expiry("2026-03-09"))
        .with_id("BAG-1"),
    );
    ev.push(
        Event::transform(
            at("2026-03-03T13:00:00+01:00"),
            "pack-house",
            vec![
                qty("salad-mix", "M-2", "900", "kg"),
                qty("salad-mix", "M-1", "200", "kg"),
            ],
            vec![qty("salad-bag-250g", "B-0303-2", "4400", "each")],
        )
        .with_lot_attrs(expiry("2026-03-09"))
        .with_id("BAG-2"),
    );
    ev.push(
        Event::transform(
            at("2026-03-03T14:00:00+01:00"),
            "pack-house",
            vec![qty("washed-greens", "W-3", "400", "kg")],
            vec![qty("salad-bag-250g", "B-0303-3", "1600", "each")],
        )
        .with_lot_attrs(expiry("2026-03-09"))
        .with_id("BAG-3"),
    );
    // Pallets for the distributors.
    ev.push(
        Event::pack(
            at("2026-03-03T16:00:00+01:00"),
            "pack-house",
            "SSCC-003760000000000017",
            vec![
                qty("salad-bag-250g", "B-0303-1", "150", "case"),
                qty("salad-bag-250g", "B-0303-2", "60", "case"),
            ],
        )
        .with_id("PACK-1"),
    );
    ev.push(
        Event::pack(
            at("2026-03-03T16:10:00+01:00"),
            "pack-house",
            "SSCC-003760000000000024",
            vec![qty("salad-bag-250g", "B-0303-2", "180", "case")],
        )
        .with_id("PACK-2"),
    );
    ev.push(
        Event::ship_container(
            at("2026-03-04T04:00:00+01:00"),
            "pack-house",
            "SSCC-003760000000000017",
            "dist-north",
        )
        .with_id("SH-1")
        .with_document("bol", "BOL-8812"),
    );
    ev.push(
        Event::ship_container(
            at("2026-03-04T04:30:00+01:00"),
            "pack-house",
            "SSCC-003760000000000024",
            "dist-west",
        )
        .with_id("SH-2")
        .with_document("bol", "BOL-8813"),
    );
    // Loose cases to stores; one shipment keyed to the wrong store and voided.
    ev.push(
        Event::ship(
            at("2026-03-04T05:00:00+01:00"),
            "pack-house",
            qty("salad-bag-250g", "B-0303-1", "40", "case"),
            "store-31",
        )
        .with_id("SH-3")
        .with_document("invoice", "INV-5501"),
    );
    ev.push(
        Event::void(
            at("2026-03-04T05:20:00+01:00"),
            "SH-3",
            Some("incorrect_data"),
        )
        .with_id("VOID-SH-3"),
    );
    ev.push(
        Event::ship(
            at("2026-03-04T05:25:00+01:00"),
            "pack-house",
            qty("salad-bag-250g", "B-0303-1", "40", "case"),
            "store-12",
        )
        .with_id("SH-4")
        .with_document("invoice", "INV-5502"),
    );
    ev.push(
        Event::ship(
            at("2026-03-04T05:40:00+01:00"),
            "pack-house",
            qty("salad-bag-250g", "B-0303-3", "60", "case"),
            "store-31",
        )
        .with_id("SH-5")
        .with_document("invoice", "INV-5503"),
    );
    // Store 12 sends back two crushed cases.
    ev.push(
        Event::return_(
            at("2026-03-05T10:00:00+01:00"),
            "pack-house",
            qty("salad-bag-250g", "B-0303-1", "2", "case"),
            "store-12",
        )
        .with_id("RET-1")
        .with_document("rma", "RMA-31"),
    );
    Ok(ev)
}

fn print_report(t: &Tracker, r: &RecallReport) {
    let name = |id: &str| t.party_name(id).unwrap_or_else(|| id.to_string());
    println!(
        "RECALL of {}",
        r.roots
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("\n1. Customers to notify ({}):", r.customers.len());
    for c in &r.customers {
        println!("   {} — {}", c.customer, name(&c.customer));
        for s in &c.shipments {
            let docs: Vec<String> = s.documents.iter().map(|d| d.to_string()).collect();
            println!(
                "      {}  {:>6} {:<5} of {}/{}  from {}  [{}]  {}",
                s.time.format("%Y-%m-%d %H:%M %:z"),
                s.quantity,
                s.uom,
                s.product,
                s.lot,
                s.location,
                s.event_id,
                docs.join(", ")
            );
        }
    }
    println!("\n2. Stock to hold:");
    let mut any = false;
    for (lot, oh) in r.stock_to_hold() {
        any = true;
        println!(
            "   {:<16} {:<9} {:>7} {:<4} at {}{}  (status {})",
            lot.product,
            lot.lot,
            oh.quantity,
            oh.uom,
            oh.location,
            oh.container
                .as_deref()
                .map(|c| format!(" in {c}"))
                .unwrap_or_default(),
            lot.status
        );
    }
    if !any {
        println!("   (none)");
    }
    println!("\n3. Affected lots: {}", r.lots.len());
    for l in &r.lots {
        println!(
            "   depth {}  {}/{}  {}",
            l.depth, l.product, l.lot, l.status
        );
    }
    println!("\n4. Mass balance of the recalled lots:");
    for mb in &r.mass_balance {
        println!("   {}/{} in {}:", mb.product, mb.lot, mb.uom);
        println!(
            "      received {:>8}   produced {:>6}   returned {:>6}",
            mb.received, mb.produced, mb.returned
        );
        println!(
            "      shipped  {:>8}   consumed {:>6}   disposed {:>6}   adjusted {:>6}",
            mb.shipped, mb.consumed, mb.disposed, mb.adjusted
        );
        println!(
            "      on hand  {:>8}   unaccounted {}  => {}",
            mb.on_hand,
            mb.unaccounted,
            if mb.closes() {
                "closes exactly"
            } else {
                "DOES NOT CLOSE"
            }
        );
    }
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("lottrack-recall-drill.db"));
    for suffix in ["", "-wal", "-shm", ".checkpoint"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let started = Instant::now();
    let t = Tracker::open_sqlite(&path)?;
    let events = week()?;
    let n = events.len();
    for e in events {
        t.record(e)?;
    }
    let recorded = started.elapsed();

    // A mistake the engine refuses: shipping more of B-0303-3 than is left.
    let over = Event::ship(
        at("2026-03-05T12:00:00+01:00"),
        "pack-house",
        qty("salad-bag-250g", "B-0303-3", "100", "case"),
        "store-12",
    )
    .with_id("SH-X");
    match t.record(over) {
        Err(e) => println!("refused as expected: {e}\n"),
        Ok(_) => return Err("an over-shipment was accepted".into()),
    }

    let root = LotKey::new("spinach", "F-100");
    let opts = TraceOptions::default();
    let q0 = Instant::now();
    let report = t.recall(std::slice::from_ref(&root), &opts)?;
    let query = q0.elapsed();
    print_report(&t, &report);

    let exposure = t.exposure(&root, &opts)?;
    println!("\n5. Share of each downstream lot that came from {root}:");
    for l in &exposure.lots {
        let pct = (l.fraction * rust_decimal::Decimal::from(100)).round_dp(2);
        println!("   {:<26} {:>6} %", format!("{}/{}", l.product, l.lot), pct);
    }

    let back = t.trace_backward(&LotKey::new("salad-bag-250g", "B-0303-2"), &opts)?;
    println!(
        "\n6. Where bag lot B-0303-2 came from: {} lots, farms:",
        back.lots.len()
    );
    for r in &back.receipts {
        println!(
            "   {} {} {} of {}/{} (PO {})",
            r.party,
            r.time.format("%Y-%m-%d"),
            r.quantity,
            r.product,
            r.lot,
            r.documents.first().map(|d| d.id.as_str()).unwrap_or("-")
        );
    }

    // Execute: the hold is recorded as a status event, durable and auditable.
    let executed = t.execute_recall(
        std::slice::from_ref(&root),
        &opts,
        at("2026-03-06T08:00:00+01:00"),
        Some("RECALL-F-100"),
    )?;
    let held = executed
        .lots
        .iter()
        .filter(|l| l.status == LotStatus::Recalled)
        .count();
    println!("\n7. Recall executed: {held} lots set to recalled by event RECALL-F-100");

    // Reopen the file: the replayed tracker must give the same report.
    drop(t);
    let r0 = Instant::now();
    let reopened = Tracker::open_sqlite(&path)?;
    let replay = r0.elapsed();
    let again = reopened.recall(std::slice::from_ref(&root), &opts)?;
    if again != executed {
        return Err("the reopened store gives a different recall report".into());
    }
    println!(
        "8. Reopened {} ({} events): same recall report.",
        path.display(),
        reopened.event_count()
    );

    // Save the index beside the file; the next open loads it instead of
    // replaying the log.
    let saved = reopened.write_checkpoint()?;
    drop(reopened);
    let c0 = Instant::now();
    let loaded = Tracker::open_sqlite(&path)?;
    let from_checkpoint = c0.elapsed();
    let info = loaded.open_info();
    if info.checkpoint_seq != Some(saved.seq) || info.replayed != 0 {
        return Err(format!("the checkpoint was not used: {info:?}").into());
    }
    if loaded.recall(std::slice::from_ref(&root), &opts)? != executed {
        return Err("the store opened from its checkpoint gives a different recall report".into());
    }
    println!(
        "9. Checkpoint {} ({} bytes, up to seq {}) loaded on the next open: same recall report.",
        saved.path.display(),
        saved.bytes,
        saved.seq
    );
    println!(
        "\nTimings: {n} events recorded durably in {:.1} ms, recall report in {:.3} ms, reopen+replay in {:.1} ms, reopen from the checkpoint in {:.1} ms",
        recorded.as_secs_f64() * 1e3,
        query.as_secs_f64() * 1e3,
        replay.as_secs_f64() * 1e3,
        from_checkpoint.as_secs_f64() * 1e3
    );
    Ok(())
}
