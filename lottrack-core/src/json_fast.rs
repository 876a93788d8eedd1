//! A direct writer of the event JSON format for the common event kinds: the same
//! bytes as building a `serde_json::Map` and printing it (which allocates a key and
//! a value per field), several times faster. Master data, mock recalls and events
//! with unknown fields take the general path.

use std::io::Write;

use crate::event::{Event, EventBody, ShipItem};
use crate::model::{LotAttrs, LotQty};

/// The event's JSON, or `None` when the general path must write it.
pub(crate) fn event_json(ev: &Event) -> Option<String> {
    if !ev.extra.is_empty() {
        return None;
    }
    let mut w = W(Vec::with_capacity(512));
    w.raw("{");
    w.key_str_first("event_id", &ev.event_id);
    w.key_str("kind", ev.body.kind());
    w.key_display("time", ev.time.to_rfc3339());
    if let Some(l) = &ev.location {
        w.key_str("location", l);
    }
    match &ev.body {
        EventBody::Receive {
            item,
            supplier,
            attrs,
        } => {
            w.line_fields(item);
            w.opt("supplier", supplier);
            w.attrs(attrs);
        }
        EventBody::Transform { inputs, outputs } => {
            w.raw(",\"inputs\":[");
            for (i, l) in inputs.iter().enumerate() {
                w.sep(i);
                w.line_object(l, None);
            }
            w.raw("],\"outputs\":[");
            for (i, o) in outputs.iter().enumerate() {
                w.sep(i);
                w.line_object(&o.item, Some(&o.attrs));
            }
            w.raw("]");
        }
        EventBody::Ship { item, customer } => {
            match item {
                ShipItem::Lot(l) => w.line_fields(l),
                ShipItem::Container(c) => w.key_str("container", c),
            }
            w.opt("customer", customer);
        }
        EventBody::Move {
            item,
            from_location,
            to_location,
        } => {
            w.line_fields(item);
            w.key_str("from_location", from_location);
            w.key_str("to_location", to_location);
        }
        EventBody::Pack {
            container,
            contents,
        }
        | EventBody::Unpack {
            container,
            contents,
        } => {
            w.key_str("container", container);
            w.raw(",\"contents\":[");
            for (i, l) in contents.iter().enumerate() {
                w.sep(i);
                w.line_object(l, None);
            }
            w.raw("]");
        }
        EventBody::Adjust { item, reason }
        | EventBody::Dispose { item, reason }
        | EventBody::Consume { item, reason } => {
            w.line_fields(item);
            w.opt("reason", reason);
        }
        EventBody::Return { item, customer } => {
            w.line_fields(item);
            w.opt("customer", customer);
        }
        EventBody::Status {
            status,
            lots,
            reason,
        } => {
            w.key_str("status", status.as_str());
            w.raw(",\"lots\":[");
            for (i, k) in lots.iter().enumerate() {
                w.sep(i);
                w.raw("{");
                w.key_str_first("product", &k.product);
                w.key_str("lot", &k.lot);
                w.raw("}");
            }
            w.raw("]");
            w.opt("reason", reason);
        }
        EventBody::Void { target, reason } => {
            w.key_str("target", target);
            w.opt("reason", reason);
        }
        EventBody::Party { party, name, role } => {
            w.key_str("party", party);
            w.opt("name", name);
            w.opt("role", role);
        }
        _ => return None,
    }
    if !ev.documents.is_empty() {
        w.raw(",\"documents\":[");
        for (i, d) in ev.documents.iter().enumerate() {
            w.sep(i);
            w.raw("{");
            w.key_str_first("type", &d.doc_type);
            w.key_str("id", &d.id);
            w.raw("}");
        }
        w.raw("]");
    }
    if !ev.attributes.is_empty() {
        w.raw(",\"attributes\":");
        serde_json::to_writer(&mut w.0, &ev.attributes).ok()?;
    }
    w.raw("}");
    String::from_utf8(w.0).ok()
}

struct W(Vec<u8>);

impl W {
    #[inline]
    fn raw(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    #[inline]
    fn sep(&mut self, i: usize) {
        if i > 0 {
            self.0.push(b',');
        }
    }

    #[inline]
    fn string(&mut self, s: &str) {
        // serde_json's own escaping, so the bytes match the general path.
        let _ = serde_json::to_writer(&mut self.0, s);
    }

    fn key_str_first(&mut self, key: &str, v: &str) {
        self.0.push(b'"');
        self.raw(key);
        self.raw("\":");
        self.string(v);
    }

    fn key_str(&mut self, key: &str, v: &str) {
        self.raw(",\"");
        self.raw(key);
        self.raw("\":");
        self.string(v);
    }

    /// A value whose text needs no escaping (times, dates, decimals).
    fn key_display(&mut self, key: &str, v: impl std::fmt::Display) {
        self.raw(",\"");
        self.raw(key);
        self.raw("\":\"");
        let _ = write!(self.0, "{v}");
        self.0.push(b'"');
    }

    fn opt(&mut self, key: &str, v: &Option<String>) {
        if let Some(v) = v {
            self.key_str(key, v);
        }
    }

    fn line_fields(&mut self, l: &LotQty) {
        self.key_str("product", &l.product);
        self.key_str("lot", &l.lot);
        self.key_display("quantity", l.quantity);
        self.key_str("uom", &l.uom);
    }

    fn line_object(&mut self, l: &LotQty, attrs: Option<&LotAttrs>) {
        self.raw("{");
        self.key_str_first("product", &l.product);
        self.key_str("lot", &l.lot);
        self.key_display("quantity", l.quantity);
        self.key_str("uom", &l.uom);
        if let Some(a) = attrs {
            self.attrs(a);
        }
        self.raw("}");
    }

    fn attrs(&mut self, a: &LotAttrs) {
        if let Some(d) = a.expiry {
            self.key_display("expiry", d);
        }
        if let Some(d) = a.production_date {
            self.key_display("production_date", d);
        }
        self.opt("supplier_lot", &a.supplier_lot);
        self.opt("origin", &a.origin);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::LotStatus;
    use crate::{LotKey, parse_time};
    use serde_json::Value;

    fn slow(ev: &Event) -> String {
        ev.to_value().to_string()
    }

    #[test]
    fn same_bytes_as_the_general_path() {
        let t = parse_time("2026-03-01T08:00:00+01:00").unwrap();
        let l = |p: &str, lot: &str, q: &str| LotQty::new(p, lot, q, "kg").unwrap();
        let attrs = LotAttrs {
            expiry: Some("2026-03-15".parse().unwrap()),
            production_date: Some("2026-03-01".parse().unwrap()),
            supplier_lot: Some("A\"77\\".into()),
            origin: Some("farm é \u{1}".into()),
            ..Default::default()
        };
        let evs = vec![
            Event::receive(
                t,
                "plant-1",
                l("spin\"ach", "F-100", "500.250"),
                Some("farm-a"),
            )
            .with_lot_attrs(attrs.clone())
            .with_document("po", "PO-1")
            .with_id("E1"),
            Event::transform(
                t,
                "p",
                vec![l("a", "1", "2"), l("b", "2", "1e3")],
                vec![l("c", "3", "0.1")],
            )
            .with_lot_attrs(attrs)
            .with_attribute("line", 3)
            .with_attribute("nested", serde_json::json!({"x": [1, "y", null], "z": 1.5})),
            Event::ship(t, "p", l("c", "3", "1"), "store\n12").with_document("bol", "B-9"),
            Event::ship_container(t, "p", "SSCC-1", "c"),
            Event::move_(t, l("c", "3", "1"), "a", "b"),
            Event::pack(t, "p", "SSCC-1", vec![l("c", "3", "1")]),
            Event::unpack(t, "p", "SSCC-1", vec![l("c", "3", "1"), l("d", "4", "2")]),
            Event::adjust(t, "p", l("c", "3", "-1"), Some("count")),
            Event::dispose(t, "p", l("c", "3", "1"), None),
            Event::consume(t, "p", l("c", "3", "1"), Some("lab")),
            Event::return_(t, "p", l("c", "3", "1"), "shop"),
            Event::status(
                t,
                LotStatus::OnHold,
                vec![LotKey::new("c", "3"), LotKey::new("d", "4")],
                Some("qa"),
            ),
            Event::void(t, "E3", Some("incorrect_data")),
            Event::party(t, "store-12", Some("FreshMart"), None),
        ];
        for ev in &evs {
            assert_eq!(event_json(ev).as_deref(), Some(slow(ev).as_str()));
            let again = Event::from_json(&event_json(ev).unwrap()).unwrap();
            assert_eq!(&again, ev);
        }
        // Unknown fields take the general path.
        let x = Event::from_json(
            r#"{"event_id":"X1","kind":"ship","time":"2026-03-02T10:00:00+01:00","location":"a","container":"S","customer":"c","custom":{"a":1}}"#,
        )
        .unwrap();
        assert!(event_json(&x).is_none());
        assert_eq!(
            x.to_json(),
            Value::Object(serde_json::from_str(&x.to_json()).unwrap()).to_string()
        );
    }
}
