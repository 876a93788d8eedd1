//! A direct reader of the event JSON format for the common event kinds: the
//! fields are deserialized straight into their types (borrowing the text where
//! no escape needs undoing) instead of first building a `serde_json::Value` with
//! a key and a value allocated per field. Replaying a store is mostly this.
//!
//! It is an accelerator only, never an authority: whatever it does not accept
//! exactly as [`Event::from_value`] would (an unknown field, a `null` where that
//! path reports an error, a number for a quantity, a duplicate key, master data,
//! any invalid value) makes it return `None`, and the general path reads the
//! event and reports the error. A test checks both paths agree.

use std::borrow::Cow;

use chrono::DateTime;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::event::{Event, EventBody, Output, ShipItem};
use crate::model::{Document, LotAttrs, LotKey, LotQty, LotStatus, parse_date};
use crate::quantity::parse_decimal;

/// The event, or `None` when the general path must read it.
pub(crate) fn read_event(json: &str) -> Option<Event> {
    let raw: Raw<'_> = serde_json::from_str(json).ok()?;
    raw.into_event()
}

type Text<'a> = Option<Cow<'a, str>>;

/// A field that may be absent, `null`, or a value: the general path treats
/// `null` lists as errors, so they must not read as absent here.
#[derive(Default)]
enum Field<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            None => Field::Null,
            Some(v) => Field::Value(v),
        })
    }
}

impl<T> Field<T> {
    fn present(&self) -> bool {
        !matches!(self, Field::Absent)
    }

    /// The value of a required list (absent or `null`: the general path's error).
    fn required(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    product: Cow<'a, str>,
    #[serde(borrow)]
    lot: Cow<'a, str>,
    #[serde(borrow)]
    quantity: Cow<'a, str>,
    #[serde(borrow)]
    uom: Cow<'a, str>,
}

impl Line<'_> {
    fn lot_qty(self) -> Option<LotQty> {
        Some(LotQty {
            quantity: parse_decimal(&self.quantity)?,
            product: self.product.into_owned(),
            lot: self.lot.into_owned(),
            uom: self.uom.into_owned(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutLine<'a> {
    #[serde(borrow)]
    product: Cow<'a, str>,
    #[serde(borrow)]
    lot: Cow<'a, str>,
    #[serde(borrow)]
    quantity: Cow<'a, str>,
    #[serde(borrow)]
    uom: Cow<'a, str>,
    #[serde(borrow, default)]
    expiry: Text<'a>,
    #[serde(borrow, default)]
    production_date: Text<'a>,
    #[serde(borrow, default)]
    supplier_lot: Text<'a>,
    #[serde(borrow, default)]
    origin: Text<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Key<'a> {
    #[serde(borrow)]
    product: Cow<'a, str>,
    #[serde(borrow)]
    lot: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc<'a> {
    #[serde(borrow, rename = "type")]
    doc_type: Cow<'a, str>,
    #[serde(borrow)]
    id: Cow<'a, str>,
}

/// Every field the fast kinds use; which belong to which kind is checked after.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw<'a> {
    #[serde(borrow, default)]
    event_id: Text<'a>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    time: Cow<'a, str>,
    #[serde(borrow, default)]
    location: Text<'a>,
    #[serde(borrow, default)]
    documents: Field<Vec<Doc<'a>>>,
    #[serde(default)]
    attributes: Option<Map<String, Value>>,
    #[serde(borrow, default)]
    product: Text<'a>,
    /// `"lot": null` beside a container is an error on the general path.
    #[serde(borrow, default)]
    lot: Field<Cow<'a, str>>,
    #[serde(borrow, default)]
    quantity: Text<'a>,
    #[serde(borrow, default)]
    uom: Text<'a>,
    #[serde(borrow, default)]
    supplier: Text<'a>,
    #[serde(borrow, default)]
    expiry: Text<'a>,
    #[serde(borrow, default)]
    production_date: Text<'a>,
    #[serde(borrow, default)]
    supplier_lot: Text<'a>,
    #[serde(borrow, default)]
    origin: Text<'a>,
    #[serde(borrow, default)]
    inputs: Field<Vec<Line<'a>>>,
    #[serde(borrow, default)]
    outputs: Field<Vec<OutLine<'a>>>,
    #[serde(borrow, default)]
    contents: Field<Vec<Line<'a>>>,
    #[serde(borrow, default)]
    lots: Field<Vec<Key<'a>>>,
    #[serde(borrow, default)]
    customer: Text<'a>,
    #[serde(borrow, default)]
    container: Text<'a>,
    #[serde(borrow, default)]
    from_location: Text<'a>,
    #[serde(borrow, default)]
    to_location: Text<'a>,
    #[serde(borrow, default)]
    reason: Text<'a>,
    #[serde(borrow, default)]
    status: Text<'a>,
    #[serde(borrow, default)]
    target: Text<'a>,
    #[serde(borrow, default)]
    party: Text<'a>,
    #[serde(borrow, default)]
    name: Text<'a>,
    #[serde(borrow, default)]
    role: Text<'a>,
}

fn owned(t: Text<'_>) -> Option<String> {
    t.map(Cow::into_owned)
}

fn date(t: &Text<'_>) -> Option<Option<chrono::NaiveDate>> {
    match t {
        None => Some(None),
        Some(s) => parse_date(s, "").ok().map(Some),
    }
}

fn attrs(
    expiry: &Text<'_>,
    production_date: &Text<'_>,
    supplier_lot: Text<'_>,
    origin: Text<'_>,
) -> Option<LotAttrs> {
    Some(LotAttrs {
        expiry: date(expiry)?,
        production_date: date(production_date)?,
        supplier_lot: owned(supplier_lot),
        origin: owned(origin),
        expiry_source: None,
    })
}

impl Raw<'_> {
    /// Which of the kind-specific fields are present, by name.
    fn present(&self) -> [(&'static str, bool); 23] {
        [
            ("product", self.product.is_some()),
            ("lot", self.lot.present()),
            ("quantity", self.quantity.is_some()),
            ("uom", self.uom.is_some()),
            ("supplier", self.supplier.is_some()),
            ("expiry", self.expiry.is_some()),
            ("production_date", self.production_date.is_some()),
            ("supplier_lot", self.supplier_lot.is_some()),
            ("origin", self.origin.is_some()),
            ("inputs", self.inputs.present()),
            ("outputs", self.outputs.present()),
            ("contents", self.contents.present()),
            ("lots", self.lots.present()),
            ("customer", self.customer.is_some()),
            ("container", self.container.is_some()),
            ("from_location", self.from_location.is_some()),
            ("to_location", self.to_location.is_some()),
            ("reason", self.reason.is_some()),
            ("status", self.status.is_some()),
            ("target", self.target.is_some()),
            ("party", self.party.is_some()),
            ("name", self.name.is_some()),
            ("role", self.role.is_some()),
        ]
    }

    /// The single lot line of a kind that has one at the top level.
    fn line(&mut self) -> Option<LotQty> {
        Some(LotQty {
            quantity: parse_decimal(self.quantity.as_deref()?)?,
            product: owned(self.product.take())?,
            lot: std::mem::take(&mut self.lot).required()?.into_owned(),
            uom: owned(self.uom.take())?,
        })
    }

    fn into_event(mut self) -> Option<Event> {
        let allowed: &[&str] = match &*self.kind {
            "receive" => &[
                "product",
                "lot",
                "quantity",
                "uom",
                "supplier",
                "expiry",
                "production_date",
                "supplier_lot",
                "origin",
            ],
            "transform" => &["inputs", "outputs"],
            "ship" => &["product", "lot", "quantity", "uom", "customer", "container"],
            "move" => &[
                "product",
                "lot",
                "quantity",
                "uom",
                "from_location",
                "to_location",
            ],
            "pack" | "unpack" => &["container", "contents"],
            "adjust" | "dispose" | "consume" => &["product", "lot", "quantity", "uom", "reason"],
            "return" => &["product", "lot", "quantity", "uom", "customer"],
            "status" => &["status", "lots", "reason"],
            "void" => &["target", "reason"],
            "party" => &["party", "name", "role"],
            // Master data and drills: the general path.
            _ => return None,
        };
        // A field the kind does not use is kept as unknown by the general path.
        if self
            .present()
            .iter()
            .any(|(name, on)| *on && !allowed.contains(name))
        {
            return None;
        }
        let time = DateTime::parse_from_rfc3339(&self.time).ok()?;
        let body = match &*self.kind {
            "receive" => EventBody::Receive {
                item: self.line()?,
                attrs: attrs(
                    &self.expiry,
                    &self.production_date,
                    self.supplier_lot.take(),
                    self.origin.take(),
                )?,
                supplier: owned(self.supplier.take()),
            },
            "transform" => {
                let inputs = std::mem::take(&mut self.inputs).required()?;
                let outs = std::mem::take(&mut self.outputs).required()?;
                let inputs = inputs
                    .into_iter()
                    .map(Line::lot_qty)
                    .collect::<Option<Vec<_>>>()?;
                let mut outputs = Vec::with_capacity(outs.len());
                for o in outs {
                    let a = attrs(&o.expiry, &o.production_date, o.supplier_lot, o.origin)?;
                    let item = Line {
                        product: o.product,
                        lot: o.lot,
                        quantity: o.quantity,
                        uom: o.uom,
                    }
                    .lot_qty()?;
                    outputs.push(Output { item, attrs: a });
                }
                EventBody::Transform { inputs, outputs }
            }
            "ship" => {
                let item = match self.container.take() {
                    // A container shipment names no line fields at all.
                    Some(c)
                        if self.product.is_none()
                            && !self.lot.present()
                            && self.quantity.is_none()
                            && self.uom.is_none() =>
                    {
                        ShipItem::Container(c.into_owned())
                    }
                    Some(_) => return None,
                    None => ShipItem::Lot(self.line()?),
                };
                EventBody::Ship {
                    item,
                    customer: owned(self.customer.take()),
                }
            }
            "move" => EventBody::Move {
                item: self.line()?,
                // A move without `from_location` (it means `location`): general path.
                from_location: owned(self.from_location.take())?,
                to_location: owned(self.to_location.take())?,
            },
            "pack" | "unpack" => {
                let container = owned(self.container.take())?;
                let contents = std::mem::take(&mut self.contents)
                    .required()?
                    .into_iter()
                    .map(Line::lot_qty)
                    .collect::<Option<Vec<_>>>()?;
                if self.kind == "pack" {
                    EventBody::Pack {
                        container,
                        contents,
                    }
                } else {
                    EventBody::Unpack {
                        container,
                        contents,
                    }
                }
            }
            "adjust" | "dispose" | "consume" => {
                let item = self.line()?;
                let reason = owned(self.reason.take());
                match &*self.kind {
                    "adjust" => EventBody::Adjust { item, reason },
                    "dispose" => EventBody::Dispose { item, reason },
                    _ => EventBody::Consume { item, reason },
                }
            }
            "return" => EventBody::Return {
                item: self.line()?,
                customer: owned(self.customer.take()),
            },
            "status" => EventBody::Status {
                status: LotStatus::parse(self.status.as_deref()?)?,
                lots: std::mem::take(&mut self.lots)
                    .required()?
                    .iter()
                    .map(|k| LotKey::new(&k.product, &k.lot))
                    .collect(),
                reason: owned(self.reason.take()),
            },
            "void" => EventBody::Void {
                target: owned(self.target.take())?,
                reason: owned(self.reason.take()),
            },
            "party" => EventBody::Party {
                party: owned(self.party.take())?,
                name: owned(self.name.take()),
                role: owned(self.role.take()),
            },
            _ => return None,
        };
        let documents = match self.documents {
            Field::Absent => Vec::new(),
            Field::Null => return None,
            Field::Value(d) => d
                .iter()
                .map(|d| Document::new(&d.doc_type, &d.id))
                .collect(),
        };
        Some(Event {
            event_id: owned(self.event_id).unwrap_or_default(),
            time,
            location: owned(self.location),
            documents,
            attributes: self.attributes.unwrap_or_default(),
            extra: Map::new(),
            body,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// What the general path makes of the same text (or its error).
    fn general(json: &str) -> crate::Result<Event> {
        let v: Value = serde_json::from_str(json).map_err(|e| crate::Error::MalformedJson {
            message: e.to_string(),
        })?;
        Event::from_value(&v)
    }

    const T: &str = r#""time":"2026-03-01T08:00:00+01:00""#;

    fn cases() -> Vec<String> {
        let line = r#""product":"sp\"in","lot":"F-1","quantity":"500.250","uom":"kg""#;
        let mut v: Vec<String> = [
            // The common kinds as the writer makes them.
            format!(
                r#"{{"event_id":"E1","kind":"receive",{T},"location":"p1",{line},"supplier":"farm","expiry":"2026-03-15","production_date":"2026-03-01","supplier_lot":"A-7","origin":"é\u0001","documents":[{{"type":"po","id":"PO-1"}}],"attributes":{{"n":1.50,"x":[1,null]}}}}"#
            ),
            format!(
                r#"{{"event_id":"E2","kind":"transform",{T},"location":"p","inputs":[{{"product":"a","lot":"1","quantity":"2","uom":"kg"}}],"outputs":[{{"product":"c","lot":"3","quantity":"1e3","uom":"kg","expiry":"2026-04-01"}}]}}"#
            ),
            format!(
                r#"{{"event_id":"E3","kind":"ship",{T},"location":"p",{line},"customer":"c"}}"#
            ),
            format!(
                r#"{{"event_id":"E4","kind":"ship",{T},"location":"p","container":"S1","customer":"c"}}"#
            ),
            format!(
                r#"{{"event_id":"E5","kind":"move",{T},{line},"from_location":"a","to_location":"b"}}"#
            ),
            format!(
                r#"{{"event_id":"E6","kind":"pack",{T},"location":"p","container":"S1","contents":[{{"product":"a","lot":"1","quantity":"2","uom":"kg"}}]}}"#
            ),
            format!(
                r#"{{"event_id":"E7","kind":"unpack",{T},"location":"p","container":"S1","contents":[]}}"#
            ),
            format!(r#"{{"event_id":"E8","kind":"adjust",{T},"location":"p",{line},"reason":"count"}}"#),
            format!(r#"{{"event_id":"E9","kind":"dispose",{T},"location":"p",{line}}}"#),
            format!(r#"{{"event_id":"E10","kind":"consume",{T},"location":"p",{line},"reason":null}}"#),
            format!(r#"{{"event_id":"E11","kind":"return",{T},"location":"p",{line},"customer":"c"}}"#),
            format!(
                r#"{{"event_id":"E12","kind":"status",{T},"status":"hold","lots":[{{"product":"a","lot":"1"}}],"reason":"qa"}}"#
            ),
            format!(r#"{{"event_id":"E13","kind":"void",{T},"target":"E3","reason":"x"}}"#),
            format!(r#"{{"event_id":"E14","kind":"party",{T},"party":"c","name":"C Ltd"}}"#),
            format!(r#"{{"kind":"void",{T},"target":"E3"}}"#),
            format!(r#"{{"event_id":null,"kind":"void",{T},"target":"E3","attributes":null}}"#),
            // What the fast path leaves to the general one.
            format!(r#"{{"event_id":"X1","kind":"ship",{T},{line},"custom":{{"a":1}}}}"#),
            format!(r#"{{"event_id":"X2","kind":"ship",{T},{line},"supplier":"s"}}"#),
            format!(r#"{{"event_id":"X3","kind":"ship",{T},"container":"S1",{line}}}"#),
            format!(r#"{{"event_id":"X4","kind":"ship",{T},"container":"S1","product":"a"}}"#),
            format!(
                r#"{{"event_id":"X5","kind":"move",{T},"location":"a",{line},"to_location":"b"}}"#
            ),
            format!(r#"{{"event_id":"X6","kind":"move",{T},{line},"to_location":"b"}}"#),
            format!(
                r#"{{"event_id":"X7","kind":"adjust",{T},"product":"a","lot":"1","quantity":1.5,"uom":"kg"}}"#
            ),
            format!(
                r#"{{"event_id":"X8","kind":"adjust",{T},"product":"a","lot":"1","quantity":"abc","uom":"kg"}}"#
            ),
            format!(r#"{{"event_id":"X9","kind":"adjust",{T},"product":"a","lot":"1","uom":"kg"}}"#),
            format!(
                r#"{{"event_id":"X10","kind":"receive",{T},"product":"a","lot":"1","quantity":"1","uom":"kg","expiry":"15/03/2026"}}"#
            ),
            format!(r#"{{"event_id":"X11","kind":"transform",{T},"inputs":null,"outputs":[]}}"#),
            format!(r#"{{"event_id":"X12","kind":"transform",{T},"outputs":[]}}"#),
            format!(
                r#"{{"event_id":"X13","kind":"transform",{T},"inputs":[{{"product":"a","lot":"1","quantity":"2","uom":"kg","expiry":"2026-01-01"}}],"outputs":[]}}"#
            ),
            format!(r#"{{"event_id":"X14","kind":"void",{T},"target":"E3","documents":null}}"#),
            format!(r#"{{"event_id":"X15","kind":"void",{T},"target":"E3","target":"E4"}}"#),
            format!(r#"{{"event_id":"X16","kind":"status",{T},"status":"sideways","lots":[]}}"#),
            r#"{"event_id":"X17","kind":"void","time":"yesterday","target":"E3"}"#.to_string(),
            format!(r#"{{"event_id":"X18","kind":"teleport",{T}}}"#),
            format!(
                r#"{{"event_id":"X19","kind":"product",{T},"product":"a","uom":"kg"}}"#
            ),
            format!(r#"{{"event_id":"X20","kind":"void",{T},"target":7}}"#),
            format!(r#"{{"event_id":"X21","kind":"void",{T},"target":"E3","attributes":[1]}}"#),
            format!(
                r#"{{"event_id":"X22","kind":"void",{T},"target":"E3","documents":[{{"type":"po"}}]}}"#
            ),
            format!(r#"{{"event_id":"X23","kind":"ship",{T},"customer":"c"}}"#),
            "[1]".to_string(),
            "{".to_string(),
        ]
        .into();
        v.push(format!(
            r#"{{"event_id":"E15","kind":"ship",{T},"location":"p",{line},"customer":"c\n\u00e9"}}"#
        ));
        v
    }

    #[test]
    fn agrees_with_the_general_path() {
        let mut fast = 0;
        for json in cases() {
            let general = general(&json);
            match read_event(&json) {
                Some(ev) => {
                    fast += 1;
                    assert_eq!(Ok(&ev), general.as_ref(), "{json}");
                    assert_eq!(Event::from_json(&json).unwrap(), ev);
                }
                // Left to the general path, which gives the same answer as before.
                None => assert_eq!(Event::from_json(&json), general, "{json}"),
            }
        }
        // The writer's kinds (E1–E15, the first sixteen and the last) are read here.
        assert_eq!(fast, 17);
    }

    #[test]
    fn declines_what_it_does_not_read_exactly() {
        for json in cases() {
            if json.contains("\"X") || !json.contains("event_id") && json.len() < 5 {
                assert!(read_event(&json).is_none(), "{json}");
            }
        }
    }
}
