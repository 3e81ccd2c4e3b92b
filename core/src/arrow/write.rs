//! Results as Arrow: one row per input row, values as dictionaries (a few
//! distinct values each, whatever the number of rows).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, DictionaryArray, Int32Array, Int64Array, RecordBatch,
    StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use rustc_hash::FxHashMap;

use super::{ArrowCustomers, RowProblem};
use crate::TableClassification;
use crate::bulk::ResultColumn;
use crate::classification::Target;
use crate::engine::Engine;

/// The result columns, as the classification report has them: each
/// defined slot, type, group, price group, VAT zone, accounts and layout,
/// each followed by `<name>_source` (`rule:web-eu`, `group:EU`, `manual`),
/// then `b2b`.
pub(super) fn classification(
    customers: &ArrowCustomers,
    result: &TableClassification<'_>,
    engine: &Engine,
) -> RecordBatch {
    let slots = (1..=8)
        .filter(|slot| engine.slot_label(*slot).is_some())
        .map(|slot| Target::Class(slot).to_string());
    let names: Vec<String> = slots
        .chain(
            [
                "type",
                "group",
                "price_group",
                "vat_zone",
                "receivables_account",
                "revenue_account",
                "layout",
            ]
            .map(str::to_owned),
        )
        .collect();
    let rows = customers.input_rows();
    // Each result column is a pass of its own over the rows.
    let built = super::threads().map(&names, |name| {
        let column = result.column(name).unwrap_or(ResultColumn {
            entries: Vec::new(),
            codes: Vec::new(),
        });
        let values: Vec<&str> = column.entries.iter().map(|e| e.value.as_str()).collect();
        let sources: Vec<String> = column
            .entries
            .iter()
            .map(|e| e.source.to_string())
            .collect();
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        [
            (
                name.clone(),
                dictionary(customers, &column.codes, &values, rows),
            ),
            (
                format!("{name}_source"),
                dictionary(customers, &column.codes, &sources, rows),
            ),
        ]
    });
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (name, array) in built.into_iter().flatten() {
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    let b2b = result.column("b2b").unwrap_or(ResultColumn {
        entries: Vec::new(),
        codes: Vec::new(),
    });
    let mut flags: Vec<Option<bool>> = vec![None; rows];
    for (row, code) in b2b.codes.iter().enumerate() {
        let value = code
            .checked_sub(1)
            .and_then(|at| b2b.entries.get(at as usize))
            .map(|entry| entry.value == "true");
        if let Some(place) = flags.get_mut(customers.input_row(row)) {
            *place = value;
        }
    }
    fields.push(Field::new("b2b", DataType::Boolean, true));
    arrays.push(Arc::new(BooleanArray::from(flags)));
    let schema = Arc::new(Schema::new(fields));
    RecordBatch::try_new(schema.clone(), arrays).unwrap_or_else(|_| RecordBatch::new_empty(schema))
}

/// `codes` (1-based into `texts`, per table row) as a dictionary column
/// per input row; equal texts share one dictionary value.
fn dictionary(customers: &ArrowCustomers, codes: &[u32], texts: &[&str], rows: usize) -> ArrayRef {
    let mut distinct: FxHashMap<&str, i32> = FxHashMap::default();
    let mut values: Vec<&str> = Vec::new();
    let key_of: Vec<i32> = texts
        .iter()
        .map(|text| {
            *distinct.entry(text).or_insert_with(|| {
                values.push(text);
                values.len() as i32 - 1
            })
        })
        .collect();
    // Keys with a validity mask, written in place (no Option per row).
    let mut keys = vec![0i32; rows];
    let mut valid = vec![false; rows];
    for (row, code) in codes.iter().enumerate() {
        let key = code.checked_sub(1).and_then(|at| key_of.get(at as usize));
        let input = customers.input_row(row);
        if let (Some(&key), Some(place), Some(flag)) =
            (key, keys.get_mut(input), valid.get_mut(input))
        {
            *place = key;
            *flag = true;
        }
    }
    let values: ArrayRef = Arc::new(StringArray::from(values));
    let keys = Int32Array::new(keys.into(), Some(arrow_buffer::NullBuffer::from(valid)));
    match DictionaryArray::<Int32Type>::try_new(keys, values) {
        Ok(array) => Arc::new(array),
        Err(_) => arrow_array::new_null_array(
            &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            rows,
        ),
    }
}

/// Problems as a record batch: `row` (int64), `id`, `column`, `code`,
/// `message`.
pub fn problems_batch(problems: &[RowProblem]) -> RecordBatch {
    let text = |get: fn(&RowProblem) -> Option<&str>| -> ArrayRef {
        Arc::new(StringArray::from(
            problems.iter().map(get).collect::<Vec<_>>(),
        ))
    };
    let fields = vec![
        Field::new("row", DataType::Int64, false),
        Field::new("id", DataType::Utf8, true),
        Field::new("column", DataType::Utf8, true),
        Field::new("code", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
    ];
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(
            problems.iter().map(|p| p.row as i64).collect::<Vec<_>>(),
        )),
        text(|p| p.id.as_deref()),
        text(|p| p.column.as_deref()),
        text(|p| Some(&p.code)),
        text(|p| Some(&p.message)),
    ];
    let schema = Arc::new(Schema::new(fields));
    RecordBatch::try_new(schema.clone(), arrays).unwrap_or_else(|_| RecordBatch::new_empty(schema))
}

/// The text of row `row` of a text or integer column, if it has one.
pub(super) fn text_at(array: &ArrayRef, row: usize) -> Option<String> {
    if row >= array.len() || array.logical_nulls().is_some_and(|n| n.is_null(row)) {
        return None;
    }
    let one = array.slice(row, 1);
    let text = match one.data_type() {
        DataType::Utf8 => one.as_string_opt::<i32>()?.value(0).to_owned(),
        DataType::LargeUtf8 => one.as_string_opt::<i64>()?.value(0).to_owned(),
        DataType::Utf8View => one.as_string_view_opt()?.value(0).to_owned(),
        DataType::Dictionary(..) => {
            let dictionary = one.as_any_dictionary_opt()?;
            if dictionary.values().is_empty() {
                return None;
            }
            let key = *dictionary.normalized_keys().first()?;
            return text_at(dictionary.values(), key);
        }
        _ => arrow_cast_display(&one)?,
    };
    Some(text)
}

/// An integer id written in decimal.
fn arrow_cast_display(one: &ArrayRef) -> Option<String> {
    use arrow_array::types::{
        Int8Type, Int16Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
    };
    macro_rules! first {
        ($type:ty) => {
            one.as_primitive_opt::<$type>()
                .map(|a| a.value(0).to_string())
        };
    }
    match one.data_type() {
        DataType::Int8 => first!(Int8Type),
        DataType::Int16 => first!(Int16Type),
        DataType::Int32 => first!(Int32Type),
        DataType::Int64 => first!(Int64Type),
        DataType::UInt8 => first!(UInt8Type),
        DataType::UInt16 => first!(UInt16Type),
        DataType::UInt32 => first!(UInt32Type),
        DataType::UInt64 => first!(UInt64Type),
        _ => None,
    }
}

/// A record batch as a JSON object of arrays, one per column, in column
/// order: text (plain or dictionary) as strings, booleans, integers as
/// numbers, decimals as strings (exact, as the core's JSON writes them),
/// null as null. The columnar answer of hosts without Arrow.
pub fn batch_json(batch: &RecordBatch) -> serde_json::Value {
    let schema = batch.schema();
    let columns = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(field, array)| {
            let values = (0..array.len()).map(|row| value_json(array, row)).collect();
            (field.name().clone(), serde_json::Value::Array(values))
        });
    serde_json::Value::Object(columns.collect())
}

fn value_json(array: &ArrayRef, row: usize) -> serde_json::Value {
    use arrow_array::types::{Decimal128Type, Int64Type};
    use serde_json::Value;
    if array.logical_nulls().is_some_and(|n| n.is_null(row)) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Boolean => array
            .as_boolean_opt()
            .map_or(Value::Null, |a| Value::Bool(a.value(row))),
        DataType::Int64 => array
            .as_primitive_opt::<Int64Type>()
            .map_or(Value::Null, |a| Value::from(a.value(row))),
        DataType::Decimal128(_, scale) => array
            .as_primitive_opt::<Decimal128Type>()
            .and_then(|a| {
                let scale = u32::try_from(*scale).ok()?;
                rust_decimal::Decimal::try_from_i128_with_scale(a.value(row), scale).ok()
            })
            .map_or(Value::Null, |d| Value::String(d.to_string())),
        _ => text_at(array, row).map_or(Value::Null, Value::String),
    }
}
