//! The domain model: lot identity, lot status, reference documents and the
//! lot-with-quantity lines events carry.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A lot's identity: the pair (product, lot code), as GS1 (GTIN + batch) and FSMA 204
/// (traceability lot code) define it. Two products may share a lot code.
///
/// ```
/// use lottrack_core::LotKey;
/// let a = LotKey::new("spinach", "L100");
/// let b = LotKey::new("kale", "L100");
/// assert_ne!(a, b);
/// assert_eq!(a.to_string(), "spinach/L100");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LotKey {
    /// The product (article number, GTIN, …).
    pub product: Arc<str>,
    /// The lot (batch) code.
    pub lot: Arc<str>,
}

impl LotKey {
    /// A lot key from its product and lot code.
    pub fn new(product: &str, lot: &str) -> Self {
        LotKey {
            product: Arc::from(product),
            lot: Arc::from(lot),
        }
    }
}

impl LotKey {
    /// Reads a list of lots from JSON: `[{"product": "...", "lot": "..."}, ...]`.
    ///
    /// ```
    /// use lottrack_core::LotKey;
    /// let lots = LotKey::list_from_json(r#"[{"product":"spinach","lot":"F-100"}]"#).unwrap();
    /// assert_eq!(lots, vec![LotKey::new("spinach", "F-100")]);
    /// assert_eq!(LotKey::list_from_json(r#"[{"lot":"x"}]"#).unwrap_err().kind_name(), "MissingField");
    /// ```
    pub fn list_from_json(json: &str) -> crate::Result<Vec<LotKey>> {
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|e| crate::Error::MalformedJson {
                message: e.to_string(),
            })?;
        let arr = v.as_array().ok_or_else(|| crate::Error::MalformedJson {
            message: "expected a list of {\"product\": ..., \"lot\": ...}".into(),
        })?;
        let mut out = Vec::with_capacity(arr.len());
        for (i, item) in arr.iter().enumerate() {
            let get = |f: &str| -> crate::Result<String> {
                match item.get(f) {
                    Some(serde_json::Value::String(s)) => Ok(s.clone()),
                    Some(other) => Err(crate::Error::field(
                        "",
                        f,
                        format!("lot {i}: must be a string, got {other}"),
                    )),
                    None => Err(crate::Error::MissingField {
                        event_id: String::new(),
                        field: format!("{f} (lot {i})"),
                    }),
                }
            };
            out.push(LotKey::new(&get("product")?, &get("lot")?));
        }
        Ok(out)
    }
}

/// Reads a calendar date `YYYY-MM-DD` (never shifted by a time zone).
///
/// ```
/// use lottrack_core::model::parse_date;
/// assert_eq!(parse_date("2026-03-15", "expiry").unwrap().to_string(), "2026-03-15");
/// assert_eq!(parse_date("15/03/2026", "expiry").unwrap_err().to_string(),
///            "invalid field `expiry`: `15/03/2026` is not a YYYY-MM-DD date: input contains invalid characters");
/// ```
pub fn parse_date(s: &str, field: &str) -> crate::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| crate::Error::field("", field, format!("`{s}` is not a YYYY-MM-DD date: {e}")))
}

impl fmt::Display for LotKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.product, self.lot)
    }
}

impl Serialize for LotKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("LotKey", 2)?;
        st.serialize_field("product", &*self.product)?;
        st.serialize_field("lot", &*self.lot)?;
        st.end()
    }
}

/// A lot's status; changed only by `status` events, so every change is auditable.
///
/// ```
/// use lottrack_core::LotStatus;
/// assert_eq!(LotStatus::parse("hold"), Some(LotStatus::OnHold));
/// assert_eq!(LotStatus::Recalled.as_str(), "recalled");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LotStatus {
    /// Free to use and ship.
    #[default]
    Active,
    /// Held pending a decision.
    OnHold,
    /// Quarantined.
    Quarantined,
    /// Recalled.
    Recalled,
    /// Used up.
    Consumed,
    /// Past its expiry.
    Expired,
}

impl LotStatus {
    /// All statuses, in declaration order.
    pub const ALL: [LotStatus; 6] = [
        LotStatus::Active,
        LotStatus::OnHold,
        LotStatus::Quarantined,
        LotStatus::Recalled,
        LotStatus::Consumed,
        LotStatus::Expired,
    ];

    /// The status's name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LotStatus::Active => "active",
            LotStatus::OnHold => "on_hold",
            LotStatus::Quarantined => "quarantined",
            LotStatus::Recalled => "recalled",
            LotStatus::Consumed => "consumed",
            LotStatus::Expired => "expired",
        }
    }

    /// Like [`LotStatus::parse`], with an error naming the accepted values.
    ///
    /// ```
    /// use lottrack_core::LotStatus;
    /// assert_eq!(LotStatus::parse_or_err("recall", "S1").unwrap(), LotStatus::Recalled);
    /// assert_eq!(LotStatus::parse_or_err("lost", "S1").unwrap_err().kind_name(), "InvalidField");
    /// ```
    pub fn parse_or_err(s: &str, event_id: &str) -> crate::Result<LotStatus> {
        Self::parse(s).ok_or_else(|| {
            crate::Error::field(
                event_id,
                "status",
                format!("unknown status `{s}` (expected active, on_hold, quarantined, recalled, consumed, expired, hold, release, quarantine or recall)"),
            )
        })
    }

    /// Reads a status name or one of the verbs `hold`, `release`, `quarantine`, `recall`.
    pub fn parse(s: &str) -> Option<LotStatus> {
        Some(match s {
            "active" | "release" | "released" => LotStatus::Active,
            "on_hold" | "hold" => LotStatus::OnHold,
            "quarantined" | "quarantine" => LotStatus::Quarantined,
            "recalled" | "recall" => LotStatus::Recalled,
            "consumed" => LotStatus::Consumed,
            "expired" => LotStatus::Expired,
            _ => return None,
        })
    }
}

impl fmt::Display for LotStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for LotStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A reference document: purchase order, invoice, bill of lading …
///
/// ```
/// use lottrack_core::Document;
/// let d = Document::new("bol", "B-9");
/// assert_eq!(d.to_string(), "bol:B-9");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The document type (`po`, `invoice`, `bol`, …).
    #[serde(rename = "type")]
    pub doc_type: String,
    /// The document number.
    pub id: String,
}

impl Document {
    /// A document reference.
    pub fn new(doc_type: &str, id: &str) -> Self {
        Document {
            doc_type: doc_type.to_string(),
            id: id.to_string(),
        }
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.doc_type, self.id)
    }
}

/// A quantity of a lot, in a unit: the line every stock-moving event carries.
///
/// ```
/// use lottrack_core::LotQty;
/// let q = LotQty::new("spinach", "F-100", "500", "kg").unwrap();
/// assert_eq!(q.quantity.to_string(), "500");
/// assert!(LotQty::new("spinach", "F-100", "lots", "kg").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotQty {
    /// Product of the lot.
    pub product: String,
    /// Lot code.
    pub lot: String,
    /// Exact quantity.
    pub quantity: Decimal,
    /// Unit of measure of `quantity`.
    pub uom: String,
}

impl LotQty {
    /// A lot line from text quantities; `None` when the quantity is not a decimal.
    pub fn new(product: &str, lot: &str, quantity: &str, uom: &str) -> Option<Self> {
        Some(Self::exact(
            product,
            lot,
            crate::quantity::parse_decimal(quantity)?,
            uom,
        ))
    }

    /// A lot line from a text quantity, with an error naming the lot when the
    /// quantity is not a finite decimal.
    ///
    /// ```
    /// use lottrack_core::LotQty;
    /// assert_eq!(LotQty::parse("p", "L", "2.5", "kg").unwrap().quantity.to_string(), "2.5");
    /// assert_eq!(LotQty::parse("p", "L", "abc", "kg").unwrap_err().to_string(),
    ///            "invalid field `quantity`: `abc` for lot (`p`, `L`) is not a finite decimal");
    /// ```
    pub fn parse(product: &str, lot: &str, quantity: &str, uom: &str) -> crate::Result<Self> {
        Self::new(product, lot, quantity, uom).ok_or_else(|| {
            crate::Error::field(
                "",
                "quantity",
                format!("`{quantity}` for lot (`{product}`, `{lot}`) is not a finite decimal"),
            )
        })
    }

    /// A lot line from a [`Decimal`].
    pub fn exact(product: &str, lot: &str, quantity: Decimal, uom: &str) -> Self {
        LotQty {
            product: product.to_string(),
            lot: lot.to_string(),
            quantity,
            uom: uom.to_string(),
        }
    }

    /// The lot's key.
    pub fn key(&self) -> LotKey {
        LotKey::new(&self.product, &self.lot)
    }
}

/// Attributes a lot gets when it is created (by a receipt or as a transform output).
///
/// ```
/// use lottrack_core::LotAttrs;
/// let a = LotAttrs { expiry: Some("2026-03-15".parse().unwrap()), ..Default::default() };
/// assert!(a.production_date.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LotAttrs {
    /// Best-before / use-by date (a calendar date, never shifted by a time zone).
    pub expiry: Option<NaiveDate>,
    /// Production date.
    pub production_date: Option<NaiveDate>,
    /// The supplier's own lot code (the TLC source's code).
    pub supplier_lot: Option<String>,
    /// Origin party (farm, plant) where it differs from the supplier.
    pub origin: Option<String>,
    /// Where the expiry came from (given by an event, or inherited from inputs).
    /// Derived by the tracker; not part of the event JSON.
    pub expiry_source: Option<String>,
}
