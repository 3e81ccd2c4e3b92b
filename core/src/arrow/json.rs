//! Columns as JSON (`{"id": ["1", "2"], "country": ["NL", null]}`), the
//! columnar batch of hosts without Arrow (JavaScript's plain arrays), made
//! into a record batch so that they take the Arrow path's one way in.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Int64Array, NullArray, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::error::TableError;

/// A record batch from a JSON object of equally long arrays, or from an
/// array of flat objects (rows; a key a row lacks is null there): text becomes
/// strings, whole numbers int64, other numbers exact decimals (from their
/// JSON text, not through a float), `true`/`false` booleans, an array of
/// only nulls a null column.
///
/// # Errors
///
/// `column_type` for a column that mixes kinds of values (text and
/// numbers), holds objects or arrays, or isn't an array; `column_length`
/// for a column longer or shorter than the first; `json_syntax` wrapped in
/// `unreadable_header` for text that isn't a JSON object.
pub fn batch_from_json(json: &str) -> Result<RecordBatch, TableError> {
    let unreadable = |err: serde_json::Error| TableError::UnreadableHeader {
        detail: format!(
            "the batch is neither a JSON object of arrays nor an array of flat objects: {err}"
        ),
    };
    if json.trim_start().starts_with('[') {
        let rows: Vec<serde_json::Map<String, Value>> =
            serde_json::from_str(json).map_err(unreadable)?;
        return batch_from_columns(&columns_of_rows(rows));
    }
    let columns: serde_json::Map<String, Value> = serde_json::from_str(json).map_err(unreadable)?;
    batch_from_columns(&columns)
}

/// Rows of flat objects as columns: every key any row has, null where a
/// row lacks it.
fn columns_of_rows(rows: Vec<serde_json::Map<String, Value>>) -> serde_json::Map<String, Value> {
    let mut columns: serde_json::Map<String, Value> = serde_json::Map::new();
    let count = rows.len();
    for (at, row) in rows.into_iter().enumerate() {
        for (key, value) in row {
            let column = columns
                .entry(key)
                .or_insert_with(|| Value::Array(vec![Value::Null; count]));
            if let Value::Array(values) = column
                && let Some(place) = values.get_mut(at)
            {
                *place = value;
            }
        }
    }
    columns
}

/// [`batch_from_json`] of parsed JSON.
///
/// # Errors
///
/// As [`batch_from_json`].
pub fn batch_from_columns(
    columns: &serde_json::Map<String, Value>,
) -> Result<RecordBatch, TableError> {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut rows = None;
    for (name, values) in columns {
        let wrong = |found: &str| TableError::ColumnType {
            column: name.clone(),
            found: found.to_owned(),
            expected: "an array of text, numbers or booleans (null for no value)",
        };
        let Value::Array(values) = values else {
            return Err(wrong("no array"));
        };
        let expected = *rows.get_or_insert(values.len());
        if values.len() != expected {
            return Err(TableError::ColumnLength {
                column: name.clone(),
                found: values.len(),
                expected,
            });
        }
        let array = column(values).ok_or_else(|| wrong(describe(values)))?;
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let options = arrow_array::RecordBatchOptions::new().with_row_count(Some(rows.unwrap_or(0)));
    RecordBatch::try_new_with_options(schema, arrays, &options).map_err(|err| {
        TableError::UnreadableHeader {
            detail: err.to_string(),
        }
    })
}

/// The array of one kind of value, or `None` for a mix.
fn column(values: &[Value]) -> Option<ArrayRef> {
    let present = || values.iter().filter(|v| !v.is_null());
    let all = |test: fn(&Value) -> bool| present().all(test);
    if present().next().is_none() {
        return Some(Arc::new(NullArray::new(values.len())));
    }
    if all(Value::is_string) {
        let texts: Vec<Option<&str>> = values.iter().map(Value::as_str).collect();
        return Some(Arc::new(StringArray::from(texts)));
    }
    if all(Value::is_boolean) {
        let flags: Vec<Option<bool>> = values.iter().map(Value::as_bool).collect();
        return Some(Arc::new(BooleanArray::from(flags)));
    }
    if !all(Value::is_number) {
        return None;
    }
    if all(|v| v.as_i64().is_some()) {
        let numbers: Vec<Option<i64>> = values.iter().map(Value::as_i64).collect();
        return Some(Arc::new(Int64Array::from(numbers)));
    }
    // Exact decimals from the JSON text, at the largest scale among them.
    let decimals: Vec<Option<Decimal>> = values
        .iter()
        .map(|value| match value {
            Value::Number(number) => crate::scalar::json_decimal(&number.to_string())
                .ok()
                .map(Some),
            _ => Some(None),
        })
        .collect::<Option<_>>()?;
    super::write::decimal_array(&decimals, 0)
}

fn describe(values: &[Value]) -> &'static str {
    if values.iter().any(|v| v.is_object() || v.is_array()) {
        "objects or arrays"
    } else if values.iter().any(Value::is_number) && values.iter().any(Value::is_string) {
        "a mix of text and numbers"
    } else {
        "a mix of kinds of values"
    }
}
