//! Columns as JSON (`{"id": ["1", "2"], "country": ["NL", null]}`), the
//! columnar batch of hosts without Arrow (JavaScript's plain arrays), made
//! into a record batch so that they take the Arrow path's one way in.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, NullArray, RecordBatch, StringArray,
};
use arrow_schema::{Field, Schema};
use rust_decimal::Decimal;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::TableError;

/// A record batch from a JSON object of equally long arrays, or from an
/// array of flat objects (rows; a key a row lacks is null there): text becomes
/// strings, whole numbers int64, other numbers exact decimals (from their
/// JSON text, not through a float; a column with a number of more than
/// [`FLOAT_PLACES`](crate::scalar::FLOAT_PLACES) decimal places floats, which
/// the readers refuse), `true`/`false` booleans, an array of
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
    // Cells as raw JSON text, so that a number keeps every digit it was
    // written with (serde_json itself would read it as a float).
    if json.trim_start().starts_with('[') {
        let rows: Vec<BTreeMap<String, &RawValue>> =
            serde_json::from_str(json).map_err(unreadable)?;
        let columns = columns_of_rows(rows)?;
        return batch_of(columns.into_iter().map(|(name, cells)| (name, Some(cells))));
    }
    let columns: BTreeMap<String, &RawValue> = serde_json::from_str(json).map_err(unreadable)?;
    let mut read = Vec::with_capacity(columns.len());
    for (name, raw) in columns {
        let cells = if raw.get().starts_with('[') {
            let cells: Vec<&RawValue> = serde_json::from_str(raw.get()).map_err(unreadable)?;
            Some(cells.into_iter().map(Cell::raw).collect::<Result<_, _>>()?)
        } else {
            None
        };
        read.push((name, cells));
    }
    batch_of(read.into_iter())
}

/// Rows of flat objects as columns: every key any row has, null where a
/// row lacks it.
fn columns_of_rows(
    rows: Vec<BTreeMap<String, &RawValue>>,
) -> Result<BTreeMap<String, Vec<Cell<'_>>>, TableError> {
    let mut columns: BTreeMap<String, Vec<Cell<'_>>> = BTreeMap::new();
    let count = rows.len();
    for (at, row) in rows.into_iter().enumerate() {
        for (key, value) in row {
            let column = columns
                .entry(key)
                .or_insert_with(|| (0..count).map(|_| Cell::Null).collect());
            if let Some(place) = column.get_mut(at) {
                *place = Cell::raw(value)?;
            }
        }
    }
    Ok(columns)
}

/// [`batch_from_json`] of parsed JSON. Its numbers are as exact as the
/// `Value` holds them: serde_json reads a number with a fraction or of more
/// than 64 bits as a float, so give [`batch_from_json`] the text where
/// every digit counts.
///
/// # Errors
///
/// As [`batch_from_json`].
pub fn batch_from_columns(
    columns: &serde_json::Map<String, Value>,
) -> Result<RecordBatch, TableError> {
    batch_of(columns.iter().map(|(name, values)| {
        let cells = values
            .as_array()
            .map(|values| values.iter().map(Cell::value).collect());
        (name.clone(), cells)
    }))
}

/// One cell of a JSON column; a number as its JSON text.
#[derive(Debug)]
enum Cell<'a> {
    Null,
    Text(Cow<'a, str>),
    Flag(bool),
    Number(Cow<'a, str>),
    /// An object or an array.
    Nested,
}

impl<'a> Cell<'a> {
    fn value(value: &'a Value) -> Cell<'a> {
        match value {
            Value::Null => Cell::Null,
            Value::String(text) => Cell::Text(Cow::Borrowed(text)),
            Value::Bool(flag) => Cell::Flag(*flag),
            Value::Number(number) => Cell::Number(Cow::Owned(number.to_string())),
            Value::Array(_) | Value::Object(_) => Cell::Nested,
        }
    }

    /// The cell of JSON text serde_json has checked.
    fn raw(raw: &'a RawValue) -> Result<Cell<'a>, TableError> {
        let text = raw.get();
        Ok(match text.as_bytes().first() {
            Some(b'n') => Cell::Null,
            Some(b't') => Cell::Flag(true),
            Some(b'f') => Cell::Flag(false),
            Some(b'"') => match serde_json::from_str::<&str>(text) {
                Ok(text) => Cell::Text(Cow::Borrowed(text)),
                // Escapes: unescaped into a string of its own.
                Err(_) => Cell::Text(Cow::Owned(serde_json::from_str(text).map_err(|err| {
                    TableError::UnreadableHeader {
                        detail: err.to_string(),
                    }
                })?)),
            },
            Some(b'[' | b'{') => Cell::Nested,
            _ => Cell::Number(Cow::Borrowed(text)),
        })
    }
}

/// The record batch of named columns; `None` for a column that isn't an
/// array.
fn batch_of<'a>(
    columns: impl Iterator<Item = (String, Option<Vec<Cell<'a>>>)>,
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
        let Some(values) = values else {
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
        let array = column(&values).ok_or_else(|| wrong(describe(&values)))?;
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
fn column(values: &[Cell<'_>]) -> Option<ArrayRef> {
    let present = || values.iter().filter(|v| !matches!(v, Cell::Null));
    if present().next().is_none() {
        return Some(Arc::new(NullArray::new(values.len())));
    }
    if present().all(|v| matches!(v, Cell::Text(_))) {
        let texts: Vec<Option<&str>> = values
            .iter()
            .map(|v| match v {
                Cell::Text(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        return Some(Arc::new(StringArray::from(texts)));
    }
    if present().all(|v| matches!(v, Cell::Flag(_))) {
        let flags: Vec<Option<bool>> = values
            .iter()
            .map(|v| match v {
                Cell::Flag(flag) => Some(*flag),
                _ => None,
            })
            .collect();
        return Some(Arc::new(BooleanArray::from(flags)));
    }
    let numbers: Vec<Option<&str>> = values
        .iter()
        .map(|v| match v {
            Cell::Number(text) => Some(Some(text.as_ref())),
            Cell::Null => Some(None),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let integers: Option<Vec<Option<i64>>> = numbers
        .iter()
        .map(|text| match text {
            Some(text) => text.parse::<i64>().ok().map(Some),
            None => Some(None),
        })
        .collect();
    if let Some(integers) = integers {
        return Some(Arc::new(Int64Array::from(integers)));
    }
    // A number with more places than a float may carry (a JavaScript
    // `0.1 + 0.2`) makes the column floats, which the customer and
    // order-line readers refuse cell by cell, naming the row.
    let inexact = numbers.iter().flatten().any(|text| {
        crate::scalar::json_decimal(text) == Err(crate::scalar::NotANumber::InexactFloat)
    });
    if inexact {
        let floats: Vec<Option<f64>> = numbers
            .iter()
            .map(|text| text.and_then(|text| text.parse::<f64>().ok()))
            .collect();
        return Some(Arc::new(Float64Array::from(floats)));
    }
    // Exact decimals from the JSON text, at the largest scale among them.
    let decimals: Vec<Option<Decimal>> = numbers
        .iter()
        .map(|text| match text {
            Some(text) => crate::scalar::json_decimal(text).ok().map(Some),
            None => Some(None),
        })
        .collect::<Option<_>>()?;
    super::write::decimal_array(&decimals, 0)
}

fn describe(values: &[Cell<'_>]) -> &'static str {
    let any = |test: fn(&Cell<'_>) -> bool| values.iter().any(test);
    if any(|v| matches!(v, Cell::Nested)) {
        "objects or arrays"
    } else if any(|v| matches!(v, Cell::Number(_))) && any(|v| matches!(v, Cell::Text(_))) {
        "a mix of text and numbers"
    } else {
        "a mix of kinds of values"
    }
}
