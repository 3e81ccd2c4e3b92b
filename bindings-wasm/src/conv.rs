//! JS ↔ core conversions.
//!
//! In: an instance of one of the binding's classes is borrowed as it is; a
//! string is JSON text and reaches the core unchanged; any other value is
//! walked into a `serde_json::Value` (safe integers as integers, other
//! numbers as floats, plain objects and arrays; anything JSON can't hold is a
//! `TypeError` naming where) whose text the core then reads.
//!
//! Out: plain data is `JSON.parse` of the core's canonical JSON.

use std::cell::Cell;
use std::fmt::Write as _;

use custclass::{
    Classification, ConnectError, CountryCode, Customer, CustomerError, ImportOptions,
    PriceRequest, PricingError, Setup, SetupError, canonical,
};
use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use serde_json::{Map, Value};
use wasm_bindgen::closure::ScopedClosure;
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::{range_error, type_error};
use crate::{JsCustomer, JsSetup};
use custclass::batch::Batch;

/// Objects nested deeper than this are refused (a cycle, most likely); the
/// core refuses JSON nested deeper than 128 anyway.
const MAX_DEPTH: usize = 256;

/// `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

thread_local! {
    /// `Setup.prototype` and `Customer.prototype`, from one instance each.
    static SETUP_PROTOTYPE: Option<Object> = Setup::from_json(r#"{"home_country": "NL"}"#)
        .ok()
        .map(|inner| Object::get_prototype_of(&JsSetup { inner }.into()));
    static CUSTOMER_PROTOTYPE: Object =
        Object::get_prototype_of(&JsCustomer { inner: Customer::default() }.into());
}

/// A setup argument: a `Setup`, a plain object or JSON text. The outer error
/// is a `TypeError` (the argument can't be JSON); the inner one is the core's.
pub fn setup(value: &JsValue, name: &str) -> Result<Result<Setup, SetupError>, JsValue> {
    let prototype = SETUP_PROTOTYPE.with(Clone::clone);
    if prototype.is_some_and(|prototype| prototype.is_prototype_of(value)) {
        return lend(value, |setup: &JsSetup| setup.inner.clone()).map(Ok);
    }
    json_text(value, name).map(|text| Setup::from_json(&text))
}

/// A customer argument: a `Customer`, a plain object or JSON text.
pub fn customer(value: &JsValue, name: &str) -> Result<Result<Customer, CustomerError>, JsValue> {
    if CUSTOMER_PROTOTYPE.with(|prototype| prototype.is_prototype_of(value)) {
        return lend(value, |customer: &JsCustomer| customer.inner.clone()).map(Ok);
    }
    json_text(value, name).map(|text| Customer::from_json(&text))
}

/// Customers: an array of plain objects or its JSON text, read as one
/// array so that an error names the customer's place.
pub fn customers(
    value: &JsValue,
    name: &str,
) -> Result<Result<Vec<Customer>, CustomerError>, JsValue> {
    json_text(value, name).map(|text| Customer::list_from_json(&text))
}

/// Named segments: an object of name → expression, in its key order
/// (`Object.entries`), or an array of `[name, expression]` pairs.
pub fn segments(value: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let wrong = || {
        type_error(
            "segments must be an object of name → expression or an array of [name, expression] pairs",
        )
    };
    if !value.is_object() {
        return Err(wrong());
    }
    let pairs = if Array::is_array(value) {
        Array::from(value)
    } else {
        Object::entries(value.unchecked_ref())
    };
    pairs
        .iter()
        .map(|pair| {
            if !Array::is_array(&pair) {
                return Err(wrong());
            }
            let pair = Array::from(&pair);
            match (
                pair.length(),
                pair.get(0).as_string(),
                pair.get(1).as_string(),
            ) {
                (2, Some(name), Some(expression)) => Ok((name, expression)),
                _ => Err(wrong()),
            }
        })
        .collect()
}

/// A batch of customers: an array of customer objects, an object of column
/// arrays, or the JSON text of either, made into JSON text once for the
/// core.
pub fn batch(value: &JsValue, name: &str) -> Result<Batch, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(Batch::from_text(text));
    }
    if !value.is_object() {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        return Err(type_error(&format!(
            "{name}: expected an array of customers, an object of columns or a JSON string, not {}",
            format!("a {kind}").replace("a undefined", "undefined")
        )));
    }
    let array = Array::is_array(value);
    let text = json_text(value, name)?;
    Ok(if array {
        Batch::Customers(text)
    } else {
        Batch::Columns(text)
    })
}

/// A line to price: a plain object or JSON text.
pub fn request(value: &JsValue, name: &str) -> Result<Result<PriceRequest, PricingError>, JsValue> {
    json_text(value, name).map(|text| PriceRequest::from_json(&text))
}

/// The lines of an order: an array of plain objects or the JSON text of
/// one, read as one JSON array so that an error names its line.
pub fn requests(
    value: &JsValue,
    name: &str,
) -> Result<Result<Vec<PriceRequest>, PricingError>, JsValue> {
    json_text(value, name).map(|text| PriceRequest::list_from_json(&text))
}

/// A classification as a host stored it: a `Classification` (anything with
/// a `toJson()` method is read through it), its plain object or its JSON
/// text. The outer error is a `TypeError`; the inner one is the core's.
pub fn classification(
    value: &JsValue,
    name: &str,
) -> Result<Result<Classification, CustomerError>, JsValue> {
    let to_json = Reflect::get(value, &JsValue::from_str("toJson"))
        .ok()
        .and_then(|method| method.dyn_into::<Function>().ok());
    let text = match to_json {
        Some(method) if value.is_object() => method
            .call0(value)?
            .as_string()
            .ok_or_else(|| type_error(&format!("{name}: toJson() did not give a string")))?,
        _ => json_text(value, name)?,
    };
    Ok(Classification::from_json(&text))
}

/// Reads an instance of one of the binding's classes without moving it out
/// of its JS object: JS hands it to a scoped Rust callback by reference (the
/// glue checks the class and that the object was not freed).
fn lend<T, V>(value: &JsValue, read: fn(&T) -> V) -> Result<V, JsValue>
where
    T: wasm_bindgen::convert::RefFromWasmAbi + 'static,
{
    let out = Cell::new(None);
    let mut take = |instance: &T| out.set(Some(read(instance)));
    let callback = ScopedClosure::<dyn FnMut(&T) + '_>::borrow_mut(&mut take);
    callback
        .as_js_value()
        .unchecked_ref::<Function>()
        .call1(&JsValue::NULL, value)?;
    drop(callback);
    out.into_inner()
        .ok_or_else(|| type_error("the instance could not be borrowed"))
}

/// The JSON text of an argument: a string as it is, anything else walked
/// into a `Value` and written out (keys sorted, as the core's tests do).
pub fn json_text(value: &JsValue, name: &str) -> Result<String, JsValue> {
    match value.as_string() {
        Some(text) => Ok(text),
        None => to_value(value, &mut format!("{name}: $"), 0).map(|value| value.to_string()),
    }
}

fn to_value(value: &JsValue, path: &mut String, depth: usize) -> Result<Value, JsValue> {
    // The most common kinds first: each test is a call into JS.
    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    if let Some(number) = value.as_f64() {
        // `Number.isSafeInteger`, without another call into JS.
        if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
            return Ok(Value::from(number as i64));
        }
        return serde_json::Number::from_f64(number)
            .map(Value::Number)
            .ok_or_else(|| refuse(path, "NaN or an infinity"));
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    if let Some(flag) = value.as_bool() {
        return Ok(Value::Bool(flag));
    }
    if !value.is_object() {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        return Err(refuse(
            path,
            &format!("a {kind}").replace("a undefined", "undefined"),
        ));
    }
    if depth >= MAX_DEPTH {
        let start: String = path.chars().take(60).collect();
        let cycle = format!("{start}… is nested deeper than {MAX_DEPTH} levels (a cycle?)");
        return Err(type_error(&cycle));
    }
    let mark = path.len();
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        let mut items = Vec::new();
        for index in 0..array.length() {
            // Written in place: no string per element. (Writing to a
            // `String` can't fail.)
            let _ = write!(path, "[{index}]");
            items.push(to_value(&array.get(index), path, depth + 1)?);
            path.truncate(mark);
        }
        return Ok(Value::Array(items));
    }
    let prototype = Object::get_prototype_of(value);
    if !(prototype.is_null() || Object::get_prototype_of(&prototype).is_null()) {
        let class = Reflect::get(&prototype, &JsValue::from_str("constructor"))
            .and_then(|constructor| Reflect::get(&constructor, &JsValue::from_str("name")))
            .ok()
            .and_then(|name| name.as_string())
            .unwrap_or_default();
        return Err(refuse(
            path,
            &format!("a {class} object, not a plain object"),
        ));
    }
    let object: &Object = value.unchecked_ref();
    let mut map = Map::new();
    for key in Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        path.push('.');
        path.push_str(&key);
        let item = Reflect::get(object, &JsValue::from_str(&key))?;
        // As JSON.stringify (and the Node addon) do: an undefined property
        // is left out, so `{vat_number: form.vat || undefined}` means none.
        if !item.is_undefined() {
            map.insert(key, to_value(&item, path, depth + 1)?);
        }
        path.truncate(mark);
    }
    Ok(Value::Object(map))
}

fn refuse(path: &str, what: &str) -> JsValue {
    type_error(&format!("{path} is {what}, which JSON can't hold"))
}

/// Plain JS data of the core's canonical JSON for `value`.
pub fn to_object<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&canonical::to_string(value))
}

/// Field `name` of `value`'s object form (`null` when the form leaves it
/// out; `[]` for a list it leaves out when empty): the readable
/// properties of a result class, which give what `toObject()` has.
pub fn field<T: serde::Serialize>(value: &T, name: &str) -> Result<JsValue, JsValue> {
    let mut form = serde_json::to_value(value).map_err(|err| type_error(&err.to_string()))?;
    let field = match form.get_mut(name).map(serde_json::Value::take) {
        Some(field) => field,
        None if name == "stacked" => serde_json::Value::Array(Vec::new()),
        None => serde_json::Value::Null,
    };
    to_object(&field)
}

/// The line numbers of `priceMany`'s `options.explain` (none without
/// options); anything but an array of whole numbers from 0 is a
/// `TypeError`.
pub fn explain(options: &JsValue) -> Result<Vec<usize>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    let refused = || type_error("options.explain must be an array of line numbers (0-based)");
    if !options.is_object() {
        return Err(type_error("options must be an object"));
    }
    let rows = js_sys::Reflect::get(options, &JsValue::from_str("explain"))?;
    if rows.is_undefined() || rows.is_null() {
        return Ok(Vec::new());
    }
    if !js_sys::Array::is_array(&rows) {
        return Err(refused());
    }
    js_sys::Array::from(&rows)
        .iter()
        .map(|row| {
            let row = row.as_f64().filter(|row| row.fract() == 0.0 && *row >= 0.0);
            // A whole number from 0: the cast keeps it (saturating past usize).
            row.map(|row| row as usize).ok_or_else(refused)
        })
        .collect()
}

/// The bytes of a file given as a string or a `Uint8Array`.
pub fn bytes(data: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = data.as_string() {
        return Ok(text.into_bytes());
    }
    match data.dyn_ref::<Uint8Array>() {
        Some(array) => Ok(array.to_vec()),
        None => Err(type_error("data: expected a string or a Uint8Array")),
    }
}

/// A webshop payload: JSON text, the raw body as a `Uint8Array` (read by the
/// core as every door reads it: a byte that isn't text is a `ConnectError`
/// at its place), or the parsed object made into JSON
/// text.
pub fn payload(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    match value.dyn_ref::<Uint8Array>() {
        Some(array) => custclass::payload_text(&array.to_vec()).map_err(crate::errors::connect),
        None => json_text(value, "payload"),
    }
}

/// The options of `fromShopify` & co. (`{id, vat_meta_keys}`, or its JSON
/// text), read by the core; the defaults without them (`undefined` or
/// `null`). The outer error is a `TypeError`; the inner one the core's.
pub fn import_options(
    options: Option<JsValue>,
) -> Result<Result<ImportOptions, ConnectError>, JsValue> {
    match options.filter(|o| !o.is_undefined() && !o.is_null()) {
        None => Ok(Ok(ImportOptions::default())),
        Some(options) => json_text(&options, "options").map(|text| ImportOptions::from_json(&text)),
    }
}

/// The `encoding` of a reader's options (`{encoding}`): none when the
/// options or the field are missing (`undefined` or `null`).
pub fn encoding(options: Option<JsValue>) -> Result<Option<String>, JsValue> {
    let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(None);
    };
    if !options.is_object() {
        return Err(type_error("options: expected an object"));
    }
    let value = Reflect::get(&options, &JsValue::from_str("encoding"))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_string() {
        Some(label) => Ok(Some(label)),
        None => Err(type_error("options.encoding: expected a string")),
    }
}

/// `options.stored` of `Engine#segment` and `Engine#segmentSet`: whether
/// the segments test the stored values of the classification targets
/// rather than the classified ones (`false` when not given).
pub fn stored(options: Option<JsValue>) -> Result<bool, JsValue> {
    let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(false);
    };
    if !options.is_object() {
        return Err(type_error("options: expected an object"));
    }
    let value = Reflect::get(&options, &JsValue::from_str("stored"))?;
    if value.is_undefined() || value.is_null() {
        return Ok(false);
    }
    value
        .as_bool()
        .ok_or_else(|| type_error("options.stored: expected a boolean"))
}

/// A day written `YYYY-MM-DD`, and nothing longer.
pub fn day(text: &str) -> Result<jiff::civil::Date, JsValue> {
    match text.parse() {
        Ok(day) if text.len() == 10 => Ok(day),
        _ => Err(range_error(&format!(
            "on: `{text}` is not a date like 2026-01-31"
        ))),
    }
}

/// An ISO 3166-1 alpha-2 country code.
pub fn country(code: String) -> Result<CountryCode, JsValue> {
    CountryCode::try_from(code).map_err(|message| range_error(&format!("homeCountry: {message}")))
}
