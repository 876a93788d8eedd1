//! Shared by the store tests: an event log with every event kind, and a
//! fingerprint of every answer a tracker gives about it.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;

use lottrack_core::{
    Event, LotAttrs, LotKey, LotQty, LotStatus, Time, TraceOptions, Tracker, parse_time,
};

/// A literal time.
pub fn at(s: &str) -> Time {
    parse_time(s).unwrap()
}

/// A literal lot line.
pub fn qty(product: &str, lot: &str, q: &str, uom: &str) -> LotQty {
    LotQty::new(product, lot, q, uom).unwrap()
}

/// The JSON kinds the engine knows (a ship of a lot and a ship of a container are
/// both `ship`).
pub const KINDS: [&str; 16] = [
    "product",
    "party",
    "location",
    "receive",
    "transform",
    "ship",
    "pack",
    "unpack",
    "move",
    "adjust",
    "dispose",
    "consume",
    "return",
    "status",
    "void",
    "mock_recall",
];

/// The mock recall, as the JSON format (it has no typed builder).
pub const MOCK_RECALL: &str = r#"{"event_id":"MR-1","kind":"mock_recall","time":"2026-03-06T09:00:00+01:00","lots":[{"product":"flour","lot":"F1"}],"result":{"score":"100","customers":2,"passed":true}}"#;

/// A small bakery week with every event kind: master data, receipts, transforms, a
/// ship of a lot, a pack, a ship of a container, an unpack, a move, adjustments up
/// and down, a disposal, a consumption, a return, a status change, a void and a
/// mock recall (the last one is [`MOCK_RECALL`], recorded as JSON).
pub fn all_kinds() -> Vec<Event> {
    let t0 = at("2026-03-01T00:00:00+01:00");
    let expiry = |d: &str| LotAttrs {
        expiry: Some(d.parse().unwrap()),
        ..Default::default()
    };
    vec![
        Event::product(t0, "flour", "kg", &[])
            .unwrap()
            .with_id("PR-flour"),
        Event::product(t0, "bread", "each", &[("case", "10")])
            .unwrap()
            .with_id("PR-bread"),
        Event::party(t0, "mill", Some("Stone Mill & Sons"), Some("supplier")).with_id("PA-mill"),
        Event::party(t0, "store-1", Some("Corner Shop \"One\""), Some("customer")).with_id("PA-s1"),
        Event::party(t0, "store-2", Some("Grocer, Two"), Some("customer")).with_id("PA-s2"),
        Event::location(t0, "plant", Some("Bakery plant"), Some("own")).with_id("LO-plant"),
        Event::location(t0, "dc", Some("Distribution centre"), Some("own")).with_id("LO-dc"),
        Event::receive(
            at("2026-03-02T06:00:00+01:00"),
            "plant",
            qty("flour", "F1", "500", "kg"),
            Some("mill"),
        )
        .with_lot_attrs(LotAttrs {
            supplier_lot: Some("SM-0302".into()),
            origin: Some("farm-ö".into()),
            ..expiry("2026-09-01")
        })
        .with_document("po", "PO-1")
        .with_attribute("temp_c", 4)
        .with_id("RC-1"),
        Event::receive(
            at("2026-03-02T06:30:00+01:00"),
            "plant",
            qty("flour", "F2", "300.5", "kg"),
            Some("mill"),
        )
        .with_id("RC-2"),
        Event::transform(
            at("2026-03-02T08:00:00+01:00"),
            "plant",
            vec![
                qty("flour", "F1", "200", "kg"),
                qty("flour", "F2", "100", "kg"),
            ],
            vec![qty("bread", "B1", "600", "each")],
        )
        .with_lot_attrs(expiry("2026-03-08"))
        .with_id("TF-1"),
        Event::transform(
            at("2026-03-02T09:00:00+01:00"),
            "plant",
            vec![qty("flour", "F1", "150", "kg")],
            vec![qty("bread", "B2", "300", "each")],
        )
        .with_id("TF-2"),
        Event::ship(
            at("2026-03-02T12:00:00+01:00"),
            "plant",
            qty("bread", "B1", "5", "case"),
            "store-1",
        )
        .with_document("invoice", "INV-1")
        .with_id("SH-1"),
        Event::pack(
            at("2026-03-02T13:00:00+01:00"),
            "plant",
            "SSCC-1",
            vec![
                qty("bread", "B1", "10", "case"),
                qty("bread", "B2", "50", "each"),
            ],
        )
        .with_id("PK-1"),
        Event::pack(
            at("2026-03-02T13:10:00+01:00"),
            "plant",
            "SSCC-2",
            vec![qty("bread", "B1", "100", "each")],
        )
        .with_id("PK-2"),
        Event::ship_container(
            at("2026-03-02T14:00:00+01:00"),
            "plant",
            "SSCC-1",
            "store-2",
        )
        .with_document("bol", "BOL-1")
        .with_id("SC-1"),
        Event::unpack(
            at("2026-03-02T15:00:00+01:00"),
            "plant",
            "SSCC-2",
            vec![qty("bread", "B1", "100", "each")],
        )
        .with_id("UP-1"),
        Event::transform(
            at("2026-03-02T16:00:00+01:00"),
            "plant",
            vec![qty("bread", "B1", "100", "each")],
            vec![qty("sandwich", "S1", "100", "each")],
        )
        .with_id("TF-3"),
        Event::ship(
            at("2026-03-02T17:00:00+01:00"),
            "plant",
            qty("sandwich", "S1", "40", "each"),
            "store-2",
        )
        .with_id("SH-3"),
        Event::move_(
            at("2026-03-03T07:00:00+01:00"),
            qty("flour", "F1", "100", "kg"),
            "plant",
            "dc",
        )
        .with_id("MV-1"),
        Event::adjust(
            at("2026-03-03T08:00:00+01:00"),
            "dc",
            qty("flour", "F1", "5", "kg"),
            Some("found in count"),
        )
        .with_id("AJ-1"),
        Event::adjust(
            at("2026-03-03T08:05:00+01:00"),
            "plant",
            qty("flour", "F2", "-3.25", "kg"),
            Some("lost in count"),
        )
        .with_id("AJ-2"),
        Event::dispose(
            at("2026-03-03T09:00:00+01:00"),
            "plant",
            qty("flour", "F2", "10", "kg"),
            Some("spoiled"),
        )
        .with_id("DP-1"),
        Event::consume(
            at("2026-03-03T10:00:00+01:00"),
            "dc",
            qty("flour", "F1", "20", "kg"),
            Some("lab sample"),
        )
        .with_id("CS-1"),
        Event::return_(
            at("2026-03-04T10:00:00+01:00"),
            "plant",
            qty("bread", "B1", "1", "case"),
            "store-1",
        )
        .with_document("rma", "RMA-1")
        .with_id("RT-1"),
        Event::status(
            at("2026-03-04T11:00:00+01:00"),
            LotStatus::OnHold,
            vec![LotKey::new("flour", "F2")],
            Some("QA hold"),
        )
        .with_id("ST-1"),
        Event::ship(
            at("2026-03-05T05:00:00+01:00"),
            "plant",
            qty("bread", "B1", "2", "case"),
            "store-1",
        )
        .with_id("SH-2"),
        Event::void(
            at("2026-03-05T05:20:00+01:00"),
            "SH-2",
            Some("incorrect_data"),
        )
        .with_id("VD-1"),
    ]
}

/// Every lot [`all_kinds`] names.
pub fn lots() -> Vec<LotKey> {
    [
        ("flour", "F1"),
        ("flour", "F2"),
        ("bread", "B1"),
        ("bread", "B2"),
        ("sandwich", "S1"),
    ]
    .into_iter()
    .map(|(p, l)| LotKey::new(p, l))
    .collect()
}

/// Records [`all_kinds`] and [`MOCK_RECALL`] through every recording entry point:
/// master data as one batch, then single events, the mock recall as JSON.
pub fn record_all_kinds(t: &Tracker) {
    let mut events = all_kinds();
    let rest = events.split_off(7);
    let recorded = t.record_batch(events).unwrap();
    assert_eq!(recorded.len(), 7);
    for (i, ev) in rest.into_iter().enumerate() {
        let id = ev.event_id.clone();
        if i % 2 == 0 {
            t.record(ev).unwrap_or_else(|e| panic!("{id}: {e}"));
        } else {
            t.record_json(&ev.to_json())
                .unwrap_or_else(|e| panic!("{id}: {e}"));
        }
    }
    t.record_json(MOCK_RECALL).unwrap();
}

/// Checks that the log holds every kind (and both kinds of ship).
pub fn assert_every_kind(t: &Tracker) {
    let events = t.events().expect("events");
    let kinds: BTreeSet<&str> = events.iter().map(|(_, e, _)| e.body.kind()).collect();
    assert_eq!(kinds, KINDS.into_iter().collect::<BTreeSet<_>>());
    let ships: BTreeSet<bool> = events
        .iter()
        .filter_map(|(_, e, _)| match &e.body {
            lottrack_core::EventBody::Ship { item, .. } => {
                Some(matches!(item, lottrack_core::ShipItem::Container(_)))
            }
            _ => None,
        })
        .collect();
    assert_eq!(ships.len(), 2, "a ship of a lot and a ship of a container");
    let adjust_signs: BTreeSet<bool> = events
        .iter()
        .filter_map(|(_, e, _)| match &e.body {
            lottrack_core::EventBody::Adjust { item, .. } => Some(item.quantity.is_sign_negative()),
            _ => None,
        })
        .collect();
    assert_eq!(adjust_signs.len(), 2, "adjustments up and down");
}

/// A fingerprint of every answer the tracker gives about [`lots`]: traces both
/// ways (JSON), mass balances, recalls (JSON and CSV), exposure, on-hand stock,
/// inventory, history, the event list, master data and counters.
pub fn answers(t: &Tracker) -> String {
    let o = TraceOptions::default();
    let mut out = String::new();
    for k in lots() {
        let _ = writeln!(
            out,
            "{k}\n fwd {:?}\n bwd {:?}\n mb {:?}\n recall {:?}\n csv {:?}\n exposure {:?}\n on_hand {:?}\n history {:?}",
            t.trace_forward(&k, &o).map(|x| x.to_json()),
            t.trace_backward(&k, &o).map(|x| x.to_json()),
            t.mass_balance(&k),
            t.recall(std::slice::from_ref(&k), &o).map(|r| r.to_json()),
            t.recall(std::slice::from_ref(&k), &o).map(|r| r.to_csv()),
            t.exposure(&k, &o),
            t.on_hand(&k),
            t.history(&k),
        );
    }
    let all = lots();
    let _ = writeln!(
        out,
        "recall all {:?}\ninventory {:?}\nexpiring {:?}\nevents {:?}\ncounts {} {} {}\ndeficits {:?}",
        t.recall(&all, &o).map(|r| (r.to_json(), r.to_csv())),
        t.inventory(),
        t.expiring_before("2026-12-31".parse().unwrap()),
        t.events().expect("events"),
        t.event_count(),
        t.lot_count(),
        t.last_seq(),
        t.deficits(),
    );
    for p in ["mill", "store-1", "store-2", "nobody"] {
        let _ = writeln!(out, "party {p} {:?}", t.party(p));
    }
    for l in ["plant", "dc"] {
        let _ = writeln!(out, "location {l} {:?}", t.location(l));
    }
    out
}

/// Checks that the answers about [`all_kinds`] are what the bakery week implies
/// (so that a round trip compares meaningful answers, not two identical errors).
pub fn assert_sane(t: &Tracker) {
    let o = TraceOptions::default();
    for k in lots() {
        let mb = t.mass_balance(&k).unwrap();
        assert!(mb.closes(), "{k}: {mb:?}");
        t.trace_forward(&k, &o).unwrap();
        t.trace_backward(&k, &o).unwrap();
        t.exposure(&k, &o).unwrap();
    }
    let f1 = LotKey::new("flour", "F1");
    let fwd: BTreeSet<String> = t
        .trace_forward(&f1, &o)
        .unwrap()
        .lots
        .iter()
        .map(|l| format!("{}/{}", l.product, l.lot))
        .collect();
    assert_eq!(
        fwd,
        ["bread/B1", "bread/B2", "sandwich/S1"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    let recall = t.recall(std::slice::from_ref(&f1), &o).unwrap();
    let mut customers: Vec<&str> = recall.customers.iter().map(|c| &*c.customer).collect();
    customers.sort();
    assert_eq!(customers, ["store-1", "store-2"]);
    assert_eq!(t.event_count(), all_kinds().len() + 1);
    let voided: Vec<String> = t
        .events()
        .unwrap()
        .into_iter()
        .filter(|(_, _, voided)| *voided)
        .map(|(_, e, _)| e.event_id)
        .collect();
    assert_eq!(voided, ["SH-2"]);
    // F1: 500 kg − 200 − 150 (transforms) = 150 at the plant; 100 of it moved to
    // the dc, + 5 found, − 20 consumed there: 50 at the plant, 85 at the dc.
    let mut f1_stock: Vec<String> = t
        .on_hand(&f1)
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s.location, s.quantity.normalize()))
        .collect();
    f1_stock.sort();
    assert_eq!(f1_stock, ["dc 85", "plant 50"]);
}
