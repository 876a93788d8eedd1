//! A direct writer of the event JSON format for the common event kinds: the same
//! bytes as building a `serde_json::Map` and printing it (which allocates a key and
//! a value per field), several times faster. Master data, mock recalls and events
//! with unknown fields take the general path.

use std::io::Write;

use chrono::{Datelike, NaiveDate, Timelike};

use crate::event::{Event, EventBody, ShipItem, Time};
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
    w.key_time("time", &ev.time);
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

    /// `,"key":"`: the start of a value whose text needs no escaping.
    fn key_open(&mut self, key: &str) {
        self.raw(",\"");
        self.raw(key);
        self.raw("\":\"");
    }

    /// A value whose text needs no escaping (times, dates, decimals).
    fn key_display(&mut self, key: &str, v: impl std::fmt::Display) {
        self.key_open(key);
        let _ = write!(self.0, "{v}");
        self.0.push(b'"');
    }

    /// `t` as `DateTime::to_rfc3339` writes it, without its formatting
    /// machinery and its string (a sixth of an event's JSON time).
    fn key_time(&mut self, key: &str, t: &Time) {
        self.key_open(key);
        if !self.rfc3339(t) {
            let _ = write!(self.0, "{}", t.to_rfc3339());
        }
        self.0.push(b'"');
    }

    /// A date as chrono's `Display` writes it (`2026-03-15`).
    fn key_date(&mut self, key: &str, d: NaiveDate) {
        self.key_open(key);
        if !self.ymd(d) {
            let _ = write!(self.0, "{d}");
        }
        self.0.push(b'"');
    }

    /// Writes `t` in RFC 3339 as chrono does (fraction of 3, 6 or 9 digits
    /// when not zero, offset `+hh:mm`), or writes nothing and returns `false`
    /// for what chrono writes otherwise: a year outside 0..=9999, a leap
    /// second, an offset with seconds.
    fn rfc3339(&mut self, t: &Time) -> bool {
        let local = t.naive_local();
        let offset = t.offset().local_minus_utc();
        let nanos = local.nanosecond();
        if offset % 60 != 0 || nanos >= 1_000_000_000 || !self.ymd(local.date()) {
            return false;
        }
        self.0.push(b'T');
        self.two(local.hour());
        self.0.push(b':');
        self.two(local.minute());
        self.0.push(b':');
        self.two(local.second());
        let (digits, mut frac) = match nanos {
            0 => (0, 0),
            n if n % 1_000_000 == 0 => (3, n / 1_000_000),
            n if n % 1_000 == 0 => (6, n / 1_000),
            n => (9, n),
        };
        if digits > 0 {
            self.0.push(b'.');
            let start = self.0.len();
            self.0.resize(start + digits, b'0');
            for slot in self.0[start..].iter_mut().rev() {
                *slot = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
        }
        self.0.push(if offset < 0 { b'-' } else { b'+' });
        let minutes = offset.unsigned_abs() / 60;
        self.two(minutes / 60);
        self.0.push(b':');
        self.two(minutes % 60);
        true
    }

    /// Writes `d` as `%Y-%m-%d`, or nothing and `false` for a year outside
    /// 0..=9999 (chrono writes those with a sign).
    fn ymd(&mut self, d: NaiveDate) -> bool {
        let Ok(year) = u32::try_from(d.year()) else {
            return false;
        };
        if year > 9999 {
            return false;
        }
        self.two(year / 100);
        self.two(year % 100);
        self.0.push(b'-');
        self.two(d.month());
        self.0.push(b'-');
        self.two(d.day());
        true
    }

    /// Two decimal digits of `n` (< 100).
    fn two(&mut self, n: u32) {
        self.0.push(b'0' + (n / 10 % 10) as u8);
        self.0.push(b'0' + (n % 10) as u8);
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
            self.key_date("expiry", d);
        }
        if let Some(d) = a.production_date {
            self.key_date("production_date", d);
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

    /// What `key_time` writes for `t`, without the key.
    fn fast_time(t: &Time) -> String {
        let mut w = W(Vec::new());
        w.key_time("t", t);
        let s = String::from_utf8(w.0).unwrap();
        s.trim_start_matches(",\"t\":\"")
            .trim_end_matches('"')
            .to_string()
    }

    proptest::proptest! {
        #[test]
        fn times_are_written_as_chrono_writes_them(
            secs in -62_135_596_800i64..=253_402_300_799i64 + 86_400 * 400,
            nanos_kind in 0u8..4,
            nanos in 0u32..1_000_000_000,
            offset_quarters in -56i32..=56,
            offset_seconds in proptest::prop_oneof![3 => proptest::strategy::Just(0i32), 1 => 1i32..60],
        ) {
            let nanos = match nanos_kind {
                0 => 0,
                1 => nanos / 1_000_000 * 1_000_000,
                2 => nanos / 1_000 * 1_000,
                _ => nanos,
            };
            let offset = chrono::FixedOffset::east_opt(offset_quarters * 900 + offset_seconds.min(899))
                .unwrap();
            let utc = chrono::DateTime::from_timestamp(secs, nanos).unwrap();
            let t = utc.with_timezone(&offset);
            proptest::prop_assert_eq!(fast_time(&t), t.to_rfc3339());
        }

        #[test]
        fn dates_are_written_as_chrono_writes_them(days in -800_000i32..4_000_000) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let mut w = W(Vec::new());
            w.key_date("d", d);
            proptest::prop_assert_eq!(String::from_utf8(w.0).unwrap(), format!(",\"d\":\"{d}\""));
        }
    }

    #[test]
    fn edge_times_are_written_as_chrono_writes_them() {
        for text in [
            "0000-01-01T00:00:00+00:00",
            "9999-12-31T23:59:59.999999999-14:00",
            "2026-03-01T08:00:00.5+01:00",
            "2026-03-01T08:00:00.000001Z",
            "2026-03-01T08:00:00.000000001+05:45",
            "2016-12-31T23:59:60.5Z",
            "2024-02-29T12:00:00-00:30",
        ] {
            let t = chrono::DateTime::parse_from_rfc3339(text).unwrap();
            assert_eq!(fast_time(&t), t.to_rfc3339(), "{text}");
        }
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
