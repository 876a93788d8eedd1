//! Trace pictures: a [`Trace`] as Graphviz DOT, and as SVG through the `dot`
//! program when it is installed.
//!
//! Lots are boxes labelled with product, lot and the quantity the trace knows of
//! them (shipped, for a forward trace; received, for a backward one); the root is
//! drawn bold. Customers are `house` shapes, suppliers `invhouse` shapes; edges run
//! in the direction goods flow: supplier → lot → lot → customer, each labelled with
//! its event (and quantity, unit and date for shipments and receipts).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::LotKey;
use crate::quantity::fmt_decimal;
use crate::trace::{Movement, Trace, TraceDirection};

/// A DOT double-quoted string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn lot_id(k: &LotKey) -> String {
    q(&format!("lot:{}/{}", k.product, k.lot))
}

fn totals(ms: &[&Movement]) -> BTreeMap<(String, String), (Decimal, String)> {
    let mut t: BTreeMap<(String, String), (Decimal, String)> = BTreeMap::new();
    for m in ms {
        let e = t
            .entry((m.product.to_string(), m.lot.to_string()))
            .or_insert((Decimal::ZERO, m.uom.to_string()));
        e.0 += m.quantity;
    }
    t
}

impl Trace {
    /// The trace as a Graphviz DOT digraph.
    ///
    /// ```
    /// use lottrack_core::{LotKey, TraceOptions, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"spinach","lot":"F-100","quantity":"500","uom":"kg","supplier":"farm-a"}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T08:00:00Z","location":"a","inputs":[{"product":"spinach","lot":"F-100","quantity":"200","uom":"kg"}],"outputs":[{"product":"salad","lot":"S-1","quantity":"400","uom":"each"}]}"#).unwrap();
    /// t.record_json(r#"{"event_id":"E3","kind":"ship","time":"2026-03-03T08:00:00Z","location":"a","product":"salad","lot":"S-1","quantity":"120","uom":"each","customer":"store-12"}"#).unwrap();
    /// let dot = t.trace_forward(&LotKey::new("spinach", "F-100"), &TraceOptions::default()).unwrap().to_dot();
    /// assert!(dot.starts_with("digraph trace {"));
    /// assert!(dot.contains(r#""lot:spinach/F-100" -> "lot:salad/S-1""#));
    /// assert!(dot.contains(r#""customer:store-12" [shape=house"#));
    /// assert!(dot.contains(r#"label="salad\nS-1\nshipped 120 each""#));
    /// ```
    pub fn to_dot(&self) -> String {
        let mut out = String::from(
            "digraph trace {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
        );
        let forward = self.direction == TraceDirection::Forward;
        let shipments: Vec<&Movement> = self.shipments.iter().map(|s| &s.0).collect();
        let receipts: Vec<&Movement> = self.receipts.iter().map(|r| &r.0).collect();
        let known = totals(if forward { &shipments } else { &receipts });
        let verb = if forward { "shipped" } else { "received" };
        let mut lots: Vec<LotKey> = vec![self.root.clone()];
        lots.extend(self.lots.iter().map(|l| LotKey {
            product: l.product.clone(),
            lot: l.lot.clone(),
        }));
        for (i, k) in lots.iter().enumerate() {
            let mut label = format!("{}\n{}", k.product, k.lot);
            if let Some((qty, uom)) = known.get(&(k.product.to_string(), k.lot.to_string())) {
                let _ = write!(label, "\n{verb} {} {uom}", fmt_decimal(*qty));
            }
            let style = if i == 0 { ", style=bold" } else { "" };
            let _ = writeln!(
                out,
                "  {} [shape=box, label={}{style}];",
                lot_id(k),
                q(&label)
            );
        }
        let mut parties: Vec<(String, &str)> = Vec::new();
        for m in &shipments {
            parties.push((format!("customer:{}", m.party), "house"));
        }
        for m in &receipts {
            parties.push((format!("supplier:{}", m.party), "invhouse"));
        }
        parties.sort();
        parties.dedup();
        for (id, shape) in &parties {
            let name = id.split_once(':').map(|x| x.1).unwrap_or("");
            let name = if name.is_empty() { "(unknown)" } else { name };
            let _ = writeln!(out, "  {} [shape={shape}, label={}];", q(id), q(name));
        }
        for l in &self.links {
            let _ = writeln!(
                out,
                "  {} -> {} [label={}];",
                lot_id(&l.from),
                lot_id(&l.to),
                q(&l.event_id)
            );
        }
        let movement_label = |m: &Movement| {
            format!(
                "{}\n{} {}\n{}",
                m.event_id,
                fmt_decimal(m.quantity),
                m.uom,
                m.time.format("%Y-%m-%d")
            )
        };
        for m in &shipments {
            let k = LotKey::new(&m.product, &m.lot);
            let _ = writeln!(
                out,
                "  {} -> {} [label={}];",
                lot_id(&k),
                q(&format!("customer:{}", m.party)),
                q(&movement_label(m))
            );
        }
        for m in &receipts {
            let k = LotKey::new(&m.product, &m.lot);
            let _ = writeln!(
                out,
                "  {} -> {} [label={}];",
                q(&format!("supplier:{}", m.party)),
                lot_id(&k),
                q(&movement_label(m))
            );
        }
        out.push_str("}\n");
        out
    }

    /// The trace as SVG, drawn by Graphviz's `dot -Tsvg`; a
    /// [`Error::Storage`] error says so when `dot` is not installed.
    ///
    /// ```
    /// use lottrack_core::{LotKey, TraceOptions, Tracker};
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"L","quantity":"5","uom":"kg","supplier":"s"}"#).unwrap();
    /// let tr = t.trace_backward(&LotKey::new("p", "L"), &TraceOptions::default()).unwrap();
    /// match tr.to_svg() {
    ///     Ok(svg) => assert!(svg.contains("<svg")),
    ///     Err(e) => assert!(e.to_string().contains("Graphviz")),
    /// }
    /// ```
    pub fn to_svg(&self) -> Result<String> {
        render_svg(&self.to_dot())
    }
}

/// Runs `dot -Tsvg` over a DOT text.
pub(crate) fn render_svg(dot: &str) -> Result<String> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Storage {
            message: format!(
                "cannot run Graphviz `dot` to draw the trace as SVG ({e}); install Graphviz (e.g. `apt-get install graphviz`) or use Trace::to_dot"
            ),
        })?;
    let mut stdin = child.stdin.take().ok_or_else(|| Error::Storage {
        message: "Graphviz `dot`: no standard input".into(),
    })?;
    let text = dot.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().map_err(|e| Error::Storage {
        message: format!("Graphviz `dot` failed: {e}"),
    })?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(Error::Storage {
            message: format!(
                "Graphviz `dot` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        });
    }
    String::from_utf8(out.stdout).map_err(|e| Error::Storage {
        message: format!("Graphviz `dot` wrote non-UTF-8 SVG: {e}"),
    })
}
