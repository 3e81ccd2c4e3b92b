//! Python ↔ core conversions: host values to JSON text for the core's
//! readers, core values to Python data through their canonical JSON.

use std::borrow::Cow;
use std::path::PathBuf;

use custclass::{
    Classification, Customer, ImportOptions, PriceRequest, Setup, SetupError, canonical,
};
use jiff::civil::Date;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde::Serialize;

use crate::{PyClassification, PyCustomer, PySetup};

/// As deep as serde_json nests when it parses; also stops self-containing lists.
const MAX_DEPTH: usize = 128;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The text a file reader gets: `str` (as UTF-8) or `bytes`, not copied.
#[derive(Debug, FromPyObject)]
pub(crate) enum Data {
    /// A `str`.
    Text(PyBackedStr),
    /// A `bytes` or `bytearray`.
    Bytes(PyBackedBytes),
}

impl Data {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Data::Text(text) => text.as_bytes(),
            Data::Bytes(bytes) => bytes,
        }
    }
}

/// Core value → Python data: `json.loads` of its canonical JSON.
pub(crate) fn to_py<'py>(py: Python<'py>, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    loads(py, &canonical::to_string(value))
}

/// `json.loads(text)`.
pub(crate) fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    LOADS.import(py, "json", "loads")?.call1((text,))
}

/// The JSON text of a host value: a `str` passes through unchanged, anything
/// else is converted to JSON.
pub(crate) fn json_text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(text) => Ok(text.to_cow()?.into_owned()),
        Err(_) => {
            let mut out = String::new();
            write_json(value, &mut String::from("$"), 0, &mut out)?;
            Ok(out)
        }
    }
}

/// Customers: a list of dicts or JSON text of an array, read by the core so
/// that an error names the customer's place (`$[3].email`).
pub(crate) fn customers(value: &Bound<'_, PyAny>) -> PyResult<Vec<Customer>> {
    Customer::list_from_json(&json_text(value)?).map_err(crate::errors::customer)
}

/// A customer: a `Customer` as is, or a dict or JSON text read by the core.
pub(crate) fn customer<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, Customer>> {
    if let Ok(customer) = value.cast::<PyCustomer>() {
        return Ok(Cow::Borrowed(&customer.get().0));
    }
    let customer = Customer::from_json(&json_text(value)?);
    customer.map(Cow::Owned).map_err(crate::errors::customer)
}

/// A classification as a host stored it: a `Classification` as is, or its
/// dict or JSON text read back by the core.
pub(crate) fn classification<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, Classification>> {
    if let Ok(classification) = value.cast::<PyClassification>() {
        return Ok(Cow::Borrowed(&classification.get().0));
    }
    let classification = Classification::from_json(&json_text(value)?);
    classification
        .map(Cow::Owned)
        .map_err(crate::errors::customer)
}

/// One order line: a dict or JSON text read by the core.
pub(crate) fn request(value: &Bound<'_, PyAny>) -> PyResult<PriceRequest> {
    PriceRequest::from_json(&json_text(value)?).map_err(crate::errors::pricing)
}

/// The lines of an order: a list of dicts, or JSON text of an array, read by
/// the core as one array so that an error names the line.
pub(crate) fn requests(value: &Bound<'_, PyAny>) -> PyResult<Vec<PriceRequest>> {
    PriceRequest::list_from_json(&json_text(value)?).map_err(crate::errors::pricing)
}

/// A webshop payload: JSON text as a `str`, the raw body as `bytes` (read
/// by the core as every door reads it: a byte-order mark honoured, a byte
/// that isn't text a `ConnectError` at its place), or the parsed dict (any other
/// JSON value too, which the core then refuses as not the platform's
/// shape), made into JSON text for the core.
pub(crate) fn payload(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_instance_of::<PyString>() {
        return json_text(value);
    }
    match value.extract::<PyBackedBytes>() {
        Ok(bytes) => custclass::payload_text(&bytes).map_err(crate::errors::connect),
        Err(_) => json_text(value),
    }
}

/// The options of `from_shopify` & co.: a dict (`id`, `vat_meta_keys`) or
/// JSON text, read by the core; `None` for the defaults.
pub(crate) fn import_options(value: Option<&Bound<'_, PyAny>>) -> PyResult<ImportOptions> {
    match value {
        Some(value) if !value.is_none() => {
            ImportOptions::from_json(&json_text(value)?).map_err(crate::errors::connect)
        }
        _ => Ok(ImportOptions::default()),
    }
}

/// A decimal of the core as a `decimal.Decimal`, from its exact text.
pub(crate) fn decimal<'py>(
    py: Python<'py>,
    value: &impl std::fmt::Display,
) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL
        .import(py, "decimal", "Decimal")?
        .call1((value.to_string(),))
}

/// A setup: a `Setup`, a dict, JSON text, or a path. The outer error is the
/// host's (a bad value, an unreadable file); the inner one the core's.
pub(crate) fn setup(value: &Bound<'_, PyAny>) -> PyResult<Result<Setup, SetupError>> {
    if let Ok(setup) = value.cast::<PySetup>() {
        return Ok(Ok(setup.get().0.clone()));
    }
    let is_json = match value.cast::<PyString>() {
        Ok(text) => text.to_cow()?.trim_start().starts_with('{'),
        Err(_) => value.is_instance_of::<PyDict>(),
    };
    let text = if is_json {
        json_text(value)?
    } else {
        let path = value.extract().map_err(|_| match value.get_type().name() {
            Ok(name) => PyTypeError::new_err(format!(
                "expected a Setup, a dict, JSON text or a path, not {name}"
            )),
            Err(err) => err,
        })?;
        read_file(value.py(), path)?
    };
    Ok(Setup::from_json(&text))
}

/// Reads a UTF-8 file without holding the GIL.
fn read_file(py: Python<'_>, path: PathBuf) -> PyResult<String> {
    py.detach(|| std::fs::read_to_string(&path))
        .map_err(|err| match err.raw_os_error() {
            // OSError(errno, strerror, filename) becomes FileNotFoundError & co.
            Some(errno) => {
                let text = err.to_string().replace(&format!(" (os error {errno})"), "");
                PyOSError::new_err((errno, text, path.into_os_string()))
            }
            None => PyOSError::new_err(format!("{}: {err}", path.display())),
        })
}

/// The day of `classify(customer, on=…)`: `"YYYY-MM-DD"` or a `datetime.date`
/// (not a `datetime.datetime`, whose time would be dropped without a word).
pub(crate) fn day(value: &Bound<'_, PyAny>) -> PyResult<Date> {
    let py = value.py();
    let text: String = if value.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        return Err(PyTypeError::new_err(
            "on: give a datetime.date or 'YYYY-MM-DD', not a datetime.datetime",
        ));
    } else if value.is_instance(DATE.import(py, "datetime", "date")?)? {
        value.call_method0("isoformat")?.extract()?
    } else {
        value.extract().map_err(|_| {
            PyTypeError::new_err("on: expected a datetime.date or a 'YYYY-MM-DD' string")
        })?
    };
    match text.parse::<Date>() {
        Ok(day) if day.to_string() == text => Ok(day),
        Ok(_) => Err(PyValueError::new_err(format!(
            "on: '{text}' is not a day written YYYY-MM-DD"
        ))),
        Err(err) => Err(PyValueError::new_err(format!("on: '{text}': {err}"))),
    }
}

/// Writes a host value as JSON text (compact, object keys sorted, as
/// serde_json writes a `Value`): `None`, `bool`, `int` (an integer),
/// `float`, `decimal.Decimal` (a number with its exact text, every digit
/// kept), `str`, lists and tuples, dicts with `str` keys. `path` names the
/// place for error messages.
pub(crate) fn write_json(
    value: &Bound<'_, PyAny>,
    path: &mut String,
    depth: usize,
    out: &mut String,
) -> PyResult<()> {
    let py = value.py();
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "{path}: nested deeper than {MAX_DEPTH} levels"
        )));
    }
    if value.is_none() {
        out.push_str("null");
        return Ok(());
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        out.push_str(if flag.is_true() { "true" } else { "false" });
        return Ok(());
    }
    if let Ok(text) = value.cast::<PyString>() {
        write_string(&text.to_cow()?, out);
        return Ok(());
    }
    // An int, a float or a Decimal: a number with its exact text.
    let decimal = DECIMAL.import(py, "decimal", "Decimal")?;
    let (int, float) = (py.get_type::<PyInt>(), py.get_type::<PyFloat>());
    for (kind, method) in [
        (&int, "__repr__"),
        (&float, "__repr__"),
        (decimal, "__str__"),
    ] {
        if value.is_instance(kind)? {
            let text: String = kind.call_method1(method, (value,))?.extract()?;
            // A Decimal is exact: with more places than the core takes of a
            // number (a float's rule), its plain digits go as text.
            if method == "__str__" && places(&text) > i64::from(custclass::limits::FLOAT_PLACES) {
                let plain: String = value.call_method1("__format__", ("f",))?.extract()?;
                write_string(&plain, out);
                return Ok(());
            }
            if !is_json_number(&text) {
                return Err(PyValueError::new_err(format!(
                    "{path}: {text} is not a JSON number"
                )));
            }
            out.push_str(&text);
            return Ok(());
        }
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut entries = std::collections::BTreeMap::new();
        for (key, item) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "{path}: a key of type '{}' is not a string",
                    key.get_type().name()?
                )));
            };
            let key = key.to_cow()?.into_owned();
            let mark = path.len();
            path.push('.');
            path.push_str(&key);
            let mut text = String::new();
            write_json(&item, path, depth + 1, &mut text)?;
            path.truncate(mark);
            entries.insert(key, text);
        }
        out.push('{');
        for (at, (key, text)) in entries.iter().enumerate() {
            if at > 0 {
                out.push(',');
            }
            write_string(key, out);
            out.push(':');
            out.push_str(text);
        }
        out.push('}');
        return Ok(());
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        out.push('[');
        for (index, item) in value.try_iter()?.enumerate() {
            if index > 0 {
                out.push(',');
            }
            let mark = path.len();
            path.push_str(&format!("[{index}]"));
            write_json(&item?, path, depth + 1, out)?;
            path.truncate(mark);
        }
        out.push(']');
        return Ok(());
    }
    Err(PyTypeError::new_err(format!(
        "{path}: a value of type '{}' can't be converted to JSON",
        value.get_type().name()?
    )))
}

/// The decimal places of a number's text (`1.2500` has 2, `1E-7` has 7,
/// `12E+3` none): trailing zeros are no places.
fn places(text: &str) -> i64 {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let fraction = mantissa
        .split_once('.')
        .map_or("", |(_, fraction)| fraction);
    let written = fraction.trim_end_matches('0').len() as i64;
    (written - exponent).max(0)
}

/// A JSON string, escaped as serde_json escapes it.
fn write_string(text: &str, out: &mut String) {
    // Writing a `str` as JSON cannot fail.
    if let Ok(json) = serde_json::to_string(text) {
        out.push_str(&json);
    }
}

/// Whether `text` (an int's, float's or Decimal's text; `nan`, `inf` and
/// `Infinity` are not JSON) is a JSON number. serde_json checks the syntax
/// of a raw value without making it a float, so `1E+400` passes and the core
/// reads the digits.
fn is_json_number(text: &str) -> bool {
    text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
        && serde_json::from_str::<&serde_json::value::RawValue>(text).is_ok()
}
