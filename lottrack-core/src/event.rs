//! Events, the source of truth: their kinds, the design's JSON format and typed
//! builders so a Rust user never writes JSON.
//!
//! ```
//! use lottrack_core::{Event, LotQty, Tracker};
//! let t = Tracker::in_memory();
//! let time = lottrack_core::parse_time("2026-03-01T08:00:00+01:00").unwrap();
//! let ev = Event::receive(time, "plant-1", LotQty::new("spinach", "F-100", "500", "kg").unwrap(), Some("farm-a"))
//!     .with_id("E1");
//! t.record(ev.clone()).unwrap();
//! let json = ev.to_json();
//! assert!(json.starts_with(r#"{"event_id":"E1","kind":"receive""#));
//! assert_eq!(Event::from_json(&json).unwrap(), ev);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{Document, LotAttrs, LotKey, LotQty, LotStatus};
use crate::quantity::parse_decimal;

/// An event time: a timestamp with its UTC offset.
pub type Time = DateTime<FixedOffset>;

/// Reads an RFC 3339 time with an offset (`2026-03-01T08:00:00+01:00`).
///
/// ```
/// assert!(lottrack_core::parse_time("2026-03-01T08:00:00+01:00").is_ok());
/// assert!(lottrack_core::parse_time("2026-03-01T08:00:00").is_err());
/// ```
pub fn parse_time(s: &str) -> Result<Time> {
    DateTime::parse_from_rfc3339(s).map_err(|e| Error::InvalidTime {
        event_id: String::new(),
        field: "time".into(),
        value: s.to_string(),
        reason: e.to_string(),
    })
}

/// What a `ship` event sends: a quantity of a lot, or a whole container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipItem {
    /// A quantity of one lot.
    Lot(LotQty),
    /// Everything a container (pallet, case; an SSCC) holds.
    Container(String),
}

/// A transform output: the lot produced and the attributes it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The lot and quantity produced.
    pub item: LotQty,
    /// Its attributes (expiry, production date …).
    pub attrs: LotAttrs,
}

/// What an event does; one variant per kind of the design's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventBody {
    /// A lot arrives from a supplier (creates the lot if new).
    Receive {
        /// Lot and quantity received.
        item: LotQty,
        /// The supplier party.
        supplier: Option<String>,
        /// Attributes of the lot.
        attrs: LotAttrs,
    },
    /// Inputs consumed, outputs produced (production, repacking, splitting, commingling).
    Transform {
        /// Input lots with the quantities consumed.
        inputs: Vec<LotQty>,
        /// Output lots with the quantities produced.
        outputs: Vec<Output>,
    },
    /// A quantity of a lot, or a container, leaves to a customer.
    Ship {
        /// What is shipped.
        item: ShipItem,
        /// The customer party.
        customer: Option<String>,
    },
    /// A quantity changes location inside the company.
    Move {
        /// Lot and quantity moved.
        item: LotQty,
        /// Where it is taken from.
        from_location: String,
        /// Where it goes.
        to_location: String,
    },
    /// Lots go into a container.
    Pack {
        /// The container (an SSCC …).
        container: String,
        /// What goes in.
        contents: Vec<LotQty>,
    },
    /// Lots come out of a container.
    Unpack {
        /// The container.
        container: String,
        /// What comes out.
        contents: Vec<LotQty>,
    },
    /// Inventory correction: a signed change of on-hand (+ found, − lost).
    Adjust {
        /// Lot and signed quantity.
        item: LotQty,
        /// Why.
        reason: Option<String>,
    },
    /// Destruction.
    Dispose {
        /// Lot and quantity destroyed.
        item: LotQty,
        /// Why.
        reason: Option<String>,
    },
    /// Use without an output lot.
    Consume {
        /// Lot and quantity used.
        item: LotQty,
        /// Why.
        reason: Option<String>,
    },
    /// A customer sends a quantity back.
    Return {
        /// Lot and quantity returned.
        item: LotQty,
        /// The customer.
        customer: Option<String>,
    },
    /// Hold, release, quarantine, recall.
    Status {
        /// The new status.
        status: LotStatus,
        /// The lots concerned.
        lots: Vec<LotKey>,
        /// Why.
        reason: Option<String>,
    },
    /// Retracts an earlier event (an EPCIS error declaration).
    Void {
        /// The event retracted.
        target: String,
        /// Why (`incorrect_data` …).
        reason: Option<String>,
    },
    /// Master data: a product, its base unit and conversions.
    Product {
        /// Product id.
        product: String,
        /// Base unit.
        uom: String,
        /// `unit -> how many base units one of it is`.
        conversions: BTreeMap<String, Decimal>,
        /// Description.
        description: Option<String>,
        /// Rules: expiry inheritance and yield range.
        rules: ProductRules,
    },
    /// A record that a mock recall (drill) was run; changes no stock or status.
    MockRecall {
        /// The lots the drill started from.
        lots: Vec<LotKey>,
        /// The drill's headline figures (score, reporting unit, pass/fail …).
        result: Map<String, Value>,
    },
    /// Master data: a party (supplier, own company, customer).
    Party {
        /// Party id (a GLN where the user has one).
        party: String,
        /// Name.
        name: Option<String>,
        /// Role: `supplier`, `customer`, `own`.
        role: Option<String>,
    },
    /// Master data: a location.
    Location {
        /// Location id (a GLN where the user has one).
        location: String,
        /// Name.
        name: Option<String>,
        /// Owning party.
        party: Option<String>,
    },
}

impl EventBody {
    /// The kind's name as written in JSON.
    pub fn kind(&self) -> &'static str {
        KINDS[self.kind_index() as usize]
    }

    /// The kind's position in [`KINDS`] (how the index stores it, in a byte).
    pub(crate) fn kind_index(&self) -> u8 {
        match self {
            EventBody::Receive { .. } => 0,
            EventBody::Transform { .. } => 1,
            EventBody::Ship { .. } => 2,
            EventBody::Move { .. } => 3,
            EventBody::Pack { .. } => 4,
            EventBody::Unpack { .. } => 5,
            EventBody::Adjust { .. } => 6,
            EventBody::Dispose { .. } => 7,
            EventBody::Consume { .. } => 8,
            EventBody::Return { .. } => 9,
            EventBody::Status { .. } => 10,
            EventBody::Void { .. } => 11,
            EventBody::Product { .. } => 12,
            EventBody::MockRecall { .. } => 13,
            EventBody::Party { .. } => 14,
            EventBody::Location { .. } => 15,
        }
    }
}

/// The event kinds, in the order of [`EventBody::kind_index`].
pub(crate) const KINDS: [&str; 16] = [
    "receive",
    "transform",
    "ship",
    "move",
    "pack",
    "unpack",
    "adjust",
    "dispose",
    "consume",
    "return",
    "status",
    "void",
    "product",
    "mock_recall",
    "party",
    "location",
];

/// Rules a product declares for its lots.
///
/// ```
/// use lottrack_core::event::ProductRules;
/// let r = ProductRules { inherit_expiry: Some(1), ..Default::default() };
/// assert!(r.yield_range.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductRules {
    /// Lots made by a transform that gives no expiry take the earliest expiry of
    /// their inputs minus this many days (JSON `"inherit_expiry": {"margin_days": N}`).
    pub inherit_expiry: Option<i64>,
    /// Accepted yield of a transform producing this product: output ÷ input, in a
    /// common unit (JSON `"yield_range": ["0.9", "1.0"]`).
    pub yield_range: Option<(Decimal, Decimal)>,
}

/// One immutable event: id, time with offset, location, documents, attributes and
/// what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Unique id; empty means "generate one when recorded".
    pub event_id: String,
    /// When it happened, with its UTC offset.
    pub time: Time,
    /// Where it happened (where stock is taken or put).
    pub location: Option<String>,
    /// Reference documents.
    pub documents: Vec<Document>,
    /// Free-form attributes.
    pub attributes: Map<String, Value>,
    /// Fields of the JSON this version does not know, kept as they came.
    pub extra: Map<String, Value>,
    /// What it does.
    pub body: EventBody,
}

const COMMON: &[&str] = &[
    "event_id",
    "kind",
    "time",
    "location",
    "documents",
    "attributes",
];

impl Event {
    fn new(time: Time, location: Option<&str>, body: EventBody) -> Self {
        Event {
            event_id: String::new(),
            time,
            location: location.map(str::to_string),
            documents: Vec::new(),
            attributes: Map::new(),
            extra: Map::new(),
            body,
        }
    }

    /// A receipt of `item` at `location` from `supplier`.
    pub fn receive(time: Time, location: &str, item: LotQty, supplier: Option<&str>) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Receive {
                item,
                supplier: supplier.map(str::to_string),
                attrs: LotAttrs::default(),
            },
        )
    }

    /// A transform at `location` consuming `inputs` and producing `outputs`.
    ///
    /// ```
    /// use lottrack_core::{Event, LotQty, parse_time};
    /// let t = parse_time("2026-03-02T10:00:00+01:00").unwrap();
    /// let ev = Event::transform(t, "plant-1",
    ///     vec![LotQty::new("spinach", "F-100", "200", "kg").unwrap()],
    ///     vec![LotQty::new("salad", "S-1", "400", "each").unwrap()]);
    /// assert_eq!(ev.body.kind(), "transform");
    /// ```
    pub fn transform(
        time: Time,
        location: &str,
        inputs: Vec<LotQty>,
        outputs: Vec<LotQty>,
    ) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Transform {
                inputs,
                outputs: outputs
                    .into_iter()
                    .map(|item| Output {
                        item,
                        attrs: LotAttrs::default(),
                    })
                    .collect(),
            },
        )
    }

    /// A shipment of `item` from `location` to `customer`.
    pub fn ship(time: Time, location: &str, item: LotQty, customer: &str) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Ship {
                item: ShipItem::Lot(item),
                customer: Some(customer.to_string()),
            },
        )
    }

    /// A shipment of a whole container from `location` to `customer`.
    pub fn ship_container(time: Time, location: &str, container: &str, customer: &str) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Ship {
                item: ShipItem::Container(container.to_string()),
                customer: Some(customer.to_string()),
            },
        )
    }

    /// A move of `item` from one location to another.
    pub fn move_(time: Time, item: LotQty, from_location: &str, to_location: &str) -> Self {
        Self::new(
            time,
            Some(from_location),
            EventBody::Move {
                item,
                from_location: from_location.to_string(),
                to_location: to_location.to_string(),
            },
        )
    }

    /// Packing `contents` into `container` at `location`.
    pub fn pack(time: Time, location: &str, container: &str, contents: Vec<LotQty>) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Pack {
                container: container.to_string(),
                contents,
            },
        )
    }

    /// Unpacking `contents` from `container` at `location`.
    pub fn unpack(time: Time, location: &str, container: &str, contents: Vec<LotQty>) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Unpack {
                container: container.to_string(),
                contents,
            },
        )
    }

    /// An inventory correction (signed: + found, − lost).
    pub fn adjust(time: Time, location: &str, item: LotQty, reason: Option<&str>) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Adjust {
                item,
                reason: reason.map(str::to_string),
            },
        )
    }

    /// A destruction.
    pub fn dispose(time: Time, location: &str, item: LotQty, reason: Option<&str>) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Dispose {
                item,
                reason: reason.map(str::to_string),
            },
        )
    }

    /// A use without an output lot.
    pub fn consume(time: Time, location: &str, item: LotQty, reason: Option<&str>) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Consume {
                item,
                reason: reason.map(str::to_string),
            },
        )
    }

    /// A return from `customer` into `location`.
    pub fn return_(time: Time, location: &str, item: LotQty, customer: &str) -> Self {
        Self::new(
            time,
            Some(location),
            EventBody::Return {
                item,
                customer: Some(customer.to_string()),
            },
        )
    }

    /// A status change of `lots`.
    pub fn status(time: Time, status: LotStatus, lots: Vec<LotKey>, reason: Option<&str>) -> Self {
        Self::new(
            time,
            None,
            EventBody::Status {
                status,
                lots,
                reason: reason.map(str::to_string),
            },
        )
    }

    /// A void of the event `target`.
    pub fn void(time: Time, target: &str, reason: Option<&str>) -> Self {
        Self::new(
            time,
            None,
            EventBody::Void {
                target: target.to_string(),
                reason: reason.map(str::to_string),
            },
        )
    }

    /// Product master data: base unit and conversions (`unit`, base units per unit).
    ///
    /// ```
    /// use lottrack_core::{Event, parse_time};
    /// let t = parse_time("2026-03-01T00:00:00Z").unwrap();
    /// let ev = Event::product(t, "salad", "each", &[("case", "12")]).unwrap();
    /// assert!(ev.to_json().contains(r#""conversions":{"case":"12"}"#));
    /// ```
    pub fn product(
        time: Time,
        product: &str,
        uom: &str,
        conversions: &[(&str, &str)],
    ) -> Result<Self> {
        let mut conv = BTreeMap::new();
        for (unit, factor) in conversions {
            let f = parse_decimal(factor)
                .filter(|f| *f > Decimal::ZERO)
                .ok_or_else(|| {
                    Error::field(
                        "",
                        "conversions",
                        format!("factor `{factor}` for `{unit}` is not a positive decimal"),
                    )
                })?;
            conv.insert(unit.to_string(), f);
        }
        Ok(Self::new(
            time,
            None,
            EventBody::Product {
                product: product.to_string(),
                uom: uom.to_string(),
                conversions: conv,
                description: None,
                rules: ProductRules::default(),
            },
        ))
    }

    /// Party master data.
    pub fn party(time: Time, party: &str, name: Option<&str>, role: Option<&str>) -> Self {
        Self::new(
            time,
            None,
            EventBody::Party {
                party: party.to_string(),
                name: name.map(str::to_string),
                role: role.map(str::to_string),
            },
        )
    }

    /// Location master data.
    pub fn location(time: Time, location: &str, name: Option<&str>, party: Option<&str>) -> Self {
        Self::new(
            time,
            None,
            EventBody::Location {
                location: location.to_string(),
                name: name.map(str::to_string),
                party: party.map(str::to_string),
            },
        )
    }

    /// Checks that every identifier (event id, product, lot, location, party,
    /// container, unit) is non-empty text without control characters, which no
    /// C string, CSV or label could carry faithfully.
    ///
    /// ```
    /// use lottrack_core::Event;
    /// let bad = Event::from_json(r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00Z","location":"a","product":"p","lot":"bad\u0000lot","quantity":"1","uom":"kg"}"#).unwrap();
    /// assert_eq!(bad.check_identifiers().unwrap_err().to_string(),
    ///            "event E1: invalid field `lot`: \"bad\\0lot\" contains a control character");
    /// ```
    pub fn check_identifiers(&self) -> Result<()> {
        let id = &self.event_id;
        let check = |field: &str, v: &str| -> Result<()> {
            if v.is_empty() {
                return Err(Error::field(id, field, "must not be empty"));
            }
            // Printable ASCII (most identifiers) is recognised in one pass over
            // the bytes; anything else is looked at character by character.
            let control =
                !v.bytes().all(|b| (0x20..0x7f).contains(&b)) && v.chars().any(char::is_control);
            if control {
                return Err(Error::field(
                    id,
                    field,
                    format!("{v:?} contains a control character"),
                ));
            }
            Ok(())
        };
        check("event_id", id)?;
        if let Some(l) = &self.location {
            check("location", l)?;
        }
        let line = |l: &LotQty| -> Result<()> {
            check("product", &l.product)?;
            check("lot", &l.lot)?;
            check("uom", &l.uom)
        };
        let opt =
            |field: &str, v: &Option<String>| v.as_deref().map_or(Ok(()), |v| check(field, v));
        match &self.body {
            EventBody::Receive { item, supplier, .. } => {
                line(item)?;
                opt("supplier", supplier)
            }
            EventBody::Transform { inputs, outputs } => {
                inputs.iter().try_for_each(line)?;
                outputs.iter().try_for_each(|o| line(&o.item))
            }
            EventBody::Ship { item, customer } => {
                match item {
                    ShipItem::Lot(l) => line(l)?,
                    ShipItem::Container(c) => check("container", c)?,
                }
                opt("customer", customer)
            }
            EventBody::Move {
                item,
                from_location,
                to_location,
            } => {
                line(item)?;
                check("from_location", from_location)?;
                check("to_location", to_location)
            }
            EventBody::Pack {
                container,
                contents,
            }
            | EventBody::Unpack {
                container,
                contents,
            } => {
                check("container", container)?;
                contents.iter().try_for_each(line)
            }
            EventBody::Adjust { item, .. }
            | EventBody::Dispose { item, .. }
            | EventBody::Consume { item, .. } => line(item),
            EventBody::Return { item, customer } => {
                line(item)?;
                opt("customer", customer)
            }
            EventBody::Status { lots, .. } | EventBody::MockRecall { lots, .. } => {
                lots.iter().try_for_each(|k| {
                    check("product", &k.product)?;
                    check("lot", &k.lot)
                })
            }
            EventBody::Void { target, .. } => check("target", target),
            EventBody::Product {
                product,
                uom,
                conversions,
                ..
            } => {
                check("product", product)?;
                check("uom", uom)?;
                conversions.keys().try_for_each(|u| check("conversions", u))
            }
            EventBody::Party { party, .. } => check("party", party),
            EventBody::Location { location, .. } => check("location", location),
        }
    }

    /// Sets the event id.
    pub fn with_id(mut self, id: &str) -> Self {
        self.event_id = id.to_string();
        self
    }

    /// Adds a reference document.
    pub fn with_document(mut self, doc_type: &str, id: &str) -> Self {
        self.documents.push(Document::new(doc_type, id));
        self
    }

    /// Adds a free-form attribute.
    pub fn with_attribute(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.attributes.insert(key.to_string(), value.into());
        self
    }

    /// Sets the lot attributes of a receipt's lot, or of every output of a transform.
    /// Other kinds have no lot attributes and are returned unchanged.
    pub fn with_lot_attrs(mut self, attrs: LotAttrs) -> Self {
        match &mut self.body {
            EventBody::Receive { attrs: a, .. } => *a = attrs,
            EventBody::Transform { outputs, .. } => {
                for o in outputs {
                    o.attrs = attrs.clone();
                }
            }
            _ => {}
        }
        self
    }

    /// The event in the design's JSON format (one line).
    pub fn to_json(&self) -> String {
        crate::json_fast::event_json(self)
            .unwrap_or_else(|| Value::Object(self.to_map()).to_string())
    }

    /// The event as a JSON value.
    pub fn to_value(&self) -> Value {
        Value::Object(self.to_map())
    }

    fn to_map(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("event_id".into(), self.event_id.clone().into());
        m.insert("kind".into(), self.body.kind().into());
        m.insert("time".into(), self.time.to_rfc3339().into());
        if let Some(l) = &self.location {
            m.insert("location".into(), l.clone().into());
        }
        match &self.body {
            EventBody::Receive {
                item,
                supplier,
                attrs,
            } => {
                put_line(&mut m, item);
                opt(&mut m, "supplier", supplier);
                put_attrs(&mut m, attrs);
            }
            EventBody::Transform { inputs, outputs } => {
                m.insert("inputs".into(), inputs.iter().map(line_value).collect());
                m.insert(
                    "outputs".into(),
                    outputs
                        .iter()
                        .map(|o| {
                            let mut om = Map::new();
                            put_line(&mut om, &o.item);
                            put_attrs(&mut om, &o.attrs);
                            Value::Object(om)
                        })
                        .collect(),
                );
            }
            EventBody::Ship { item, customer } => {
                match item {
                    ShipItem::Lot(l) => put_line(&mut m, l),
                    ShipItem::Container(c) => {
                        m.insert("container".into(), c.clone().into());
                    }
                }
                opt(&mut m, "customer", customer);
            }
            EventBody::Move {
                item,
                from_location,
                to_location,
            } => {
                put_line(&mut m, item);
                m.insert("from_location".into(), from_location.clone().into());
                m.insert("to_location".into(), to_location.clone().into());
            }
            EventBody::Pack {
                container,
                contents,
            }
            | EventBody::Unpack {
                container,
                contents,
            } => {
                m.insert("container".into(), container.clone().into());
                m.insert("contents".into(), contents.iter().map(line_value).collect());
            }
            EventBody::Adjust { item, reason }
            | EventBody::Dispose { item, reason }
            | EventBody::Consume { item, reason } => {
                put_line(&mut m, item);
                opt(&mut m, "reason", reason);
            }
            EventBody::Return { item, customer } => {
                put_line(&mut m, item);
                opt(&mut m, "customer", customer);
            }
            EventBody::Status {
                status,
                lots,
                reason,
            } => {
                m.insert("status".into(), status.as_str().into());
                m.insert(
                    "lots".into(),
                    lots.iter()
                        .map(|k| {
                            let mut km = Map::new();
                            km.insert("product".into(), (*k.product).into());
                            km.insert("lot".into(), (*k.lot).into());
                            Value::Object(km)
                        })
                        .collect(),
                );
                opt(&mut m, "reason", reason);
            }
            EventBody::Void { target, reason } => {
                m.insert("target".into(), target.clone().into());
                opt(&mut m, "reason", reason);
            }
            EventBody::Product {
                product,
                uom,
                conversions,
                description,
                rules,
            } => {
                m.insert("product".into(), product.clone().into());
                m.insert("uom".into(), uom.clone().into());
                if !conversions.is_empty() {
                    let c: Map<String, Value> = conversions
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
                        .collect();
                    m.insert("conversions".into(), Value::Object(c));
                }
                opt(&mut m, "description", description);
                if let Some(days) = rules.inherit_expiry {
                    let mut r = Map::new();
                    r.insert("margin_days".into(), days.into());
                    m.insert("inherit_expiry".into(), Value::Object(r));
                }
                if let Some((lo, hi)) = rules.yield_range {
                    m.insert(
                        "yield_range".into(),
                        Value::Array(vec![lo.to_string().into(), hi.to_string().into()]),
                    );
                }
            }
            EventBody::MockRecall { lots, result } => {
                m.insert("lots".into(), lots.iter().map(key_value).collect());
                m.insert("result".into(), Value::Object(result.clone()));
            }
            EventBody::Party { party, name, role } => {
                m.insert("party".into(), party.clone().into());
                opt(&mut m, "name", name);
                opt(&mut m, "role", role);
            }
            EventBody::Location {
                location,
                name,
                party,
            } => {
                m.insert("location".into(), location.clone().into());
                opt(&mut m, "name", name);
                opt(&mut m, "party", party);
            }
        }
        if !self.documents.is_empty() {
            m.insert(
                "documents".into(),
                self.documents
                    .iter()
                    .map(|d| {
                        let mut dm = Map::new();
                        dm.insert("type".into(), d.doc_type.clone().into());
                        dm.insert("id".into(), d.id.clone().into());
                        Value::Object(dm)
                    })
                    .collect(),
            );
        }
        if !self.attributes.is_empty() {
            m.insert("attributes".into(), Value::Object(self.attributes.clone()));
        }
        for (k, v) in &self.extra {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
        m
    }

    /// Reads one event from the design's JSON format.
    ///
    /// ```
    /// use lottrack_core::{Event, Error};
    /// let ev = Event::from_json(r#"{"event_id":"E4","kind":"void","time":"2026-03-04T09:00:00+01:00","target":"E3"}"#).unwrap();
    /// assert_eq!(ev.body.kind(), "void");
    /// let err = Event::from_json(r#"{"event_id":"E5","kind":"ship","time":"2026-03-04T09:00:00+01:00"}"#).unwrap_err();
    /// assert!(matches!(err, Error::MissingField { .. }));
    /// ```
    pub fn from_json(json: &str) -> Result<Event> {
        // The common kinds are read directly; anything else, and every error,
        // goes through the JSON value below.
        if let Some(ev) = crate::json_read::read_event(json) {
            return Ok(ev);
        }
        let v: Value = serde_json::from_str(json).map_err(|e| Error::MalformedJson {
            message: e.to_string(),
        })?;
        Self::from_value(&v)
    }

    /// Reads one event from a JSON value.
    pub fn from_value(v: &Value) -> Result<Event> {
        let obj = v.as_object().ok_or_else(|| Error::MalformedJson {
            message: "an event must be a JSON object".into(),
        })?;
        let r = Reader {
            obj,
            id: String::new(),
        };
        let event_id = r.opt_str("event_id")?.unwrap_or_default();
        let r = Reader {
            obj,
            id: event_id.clone(),
        };
        let kind = r.str("kind")?;
        let time_s = r.str("time")?;
        let time = DateTime::parse_from_rfc3339(&time_s).map_err(|e| Error::InvalidTime {
            event_id: event_id.clone(),
            field: "time".into(),
            value: time_s.clone(),
            reason: e.to_string(),
        })?;
        let location = if kind == "location" {
            None
        } else {
            r.opt_str("location")?
        };
        let mut used: Vec<&str> = COMMON.to_vec();
        let body = match kind.as_str() {
            "receive" => {
                used.extend(LINE_FIELDS);
                used.extend(ATTR_FIELDS);
                used.push("supplier");
                EventBody::Receive {
                    item: r.line()?,
                    supplier: r.opt_str("supplier")?,
                    attrs: r.attrs()?,
                }
            }
            "transform" => {
                used.extend(["inputs", "outputs"]);
                let inputs = r.lines("inputs")?;
                let outs = r.array("outputs")?;
                let mut outputs = Vec::with_capacity(outs.len());
                for o in outs {
                    let om = o.as_object().ok_or_else(|| {
                        Error::field(&event_id, "outputs", "each output must be an object")
                    })?;
                    let or = Reader {
                        obj: om,
                        id: event_id.clone(),
                    };
                    outputs.push(Output {
                        item: or.line()?,
                        attrs: or.attrs()?,
                    });
                }
                EventBody::Transform { inputs, outputs }
            }
            "ship" => {
                used.extend(LINE_FIELDS);
                used.extend(["customer", "container"]);
                let item = match r.opt_str("container")? {
                    Some(c) if !r.obj.contains_key("lot") => ShipItem::Container(c),
                    _ => ShipItem::Lot(r.line()?),
                };
                EventBody::Ship {
                    item,
                    customer: r.opt_str("customer")?,
                }
            }
            "move" => {
                used.extend(LINE_FIELDS);
                used.extend(["from_location", "to_location"]);
                let from = match r.opt_str("from_location")? {
                    Some(f) => f,
                    None => location.clone().ok_or_else(|| Error::MissingField {
                        event_id: event_id.clone(),
                        field: "from_location".into(),
                    })?,
                };
                EventBody::Move {
                    item: r.line()?,
                    from_location: from,
                    to_location: r.str("to_location")?,
                }
            }
            "pack" | "unpack" => {
                used.extend(["container", "contents"]);
                let container = r.str("container")?;
                let contents = r.lines("contents")?;
                if kind == "pack" {
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
                used.extend(LINE_FIELDS);
                used.push("reason");
                let item = r.line()?;
                let reason = r.opt_str("reason")?;
                match kind.as_str() {
                    "adjust" => EventBody::Adjust { item, reason },
                    "dispose" => EventBody::Dispose { item, reason },
                    _ => EventBody::Consume { item, reason },
                }
            }
            "return" => {
                used.extend(LINE_FIELDS);
                used.push("customer");
                EventBody::Return {
                    item: r.line()?,
                    customer: r.opt_str("customer")?,
                }
            }
            "status" => {
                used.extend(["status", "lots", "reason"]);
                let s = r.str("status")?;
                let status = LotStatus::parse_or_err(&s, &event_id)?;
                let lots = r.keys("lots")?;
                EventBody::Status {
                    status,
                    lots,
                    reason: r.opt_str("reason")?,
                }
            }
            "void" => {
                used.extend(["target", "reason"]);
                EventBody::Void {
                    target: r.str("target")?,
                    reason: r.opt_str("reason")?,
                }
            }
            "product" => {
                used.extend([
                    "product",
                    "uom",
                    "conversions",
                    "description",
                    "inherit_expiry",
                    "yield_range",
                ]);
                let mut conversions = BTreeMap::new();
                if let Some(c) = obj.get("conversions") {
                    let cm = c.as_object().ok_or_else(|| {
                        Error::field(
                            &event_id,
                            "conversions",
                            "must be an object of unit -> factor",
                        )
                    })?;
                    for (unit, f) in cm {
                        let factor = decimal_of(f).filter(|d| *d > Decimal::ZERO).ok_or_else(
                            || {
                                Error::field(
                                    &event_id,
                                    "conversions",
                                    format!(
                                        "factor for `{unit}` must be a positive decimal, got {f}"
                                    ),
                                )
                            },
                        )?;
                        conversions.insert(unit.clone(), factor);
                    }
                }
                EventBody::Product {
                    product: r.str("product")?,
                    uom: r.str("uom")?,
                    conversions,
                    description: r.opt_str("description")?,
                    rules: r.rules()?,
                }
            }
            "mock_recall" => {
                used.extend(["lots", "result"]);
                let result = match obj.get("result") {
                    None | Some(Value::Null) => Map::new(),
                    Some(Value::Object(m)) => m.clone(),
                    Some(_) => return Err(Error::field(&event_id, "result", "must be an object")),
                };
                EventBody::MockRecall {
                    lots: r.keys("lots")?,
                    result,
                }
            }
            "party" => {
                used.extend(["party", "name", "role"]);
                EventBody::Party {
                    party: r.str("party")?,
                    name: r.opt_str("name")?,
                    role: r.opt_str("role")?,
                }
            }
            "location" => {
                used.extend(["location_id", "name", "party"]);
                let id = match r.opt_str("location")? {
                    Some(id) => id,
                    None => r.str("location_id")?,
                };
                EventBody::Location {
                    location: id,
                    name: r.opt_str("name")?,
                    party: r.opt_str("party")?,
                }
            }
            other => {
                return Err(Error::UnknownKind {
                    event_id,
                    kind: other.to_string(),
                });
            }
        };
        let mut documents = Vec::new();
        if let Some(d) = obj.get("documents") {
            let arr = d.as_array().ok_or_else(|| {
                Error::field(&event_id, "documents", "must be a list of {type, id}")
            })?;
            for doc in arr {
                let dm = doc.as_object().ok_or_else(|| {
                    Error::field(
                        &event_id,
                        "documents",
                        "each document must be an object {type, id}",
                    )
                })?;
                let dr = Reader {
                    obj: dm,
                    id: event_id.clone(),
                };
                documents.push(Document::new(&dr.str("type")?, &dr.str("id")?));
            }
        }
        let attributes = match obj.get("attributes") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(a)) => a.clone(),
            Some(_) => return Err(Error::field(&event_id, "attributes", "must be an object")),
        };
        let extra = obj
            .iter()
            .filter(|(k, _)| !used.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Event {
            event_id,
            time,
            location,
            documents,
            attributes,
            extra,
            body,
        })
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(s)
    }
}

const LINE_FIELDS: [&str; 4] = ["product", "lot", "quantity", "uom"];
const ATTR_FIELDS: [&str; 4] = ["expiry", "production_date", "supplier_lot", "origin"];

fn key_value(k: &LotKey) -> Value {
    let mut km = Map::new();
    km.insert("product".into(), (*k.product).into());
    km.insert("lot".into(), (*k.lot).into());
    Value::Object(km)
}

fn line_value(l: &LotQty) -> Value {
    let mut m = Map::new();
    put_line(&mut m, l);
    Value::Object(m)
}

fn put_line(m: &mut Map<String, Value>, l: &LotQty) {
    m.insert("product".into(), l.product.clone().into());
    m.insert("lot".into(), l.lot.clone().into());
    m.insert("quantity".into(), l.quantity.to_string().into());
    m.insert("uom".into(), l.uom.clone().into());
}

fn put_attrs(m: &mut Map<String, Value>, a: &LotAttrs) {
    if let Some(d) = a.expiry {
        m.insert("expiry".into(), d.to_string().into());
    }
    if let Some(d) = a.production_date {
        m.insert("production_date".into(), d.to_string().into());
    }
    opt(m, "supplier_lot", &a.supplier_lot);
    opt(m, "origin", &a.origin);
}

fn opt(m: &mut Map<String, Value>, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        m.insert(key.into(), v.clone().into());
    }
}

/// An exact decimal from a JSON string or number (numbers keep their digits).
pub(crate) fn decimal_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => parse_decimal(s),
        Value::Number(n) => parse_decimal(&n.to_string()),
        _ => None,
    }
}

struct Reader<'a> {
    obj: &'a Map<String, Value>,
    id: String,
}

impl Reader<'_> {
    fn opt_str(&self, field: &str) -> Result<Option<String>> {
        match self.obj.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::field(
                &self.id,
                field,
                format!("must be a string, got {other}"),
            )),
        }
    }

    fn str(&self, field: &str) -> Result<String> {
        self.opt_str(field)?.ok_or_else(|| Error::MissingField {
            event_id: self.id.clone(),
            field: field.to_string(),
        })
    }

    fn date(&self, field: &str) -> Result<Option<NaiveDate>> {
        match self.opt_str(field)? {
            None => Ok(None),
            Some(s) => crate::model::parse_date(&s, field)
                .map(Some)
                .map_err(|e| match e {
                    Error::InvalidField { field, reason, .. } => Error::InvalidField {
                        event_id: self.id.clone(),
                        field,
                        reason,
                    },
                    other => other,
                }),
        }
    }

    fn array(&self, field: &str) -> Result<&Vec<Value>> {
        match self.obj.get(field) {
            None | Some(Value::Null) => Err(Error::MissingField {
                event_id: self.id.clone(),
                field: field.to_string(),
            }),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(Error::field(&self.id, field, "must be a list")),
        }
    }

    fn line(&self) -> Result<LotQty> {
        let product = self.str("product")?;
        let lot = self.str("lot")?;
        let q = self
            .obj
            .get("quantity")
            .ok_or_else(|| Error::MissingField {
                event_id: self.id.clone(),
                field: "quantity".into(),
            })?;
        let quantity = decimal_of(q).ok_or_else(|| {
            Error::field(
                &self.id,
                "quantity",
                format!("{q} for lot (`{product}`, `{lot}`) is not a finite decimal"),
            )
        })?;
        let uom = self.str("uom")?;
        Ok(LotQty {
            product,
            lot,
            quantity,
            uom,
        })
    }

    fn lines(&self, field: &str) -> Result<Vec<LotQty>> {
        let mut out = Vec::new();
        for v in self.array(field)? {
            let m = v.as_object().ok_or_else(|| {
                Error::field(
                    &self.id,
                    field,
                    "each entry must be an object {product, lot, quantity, uom}",
                )
            })?;
            out.push(
                Reader {
                    obj: m,
                    id: self.id.clone(),
                }
                .line()?,
            );
        }
        Ok(out)
    }

    fn keys(&self, field: &str) -> Result<Vec<LotKey>> {
        let mut lots = Vec::new();
        for l in self.array(field)? {
            let lm = l.as_object().ok_or_else(|| {
                Error::field(
                    &self.id,
                    field,
                    "each lot must be an object with product and lot",
                )
            })?;
            let lr = Reader {
                obj: lm,
                id: self.id.clone(),
            };
            lots.push(LotKey::new(&lr.str("product")?, &lr.str("lot")?));
        }
        Ok(lots)
    }

    fn rules(&self) -> Result<ProductRules> {
        let inherit_expiry = match self.obj.get("inherit_expiry") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(0),
            Some(Value::Object(m)) => match m.get("margin_days") {
                None => Some(0),
                Some(v) => Some(v.as_i64().filter(|d| (0..=3650).contains(d)).ok_or_else(
                    || {
                        Error::field(
                            &self.id,
                            "inherit_expiry",
                            format!("margin_days must be a whole number of days 0..=3650, got {v}"),
                        )
                    },
                )?),
            },
            Some(other) => {
                return Err(Error::field(
                    &self.id,
                    "inherit_expiry",
                    format!("must be true or {{\"margin_days\": N}}, got {other}"),
                ));
            }
        };
        let yield_range = match self.obj.get("yield_range") {
            None | Some(Value::Null) => None,
            Some(Value::Array(a)) if a.len() == 2 => {
                let lo = decimal_of(&a[0]);
                let hi = decimal_of(&a[1]);
                match (lo, hi) {
                    (Some(lo), Some(hi)) if lo > Decimal::ZERO && lo <= hi => Some((lo, hi)),
                    _ => {
                        return Err(Error::field(
                            &self.id,
                            "yield_range",
                            "must be [low, high] with 0 < low <= high",
                        ));
                    }
                }
            }
            Some(_) => return Err(Error::field(&self.id, "yield_range", "must be [low, high]")),
        };
        Ok(ProductRules {
            inherit_expiry,
            yield_range,
        })
    }

    fn attrs(&self) -> Result<LotAttrs> {
        Ok(LotAttrs {
            expiry: self.date("expiry")?,
            production_date: self.date("production_date")?,
            supplier_lot: self.opt_str("supplier_lot")?,
            origin: self.opt_str("origin")?,
            expiry_source: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN: &[&str] = &[
        r#"{"event_id": "E1", "kind": "receive", "time": "2026-03-01T08:00:00+01:00", "location": "plant-1", "product": "spinach", "lot": "F-100", "quantity": "500", "uom": "kg", "supplier": "farm-a", "supplier_lot": "A-77", "expiry": "2026-03-15", "documents": [{"type": "po", "id": "PO-1"}]}"#,
        r#"{"event_id": "E2", "kind": "transform", "time": "2026-03-02T10:00:00+01:00", "location": "plant-1", "inputs":  [{"product": "spinach", "lot": "F-100", "quantity": "200", "uom": "kg"}], "outputs": [{"product": "salad", "lot": "S-1", "quantity": "400", "uom": "each", "expiry": "2026-03-09"}]}"#,
        r#"{"event_id": "E3", "kind": "ship", "time": "2026-03-03T06:00:00+01:00", "location": "plant-1", "product": "salad", "lot": "S-1", "quantity": "120", "uom": "each", "customer": "store-12", "documents": [{"type": "bol", "id": "B-9"}]}"#,
        r#"{"event_id": "E4", "kind": "void", "time": "2026-03-04T09:00:00+01:00", "target": "E3", "reason": "incorrect_data"}"#,
        r#"{"kind": "product", "event_id": "P1", "time": "2026-03-01T00:00:00Z", "product": "salad", "uom": "each", "conversions": {"case": "12"}}"#,
        r#"{"event_id":"M1","kind":"move","time":"2026-03-02T10:00:00+01:00","product":"salad","lot":"S-1","quantity":1.5,"uom":"each","from_location":"a","to_location":"b"}"#,
        r#"{"event_id":"K1","kind":"pack","time":"2026-03-02T10:00:00+01:00","location":"a","container":"SSCC-1","contents":[{"product":"salad","lot":"S-1","quantity":"10","uom":"each"}]}"#,
        r#"{"event_id":"S1","kind":"status","time":"2026-03-02T10:00:00+01:00","status":"hold","lots":[{"product":"salad","lot":"S-1"}]}"#,
        r#"{"event_id":"X1","kind":"ship","time":"2026-03-02T10:00:00+01:00","location":"a","container":"SSCC-1","customer":"c","custom_field":{"a":1}}"#,
    ];

    #[test]
    fn design_examples_round_trip() {
        for src in DESIGN {
            let ev = Event::from_json(src).expect(src);
            let again = Event::from_json(&ev.to_json()).expect("reparse");
            assert_eq!(ev, again, "{src}");
        }
    }

    #[test]
    fn identifiers_with_control_characters_are_refused_ascii_or_not() {
        let with_lot = |lot: &str| {
            let item = LotQty::new("rice", lot, "10", "kg").expect("line");
            Event::receive(
                parse_time("2026-03-01T08:00:00Z").expect("time"),
                "p1",
                item,
                None,
            )
            .with_id("E1")
        };
        for bad in [
            "a\u{0}b",
            "tab\there",
            "del\u{7f}",
            "é\u{85}next-line",
            "ü\u{9f}",
        ] {
            let err = with_lot(bad).check_identifiers().expect_err(bad);
            assert!(
                err.to_string().contains("control character"),
                "{bad:?}: {err}"
            );
        }
        for good in ["R-1", "Lot 7/B", "é-ü-ß", "ロット1", "a\u{a0}b"] {
            with_lot(good).check_identifiers().expect(good);
        }
    }

    #[test]
    fn numbers_are_exact_and_unknown_fields_kept() {
        let ev = Event::from_json(DESIGN[5]).expect("move");
        match &ev.body {
            EventBody::Move { item, .. } => assert_eq!(item.quantity.to_string(), "1.5"),
            other => panic!("unexpected {other:?}"),
        }
        let x = Event::from_json(DESIGN[8]).expect("ship");
        assert!(x.to_json().contains(r#""custom_field":{"a":1}"#));
    }

    #[test]
    fn errors_name_event_and_field() {
        let e = Event::from_json(
            r#"{"event_id":"E9","kind":"teleport","time":"2026-03-01T08:00:00Z"}"#,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "event E9: unknown event kind `teleport`");
        let e =
            Event::from_json(r#"{"event_id":"E9","kind":"ship","time":"yesterday"}"#).unwrap_err();
        assert!(matches!(e, Error::InvalidTime { .. }));
        assert!(e.to_string().contains("yesterday"));
        let e = Event::from_json(r#"{"event_id":"E9","kind":"ship","time":"2026-03-01T08:00:00"}"#)
            .unwrap_err();
        assert!(
            matches!(e, Error::InvalidTime { .. }),
            "naive time rejected"
        );
        let e = Event::from_json(
            r#"{"event_id":"E9","kind":"receive","time":"2026-03-01T08:00:00Z","product":"p","lot":"l","quantity":"abc","uom":"kg"}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "event E9: invalid field `quantity`: \"abc\" for lot (`p`, `l`) is not a finite decimal"
        );
        let e = Event::from_json(
            r#"{"event_id":"E9","kind":"receive","time":"2026-03-01T08:00:00Z","product":"p","lot":"l","quantity":"1","uom":"kg","expiry":"15/03/2026"}"#,
        )
        .unwrap_err();
        assert!(matches!(e, Error::InvalidField { ref field, .. } if field == "expiry"));
        let e = Event::from_json("[1]").unwrap_err();
        assert!(matches!(e, Error::MalformedJson { .. }));
    }

    #[test]
    fn kind_names_follow_their_index() {
        let t = "2026-03-01T08:00:00Z";
        let mut seen = Vec::new();
        for src in DESIGN {
            let ev = Event::from_json(src).expect(src);
            let v: Value = serde_json::from_str(src).expect(src);
            assert_eq!(Some(ev.body.kind()), v["kind"].as_str(), "{src}");
            seen.push(ev.body.kind_index());
        }
        for (kind, extra) in [
            ("party", r#","party":"c""#),
            ("location", r#","location_id":"l""#),
            ("mock_recall", r#","lots":[]"#),
            (
                "return",
                r#","product":"p","lot":"l","quantity":"1","uom":"kg""#,
            ),
            (
                "consume",
                r#","product":"p","lot":"l","quantity":"1","uom":"kg""#,
            ),
            (
                "dispose",
                r#","product":"p","lot":"l","quantity":"1","uom":"kg""#,
            ),
            (
                "adjust",
                r#","product":"p","lot":"l","quantity":"1","uom":"kg""#,
            ),
            ("unpack", r#","container":"c","contents":[]"#),
        ] {
            let src = format!(r#"{{"event_id":"K","kind":"{kind}","time":"{t}"{extra}}}"#);
            let ev = Event::from_json(&src).expect(&src);
            assert_eq!(ev.body.kind(), kind);
            seen.push(ev.body.kind_index());
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..16).collect::<Vec<u8>>(), "every kind covered");
    }

    #[test]
    fn dates_are_calendar_dates() {
        let ev = Event::from_json(DESIGN[0]).expect("receive");
        assert!(ev.to_json().contains(r#""expiry":"2026-03-15""#));
    }
}
