//! Recall exercises: reporting units and tolerance, scored mock recalls, bitemporal
//! as-of, inherited expiry, exposure through commingling — hand-computed answers.

use std::thread::sleep;
use std::time::Duration;

use chrono::Utc;
use lottrack_core::reporting::Tolerance;
use lottrack_core::{LotKey, TraceOptions, Tracker};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

fn tracker(lines: &[&str]) -> Tracker {
    let t = Tracker::in_memory();
    for l in lines {
        t.record_json(l).unwrap_or_else(|e| panic!("{l}: {e}"));
    }
    t
}

const BAGS: &[&str] = &[
    r#"{"event_id":"P","kind":"product","time":"2026-03-01T00:00:00Z","product":"bag","uom":"each","conversions":{"kg":"4"}}"#,
    r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"bag","lot":"B","quantity":"400","uom":"each","supplier":"s"}"#,
];

#[test]
fn tolerance_boundaries_are_inclusive() {
    // In strict mode out + on hand always equals in: 100 % accounted.
    let t = tracker(&[
        r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"oil","lot":"O","quantity":"100","uom":"kg"}"#,
        r#"{"event_id":"S","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"oil","lot":"O","quantity":"80","uom":"kg","customer":"c"}"#,
    ]);
    let k = LotKey::new("oil", "O");
    let b = t
        .mass_balance_in(&k, "kg", Tolerance::percent("95", "105").expect("tol"))
        .expect("mb");
    assert_eq!(b.accounted_pct, d("100"));
    assert!(b.pass);
    // Accounted = out + on hand is always 100 % in strict mode; the tolerance bites
    // on lenient stores where more left than came in.
    let lenient = Tracker::in_memory_with(lottrack_core::TrackerOptions {
        stock_mode: lottrack_core::StockMode::Lenient,
        ..Default::default()
    });
    for l in [
        r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"oil","lot":"O","quantity":"100","uom":"kg"}"#,
        r#"{"event_id":"S","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"oil","lot":"O","quantity":"105","uom":"kg","customer":"c"}"#,
    ] {
        lenient.record_json(l).expect("lenient");
    }
    let at = |lo: &str, hi: &str| {
        lenient
            .mass_balance_in(&k, "kg", Tolerance::percent(lo, hi).expect("tol"))
            .expect("mb")
    };
    assert_eq!(at("95", "105").accounted_pct, d("105"));
    assert!(at("95", "105").pass, "105 % is inside 95–105 %");
    assert!(!at("95", "104.99").pass, "105 % is outside 95–104.99 %");
    assert!(!at("99.5", "104").pass);
}

#[test]
fn reporting_unit_conversion_and_unconvertible_product() {
    let t = tracker(BAGS);
    let k = LotKey::new("bag", "B");
    let kg = t
        .mass_balance_in(&k, "kg", Tolerance::default())
        .expect("kg");
    assert_eq!(kg.balance.received, d("100"));
    let g = t.mass_balance_in(&k, "g", Tolerance::default()).expect("g");
    assert_eq!(g.balance.received, d("100000"));
    let e = t
        .mass_balance_in(&k, "l", Tolerance::default())
        .expect_err("no volume path");
    assert_eq!(
        e.to_string(),
        "reporting product `bag` in `l`: units `each` and `l` cannot be converted into each other"
    );
    // A mock recall over a product without a path names it instead of skipping it.
    let t2 = tracker(&[
        r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"widget","lot":"W","quantity":"10","uom":"each"}"#,
    ]);
    let m = t2
        .mock_recall(&[LotKey::new("widget", "W")], "kg", Tolerance::default())
        .expect("drill");
    assert_eq!(m.unconvertible, vec!["widget".to_string()]);
    assert!(!m.pass);
    assert!(m.to_markdown().contains("No path to `kg` for: widget."));
}

#[test]
fn transform_yield_flags() {
    let t = tracker(&[
        r#"{"event_id":"P","kind":"product","time":"2026-03-01T00:00:00Z","product":"juice","uom":"l","conversions":{"kg":"1"},"yield_range":["0.55","0.75"]}"#,
        r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"apples","lot":"A","quantity":"200","uom":"kg"}"#,
        r#"{"event_id":"T1","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"apples","lot":"A","quantity":"100","uom":"kg"}],"outputs":[{"product":"juice","lot":"J1","quantity":"75","uom":"l"}]}"#,
        r#"{"event_id":"T2","kind":"transform","time":"2026-03-02T09:00:00Z","location":"a","inputs":[{"product":"apples","lot":"A","quantity":"100","uom":"kg"}],"outputs":[{"product":"juice","lot":"J2","quantity":"76","uom":"l"}]}"#,
    ]);
    let y = t.transform_yields("kg").expect("yields");
    assert_eq!(
        (y[0].event_id.as_str(), y[0].yield_pct, y[0].flagged),
        ("T1", d("75"), false)
    );
    assert_eq!(
        (y[1].event_id.as_str(), y[1].yield_pct, y[1].flagged),
        ("T2", d("76"), true)
    );
    assert_eq!(
        y[1].expected_pct,
        Some(("55".to_string(), "75".to_string()))
    );
}

#[test]
fn mock_recall_scores_and_ranks_customers() {
    // 100 kg flour; 60 kg into 100 kg bread (with 40 kg water lot W); bread shipped
    // 30 kg to shop-a and 50 kg to shop-b; 20 kg flour shipped raw to shop-c.
    let t = tracker(&[
        r#"{"event_id":"R1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"flour","lot":"F","quantity":"100","uom":"kg","supplier":"mill"}"#,
        r#"{"event_id":"R2","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"water","lot":"W","quantity":"40","uom":"kg","supplier":"city"}"#,
        r#"{"event_id":"T","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"flour","lot":"F","quantity":"60","uom":"kg"},{"product":"water","lot":"W","quantity":"40","uom":"kg"}],"outputs":[{"product":"bread","lot":"B","quantity":"100","uom":"kg"}]}"#,
        r#"{"event_id":"S1","kind":"ship","time":"2026-03-03T08:00:00Z","location":"a","product":"bread","lot":"B","quantity":"30","uom":"kg","customer":"shop-a"}"#,
        r#"{"event_id":"S2","kind":"ship","time":"2026-03-03T09:00:00Z","location":"a","product":"bread","lot":"B","quantity":"50","uom":"kg","customer":"shop-b"}"#,
        r#"{"event_id":"S3","kind":"ship","time":"2026-03-03T10:00:00Z","location":"a","product":"flour","lot":"F","quantity":"20","uom":"kg","customer":"shop-c"}"#,
    ]);
    let m = t
        .mock_recall(&[LotKey::new("flour", "F")], "kg", Tolerance::default())
        .expect("drill");
    assert_eq!(m.score, d("100"));
    assert!(m.pass);
    assert_eq!(m.root_quantity, d("100"));
    let ranked: Vec<(&str, Decimal)> = m
        .customers
        .iter()
        .map(|c| (c.customer.as_str(), c.root_quantity.expect("q")))
        .collect();
    assert_eq!(
        ranked,
        vec![
            ("shop-b", d("30")),
            ("shop-c", d("20")),
            ("shop-a", d("18"))
        ]
    );
    let bread = m.lots.iter().find(|l| l.lot == "B").expect("bread");
    assert_eq!(
        (bread.share, bread.root_quantity),
        (Some(d("0.6")), Some(d("60")))
    );
    assert_eq!(m.suppliers.len(), 1, "backward trace of the root: the mill");
    assert!(
        m.to_csv()
            .lines()
            .any(|l| l.starts_with("notify,shop-b,bread,B,50,kg,30 kg,"))
    );
    let summary = m.to_markdown();
    assert!(
        summary.contains("**Result: PASS** — 100 % of 100 kg accounted for (100 kg)."),
        "{summary}"
    );
    // Nothing was recorded by the drill; recording it is explicit.
    assert_eq!(t.event_count(), 6);
    let at = lottrack_core::parse_time("2026-03-04T08:00:00Z").expect("t");
    t.record_mock_recall(&m, at, Some("DRILL-1"))
        .expect("record drill");
    assert_eq!(
        t.event("DRILL-1").expect("drill event").body.kind(),
        "mock_recall"
    );
    assert_eq!(
        t.mass_balance(&LotKey::new("flour", "F"))
            .expect("mb")
            .on_hand,
        d("20")
    );
}

#[test]
fn as_known_at_sees_the_data_before_a_correction_and_as_of_sees_late_arrivals() {
    let t = tracker(&[
        r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"10","uom":"kg"}"#,
        r#"{"event_id":"S1","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"4","uom":"kg","customer":"wrong-store"}"#,
    ]);
    sleep(Duration::from_millis(5));
    let before_fix = Utc::now();
    sleep(Duration::from_millis(5));
    t.record_json(r#"{"event_id":"V","kind":"void","time":"2026-03-05T08:00:00Z","target":"S1","reason":"incorrect_data"}"#).expect("void");
    t.record_json(r#"{"event_id":"S2","kind":"ship","time":"2026-03-02T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"4","uom":"kg","customer":"right-store"}"#).expect("correct");
    // A late-arriving receipt that happened on the 1st, recorded now.
    t.record_json(r#"{"event_id":"LATE","kind":"receive","time":"2026-03-01T09:00:00Z","location":"a","product":"p","lot":"M","quantity":"3","uom":"kg"}"#).expect("late");

    let k = LotKey::new("p", "L");
    let o = TraceOptions::default();
    let customers = |tr: &Tracker| {
        tr.recall(std::slice::from_ref(&k), &o)
            .expect("recall")
            .customers
            .iter()
            .map(|c| c.customer.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(customers(&t), vec!["right-store"]);
    let then = t.as_known_at(before_fix).expect("as known");
    assert_eq!(
        customers(&then),
        vec!["wrong-store"],
        "what the system told the regulator before the fix"
    );
    assert!(
        then.mass_balance(&LotKey::new("p", "M")).is_err(),
        "the late receipt was not known yet"
    );

    let as_of = t
        .as_of(lottrack_core::parse_time("2026-03-01T12:00:00Z").expect("t"))
        .expect("as of");
    assert_eq!(
        as_of
            .mass_balance(&LotKey::new("p", "M"))
            .expect("late lot")
            .on_hand,
        d("3")
    );
    assert_eq!(
        as_of.mass_balance(&k).expect("L").on_hand,
        d("10"),
        "no shipment had happened by noon on the 1st"
    );
    assert!(customers(&as_of).is_empty());
}

#[test]
fn expiry_is_inherited_over_two_levels_with_its_source() {
    let t = tracker(&[
        r#"{"event_id":"P1","kind":"product","time":"2026-03-01T00:00:00Z","product":"mix","uom":"kg","inherit_expiry":{"margin_days":1}}"#,
        r#"{"event_id":"P2","kind":"product","time":"2026-03-01T00:00:00Z","product":"bowl","uom":"kg","inherit_expiry":true}"#,
        r#"{"event_id":"R1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"kale","lot":"K","quantity":"10","uom":"kg","expiry":"2026-03-20"}"#,
        r#"{"event_id":"R2","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"chard","lot":"C","quantity":"10","uom":"kg","expiry":"2026-03-15"}"#,
        r#"{"event_id":"T1","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"kale","lot":"K","quantity":"5","uom":"kg"},{"product":"chard","lot":"C","quantity":"5","uom":"kg"}],"outputs":[{"product":"mix","lot":"M","quantity":"10","uom":"kg"}]}"#,
        r#"{"event_id":"T2","kind":"transform","time":"2026-03-03T08:00:00Z","location":"a","inputs":[{"product":"mix","lot":"M","quantity":"10","uom":"kg"}],"outputs":[{"product":"bowl","lot":"B","quantity":"10","uom":"kg"}]}"#,
        r#"{"event_id":"T3","kind":"transform","time":"2026-03-03T09:00:00Z","location":"a","inputs":[{"product":"kale","lot":"K","quantity":"5","uom":"kg"}],"outputs":[{"product":"bowl","lot":"B2","quantity":"5","uom":"kg","expiry":"2026-03-05"}]}"#,
    ]);
    let m = t.lot(&LotKey::new("mix", "M")).expect("mix");
    assert_eq!(m.expiry, Some("2026-03-14".parse().expect("date")));
    assert_eq!(
        m.expiry_source.as_deref(),
        Some("inherited by event T1: earliest input expiry 2026-03-15 (chard/C) minus 1 day(s)")
    );
    let b = t.lot(&LotKey::new("bowl", "B")).expect("bowl");
    assert_eq!(b.expiry, Some("2026-03-14".parse().expect("date")));
    assert_eq!(
        b.expiry_source.as_deref(),
        Some("inherited by event T2: earliest input expiry 2026-03-14 (mix/M) minus 0 day(s)")
    );
    let b2 = t.lot(&LotKey::new("bowl", "B2")).expect("bowl 2");
    assert_eq!(
        b2.expiry_source.as_deref(),
        Some("given by event T3"),
        "a given expiry wins"
    );
}

#[test]
fn exposure_through_a_commingling_split() {
    // A (30 kg) + B (10 kg) -> M (40 kg) -> split into X (25 kg) and Y (15 kg).
    let t = tracker(&[
        r#"{"event_id":"RA","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"corn","lot":"A","quantity":"30","uom":"kg"}"#,
        r#"{"event_id":"RB","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"corn","lot":"B","quantity":"10","uom":"kg"}"#,
        r#"{"event_id":"T1","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"corn","lot":"A","quantity":"30","uom":"kg"},{"product":"corn","lot":"B","quantity":"10","uom":"kg"}],"outputs":[{"product":"meal","lot":"M","quantity":"40","uom":"kg"}]}"#,
        r#"{"event_id":"T2","kind":"transform","time":"2026-03-03T08:00:00Z","location":"a","inputs":[{"product":"meal","lot":"M","quantity":"40","uom":"kg"}],"outputs":[{"product":"feed","lot":"X","quantity":"25","uom":"kg"},{"product":"feed","lot":"Y","quantity":"15","uom":"kg"}]}"#,
    ]);
    let e = t
        .exposure(&LotKey::new("corn", "B"), &TraceOptions::default())
        .expect("exposure");
    let got: Vec<(String, Decimal)> = e
        .lots
        .iter()
        .map(|l| (l.lot.to_string(), l.fraction))
        .collect();
    assert_eq!(
        got,
        vec![
            ("M".into(), d("0.25")),
            ("X".into(), d("0.25")),
            ("Y".into(), d("0.25"))
        ]
    );
    let m = t
        .mock_recall(&[LotKey::new("corn", "B")], "kg", Tolerance::default())
        .expect("drill");
    let q: Vec<(String, Option<Decimal>)> = m
        .lots
        .iter()
        .map(|l| (l.lot.clone(), l.root_quantity))
        .collect();
    assert_eq!(
        q,
        vec![
            ("B".into(), Some(d("10"))),
            ("M".into(), Some(d("10"))),
            ("X".into(), Some(d("6.25"))),
            ("Y".into(), Some(d("3.75")))
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random DAGs of commingling transforms: shares stay within 0..=1, and the
    /// estimated root material downstream never exceeds what the root held.
    #[test]
    fn shares_and_root_quantities_are_bounded(
        steps in prop::collection::vec((prop::collection::vec((0usize..12, 1u32..50), 1..4), 1u32..80), 1..25)
    ) {
        let t = Tracker::in_memory();
        for i in 0..4 {
            t.record_json(&format!(r#"{{"event_id":"R{i}","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"grain","lot":"L{i}","quantity":"100","uom":"kg"}}"#)).expect("receive");
        }
        let mut lots = 4usize;
        for (k, (ins, out)) in steps.iter().enumerate() {
            let inputs: Vec<String> = ins.iter().map(|(i, q)| format!(r#"{{"product":"grain","lot":"L{}","quantity":"{q}","uom":"kg"}}"#, i % lots)).collect();
            let json = format!(r#"{{"event_id":"T{k}","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{}],"outputs":[{{"product":"grain","lot":"L{lots}","quantity":"{out}","uom":"kg"}},{{"product":"grain","lot":"L{}","quantity":"{}","uom":"kg"}}]}}"#, inputs.join(","), lots + 1, out / 2 + 1);
            if t.record_json(&json).is_ok() { lots += 2; }
        }
        let root = LotKey::new("grain", "L0");
        let e = t.exposure(&root, &TraceOptions::default()).expect("exposure");
        for l in &e.lots {
            prop_assert!(l.fraction >= Decimal::ZERO && l.fraction <= Decimal::ONE, "{:?}", l);
        }
        let m = t.mock_recall(std::slice::from_ref(&root), "kg", Tolerance::default()).expect("drill");
        let root_q = m.root_quantity;
        let mut downstream_total = Decimal::ZERO;
        for l in m.lots.iter().filter(|l| l.depth > 0) {
            let q = l.root_quantity.expect("all kg");
            prop_assert!(q <= root_q, "{:?} exceeds root {}", l, root_q);
            prop_assert!(l.share.expect("share") <= Decimal::ONE);
            downstream_total += q;
        }
        for c in &m.customers {
            prop_assert!(c.root_quantity.expect("kg") <= root_q);
        }
        let _ = downstream_total;
    }
}

#[test]
fn root_material_follows_a_yield_below_one() {
    // 100 kg kale -> 90 kg bagged salad (10 % trim); 60 kg shipped: 66.67 kg of kale.
    let t = tracker(&[
        r#"{"event_id":"R","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"kale","lot":"K","quantity":"100","uom":"kg"}"#,
        r#"{"event_id":"T","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"kale","lot":"K","quantity":"100","uom":"kg"}],"outputs":[{"product":"salad","lot":"S","quantity":"90","uom":"kg"}]}"#,
        r#"{"event_id":"S","kind":"ship","time":"2026-03-03T08:00:00Z","location":"a","product":"salad","lot":"S","quantity":"60","uom":"kg","customer":"shop"}"#,
    ]);
    let m = t
        .mock_recall(&[LotKey::new("kale", "K")], "kg", Tolerance::default())
        .expect("drill");
    let salad = m.lots.iter().find(|l| l.lot == "S").expect("salad");
    assert_eq!(
        (salad.share, salad.root_quantity),
        (Some(d("1")), Some(d("100")))
    );
    assert_eq!(m.customers[0].root_quantity, Some(d("66.666667")));
}
