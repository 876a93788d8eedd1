//! Every error variant provoked, with its message checked, and the tracker left
//! exactly as it was.

use lottrack_core::{Error, LotKey, StockMode, TraceOptions, Tracker, TrackerOptions};

fn seeded() -> Tracker {
    let t = Tracker::in_memory();
    for line in [
        r#"{"event_id":"P1","kind":"product","time":"2026-03-01T00:00:00Z","product":"salad","uom":"each","conversions":{"case":"12"}}"#,
        r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00+01:00","location":"plant-1","product":"spinach","lot":"F-100","quantity":"500","uom":"kg","supplier":"farm-a"}"#,
        r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T10:00:00+01:00","location":"plant-1","inputs":[{"product":"spinach","lot":"F-100","quantity":"200","uom":"kg"}],"outputs":[{"product":"salad","lot":"S-1","quantity":"400","uom":"each"}]}"#,
        r#"{"event_id":"E3","kind":"ship","time":"2026-03-03T06:00:00+01:00","location":"plant-1","product":"salad","lot":"S-1","quantity":"10","uom":"case","customer":"store-12"}"#,
    ] {
        t.record_json(line).expect(line);
    }
    t
}

/// A fingerprint of every answer the tracker gives about the seeded lots.
fn answers(t: &Tracker) -> String {
    let f = LotKey::new("spinach", "F-100");
    let s = LotKey::new("salad", "S-1");
    let o = TraceOptions::default();
    format!(
        "{}|{}|{:?}|{:?}|{}|{}|{:?}",
        t.trace_forward(&f, &o).expect("fwd").to_json(),
        t.trace_backward(&s, &o).expect("bwd").to_json(),
        t.mass_balance(&f).expect("mb"),
        t.mass_balance(&s).expect("mb"),
        t.recall(std::slice::from_ref(&f), &o)
            .expect("recall")
            .to_json(),
        t.event_count(),
        t.inventory(),
    )
}

fn rejects(t: &Tracker, json: &str) -> Error {
    let before = answers(t);
    let e = t.record_json(json).expect_err(json);
    assert_eq!(answers(t), before, "state changed after rejecting {json}");
    e
}

#[test]
fn malformed_json() {
    let t = seeded();
    let e = rejects(&t, "{\"event_id\": ");
    assert_eq!(e.kind_name(), "MalformedJson");
    assert!(e.to_string().starts_with("malformed JSON: "));
}

#[test]
fn missing_field() {
    let t = seeded();
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-1","uom":"each"}"#,
    );
    assert_eq!(e.to_string(), "event X: missing field `quantity`");
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","product":"salad","lot":"S-1","quantity":"1","uom":"each"}"#,
    );
    assert_eq!(e.to_string(), "event X: missing field `location`");
}

#[test]
fn unknown_kind_and_bad_time() {
    let t = seeded();
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"teleport","time":"2026-03-04T00:00:00Z"}"#,
    );
    assert_eq!(e.to_string(), "event X: unknown event kind `teleport`");
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04 00:00"}"#,
    );
    assert_eq!(e.kind_name(), "InvalidTime");
    assert!(e.to_string().contains("`2026-03-04 00:00`"), "{e}");
}

#[test]
fn invalid_field() {
    let t = seeded();
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"receive","time":"2026-03-04T00:00:00Z","location":"a","product":"salad","lot":"S-9","quantity":"NaN","uom":"each"}"#,
    );
    assert_eq!(e.kind_name(), "InvalidField");
    assert!(e.to_string().contains("S-9"), "{e}");
}

#[test]
fn unknown_product_lot_unit() {
    let t = seeded();
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"kale","lot":"K","quantity":"1","uom":"kg","customer":"c"}"#,
    );
    assert_eq!(e.to_string(), "event X: unknown product `kale`");
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-404","quantity":"1","uom":"each","customer":"c"}"#,
    );
    assert_eq!(
        e.to_string(),
        "event X: unknown lot (product `salad`, lot `S-404`)"
    );
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-1","quantity":"1","uom":"pallet","customer":"c"}"#,
    );
    assert_eq!(
        e.to_string(),
        "event X: unit `pallet` cannot be converted for product `salad` (base unit `each`)"
    );
}

#[test]
fn non_positive_quantity() {
    let t = seeded();
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-1","quantity":"-3","uom":"each","customer":"c"}"#,
    );
    assert_eq!(
        e.to_string(),
        "event X: quantity -3 for lot (`salad`, `S-1`) must be positive"
    );
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"receive","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-1","quantity":0,"uom":"each"}"#,
    );
    assert_eq!(e.kind_name(), "NonPositiveQuantity");
}

#[test]
fn insufficient_stock_strict_and_lenient() {
    let t = seeded();
    // 400 produced, 120 shipped (10 cases): 280 left.
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-1","quantity":"281","uom":"each","customer":"c"}"#,
    );
    assert_eq!(
        e.to_string(),
        "event X: takes 281 each of lot (`salad`, `S-1`) at `plant-1` but only 280 each is on hand"
    );
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-2","product":"salad","lot":"S-1","quantity":"1","uom":"each","customer":"c"}"#,
    );
    assert!(
        e.to_string().contains("at `plant-2` but only 0 each"),
        "{e}"
    );

    let lenient = Tracker::in_memory_with(TrackerOptions {
        stock_mode: StockMode::Lenient,
        ..Default::default()
    });
    lenient
        .record_json(r#"{"event_id":"R","kind":"receive","time":"2026-03-04T00:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg"}"#)
        .expect("receive");
    lenient
        .record_json(r#"{"event_id":"S","kind":"ship","time":"2026-03-05T00:00:00Z","location":"a","product":"p","lot":"L","quantity":"7","uom":"kg","customer":"c"}"#)
        .expect("lenient ship");
    let d = lenient.deficits();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (
            d[0].event_id.as_str(),
            d[0].requested.to_string(),
            d[0].on_hand.to_string()
        ),
        ("S", "7".into(), "5".into())
    );
    let mb = lenient.mass_balance(&LotKey::new("p", "L")).expect("mb");
    assert_eq!(mb.unaccounted.to_string(), "-2");
}

#[test]
fn cycle() {
    let t = seeded();
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"transform","time":"2026-03-04T00:00:00Z","location":"plant-1","inputs":[{"product":"salad","lot":"S-1","quantity":"1","uom":"each"}],"outputs":[{"product":"spinach","lot":"F-100","quantity":"1","uom":"kg"}]}"#,
    );
    assert_eq!(
        e.to_string(),
        "event X: transform would make lot (`spinach`, `F-100`) its own ancestor (cycle through input (`salad`, `S-1`))"
    );
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"transform","time":"2026-03-04T00:00:00Z","location":"plant-1","inputs":[{"product":"salad","lot":"S-1","quantity":"1","uom":"each"}],"outputs":[{"product":"salad","lot":"S-1","quantity":"1","uom":"each"}]}"#,
    );
    assert_eq!(e.kind_name(), "Cycle");
}

#[test]
fn duplicate_event() {
    let t = seeded();
    // Same payload again: an idempotent no-op.
    let r = t
        .record_json(r#"{"event_id":"E3","kind":"ship","time":"2026-03-03T06:00:00+01:00","location":"plant-1","product":"salad","lot":"S-1","quantity":"10","uom":"case","customer":"store-12"}"#)
        .expect("idempotent");
    assert!(r.duplicate);
    let e = rejects(
        &t,
        r#"{"event_id":"E3","kind":"ship","time":"2026-03-03T06:00:00+01:00","location":"plant-1","product":"salad","lot":"S-1","quantity":"11","uom":"case","customer":"store-12"}"#,
    );
    assert_eq!(
        e.to_string(),
        "event E3: already recorded with a different payload"
    );
}

/// A void event `id` of event `target`.
fn void(id: &str, target: &str) -> String {
    format!(
        r#"{{"event_id":"{id}","kind":"void","time":"2026-03-04T00:00:00Z","target":"{target}"}}"#
    )
}

#[test]
fn unknown_event_and_void_conflict() {
    let t = seeded();
    let e = rejects(&t, &void("V", "E99"));
    assert_eq!(e.to_string(), "event V: unknown event `E99`");
    // Voiding the receipt would leave E2 without the spinach it consumed.
    let e = rejects(&t, &void("V", "E1"));
    assert_eq!(
        e.to_string(),
        "event V: voiding `E1` would change what later events took (stock they took would go missing, or a container they shipped whole would have held more); void them first: E2"
    );
    let e = rejects(&t, &void("V", "E2"));
    assert_eq!(e.kind_name(), "VoidConflict");
    assert!(e.to_string().ends_with(": E3"), "{e}");
}

/// A pallet packed at plant-1, moved by a second pack at plant-2, part of
/// it unpacked there, then shipped whole.
fn pallet() -> Tracker {
    let t = seeded();
    for line in [
        r#"{"event_id":"K1","kind":"pack","time":"2026-03-02T12:00:00+01:00","location":"plant-1","container":"SSCC-1","contents":[{"product":"spinach","lot":"F-100","quantity":"100","uom":"kg"}]}"#,
        r#"{"event_id":"R2","kind":"receive","time":"2026-03-02T12:30:00+01:00","location":"plant-2","product":"spinach","lot":"F-200","quantity":"50","uom":"kg"}"#,
        r#"{"event_id":"K2","kind":"pack","time":"2026-03-02T13:00:00+01:00","location":"plant-2","container":"SSCC-1","contents":[{"product":"spinach","lot":"F-200","quantity":"50","uom":"kg"}]}"#,
        r#"{"event_id":"U1","kind":"unpack","time":"2026-03-02T14:00:00+01:00","container":"SSCC-1","contents":[{"product":"spinach","lot":"F-100","quantity":"30","uom":"kg"}]}"#,
        r#"{"event_id":"S1","kind":"ship","time":"2026-03-02T15:00:00+01:00","container":"SSCC-1","customer":"store-7"}"#,
    ] {
        t.record_json(line).expect(line);
    }
    t
}

#[test]
fn a_void_that_would_change_what_a_container_held_or_where_it_was() {
    let t = pallet();
    // Without the unpack, the pallet shipped whole would have held 30 kg more.
    let e = rejects(&t, &void("V", "U1"));
    assert_eq!(e.kind_name(), "VoidConflict");
    assert!(e.to_string().ends_with("void them first: S1"), "{e}");
    // Without the second pack, the pallet would have been at plant-1 when U1
    // unpacked it (and S1 would miss the 50 kg of F-200 it shipped).
    let e = rejects(&t, &void("V", "K2"));
    assert!(e.to_string().ends_with("void them first: U1, S1"), "{e}");
    // Voided from the last event back, each void is accepted.
    for (i, target) in ["S1", "U1", "K2"].into_iter().enumerate() {
        t.record_json(&void(&format!("V{i}"), target))
            .expect(target);
    }
    let on_hand = t
        .on_hand(&LotKey::new("spinach", "F-100"))
        .expect("on hand");
    let mut rows: Vec<String> = on_hand
        .iter()
        .map(|s| {
            format!(
                "{} {:?} {}",
                s.location,
                s.container,
                s.quantity.normalize()
            )
        })
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        ["plant-1 None 200", "plant-1 Some(\"SSCC-1\") 100"],
        "F-100 back in the pallet at plant-1"
    );
}

#[test]
fn a_stored_void_from_before_the_container_rules_still_replays() {
    use lottrack_core::store::{EventStore, MemoryStore, NewEvent};
    // The pallet's log as an earlier version wrote it: the unpack voided
    // although the pallet was shipped whole afterwards. A replay takes the log
    // as recorded under the rules of its day (no void conflicts checked).
    let rows: Vec<NewEvent> = pallet()
        .events()
        .expect("events")
        .into_iter()
        .map(|(_, e, _)| e.to_json())
        .chain([void("V", "U1")])
        .map(|json| NewEvent {
            event_id: lottrack_core::Event::from_json(&json)
                .expect("event")
                .event_id,
            recorded_at: "2026-03-05T00:00:00Z".into(),
            json,
        })
        .collect();
    let mut store = MemoryStore::new();
    store.append(0, &rows).expect("append");
    let t = Tracker::open(store).expect("replays");
    assert_eq!(t.event_count(), rows.len());
    // The 30 kg unpacked are back in the pallet, as that version left them.
    let on_hand = t
        .on_hand(&LotKey::new("spinach", "F-100"))
        .expect("on hand");
    let in_pallet: Vec<String> = on_hand
        .iter()
        .filter(|s| s.container.is_some())
        .map(|s| s.quantity.normalize().to_string())
        .collect();
    assert_eq!(in_pallet, ["30"]);
    // Recorded now, the same void is refused.
    let e = pallet().record_json(&void("V", "U1")).expect_err("refused");
    assert_eq!(e.kind_name(), "VoidConflict");
}

#[test]
fn unknown_container_and_invalid_event() {
    let t = seeded();
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"ship","time":"2026-03-04T00:00:00Z","container":"SSCC-0","customer":"c"}"#,
    );
    assert_eq!(
        e.to_string(),
        "event X: unknown or empty container `SSCC-0`"
    );
    let e = rejects(
        &t,
        r#"{"event_id":"X","kind":"transform","time":"2026-03-04T00:00:00Z","location":"plant-1","inputs":[],"outputs":[]}"#,
    );
    assert_eq!(
        e.to_string(),
        "event X: a transform needs at least one input and one output"
    );
    t.record_json(r#"{"event_id":"V1","kind":"void","time":"2026-03-04T00:00:00Z","target":"E3"}"#)
        .expect("void shipment");
    let e = rejects(
        &t,
        r#"{"event_id":"V2","kind":"void","time":"2026-03-04T00:00:00Z","target":"E3"}"#,
    );
    assert_eq!(e.to_string(), "event V2: `E3` is already voided by `V1`");
    let e = rejects(
        &t,
        r#"{"event_id":"V3","kind":"void","time":"2026-03-04T00:00:00Z","target":"V1"}"#,
    );
    assert_eq!(e.kind_name(), "InvalidEvent");
    let e = rejects(
        &t,
        r#"{"event_id":"V4","kind":"void","time":"2026-03-04T00:00:00Z","target":"P1"}"#,
    );
    assert!(e.to_string().contains("master data"), "{e}");
}

#[test]
fn incompatible_units() {
    let t = seeded();
    t.record_json(r#"{"event_id":"R2","kind":"receive","time":"2026-03-01T08:00:00Z","location":"plant-1","product":"dressing","lot":"D-1","quantity":"10","uom":"jar"}"#)
        .expect("receive");
    t.record_json(r#"{"event_id":"T2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"plant-1","inputs":[{"product":"spinach","lot":"F-100","quantity":"10","uom":"kg"},{"product":"dressing","lot":"D-1","quantity":"1","uom":"jar"}],"outputs":[{"product":"bowl","lot":"B-1","quantity":"20","uom":"each"}]}"#)
        .expect("transform");
    let e = t
        .exposure(&LotKey::new("spinach", "F-100"), &TraceOptions::default())
        .expect_err("jar vs kg");
    assert_eq!(
        e.to_string(),
        "exposure through transform `T2`: units `mass` and `jar` cannot be converted into each other"
    );
}

#[test]
fn batch_is_all_or_nothing() {
    let t = seeded();
    let before = answers(&t);
    let good = lottrack_core::Event::from_json(r#"{"event_id":"B1","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-1","quantity":"200","uom":"each","customer":"c"}"#).expect("parse");
    let void = lottrack_core::Event::from_json(
        r#"{"event_id":"B2","kind":"void","time":"2026-03-04T00:00:00Z","target":"E3"}"#,
    )
    .expect("parse");
    let bad = lottrack_core::Event::from_json(r#"{"event_id":"B3","kind":"ship","time":"2026-03-04T00:00:00Z","location":"plant-1","product":"salad","lot":"S-1","quantity":"201","uom":"each","customer":"c"}"#).expect("parse");
    let e = t
        .record_batch(vec![good.clone(), void.clone(), bad])
        .expect_err("batch");
    assert_eq!(e.kind_name(), "InsufficientStock");
    assert!(
        e.to_string().contains("only 200 each"),
        "the void of E3 gave back 120: {e}"
    );
    assert_eq!(answers(&t), before);
    assert!(t.event("B1").is_err());
    // The same batch without the bad event goes through.
    t.record_batch(vec![good, void]).expect("batch");
    assert_eq!(
        t.mass_balance(&LotKey::new("salad", "S-1"))
            .expect("mb")
            .on_hand
            .to_string(),
        "200"
    );
}

#[test]
fn queries_on_unknown_lots() {
    let t = seeded();
    let o = TraceOptions::default();
    let e = t
        .trace_forward(&LotKey::new("salad", "nope"), &o)
        .expect_err("unknown");
    assert_eq!(e.to_string(), "unknown lot (product `salad`, lot `nope`)");
    assert_eq!(
        t.mass_balance(&LotKey::new("kale", "x"))
            .expect_err("p")
            .kind_name(),
        "UnknownProduct"
    );
    assert_eq!(
        t.recall(&[LotKey::new("salad", "nope")], &o)
            .expect_err("r")
            .kind_name(),
        "UnknownLot"
    );
    assert_eq!(t.event("nope").expect_err("ev").kind_name(), "UnknownEvent");
}

/// A store whose log skips a sequence number breaks the store contract (gap-free
/// from 1): opening it fails with an error naming the event and its number,
/// instead of an index whose sequence numbers disagree with the log.
#[test]
fn a_log_with_a_gap_is_refused_on_replay() {
    use lottrack_core::store::{EventStore, MemoryStore, NewEvent, StoredEvent};
    struct Gappy(MemoryStore);
    impl EventStore for Gappy {
        fn append(&mut self, expected: u64, events: &[NewEvent]) -> lottrack_core::Result<u64> {
            self.0.append(expected, events)
        }
        fn read_from(
            &mut self,
            after: u64,
            visit: &mut dyn FnMut(StoredEvent) -> lottrack_core::Result<()>,
        ) -> lottrack_core::Result<()> {
            // Every row after the first is numbered one too high.
            self.0.read_from(after, &mut |mut row| {
                if row.seq > 1 {
                    row.seq += 1;
                }
                visit(row)
            })
        }
        fn last_seq(&mut self) -> lottrack_core::Result<u64> {
            self.0.last_seq()
        }
        fn describe(&self) -> String {
            "gappy".into()
        }
    }
    let t = seeded();
    let mut store = MemoryStore::new();
    let rows: Vec<NewEvent> = t
        .events()
        .unwrap()
        .into_iter()
        .map(|(_, ev, _)| NewEvent {
            event_id: ev.event_id.clone(),
            recorded_at: "2026-03-01T08:00:00Z".into(),
            json: ev.to_json(),
        })
        .collect();
    let second = rows[1].event_id.clone();
    store.append(0, &rows).unwrap();
    let err = Tracker::open(Gappy(store)).unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("`{second}` has seq 3 where seq 2 was expected"))
            && msg.contains("gap-free"),
        "{msg}"
    );
}

/// Quantities beyond the limit (10^20 in the base unit, converted exactly) and
/// conversion factors beyond theirs are refused with the lot and numbers named,
/// before anything changes: a second receipt of a huge quantity once overflowed
/// the lot's stock with a panic.
#[test]
fn quantities_beyond_the_limits() {
    let t = seeded();
    let rx = |id: &str, q: &str, uom: &str| {
        format!(
            r#"{{"event_id":"{id}","kind":"receive","time":"2026-03-04T08:00:00Z","location":"plant-1","product":"spinach","lot":"F-100","quantity":"{q}","uom":"{uom}"}}"#
        )
    };
    let e = rejects(&t, &rx("X1", "79228162514264337593543950335", "kg"));
    assert_eq!(e.kind_name(), "InvalidField");
    let m = e.to_string();
    assert!(m.contains("event X1") && m.contains("`quantity`"), "{m}");
    assert!(
        m.contains("(`spinach`, `F-100`)") && m.contains("at most 10^20"),
        "{m}"
    );
    let e = rejects(&t, &rx("X2", "100000000000000000000.5", "kg"));
    assert!(e.to_string().contains("at most 10^20"), "{e}");
    // At the bound, twice: the stock adds up without overflow, exactly.
    t.record_json(&rx("OK1", "100000000000000000000", "kg"))
        .expect("at the bound");
    t.record_json(&rx("OK2", "99999999999999999999", "kg"))
        .expect("under the bound");
    // 1.25 lb is 0.5669904625 kg: the stock would need 31 digits. Refused,
    // not rounded.
    let e = rejects(&t, &rx("X3", "1.25", "lb"));
    let m = e.to_string();
    assert!(m.contains("200000000000000000299 + 0.5669904625"), "{m}");
    assert!(m.contains("exactly (28)") && m.contains("`plant-1`"), "{m}");
    t.record_json(&rx("OK3", "0.5", "kg")).expect("22 digits");
    let mb = t
        .mass_balance(&LotKey::new("spinach", "F-100"))
        .expect("mb");
    assert_eq!(mb.received.to_string(), "200000000000000000499.5");
    assert!(mb.closes());

    let p = |id: &str, unit: &str, factor: &str| {
        format!(
            r#"{{"event_id":"{id}","kind":"product","time":"2026-03-04T00:00:00Z","product":"oil","uom":"l","conversions":{{"{unit}":"{factor}"}}}}"#
        )
    };
    let e = rejects(&t, &p("P2", "tank", "1000000000000"));
    assert_eq!(e.kind_name(), "InvalidField");
    let m = e.to_string();
    assert!(m.contains("`conversions`") && m.contains("tank"), "{m}");
    let e = rejects(&t, &p("P3", "drop", "0.0000000001"));
    assert!(
        e.to_string().contains("between 0.000000001 and 1000000000"),
        "{e}"
    );
    // A conversion whose product needs more than a decimal's 28 digits is not
    // rounded: refused.
    t.record_json(&p("P4", "vial", "0.123456789012345678901"))
        .expect("a fine factor");
    let e = rejects(
        &t,
        r#"{"event_id":"X5","kind":"receive","time":"2026-03-04T08:00:00Z","location":"plant-1","product":"oil","lot":"O-1","quantity":"0.1234567891","uom":"vial"}"#,
    );
    assert!(e.to_string().contains("not exact"), "{e}");
}

/// A log written before the limits (or by another writer) replays as recorded.
#[test]
fn a_stored_quantity_beyond_the_limits_still_replays() {
    use lottrack_core::store::{EventStore, MemoryStore, NewEvent};
    let mut store = MemoryStore::new();
    store
        .append(
            0,
            &[NewEvent {
                event_id: "OLD".into(),
                recorded_at: "2026-03-01T00:00:00Z".into(),
                json: r#"{"event_id":"OLD","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"10000000000000000","uom":"kg"}"#.into(),
            }],
        )
        .expect("append");
    let t = Tracker::open(store).expect("replays");
    let mb = t.mass_balance(&LotKey::new("p", "L")).expect("mb");
    assert_eq!(mb.on_hand.to_string(), "10000000000000000");
}
