//! Conversions between Python values and the core's types: times, dates,
//! quantities, lot keys, JSON values, and results to Python objects.
//!
//! Only the mapping of Python types lives here; every rule about what a valid
//! event or quantity is stays in lottrack-core (the text of a quantity is parsed by
//! `lottrack_core::quantity::parse_decimal`, a time by `lottrack_core::parse_time`).

use chrono::{Datelike, NaiveDate};
use lottrack_core::quantity::{fmt_decimal, parse_decimal};
use lottrack_core::{LotKey, Time, parse_time};
use pyo3::exceptions::{PyImportError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple,
    PyType,
};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::lot_key::PyLotKey;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `decimal.Decimal`.
pub(crate) fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// A core decimal as a Python `decimal.Decimal` (no trailing zeros).
pub(crate) fn py_decimal<'py>(py: Python<'py>, d: &Decimal) -> PyResult<Bound<'py, PyAny>> {
    decimal_type(py)?.call1((fmt_decimal(*d),))
}

/// A decimal carried as text in a core error (`"120"`) as `decimal.Decimal`, or the
/// text itself when it is not a number.
pub(crate) fn py_decimal_text<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    match parse_decimal(s) {
        Some(d) => py_decimal(py, &d),
        None => Ok(PyString::new(py, s).into_any()),
    }
}

/// An event time as an aware `datetime` with its own UTC offset.
pub(crate) fn py_time<'py>(py: Python<'py>, t: &Time) -> PyResult<Bound<'py, PyAny>> {
    Ok(t.into_pyobject(py)?.into_any())
}

/// A calendar date as `datetime.date`.
pub(crate) fn py_date<'py>(py: Python<'py>, d: &NaiveDate) -> PyResult<Bound<'py, PyAny>> {
    Ok(d.into_pyobject(py)?.into_any())
}

/// An optional date as `datetime.date` or `None`.
pub(crate) fn py_opt_date<'py>(
    py: Python<'py>,
    d: &Option<NaiveDate>,
) -> PyResult<Bound<'py, PyAny>> {
    match d {
        Some(d) => py_date(py, d),
        None => Ok(py.None().into_bound(py)),
    }
}

/// An optional string as `str` or `None`.
pub(crate) fn py_opt_str<'py>(py: Python<'py>, s: Option<&str>) -> Bound<'py, PyAny> {
    match s {
        Some(s) => PyString::new(py, s).into_any(),
        None => py.None().into_bound(py),
    }
}

/// Any serializable core result as plain Python objects in its JSON shape, built
/// in one pass: serialized to JSON text with the GIL released, then parsed by the
/// standard library's C JSON decoder. On a 4,110-lot trace (1.4 MB of JSON) this
/// measured ~33 ms, against ~57 ms for walking a `serde_json::Value` and ~40-47 ms
/// for a serde `Serializer` that builds the Python objects directly (pyo3's
/// per-item calls under abi3 cost more than `json.loads`'s C loop).
pub(crate) fn to_py<'py, T: Serialize + Sync>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = to_json(py, value)?;
    json_loads(py, &text)
}

/// Parses JSON text with `json.loads`.
pub(crate) fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    JSON_LOADS
        .import(py, "json", "loads")?
        .call1((PyString::new(py, text),))
}

/// Any serializable core result as JSON text (GIL released while serializing).
pub(crate) fn to_json<T: Serialize + Sync>(py: Python<'_>, value: &T) -> PyResult<String> {
    py.detach(|| serde_json::to_string(value))
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// `pandas`, or an ImportError that says how to install it.
pub(crate) fn pandas(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("pandas").map_err(|e| {
        let err = PyImportError::new_err(
            "to_pandas() needs pandas, which is not installed: pip install pandas \
             (or pip install 'lottrack[pandas]')",
        );
        err.set_cause(py, Some(e));
        err
    })
}

/// A `pandas.DataFrame` with `columns`, from rows of values in column order.
pub(crate) fn data_frame<'py>(
    py: Python<'py>,
    columns: &[&str],
    rows: Vec<Vec<Bound<'py, PyAny>>>,
) -> PyResult<Bound<'py, PyAny>> {
    let pd = pandas(py)?;
    let data = PyDict::new(py);
    for (i, name) in columns.iter().enumerate() {
        let col = PyList::empty(py);
        for r in &rows {
            col.append(&r[i])?;
        }
        data.set_item(*name, col)?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("columns", PyList::new(py, columns)?)?;
    pd.getattr("DataFrame")?.call((data,), Some(&kwargs))
}

// ---------------------------------------------------------------------------
// Python -> core
// ---------------------------------------------------------------------------

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// An `InvalidFieldError` for `field` (the core's error, so the core's message).
pub(crate) fn invalid_field(
    py: Python<'_>,
    event_id: Option<&str>,
    field: &str,
    reason: String,
) -> PyErr {
    crate::errors::core_err(
        py,
        lottrack_core::Error::InvalidField {
            event_id: event_id.unwrap_or_default().to_string(),
            field: field.to_string(),
            reason,
        },
    )
}

/// An `InvalidTimeError` for `field` (the core's error, so the core's message).
fn invalid_time(
    py: Python<'_>,
    event_id: Option<&str>,
    field: &str,
    value: &str,
    reason: &str,
) -> PyErr {
    crate::errors::core_err(
        py,
        lottrack_core::Error::InvalidTime {
            event_id: event_id.unwrap_or_default().to_string(),
            field: field.to_string(),
            value: value.to_string(),
            reason: reason.to_string(),
        },
    )
}

/// RFC 3339 text of an aware `datetime`; a naive one is an `InvalidTimeError`
/// naming `field`.
fn datetime_text(
    py: Python<'_>,
    dt: &Bound<'_, PyAny>,
    event_id: Option<&str>,
    field: &str,
) -> PyResult<String> {
    let offset = dt.call_method0("utcoffset")?;
    if offset.is_none() {
        let shown: String = dt.call_method0("isoformat")?.extract()?;
        return Err(invalid_time(
            py,
            event_id,
            field,
            &shown,
            "naive datetime (no tzinfo): lottrack needs the UTC offset of every time, \
             e.g. datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)",
        ));
    }
    dt.call_method0("isoformat")?.extract()
}

/// A time argument: an aware `datetime` or an RFC 3339 string with an offset.
pub(crate) fn time_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    event_id: Option<&str>,
    field: &str,
) -> PyResult<Time> {
    let text = if obj.is_instance_of::<PyDateTime>() {
        datetime_text(py, obj, event_id, field)?
    } else if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else {
        return Err(PyTypeError::new_err(format!(
            "`{field}` must be a datetime with tzinfo or an RFC 3339 string, not {}",
            type_name(obj)
        )));
    };
    parse_time(&text).map_err(|e| match e {
        lottrack_core::Error::InvalidTime { value, reason, .. } => {
            invalid_time(py, event_id, field, &value, &reason)
        }
        other => crate::errors::core_err(py, other),
    })
}

/// An optional time argument.
pub(crate) fn opt_time_arg(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    event_id: Option<&str>,
    field: &str,
) -> PyResult<Option<Time>> {
    match obj {
        Some(o) if !o.is_none() => time_arg(py, o, event_id, field).map(Some),
        _ => Ok(None),
    }
}

/// A time argument that defaults to now (UTC, to the microsecond: what a Python
/// `datetime` holds, so the event's time reads back exactly).
pub(crate) fn time_or_now(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    event_id: Option<&str>,
    field: &str,
) -> PyResult<Time> {
    use chrono::SubsecRound;
    Ok(opt_time_arg(py, obj, event_id, field)?
        .unwrap_or_else(|| chrono::Utc::now().trunc_subsecs(6).into()))
}

/// A calendar date argument: `datetime.date` or `"YYYY-MM-DD"`. A `datetime` is
/// refused: dates are calendar dates, never derived from a timestamp.
pub(crate) fn date_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    event_id: Option<&str>,
    field: &str,
) -> PyResult<NaiveDate> {
    if obj.is_instance_of::<PyDateTime>() {
        return Err(invalid_field(
            py,
            event_id,
            field,
            "is a datetime; pass a calendar date (datetime.date or 'YYYY-MM-DD') \
             so no time zone can shift the day"
                .into(),
        ));
    }
    if let Ok(d) = obj.cast::<PyDate>() {
        let y: i32 = d.getattr("year")?.extract()?;
        let m: u32 = d.getattr("month")?.extract()?;
        let day: u32 = d.getattr("day")?.extract()?;
        return NaiveDate::from_ymd_opt(y, m, day)
            .ok_or_else(|| invalid_field(py, event_id, field, format!("{y}-{m}-{day}")));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return lottrack_core::model::parse_date(&s.to_cow()?, field).map_err(|e| match e {
            lottrack_core::Error::InvalidField { field, reason, .. } => {
                invalid_field(py, event_id, &field, reason)
            }
            other => crate::errors::core_err(py, other),
        });
    }
    Err(PyTypeError::new_err(format!(
        "`{field}` must be a datetime.date or a 'YYYY-MM-DD' string, not {}",
        type_name(obj)
    )))
}

/// The decimal text of a quantity: `Decimal`, `int`, `str`, or a finite `float`
/// whose shortest repr reads back as the same float (the repr is what is used:
/// `0.1` means `Decimal("0.1")`).
pub(crate) fn quantity_text(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    event_id: Option<&str>,
    field: &str,
) -> PyResult<String> {
    if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "`{field}` must be a Decimal, int, str or float, not bool"
        )));
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance(decimal_type(py)?)? {
        return Ok(obj.str()?.to_cow()?.into_owned());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        let repr = f.repr()?.to_cow()?.into_owned();
        if !v.is_finite() {
            return Err(invalid_field(
                py,
                event_id,
                field,
                format!("{repr} is not a finite quantity"),
            ));
        }
        let exact = parse_decimal(&repr)
            .is_some_and(|d| d.to_string().parse::<f64>().is_ok_and(|back| back == v));
        if !exact {
            return Err(invalid_field(
                py,
                event_id,
                field,
                format!(
                    "float {repr} has no exact decimal form within lottrack's range; \
                     pass a Decimal or a str"
                ),
            ));
        }
        return Ok(repr);
    }
    Err(PyTypeError::new_err(format!(
        "`{field}` must be a Decimal, int, str or float, not {}",
        type_name(obj)
    )))
}

/// A quantity argument as an exact decimal.
pub(crate) fn quantity_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    event_id: Option<&str>,
    field: &str,
) -> PyResult<Decimal> {
    let text = quantity_text(py, obj, event_id, field)?;
    parse_decimal(&text).ok_or_else(|| {
        invalid_field(
            py,
            event_id,
            field,
            format!("`{text}` is not a finite decimal"),
        )
    })
}

/// A `str` argument.
pub(crate) fn str_of(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    obj.cast::<PyString>()
        .map_err(|_| {
            PyTypeError::new_err(format!("`{field}` must be a str, not {}", type_name(obj)))
        })?
        .to_cow()
        .map(|c| c.into_owned())
}

/// A time as its JSON text: an aware `datetime` (RFC 3339) or a string (passed on
/// for the core to read).
pub(crate) fn json_time(py: Python<'_>, obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Value::String(datetime_text(py, obj, None, field)?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    Err(PyTypeError::new_err(format!(
        "`{field}` must be a datetime with tzinfo or an RFC 3339 string, not {}",
        type_name(obj)
    )))
}

/// A calendar date as its JSON text: `datetime.date` or a string (passed on for
/// the core to read). A `datetime` is refused: dates are calendar dates.
pub(crate) fn json_date(py: Python<'_>, obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(str_of(obj, field)?));
    }
    let d = date_arg(py, obj, None, field)?;
    Ok(Value::String(format!(
        "{:04}-{:02}-{:02}",
        d.year(),
        d.month(),
        d.day()
    )))
}

/// A quantity as its JSON text (see [`quantity_text`]).
pub(crate) fn json_quantity(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    field: &str,
) -> PyResult<Value> {
    Ok(Value::String(quantity_text(py, obj, None, field)?))
}

/// Lot lines as JSON: each a mapping `{"product", "lot", "quantity", "uom", …}`
/// (further keys such as an output's `expiry` pass through) or a tuple
/// `(product, lot, quantity, uom)`.
pub(crate) fn json_lines(py: Python<'_>, obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
    if obj.is_instance_of::<PyString>() || obj.cast::<PyMapping>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "`{field}` must be a list of lot lines: dicts {{product, lot, quantity, uom}} or \
             tuples (product, lot, quantity, uom)"
        )));
    }
    let mut out = Vec::new();
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        let path = format!("{field}[{i}]");
        if item.is_instance_of::<PyDict>() || item.cast::<PyMapping>().is_ok() {
            out.push(py_to_json(py, &item, &path)?);
        } else if (item.is_instance_of::<PyTuple>() || item.is_instance_of::<PyList>())
            && item.len()? == 4
        {
            let mut m = Map::new();
            m.insert(
                "product".into(),
                Value::String(str_of(&item.get_item(0)?, &format!("{path}[0] (product)"))?),
            );
            m.insert(
                "lot".into(),
                Value::String(str_of(&item.get_item(1)?, &format!("{path}[1] (lot)"))?),
            );
            m.insert(
                "quantity".into(),
                json_quantity(py, &item.get_item(2)?, &format!("{path}.quantity"))?,
            );
            m.insert(
                "uom".into(),
                Value::String(str_of(&item.get_item(3)?, &format!("{path}[3] (uom)"))?),
            );
            out.push(Value::Object(m));
        } else {
            return Err(PyTypeError::new_err(format!(
                "`{path}` must be a dict {{product, lot, quantity, uom}} or a tuple \
                 (product, lot, quantity, uom), not {}",
                type_name(&item)
            )));
        }
    }
    Ok(Value::Array(out))
}

/// Lot keys as JSON `[{"product", "lot"}]`.
pub(crate) fn json_keys(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    Ok(Value::Array(
        lot_keys(obj)?
            .into_iter()
            .map(|k| {
                let mut m = Map::new();
                m.insert("product".into(), Value::String(k.product.to_string()));
                m.insert("lot".into(), Value::String(k.lot.to_string()));
                Value::Object(m)
            })
            .collect(),
    ))
}

/// A lot key: `(product, lot)`, a `LotKey`, a mapping with `product` and `lot`, or
/// any object with `product` and `lot` attributes (a trace's lots, a stock line …).
pub(crate) fn lot_key(obj: &Bound<'_, PyAny>) -> PyResult<LotKey> {
    if let Ok(k) = obj.cast::<PyLotKey>() {
        return Ok(k.get().0.clone());
    }
    if (obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>())
        && obj.len().ok() == Some(2)
    {
        let p = str_of(&obj.get_item(0)?, "product")?;
        let l = str_of(&obj.get_item(1)?, "lot")?;
        return Ok(LotKey::new(&p, &l));
    }
    if obj.cast::<PyMapping>().is_ok() || obj.is_instance_of::<PyDict>() {
        if let (Ok(p), Ok(l)) = (obj.get_item("product"), obj.get_item("lot")) {
            return Ok(LotKey::new(&str_of(&p, "product")?, &str_of(&l, "lot")?));
        }
    } else if let (Ok(p), Ok(l)) = (obj.getattr("product"), obj.getattr("lot")) {
        return Ok(LotKey::new(&str_of(&p, "product")?, &str_of(&l, "lot")?));
    }
    Err(PyTypeError::new_err(format!(
        "a lot is a (product, lot) tuple, a LotKey or a {{'product', 'lot'}} mapping, not {}",
        type_name(obj)
    )))
}

/// A list of lot keys; a single key (`("spinach", "F-100")`) is accepted as a list
/// of one.
pub(crate) fn lot_keys(obj: &Bound<'_, PyAny>) -> PyResult<Vec<LotKey>> {
    let single = obj.cast::<PyLotKey>().is_ok()
        || ((obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>())
            && obj.len().ok() == Some(2)
            && obj.get_item(0)?.is_instance_of::<PyString>());
    if single {
        return Ok(vec![lot_key(obj)?]);
    }
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "lots must be a list of (product, lot) pairs, not a str",
        ));
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        out.push(lot_key(&item?)?);
    }
    Ok(out)
}

/// Reference documents as JSON `[{"type", "id"}]`, from `(type, id)` pairs,
/// `{"type", "id"}` dicts or `Document` objects.
pub(crate) fn json_documents(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    const WHAT: &str = "a document is a (type, id) pair, a {'type', 'id'} dict or a Document";
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        let (t, id) = if let Ok(d) = item.cast::<crate::document::PyDocument>() {
            let d = &d.get().0;
            (d.doc_type.clone(), d.id.clone())
        } else if item.is_instance_of::<PyDict>() || item.cast::<PyMapping>().is_ok() {
            (
                str_of(&item.get_item("type")?, "documents[].type")?,
                str_of(&item.get_item("id")?, "documents[].id")?,
            )
        } else if (item.is_instance_of::<PyTuple>() || item.is_instance_of::<PyList>())
            && item.len()? == 2
        {
            (
                str_of(&item.get_item(0)?, "documents[].type")?,
                str_of(&item.get_item(1)?, "documents[].id")?,
            )
        } else {
            return Err(PyTypeError::new_err(WHAT));
        };
        let mut m = Map::new();
        m.insert("type".into(), Value::String(t));
        m.insert("id".into(), Value::String(id));
        out.push(Value::Object(m));
    }
    Ok(Value::Array(out))
}

/// Free-form attributes: a dict of JSON-able values.
pub(crate) fn json_attributes(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    match py_to_json(py, obj, "attributes")? {
        v @ Value::Object(_) => Ok(v),
        _ => Err(PyTypeError::new_err("`attributes` must be a dict")),
    }
}

/// A Python value as JSON, for `record(dict)`: `None`, `bool`, `int`, `float` (the
/// quantity rule), `str`, `Decimal` (as its text), aware `datetime` (RFC 3339),
/// `date` (`YYYY-MM-DD`), `LotKey`, mappings with `str` keys, lists and tuples.
pub(crate) fn py_to_json(py: Python<'_>, obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        let text = quantity_text(py, obj, None, path)?;
        return text.parse::<Number>().map(Value::Number).map_err(|e| {
            invalid_field(py, None, path, format!("{text} is not a JSON number: {e}"))
        });
    }
    if obj.is_instance(decimal_type(py)?)? {
        return Ok(Value::String(obj.str()?.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Value::String(datetime_text(py, obj, None, path)?));
    }
    if let Ok(d) = obj.cast::<PyDate>() {
        let nd = date_arg(py, d.as_any(), None, path)?;
        return Ok(Value::String(format!(
            "{:04}-{:02}-{:02}",
            nd.year(),
            nd.month(),
            nd.day()
        )));
    }
    if let Ok(k) = obj.cast::<PyLotKey>() {
        let k = &k.get().0;
        let mut m = Map::new();
        m.insert("product".into(), Value::String(k.product.to_string()));
        m.insert("lot".into(), Value::String(k.lot.to_string()));
        return Ok(Value::Object(m));
    }
    if obj.is_instance_of::<PyDict>() || obj.cast::<PyMapping>().is_ok() {
        let mut m = Map::new();
        let items = obj.call_method0("items")?;
        for kv in items.try_iter()? {
            let kv = kv?;
            let k = kv.get_item(0)?;
            let key = k
                .cast::<PyString>()
                .map_err(|_| {
                    PyTypeError::new_err(format!(
                        "`{path}`: keys must be str, not {}",
                        type_name(&k)
                    ))
                })?
                .to_cow()?
                .into_owned();
            let sub = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let v = py_to_json(py, &kv.get_item(1)?, &sub)?;
            m.insert(key, v);
        }
        return Ok(Value::Object(m));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(py_to_json(py, &item?, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(out));
    }
    Err(PyTypeError::new_err(format!(
        "`{path}`: cannot be written as JSON: {}",
        type_name(obj)
    )))
}

/// A tolerance argument: `(low, high)` percentages (each a quantity), read by the
/// core (`Tolerance::percent`); `None` is the core's default, 95–105 %.
pub(crate) fn tolerance_arg(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<lottrack_core::reporting::Tolerance> {
    use crate::errors::OrRaise;
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(lottrack_core::reporting::Tolerance::default());
    };
    let pair = (obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>())
        && obj.len().ok() == Some(2);
    if !pair {
        return Err(PyTypeError::new_err(format!(
            "`tolerance` must be a (low, high) pair of percentages, e.g. (95, 105), not {}",
            type_name(obj)
        )));
    }
    let low = quantity_text(py, &obj.get_item(0)?, None, "tolerance.low")?;
    let high = quantity_text(py, &obj.get_item(1)?, None, "tolerance.high")?;
    lottrack_core::reporting::Tolerance::percent(&low, &high).or_raise(py)
}

/// A list of `str` (not a single `str`).
pub(crate) fn str_list(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "`{field}` must be a list of str, not a str"
        )));
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        out.push(str_of(&item?, field)?);
    }
    Ok(out)
}
