//! The batch paths (`Engine#classifyMany`, `Engine#priceMany`, `Segment#filter`): a whole batch
//! of customers crosses into the module once, as JSON text, and takes the
//! core's Arrow path (`custclass::arrow`). The answer goes back column by
//! column as JS arrays whose rows share one JS string per distinct value,
//! not as one JSON text: a million rows of thirty columns would pass the
//! longest string a JS engine allows, and cost far more to parse.

use std::collections::BTreeSet;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array as _, RecordBatch};
use custclass::arrow::{ArrowCustomers, RowProblem, batch_from_json, batch_json};
use custclass::{Engine, Segment, canonical};
use js_sys::{Array, JSON, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::errors::{self, range_error};

/// A batch as JSON text, in one of its two forms.
#[derive(Debug)]
pub enum Batch {
    /// A JSON array of customer objects (the JSON `Engine#classify` reads).
    Customers(String),
    /// A JSON object of equally long column arrays, named as in the
    /// customer file (`id`, `country`, `attr.turnover`, …).
    Columns(String),
}

impl Batch {
    /// JSON text given as a string: an array is customers, anything else is
    /// read as columns (and refused there, with a `TableError`, when it is
    /// no object).
    pub fn from_text(text: String) -> Batch {
        if text.trim_start().starts_with('[') {
            Batch::Customers(text)
        } else {
            Batch::Columns(text)
        }
    }
}

/// The input rows in a segment, ascending, and the rows that could not be
/// read.
#[derive(Debug, serde::Serialize)]
struct SegmentRows {
    rows: Vec<usize>,
    errors: Vec<RowProblem>,
}

/// The customers of `batch` (its text freed once read); of columns, only
/// those in `wanted` are read. Throws a `TableError` or a `CustomerError`.
fn read(
    batch: Batch,
    wanted: impl FnOnce() -> BTreeSet<String>,
    every_column: bool,
) -> Result<ArrowCustomers, JsValue> {
    match batch {
        Batch::Customers(text) => {
            ArrowCustomers::from_json_customers(&text).map_err(errors::customer)
        }
        Batch::Columns(text) => {
            let batch = batch_from_json(&text).map_err(errors::table)?;
            drop(text);
            let wanted = (!every_column).then(wanted);
            ArrowCustomers::read(&batch.schema(), &[batch], wanted.as_ref()).map_err(errors::table)
        }
    }
}

/// `{columns: {name: values}, errors}`: every customer of `batch`
/// classified, one result row per input row.
pub fn classify(engine: &Engine, batch: Batch) -> Result<JsValue, JsValue> {
    let (result, problems) =
        read(batch, || engine.input_columns(), false)?.classify_with_problems(engine);
    answer(&result, &problems)
}

/// `{columns, errors}`: a batch of order lines (column arrays or flat line
/// objects) priced, each line's customer the row of `customers` with its
/// id, or what the line's own customer columns say.
pub fn price(engine: &Engine, lines: Batch, customers: Option<Batch>) -> Result<JsValue, JsValue> {
    let text = match lines {
        Batch::Customers(text) | Batch::Columns(text) => text,
    };
    let lines = batch_from_json(&text).map_err(errors::table)?;
    drop(text);
    let customers = match customers {
        Some(batch) => Some(read(batch, BTreeSet::new, true)?),
        None => None,
    };
    let (result, problems) = engine
        .price_batches(&lines.schema(), &[lines], customers.as_ref())
        .map_err(errors::table)?;
    answer(&result, &problems)
}

/// `{columns: {name: values}, errors}` of a result.
fn answer(result: &RecordBatch, problems: &[RowProblem]) -> Result<JsValue, JsValue> {
    let columns = Object::new();
    let schema = result.schema();
    for (at, field) in schema.fields().iter().enumerate() {
        let values = column_array(result, at)?;
        Reflect::set(&columns, &JsValue::from_str(field.name()), &values)?;
    }
    let out = Object::new();
    Reflect::set(&out, &JsValue::from_str("columns"), &columns)?;
    let errors = JSON::parse(&canonical::to_string(problems))?;
    Reflect::set(&out, &JsValue::from_str("errors"), &errors)?;
    Ok(out.into())
}

/// Result column `at` as a JS array, one value per input row. Text comes
/// as a dictionary (what the core writes): each distinct value becomes a JS
/// string once, shared by its rows. Booleans are set as they are; any
/// other column goes as the JSON `batch_json` writes.
fn column_array(result: &RecordBatch, at: usize) -> Result<JsValue, JsValue> {
    let array = result.column(at);
    let rows = u32::try_from(array.len())
        .map_err(|_| range_error("a batch holds at most 2^32 - 1 rows"))?;
    let out = Array::new_with_length(rows);
    if let Some(dictionary) = array.as_dictionary_opt::<Int32Type>()
        && let Some(values) = dictionary.values().as_string_opt::<i32>()
    {
        let texts: Vec<JsValue> = values
            .iter()
            .map(|text| text.map_or(JsValue::NULL, JsValue::from_str))
            .collect();
        for (row, key) in (0..rows).zip(dictionary.keys()) {
            let text = key.and_then(|key| texts.get(usize::try_from(key).ok()?));
            out.set_ref(row, text.unwrap_or(&JsValue::NULL));
        }
    } else if let Some(flags) = array.as_boolean_opt() {
        for (row, flag) in (0..rows).zip(flags) {
            out.set_ref(row, &flag.map_or(JsValue::NULL, JsValue::from_bool));
        }
    } else {
        let schema = result.schema();
        let name = schema.field(at).name();
        let values = result
            .project(&[at])
            .map(|column| match batch_json(&column) {
                Value::Object(mut map) => map.remove(name).unwrap_or_default(),
                _ => Value::Null,
            })
            .unwrap_or_default();
        return JSON::parse(&values.to_string());
    }
    Ok(out.into())
}

/// `{rows, errors}`: the input rows of `batch` in `segment`.
pub fn filter(segment: &Segment, batch: Batch) -> Result<JsValue, JsValue> {
    let customers = read(batch, || segment.input_columns(), false)?;
    crate::conv::to_object(&SegmentRows {
        rows: customers.select(segment, None),
        errors: customers.problems().to_vec(),
    })
}
