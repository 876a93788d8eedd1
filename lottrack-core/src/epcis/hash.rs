//! The CBV 2.0 EPCIS event hash ID (`ni:///sha-256;…?ver=CBV2.0`), computed exactly
//! as GS1's reference generator (the `epcis-event-hash-generator` package, 1.9.x)
//! computes it from an EPCIS 2.0 JSON(-LD) document.
//!
//! The reference turns an event into a "pre-hash string" — fields in a fixed order
//! (`eventType`, `eventTime` in UTC at millisecond precision, `eventTimeZoneOffset`,
//! EPC lists, quantity lists, `action`, `bizStep`, … ) with every identifier
//! normalized to a canonical GS1 Digital Link URI and every CBV value to its web
//! vocabulary URI, followed by all remaining fields (extensions) sorted — and hashes
//! it with SHA-256. This module is a line-by-line port of that algorithm, quirks
//! included, so that the IDs agree byte for byte:
//!
//! - bare CBV values anywhere in the event (not only in `bizStep` …) become web
//!   vocabulary URIs when exactly one CBV URI of the document ends with them
//!   (the reference does this after a JSON-LD expansion of the whole document);
//! - values that read as numbers are rewritten as Python prints them (`0614141` →
//!   `614141`, `1e3` → `1000`, integers beyond 2⁵³ rounded through a double);
//! - `bizTransactionList`, `sourceList` and `destinationList` are hashed among the
//!   trailing fields, each entry as written (`type` then the id, in document order);
//! - extension keys use the namespace of their prefix in the document's `@context`
//!   (`example:myField` → `{http://ns.example.com/epcis/}myField`).
//!
//! Where the reference fails instead of producing an ID, lottrack goes on as follows
//! (documented deviations): a `@context` term whose definition is an object is
//! skipped instead of crashing the whole document; a `bizTransactionList`,
//! `sourceList` or `destinationList` entry with a single key is hashed as that key
//! alone instead of failing the event. Events the reference cannot hash in any way
//! (an `Infinity` number, a time that rounds up to the next second at millisecond
//! precision) are reported as errors. Digits are ASCII digits (the reference also
//! accepts other Unicode digits).
//!
//! ```
//! use lottrack_core::epcis::hash::event_hash_ids;
//! let doc: serde_json::Value = serde_json::from_str(r#"{
//!   "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
//!   "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2013-06-04T14:59:02Z",
//!   "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventTime": "2013-06-08T14:58:56.591Z",
//!     "eventTimeZoneOffset": "+02:00", "action": "OBSERVE", "bizStep": "receiving",
//!     "epcList": ["urn:epc:id:sgtin:0614141.107346.2018"]}]}}"#).unwrap();
//! let ids = event_hash_ids(&doc);
//! assert!(ids[0].as_ref().unwrap().starts_with("ni:///sha-256;"));
//! assert!(ids[0].as_ref().unwrap().ends_with("?ver=CBV2.0"));
//! ```

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A node of the reference's "simple python object": (name, text, children), or a
/// pair of nodes (entries of source, destination and business transaction lists).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    T(String, String, Vec<Node>),
    Pair(Vec<Node>),
}

impl Node {
    fn t(name: &str, text: &str, children: Vec<Node>) -> Node {
        Node::T(name.to_string(), text.to_string(), children)
    }
    fn name(&self) -> Option<&str> {
        match self {
            Node::T(n, _, _) => Some(n),
            Node::Pair(_) => None,
        }
    }
    fn children_len(&self) -> usize {
        match self {
            Node::T(_, _, c) | Node::Pair(c) => c.len(),
        }
    }
}

/// The property order of the pre-hash string (the reference's `PROP_ORDER`).
struct Prop {
    name: &'static str,
    sub: &'static [Prop],
}

const fn p(name: &'static str) -> Prop {
    Prop { name, sub: &[] }
}

const QE: &[Prop] = &[Prop {
    name: "quantityElement",
    sub: &[p("epcClass"), p("quantity"), p("uom")],
}];
const EPC: &[Prop] = &[p("epc")];

const PROP_ORDER: &[Prop] = &[
    p("eventTime"),
    p("eventTimeZoneOffset"),
    p("certificationInfo"),
    p("parentID"),
    Prop {
        name: "epcList",
        sub: EPC,
    },
    Prop {
        name: "inputEPCList",
        sub: EPC,
    },
    Prop {
        name: "childEPCs",
        sub: EPC,
    },
    Prop {
        name: "quantityList",
        sub: QE,
    },
    Prop {
        name: "childQuantityList",
        sub: QE,
    },
    Prop {
        name: "inputQuantityList",
        sub: QE,
    },
    Prop {
        name: "outputEPCList",
        sub: EPC,
    },
    Prop {
        name: "outputQuantityList",
        sub: QE,
    },
    p("action"),
    p("transformationID"),
    p("bizStep"),
    p("disposition"),
    Prop {
        name: "persistentDisposition",
        sub: &[p("set"), p("unset")],
    },
    Prop {
        name: "readPoint",
        sub: &[p("id")],
    },
    Prop {
        name: "bizLocation",
        sub: &[p("id")],
    },
    // The reference's sub-order for these three never matches (it compares pairs
    // with names), so they always fall through to the trailing fields.
    p("bizTransactionList"),
    p("sourceList"),
    p("destinationList"),
    Prop {
        name: "sensorElementList",
        sub: &[Prop {
            name: "sensorElement",
            sub: &[
                Prop {
                    name: "sensorMetadata",
                    sub: &[
                        p("time"),
                        p("startTime"),
                        p("endTime"),
                        p("deviceID"),
                        p("deviceMetadata"),
                        p("rawData"),
                        p("dataProcessingMethod"),
                        p("bizRules"),
                    ],
                },
                Prop {
                    name: "sensorReport",
                    sub: &[
                        p("type"),
                        p("exception"),
                        p("deviceID"),
                        p("deviceMetadata"),
                        p("rawData"),
                        p("dataProcessingMethod"),
                        p("time"),
                        p("microorganism"),
                        p("chemicalSubstance"),
                        p("value"),
                        p("component"),
                        p("stringValue"),
                        p("booleanValue"),
                        p("hexBinaryValue"),
                        p("uriValue"),
                        p("minValue"),
                        p("maxValue"),
                        p("meanValue"),
                        p("sDev"),
                        p("percRank"),
                        p("percValue"),
                        p("uom"),
                        p("coordinateReferenceSystem"),
                    ],
                },
            ],
        }],
    },
];

const CBV: &str = "https://ref.gs1.org/cbv/";
const GS1VOC: &str = "https://gs1.org/voc/";

const BIZ_STEPS: &[&str] = &[
    "accepting",
    "arriving",
    "assembling",
    "collecting",
    "commissioning",
    "consigning",
    "creating_class_instance",
    "cycle_counting",
    "decommissioning",
    "departing",
    "destroying",
    "disassembling",
    "dispensing",
    "encoding",
    "entering_exiting",
    "holding",
    "inspecting",
    "installing",
    "killing",
    "loading",
    "other",
    "packing",
    "picking",
    "receiving",
    "removing",
    "repackaging",
    "repairing",
    "replacing",
    "reserving",
    "retail_selling",
    "sampling",
    "sensor_reporting",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
];
const DISPOSITIONS: &[&str] = &[
    "active",
    "available",
    "completeness_verified",
    "completeness_inferred",
    "conformant",
    "container_closed",
    "container_open",
    "damaged",
    "destroyed",
    "dispensed",
    "disposed",
    "encoded",
    "expired",
    "in_progress",
    "in_transit",
    "inactive",
    "mismatch_instance",
    "mismatch_class",
    "mismatch_quantity",
    "needs_replacement",
    "no_pedigree_match",
    "non_conformant",
    "non_sellable_other",
    "partially_dispensed",
    "recalled",
    "reserved",
    "retail_sold",
    "returned",
    "sellable_accessible",
    "sellable_not_accessible",
    "stolen",
    "unavailable",
    "unknown",
];
const SDT: &[&str] = &["owning_party", "possessing_party", "location"];
const BTT: &[&str] = &[
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
const ER: &[&str] = &["did_not_occur", "incorrect_data"];
const MEASUREMENTS: &[&str] = &[
    "AbsoluteHumidity",
    "AbsorbedDose",
    "AbsorbedDoseRate",
    "Acceleration",
    "Radioactivity",
    "Altitude",
    "AmountOfSubstance",
    "AmountOfSubstancePerUnitVolume",
    "Angle",
    "AngularAcceleration",
    "AngularMomentum",
    "AngularVelocity",
    "Area",
    "Capacitance",
    "Conductance",
    "Conductivity",
    "Count",
    "Density",
    "Dimensionless",
    "DoseEquivalent",
    "DoseEquivalentRate",
    "DynamicViscosity",
    "ElectricCharge",
    "ElectricCurrent",
    "ElectricCurrentDensity",
    "ElectricFieldStrength",
    "Energy",
    "Exposure",
    "Force",
    "Frequency",
    "Illuminance",
    "Inductance",
    "Irradiance",
    "KinematicViscosity",
    "Length",
    "LinearMomentum",
    "Luminance",
    "LuminousFlux",
    "LuminousIntensity",
    "MagneticFlux",
    "MagneticFluxDensity",
    "MagneticVectorPotential",
    "Mass",
    "MassConcentration",
    "MassFlowRate",
    "MassPerAreaTime",
    "MemoryCapacity",
    "MolalityOfSolute",
    "MolarEnergy",
    "MolarMass",
    "MolarVolume",
    "Power",
    "Pressure",
    "RadiantFlux",
    "RadiantIntensity",
    "RelativeHumidity",
    "Resistance",
    "Resistivity",
    "SolidAngle",
    "SpecificVolume",
    "Speed",
    "SurfaceDensity",
    "SurfaceTension",
    "Temperature",
    "Time",
    "Torque",
    "Voltage",
    "Volume",
    "VolumeFlowRate",
    "VolumeFraction",
    "VolumetricFlux",
    "Wavenumber",
];
const EXCEPTIONS: &[&str] = &["ALARM_CONDITION", "ERROR_CONDITION"];
const COMPONENTS: &[&str] = &[
    "x",
    "y",
    "z",
    "axial_distance",
    "azimuth",
    "height",
    "spherical_radius",
    "polar_angle",
    "elevation_angle",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "altitude",
];

/// The CBV 2.0 event hash ID of every event of an EPCIS document, in document
/// order (`Err` with a reason where the event cannot be hashed). The document
/// matters beyond the event: its `@context` prefixes and the CBV values of its
/// other events take part, as in the reference.
pub fn event_hash_ids(document: &Value) -> Vec<Result<String, String>> {
    event_pre_hashes(document)
        .into_iter()
        .map(|p| p.map(|s| hash_of(&s)))
        .collect()
}

/// The reference's pre-hash strings of every event of a document (for diagnosis).
///
/// ```
/// use lottrack_core::epcis::hash::event_pre_hashes;
/// let doc = serde_json::json!({"epcisBody": {"eventList": [{"type": "ObjectEvent",
///   "eventTime": "2005-04-03T20:33:31.116-06:00", "eventTimeZoneOffset": "-06:00",
///   "action": "OBSERVE", "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]}]}});
/// assert_eq!(event_pre_hashes(&doc)[0].as_deref().unwrap(),
///   "eventType=ObjectEventeventTime=2005-04-04T02:33:31.116ZeventTimeZoneOffset=-06:00\
///    epcListepc=https://id.gs1.org/01/10614141073464/21/2017action=OBSERVE");
/// ```
pub fn event_pre_hashes(document: &Value) -> Vec<Result<String, String>> {
    let events: Vec<&Value> = match document.pointer("/epcisBody/eventList") {
        Some(Value::Array(a)) => a.iter().collect(),
        _ => document
            .pointer("/epcisBody/event")
            .map(|e| vec![e])
            .unwrap_or_default(),
    };
    let vocab = expanded_vocabulary(document);
    let ns = namespaces(document.get("@context"), &vocab);
    events
        .into_iter()
        .map(|ev| {
            let ev = replace_bare(ev, &vocab);
            let node = deep_correction(json_to_py(&ev, &ns));
            pre_hash(node)
        })
        .collect()
}

/// `ni:///sha-256;<hex>?ver=CBV2.0` of a pre-hash string.
pub(crate) fn hash_of(pre: &str) -> String {
    let d = Sha256::digest(pre.as_bytes());
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("ni:///sha-256;{hex}?ver=CBV2.0")
}

// ---------------------------------------------------------------------------
// Bare CBV strings (the reference's JSON-LD expansion heuristics)

fn expand_term(v: &str, terms: &[&str], prefix: &str) -> String {
    if terms.contains(&v) {
        return format!("{prefix}{v}");
    }
    if let Some(r) = v.strip_prefix("cbv:") {
        return format!("{CBV}{r}");
    }
    if let Some(r) = v.strip_prefix("gs1:") {
        return format!("{GS1VOC}{r}");
    }
    v.to_string()
}

/// The CBV / GS1 vocabulary URIs the document's values expand to.
fn expanded_vocabulary(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect_vocab(doc, &mut out);
    out.retain(|v| {
        v.starts_with("https://ref.gs1.org/cbv") || v.starts_with("https://gs1.org/voc")
    });
    out
}

fn strings_of(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn collect_vocab(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| collect_vocab(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                let typed =
                    |x: &Value, terms: &[&str], prefix: &str, out: &mut BTreeSet<String>| {
                        for s in strings_of(x) {
                            out.insert(expand_term(s, terms, prefix));
                        }
                    };
                match k.as_str() {
                    "bizStep" => typed(x, BIZ_STEPS, &format!("{CBV}BizStep-"), out),
                    "disposition" => typed(x, DISPOSITIONS, &format!("{CBV}Disp-"), out),
                    "persistentDisposition" => {
                        for key in ["set", "unset"] {
                            if let Some(s) = x.get(key) {
                                typed(s, DISPOSITIONS, &format!("{CBV}Disp-"), out);
                            }
                        }
                    }
                    "sourceList" | "destinationList" | "bizTransactionList" => {
                        let (terms, prefix) = if k == "bizTransactionList" {
                            (BTT, format!("{CBV}BTT-"))
                        } else {
                            (SDT, format!("{CBV}SDT-"))
                        };
                        if let Value::Array(items) = x {
                            for it in items {
                                if let Some(t) = it.get("type") {
                                    typed(t, terms, &prefix, out);
                                }
                            }
                        }
                    }
                    "errorDeclaration" => {
                        if let Some(r) = x.get("reason") {
                            typed(r, ER, &format!("{CBV}ER-"), out);
                        }
                    }
                    "sensorReport" => {
                        let reports: Vec<&Value> = match x {
                            Value::Array(a) => a.iter().collect(),
                            other => vec![other],
                        };
                        for r in reports {
                            if let Some(t) = r.get("type") {
                                typed(t, MEASUREMENTS, GS1VOC, out);
                            }
                            if let Some(t) = r.get("exception") {
                                typed(t, EXCEPTIONS, GS1VOC, out);
                            }
                            if let Some(t) = r.get("component") {
                                typed(t, COMPONENTS, &format!("{CBV}Comp-"), out);
                            }
                        }
                    }
                    _ => {}
                }
                collect_vocab(x, out);
            }
        }
        _ => {}
    }
}

/// Replaces every string value that exactly one vocabulary URI ends with
/// (`-value` or `/value`) by that URI.
fn replace_bare(v: &Value, vocab: &BTreeSet<String>) -> Value {
    match v {
        Value::String(s) => {
            let dash = format!("-{s}");
            let slash = format!("/{s}");
            let mut m = vocab
                .iter()
                .filter(|x| x.ends_with(&dash) || x.ends_with(&slash));
            match (m.next(), m.next()) {
                (Some(one), None) => Value::String(one.clone()),
                _ => v.clone(),
            }
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| replace_bare(x, vocab)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), replace_bare(x, vocab)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Prefix → `{namespace}` from the context list's objects (string terms only).
fn namespaces(ctx: Option<&Value>, vocab: &BTreeSet<String>) -> HashMap<String, String> {
    let mut ns = HashMap::new();
    if let Some(Value::Array(items)) = ctx.map(|c| replace_bare(c, vocab)).as_ref() {
        for c in items {
            match c {
                Value::String(s) => {
                    ns.insert(s.clone(), format!("{{{s}}}"));
                }
                Value::Object(m) => {
                    for (k, v) in m {
                        if let Value::String(v) = v {
                            ns.insert(k.clone(), format!("{{{v}}}"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    ns
}

fn ns_replace(text: &str, is_value: bool, ns: &HashMap<String, String>) -> String {
    if let Some((pre, rest)) = text.split_once(':')
        && let Some(n) = ns.get(pre)
    {
        if is_value {
            return format!("{}{rest}", n.replace(['{', '}'], ""));
        }
        return format!("{n}{rest}");
    }
    text.to_string()
}

// ---------------------------------------------------------------------------
// JSON → simple object, and the JSON/XML model corrections

fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        Value::Number(n) => {
            let t = n.to_string();
            if t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                // A Python int prints its digits exactly.
                let neg = t.starts_with('-');
                let digits = t.trim_start_matches('-').trim_start_matches('0');
                match (neg, digits.is_empty()) {
                    (_, true) => "0".into(),
                    (true, false) => format!("-{digits}"),
                    (false, false) => digits.to_string(),
                }
            } else {
                t.parse::<f64>().map(py_float_repr).unwrap_or(t)
            }
        }
        other => other.to_string(),
    }
}

fn json_to_py(v: &Value, ns: &HashMap<String, String>) -> Node {
    const NO_SORT: [&str; 3] = ["bizTransaction", "source", "destination"];
    match v {
        Value::Array(items) => {
            let mut children: Vec<Node> = items.iter().map(|x| json_to_py(x, ns)).collect();
            let keep = items
                .iter()
                .any(|x| x.as_str().is_some_and(|s| NO_SORT.contains(&s)));
            if !keep {
                children.sort();
            }
            Node::T(String::new(), String::new(), children)
        }
        Value::Object(m) => {
            let name = m.get("type").map(py_str).unwrap_or_default();
            let text = m.get("#text").map(py_str).unwrap_or_default();
            let mut children = Vec::new();
            for (key, val) in m {
                if matches!(key.as_str(), "#text" | "rdfs:comment" | "comment")
                    || key.starts_with("@xmlns")
                {
                    continue;
                }
                let child = json_to_py(val, ns);
                let key = ns_replace(key, false, ns);
                let Node::T(_, ctext, cchildren) = child else {
                    continue;
                };
                if val.is_array() {
                    for el in cchildren {
                        if let Node::T(_, et, ec) = el {
                            children.push(Node::T(key.clone(), et, ec));
                        }
                    }
                } else {
                    children.push(Node::T(key, ctext, cchildren));
                }
            }
            if !NO_SORT.iter().any(|k| m.contains_key(*k)) {
                children.sort();
            }
            Node::T(name, text, children)
        }
        Value::String(s) => Node::t("", &ns_replace(s, true, ns), Vec::new()),
        other => Node::t("", &py_str(other), Vec::new()),
    }
}

fn deep_correction(node: Node) -> Node {
    let Node::T(name, text, mut children) = node else {
        return node;
    };
    let mut lists: Vec<(String, Vec<Node>)> = Vec::new();
    let mut rest = Vec::new();
    for c in children.drain(..) {
        match &c {
            Node::T(n, t, ch) if n.ends_with("List") => {
                let item = Node::T(n[..n.len() - 4].to_string(), t.clone(), ch.clone());
                match lists.iter_mut().find(|(l, _)| l == n) {
                    Some((_, v)) => v.push(item),
                    None => lists.push((n.clone(), vec![item])),
                }
            }
            _ => rest.push(c),
        }
    }
    children = rest;
    for (list_name, items) in lists {
        if matches!(
            list_name.as_str(),
            "sourceList" | "destinationList" | "bizTransactionList"
        ) {
            let pairs = items
                .into_iter()
                .map(|e| match e {
                    Node::T(_, _, ch) => Node::Pair(ch.into_iter().take(2).collect()),
                    other => other,
                })
                .collect();
            children.push(Node::T(list_name, String::new(), pairs));
        } else {
            children.push(Node::T(list_name, String::new(), items));
        }
    }
    let mut epcs = Vec::new();
    children.retain(|c| match c {
        Node::T(n, t, _) if n == "childEPCs" => {
            epcs.push(Node::t("epc", t, Vec::new()));
            false
        }
        _ => true,
    });
    if !epcs.is_empty() {
        children.push(Node::t("childEPCs", "", epcs));
    }
    let corrected = children
        .into_iter()
        .map(|c| match c.name() {
            Some("sourceList" | "destinationList" | "bizTransactionList") => c,
            _ => deep_correction(c),
        })
        .collect::<Vec<_>>();
    let name = match name.as_str() {
        "inputEPC" | "outputEPC" => "epc".to_string(),
        "inputQuantity" | "outputQuantity" | "childQuantity" => "quantityElement".to_string(),
        "quantity" if !corrected.is_empty() => "quantityElement".to_string(),
        _ => name,
    };
    Node::T(name, text, corrected)
}

// ---------------------------------------------------------------------------
// The pre-hash string

fn pre_hash(event: Node) -> Result<String, String> {
    let Node::T(name, _, mut children) = event else {
        return Err("an event must be an object".into());
    };
    let ordered = recurse_in_order(&mut children, PROP_ORDER)?;
    children.retain(|c| {
        !matches!(
            c.name(),
            Some("recordTime" | "eventID" | "type" | "errorDeclaration")
        )
    });
    let rest = if children.is_empty() {
        String::new()
    } else {
        generic(&children)?
    };
    Ok(format!("eventType={name}{ordered}{rest}"))
}

fn gather_user_extensions(list: &mut Vec<Node>) -> Vec<Node> {
    if list.len() <= 1 {
        return Vec::new();
    }
    if list.iter().any(|c| {
        c.name()
            .is_some_and(|n| n.contains("eventTime") || n.contains("action"))
    }) {
        return Vec::new();
    }
    let mut ext = Vec::new();
    list.retain(|c| match c.name() {
        Some(n) if n.contains('{') && n.contains("/}") => {
            ext.push(c.clone());
            false
        }
        _ => true,
    });
    ext
}

fn recurse_in_order(list: &mut Vec<Node>, order: &[Prop]) -> Result<String, String> {
    let mut pre = String::new();
    let ext = gather_user_extensions(list);
    for prop in order {
        let mut values = Vec::new();
        for c in list.iter_mut() {
            if c.name() == Some(prop.name) {
                let s = child_pre_hash(c, prop.sub)?;
                if !s.is_empty() {
                    values.push(s);
                }
            }
        }
        list.retain(|c| !(c.name() == Some(prop.name) && c.children_len() == 0));
        values.sort();
        if !values.concat().is_empty() {
            if !pre.is_empty() {
                values.insert(0, pre);
            }
            pre = values.concat();
        }
    }
    if !ext.is_empty() {
        pre.push_str(&generic(&ext)?);
    }
    Ok(pre)
}

fn child_pre_hash(child: &mut Node, sub: &[Prop]) -> Result<String, String> {
    let Node::T(name, text, children) = child else {
        return Ok(String::new());
    };
    let grand = if sub.is_empty() {
        String::new()
    } else {
        recurse_in_order(children, sub)?
    };
    let mut t = String::new();
    if !text.is_empty() {
        let lower = name.to_lowercase();
        t = text.trim().to_string();
        t = if lower.contains("time") && !lower.contains("offset") {
            fix_timestamp(&t)?
        } else {
            canonize(&t)?
        };
        if !t.is_empty() {
            t = format!("={t}");
        }
    }
    if !t.is_empty() || !grand.is_empty() {
        return Ok(format!("{name}{t}{grand}"));
    }
    Ok(String::new())
}

fn generic(children: &[Node]) -> Result<String, String> {
    let mut values = Vec::new();
    for c in children {
        match c {
            Node::Pair(items) => values.push(generic(items)?),
            Node::T(name, text, ch) => {
                let mut t = text.trim().to_string();
                if !t.is_empty() {
                    t = format!("={}", canonize(&t)?);
                }
                values.push(format!("{name}{t}{}", generic(ch)?));
            }
        }
    }
    let sort = children.len() > 1
        && !children
            .iter()
            .any(|c| matches!(c.name(), Some("bizTransaction" | "source" | "destination")));
    if sort {
        values.sort();
    }
    Ok(values.concat())
}

// ---------------------------------------------------------------------------
// Value canonization

fn canonize(text: &str) -> Result<String, String> {
    let t = text
        .replace(
            "urn:epcglobal:cbv:bizstep:",
            "https://ref.gs1.org/cbv/BizStep-",
        )
        .replace("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-")
        .replace("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-")
        .replace("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-")
        .replace("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-");
    let t = format_numeric(&t)?;
    Ok(dl_normalise(&t).unwrap_or(t))
}

/// Python's `float(text)`: `None` when it is not a float literal.
fn py_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let (sign, body) = match t.as_bytes().first() {
        Some(b'+') => (1.0, &t[1..]),
        Some(b'-') => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    // digits with single underscores between digits, optional fraction, exponent
    let b = body.as_bytes();
    let mut clean = String::with_capacity(b.len());
    let mut i = 0;
    let mut digits = 0;
    let digit_run = |i: &mut usize, clean: &mut String| -> usize {
        let mut n = 0;
        while *i < b.len() {
            if b[*i].is_ascii_digit() {
                clean.push(b[*i] as char);
                n += 1;
                *i += 1;
            } else if b[*i] == b'_' && n > 0 && b.get(*i + 1).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            } else {
                break;
            }
        }
        n
    };
    digits += digit_run(&mut i, &mut clean);
    if i < b.len() && b[i] == b'.' {
        clean.push('.');
        i += 1;
        digits += digit_run(&mut i, &mut clean);
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        clean.push('e');
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            clean.push(b[i] as char);
            i += 1;
        }
        if digit_run(&mut i, &mut clean) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    clean.parse::<f64>().ok().map(|x| sign * x)
}

/// The reference's `_try_format_numeric`.
fn format_numeric(text: &str) -> Result<String, String> {
    let Some(x) = py_float(text) else {
        return Ok(text.to_string());
    };
    if x.is_nan() {
        return Ok(text.to_string());
    }
    if x.is_infinite() {
        return Err(format!(
            "the value `{text}` is infinite, which the reference hash generator cannot hash"
        ));
    }
    if x == x.trunc() {
        return Ok(f64_integer_string(x));
    }
    Ok(py_float_repr(x))
}

/// The exact decimal digits of an integral double (Python's `str(int(x))`).
fn f64_integer_string(x: f64) -> String {
    let neg = x < 0.0;
    let bits = x.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mant, e2) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let digits = if e2 >= 0 {
        // mant * 2^e2 in base 1e9 limbs
        let mut limbs: Vec<u64> = vec![mant % 1_000_000_000, mant / 1_000_000_000];
        for _ in 0..e2 {
            let mut carry = 0;
            for l in limbs.iter_mut() {
                let v = *l * 2 + carry;
                *l = v % 1_000_000_000;
                carry = v / 1_000_000_000;
            }
            if carry > 0 {
                limbs.push(carry);
            }
        }
        while limbs.len() > 1 && limbs.last() == Some(&0) {
            limbs.pop();
        }
        let mut s = limbs.last().map(|l| l.to_string()).unwrap_or_default();
        for l in limbs.iter().rev().skip(1) {
            s.push_str(&format!("{l:09}"));
        }
        s
    } else {
        let shift = (-e2) as u32;
        if shift >= 64 { 0 } else { mant >> shift }.to_string()
    };
    if neg && digits != "0" {
        format!("-{digits}")
    } else {
        digits
    }
}

/// Python's `repr(float)`.
fn py_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let e = format!("{:e}", x.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let decpt = exp + 1;
    let n = digits.len() as i64;
    if decpt <= -4 || decpt > 16 {
        let (first, rest) = digits.split_at(1);
        let m = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let es = if exp < 0 { "-" } else { "+" };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    if decpt <= 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize));
    }
    if decpt >= n {
        return format!("{sign}{digits}{}.0", "0".repeat((decpt - n) as usize));
    }
    let (a, b) = digits.split_at(decpt as usize);
    format!("{sign}{a}.{b}")
}

/// The reference's time format: UTC, milliseconds rounded half to even, `Z`.
fn fix_timestamp(text: &str) -> Result<String, String> {
    use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};
    let t = text.trim();
    let parsed = DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            // Offsets without a colon, or a space for the `T`.
            let t2 = t.replacen(' ', "T", 1);
            DateTime::parse_from_str(&t2, "%Y-%m-%dT%H:%M:%S%.f%z")
                .map(|d| d.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    NaiveDateTime::parse_from_str(&t2, "%Y-%m-%dT%H:%M:%S%.f")
                        .ok()
                        .map(|n| Utc.from_utc_datetime(&n))
                })
        });
    let Some(d) = parsed else {
        return Ok(text.to_string());
    };
    let micros = d.nanosecond() / 1000 % 1_000_000;
    let (q, r) = (micros / 1000, micros % 1000);
    let ms = if r > 500 || (r == 500 && q % 2 == 1) {
        q + 1
    } else {
        q
    };
    if ms >= 1000 {
        return Err(format!(
            "the time `{text}` rounds to the next second at millisecond precision, which the reference hash generator cannot hash"
        ));
    }
    Ok(format!("{}.{ms:03}Z", d.format("%Y-%m-%dT%H:%M:%S")))
}

// ---------------------------------------------------------------------------
// The reference's GS1 Digital Link normaliser

fn check(digits: &str) -> String {
    super::epc::gs1_check_digit(digits)
        .map(|c| c.to_string())
        .unwrap_or_default()
}

fn web_enc(s: &str) -> String {
    s.replace('!', "%21")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('*', "%2A")
        .replace('+', "%2B")
        .replace(',', "%2C")
        .replace(':', "%3A")
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Counts the reference's EPC URI characters (percent-escapes count as one); `None`
/// when `s` is not made of them.
fn epc_char_count(s: &str, cpi: bool) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let (h, l) = (*b.get(i + 1)?, *b.get(i + 2)?);
            let ok = if cpi {
                match h {
                    b'2' => matches!(l, b'3' | b'd' | b'f' | b'D' | b'F'),
                    b'3' => l.is_ascii_digit(),
                    b'4' => matches!(l, b'1'..=b'9' | b'A'..=b'F' | b'a'..=b'f'),
                    b'5' => matches!(l, b'0'..=b'9' | b'A' | b'a'),
                    _ => false,
                }
            } else {
                match h {
                    b'2' => matches!(l, b'1' | b'2' | b'5'..=b'9' | b'A'..=b'F' | b'a'..=b'f'),
                    b'3' => is_hex(l),
                    b'4' => matches!(l, b'1'..=b'9' | b'A'..=b'F' | b'a'..=b'f'),
                    b'5' => matches!(l, b'0'..=b'9' | b'A' | b'a' | b'F' | b'f'),
                    b'6' => matches!(l, b'1'..=b'9' | b'A'..=b'F' | b'a'..=b'f'),
                    b'7' => matches!(l, b'0'..=b'9' | b'A' | b'a'),
                    _ => false,
                }
            };
            if !ok {
                return None;
            }
            i += 3;
        } else {
            let c = b[i];
            let ok = if cpi {
                c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'-'
            } else {
                c.is_ascii_alphanumeric() || b"!')(*+,.:;=_-".contains(&c)
            };
            if !ok {
                return None;
            }
            i += 1;
        }
        n += 1;
    }
    Some(n)
}

fn epc_chars(s: &str, min: usize, max: usize) -> bool {
    epc_char_count(s, false).is_some_and(|n| (min..=max).contains(&n))
}

fn digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Matches `CP.REF` at the start of `body` (CP 6–12 digits, REF `total − CP` digits;
/// with a 12-digit prefix the group is `CP` + `twelve`). Returns (CP, REF, rest).
fn key_group<'a>(body: &'a str, total: usize, twelve: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let dot = body.find('.')?;
    let cp = &body[..dot];
    if !(6..=12).contains(&cp.len()) || !digits(cp) {
        return None;
    }
    if cp.len() == 12 && total <= 12 {
        let rest = body[12..].strip_prefix(twelve)?;
        return Some((cp, "", rest));
    }
    let rl = total.checked_sub(cp.len())?;
    let rf = body.get(dot + 1..dot + 1 + rl)?;
    if rf.len() != rl || !digits(rf) {
        return None;
    }
    Some((cp, rf, &body[dot + 1 + rl..]))
}

fn gtin_from(cp: &str, ir: &str) -> String {
    let raw = format!("{}{cp}{}", &ir[..1.min(ir.len())], &ir[1.min(ir.len())..]);
    format!("{raw}{}", check(&raw))
}

fn slice(s: &str, from: usize, to: Option<usize>) -> &str {
    let to = to.unwrap_or(s.len()).min(s.len());
    s.get(from.min(to)..to).unwrap_or("")
}

/// The reference's `normaliser`: any EPC URI / GS1 Digital Link to its canonical
/// Digital Link, `None` when it is not one.
fn dl_normalise(uri: &str) -> Option<String> {
    let partition = uri.find('.')?;
    let dl = "https://id.gs1.org/";
    if let Some(body) = uri.strip_prefix("urn:epc:id:sgtin:") {
        let (cp, ir, rest) = key_group(body, 13, "")?;
        let serial = rest.strip_prefix('.')?;
        if !epc_chars(serial, 1, 20) {
            return None;
        }
        return Some(format!(
            "{dl}01/{}/21/{}",
            gtin_from(cp, ir),
            web_enc(slice(uri, 32, None))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:sscc:") {
        let (cp, _, rest) = key_group(body, 17, "")?;
        if !rest.is_empty() {
            return None;
        }
        let raw = format!(
            "{}{cp}{}",
            slice(uri, partition + 1, Some(partition + 2)),
            slice(uri, partition + 2, None)
        );
        return Some(format!("{dl}00/{raw}{}", check(&raw)));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:sgln:") {
        let (cp, lr, rest) = key_group(body, 12, ".")?;
        let ext = rest.strip_prefix('.')?;
        if !epc_chars(ext, 1, 20) {
            return None;
        }
        let raw = format!("{cp}{lr}");
        let ext = slice(uri, 30, None);
        return Some(if ext == "0" {
            format!("{dl}414/{raw}{}", check(&raw))
        } else {
            format!("{dl}414/{raw}{}/254/{}", check(&raw), web_enc(ext))
        });
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:grai:") {
        let (cp, ar, rest) = key_group(body, 12, "..")?;
        let serial = rest.strip_prefix('.')?;
        if !epc_chars(serial, 1, 16) {
            return None;
        }
        let raw = format!("0{cp}{ar}");
        return Some(format!(
            "{dl}8003/{raw}{}{}",
            check(&raw),
            web_enc(slice(uri, 30, None))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:giai:") {
        let (cp, rest) = body.split_once('.')?;
        if !(6..=12).contains(&cp.len()) || !digits(cp) || !epc_chars(rest, 1, 30 - cp.len()) {
            return None;
        }
        return Some(format!("{dl}8004/{cp}{}", web_enc(rest)));
    }
    for (prefix, ai) in [("urn:epc:id:gsrn:", "8018"), ("urn:epc:id:gsrnp:", "8017")] {
        if let Some(body) = uri.strip_prefix(prefix) {
            let (cp, rf, rest) = key_group(body, 17, "")?;
            if !rest.is_empty() {
                return None;
            }
            let raw = format!("{cp}{rf}");
            return Some(format!("{dl}{ai}/{raw}{}", check(&raw)));
        }
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:gdti:") {
        let (cp, dt, rest) = key_group(body, 12, "..")?;
        if !epc_chars(rest, 1, 20) {
            return None;
        }
        let raw = format!("{cp}{dt}");
        return Some(format!(
            "{dl}253/{raw}{}{}",
            check(&raw),
            web_enc(slice(uri, 30, None))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:cpi:") {
        let (cp, rest) = body.split_once('.')?;
        let (cpref, serial) = rest.split_once('.')?;
        if !(6..=12).contains(&cp.len())
            || !digits(cp)
            || !epc_char_count(cpref, true).is_some_and(|n| (1..=30 - cp.len()).contains(&n))
            || serial.is_empty()
            || serial.len() > 12
            || !digits(serial)
        {
            return None;
        }
        return Some(format!(
            "{dl}8010/{}/8011/{serial}",
            web_enc(&format!("{cp}{cpref}"))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:sgcn:") {
        let (cp, cr, rest) = key_group(body, 12, ".")?;
        let serial = rest.strip_prefix('.')?;
        if serial.is_empty() || serial.len() > 12 || !digits(serial) {
            return None;
        }
        let raw = format!("{cp}{cr}");
        return Some(format!(
            "{dl}255/{raw}{}{}",
            check(&raw),
            slice(uri, 30, None)
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:ginc:") {
        let (cp, rest) = body.split_once('.')?;
        if !(6..=12).contains(&cp.len()) || !digits(cp) || !epc_chars(rest, 1, 30 - cp.len()) {
            return None;
        }
        return Some(format!("{dl}401/{cp}{}", web_enc(rest)));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:gsin:") {
        let (cp, rf, rest) = key_group(body, 16, "")?;
        if !rest.is_empty() {
            return None;
        }
        let raw = format!("{cp}{rf}");
        return Some(format!("{dl}402/{raw}{}", check(&raw)));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:itip:") {
        let (cp, ir, rest) = key_group(body, 13, "")?;
        let rb = rest.as_bytes();
        if rb.len() < 8
            || rb[0] != b'.'
            || !digits(&rest[1..3])
            || rb[3] != b'.'
            || !digits(&rest[4..6])
            || rb[6] != b'.'
            || !epc_chars(&rest[7..], 1, 20)
        {
            return None;
        }
        return Some(format!(
            "{dl}8006/{}{}{}/21/{}",
            gtin_from(cp, ir),
            slice(uri, 31, Some(33)),
            slice(uri, 34, Some(36)),
            web_enc(slice(uri, 37, None))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:upui:") {
        let (cp, ir, rest) = key_group(body, 13, "")?;
        let serial = rest.strip_prefix('.')?;
        if !epc_chars(serial, 1, 28) {
            return None;
        }
        return Some(format!(
            "{dl}01/{}/235/{}",
            gtin_from(cp, ir),
            web_enc(slice(uri, 31, None))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:id:pgln:") {
        let (cp, pr, rest) = key_group(body, 12, ".")?;
        if !rest.is_empty() {
            return None;
        }
        let raw = format!("{cp}{pr}");
        return Some(format!("{dl}417/{raw}{}", check(&raw)));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:class:lgtin:") {
        let (cp, ir, rest) = key_group(body, 13, "")?;
        let lot = rest.strip_prefix('.')?;
        if !epc_chars(lot, 1, 20) {
            return None;
        }
        return Some(format!(
            "{dl}01/{}/10/{}",
            gtin_from(cp, ir),
            web_enc(slice(uri, 35, None))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:idpat:sgtin:") {
        let (cp, ir, rest) = key_group(body, 13, "")?;
        return (rest == ".*").then(|| format!("{dl}01/{}", gtin_from(cp, ir)));
    }
    for (prefix, ai, lead) in [
        ("urn:epc:idpat:grai:", "8003", "0"),
        ("urn:epc:idpat:gdti:", "253", ""),
        ("urn:epc:idpat:sgcn:", "255", ""),
    ] {
        if let Some(body) = uri.strip_prefix(prefix) {
            let (cp, rf, rest) = key_group(body, 12, "..")?;
            if rest != ".*" {
                return None;
            }
            let raw = format!("{lead}{cp}{rf}");
            return Some(format!("{dl}{ai}/{raw}{}", check(&raw)));
        }
    }
    if let Some(body) = uri.strip_prefix("urn:epc:idpat:cpi:") {
        let (cp, rest) = body.split_once('.')?;
        let cpref = rest.strip_suffix(".*")?;
        if !(6..=12).contains(&cp.len())
            || !digits(cp)
            || !epc_char_count(cpref, true).is_some_and(|n| (1..=30 - cp.len()).contains(&n))
        {
            return None;
        }
        return Some(format!("{dl}8010/{}", web_enc(&format!("{cp}{cpref}"))));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:idpat:itip:") {
        let (cp, ir, rest) = key_group(body, 13, "")?;
        let rb = rest.as_bytes();
        if rb.len() != 8
            || rb[0] != b'.'
            || !digits(&rest[1..3])
            || rb[3] != b'.'
            || !digits(&rest[4..6])
            || &rest[6..] != ".*"
        {
            return None;
        }
        return Some(format!(
            "{dl}8006/{}{}{}",
            gtin_from(cp, ir),
            slice(uri, 34, Some(36)),
            slice(uri, 37, Some(39))
        ));
    }
    if let Some(body) = uri.strip_prefix("urn:epc:idpat:upui:") {
        let (cp, ir, rest) = key_group(body, 13, "")?;
        return (rest == ".*").then(|| format!("{dl}01/{}", gtin_from(cp, ir)));
    }
    normalise_digital_link(uri)
}

const DL_KEYS: &[&str] = &[
    "01", "gtin", "8006", "itip", "8010", "cpid", "414", "gln", "417", "party", "8017", "gsrnp",
    "8018", "gsrn", "255", "gcn", "00", "sscc", "253", "gdti", "401", "ginc", "402", "gsin",
    "8003", "grai", "8004", "giai",
];
const CANON_KEYS: &[&str] = &[
    "01", "8006", "8010", "414", "417", "8017", "8018", "255", "00", "253", "401", "402", "8003",
    "8004",
];

/// `/<key>/dddd<not slash>` at the start of `s`.
fn key_segment(s: &str, keys: &[&str]) -> bool {
    let Some(r) = s.strip_prefix('/') else {
        return false;
    };
    keys.iter().any(|k| {
        r.strip_prefix(k)
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|r| {
                let b = r.as_bytes();
                b.len() >= 5
                    && b[..4].iter().all(u8::is_ascii_digit)
                    && r[4..].chars().next().is_some_and(|c| c != '/')
            })
    })
}

/// `https://id?gs1?org/` (the reference's unescaped dots match any character);
/// returns what follows.
fn canon_domain(uri: &str) -> Option<&str> {
    let r = uri.strip_prefix("https://id")?;
    let mut it = r.char_indices();
    it.next()?;
    let (i, _) = it.next()?;
    let r = r[i..].strip_prefix("gs1")?;
    let mut it = r.char_indices();
    it.next()?;
    let (i, _) = it.next()?;
    r[i..].strip_prefix("org/")
}

fn cs(s: &str, max: usize) -> bool {
    s.len() <= max
        && s.bytes().all(|b| {
            matches!(b, 0x22 | 0x27 | 0x2D | 0x2E | 0x30..=0x39 | 0x3B..=0x3F | 0x41..=0x5A | 0x5F | 0x61..=0x7A)
        })
}

fn n_digits(s: &str, n: usize) -> bool {
    s.len() == n && digits(s)
}

fn normalise_digital_link(uri: &str) -> Option<String> {
    let rest = uri
        .strip_prefix("https:")
        .or_else(|| uri.strip_prefix("http:"))?;
    // The gate: some "/<key>/dddd…" before any '?' or '#'.
    let gate = rest
        .char_indices()
        .any(|(j, _)| !rest[..j].contains(['?', '#']) && key_segment(&rest[j..], DL_KEYS));
    if !gate {
        return None;
    }
    let mut uri = match uri.find('?') {
        Some(q) => uri[..q].to_string(),
        None => uri.to_string(),
    };
    for (short, ai) in [
        ("/gtin/", "/01/"),
        ("/itip/", "/8006/"),
        ("/cpid/", "/8010/"),
        ("/gln/", "/414/"),
        ("/party/", "/417/"),
        ("/gsrnp/", "/8017/"),
        ("/gsrn/", "/8018/"),
        ("/gcn/", "/255/"),
        ("/sscc/", "/00/"),
        ("/gdti/", "/253/"),
        ("/ginc/", "/401/"),
        ("/gsin/", "/402/"),
        ("/grai/", "/8003/"),
        ("/giai/", "/8004/"),
        ("/cpv/", "/22/"),
        ("/lot/", "/10/"),
        ("/ser/", "/21/"),
    ] {
        uri = uri.replace(short, ai);
    }
    let canonical = canon_domain(&uri).is_some_and(|r| key_segment(&format!("/{r}"), CANON_KEYS));
    if !canonical {
        for k in [
            "/00/", "/01/", "/253/", "/255/", "/401/", "/402/", "/414/", "/417/", "/8003/",
            "/8004/", "/8006/", "/8010/", "/8017/", "/8018/",
        ] {
            if let Some(i) = uri.find(k) {
                uri = format!("https://id.gs1.org{}", &uri[i..]);
                break;
            }
        }
    }
    // GTIN padding
    let lead_digits = |u: &str| -> usize {
        canon_domain(u)
            .and_then(|r| r.strip_prefix("01/"))
            .map(|r| r.bytes().take_while(u8::is_ascii_digit).count())
            .unwrap_or(0)
    };
    let n = lead_digits(&uri);
    if n < 14 {
        if n >= 13 {
            uri = uri.replace("/01/", "/01/0");
        } else if n >= 12 {
            uri = uri.replace("/01/", "/01/00");
        } else if n >= 8 {
            uri = uri.replace("/01/", "/01/000000");
        }
    }
    // CPV removal
    let x = {
        let i = uri.find("/22/").map(|i| i as isize).unwrap_or(-1) + 4;
        uri.get(i as usize..).unwrap_or("").to_string()
    };
    let cpv_at_end = |u: &str, extra_slash: bool| -> bool {
        let Some(r) = canon_domain(u) else {
            return false;
        };
        let tail = if let Some(t) = r.strip_prefix("8006/") {
            (t.len() >= 22 && n_digits(&t[..18], 18)).then(|| &t[18..])
        } else if let Some(t) = r.strip_prefix("01/") {
            (t.len() >= 18 && n_digits(&t[..14], 14)).then(|| &t[14..])
        } else {
            None
        };
        tail.and_then(|t| t.strip_prefix("/22/")).is_some_and(|v| {
            v.len() <= 20
                && v.bytes().all(|b| {
                    (extra_slash && b == b'/') || cs(std::str::from_utf8(&[b]).unwrap_or("%"), 1)
                })
        })
    };
    if cpv_at_end(&uri, false)
        && let Some(i) = uri.find("/22/")
    {
        let tail = match x.find('/') {
            Some(j) => x.get(j..x.len().saturating_sub(1)).unwrap_or(""),
            None => "",
        };
        uri = format!("{}{tail}", &uri[..i]);
    }
    if cpv_at_end(&uri, true)
        && let Some(i) = uri.find("/22/")
    {
        let tail = match x.find('/') {
            Some(j) => &x[j..],
            None => x.get(x.len().saturating_sub(1)..).unwrap_or(""),
        };
        uri = format!("{}{tail}", &uri[..i]);
    }
    // Lowest granularity: drop the lot when a serial is present.
    let lot_and_serial = canon_domain(&uri).is_some_and(|r| {
        let t = if let Some(t) = r.strip_prefix("8006/") {
            (t.len() >= 18 && n_digits(&t[..18], 18)).then(|| &t[18..])
        } else if let Some(t) = r.strip_prefix("01/") {
            (t.len() >= 14 && n_digits(&t[..14], 14)).then(|| &t[14..])
        } else {
            None
        };
        t.and_then(|t| t.strip_prefix("/10/"))
            .and_then(|t| t.split_once("/21/"))
            .is_some_and(|(l, s)| cs(l, 20) && cs(s, 20))
    });
    if lot_and_serial && let Some(i) = uri.find("/10/") {
        let y = &uri[i + 4..];
        let tail = match y.find('/') {
            Some(j) => y[j..].to_string(),
            None => y.get(y.len().saturating_sub(1)..).unwrap_or("").to_string(),
        };
        uri = format!("{}{tail}", &uri[..i]);
    }
    valid_canonical(&uri).then_some(uri)
}

fn valid_canonical(uri: &str) -> bool {
    let Some(r) = canon_domain(uri) else {
        return false;
    };
    let Some((ai, v)) = r.split_once('/') else {
        return false;
    };
    let pair = |v: &str, n: usize, sub: &str, max: usize| -> bool {
        v.len() > n && n_digits(&v[..n], n) && v[n..].strip_prefix(sub).is_some_and(|s| cs(s, max))
    };
    match ai {
        "00" => n_digits(v, 18),
        "01" => {
            n_digits(v, 14)
                || pair(v, 14, "/21/", 20)
                || pair(v, 14, "/10/", 20)
                || pair(v, 14, "/235/", 28)
        }
        "253" => v.len() >= 13 && n_digits(&v[..13], 13) && cs(&v[13..], 17),
        "255" => v.len() >= 13 && v.len() <= 25 && digits(v),
        "401" => cs(v, 30),
        "402" => n_digits(v, 17),
        "414" => n_digits(v, 13) || pair(v, 13, "/254/", 20),
        "417" => n_digits(v, 13),
        "8003" => v.len() >= 14 && n_digits(&v[..14], 14) && cs(&v[14..], 16),
        "8004" => cs(v, 30),
        "8006" => n_digits(v, 18) || pair(v, 18, "/21/", 20) || pair(v, 18, "/10/", 20),
        "8010" => {
            let cls = |s: &str| {
                s.len() <= 30
                    && s.bytes()
                        .all(|b| matches!(b, b'#' | b'-' | b'/' | b'0'..=b'9' | b'A'..=b'Z'))
            };
            cls(v)
                || v.match_indices("/8011/").any(|(i, _)| {
                    let s = &v[i + 6..];
                    cls(&v[..i]) && s.len() <= 12 && digits(s)
                })
        }
        "8017" | "8018" => n_digits(v, 18),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_number_formats() {
        for (i, o) in [
            ("2017", "2017"),
            ("0614141", "614141"),
            ("1e3", "1000"),
            ("200.50", "200.5"),
            ("1_000", "1000"),
            ("nan", "nan"),
            ("0.00001", "1e-05"),
            ("1e16", "10000000000000000"),
            ("123456789012345678", "123456789012345680"),
            ("-0", "0"),
            ("+5", "5"),
            ("12.0", "12"),
            ("0.1", "0.1"),
            ("1.5e20", "150000000000000000000"),
            ("1.25e-7", "1.25e-07"),
            ("123456789.123", "123456789.123"),
            ("abc", "abc"),
            ("1_", "1_"),
        ] {
            assert_eq!(format_numeric(i).unwrap(), o, "{i}");
        }
        assert!(format_numeric("inf").is_err());
        assert_eq!(
            format_numeric("1e300").unwrap(),
            "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"
        );
        assert_eq!(py_float_repr(1.5e17), "1.5e+17");
        assert_eq!(py_float_repr(0.0001), "0.0001");
    }

    #[test]
    fn timestamps_as_the_reference() {
        for (i, o) in [
            (
                "2005-04-03T20:33:31.116000-06:00",
                "2005-04-04T02:33:31.116Z",
            ),
            ("2020-07-03T09:00:00.0Z", "2020-07-03T09:00:00.000Z"),
            ("2020-07-03T09:00:00.1234567Z", "2020-07-03T09:00:00.123Z"),
            ("2020-07-03T09:00:00.0025Z", "2020-07-03T09:00:00.002Z"),
            ("2020-07-03T09:00:00.0035Z", "2020-07-03T09:00:00.004Z"),
            ("2020-07-03T09:00:00+0530", "2020-07-03T03:30:00.000Z"),
            ("2020-07-03 09:00:00Z", "2020-07-03T09:00:00.000Z"),
        ] {
            assert_eq!(fix_timestamp(i).unwrap(), o, "{i}");
        }
        assert!(fix_timestamp("2020-07-03T09:00:00.9996Z").is_err());
    }

    #[test]
    fn identifiers_as_the_reference() {
        for (i, o) in [
            (
                "urn:epc:id:sgtin:0614141.107346.2017",
                "https://id.gs1.org/01/10614141073464/21/2017",
            ),
            (
                "urn:epc:id:sscc:0614141.1234567890",
                "https://id.gs1.org/00/106141412345678908",
            ),
            (
                "urn:epc:id:sgln:0614141.07346.1234",
                "https://id.gs1.org/414/0614141073467/254/1234",
            ),
            (
                "urn:epc:id:sgln:0614141.00777.0",
                "https://id.gs1.org/414/0614141007776",
            ),
            (
                "urn:epc:idpat:sgtin:4012345.098765.*",
                "https://id.gs1.org/01/04012345987652",
            ),
            (
                "urn:epc:class:lgtin:4012345.012345.998877",
                "https://id.gs1.org/01/04012345123456/10/998877",
            ),
            (
                "urn:epc:id:gsrn:95252084.000000001",
                "https://id.gs1.org/8018/952520840000000010",
            ),
            (
                "urn:epc:id:gdti:95252084.0001.0003555480001000",
                "https://id.gs1.org/253/95252084000140003555480001000",
            ),
            (
                "urn:epc:id:giai:952005385.w2",
                "https://id.gs1.org/8004/952005385w2",
            ),
            (
                "urn:epc:id:pgln:4012345.00001",
                "https://id.gs1.org/417/4012345000016",
            ),
            (
                "https://example.com/gtin/4012345123456/lot/A1?x=1",
                "https://id.gs1.org/01/04012345123456/10/A1",
            ),
            (
                "https://id.gs1.org/01/04012345123456/22/V1/10/A1/21/S1",
                "https://id.gs1.org/01/04012345123456/21/S1",
            ),
        ] {
            assert_eq!(dl_normalise(i).as_deref(), Some(o), "{i}");
        }
        assert_eq!(
            dl_normalise("http://transaction.acme.com/po/12345678"),
            None
        );
        assert_eq!(
            dl_normalise("https://ref.gs1.org/cbv/BizStep-shipping"),
            None
        );
    }
}
