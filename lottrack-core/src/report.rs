//! Shared helpers of the result types: how decimals and times serialize, and a
//! small CSV writer for the reports.

use rust_decimal::Decimal;
use serde::Serializer;

use crate::event::Time;
use crate::quantity::fmt_decimal;

/// Serializes a decimal as a string without trailing zeros (`"12.5"`).
pub(crate) fn ser_decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_decimal(*d))
}

/// Serializes an optional decimal.
pub(crate) fn ser_opt_decimal<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&fmt_decimal(*d)),
        None => s.serialize_none(),
    }
}

/// Serializes a time as RFC 3339 with its offset.
pub(crate) fn ser_time<S: Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339())
}

/// Quotes one CSV field (RFC 4180) when it needs it.
///
/// ```
/// assert_eq!(lottrack_core::report::csv_field("a,b"), "\"a,b\"");
/// assert_eq!(lottrack_core::report::csv_field("plain"), "plain");
/// ```
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Joins fields into one CSV line (with CRLF, as RFC 4180 says).
pub(crate) fn csv_line<I: IntoIterator<Item = S>, S: AsRef<str>>(fields: I) -> String {
    let mut out = fields
        .into_iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}
