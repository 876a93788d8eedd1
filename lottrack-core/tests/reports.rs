//! The FSMA 204 sortable spreadsheet, checked column by column, and trace pictures
//! (DOT parsed back by Graphviz where it is installed).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use lottrack_core::fsma::FSMA204_COLUMNS;
use lottrack_core::{Fsma204Filter, LotKey, TraceOptions, Tracker, parse_time};

fn scenario() -> Tracker {
    let t = Tracker::in_memory();
    for line in [
        r#"{"kind":"product","event_id":"P1","time":"2026-03-01T00:00:00Z","product":"salad","uom":"each","conversions":{"case":"12"},"description":"Spinach salad 200 g"}"#,
        r#"{"kind":"party","event_id":"PA1","time":"2026-03-01T00:00:00Z","party":"farm-a","name":"Farm A"}"#,
        r#"{"kind":"party","event_id":"PA2","time":"2026-03-01T00:00:00Z","party":"store-12","name":"FreshMart, Store \"12\""}"#,
        r#"{"kind":"location","event_id":"L1","time":"2026-03-01T00:00:00Z","location":"plant-1","name":"Plant 1"}"#,
        r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00+01:00","location":"plant-1","product":"spinach","lot":"F-100","quantity":"500","uom":"kg","supplier":"farm-a","supplier_lot":"A-77","expiry":"2026-03-15","documents":[{"type":"po","id":"PO-1"}]}"#,
        r#"{"event_id":"E1x","kind":"receive","time":"2026-03-01T09:00:00+01:00","location":"plant-1","product":"kale","lot":"K-1","quantity":"50","uom":"kg","supplier":"farm-b","origin":"grower-9"}"#,
        r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T10:00:00+01:00","location":"plant-1","inputs":[{"product":"spinach","lot":"F-100","quantity":"200","uom":"kg"}],"outputs":[{"product":"salad","lot":"S-1","quantity":"400","uom":"each","expiry":"2026-03-09"}],"documents":[{"type":"prodorder","id":"MO-7"}]}"#,
        r#"{"event_id":"E3","kind":"ship","time":"2026-03-03T06:00:00+01:00","location":"plant-1","product":"salad","lot":"S-1","quantity":"10","uom":"case","customer":"store-12","documents":[{"type":"bol","id":"B-9"},{"type":"inv","id":"I-3"}]}"#,
        r#"{"event_id":"E4","kind":"move","time":"2026-03-03T07:00:00+01:00","product":"salad","lot":"S-1","quantity":"50","uom":"each","from_location":"plant-1","to_location":"dc-1"}"#,
        r#"{"event_id":"E5","kind":"pack","time":"2026-03-03T08:00:00+01:00","location":"dc-1","container":"PAL-1","contents":[{"product":"salad","lot":"S-1","quantity":"20","uom":"each"}]}"#,
        r#"{"event_id":"E6","kind":"ship","time":"2026-03-03T09:00:00+01:00","location":"dc-1","container":"PAL-1","customer":"store-9"}"#,
        r#"{"event_id":"E7","kind":"return","time":"2026-03-04T09:00:00+01:00","location":"plant-1","product":"salad","lot":"S-1","quantity":"2","uom":"each","customer":"store-12"}"#,
        r#"{"event_id":"E8","kind":"ship","time":"2026-03-05T09:00:00+01:00","location":"plant-1","product":"kale","lot":"K-1","quantity":"5","uom":"kg","customer":"store-12"}"#,
        r#"{"event_id":"E9","kind":"void","time":"2026-03-05T10:00:00+01:00","target":"E8"}"#,
        r#"{"event_id":"E10","kind":"ship","time":"2026-04-01T09:00:00+01:00","location":"plant-1","product":"salad","lot":"S-1","quantity":"1","uom":"each","customer":"store-12"}"#,
    ] {
        t.record_json(line)
            .unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    t
}

/// RFC 4180 rows as maps from column name to value.
fn parse_csv(csv: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    let header = rows.remove(0);
    let maps = rows
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "{r:?}");
            header.iter().cloned().zip(r).collect()
        })
        .collect();
    (header, maps)
}

fn march() -> (lottrack_core::Time, lottrack_core::Time) {
    (
        parse_time("2026-03-01T00:00:00+01:00").expect("time"),
        parse_time("2026-03-31T23:59:59+01:00").expect("time"),
    )
}

#[test]
fn fsma204_spreadsheet_column_by_column() {
    let t = scenario();
    let (start, end) = march();
    let csv = t
        .fsma204_csv(start, end, &Fsma204Filter::default())
        .expect("csv");
    assert!(csv.ends_with("\r\n"));
    let (header, rows) = parse_csv(&csv);
    assert_eq!(header, FSMA204_COLUMNS);
    let get = |i: usize| -> Vec<&str> {
        FSMA204_COLUMNS
            .iter()
            .map(|c| rows[i][*c].as_str())
            .collect()
    };
    // E1: receiving from Farm A with the supplier's lot code and a PO.
    assert_eq!(
        get(0),
        [
            "Receiving",
            "F-100",
            "Farm A (farm-a)",
            "spinach",
            "500",
            "kg",
            "Plant 1 (plant-1)",
            "2026-03-01",
            "08:00:00+01:00",
            "po",
            "PO-1",
            "Farm A (farm-a)",
            "Farm A (farm-a)",
            "Plant 1 (plant-1)",
            "",
            "A-77",
            "spinach",
            "E1"
        ]
    );
    // E1x: the lot code source is the origin (grower), not the supplier.
    assert_eq!(rows[1]["Traceability Lot Code Source"], "grower-9");
    assert_eq!(rows[1]["Immediate Previous Source"], "farm-b");
    // E2: transformation, one row per input and per output; the new lot's source is
    // where it was transformed.
    assert_eq!(
        get(2),
        [
            "Transformation",
            "F-100",
            "Farm A (farm-a)",
            "spinach",
            "200",
            "kg",
            "Plant 1 (plant-1)",
            "2026-03-02",
            "10:00:00+01:00",
            "prodorder",
            "MO-7",
            "",
            "",
            "",
            "input",
            "A-77",
            "spinach",
            "E2"
        ]
    );
    assert_eq!(
        get(3),
        [
            "Transformation",
            "S-1",
            "Plant 1 (plant-1)",
            "Spinach salad 200 g",
            "400",
            "each",
            "Plant 1 (plant-1)",
            "2026-03-02",
            "10:00:00+01:00",
            "prodorder",
            "MO-7",
            "",
            "",
            "",
            "output",
            "",
            "salad",
            "E2"
        ]
    );
    // E3: shipping in cases as recorded, two documents, a customer name with a comma
    // and quotes (quoted as RFC 4180 says).
    assert_eq!(
        get(4),
        [
            "Shipping",
            "S-1",
            "Plant 1 (plant-1)",
            "Spinach salad 200 g",
            "10",
            "case",
            "Plant 1 (plant-1)",
            "2026-03-03",
            "06:00:00+01:00",
            "bol;inv",
            "B-9;I-3",
            "",
            "Plant 1 (plant-1)",
            "FreshMart, Store \"12\" (store-12)",
            "",
            "",
            "salad",
            "E3"
        ]
    );
    assert!(csv.contains("\"FreshMart, Store \"\"12\"\" (store-12)\""));
    // E4 (move) and E5 (pack) are no CTEs. E6 ships a pallet: its lot in base units.
    assert_eq!(
        (
            rows[5]["Event Type"].as_str(),
            rows[5]["Quantity"].as_str(),
            rows[5]["Unit of Measure"].as_str(),
            rows[5]["Ship From Location"].as_str(),
            rows[5]["Ship To Location"].as_str(),
            rows[5]["Event ID"].as_str()
        ),
        ("Shipping", "20", "each", "dc-1", "store-9", "E6")
    );
    // E7: a return is a receiving from the customer.
    assert_eq!(
        (
            rows[6]["Event Type"].as_str(),
            rows[6]["Immediate Previous Source"].as_str(),
            rows[6]["Event ID"].as_str()
        ),
        ("Receiving", "FreshMart, Store \"12\" (store-12)", "E7")
    );
    // E8 is voided, E10 is out of the range.
    assert_eq!(rows.len(), 7);

    // Filters: a product list, and the lots a recall of F-100 reaches.
    let only_kale = Fsma204Filter {
        products: Some(vec!["kale".into()]),
        ..Default::default()
    };
    let (_, rows) = parse_csv(&t.fsma204_csv(start, end, &only_kale).expect("csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["Event ID"], "E1x");
    let recall = Fsma204Filter {
        recall_roots: Some(vec![LotKey::new("spinach", "F-100")]),
        ..Default::default()
    };
    let (_, rows) = parse_csv(&t.fsma204_csv(start, end, &recall).expect("csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["Event ID"].as_str()).collect();
    assert_eq!(ids, ["E1", "E2", "E2", "E3", "E6", "E7"]);
    let err = t
        .fsma204_csv(
            start,
            end,
            &Fsma204Filter {
                recall_roots: Some(vec![LotKey::new("x", "y")]),
                ..Default::default()
            },
        )
        .expect_err("unknown root");
    assert_eq!(err.kind_name(), "UnknownProduct");
}

fn dot_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn trace_dot_shapes_and_labels() {
    let t = scenario();
    let f = t
        .trace_forward(&LotKey::new("spinach", "F-100"), &TraceOptions::default())
        .expect("trace");
    let dot = f.to_dot();
    assert!(dot.starts_with("digraph trace {\n"));
    assert!(
        dot.contains("\"lot:spinach/F-100\" [shape=box, label=\"spinach\\nF-100\", style=bold];"),
        "{dot}"
    );
    assert!(
        dot.contains("\"lot:salad/S-1\" [shape=box, label=\"salad\\nS-1\\nshipped 141 each\"];"),
        "{dot}"
    );
    assert!(
        dot.contains("\"customer:store-12\" [shape=house, label=\"store-12\"];"),
        "{dot}"
    );
    assert!(
        dot.contains("\"lot:spinach/F-100\" -> \"lot:salad/S-1\" [label=\"E2\"];"),
        "{dot}"
    );
    assert!(
        dot.contains(
            "\"lot:salad/S-1\" -> \"customer:store-9\" [label=\"E6\\n20 each\\n2026-03-03\"];"
        ),
        "{dot}"
    );
    let b = t
        .trace_backward(&LotKey::new("salad", "S-1"), &TraceOptions::default())
        .expect("trace");
    let dot = b.to_dot();
    assert!(
        dot.contains("\"supplier:farm-a\" [shape=invhouse, label=\"farm-a\"];"),
        "{dot}"
    );
    assert!(
        dot.contains(
            "\"supplier:farm-a\" -> \"lot:spinach/F-100\" [label=\"E1\\n500 kg\\n2026-03-01\"];"
        ),
        "{dot}"
    );
    assert!(
        dot.contains("label=\"spinach\\nF-100\\nreceived 500 kg\""),
        "{dot}"
    );
}

#[test]
fn trace_dot_parses_back_with_graphviz() {
    if !dot_installed() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must install Graphviz (apt-get install -y graphviz)"
        );
        println!("skipped: Graphviz `dot` is not installed");
        return;
    }
    let t = scenario();
    // Names that need escaping in DOT (control characters are refused at record).
    t.record_json(r#"{"event_id":"Q1","kind":"receive","time":"2026-03-06T08:00:00Z","location":"plant-1","product":"odd \"name\"\\x","lot":"L{2}|<3>","quantity":"1","uom":"kg","supplier":"a\"b"}"#).expect("odd");
    for tr in [
        t.trace_forward(&LotKey::new("spinach", "F-100"), &TraceOptions::default())
            .expect("f"),
        t.trace_backward(&LotKey::new("salad", "S-1"), &TraceOptions::default())
            .expect("b"),
        t.trace_backward(
            &LotKey::new("odd \"name\"\\x", "L{2}|<3>"),
            &TraceOptions::default(),
        )
        .expect("odd"),
    ] {
        let dot = tr.to_dot();
        let mut child = Command::new("dot")
            .arg("-Tcanon")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dot");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(dot.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("dot output");
        assert!(
            out.status.success(),
            "{}\n{dot}",
            String::from_utf8_lossy(&out.stderr)
        );
        let canon = String::from_utf8_lossy(&out.stdout);
        let nodes = 1 + tr.lots.len();
        assert!(canon.matches("shape=box").count() >= nodes, "{canon}");
        let svg = tr.to_svg().expect("svg");
        assert!(svg.contains("<svg"), "{svg}");
    }
}

/// The lean recall names the same customers and shipments, in the same order,
/// as the full report; its rows are built one customer at a time; a shipment
/// voided after the lean recall is reported, not silently dropped.
#[test]
fn lean_recall_matches_the_report_and_names_rows_on_demand() {
    let t = scenario();
    let roots = [LotKey::new("spinach", "F-100")];
    let opts = TraceOptions::default();
    let full = t.recall(&roots, &opts).unwrap();
    let ids = t.recall_ids(&roots, &opts).unwrap();
    assert_eq!(t.lot_keys(&ids.roots), roots);
    assert_eq!(
        t.lot_keys(&ids.lots),
        full.lots
            .iter()
            .map(|l| LotKey::new(&l.product, &l.lot))
            .collect::<Vec<_>>()
    );
    assert_eq!(ids.depths, [0, 1]);
    let names: Vec<&str> = ids.customers.iter().map(|c| &*c.customer).collect();
    assert_eq!(names, ["store-12", "store-9"]);
    for (i, c) in full.customers.iter().enumerate() {
        assert_eq!(&t.recall_customer(&ids, i).unwrap(), c);
    }
    let store12: Vec<&str> = full.customers[0]
        .shipments
        .iter()
        .map(|s| &*s.event_id)
        .collect();
    assert_eq!(store12, ["E3", "E10"]);
    assert_eq!(t.recall_report(&ids).unwrap(), full);
    let err = t.recall_customer(&ids, 2).unwrap_err();
    assert!(
        err.to_string()
            .contains("customer 2 is not in this recall (2 customers)"),
        "{err}"
    );

    // E10 voided after the lean recall: its row can no longer be named.
    t.record_json(
        r#"{"event_id":"V10","kind":"void","time":"2026-04-02T09:00:00+01:00","target":"E10"}"#,
    )
    .unwrap();
    let err = t.recall_customer(&ids, 0).unwrap_err();
    assert!(
        err.to_string()
            .contains("no longer ships lot `salad`/`S-1`"),
        "{err}"
    );
    assert!(t.recall_report(&ids).is_err());
    // store-9's shipment is untouched, and a new lean recall agrees with the report.
    assert_eq!(&t.recall_customer(&ids, 1).unwrap(), &full.customers[1]);
    let again = t.recall_ids(&roots, &opts).unwrap();
    assert_eq!(again.shipments.len(), ids.shipments.len() - 1);
    assert_eq!(
        t.recall_report(&again).unwrap(),
        t.recall(&roots, &opts).unwrap()
    );
}
