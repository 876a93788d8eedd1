//! EPCIS 2.0 document → native events (see the module documentation for the mapping).

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::epc::{Identifier, NO_LOT, from_private, parse_identifier};
use super::{EpcisImportSummary, UnmappedField, UnsupportedEvent, hash};
use crate::error::{Error, Result};
use crate::event::{Event, EventBody, Output, ShipItem, Time};
use crate::model::{Document, LotAttrs, LotKey, LotQty, LotStatus};
use crate::quantity::parse_decimal;
use crate::tracker::Tracker;

/// Native unit of an UN/ECE Rec. 20 code (`None` = no code: a count).
pub(crate) fn unit_of_code(code: Option<&str>) -> Option<String> {
    let code = code?;
    Some(
        match code {
            "KGM" => "kg",
            "GRM" => "g",
            "MGM" => "mg",
            "TNE" => "t",
            "LBR" => "lb",
            "ONZ" => "oz",
            "LTR" => "l",
            "MLT" => "ml",
            "HLT" => "hl",
            "EA" => "each",
            other => other,
        }
        .to_string(),
    )
}

/// The UN/ECE code of a native unit: `Some(None)` for a count (`each`), `None` when
/// the unit has no code.
pub(crate) fn code_of_unit(unit: &str) -> Option<Option<String>> {
    let c = match unit {
        "kg" => "KGM",
        "g" => "GRM",
        "mg" => "MGM",
        "t" => "TNE",
        "lb" => "LBR",
        "oz" => "ONZ",
        "l" => "LTR",
        "ml" => "MLT",
        "hl" => "HLT",
        "each" => return Some(None),
        u if (2..=3).contains(&u.len())
            && u.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            u
        }
        _ => return None,
    };
    Some(Some(c.to_string()))
}

/// A CBV vocabulary value in its bare form (`shipping`), from the bare, web
/// vocabulary or URN forms.
pub(crate) fn bare_cbv(v: &str, web: &str, urn: &str) -> String {
    v.strip_prefix(&format!("https://ref.gs1.org/cbv/{web}-"))
        .or_else(|| v.strip_prefix(&format!("cbv:{web}-")))
        .or_else(|| v.strip_prefix(&format!("urn:epcglobal:cbv:{urn}:")))
        .unwrap_or(v)
        .to_string()
}

pub(crate) const BTT: &[&str] = &[
    "bol",
    "cert",
    "desadv",
    "inv",
    "pedigree",
    "po",
    "poc",
    "prodorder",
    "recadv",
    "rma",
    "testprd",
    "testres",
    "upevt",
];

const HINTS: &[&str] = &[
    "lottrack:kind",
    "lottrack:status",
    "lottrack:reason",
    "lottrack:outputAttrs",
    "lottrack:attributes",
    "lottrack:fields",
];

/// Fields of an event that are mapped (never reported as unmapped).
const MAPPED: &[&str] = &[
    "type",
    "action",
    "bizStep",
    "disposition",
    "sourceList",
    "destinationList",
];

struct Ev<'a> {
    obj: &'a Map<String, Value>,
    label: String,
    id: String,
    ty: String,
    time: Time,
    action: Option<String>,
    biz_step: Option<String>,
    disposition: Option<String>,
    location: Option<String>,
    documents: Vec<Document>,
    /// Fields kept verbatim under the `epcis` attribute.
    kept: Map<String, Value>,
    attributes: Map<String, Value>,
    unmapped: Vec<String>,
}

/// What one EPCIS event becomes.
enum Mapped {
    Parts(Vec<Event>),
    Unsupported(String),
}

struct Importer<'t> {
    tracker: &'t Tracker,
    /// Containers packed earlier in this document.
    packed: HashSet<String>,
    /// Products declared by the document's master data: base unit.
    declared: HashMap<String, String>,
}

fn str_field<'a>(ev: &'a Map<String, Value>, label: &str, field: &str) -> Result<Option<&'a str>> {
    match ev.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(Error::field(
            label,
            field,
            format!("must be a string, got {other}"),
        )),
    }
}

fn id_field(ev: &Map<String, Value>, label: &str, field: &str) -> Result<Option<String>> {
    match ev.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => match m.get("id") {
            Some(Value::String(s)) => Ok(Some(s.clone())),
            _ => Err(Error::field(
                label,
                field,
                "must be an object with a string `id`",
            )),
        },
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::field(
            label,
            field,
            format!("must be an object {{\"id\": …}}, got {other}"),
        )),
    }
}

fn uri_list<'a>(ev: &'a Map<String, Value>, label: &str, field: &str) -> Result<Vec<&'a str>> {
    match ev.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().ok_or_else(|| {
                    Error::field(label, field, format!("must be a list of URIs, found {v}"))
                })
            })
            .collect(),
        Some(other) => Err(Error::field(
            label,
            field,
            format!("must be a list of URIs, got {other}"),
        )),
    }
}

fn obj_list<'a>(
    ev: &'a Map<String, Value>,
    label: &str,
    field: &str,
) -> Result<Vec<&'a Map<String, Value>>> {
    match ev.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_object().ok_or_else(|| {
                    Error::field(
                        label,
                        field,
                        format!("must be a list of objects, found {v}"),
                    )
                })
            })
            .collect(),
        Some(other) => Err(Error::field(
            label,
            field,
            format!("must be a list of objects, got {other}"),
        )),
    }
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h.abs() > 14 || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn party_of(uri: &str) -> String {
    match parse_identifier(uri) {
        Ok(Identifier::Party(p) | Identifier::Location(p)) => p,
        _ => uri.to_string(),
    }
}

fn location_of(uri: &str) -> String {
    match parse_identifier(uri) {
        Ok(Identifier::Location(l)) => l,
        _ => uri.to_string(),
    }
}

fn container_of(uri: &str) -> Option<String> {
    match parse_identifier(uri) {
        Ok(Identifier::Container(c)) => Some(c),
        _ => None,
    }
}

/// The first `source`/`destination` of the given types, as a party.
fn party_in(list: &[&Map<String, Value>], key: &str, types: &[&str]) -> Option<String> {
    for t in types {
        for e in list {
            let ty = e
                .get("type")
                .and_then(Value::as_str)
                .map(|v| bare_cbv(v, "SDT", "sdt"));
            if ty.as_deref() == Some(*t)
                && let Some(v) = e.get(key).and_then(Value::as_str)
            {
                return Some(if *t == "location" {
                    location_of(v)
                } else {
                    party_of(v)
                });
            }
        }
    }
    None
}

fn ilmd_key(k: &str) -> &str {
    k.strip_prefix("cbvmda:")
        .or_else(|| k.strip_prefix("urn:epcglobal:cbv:mda:"))
        .or_else(|| k.strip_prefix("urn:epcglobal:cbv:mda#"))
        .or_else(|| k.strip_prefix("lottrack:"))
        .unwrap_or(k)
}

fn date_of(v: &Value, label: &str, field: &str) -> Result<NaiveDate> {
    let s = v
        .as_str()
        .ok_or_else(|| Error::field(label, field, format!("must be a date string, got {v}")))?;
    let d = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map_err(|e| Error::field(label, field, format!("`{s}` is not a YYYY-MM-DD date: {e}")))
}

/// Lot attributes and an optional lot number from an ILMD object; the rest is kept.
fn read_ilmd(
    ilmd: Option<&Value>,
    label: &str,
    kept: &mut Map<String, Value>,
    unmapped: &mut Vec<String>,
) -> Result<(LotAttrs, Option<String>)> {
    let mut attrs = LotAttrs::default();
    let mut lot = None;
    let Some(v) = ilmd else {
        return Ok((attrs, lot));
    };
    let m = v
        .as_object()
        .ok_or_else(|| Error::field(label, "ilmd", format!("must be an object, got {v}")))?;
    let mut rest = Map::new();
    let mut best_before = None;
    for (k, v) in m {
        let field = format!("ilmd.{k}");
        match ilmd_key(k) {
            "itemExpirationDate" => attrs.expiry = Some(date_of(v, label, &field)?),
            "bestBeforeDate" => best_before = Some(date_of(v, label, &field)?),
            "productionDate" => attrs.production_date = Some(date_of(v, label, &field)?),
            "lotNumber" => {
                lot = Some(
                    v.as_str()
                        .ok_or_else(|| Error::field(label, &field, "must be a string"))?
                        .to_string(),
                )
            }
            "supplierLot" if k.starts_with("lottrack:") => {
                attrs.supplier_lot = v.as_str().map(str::to_string)
            }
            "origin" if k.starts_with("lottrack:") => attrs.origin = v.as_str().map(str::to_string),
            _ => {
                unmapped.push(field);
                rest.insert(k.clone(), v.clone());
            }
        }
    }
    if attrs.expiry.is_none() {
        attrs.expiry = best_before;
    } else if let Some(b) = best_before {
        rest.insert("cbvmda:bestBeforeDate".into(), b.to_string().into());
    }
    if !rest.is_empty() {
        kept.insert("ilmd".into(), Value::Object(rest));
    }
    Ok((attrs, lot))
}

impl Importer<'_> {
    /// The unit of a quantity given without `uom` (a count).
    fn count_unit(&self, product: &str) -> String {
        let base = self.declared.get(product).cloned().or_else(|| {
            self.tracker.with_state(|s| {
                s.catalog
                    .product(product)
                    .map(|(_, r)| r.units.base.clone())
            })
        });
        match base {
            Some(b) if code_of_unit(&b).is_none() => b,
            _ => "each".into(),
        }
    }

    /// A quantity element as a lot line.
    fn qty_line(
        &self,
        e: &Map<String, Value>,
        ev: &Ev<'_>,
        field: &str,
        lot_number: Option<&str>,
        need_qty: bool,
        signed: bool,
    ) -> Result<LotQty> {
        let class = match e.get("epcClass") {
            Some(Value::String(s)) => s.as_str(),
            None | Some(Value::Null) => {
                return Err(Error::MissingField {
                    event_id: ev.label.clone(),
                    field: format!("{field}.epcClass"),
                });
            }
            Some(other) => {
                return Err(Error::field(
                    &ev.label,
                    &format!("{field}.epcClass"),
                    format!("must be a URI string, got {other}"),
                ));
            }
        };
        let unknown = |why: String| {
            Error::field(
                &ev.label,
                &format!("{field}.epcClass"),
                format!(
                    "unknown epcClass syntax `{class}`{why}: expected urn:epc:class:lgtin:…, urn:epc:idpat:sgtin:….*, a GS1 Digital Link with a GTIN, or urn:lottrack:class:…"
                ),
            )
        };
        let (product, lot) = match parse_identifier(class) {
            Ok(Identifier::Class { gtin, lot }) => (
                gtin,
                lot.or_else(|| lot_number.map(str::to_string))
                    .unwrap_or_else(|| NO_LOT.into()),
            ),
            Ok(Identifier::PrivateClass { product, lot }) => {
                (product, lot.unwrap_or_else(|| NO_LOT.into()))
            }
            Ok(_) => return Err(unknown(String::new())),
            Err(m) => return Err(unknown(format!(" ({m})"))),
        };
        let quantity = match e.get("quantity") {
            Some(Value::Number(n)) => parse_decimal(&n.to_string()).ok_or_else(|| {
                Error::field(
                    &ev.label,
                    &format!("{field}.quantity"),
                    format!("{n} is not a finite decimal"),
                )
            })?,
            None | Some(Value::Null) if !need_qty => Decimal::ONE,
            None | Some(Value::Null) => {
                return Err(Error::MissingField {
                    event_id: ev.label.clone(),
                    field: format!("{field}.quantity"),
                });
            }
            Some(other) => {
                return Err(Error::field(
                    &ev.label,
                    &format!("{field}.quantity"),
                    format!("must be a number, got {other}"),
                ));
            }
        };
        if !signed && quantity <= Decimal::ZERO && need_qty {
            return Err(Error::NonPositiveQuantity {
                event_id: ev.label.clone(),
                product,
                lot,
                quantity: quantity.to_string(),
            });
        }
        let uom = match e.get("uom") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                return Err(Error::field(
                    &ev.label,
                    &format!("{field}.uom"),
                    format!("must be a UN/ECE unit code string, got {other}"),
                ));
            }
        };
        let uom = unit_of_code(uom).unwrap_or_else(|| self.count_unit(&product));
        Ok(LotQty {
            product,
            lot,
            quantity,
            uom,
        })
    }

    /// Lots named by an EPC list (serialized items) and a quantity list; EPCs that
    /// are not trade items are returned apart (containers and others).
    fn lines(
        &self,
        ev: &mut Ev<'_>,
        epc_field: &str,
        qty_field: &str,
        lot_number: Option<&str>,
        need_qty: bool,
    ) -> Result<(Vec<LotQty>, Vec<String>)> {
        let mut lines = Vec::new();
        let mut others = Vec::new();
        for uri in uri_list(ev.obj, &ev.label, epc_field)? {
            match parse_identifier(uri) {
                Ok(Identifier::Instance { gtin, serial }) => {
                    lines.push(LotQty::exact(&gtin, &serial, Decimal::ONE, "each"))
                }
                Ok(_) => others.push(uri.to_string()),
                Err(m) => return Err(Error::field(&ev.label, epc_field, m)),
            }
        }
        let signed = matches!(hint(ev.obj).as_deref(), Some("adjust"));
        for (i, e) in obj_list(ev.obj, &ev.label, qty_field)?
            .into_iter()
            .enumerate()
        {
            lines.push(self.qty_line(
                e,
                ev,
                &format!("{qty_field}[{i}]"),
                lot_number,
                need_qty,
                signed,
            )?);
        }
        Ok((lines, others))
    }

    fn map_event(&mut self, ev: &mut Ev<'_>) -> Result<Mapped> {
        match ev.ty.as_str() {
            "ObjectEvent" | "TransactionEvent" => self.map_object(ev),
            "TransformationEvent" => self.map_transformation(ev),
            "AggregationEvent" => self.map_aggregation(ev),
            "AssociationEvent" => Ok(Mapped::Unsupported(
                "an AssociationEvent links devices or assets to objects; it moves no stock".into(),
            )),
            other => Ok(Mapped::Unsupported(format!(
                "event type `{other}` is not one lottrack tracks"
            ))),
        }
    }

    fn keep_others(ev: &mut Ev<'_>, field: &str, others: Vec<String>) {
        if !others.is_empty() {
            ev.unmapped.push(field.to_string());
            ev.kept.insert(
                field.to_string(),
                Value::Array(others.into_iter().map(Value::String).collect()),
            );
        }
    }

    fn map_object(&mut self, ev: &mut Ev<'_>) -> Result<Mapped> {
        let sources = obj_list(ev.obj, &ev.label, "sourceList")?;
        let dests = obj_list(ev.obj, &ev.label, "destinationList")?;
        let mut kept_tmp = Map::new();
        let mut unm = Vec::new();
        let (attrs, lot_number) =
            read_ilmd(ev.obj.get("ilmd"), &ev.label, &mut kept_tmp, &mut unm)?;
        let kind = hint(ev.obj);
        let step = ev.biz_step.clone().unwrap_or_default();
        let disp = ev.disposition.clone().unwrap_or_default();
        let action = ev.action.clone().unwrap_or_default();
        let is_tx = ev.ty == "TransactionEvent";
        let kind = match kind {
            Some(k) => k,
            None => match step.as_str() {
                "receiving" if disp == "returned" => "return".into(),
                "receiving" => "receive".into(),
                "commissioning" | "creating_class_instance" if !is_tx => "receive".into(),
                "shipping" => "ship".into(),
                "void_shipping" => "return".into(),
                "destroying" => "dispose".into(),
                "retail_selling" | "dispensing" => "consume".into(),
                "transporting"
                    if party_in(&sources, "source", &["location"]).is_some()
                        && party_in(&dests, "destination", &["location"]).is_some() =>
                {
                    "move".into()
                }
                _ if !is_tx && action == "ADD" => "receive".into(),
                _ if !is_tx && action == "DELETE" => "dispose".into(),
                _ if !is_tx && action == "OBSERVE" && disp == "recalled" => "status".into(),
                _ if !is_tx && action == "OBSERVE" && disp == "expired" => "status".into(),
                _ if !is_tx && step == "holding" => "status".into(),
                _ => {
                    let what = if is_tx {
                        "a TransactionEvent without a stock-moving business step only links objects to business transactions"
                    } else {
                        "this observation"
                    };
                    return Ok(Mapped::Unsupported(format!(
                        "{what} (action `{action}`, bizStep `{step}`) moves no stock"
                    )));
                }
            },
        };
        let need_qty = kind != "status";
        let (lines, others) = self.lines(
            ev,
            "epcList",
            "quantityList",
            lot_number.as_deref(),
            need_qty,
        )?;
        for (k, v) in kept_tmp {
            ev.kept.insert(k, v);
        }
        ev.unmapped.extend(unm);
        let reason = ev
            .obj
            .get("lottrack:reason")
            .and_then(Value::as_str)
            .map(str::to_string);
        let supplier = party_in(&sources, "source", &["owning_party", "possessing_party"]);
        let customer = party_in(&dests, "destination", &["owning_party", "possessing_party"]);
        let mut bodies = Vec::new();
        let mut containers = Vec::new();
        let mut unknown = Vec::new();
        for o in others {
            match container_of(&o) {
                Some(c) if kind == "ship" => containers.push((o, c)),
                _ => unknown.push(o),
            }
        }
        for (uri, c) in containers {
            if self.container_known(&c) {
                bodies.push(EventBody::Ship {
                    item: ShipItem::Container(c),
                    customer: customer.clone(),
                });
            } else {
                unknown.push(uri);
            }
        }
        Self::keep_others(ev, "epcList", unknown);
        match kind.as_str() {
            "status" => {
                let s = ev
                    .obj
                    .get("lottrack:status")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| match disp.as_str() {
                        "recalled" => "recalled".into(),
                        "expired" => "expired".into(),
                        _ => "on_hold".into(),
                    });
                let status = LotStatus::parse(&s).ok_or_else(|| {
                    Error::field(
                        &ev.label,
                        "lottrack:status",
                        format!("unknown status `{s}`"),
                    )
                })?;
                if lines.is_empty() {
                    return Ok(Mapped::Unsupported(
                        "a status change that names no lot".into(),
                    ));
                }
                let mut keys: Vec<LotKey> = Vec::new();
                for l in &lines {
                    if !keys.contains(&l.key()) {
                        keys.push(l.key());
                    }
                }
                bodies.push(EventBody::Status {
                    status,
                    lots: keys,
                    reason,
                });
            }
            _ => {
                for item in lines {
                    bodies.push(match kind.as_str() {
                        "receive" => EventBody::Receive {
                            item,
                            supplier: supplier.clone(),
                            attrs: attrs.clone(),
                        },
                        "ship" => EventBody::Ship {
                            item: ShipItem::Lot(item),
                            customer: customer.clone(),
                        },
                        "return" => EventBody::Return {
                            item,
                            customer: supplier.clone(),
                        },
                        "dispose" => EventBody::Dispose {
                            item,
                            reason: reason.clone(),
                        },
                        "consume" => EventBody::Consume {
                            item,
                            reason: reason.clone(),
                        },
                        "adjust" => EventBody::Adjust {
                            item,
                            reason: reason.clone(),
                        },
                        "move" => {
                            let from = party_in(&sources, "source", &["location"])
                                .or_else(|| ev.location.clone())
                                .unwrap_or_default();
                            let to = party_in(&dests, "destination", &["location"])
                                .or_else(|| ev.location.clone())
                                .unwrap_or_default();
                            // A move's own location is its read point, if any.
                            ev.location =
                                id_field(ev.obj, &ev.label, "readPoint")?.map(|r| location_of(&r));
                            ev.kept.remove("readPoint");
                            ev.unmapped.retain(|f| f != "readPoint");
                            EventBody::Move {
                                item,
                                from_location: from,
                                to_location: to,
                            }
                        }
                        other => {
                            return Err(Error::field(
                                &ev.label,
                                "lottrack:kind",
                                format!("unknown kind `{other}`"),
                            ));
                        }
                    });
                }
            }
        }
        if bodies.is_empty() {
            return Ok(Mapped::Unsupported(
                "it names no trade item lottrack can track (no GTIN class, SGTIN or known container)".into(),
            ));
        }
        self.parts(ev, bodies)
    }

    fn container_known(&self, c: &str) -> bool {
        self.packed.contains(c)
            || self.tracker.with_state(|s| {
                s.ledger
                    .container_ids
                    .get(c)
                    .is_some_and(|id| !s.ledger.container_contents(id).is_empty())
            })
    }

    fn map_transformation(&mut self, ev: &mut Ev<'_>) -> Result<Mapped> {
        let mut kept_tmp = Map::new();
        let mut unm = Vec::new();
        let (attrs, lot_number) =
            read_ilmd(ev.obj.get("ilmd"), &ev.label, &mut kept_tmp, &mut unm)?;
        let (inputs, in_others) =
            self.lines(ev, "inputEPCList", "inputQuantityList", None, true)?;
        let (outputs, out_others) = self.lines(
            ev,
            "outputEPCList",
            "outputQuantityList",
            lot_number.as_deref(),
            true,
        )?;
        for (k, v) in kept_tmp {
            ev.kept.insert(k, v);
        }
        ev.unmapped.extend(unm);
        Self::keep_others(ev, "inputEPCList", in_others);
        Self::keep_others(ev, "outputEPCList", out_others);
        let per_output: Vec<Option<LotAttrs>> = match ev.obj.get("lottrack:outputAttrs") {
            Some(Value::Array(a)) => a.iter().map(attrs_from_value).collect(),
            _ => Vec::new(),
        };
        let reason = ev
            .obj
            .get("lottrack:reason")
            .and_then(Value::as_str)
            .map(str::to_string);
        let bodies = match (inputs.is_empty(), outputs.is_empty()) {
            (true, true) => {
                return Ok(Mapped::Unsupported(
                    "a transformation that names no trade item lottrack can track".into(),
                ));
            }
            (false, false) => vec![EventBody::Transform {
                inputs,
                outputs: outputs
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| Output {
                        item,
                        attrs: per_output
                            .get(i)
                            .cloned()
                            .flatten()
                            .unwrap_or_else(|| attrs.clone()),
                    })
                    .collect(),
            }],
            (false, true) => inputs
                .into_iter()
                .map(|item| EventBody::Consume {
                    item,
                    reason: reason.clone(),
                })
                .collect(),
            (true, false) => outputs
                .into_iter()
                .map(|item| EventBody::Receive {
                    item,
                    supplier: None,
                    attrs: attrs.clone(),
                })
                .collect(),
        };
        self.parts(ev, bodies)
    }

    fn map_aggregation(&mut self, ev: &mut Ev<'_>) -> Result<Mapped> {
        let parent = str_field(ev.obj, &ev.label, "parentID")?.map(str::to_string);
        let (lines, others) = self.lines(ev, "childEPCs", "childQuantityList", None, true)?;
        Self::keep_others(ev, "childEPCs", others);
        let action = ev.action.clone().unwrap_or_default();
        let step = ev.biz_step.clone().unwrap_or_default();
        let container = parent
            .as_deref()
            .map(|p| container_of(p).unwrap_or_else(|| from_private("container", p)));
        let Some(container) = container else {
            return Ok(Mapped::Unsupported(
                "an aggregation without a parentID".into(),
            ));
        };
        let bodies = match action.as_str() {
            "ADD" => {
                if lines.is_empty() {
                    return Ok(Mapped::Unsupported(
                        "a packing that names no trade item lottrack can track".into(),
                    ));
                }
                self.packed.insert(container.clone());
                vec![EventBody::Pack {
                    container,
                    contents: lines,
                }]
            }
            "DELETE" => {
                let contents = if lines.is_empty() {
                    self.container_contents(&container)
                } else {
                    lines
                };
                if contents.is_empty() {
                    return Ok(Mapped::Unsupported(format!(
                        "unpacks container `{container}` whose contents are unknown here"
                    )));
                }
                vec![EventBody::Unpack {
                    container,
                    contents,
                }]
            }
            _ if step == "receiving" => {
                if lines.is_empty() {
                    return Ok(Mapped::Unsupported(
                        "receives a container without naming its contents".into(),
                    ));
                }
                let sources = obj_list(ev.obj, &ev.label, "sourceList")?;
                let supplier = party_in(&sources, "source", &["owning_party", "possessing_party"]);
                let mut b: Vec<EventBody> = lines
                    .iter()
                    .cloned()
                    .map(|item| EventBody::Receive {
                        item,
                        supplier: supplier.clone(),
                        attrs: LotAttrs::default(),
                    })
                    .collect();
                self.packed.insert(container.clone());
                b.push(EventBody::Pack {
                    container,
                    contents: lines,
                });
                b
            }
            _ if step == "shipping" => {
                let dests = obj_list(ev.obj, &ev.label, "destinationList")?;
                let customer =
                    party_in(&dests, "destination", &["owning_party", "possessing_party"]);
                if self.container_known(&container) {
                    vec![EventBody::Ship {
                        item: ShipItem::Container(container),
                        customer,
                    }]
                } else {
                    lines
                        .into_iter()
                        .map(|item| EventBody::Ship {
                            item: ShipItem::Lot(item),
                            customer: customer.clone(),
                        })
                        .collect()
                }
            }
            _ => {
                return Ok(Mapped::Unsupported(format!(
                    "an aggregation observation (bizStep `{step}`) moves no stock"
                )));
            }
        };
        if bodies.is_empty() {
            return Ok(Mapped::Unsupported(
                "it names no trade item lottrack can track".into(),
            ));
        }
        // The parent is mapped; keep it only for an observation.
        self.parts(ev, bodies)
    }

    fn container_contents(&self, c: &str) -> Vec<LotQty> {
        self.tracker.with_state(|s| {
            let Some(id) = s.ledger.container_ids.get(c) else {
                return Vec::new();
            };
            s.ledger
                .container_contents(id)
                .into_iter()
                .map(|(lot, q)| {
                    let rec = &s.ledger.lots[lot as usize];
                    LotQty::exact(
                        &rec.key.product,
                        &rec.key.lot,
                        q,
                        s.catalog.base_uom(rec.product),
                    )
                })
                .collect()
        })
    }

    fn parts(&self, ev: &Ev<'_>, bodies: Vec<EventBody>) -> Result<Mapped> {
        let n = bodies.len();
        let mut attributes = ev.attributes.clone();
        if !ev.kept.is_empty() {
            attributes.insert("epcis".into(), Value::Object(ev.kept.clone()));
        }
        let location = ev.location.clone();
        let mut out = Vec::with_capacity(n);
        for (i, body) in bodies.into_iter().enumerate() {
            let needs_location = !matches!(body, EventBody::Status { .. } | EventBody::Move { .. });
            if needs_location && location.is_none() {
                return Err(Error::MissingField {
                    event_id: ev.label.clone(),
                    field: "bizLocation".into(),
                });
            }
            let event_id = if n == 1 {
                ev.id.clone()
            } else {
                format!("{}#{}", ev.id, i + 1)
            };
            out.push(Event {
                event_id,
                time: ev.time,
                location: match body {
                    EventBody::Status { .. } => None,
                    _ => location.clone(),
                },
                documents: ev.documents.clone(),
                attributes: attributes.clone(),
                extra: Map::new(),
                body,
            });
        }
        Ok(Mapped::Parts(out))
    }
}

fn hint(obj: &Map<String, Value>) -> Option<String> {
    obj.get("lottrack:kind")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn attrs_from_value(v: &Value) -> Option<LotAttrs> {
    let m = v.as_object()?;
    let date = |k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let s = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    Some(LotAttrs {
        expiry: date("expiry"),
        production_date: date("production_date"),
        supplier_lot: s("supplier_lot"),
        origin: s("origin"),
        ..Default::default()
    })
}

/// Reads the common fields of one EPCIS event.
fn read_event<'a>(
    obj: &'a Map<String, Value>,
    index: usize,
    hash_id: &Result<String, String>,
) -> Result<Ev<'a>> {
    let ty_label = obj.get("type").and_then(Value::as_str).unwrap_or("event");
    let given = obj
        .get("eventID")
        .and_then(Value::as_str)
        .map(str::to_string);
    let label = given
        .clone()
        .unwrap_or_else(|| format!("eventList[{index}] ({ty_label})"));
    let ty = match obj.get("type") {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => {
            return Err(Error::MissingField {
                event_id: label,
                field: "type".into(),
            });
        }
        Some(other) => {
            return Err(Error::field(
                &label,
                "type",
                format!("must be a string, got {other}"),
            ));
        }
    };
    let id = match (&given, obj.get("eventID")) {
        (Some(g), _) => g.clone(),
        (None, None | Some(Value::Null)) => hash_id.clone().map_err(|e| {
            Error::invalid(
                &label,
                format!("it has no eventID and its CBV 2.0 hash ID cannot be computed: {e}"),
            )
        })?,
        (None, Some(other)) => {
            return Err(Error::field(
                &label,
                "eventID",
                format!("must be a URI string, got {other}"),
            ));
        }
    };
    let id = from_private("event", &id);
    let time_s = str_field(obj, &label, "eventTime")?.ok_or_else(|| Error::MissingField {
        event_id: label.clone(),
        field: "eventTime".into(),
    })?;
    let mut time = DateTime::parse_from_rfc3339(time_s).map_err(|e| Error::InvalidTime {
        event_id: label.clone(),
        field: "eventTime".into(),
        value: time_s.to_string(),
        reason: e.to_string(),
    })?;
    if let Some(off) = str_field(obj, &label, "eventTimeZoneOffset")? {
        let o = parse_offset(off).ok_or_else(|| Error::InvalidTime {
            event_id: label.clone(),
            field: "eventTimeZoneOffset".into(),
            value: off.to_string(),
            reason: "expected +HH:MM or -HH:MM".into(),
        })?;
        time = time.with_timezone(&o);
    }
    // Wrong JSON types are errors whatever the event turns out to mean.
    for f in ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] {
        uri_list(obj, &label, f)?;
    }
    for f in [
        "quantityList",
        "childQuantityList",
        "inputQuantityList",
        "outputQuantityList",
        "sourceList",
        "destinationList",
    ] {
        obj_list(obj, &label, f)?;
    }
    let action = str_field(obj, &label, "action")?.map(str::to_string);
    if let Some(a) = &action
        && !matches!(a.as_str(), "ADD" | "OBSERVE" | "DELETE")
    {
        return Err(Error::field(
            &label,
            "action",
            format!("must be ADD, OBSERVE or DELETE, got `{a}`"),
        ));
    }
    let biz_step = str_field(obj, &label, "bizStep")?.map(|s| bare_cbv(s, "BizStep", "bizstep"));
    let disposition = str_field(obj, &label, "disposition")?.map(|s| bare_cbv(s, "Disp", "disp"));
    let biz_location = id_field(obj, &label, "bizLocation")?;
    let read_point = id_field(obj, &label, "readPoint")?;
    let location = biz_location
        .as_deref()
        .or(read_point.as_deref())
        .map(location_of);
    let mut documents = Vec::new();
    for (i, bt) in obj_list(obj, &label, "bizTransactionList")?
        .into_iter()
        .enumerate()
    {
        let uri = match bt.get("bizTransaction") {
            Some(Value::String(s)) => s.as_str(),
            _ => {
                return Err(Error::field(
                    &label,
                    &format!("bizTransactionList[{i}].bizTransaction"),
                    "must be a URI string",
                ));
            }
        };
        let ty = match bt.get("type") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(t)) => from_private("btt", &bare_cbv(t, "BTT", "btt")),
            Some(other) => {
                return Err(Error::field(
                    &label,
                    &format!("bizTransactionList[{i}].type"),
                    format!("must be a string, got {other}"),
                ));
            }
        };
        documents.push(Document::new(&ty, &from_private("doc", uri)));
    }
    let mut kept = Map::new();
    let mut attributes = Map::new();
    let mut unmapped = Vec::new();
    for (k, v) in obj {
        match k.as_str() {
            "eventTime"
            | "eventTimeZoneOffset"
            | "eventID"
            | "epcList"
            | "quantityList"
            | "childEPCs"
            | "childQuantityList"
            | "inputEPCList"
            | "inputQuantityList"
            | "outputEPCList"
            | "outputQuantityList"
            | "bizTransactionList"
            | "errorDeclaration"
            | "ilmd"
            | "bizLocation" => {}
            "parentID" if ty == "AggregationEvent" => {}
            "readPoint" if biz_location.is_none() => {}
            "lottrack:attributes" => {
                if let Value::Object(m) = v {
                    attributes.extend(m.clone());
                }
            }
            "lottrack:fields" => {
                if let Value::Object(m) = v {
                    for (fk, fv) in m {
                        unmapped.push(fk.clone());
                        kept.insert(fk.clone(), fv.clone());
                    }
                }
            }
            _ if HINTS.contains(&k.as_str()) => {}
            _ => {
                if !MAPPED.contains(&k.as_str()) {
                    unmapped.push(k.clone());
                }
                kept.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Ev {
        obj,
        label,
        id,
        ty,
        time,
        action,
        biz_step,
        disposition,
        location,
        documents,
        kept,
        attributes,
        unmapped,
    })
}

/// The voids an error declaration asks for.
fn voids_of(ev: &Ev<'_>, parts: &[Event]) -> Result<Vec<Event>> {
    let Some(decl) = ev.obj.get("errorDeclaration") else {
        return Ok(Vec::new());
    };
    let d = decl.as_object().ok_or_else(|| {
        Error::field(
            &ev.label,
            "errorDeclaration",
            format!("must be an object, got {decl}"),
        )
    })?;
    let t = match d.get("declarationTime") {
        Some(Value::String(s)) => s.as_str(),
        None | Some(Value::Null) => {
            return Err(Error::MissingField {
                event_id: ev.label.clone(),
                field: "errorDeclaration.declarationTime".into(),
            });
        }
        Some(other) => {
            return Err(Error::field(
                &ev.label,
                "errorDeclaration.declarationTime",
                format!("must be a date-time string, got {other}"),
            ));
        }
    };
    let time = DateTime::parse_from_rfc3339(t).map_err(|e| Error::InvalidTime {
        event_id: ev.label.clone(),
        field: "errorDeclaration.declarationTime".into(),
        value: t.to_string(),
        reason: e.to_string(),
    })?;
    let reason = d
        .get("reason")
        .and_then(Value::as_str)
        .map(|r| from_private("reason", &bare_cbv(r, "ER", "er")));
    let void_id = d.get("lottrack:voidEventID").and_then(Value::as_str);
    let mut kept = Map::new();
    for (k, v) in d {
        if !matches!(
            k.as_str(),
            "declarationTime" | "reason" | "lottrack:voidEventID"
        ) {
            kept.insert(k.clone(), v.clone());
        }
    }
    let mut out = Vec::new();
    for p in parts {
        let mut attributes = Map::new();
        if !kept.is_empty() {
            attributes.insert("epcis".into(), Value::Object(kept.clone()));
        }
        let id = match void_id {
            Some(v) if parts.len() == 1 => v.to_string(),
            _ => format!("{}#void", p.event_id),
        };
        out.push(Event {
            event_id: id,
            time,
            location: None,
            documents: Vec::new(),
            attributes,
            extra: Map::new(),
            body: EventBody::Void {
                target: p.event_id.clone(),
                reason: reason.clone(),
            },
        });
    }
    Ok(out)
}

/// The events of a document (`EPCISDocument` or `EPCISQueryDocument`).
fn event_list(doc: &Value) -> Result<&Vec<Value>> {
    let bad = |m: &str| Error::MalformedJson {
        message: format!("EPCIS document: {m}"),
    };
    let obj = doc
        .as_object()
        .ok_or_else(|| bad("an EPCIS document must be a JSON object"))?;
    match obj.get("type").and_then(Value::as_str) {
        Some("EPCISDocument" | "EPCISQueryDocument") => {}
        Some(other) => return Err(bad(&format!("`type` is `{other}`, expected EPCISDocument"))),
        None => return Err(bad("`type` is missing; expected EPCISDocument")),
    }
    let body = obj
        .get("epcisBody")
        .ok_or_else(|| bad("`epcisBody` is missing"))?;
    let list = body
        .get("eventList")
        .or_else(|| body.pointer("/queryResults/resultsBody/eventList"));
    match list {
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(bad("`epcisBody.eventList` must be a list")),
        None => Err(bad("`epcisBody.eventList` is missing")),
    }
}

impl Tracker {
    /// Imports a GS1 EPCIS 2.0 JSON / JSON-LD document (see [`crate::epcis`] for the
    /// mapping): validated whole, then recorded in one atomic batch, leniently for
    /// stock (gaps are reported, not errors) and idempotently by `eventID`.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// let err = t.import_epcis(r#"{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","action":"OBSERVE"}]}}"#.as_bytes()).unwrap_err();
    /// assert_eq!(err.to_string(), "event eventList[0] (ObjectEvent): missing field `eventTime`");
    /// ```
    pub fn import_epcis(&self, reader: impl Read) -> Result<EpcisImportSummary> {
        let doc: Value = serde_json::from_reader(reader).map_err(|e| Error::MalformedJson {
            message: format!("EPCIS document: {e}"),
        })?;
        self.import_epcis_value(&doc)
    }

    /// [`Tracker::import_epcis`] from a parsed JSON document.
    pub fn import_epcis_value(&self, doc: &Value) -> Result<EpcisImportSummary> {
        let list = event_list(doc)?;
        let mut summary = EpcisImportSummary {
            events: list.len() as u64,
            ..Default::default()
        };
        let hashes = if list
            .iter()
            .any(|e| e.get("eventID").is_none_or(Value::is_null))
        {
            hash::event_hash_ids(doc)
        } else {
            Vec::new()
        };
        let mut imp = Importer {
            tracker: self,
            packed: HashSet::new(),
            declared: HashMap::new(),
        };
        let (master, natives) = super::export::read_header(doc, &mut imp.declared)?;
        let mut batch: Vec<Event> = master;
        let mut new_epcis = 0u64;
        let mut seen: HashSet<String> = HashSet::new();
        let exists = |id: &str, seen: &HashSet<String>| {
            seen.contains(id) || self.with_state(|s| s.event_index(id).is_some())
        };
        for (i, v) in list.iter().enumerate() {
            let obj = v.as_object().ok_or_else(|| {
                Error::field(&format!("eventList[{i}]"), "event", "must be a JSON object")
            })?;
            let no_hash = Err(String::new());
            let h = hashes.get(i).unwrap_or(&no_hash);
            let mut ev = read_event(obj, i, h)?;
            if obj.get("eventID").is_none_or(Value::is_null) {
                summary.hash_ids += 1;
            }
            match imp.map_event(&mut ev)? {
                Mapped::Unsupported(reason) => summary.unsupported.push(UnsupportedEvent {
                    index: i,
                    event_id: ev.id.clone(),
                    event_type: ev.ty.clone(),
                    reason,
                }),
                Mapped::Parts(parts) => {
                    for f in &ev.unmapped {
                        summary.unmapped.push(UnmappedField {
                            event_id: ev.id.clone(),
                            field: f.clone(),
                        });
                    }
                    let vs = voids_of(&ev, &parts)?;
                    let mut any_new = false;
                    for p in parts {
                        if !exists(&p.event_id, &seen) {
                            seen.insert(p.event_id.clone());
                            any_new = true;
                            batch.push(p);
                        }
                    }
                    // A void follows its target at once: what comes after sees the
                    // state as if the declared event never happened.
                    for vd in vs {
                        if !exists(&vd.event_id, &seen) {
                            seen.insert(vd.event_id.clone());
                            any_new = true;
                            if let EventBody::Void { target, .. } = &vd.body {
                                summary.voided.push(target.clone());
                            }
                            batch.push(vd);
                        }
                    }
                    if any_new {
                        new_epcis += 1;
                    } else {
                        summary.duplicates += 1;
                    }
                }
            }
        }
        batch.retain(|e| {
            // master data already recorded is skipped like any duplicate
            !(matches!(
                e.body,
                EventBody::Product { .. } | EventBody::Party { .. } | EventBody::Location { .. }
            ) && self.with_state(|s| s.event_index(&e.event_id).is_some()))
        });
        for n in natives {
            if !exists(&n.event_id, &seen) {
                seen.insert(n.event_id.clone());
                batch.push(n);
            }
        }
        let ids: HashSet<String> = batch.iter().map(|e| e.event_id.clone()).collect();
        let recorded = self.record_batch_mode(batch, false, true)?;
        summary.recorded = recorded.iter().filter(|r| !r.duplicate).count() as u64;
        summary.imported = new_epcis;
        summary.stock_gaps = self
            .deficits()
            .into_iter()
            .filter(|d| ids.contains(&d.event_id))
            .collect();
        Ok(summary)
    }
}
