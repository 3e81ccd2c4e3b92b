//! JS ↔ core conversions.
//!
//! In: a JSON string passes through as text; a plain object or array becomes
//! a `serde_json::Value` (integral safe numbers as integers, other numbers as
//! f64) whose compact, key-sorted text the core parses — the same text the
//! Rust vector runner parses, so line/column messages agree. An instance of
//! the binding's own class is used as it is.
//!
//! Out: `toJson` is the core's canonical JSON; plain objects are
//! `JSON.parse` of that text (decimals stay strings). The result columns of
//! a batch are made by `Expand` instead, one JS call per column.

use std::fmt::Write as _;

use custclass::{Classification, Customer, ImportOptions, PriceRequest, Setup, canonical};
use napi::bindgen_prelude::{
    Array, ClassInstance, Either, FnArgs, FromNapiValue, Function, Int32Array, JavaScriptClassExt,
    JsObjectValue, Null, Object, ToNapiValue, Uint8Array, Unknown,
};
use napi::{Env, JsValue, Result, ValueType};
use serde_json::{Map, Value};

use crate::{JsClassification, JsCustomer, JsSetup, errors};
use custclass::batch::{Batch, Column};

/// Nesting deeper than this is refused (it is most likely a cycle).
const MAX_DEPTH: usize = 128;

/// Text of a file given as a string or as bytes (`Uint8Array`, `Buffer`).
pub type Data = Either<String, Uint8Array>;

/// The bytes of `data`, copied so they can leave the JS thread.
pub fn bytes(data: Data) -> Vec<u8> {
    match data {
        Either::A(text) => text.into_bytes(),
        Either::B(bytes) => bytes.to_vec(),
    }
}

/// A setup given as a `Setup`, or the JSON text of one.
#[derive(Debug)]
pub enum Given<T> {
    /// An instance of the binding's class.
    Native(T),
    /// JSON text for the core to parse.
    Text(String),
}

/// The setup in `value`: a `Setup`, a plain object or a JSON string.
pub fn given_setup(env: &Env, value: Unknown) -> Result<Given<Setup>> {
    if JsSetup::instance_of(env, &value)? {
        let setup = ClassInstance::<JsSetup>::from_unknown(value)?;
        return Ok(Given::Native(setup.inner.clone()));
    }
    json_text(env, value, "setup").map(Given::Text)
}

/// The setup in `value`, read by the core.
pub fn setup(env: &Env, value: Unknown) -> Result<Setup> {
    match given_setup(env, value)? {
        Given::Native(setup) => Ok(setup),
        Given::Text(text) => Setup::from_json(&text).map_err(|err| errors::setup(env, &err)),
    }
}

/// The customer in `value`: a `Customer`, a plain object or a JSON string.
pub fn customer(env: &Env, value: Unknown) -> Result<Customer> {
    if JsCustomer::instance_of(env, &value)? {
        let customer = ClassInstance::<JsCustomer>::from_unknown(value)?;
        return Ok(customer.inner.clone());
    }
    let text = json_text(env, value, "customer")?;
    Customer::from_json(&text).map_err(|err| errors::customer(env, &err))
}

/// A classification as a host stored it: a `Classification`, its plain
/// object or its JSON text.
pub fn classification(env: &Env, value: Unknown) -> Result<Classification> {
    if JsClassification::instance_of(env, &value)? {
        let classification = ClassInstance::<JsClassification>::from_unknown(value)?;
        return Ok(classification.inner.clone());
    }
    let text = json_text(env, value, "previous")?;
    Classification::from_json(&text).map_err(|err| errors::customer(env, &err))
}

/// The customers in `value`: an array of plain objects or its JSON text,
/// read as one JSON array so that an error names the customer's place.
pub fn customers(env: &Env, value: Unknown) -> Result<Vec<Customer>> {
    let text = json_text(env, value, "customers")?;
    Customer::list_from_json(&text).map_err(|err| errors::customer(env, &err))
}

/// A batch of customers in `value`: an array of customer objects, an
/// object of column arrays, or the JSON text of either, made into JSON text
/// once for the core.
pub fn batch(env: &Env, value: Unknown) -> Result<Batch> {
    let array = match value.get_type()? {
        ValueType::String => return String::from_unknown(value).map(Batch::from_text),
        ValueType::Object => Object::from_unknown(value)?.is_array()?,
        other => {
            return Err(errors::type_error(
                env,
                format!(
                    "batch must be an array of customers, an object of columns or a JSON string, not {}",
                    kind(other)
                ),
            ));
        }
    };
    let text = json_text(env, value, "batch")?;
    Ok(if array {
        Batch::Customers(text)
    } else {
        Batch::Columns(text)
    })
}

/// Named segments: an object of name → expression, in its key order
/// (`Object.entries`), or an array of `[name, expression]` pairs.
pub fn segments(env: &Env, value: Unknown) -> Result<Vec<(String, String)>> {
    let wrong = || {
        errors::type_error(
            env,
            "segments must be an object of name → expression or an array of [name, expression] pairs"
                .to_owned(),
        )
    };
    if value.get_type()? != ValueType::Object {
        return Err(wrong());
    }
    let object = Object::from_unknown(value)?;
    let pairs = if object.is_array()? {
        object
    } else {
        let constructor: Function = env.get_global()?.get_named_property("Object")?;
        let entries: Function<Unknown, Object> = constructor.get_named_property("entries")?;
        entries.call(value)?
    };
    let text = |pair: &Object, at: u32| -> Result<String> {
        let item: Unknown = pair.get_element(at)?;
        match item.get_type()? {
            ValueType::String => String::from_unknown(item),
            _ => Err(wrong()),
        }
    };
    let mut segments = Vec::new();
    for at in 0..pairs.get_array_length()? {
        let pair: Unknown = pairs.get_element(at)?;
        if pair.get_type()? != ValueType::Object {
            return Err(wrong());
        }
        let pair = Object::from_unknown(pair)?;
        if !pair.is_array()? || pair.get_array_length()? != 2 {
            return Err(wrong());
        }
        segments.push((text(&pair, 0)?, text(&pair, 1)?));
    }
    Ok(segments)
}

/// The `encoding` of a reader's options (`{encoding}`): none when the
/// options or the field are missing (`undefined` or `null`).
pub fn encoding(env: &Env, options: Option<Unknown>) -> Result<Option<String>> {
    let Some(options) = options else {
        return Ok(None);
    };
    match options.get_type()? {
        ValueType::Undefined | ValueType::Null => return Ok(None),
        ValueType::Object => {}
        other => {
            let message = format!("options must be an object, not {}", kind(other));
            return Err(errors::type_error(env, message));
        }
    }
    let value: Unknown = Object::from_unknown(options)?.get_named_property("encoding")?;
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::String => String::from_unknown(value).map(Some),
        other => {
            let message = format!("options.encoding must be a string, not {}", kind(other));
            Err(errors::type_error(env, message))
        }
    }
}

/// `options.stored` of `Engine#segment` and `Engine#segmentSet`: whether
/// the segments test the stored values of the classification targets
/// rather than the classified ones (`false` when not given).
pub fn stored(env: &Env, options: Option<Unknown>) -> Result<bool> {
    let Some(options) = options else {
        return Ok(false);
    };
    match options.get_type()? {
        ValueType::Undefined | ValueType::Null => return Ok(false),
        ValueType::Object => {}
        other => {
            let message = format!("options must be an object, not {}", kind(other));
            return Err(errors::type_error(env, message));
        }
    }
    let value: Unknown = Object::from_unknown(options)?.get_named_property("stored")?;
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(false),
        ValueType::Boolean => bool::from_unknown(value),
        other => {
            let message = format!("options.stored must be a boolean, not {}", kind(other));
            Err(errors::type_error(env, message))
        }
    }
}

/// A webshop payload: JSON text, the raw body as a `Uint8Array` or `Buffer`
/// (read by the core as every door reads it: a byte that isn't text is a
/// `ConnectError` at its place), or the parsed object made
/// into JSON text.
pub fn payload(env: &Env, value: Unknown) -> Result<String> {
    if value.get_type()? == ValueType::Object && value.is_typedarray()? {
        let bytes = Uint8Array::from_unknown(value).map_err(|_| {
            errors::type_error(
                env,
                "payload: a typed array must be a Uint8Array".to_owned(),
            )
        })?;
        return custclass::payload_text(&bytes).map_err(|err| errors::connect(env, &err));
    }
    json_text(env, value, "payload")
}

/// The options of `fromShopify` & co. (`{id, vat_meta_keys}`, or its JSON
/// text), read by the core; the defaults without them (`undefined` or
/// `null`).
pub fn import_options(env: &Env, options: Option<Unknown>) -> Result<ImportOptions> {
    let Some(options) = options else {
        return Ok(ImportOptions::default());
    };
    if matches!(options.get_type()?, ValueType::Undefined | ValueType::Null) {
        return Ok(ImportOptions::default());
    }
    let text = json_text(env, options, "options")?;
    ImportOptions::from_json(&text).map_err(|err| errors::connect(env, &err))
}

/// The order line in `value`: a plain object or a JSON string.
pub fn price_request(env: &Env, value: Unknown) -> Result<PriceRequest> {
    let text = json_text(env, value, "request")?;
    PriceRequest::from_json(&text).map_err(|err| errors::pricing(env, &err))
}

/// The order lines in `value`: an array of plain objects or its JSON text,
/// read as one JSON array so that an error names its line.
pub fn price_requests(env: &Env, value: Unknown) -> Result<Vec<PriceRequest>> {
    let text = json_text(env, value, "requests")?;
    PriceRequest::list_from_json(&text).map_err(|err| errors::pricing(env, &err))
}

/// JSON text of a JSON string (unchanged) or of a plain object or array.
fn json_text(env: &Env, value: Unknown, what: &str) -> Result<String> {
    match value.get_type()? {
        ValueType::String => String::from_unknown(value),
        ValueType::Object => {
            let plain = Plain::new(env)?;
            let mut path = String::from("$");
            Ok(plain.value(env, value, &mut path, 0, what)?.to_string())
        }
        other => Err(errors::type_error(
            env,
            format!(
                "{what} must be an object or a JSON string, not {}",
                kind(other)
            ),
        )),
    }
}

/// Walks plain JS data into a `serde_json::Value`.
struct Plain<'env> {
    object_prototype: Unknown<'env>,
}

impl<'env> Plain<'env> {
    fn new(env: &'env Env) -> Result<Plain<'env>> {
        let object: Function = env.get_global()?.get_named_property("Object")?;
        let object_prototype = object.get_named_property("prototype")?;
        Ok(Plain { object_prototype })
    }

    fn value(
        &self,
        env: &Env,
        value: Unknown,
        path: &mut String,
        depth: usize,
        what: &str,
    ) -> Result<Value> {
        let refuse =
            |path: &str, why: &str| errors::type_error(env, format!("{what}: {path} {why}"));
        match value.get_type()? {
            ValueType::Null => Ok(Value::Null),
            ValueType::Boolean => bool::from_unknown(value).map(Value::Bool),
            ValueType::String => String::from_unknown(value).map(Value::String),
            ValueType::Number => {
                let number = f64::from_unknown(value)?;
                number_value(number).ok_or_else(|| {
                    refuse(path, &format!("is {number}; JSON can't hold that number"))
                })
            }
            ValueType::Object if depth >= MAX_DEPTH => Err(refuse(
                path,
                &format!("is nested more than {MAX_DEPTH} deep (a cycle?)"),
            )),
            ValueType::Object => {
                let object = Object::from_unknown(value)?;
                if object.is_array()? {
                    self.array(env, &object, path, depth, what)
                } else if self.is_plain(env, &object)? {
                    self.object(env, &object, path, depth, what)
                } else {
                    Err(refuse(
                        path,
                        "is not a plain object or array; JSON can't hold it",
                    ))
                }
            }
            other => Err(refuse(
                path,
                &format!("is {}; JSON can't hold it", kind(other)),
            )),
        }
    }

    fn array(
        &self,
        env: &Env,
        array: &Object,
        path: &mut String,
        depth: usize,
        what: &str,
    ) -> Result<Value> {
        let length = array.get_array_length()?;
        let mut items = Vec::with_capacity(length as usize);
        for index in 0..length {
            let item: Unknown = array.get_element(index)?;
            let len = path.len();
            // Written in place: no string per element. (Writing to a
            // `String` can't fail.)
            let _ = write!(path, "[{index}]");
            items.push(self.value(env, item, path, depth + 1, what)?);
            path.truncate(len);
        }
        Ok(Value::Array(items))
    }

    fn object(
        &self,
        env: &Env,
        object: &Object,
        path: &mut String,
        depth: usize,
        what: &str,
    ) -> Result<Value> {
        let mut map = Map::new();
        for key in Object::keys(object)? {
            let item: Unknown = object.get_named_property(&key)?;
            // As JSON.stringify does: an undefined property is left out.
            if item.get_type()? == ValueType::Undefined {
                continue;
            }
            let len = path.len();
            path.push('.');
            path.push_str(&key);
            let value = self.value(env, item, path, depth + 1, what)?;
            path.truncate(len);
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    /// Whether `object` is a plain object: its prototype is
    /// `Object.prototype` or `null`.
    fn is_plain(&self, env: &Env, object: &Object) -> Result<bool> {
        let prototype = object.get_prototype()?;
        Ok(prototype.get_type()? == ValueType::Null
            || env.strict_equals(prototype, self.object_prototype)?)
    }
}

/// A JS number as JSON: a safe integer as an integer, any other finite
/// number as f64; `None` for NaN and the infinities.
fn number_value(number: f64) -> Option<Value> {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
        Some(Value::from(number as i64))
    } else {
        serde_json::Number::from_f64(number).map(Value::Number)
    }
}

fn kind(value_type: ValueType) -> &'static str {
    match value_type {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "a boolean",
        ValueType::Number => "a number",
        ValueType::String => "a string",
        ValueType::Symbol => "a Symbol",
        ValueType::Object => "an object",
        ValueType::Function => "a function",
        ValueType::External => "an external value",
        ValueType::BigInt => "a BigInt",
        _ => "a value of unknown type",
    }
}

/// `JSON.parse(text)`.
pub fn parse_json<'env>(env: &'env Env, text: &str) -> Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<String, Unknown> = json.get_named_property("parse")?;
    parse.call(text.to_owned())
}

/// The plain JS form of a core value: `JSON.parse` of its canonical JSON.
pub fn to_object<'env, T: serde::Serialize + ?Sized>(
    env: &'env Env,
    value: &T,
) -> Result<Unknown<'env>> {
    parse_json(env, &canonical::to_string(value))
}

/// The line numbers of `priceMany`'s `options.explain` (none without
/// options); anything but an array of whole numbers from 0 is a
/// `TypeError`.
pub fn explain(env: &Env, options: Option<Unknown>) -> Result<Vec<usize>> {
    let Some(options) = options else {
        return Ok(Vec::new());
    };
    let refused = || {
        let message = "options.explain must be an array of line numbers (0-based)".to_owned();
        errors::type_error(env, message)
    };
    match options.get_type()? {
        ValueType::Undefined | ValueType::Null => return Ok(Vec::new()),
        ValueType::Object => {}
        other => {
            let message = format!("options must be an object, not {}", kind(other));
            return Err(errors::type_error(env, message));
        }
    }
    let value: Unknown = Object::from_unknown(options)?.get_named_property("explain")?;
    if matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
        return Ok(Vec::new());
    }
    let plain = Plain::new(env)?;
    let mut path = String::from("$");
    match plain.value(env, value, &mut path, 0, "options.explain") {
        Ok(Value::Array(rows)) => rows
            .iter()
            .map(|row| {
                let row = row.as_u64().and_then(|row| usize::try_from(row).ok());
                row.ok_or_else(refused)
            })
            .collect(),
        _ => Err(refused()),
    }
}

/// Field `name` of `value`'s object form (`null` when the form leaves it
/// out; `[]` for a list it leaves out when empty): the readable
/// properties of a result class, which give what `toObject()` has.
pub fn field<'env, T: serde::Serialize>(
    env: &'env Env,
    value: &T,
    name: &str,
) -> Result<Unknown<'env>> {
    let mut form =
        serde_json::to_value(value).map_err(|err| napi::Error::from_reason(err.to_string()))?;
    let field = match form.get_mut(name).map(serde_json::Value::take) {
        Some(field) => field,
        None if name == "stacked" => serde_json::Value::Array(Vec::new()),
        None => serde_json::Value::Null,
    };
    to_object(env, &field)
}

/// `expand(keys, values)`: the array of `values[key]` for each key of an
/// `Int32Array` (`null` for -1). Run by V8 as JS, it makes a column in one
/// call where a Node-API call per row would cost ten times as much.
const EXPAND: &str = "(function expand(keys, values) {
  const rows = [];
  for (let row = 0; row < keys.length; row += 1) {
    const key = keys[row];
    rows.push(key < 0 ? null : values[key]);
  }
  return rows;
})";

/// Makes result columns into JS arrays (`Expand::column`).
pub struct Expand<'env> {
    env: &'env Env,
    expand: Function<'env, FnArgs<(Int32Array, Array<'env>)>, Unknown<'env>>,
}

impl<'env> Expand<'env> {
    /// Compiles `expand` (once per batch: microseconds).
    pub fn new(env: &'env Env) -> Result<Expand<'env>> {
        Ok(Expand {
            env,
            expand: env.run_script(EXPAND)?,
        })
    }

    /// A result column as a JS array, each distinct text made into a JS
    /// string once and shared by the rows that have it.
    pub fn column(&self, column: Column<'_>) -> Result<Unknown<'env>> {
        let (values, keys) = match column {
            Column::Dictionary { values, keys } => (
                values
                    .into_iter()
                    .map(|text| match text {
                        Some(text) => text.into_unknown(self.env),
                        None => Null.into_unknown(self.env),
                    })
                    .collect::<Result<Vec<_>>>()?,
                keys,
            ),
            Column::Flags(flags) => (
                vec![false.into_unknown(self.env)?, true.into_unknown(self.env)?],
                flags,
            ),
            Column::Json(text) => return parse_json(self.env, &text),
        };
        let values = Array::from_vec(self.env, values)?;
        self.expand.call((Int32Array::new(keys), values).into())
    }
}

impl std::fmt::Debug for Expand<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Expand")
    }
}
