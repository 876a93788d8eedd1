//! The one error type of lottrack-core.
//!
//! Every fallible operation returns [`Error`]; each failure kind is its own variant
//! and its message names the event, lot, location and numbers involved. The C layer
//! maps each variant to one `LT_ERR_…` code and the Python layer to one exception
//! class, using [`Error::code`] and [`Error::kind_name`].

use thiserror::Error as ThisError;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in lottrack.
///
/// It serializes to JSON as `{"error": "<KindName>", <its fields>}`, so bindings
/// can expose the fields without matching every variant.
///
/// ```
/// use lottrack_core::{Error, Tracker};
/// let t = Tracker::in_memory();
/// let err = t.record_json("{not json").unwrap_err();
/// assert!(matches!(err, Error::MalformedJson { .. }));
/// assert_eq!(err.kind_name(), "MalformedJson");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, ThisError, serde::Serialize)]
#[serde(tag = "error")]
#[non_exhaustive]
pub enum Error {
    /// The input is not valid JSON.
    #[error("malformed JSON: {message}")]
    MalformedJson {
        /// What the JSON parser reported.
        message: String,
    },
    /// A required field is absent.
    #[error("{}missing field `{field}`", ctx(event_id))]
    MissingField {
        /// The event concerned (empty when it has no id yet).
        event_id: String,
        /// The missing field's name.
        field: String,
    },
    /// The `kind` field names no known event kind.
    #[error("{}unknown event kind `{kind}`", ctx(event_id))]
    UnknownKind {
        /// The event concerned.
        event_id: String,
        /// The kind given.
        kind: String,
    },
    /// A time is not RFC 3339 with a UTC offset.
    #[error("{}invalid time `{value}` in `{field}`: {reason}", ctx(event_id))]
    InvalidTime {
        /// The event concerned.
        event_id: String,
        /// The field holding the time.
        field: String,
        /// The text given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A field has the wrong type or an unreadable value (a date, a quantity …).
    #[error("{}invalid field `{field}`: {reason}", ctx(event_id))]
    InvalidField {
        /// The event concerned.
        event_id: String,
        /// The field concerned.
        field: String,
        /// Why it was refused.
        reason: String,
    },
    /// A product that has never been declared nor received.
    #[error("{}unknown product `{product}`", ctx(event_id))]
    UnknownProduct {
        /// The event concerned (empty for queries).
        event_id: String,
        /// The product named.
        product: String,
    },
    /// A lot that does not exist.
    #[error("{}unknown lot (product `{product}`, lot `{lot}`)", ctx(event_id))]
    UnknownLot {
        /// The event concerned (empty for queries).
        event_id: String,
        /// Product of the lot.
        product: String,
        /// Lot code.
        lot: String,
    },
    /// A unit of measure with no conversion to the product's base unit.
    #[error(
        "{}unit `{uom}` cannot be converted for product `{product}` (base unit `{base_uom}`)",
        ctx(event_id)
    )]
    UnknownUnit {
        /// The event concerned.
        event_id: String,
        /// The product.
        product: String,
        /// The unit given.
        uom: String,
        /// The product's base unit.
        base_uom: String,
    },
    /// A quantity that is zero or negative where a positive one is required.
    #[error(
        "{}quantity {quantity} for lot (`{product}`, `{lot}`) must be positive",
        ctx(event_id)
    )]
    NonPositiveQuantity {
        /// The event concerned.
        event_id: String,
        /// Product of the lot.
        product: String,
        /// Lot code.
        lot: String,
        /// The quantity given.
        quantity: String,
    },
    /// Taking more than is on hand at a location (strict mode).
    #[error(
        "{}takes {requested} {uom} of lot (`{product}`, `{lot}`) at `{location}` but only {on_hand} {uom} is on hand",
        ctx(event_id)
    )]
    InsufficientStock {
        /// The event concerned.
        event_id: String,
        /// Product of the lot.
        product: String,
        /// Lot code.
        lot: String,
        /// Location (or `container:<id>`) the stock was taken from.
        location: String,
        /// Quantity requested, in the product's base unit.
        requested: String,
        /// Quantity on hand, in the product's base unit.
        on_hand: String,
        /// The product's base unit.
        uom: String,
    },
    /// A transform that would make a lot its own ancestor.
    #[error(
        "{}transform would make lot (`{product}`, `{lot}`) its own ancestor (cycle through input (`{input_product}`, `{input_lot}`))",
        ctx(event_id)
    )]
    Cycle {
        /// The event concerned.
        event_id: String,
        /// The output lot that would become its own ancestor.
        product: String,
        /// Its lot code.
        lot: String,
        /// The input lot that descends from the output.
        input_product: String,
        /// Its lot code.
        input_lot: String,
    },
    /// An `event_id` already recorded with a different payload.
    #[error("{}already recorded with a different payload", ctx(event_id))]
    DuplicateEvent {
        /// The event id.
        event_id: String,
    },
    /// A void (or query) naming an event that does not exist.
    #[error("{}unknown event `{target}`", ctx(event_id))]
    UnknownEvent {
        /// The void event (empty for queries).
        event_id: String,
        /// The event id that was not found.
        target: String,
    },
    /// A void that would change what later events took: their stock would go
    /// missing, or a container they shipped whole would have held more.
    #[error("{}voiding `{target}` would change what later events took (stock they took would go missing, or a container they shipped whole would have held more); void them first: {}", ctx(event_id), later.join(", "))]
    VoidConflict {
        /// The void event.
        event_id: String,
        /// The event it tries to void.
        target: String,
        /// The later events that depend on the target's stock.
        later: Vec<String>,
    },
    /// A container that holds nothing or was never packed.
    #[error("{}unknown or empty container `{container}`", ctx(event_id))]
    UnknownContainer {
        /// The event concerned.
        event_id: String,
        /// The container id.
        container: String,
    },
    /// Quantities of units that have no common unit (e.g. exposure over kg and each).
    #[error("{context}: units `{from}` and `{to}` cannot be converted into each other")]
    IncompatibleUnits {
        /// What was being computed.
        context: String,
        /// One unit.
        from: String,
        /// The other unit.
        to: String,
    },
    /// An event that is well-formed but not allowed (a void of a void, an empty transform …).
    #[error("{}{reason}", ctx(event_id))]
    InvalidEvent {
        /// The event concerned.
        event_id: String,
        /// Why it is refused.
        reason: String,
    },
    /// The store failed (I/O, database error, bad file).
    #[error("storage error: {message}")]
    Storage {
        /// What the store reported.
        message: String,
    },
    /// The file is not a lottrack store (empty foreign database, other schema, not SQLite).
    #[error("not a lottrack store: {message}")]
    NotAStore {
        /// Why the file was refused.
        message: String,
    },
    /// The store was written by a newer lottrack (schema version too high).
    #[error("store schema version {found} is newer than this lottrack supports ({supported})")]
    SchemaTooNew {
        /// Version found in the store.
        found: i64,
        /// Highest version this build reads.
        supported: i64,
    },
    /// Another writer appended first and the event is no longer valid, or retries ran out.
    #[error("write conflict: {message}")]
    Conflict {
        /// What happened.
        message: String,
    },
}

fn ctx(event_id: &str) -> String {
    if event_id.is_empty() {
        String::new()
    } else {
        format!("event {event_id}: ")
    }
}

impl Error {
    /// Every variant's name, in code order; `Error::code` indexes into it.
    pub const KIND_NAMES: &'static [&'static str] = &[
        "MalformedJson",
        "MissingField",
        "UnknownKind",
        "InvalidTime",
        "InvalidField",
        "UnknownProduct",
        "UnknownLot",
        "UnknownUnit",
        "NonPositiveQuantity",
        "InsufficientStock",
        "Cycle",
        "DuplicateEvent",
        "UnknownEvent",
        "VoidConflict",
        "UnknownContainer",
        "IncompatibleUnits",
        "InvalidEvent",
        "Storage",
        "NotAStore",
        "SchemaTooNew",
        "Conflict",
    ];

    /// A stable, unique number per variant, starting at 1 (the C status code).
    ///
    /// ```
    /// use lottrack_core::Error;
    /// let e = Error::Storage { message: "disk full".into() };
    /// assert_eq!(Error::KIND_NAMES[(e.code() - 1) as usize], e.kind_name());
    /// ```
    pub fn code(&self) -> u32 {
        match self {
            Error::MalformedJson { .. } => 1,
            Error::MissingField { .. } => 2,
            Error::UnknownKind { .. } => 3,
            Error::InvalidTime { .. } => 4,
            Error::InvalidField { .. } => 5,
            Error::UnknownProduct { .. } => 6,
            Error::UnknownLot { .. } => 7,
            Error::UnknownUnit { .. } => 8,
            Error::NonPositiveQuantity { .. } => 9,
            Error::InsufficientStock { .. } => 10,
            Error::Cycle { .. } => 11,
            Error::DuplicateEvent { .. } => 12,
            Error::UnknownEvent { .. } => 13,
            Error::VoidConflict { .. } => 14,
            Error::UnknownContainer { .. } => 15,
            Error::IncompatibleUnits { .. } => 16,
            Error::InvalidEvent { .. } => 17,
            Error::Storage { .. } => 18,
            Error::NotAStore { .. } => 19,
            Error::SchemaTooNew { .. } => 20,
            Error::Conflict { .. } => 21,
        }
    }

    /// The variant's name, e.g. `"InsufficientStock"`.
    pub fn kind_name(&self) -> &'static str {
        Self::KIND_NAMES[(self.code() - 1) as usize]
    }

    pub(crate) fn invalid(event_id: &str, reason: impl Into<String>) -> Error {
        Error::InvalidEvent {
            event_id: event_id.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn field(event_id: &str, field: &str, reason: impl Into<String>) -> Error {
        Error::InvalidField {
            event_id: event_id.to_string(),
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_match_names() {
        let mut seen = std::collections::HashSet::new();
        let samples = vec![
            Error::MalformedJson {
                message: "x".into(),
            },
            Error::Storage {
                message: "x".into(),
            },
            Error::Conflict {
                message: "x".into(),
            },
            Error::SchemaTooNew {
                found: 9,
                supported: 1,
            },
        ];
        for e in samples {
            assert!(seen.insert(e.code()));
            assert_eq!(Error::KIND_NAMES[(e.code() - 1) as usize], e.kind_name());
        }
        assert_eq!(Error::KIND_NAMES.len(), 21);
    }

    #[test]
    fn messages_name_the_numbers() {
        let e = Error::InsufficientStock {
            event_id: "E3".into(),
            product: "salad".into(),
            lot: "S-1".into(),
            location: "plant-1".into(),
            requested: "120".into(),
            on_hand: "100".into(),
            uom: "each".into(),
        };
        assert_eq!(
            e.to_string(),
            "event E3: takes 120 each of lot (`salad`, `S-1`) at `plant-1` but only 100 each is on hand"
        );
        let q = Error::UnknownLot {
            event_id: String::new(),
            product: "p".into(),
            lot: "l".into(),
        };
        assert_eq!(q.to_string(), "unknown lot (product `p`, lot `l`)");
    }
}
