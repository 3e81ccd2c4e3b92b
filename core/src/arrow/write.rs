//! Results as Arrow: one row per input row, values as dictionaries (a few
//! distinct values each, whatever the number of rows).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, DictionaryArray, Int32Array, Int64Array,
    RecordBatch, RecordBatchOptions, StringArray,
};
use arrow_buffer::{BooleanBuffer, NullBuffer};
use arrow_schema::{DataType, Field, Schema};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::{ArrowCustomers, RowProblem};
use crate::TableClassification;
use crate::bulk::ResultColumn;
use crate::classification::{ResultField, Target};
use crate::engine::Engine;

/// The result columns, as the classification report has them: each
/// defined slot, type, group, price group, VAT zone, accounts and layout,
/// each followed by `<name>_source` (`rule:web-eu`, `group:EU`, `manual`),
/// then `b2b`.
pub(super) fn column_names(engine: &Engine) -> Vec<String> {
    result_columns(engine)
        .into_iter()
        .map(|(name, _, _)| name)
        .collect()
}

/// Whether a result column holds a field's values or their sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Value,
    Source,
}

/// Every result column: its name, field and part, in order.
fn result_columns(engine: &Engine) -> Vec<(String, ResultField, Part)> {
    let mut columns = Vec::new();
    for field in ResultField::ALL {
        match field {
            ResultField::Target(Target::Class(slot)) if engine.slot_label(slot).is_none() => {}
            ResultField::B2b => {}
            field => {
                let name = field.to_string();
                columns.push((format!("{name}_source"), field, Part::Source));
                columns.insert(columns.len() - 1, (name, field, Part::Value));
            }
        }
    }
    columns.push(("b2b".to_owned(), ResultField::B2b, Part::Value));
    columns
}

/// The result columns named in `wanted` (a name that is none is left
/// out), in its order, or all of them ([`column_names`]): a column nobody
/// asked for is never worked out.
pub(super) fn classification(
    customers: &ArrowCustomers,
    result: &TableClassification<'_>,
    engine: &Engine,
    wanted: Option<&[&str]>,
) -> RecordBatch {
    let all = result_columns(engine);
    let chosen: Vec<&(String, ResultField, Part)> = match wanted {
        None => all.iter().collect(),
        Some(wanted) => wanted
            .iter()
            .filter_map(|name| all.iter().find(|(column, _, _)| column == name))
            .collect(),
    };
    // Each field worked out once, for the parts asked for.
    let mut fields: Vec<(ResultField, bool, bool)> = Vec::new();
    for &(_, field, part) in &chosen {
        let at = match fields.iter().position(|(f, _, _)| f == field) {
            Some(at) => at,
            None => {
                fields.push((*field, false, false));
                fields.len() - 1
            }
        };
        if let Some((_, value, source)) = fields.get_mut(at) {
            match part {
                Part::Value => *value = true,
                Part::Source => *source = true,
            }
        }
    }
    // Each field is a pass of its own over the rows.
    let built = super::threads().map(&fields, |&(field, value, source)| {
        let arrays = if field == ResultField::B2b {
            [Some(flags(customers, result)), None]
        } else {
            texts(customers, result, field, value, source)
        };
        (field, arrays)
    });
    let mut columns = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (name, field, part) in chosen {
        let array =
            built
                .iter()
                .find(|(built, _)| built == field)
                .and_then(|(_, [value, source])| match part {
                    Part::Value => value.clone(),
                    Part::Source => source.clone(),
                });
        if let Some(array) = array {
            columns.push(Field::new(name, array.data_type().clone(), true));
            arrays.push(array);
        }
    }
    let schema = Arc::new(Schema::new(columns));
    let options = RecordBatchOptions::new().with_row_count(Some(customers.input_rows()));
    RecordBatch::try_new_with_options(schema.clone(), arrays, &options)
        .unwrap_or_else(|_| RecordBatch::new_empty(schema))
}

/// A text field's values and sources (those asked for) as dictionaries,
/// one row per input row.
fn texts(
    customers: &ArrowCustomers,
    result: &TableClassification<'_>,
    field: ResultField,
    value: bool,
    source: bool,
) -> [Option<ArrayRef>; 2] {
    let column = result.column(field).unwrap_or(ResultColumn {
        entries: Vec::new(),
        codes: Vec::new(),
    });
    let codes = by_input_row(customers, &column.codes);
    let nulls = NullBuffer::new(BooleanBuffer::collect_bool(codes.len(), |row| {
        codes.get(row).is_some_and(|&code| code != 0)
    }));
    let values: Vec<&str> = column.entries.iter().map(|e| e.value.as_str()).collect();
    let sources: Vec<String> = column
        .entries
        .iter()
        .map(|e| e.source.to_string())
        .collect();
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    let value_keys = distinct(&values);
    let source_keys = distinct(&sources);
    let value_rows = value.then(|| keyed(&codes, &nulls, &value_keys.0));
    // Where each entry has a value and a source of its own, both columns
    // share one buffer of keys.
    let source_rows = match &value_rows {
        Some(rows) if value_keys.0 == source_keys.0 => source.then(|| rows.clone()),
        _ => source.then(|| keyed(&codes, &nulls, &source_keys.0)),
    };
    let values = value_rows.map(|rows| dictionary(rows, value_keys.1));
    let sources = source_rows.map(|rows| dictionary(rows, source_keys.1));
    [values, sources]
}

/// `b2b` per input row: true, false, or null for a row without a result.
fn flags(customers: &ArrowCustomers, result: &TableClassification<'_>) -> ArrayRef {
    let b2b = result.column(ResultField::B2b).unwrap_or(ResultColumn {
        entries: Vec::new(),
        codes: Vec::new(),
    });
    let truth: Vec<bool> = std::iter::once(false)
        .chain(b2b.entries.iter().map(|entry| entry.value == "true"))
        .collect();
    let codes = by_input_row(customers, &b2b.codes);
    let code = |row: usize| codes.get(row).copied().unwrap_or(0) as usize;
    let values = BooleanBuffer::collect_bool(codes.len(), |row| {
        truth.get(code(row)).copied().unwrap_or(false)
    });
    let nulls = NullBuffer::new(BooleanBuffer::collect_bool(codes.len(), |row| {
        code(row) != 0
    }));
    Arc::new(BooleanArray::new(values, Some(nulls)))
}

/// Per input row, the code of its table row (0 for a row left out).
fn by_input_row<'c>(customers: &ArrowCustomers, codes: &'c [u32]) -> std::borrow::Cow<'c, [u32]> {
    match &customers.kept {
        None => std::borrow::Cow::Borrowed(codes),
        Some(kept) => {
            let mut spread = vec![0; customers.input_rows()];
            for (&input, &code) in kept.iter().zip(codes) {
                if let Some(place) = spread.get_mut(input) {
                    *place = code;
                }
            }
            std::borrow::Cow::Owned(spread)
        }
    }
}

/// Per entry (1-based, 0 for null) its key among the distinct `texts`,
/// and those texts: equal texts share one dictionary value.
fn distinct<'t>(texts: &[&'t str]) -> (Vec<i32>, Vec<&'t str>) {
    let mut places: FxHashMap<&str, i32> = FxHashMap::default();
    let mut values: Vec<&str> = Vec::new();
    // key_of[code] for code 0 (null) is 0, masked out.
    let key_of: Vec<i32> = std::iter::once(0)
        .chain(texts.iter().map(|&text| {
            *places.entry(text).or_insert_with(|| {
                values.push(text);
                values.len() as i32 - 1
            })
        }))
        .collect();
    (key_of, values)
}

/// The keys of a dictionary column over `codes` (per input row, 1-based
/// into the entries, 0 for null as `nulls` has it).
fn keyed(codes: &[u32], nulls: &NullBuffer, key_of: &[i32]) -> Int32Array {
    let keys: Vec<i32> = codes
        .iter()
        .map(|&code| key_of.get(code as usize).copied().unwrap_or(0))
        .collect();
    Int32Array::new(keys.into(), Some(nulls.clone()))
}

/// A dictionary column of `keys` into `values`.
fn dictionary(keys: Int32Array, values: Vec<&str>) -> ArrayRef {
    let rows = keys.len();
    let values: ArrayRef = Arc::new(StringArray::from(values));
    match DictionaryArray::<Int32Type>::try_new(keys, values) {
        Ok(array) => Arc::new(array) as ArrayRef,
        Err(_) => arrow_array::new_null_array(
            &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            rows,
        ),
    }
}

/// Exact decimals as one Arrow decimal column, at the largest scale among
/// them (`empty_scale` when none has a value); `None` when a value doesn't
/// fit 38 digits at that scale.
pub(super) fn decimal_array(values: &[Option<Decimal>], empty_scale: u32) -> Option<ArrayRef> {
    let scale = values
        .iter()
        .flatten()
        .map(Decimal::scale)
        .max()
        .unwrap_or(empty_scale);
    let mantissas: Vec<Option<i128>> = values
        .iter()
        .map(|value| {
            value.map(|mut value| {
                value.rescale(scale);
                value.mantissa()
            })
        })
        .collect();
    let array = Decimal128Array::from(mantissas)
        .with_precision_and_scale(38, i8::try_from(scale).ok()?)
        .ok()?;
    Some(Arc::new(array))
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
