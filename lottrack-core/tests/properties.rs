//! Property tests over random event sequences: traces agree both ways, every mass
//! balance closes exactly, replay rebuilds the same answers, a rejected event
//! changes nothing, and voiding an event equals never recording it (the last
//! one or any earlier one, lot attributes and inherited expiries included).

use lottrack_core::store::{EventStore, MemoryStore, NewEvent};
use lottrack_core::{Event, LotKey, TraceOptions, Tracker};
use proptest::prelude::*;

const PRODUCTS: [&str; 3] = ["wheat", "flour", "bread"];
const LOTS: [&str; 3] = ["A", "B", "C"];
const LOCS: [&str; 2] = ["north", "south"];

#[derive(Debug, Clone)]
enum Op {
    /// Lot, quantity, location, expiry (0: none).
    Receive(usize, u32, usize, u8),
    /// Inputs, outputs with their expiry (0: none, else inherited when the
    /// product asks for it), location.
    Transform(Vec<(usize, u32)>, Vec<(usize, u32, u8)>, usize),
    Ship(usize, u32, usize),
    Move(usize, u32, usize),
    Dispose(usize, u32, usize),
    Adjust(usize, i32, usize),
    Return(usize, u32, usize),
    Pack(usize, usize, u32, usize),
    Unpack(usize, usize, u32),
    ShipContainer(usize),
    Hold(usize),
    Void(usize),
}

fn lot(i: usize) -> (&'static str, &'static str) {
    (PRODUCTS[i % 3], LOTS[(i / 3) % 3])
}

/// Quantities in quarters, so decimals take part: 13 -> "3.25".
fn q(n: u32) -> String {
    format!("{}.{:02}", n / 4, (n % 4) * 25)
}

fn line(i: usize, n: u32) -> String {
    let (p, l) = lot(i);
    format!(
        r#"{{"product":"{p}","lot":"{l}","quantity":"{}","uom":"kg"}}"#,
        q(n)
    )
}

/// An expiry field (0: none).
fn expiry(e: u8) -> String {
    match e {
        0 => String::new(),
        e => format!(r#","expiry":"2026-04-{e:02}""#),
    }
}

/// Flour and bread inherit the earliest expiry of their inputs, less a day.
fn declare_products(t: &Tracker) {
    for p in ["flour", "bread"] {
        t.record_json(&format!(
            r#"{{"kind":"product","event_id":"P-{p}","time":"2026-02-01T00:00:00Z","product":"{p}","uom":"kg","inherit_expiry":{{"margin_days":1}}}}"#
        ))
        .expect("product");
    }
}

fn op_json(op: &Op, k: usize) -> String {
    let id = format!("E{k}");
    let time = format!("2026-03-01T{:02}:{:02}:00+01:00", (k / 60) % 24, k % 60);
    let head = |kind: &str| format!(r#""event_id":"{id}","kind":"{kind}","time":"{time}""#);
    let single = |i: usize, n: u32| {
        let (p, l) = lot(i);
        format!(
            r#""product":"{p}","lot":"{l}","quantity":"{}","uom":"kg""#,
            q(n)
        )
    };
    match op {
        Op::Receive(i, n, loc, e) => format!(
            r#"{{{},"location":"{}",{},"supplier":"farm-{}"{}}}"#,
            head("receive"),
            LOCS[*loc],
            single(*i, *n),
            k % 3,
            expiry(*e)
        ),
        Op::Transform(ins, outs, loc) => {
            let ins: Vec<String> = ins.iter().map(|(i, n)| line(*i, *n)).collect();
            let outs: Vec<String> = outs
                .iter()
                .map(|(i, n, e)| {
                    let l = line(*i, *n);
                    format!("{}{}}}", &l[..l.len() - 1], expiry(*e))
                })
                .collect();
            format!(
                r#"{{{},"location":"{}","inputs":[{}],"outputs":[{}]}}"#,
                head("transform"),
                LOCS[*loc],
                ins.join(","),
                outs.join(",")
            )
        }
        Op::Ship(i, n, loc) => format!(
            r#"{{{},"location":"{}",{},"customer":"cust-{}"}}"#,
            head("ship"),
            LOCS[*loc],
            single(*i, *n),
            n % 3
        ),
        Op::Move(i, n, from) => format!(
            r#"{{{},{},"from_location":"{}","to_location":"{}"}}"#,
            head("move"),
            single(*i, *n),
            LOCS[*from],
            LOCS[1 - *from]
        ),
        Op::Dispose(i, n, loc) => format!(
            r#"{{{},"location":"{}",{},"reason":"spoiled"}}"#,
            head("dispose"),
            LOCS[*loc],
            single(*i, *n)
        ),
        Op::Adjust(i, n, loc) => {
            let (p, l) = lot(*i);
            let sign = if *n < 0 { "-" } else { "" };
            format!(
                r#"{{{},"location":"{}","product":"{p}","lot":"{l}","quantity":"{sign}{}","uom":"kg"}}"#,
                head("adjust"),
                LOCS[*loc],
                q(n.unsigned_abs())
            )
        }
        Op::Return(i, n, loc) => format!(
            r#"{{{},"location":"{}",{},"customer":"cust-0"}}"#,
            head("return"),
            LOCS[*loc],
            single(*i, *n)
        ),
        Op::Pack(c, i, n, loc) => format!(
            r#"{{{},"location":"{}","container":"SSCC-{c}","contents":[{}]}}"#,
            head("pack"),
            LOCS[*loc],
            line(*i, *n)
        ),
        Op::Unpack(c, i, n) => format!(
            r#"{{{},"container":"SSCC-{c}","contents":[{}]}}"#,
            head("unpack"),
            line(*i, *n)
        ),
        Op::ShipContainer(c) => format!(
            r#"{{{},"container":"SSCC-{c}","customer":"cust-9"}}"#,
            head("ship")
        ),
        Op::Hold(i) => {
            let (p, l) = lot(*i);
            format!(
                r#"{{{},"status":"hold","lots":[{{"product":"{p}","lot":"{l}"}}]}}"#,
                head("status")
            )
        }
        Op::Void(back) => format!(
            r#"{{{},"target":"E{}"}}"#,
            head("void"),
            k.saturating_sub(*back + 1)
        ),
    }
}

fn op() -> impl Strategy<Value = Op> {
    let l = 0usize..9;
    let n = 1u32..200;
    prop_oneof![
        4 => (l.clone(), n.clone(), 0usize..2, 0u8..3).prop_map(|(a, b, c, d)| Op::Receive(a, b, c, d)),
        4 => (prop::collection::vec((l.clone(), 1u32..60), 1..3), prop::collection::vec((l.clone(), n.clone(), 0u8..3), 1..3), 0usize..2)
            .prop_map(|(a, b, c)| Op::Transform(a, b, c)),
        2 => (l.clone(), 1u32..80, 0usize..2).prop_map(|(a, b, c)| Op::Ship(a, b, c)),
        1 => (l.clone(), 1u32..80, 0usize..2).prop_map(|(a, b, c)| Op::Move(a, b, c)),
        1 => (l.clone(), 1u32..40, 0usize..2).prop_map(|(a, b, c)| Op::Dispose(a, b, c)),
        1 => (l.clone(), -40i32..40, 0usize..2).prop_map(|(a, b, c)| Op::Adjust(a, b, c)),
        1 => (l.clone(), 1u32..40, 0usize..2).prop_map(|(a, b, c)| Op::Return(a, b, c)),
        1 => (0usize..2, l.clone(), 1u32..40, 0usize..2).prop_map(|(a, b, c, d)| Op::Pack(a, b, c, d)),
        1 => (0usize..2, l.clone(), 1u32..40).prop_map(|(a, b, c)| Op::Unpack(a, b, c)),
        1 => (0usize..2).prop_map(Op::ShipContainer),
        1 => l.clone().prop_map(Op::Hold),
        1 => (0usize..6).prop_map(Op::Void),
    ]
}

/// Mostly receipts and transforms: the events that give lots attributes and
/// pass expiries on.
fn attr_op() -> impl Strategy<Value = Op> {
    let l = 0usize..9;
    prop_oneof![
        4 => (l.clone(), 1u32..100, 0usize..2, 0u8..3).prop_map(|(a, b, c, d)| Op::Receive(a, b, c, d)),
        4 => (prop::collection::vec((l.clone(), 1u32..20), 1..3), prop::collection::vec((l.clone(), 1u32..50, 0u8..3), 1..3), 0usize..2)
            .prop_map(|(a, b, c)| Op::Transform(a, b, c)),
        1 => (l.clone(), 1u32..30, 0usize..2).prop_map(|(a, b, c)| Op::Ship(a, b, c)),
        1 => (l.clone(), 1u32..30, 0usize..2).prop_map(|(a, b, c)| Op::Move(a, b, c)),
        1 => l.clone().prop_map(Op::Hold),
        1 => (0usize..6).prop_map(Op::Void),
    ]
}

/// Every answer about every lot of the universe, order-insensitive.
fn fingerprint(t: &Tracker) -> String {
    answers(t, true)
}

/// Every answer about every lot, with or without each lot's history (which
/// keeps a voided event and its void).
fn answers(t: &Tracker, with_history: bool) -> String {
    let o = TraceOptions::default();
    let mut out = String::new();
    for i in 0..9 {
        let (p, l) = lot(i);
        let k = LotKey::new(p, l);
        match t.trace_forward(&k, &o) {
            Err(e) => out.push_str(&format!("{k}: {}\n", e.kind_name())),
            Ok(f) => {
                let mut lots: Vec<String> = f
                    .lots
                    .iter()
                    .map(|x| format!("{}/{}@{}", x.product, x.lot, x.depth))
                    .collect();
                lots.sort();
                let mut ships: Vec<String> = f
                    .shipments
                    .iter()
                    .map(|s| format!("{}:{}:{}:{}", s.event_id, s.party, s.lot, s.quantity))
                    .collect();
                ships.sort();
                let b = t.trace_backward(&k, &o).expect("backward of a live lot");
                let mut blots: Vec<String> = b
                    .lots
                    .iter()
                    .map(|x| format!("{}/{}@{}", x.product, x.lot, x.depth))
                    .collect();
                blots.sort();
                let mb = t.mass_balance(&k).expect("mb");
                let mut oh: Vec<String> = t
                    .on_hand(&k)
                    .expect("on hand")
                    .iter()
                    .map(|s| {
                        format!(
                            "{}:{:?}:{}",
                            s.location,
                            s.container,
                            s.quantity.normalize()
                        )
                    })
                    .collect();
                oh.sort();
                let hist: Vec<String> = match with_history {
                    true => t
                        .history(&k)
                        .expect("history")
                        .iter()
                        .map(|e| e.event_id.clone())
                        .collect(),
                    false => Vec::new(),
                };
                let a = t.lot(&k).expect("lot");
                out.push_str(&format!(
                    "{k}: attrs {:?} {:?} {:?} {:?} {:?}\n",
                    a.expiry, a.expiry_source, a.supplier, a.supplier_lot, a.production_date
                ));
                out.push_str(&format!(
                    "{k}: fwd {lots:?} ships {ships:?} bwd {blots:?} mb {} {} {} {} {} {} {} {} {} oh {oh:?} hist {hist:?} status {}\n",
                    mb.received, mb.produced, mb.returned, mb.shipped, mb.consumed, mb.disposed, mb.adjusted, mb.on_hand, mb.unaccounted,
                    t.recall(std::slice::from_ref(&k), &o).expect("recall").lots[0].status
                ));
            }
        }
    }
    out
}

/// Records the ops; returns the tracker and the JSON of each op with whether it was accepted.
fn run(ops: &[Op], check_rejections: bool) -> (Tracker, Vec<(String, bool)>) {
    let t = Tracker::in_memory();
    declare_products(&t);
    let mut log = Vec::new();
    for (k, op) in ops.iter().enumerate() {
        let json = op_json(op, k);
        let before = if check_rejections {
            Some(fingerprint(&t))
        } else {
            None
        };
        let ok = t.record_json(&json).is_ok();
        if let (false, Some(before)) = (ok, before) {
            assert_eq!(
                fingerprint(&t),
                before,
                "rejected event changed answers: {json}"
            );
        }
        log.push((json, ok));
    }
    (t, log)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn traces_agree_and_balances_close(ops in prop::collection::vec(op(), 1..60)) {
        let (t, _) = run(&ops, false);
        let o = TraceOptions::default();
        let live: Vec<LotKey> = (0..9).map(|i| { let (p, l) = lot(i); LotKey::new(p, l) })
            .filter(|k| t.mass_balance(k).is_ok()).collect();
        for a in &live {
            let fwd = t.trace_forward(a, &o).expect("fwd");
            for b in &live {
                if a == b { continue; }
                let in_fwd = fwd.lots.iter().any(|x| *x.product == *b.product && *x.lot == *b.lot);
                let bwd = t.trace_backward(b, &o).expect("bwd");
                let in_bwd = bwd.lots.iter().any(|x| *x.product == *a.product && *x.lot == *a.lot);
                prop_assert_eq!(in_fwd, in_bwd, "{} -> {}", a, b);
            }
            let mb = t.mass_balance(a).expect("mb");
            prop_assert!(mb.unaccounted.is_zero(), "{:?}", mb);
            prop_assert_eq!(mb.total_in() - mb.total_out(), mb.on_hand);
            for s in t.on_hand(a).expect("oh") {
                prop_assert!(s.quantity > rust_decimal::Decimal::ZERO, "{:?}", s);
            }
        }
    }

    #[test]
    fn recall_agrees_with_the_forward_trace(ops in prop::collection::vec(op(), 1..60)) {
        let (t, _) = run(&ops, false);
        let o = TraceOptions::default();
        for i in 0..9 {
            let (p, l) = lot(i);
            let k = LotKey::new(p, l);
            let Ok(fwd) = t.trace_forward(&k, &o) else { continue };
            let r = t.recall(std::slice::from_ref(&k), &o).expect("recall of a traced lot");
            // A recall's lots are the trace's and the root itself, at depth 0.
            let mut want: Vec<String> = fwd.lots.iter()
                .map(|x| format!("{}/{}@{}", x.product, x.lot, x.depth)).collect();
            want.push(format!("{}/{}@0", k.product, k.lot));
            let mut got: Vec<String> = r.lots.iter()
                .map(|x| format!("{}/{}@{}", x.product, x.lot, x.depth)).collect();
            want.sort();
            got.sort();
            prop_assert_eq!(got, want, "lots of {}", k);
            let row = |s: &lottrack_core::trace::Shipment| {
                format!("{}:{}:{}/{}:{}:{}", s.event_id, s.party, s.product, s.lot, s.location, s.quantity)
            };
            let mut want: Vec<String> = fwd.shipments.iter().map(row).collect();
            let mut got: Vec<String> = r.customers.iter().flat_map(|c| c.shipments.iter().map(row)).collect();
            want.sort();
            got.sort();
            prop_assert_eq!(got, want, "shipments of {}", k);
            for w in r.customers.windows(2) {
                prop_assert!(w[0].customer < w[1].customer, "customers out of order: {:?}", r.customers);
            }
            for c in &r.customers {
                prop_assert!(c.shipments.iter().all(|s| s.party == c.customer));
                for w in c.shipments.windows(2) {
                    let (a, b) = (&w[0], &w[1]);
                    prop_assert!((a.time, &a.event_id) <= (b.time, &b.event_id), "{:?} before {:?}", a, b);
                }
            }
            for x in &r.lots {
                let mut want: Vec<String> = t.on_hand(&LotKey::new(&x.product, &x.lot)).expect("on hand")
                    .iter().map(|s| format!("{}:{:?}:{}", s.location, s.container, s.quantity)).collect();
                let got: Vec<String> = x.on_hand.iter()
                    .map(|s| format!("{}:{:?}:{}", s.location, s.container.as_deref(), s.quantity)).collect();
                want.sort();
                prop_assert_eq!(got, want, "stock of {}/{}", x.product, x.lot);
            }
        }
    }

    #[test]
    fn replay_rebuilds_the_same_answers(ops in prop::collection::vec(op(), 1..60)) {
        let (t, _) = run(&ops, false);
        let mut store = MemoryStore::new();
        let rows: Vec<NewEvent> = t.events().expect("events").into_iter().map(|(_, e, _)| NewEvent {
            event_id: e.event_id.clone(), recorded_at: "2026-03-01T00:00:00Z".into(), json: e.to_json() }).collect();
        store.append(0, &rows).expect("append");
        let replayed = Tracker::open(store).expect("replay");
        prop_assert_eq!(fingerprint(&replayed), fingerprint(&t));
        prop_assert_eq!(replayed.event_count(), t.event_count());
    }

    #[test]
    fn rejected_events_change_nothing(ops in prop::collection::vec(op(), 1..30)) {
        run(&ops, true);
    }

    #[test]
    fn record_then_void_equals_never(ops in prop::collection::vec(op(), 1..40), extra in op()) {
        let (t, log) = run(&ops, false);
        let k = ops.len();
        let json = op_json(&extra, k);
        let before = fingerprint(&t);
        if t.record_json(&json).is_ok() && !matches!(extra, Op::Void(_)) {
            let void = Event::from_json(&format!(r#"{{"event_id":"V","kind":"void","time":"2026-03-02T00:00:00Z","target":"E{k}"}}"#)).expect("void");
            t.record(void).expect("voiding the last event never conflicts");
            prop_assert_eq!(fingerprint(&t), before, "after voiding {}", json);
        }
        let _ = log;
    }

}

/// Records `ops`, voids one of the accepted events `pick` chooses, and
/// compares every answer but history with a tracker that never saw it.
fn void_equals_never(ops: &[Op], pick: prop::sample::Index) -> Result<(), TestCaseError> {
    let (t, log) = run(ops, false);
    let voidable: Vec<usize> = (0..ops.len())
        .filter(|&k| log[k].1 && !matches!(ops[k], Op::Void(_)))
        .collect();
    prop_assume!(!voidable.is_empty());
    let j = voidable[pick.index(voidable.len())];
    let void = Event::from_json(&format!(
        r#"{{"event_id":"V","kind":"void","time":"2026-03-02T00:00:00Z","target":"E{j}"}}"#
    ))
    .expect("void");
    // Already voided, or a later event needs its stock: rejected, fine.
    prop_assume!(t.record(void).is_ok());
    let never = Tracker::in_memory();
    declare_products(&never);
    for (k, (json, ok)) in log.iter().enumerate() {
        if k != j && *ok {
            // Without the voided event a later one may be refused (a
            // status of a lot only it created): nothing to compare then.
            prop_assume!(never.record_json(json).is_ok());
        }
    }
    prop_assert_eq!(
        answers(&t, false),
        answers(&never, false),
        "after voiding {}",
        &log[j].0
    );
    Ok(())
}

proptest! {
    // Many of the picked voids are refused (a later event needs the stock):
    // those cases are not counted, so allow many rejects.
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 100_000, ..ProptestConfig::default() })]

    #[test]
    fn voiding_any_event_equals_never_recording_it(ops in prop::collection::vec(op(), 1..60), pick in any::<prop::sample::Index>()) {
        void_equals_never(&ops, pick)?;
    }

    #[test]
    fn voiding_a_receipt_or_transform_takes_back_its_attributes(ops in prop::collection::vec(attr_op(), 1..30), pick in any::<prop::sample::Index>()) {
        void_equals_never(&ops, pick)?;
    }
}

proptest! {
    // Each case writes SQLite files and checkpoints: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_checkpoint_rebuilds_the_same_index(ops in prop::collection::vec(op(), 1..50), cut in 0usize..50) {
        use lottrack_core::store::{SqliteOptions, Synchronous};
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("p.lottrack");
        let cp = dir.path().join("p.lottrack.checkpoint");
        let open = || Tracker::open_sqlite_with(&path, SqliteOptions { synchronous: Synchronous::Normal }, Default::default()).expect("open");
        let t = open();
        declare_products(&t);
        let mut at_cut = None;
        for (k, op) in ops.iter().enumerate() {
            let _ = t.record_json(&op_json(op, k));
            if k == cut {
                at_cut = Some(t.write_checkpoint().expect("checkpoint").seq);
            }
        }
        let live = fingerprint(&t);
        let total = t.event_count() as u64;
        drop(t);
        let t = open();
        let info = t.open_info();
        prop_assert_eq!(info.checkpoint_seq, at_cut);
        prop_assert_eq!(info.replayed, total - at_cut.unwrap_or(0));
        prop_assert_eq!(fingerprint(&t), live.clone());
        // The index loaded (and replayed on top) is the index a full replay
        // builds, byte for byte.
        t.write_checkpoint().expect("checkpoint");
        let loaded = std::fs::read(&cp).expect("read");
        drop(t);
        std::fs::remove_file(&cp).expect("remove");
        let full = open();
        prop_assert_eq!(full.open_info().replayed, total);
        full.write_checkpoint().expect("checkpoint");
        prop_assert!(std::fs::read(&cp).expect("read") == loaded, "checkpoint bytes differ");
        prop_assert_eq!(fingerprint(&full), live);
    }
}
