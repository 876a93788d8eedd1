//! What every result class shares: `to_dict()` / `to_json()` from the core's serde
//! shape, and helpers for `__repr__` and `to_pandas()` records.

/// `#[pymethods]` for a result class whose field `.0` is the core value
/// (`Serialize`), with `to_dict()` and `to_json()` added to the given methods.
macro_rules! result_methods {
    ($ty:ident { $($body:tt)* }) => {
        #[pyo3::pymethods]
        impl $ty {
            $($body)*

            /// The result in the design's JSON shape, as dicts and lists (quantities
            /// as decimal strings, times as RFC 3339 strings).
            fn to_dict<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                $crate::convert::to_py(py, &self.0)
            }

            /// The result as a JSON string (the design's JSON shape).
            fn to_json(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<String> {
                $crate::convert::to_json(py, &self.0)
            }
        }
    };
}
pub(crate) use result_methods;

/// Values of a `to_pandas()` record, each converted with `IntoPyObject`.
macro_rules! record {
    ($py:expr; $($v:expr),* $(,)?) => {
        vec![$(pyo3::IntoPyObjectExt::into_bound_py_any($v, $py)?),*]
    };
}
pub(crate) use record;

/// A string as Python's `repr` writes it (`'S-1'`).
pub(crate) fn q(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// An optional string for a repr (`None` or `'x'`).
pub(crate) fn oq(s: Option<&str>) -> String {
    s.map(q).unwrap_or_else(|| "None".into())
}

/// A decimal for a repr: `Decimal('0.3')`.
pub(crate) fn dq(d: &rust_decimal::Decimal) -> String {
    format!("Decimal('{}')", lottrack_core::quantity::fmt_decimal(*d))
}

/// An optional date for a repr.
pub(crate) fn date_q(d: &Option<chrono::NaiveDate>) -> String {
    match d {
        Some(d) => format!("'{d}'"),
        None => "None".into(),
    }
}
