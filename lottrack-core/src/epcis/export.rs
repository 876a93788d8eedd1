//! Native events → EPCIS 2.0 document (see the module documentation), and the
//! reading of the document header's master data on import.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use chrono::Utc;
use serde_json::{Map, Number, Value};

use super::epc::{
    Identifier, class_uri, container_uri, is_plain_uri, location_uri, parse_identifier, party_uri,
    pct_encode, private_uri,
};
use super::import::{BTT, code_of_unit};
use super::{EPCIS_CONTEXT, LOTTRACK_NS};
use crate::error::{Error, Result};
use crate::event::{Event, EventBody, ShipItem};
use crate::event_log::{EventLog, decode};
use crate::model::{LotAttrs, LotQty, LotStatus};
use crate::quantity::fmt_decimal;
use crate::state::State;
use crate::tracker::Tracker;

const MDA_EVENT: &str = "urn:lottrack:mda:event";
const MDA_UOM: &str = "urn:lottrack:mda:uom";
const MDA_NAME: &str = "urn:epcglobal:cbv:mda#name";
const VT_CLASS: &str = "urn:epcglobal:epcis:vtype:EPCClass";
const VT_PARTY: &str = "urn:epcglobal:epcis:vtype:SourceDest";
const VT_LOCATION: &str = "urn:epcglobal:epcis:vtype:BusinessLocation";

const COMMON: &[&str] = &[
    "@context",
    "type",
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "certificationInfo",
    "errorDeclaration",
];
const OBJECT: &[&str] = &[
    "action",
    "epcList",
    "quantityList",
    "bizStep",
    "disposition",
    "persistentDisposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
    "ilmd",
];
const AGGREGATION: &[&str] = &[
    "parentID",
    "childEPCs",
    "childQuantityList",
    "action",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
];
const TRANSFORMATION: &[&str] = &[
    "inputEPCList",
    "inputQuantityList",
    "outputEPCList",
    "outputQuantityList",
    "transformationID",
    "bizStep",
    "disposition",
    "persistentDisposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
    "ilmd",
];
const ALL_STANDARD: &[&[&str]] = &[COMMON, OBJECT, AGGREGATION, TRANSFORMATION];

fn num(d: rust_decimal::Decimal) -> Value {
    fmt_decimal(d)
        .parse::<Number>()
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// A quantity element of a lot line, in a unit EPCIS can name.
fn quantity(s: &State, l: &LotQty, with_qty: bool) -> Value {
    let mut m = Map::new();
    m.insert("epcClass".into(), class_uri(&l.product, &l.lot).into());
    if with_qty {
        let (q, code) = match code_of_unit(&l.uom) {
            Some(code) => (l.quantity, code),
            None => {
                let units = s.catalog.product(&l.product).map(|(_, r)| r.units.clone());
                match units.and_then(|u| u.to_base(l.quantity, &l.uom).map(|q| (q, u.base))) {
                    Some((q, base)) => (q, code_of_unit(&base).flatten()),
                    None => (l.quantity, None),
                }
            }
        };
        m.insert("quantity".into(), num(q));
        if let Some(c) = code {
            m.insert("uom".into(), c.into());
        }
    }
    Value::Object(m)
}

fn id_obj(uri: String) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), uri.into());
    Value::Object(m)
}

fn sd(kind: &str, key: &str, ty: &str, uri: String) -> Value {
    let _ = kind;
    let mut m = Map::new();
    m.insert("type".into(), ty.into());
    m.insert(key.into(), uri.into());
    Value::Object(m)
}

fn ilmd_of(a: &LotAttrs) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(d) = a.expiry {
        m.insert("cbvmda:itemExpirationDate".into(), d.to_string().into());
    }
    if let Some(d) = a.production_date {
        m.insert("lottrack:productionDate".into(), d.to_string().into());
    }
    if let Some(v) = &a.supplier_lot {
        m.insert("lottrack:supplierLot".into(), v.clone().into());
    }
    if let Some(v) = &a.origin {
        m.insert("lottrack:origin".into(), v.clone().into());
    }
    m
}

fn attrs_value(a: &LotAttrs) -> Value {
    let mut m = Map::new();
    if let Some(d) = a.expiry {
        m.insert("expiry".into(), d.to_string().into());
    }
    if let Some(d) = a.production_date {
        m.insert("production_date".into(), d.to_string().into());
    }
    if let Some(v) = &a.supplier_lot {
        m.insert("supplier_lot".into(), v.clone().into());
    }
    if let Some(v) = &a.origin {
        m.insert("origin".into(), v.clone().into());
    }
    Value::Object(m)
}

fn status_disposition(s: LotStatus) -> &'static str {
    match s {
        LotStatus::Active => "sellable_accessible",
        LotStatus::OnHold | LotStatus::Quarantined => "non_sellable_other",
        LotStatus::Recalled => "recalled",
        LotStatus::Consumed => "inactive",
        LotStatus::Expired => "expired",
    }
}

fn btt(t: &str) -> Option<String> {
    if t.is_empty() {
        return None;
    }
    if BTT.contains(&t) {
        return Some(t.to_string());
    }
    if is_plain_uri(t)
        && !t.starts_with("urn:epcglobal:cbv")
        && !t.starts_with("https://ref.gs1.org/cbv/")
        && !t.starts_with("urn:lottrack:")
    {
        return Some(t.to_string());
    }
    Some(format!("urn:lottrack:btt:{}", pct_encode(t)))
}

fn reason_uri(r: &str) -> String {
    if matches!(r, "incorrect_data" | "did_not_occur") {
        r.to_string()
    } else {
        private_uri("reason", r)
    }
}

/// The EPCIS form of one native event (`None`: it has none — master data, voids,
/// mock recalls).
fn event_json(s: &State, ev: &Event, void: Option<&Event>) -> Option<Map<String, Value>> {
    let kept: Map<String, Value> = ev
        .attributes
        .get("epcis")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut o = Map::new();
    let get = |k: &str| kept.get(k).cloned();
    let kind = ev.body.kind();
    let (ty, allowed): (&str, &[&str]) = match &ev.body {
        EventBody::Transform { .. } => ("TransformationEvent", TRANSFORMATION),
        EventBody::Pack { .. } | EventBody::Unpack { .. } => ("AggregationEvent", AGGREGATION),
        EventBody::Receive { .. }
        | EventBody::Ship { .. }
        | EventBody::Move { .. }
        | EventBody::Adjust { .. }
        | EventBody::Dispose { .. }
        | EventBody::Consume { .. }
        | EventBody::Return { .. }
        | EventBody::Status { .. } => ("ObjectEvent", OBJECT),
        _ => return None,
    };
    o.insert("type".into(), ty.into());
    o.insert("eventTime".into(), ev.time.to_rfc3339().into());
    o.insert(
        "eventTimeZoneOffset".into(),
        ev.time.format("%:z").to_string().into(),
    );
    o.insert("eventID".into(), private_uri("event", &ev.event_id).into());
    let loc = ev.location.as_deref().map(location_uri);
    let ship_like = matches!(
        ev.body,
        EventBody::Ship { .. }
            | EventBody::Dispose { .. }
            | EventBody::Consume { .. }
            | EventBody::Adjust { .. }
            | EventBody::Status { .. }
    );
    if let Some(l) = loc.clone() {
        if kept.contains_key("readPoint") || !ship_like {
            o.insert("bizLocation".into(), id_obj(l));
        } else {
            o.insert("readPoint".into(), id_obj(l));
        }
    }
    let mut ilmd = kept
        .get("ilmd")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let step = |o: &mut Map<String, Value>, default: &str| {
        let v = get("bizStep").unwrap_or_else(|| default.into());
        o.insert("bizStep".into(), v);
    };
    let party =
        |key: &str, list_key: &str, ty: &str, p: &Option<String>, o: &mut Map<String, Value>| {
            if let Some(v) = get(list_key) {
                o.insert(list_key.into(), v);
            } else if let Some(p) = p {
                o.insert(
                    list_key.into(),
                    Value::Array(vec![sd(list_key, key, ty, party_uri(p))]),
                );
            }
        };
    match &ev.body {
        EventBody::Receive {
            item,
            supplier,
            attrs,
        } => {
            o.insert(
                "quantityList".into(),
                Value::Array(vec![quantity(s, item, true)]),
            );
            step(&mut o, "receiving");
            party("source", "sourceList", "owning_party", supplier, &mut o);
            ilmd.extend(ilmd_of(attrs));
        }
        EventBody::Ship { item, customer } => {
            match item {
                ShipItem::Lot(l) => {
                    o.insert(
                        "quantityList".into(),
                        Value::Array(vec![quantity(s, l, true)]),
                    );
                }
                ShipItem::Container(c) => {
                    o.insert(
                        "epcList".into(),
                        Value::Array(vec![container_uri(c).into()]),
                    );
                }
            }
            step(&mut o, "shipping");
            if !kept.contains_key("disposition") {
                o.insert("disposition".into(), "in_transit".into());
            }
            party(
                "destination",
                "destinationList",
                "owning_party",
                customer,
                &mut o,
            );
        }
        EventBody::Return { item, customer } => {
            o.insert(
                "quantityList".into(),
                Value::Array(vec![quantity(s, item, true)]),
            );
            step(&mut o, "receiving");
            o.insert("disposition".into(), "returned".into());
            party("source", "sourceList", "owning_party", customer, &mut o);
        }
        EventBody::Dispose { item, reason }
        | EventBody::Consume { item, reason }
        | EventBody::Adjust { item, reason } => {
            o.insert(
                "quantityList".into(),
                Value::Array(vec![quantity(s, item, true)]),
            );
            match &ev.body {
                EventBody::Dispose { .. } => {
                    step(&mut o, "destroying");
                    if !kept.contains_key("disposition") {
                        o.insert("disposition".into(), "destroyed".into());
                    }
                }
                EventBody::Consume { .. } => step(&mut o, "dispensing"),
                _ => step(&mut o, "cycle_counting"),
            }
            if let Some(r) = reason {
                o.insert("lottrack:reason".into(), r.clone().into());
            }
        }
        EventBody::Move {
            item,
            from_location,
            to_location,
        } => {
            o.insert(
                "quantityList".into(),
                Value::Array(vec![quantity(s, item, true)]),
            );
            step(&mut o, "transporting");
            o.remove("readPoint");
            match &ev.location {
                Some(l) => o.insert("readPoint".into(), id_obj(location_uri(l))),
                None => None,
            };
            o.insert("bizLocation".into(), id_obj(location_uri(to_location)));
            for (list_key, key, loc) in [
                ("sourceList", "source", from_location),
                ("destinationList", "destination", to_location),
            ] {
                let mut entries: Vec<Value> = get(list_key)
                    .and_then(|v| v.as_array().cloned())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|e| e.get("type").and_then(Value::as_str) != Some("location"))
                    .collect();
                entries.push(sd(list_key, key, "location", location_uri(loc)));
                o.insert(list_key.into(), Value::Array(entries));
            }
        }
        EventBody::Status {
            status,
            lots,
            reason,
        } => {
            let q = lots
                .iter()
                .map(|k| {
                    let mut m = Map::new();
                    m.insert("epcClass".into(), class_uri(&k.product, &k.lot).into());
                    Value::Object(m)
                })
                .collect();
            o.insert("quantityList".into(), Value::Array(q));
            step(&mut o, "holding");
            o.insert("disposition".into(), status_disposition(*status).into());
            o.insert("lottrack:status".into(), status.as_str().into());
            if let Some(r) = reason {
                o.insert("lottrack:reason".into(), r.clone().into());
            }
        }
        EventBody::Transform { inputs, outputs } => {
            o.insert(
                "inputQuantityList".into(),
                inputs.iter().map(|l| quantity(s, l, true)).collect(),
            );
            o.insert(
                "outputQuantityList".into(),
                outputs.iter().map(|x| quantity(s, &x.item, true)).collect(),
            );
            if let Some(v) = get("bizStep") {
                o.insert("bizStep".into(), v);
            }
            let first = outputs.first().map(|x| x.attrs.clone()).unwrap_or_default();
            if outputs.iter().all(|x| x.attrs == first) {
                ilmd.extend(ilmd_of(&first));
            } else {
                o.insert(
                    "lottrack:outputAttrs".into(),
                    outputs.iter().map(|x| attrs_value(&x.attrs)).collect(),
                );
            }
        }
        EventBody::Pack {
            container,
            contents,
        }
        | EventBody::Unpack {
            container,
            contents,
        } => {
            let pack = matches!(ev.body, EventBody::Pack { .. });
            o.insert("parentID".into(), container_uri(container).into());
            o.insert(
                "childQuantityList".into(),
                contents.iter().map(|l| quantity(s, l, true)).collect(),
            );
            o.insert("action".into(), if pack { "ADD" } else { "DELETE" }.into());
            step(&mut o, if pack { "packing" } else { "unpacking" });
        }
        _ => return None,
    }
    if ty == "ObjectEvent" {
        o.insert("lottrack:kind".into(), kind.into());
        let action = if ilmd.is_empty() {
            get("action").unwrap_or_else(|| "OBSERVE".into())
        } else {
            "ADD".into()
        };
        o.insert("action".into(), action);
    }
    if !ilmd.is_empty() {
        o.insert("ilmd".into(), Value::Object(ilmd));
    }
    if !ev.documents.is_empty() {
        let list = ev
            .documents
            .iter()
            .map(|d| {
                let mut m = Map::new();
                if let Some(t) = btt(&d.doc_type) {
                    m.insert("type".into(), t.into());
                }
                m.insert("bizTransaction".into(), private_uri("doc", &d.id).into());
                Value::Object(m)
            })
            .collect();
        o.insert("bizTransactionList".into(), Value::Array(list));
    }
    // Fields kept from an import, where the event type allows them.
    let mut fields = Map::new();
    for (k, v) in &kept {
        if k == "ilmd"
            || o.contains_key(k) && !k.ends_with("EPCList") && k != "epcList" && k != "childEPCs"
        {
            continue;
        }
        let standard = ALL_STANDARD.iter().any(|l| l.contains(&k.as_str()));
        let ok = if standard {
            COMMON.contains(&k.as_str()) || allowed.contains(&k.as_str())
        } else {
            is_plain_uri(k) && !k.starts_with("lottrack:")
        };
        if !ok || k == "type" {
            if k != "type" {
                fields.insert(k.clone(), v.clone());
            }
            continue;
        }
        match (o.get_mut(k), v) {
            (Some(Value::Array(a)), Value::Array(b)) => a.extend(b.iter().cloned()),
            (Some(_), _) => {}
            (None, _) => {
                o.insert(k.clone(), v.clone());
            }
        }
    }
    if !fields.is_empty() {
        o.insert("lottrack:fields".into(), Value::Object(fields));
    }
    let own: Map<String, Value> = ev
        .attributes
        .iter()
        .filter(|(k, _)| k.as_str() != "epcis")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !own.is_empty() {
        o.insert("lottrack:attributes".into(), Value::Object(own));
    }
    if let Some(v) = void {
        let mut d = v
            .attributes
            .get("epcis")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        d.insert("declarationTime".into(), v.time.to_rfc3339().into());
        if let EventBody::Void {
            reason: Some(r), ..
        } = &v.body
        {
            d.insert("reason".into(), reason_uri(r).into());
        }
        d.insert("lottrack:voidEventID".into(), v.event_id.clone().into());
        o.insert("errorDeclaration".into(), Value::Object(d));
    }
    Some(o)
}

fn element(id: String, attrs: Vec<(&str, Value)>) -> Value {
    let attributes: Vec<Value> = attrs
        .into_iter()
        .map(|(k, v)| {
            let mut m = Map::new();
            m.insert("id".into(), k.into());
            m.insert("attribute".into(), v);
            Value::Object(m)
        })
        .collect();
    let mut m = Map::new();
    m.insert("id".into(), id.into());
    m.insert("attributes".into(), Value::Array(attributes));
    Value::Object(m)
}

fn product_class_uri(p: &str) -> String {
    if super::epc::is_gtin14(p) {
        format!("https://id.gs1.org/01/{p}")
    } else {
        format!("urn:lottrack:class:{}", pct_encode(p))
    }
}

fn header(s: &State, log: &mut EventLog<'_>) -> Result<(Map<String, Value>, usize)> {
    let mut classes = Vec::new();
    let mut parties = Vec::new();
    let mut locations = Vec::new();
    let mut natives = Vec::new();
    let mut declared: HashSet<String> = HashSet::new();
    // Only master data, drill records and voids go to the header: read just
    // those, and the events the voids void.
    let idx: Vec<u32> = (0..s.events.len() as u32)
        .filter(|&i| {
            matches!(
                s.events[i as usize].kind(),
                "product" | "party" | "location" | "mock_recall" | "void"
            )
        })
        .collect();
    let events = log.events(s, &idx)?;
    let voided = events_by_index(s, log, events.iter().filter_map(|ev| void_target(s, ev)))?;
    for ev in events {
        match &ev.body {
            EventBody::Product {
                product,
                description,
                ..
            } => {
                declared.insert(product.clone());
                let mut a = vec![(MDA_EVENT, ev.to_value())];
                if let Some(d) = description {
                    a.push(("urn:epcglobal:cbv:mda#descriptionShort", d.clone().into()));
                }
                classes.push(element(product_class_uri(product), a));
            }
            EventBody::Party { party, name, .. } => {
                let mut a = vec![(MDA_EVENT, ev.to_value())];
                if let Some(n) = name {
                    a.push((MDA_NAME, n.clone().into()));
                }
                parties.push(element(party_uri(party), a));
            }
            EventBody::Location { location, name, .. } => {
                let mut a = vec![(MDA_EVENT, ev.to_value())];
                if let Some(n) = name {
                    a.push((MDA_NAME, n.clone().into()));
                }
                locations.push(element(location_uri(location), a));
            }
            EventBody::MockRecall { .. } => natives.push(ev.to_value()),
            EventBody::Void { target, .. } => {
                let t = s.event_index(target).and_then(|i| voided.get(&i));
                if t.is_none_or(|t| event_json(s, t, None).is_none()) {
                    natives.push(ev.to_value());
                }
            }
            _ => {}
        }
    }
    // Implicit products whose base unit has no UN/ECE code: declare the unit.
    for id in 0..s.catalog.product_recs.len() as u32 {
        let name: &str = s.catalog.products.name(id);
        if declared.contains(name) {
            continue;
        }
        if let Some(r) = s.catalog.product_by_id(id)
            && s.catalog.live_lots(id) > 0
            && code_of_unit(&r.units.base).is_none_or(|c| c.is_none())
            && r.units.base != "each"
        {
            classes.push(element(
                product_class_uri(name),
                vec![(MDA_UOM, r.units.base.clone().into())],
            ));
        }
    }
    let mut h = Map::new();
    let mut vocab = Vec::new();
    for (ty, list) in [
        (VT_CLASS, classes),
        (VT_PARTY, parties),
        (VT_LOCATION, locations),
    ] {
        if !list.is_empty() {
            let mut m = Map::new();
            m.insert("type".into(), ty.into());
            m.insert("vocabularyElementList".into(), Value::Array(list));
            vocab.push(Value::Object(m));
        }
    }
    if !vocab.is_empty() {
        let mut md = Map::new();
        md.insert("vocabularyList".into(), Value::Array(vocab));
        h.insert("epcisMasterData".into(), Value::Object(md));
    }
    let n = natives.len();
    if !natives.is_empty() {
        h.insert("lottrack:nativeEvents".into(), Value::Array(natives));
    }
    Ok((h, n))
}

/// The index of the event a void voids, if it is one and its target is known.
fn void_target(s: &State, ev: &Event) -> Option<u32> {
    match &ev.body {
        EventBody::Void { target, .. } => s.event_index(target),
        _ => None,
    }
}

/// The events `idx` read from the log, by index.
fn events_by_index(
    s: &State,
    log: &mut EventLog<'_>,
    idx: impl Iterator<Item = u32>,
) -> Result<HashMap<u32, Event>> {
    let idx: Vec<u32> = idx.collect();
    let events = log.events(s, &idx)?;
    Ok(idx.into_iter().zip(events).collect())
}

fn io_err(e: std::io::Error) -> Error {
    Error::Storage {
        message: format!("writing the EPCIS document: {e}"),
    }
}

fn write_document(s: &State, log: &mut EventLog<'_>, out: &mut dyn Write) -> Result<u64> {
    let mut doc = Map::new();
    let mut ns = Map::new();
    ns.insert("lottrack".into(), LOTTRACK_NS.into());
    doc.insert(
        "@context".into(),
        Value::Array(vec![EPCIS_CONTEXT.into(), Value::Object(ns)]),
    );
    doc.insert("type".into(), "EPCISDocument".into());
    doc.insert("schemaVersion".into(), "2.0".into());
    doc.insert(
        "creationDate".into(),
        Utc::now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            .into(),
    );
    let (h, _) = header(s, log)?;
    if !h.is_empty() {
        doc.insert("epcisHeader".into(), Value::Object(h));
    }
    let head = Value::Object(doc).to_string();
    // Open the body after the head object's fields.
    let head = head.strip_suffix('}').unwrap_or(&head);
    write!(out, "{head},\"epcisBody\":{{\"eventList\":[").map_err(io_err)?;
    let mut n = 0u64;
    // The voids of voided events, read first; then the log streamed.
    let voids = events_by_index(s, log, s.events.iter().filter_map(|r| r.voided_by()))?;
    log.for_all_rows(s, |i, row| {
        let void = s.events[i as usize].voided_by().and_then(|v| voids.get(&v));
        if let Some(o) = event_json(s, &decode(&row)?, void) {
            let sep = if n == 0 { "\n" } else { ",\n" };
            write!(out, "{sep}{}", Value::Object(o)).map_err(io_err)?;
            n += 1;
        }
        Ok(())
    })?;
    writeln!(out, "\n]}}}}").map_err(io_err)?;
    Ok(n)
}

impl Tracker {
    /// Writes every event as one GS1 EPCIS 2.0 JSON-LD document (see
    /// [`crate::epcis`] for the mapping), streaming the events from the store; returns the
    /// number of EPCIS events written. Voided events carry their error declaration;
    /// master data goes to the header.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// t.record_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00+01:00","location":"plant-1","product":"spinach","lot":"F-100","quantity":"500","uom":"kg","supplier":"farm-a"}"#).unwrap();
    /// let mut out = Vec::new();
    /// assert_eq!(t.export_epcis(&mut out).unwrap(), 1);
    /// let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    /// assert_eq!(doc["schemaVersion"], "2.0");
    /// let ev = &doc["epcisBody"]["eventList"][0];
    /// assert_eq!(ev["quantityList"][0]["epcClass"], "urn:lottrack:class:spinach:F-100");
    /// assert_eq!(ev["bizStep"], "receiving");
    /// let back = Tracker::in_memory();
    /// back.import_epcis(out.as_slice()).unwrap();
    /// assert_eq!(back.event("E1").unwrap().body, t.event("E1").unwrap().body);
    /// ```
    pub fn export_epcis(&self, mut out: impl Write) -> Result<u64> {
        self.with_log(|s, log| write_document(s, log, &mut out))
    }
}

/// Master data and native extra events from a document's header; fills `declared`
/// with the products' base units.
pub(super) fn read_header(
    doc: &Value,
    declared: &mut HashMap<String, String>,
) -> Result<(Vec<Event>, Vec<Event>)> {
    let mut master = Vec::new();
    let mut natives = Vec::new();
    let Some(h) = doc.get("epcisHeader") else {
        return Ok((master, natives));
    };
    let bad = |e: Error| Error::MalformedJson {
        message: format!("EPCIS document: master data in `epcisHeader`: {e}"),
    };
    if let Some(Value::Array(vocabs)) = h.pointer("/epcisMasterData/vocabularyList") {
        for v in vocabs {
            let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
            let Some(Value::Array(els)) = v.get("vocabularyElementList") else {
                continue;
            };
            for el in els {
                let attrs = el
                    .get("attributes")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let attr = |id: &str| {
                    attrs
                        .iter()
                        .find(|a| a.get("id").and_then(Value::as_str) == Some(id))
                        .and_then(|a| a.get("attribute"))
                        .cloned()
                };
                if let Some(ev) = attr(MDA_EVENT) {
                    let ev = Event::from_value(&ev).map_err(bad)?;
                    if let EventBody::Product { product, uom, .. } = &ev.body {
                        declared.insert(product.clone(), uom.clone());
                    }
                    master.push(ev);
                } else if ty == VT_CLASS
                    && let (Some(Value::String(u)), Some(id)) =
                        (attr(MDA_UOM), el.get("id").and_then(Value::as_str))
                {
                    match parse_identifier(id) {
                        Ok(Identifier::Class { gtin, .. }) => {
                            declared.insert(gtin, u);
                        }
                        Ok(Identifier::PrivateClass { product, .. }) => {
                            declared.insert(product, u);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    if let Some(Value::Array(list)) = h.get("lottrack:nativeEvents") {
        for v in list {
            natives.push(Event::from_value(v).map_err(bad)?);
        }
    }
    Ok((master, natives))
}
