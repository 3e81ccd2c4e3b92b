//! The batch paths (`Engine#classifyMany`, `Engine#priceMany`,
//! `Segment#filter`, `SegmentSet#masks`) in JS terms: the core's batch glue
//! ([`custclass::batch`]) reads, classifies, prices and filters; this turns
//! its answers into JS values. A result column becomes a JS array whose
//! rows share one JS string per distinct value.

use custclass::RowProblem;
use custclass::batch::{self, Batch, BatchError, Column};
use custclass::{Engine, Segment, SegmentSet, canonical};
use js_sys::{Array, BigUint64Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::errors::{self, range_error};

/// `{columns: {name: values}, errors}`: every customer of `batch`
/// classified, one result row per input row.
pub fn classify(engine: &Engine, batch: Batch) -> Result<JsValue, JsValue> {
    let classified = batch::classify(engine, batch).map_err(thrown)?;
    answer(&classified)
}

/// `{columns, errors}`: a batch of order lines priced (see
/// [`batch::price`]).
pub fn price(engine: &Engine, lines: Batch, customers: Option<Batch>) -> Result<JsValue, JsValue> {
    let priced = batch::price(engine, lines, customers).map_err(thrown)?;
    answer(&priced)
}

/// `{rows, errors}`: the input rows of `batch` in `segment`.
pub fn filter(segment: &Segment, batch: Batch) -> Result<JsValue, JsValue> {
    crate::conv::to_object(&batch::filter(segment, batch).map_err(thrown)?)
}

/// `{masks, counts, errors}` (with `masks`) or `{counts, errors}`: every
/// input row of `batch` against every segment of `set`, in one pass.
pub fn segment_masks(set: &SegmentSet, batch: Batch, with_masks: bool) -> Result<JsValue, JsValue> {
    let answer = batch::segment_masks(set, batch).map_err(thrown)?;
    let counts = Object::new();
    for (name, count) in &answer.counts {
        Reflect::set(
            &counts,
            &JsValue::from_str(name),
            &JsValue::from(*count as f64),
        )?;
    }
    let out = Object::new();
    if with_masks {
        let masks = BigUint64Array::new_from_slice(&answer.masks);
        Reflect::set(&out, &JsValue::from_str("masks"), &masks)?;
    }
    Reflect::set(&out, &JsValue::from_str("counts"), &counts)?;
    let errors = JSON::parse(&canonical::to_string(&answer.errors))?;
    Reflect::set(&out, &JsValue::from_str("errors"), &errors)?;
    Ok(out.into())
}

/// `{rows, errors}`: the input rows of `batch` in segment number `segment`
/// of `set`.
pub fn segment_rows(set: &SegmentSet, segment: usize, batch: Batch) -> Result<JsValue, JsValue> {
    let answer = batch::segment_masks(set, batch).map_err(thrown)?;
    crate::conv::to_object(&batch::SegmentRows {
        rows: answer.rows(segment),
        errors: answer.errors,
        warnings: answer.warnings,
    })
}

/// The `TableError` or `CustomerError` a batch that can't be read throws.
fn thrown(err: BatchError) -> JsValue {
    match err {
        BatchError::Table(err) => errors::table(err),
        BatchError::Customer(err) => errors::customer(err),
    }
}

/// `{columns: {name: values}, errors}` of a result.
fn answer(classified: &batch::Classified) -> Result<JsValue, JsValue> {
    let result = &classified.result;
    let columns = Object::new();
    let schema = result.schema();
    for (at, field) in schema.fields().iter().enumerate() {
        let values = column_array(batch::column(result, at), result.num_rows())?;
        Reflect::set(&columns, &JsValue::from_str(field.name()), &values)?;
    }
    let out = Object::new();
    Reflect::set(&out, &JsValue::from_str("columns"), &columns)?;
    let problems: &[RowProblem] = &classified.errors;
    let errors = JSON::parse(&canonical::to_string(problems))?;
    Reflect::set(&out, &JsValue::from_str("errors"), &errors)?;
    Ok(out.into())
}

/// A result column as a JS array of `rows` values: each distinct text
/// becomes a JS string once, shared by its rows.
fn column_array(column: Column<'_>, rows: usize) -> Result<JsValue, JsValue> {
    let rows =
        u32::try_from(rows).map_err(|_| range_error("a batch holds at most 2^32 - 1 rows"))?;
    let (values, keys) = match column {
        Column::Dictionary { values, keys } => (
            values
                .into_iter()
                .map(|text| text.map_or(JsValue::NULL, JsValue::from_str))
                .collect::<Vec<_>>(),
            keys,
        ),
        Column::Flags(flags) => (vec![JsValue::FALSE, JsValue::TRUE], flags),
        Column::Json(text) => return JSON::parse(&text),
    };
    let out = Array::new_with_length(rows);
    for (row, key) in (0..rows).zip(keys) {
        let value = usize::try_from(key).ok().and_then(|key| values.get(key));
        out.set_ref(row, value.unwrap_or(&JsValue::NULL));
    }
    Ok(out.into())
}
