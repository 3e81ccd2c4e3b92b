//! Batches as JavaScript bindings hand them over: a whole batch of
//! customers or order lines crosses into Rust once, as JSON text (an array
//! of objects, or an object of column arrays), and takes the Arrow path
//! ([`crate::arrow`]). Each binding only turns its host's values into a
//! [`Batch`] and a result [`Column`] into host arrays, so Node and WASM
//! read, classify, filter and price a batch with the same code.
//!
//! Nothing here touches a host, so a binding may run it on a thread of its
//! own. Result columns are handed out as views ([`Column`]) in which the
//! rows share one value per distinct text, so a host builds one string per
//! value, not one per row, and never one JSON text of the whole result (a
//! million rows of thirty columns would pass V8's longest string, and cost
//! far more to parse).

use std::collections::BTreeSet;

use crate::arrow::{ArrowCustomers, batch_from_json, batch_json};
use crate::engine::{Engine, Segment, SegmentSet, UnknownColumns};
use crate::error::{CustomerError, RowProblem, TableError};
use crate::table::SegmentWarning;
use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use serde_json::Value;

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

/// Why a batch as a whole could not be read.
#[derive(Debug)]
pub enum BatchError {
    /// The columns: not an object of arrays, of different lengths, a column
    /// of mixed kinds or of the wrong type, an unknown column, no `id`.
    Table(TableError),
    /// The customer array: not a JSON array (`json_syntax`).
    Customer(CustomerError),
}

/// A classified batch.
#[derive(Debug)]
pub struct Classified {
    /// The result columns (the core's), one row per input row.
    pub result: RecordBatch,
    /// The rows without a result.
    pub errors: Vec<RowProblem>,
}

/// The input rows in a segment, ascending, and the rows that could not be
/// read.
#[derive(Debug, serde::Serialize)]
pub struct SegmentRows {
    /// 0-based input rows, ascending.
    pub rows: Vec<usize>,
    /// The rows that could not be read or judged (in no segment).
    pub errors: Vec<RowProblem>,
    /// Columns the segment tests that are empty in every row.
    pub warnings: Vec<SegmentWarning>,
}

/// Every input row's mask of a [`SegmentSet`], every segment's count, and
/// the rows without an answer.
#[derive(Debug)]
pub struct SetMasks {
    /// Per input row, bit *i* set when the row is in segment *i* (0 for a
    /// row that could not be read or judged).
    pub masks: Vec<u64>,
    /// Per segment, in the set's order, with its name: how many rows are
    /// in it.
    pub counts: Vec<(String, usize)>,
    /// The rows that could not be read or judged (in no segment).
    pub errors: Vec<RowProblem>,
    /// Columns a segment tests that are empty in every row.
    pub warnings: Vec<SegmentWarning>,
}

impl SetMasks {
    /// The input rows in segment number `segment`, ascending.
    pub fn rows(&self, segment: usize) -> Vec<usize> {
        let flag = u32::try_from(segment)
            .ok()
            .and_then(|at| 1_u64.checked_shl(at))
            .unwrap_or(0);
        (self.masks.iter().enumerate())
            .filter(|(_, mask)| *mask & flag != 0)
            .map(|(row, _)| row)
            .collect()
    }
}

/// The customers of `batch` (its text freed once read); of columns, only
/// those in `wanted` are read, and then `check` judges their names (a
/// customer array is JSON customers, lenient as one customer is).
fn read(
    batch: Batch,
    wanted: impl FnOnce() -> BTreeSet<String>,
    every_column: bool,
    check: impl FnOnce(&[&str]) -> Result<Vec<TableError>, TableError>,
) -> Result<ArrowCustomers, BatchError> {
    match batch {
        Batch::Customers(text) => {
            ArrowCustomers::from_json_customers(&text).map_err(BatchError::Customer)
        }
        Batch::Columns(text) => {
            let batch = batch_from_json(&text).map_err(BatchError::Table)?;
            drop(text);
            let schema = batch.schema();
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            let wanted = (!every_column).then(wanted);
            let customers = ArrowCustomers::read(&schema, &[batch], wanted.as_ref())
                .map_err(BatchError::Table)?;
            // Refused, not listed: a batch has no place for warnings.
            check(&names).map_err(BatchError::Table)?;
            Ok(customers)
        }
    }
}

/// Classifies every customer of `batch`: one result row per input row.
/// Attribute columns are checked against the setup
/// ([`Engine::check_columns`]), refused on a problem.
pub fn classify(engine: &Engine, batch: Batch) -> Result<Classified, BatchError> {
    let check =
        |names: &[&str]| engine.check_columns(names.iter().copied(), UnknownColumns::Refuse);
    let customers = read(batch, || engine.input_columns(), false, check)?;
    let (result, errors) = customers.classify_with_problems(engine);
    Ok(Classified { result, errors })
}

/// The values of a result column, one per input row.
#[derive(Debug)]
pub enum Column<'a> {
    /// Text, as the core writes it: each distinct value once, and per row
    /// its place among them (-1 for no value).
    Dictionary {
        /// The distinct values (a null among them for no value).
        values: Vec<Option<&'a str>>,
        /// Per row, its value's place in `values`; -1 for no value.
        keys: Vec<i32>,
    },
    /// Booleans (`b2b`): per row 1 for true, 0 for false, -1 for no value.
    Flags(Vec<i32>),
    /// Any other column, as the JSON array `batch_json` writes.
    Json(String),
}

/// Result column `at` of `result`.
pub fn column(result: &RecordBatch, at: usize) -> Column<'_> {
    let array = result.column(at);
    if let Some(dictionary) = array.as_dictionary_opt::<Int32Type>()
        && let Some(values) = dictionary.values().as_string_opt::<i32>()
    {
        let keys = dictionary
            .keys()
            .iter()
            .map(|key| key.unwrap_or(-1))
            .collect();
        return Column::Dictionary {
            values: values.iter().collect(),
            keys,
        };
    }
    if let Some(flags) = array.as_boolean_opt() {
        let flags = flags
            .iter()
            .map(|flag| flag.map_or(-1, i32::from))
            .collect();
        return Column::Flags(flags);
    }
    let schema = result.schema();
    let name = schema.field(at).name();
    let values = result
        .project(&[at])
        .map(|column| match batch_json(&column) {
            Value::Object(mut map) => map.remove(name).unwrap_or_default(),
            _ => Value::Null,
        })
        .unwrap_or_default();
    Column::Json(values.to_string())
}

/// Prices a batch of order lines (column arrays, or an array of flat line
/// objects): each line's customer the row of `customers` with its id, or,
/// without `customers`, what the line's own customer columns say.
pub fn price(
    engine: &Engine,
    lines: Batch,
    customers: Option<Batch>,
) -> Result<Classified, BatchError> {
    let priced = price_explained(engine, lines, customers, &[])?;
    Ok(Classified {
        result: priced.result,
        errors: priced.errors,
    })
}

/// A priced batch, with the explanations asked for.
#[derive(Debug)]
pub struct Priced {
    /// The result columns (the core's), one row per line.
    pub result: RecordBatch,
    /// The lines without a price.
    pub errors: Vec<RowProblem>,
    /// The lines asked about (0-based rows, ascending), each with its quote
    /// and every rule's verdict.
    pub explanations: Vec<(usize, crate::Quote)>,
}

/// As [`price`], with the quotes of the lines numbered in `explain`
/// explained ([`Engine::price_batches_explained`]).
pub fn price_explained(
    engine: &Engine,
    lines: Batch,
    customers: Option<Batch>,
    explain: &[usize],
) -> Result<Priced, BatchError> {
    let text = match lines {
        Batch::Customers(text) | Batch::Columns(text) => text,
    };
    let lines = batch_from_json(&text).map_err(BatchError::Table)?;
    drop(text);
    let customers = match customers {
        Some(batch) => {
            let check = |names: &[&str]| {
                engine.check_columns(names.iter().copied(), UnknownColumns::Refuse)
            };
            Some(read(batch, BTreeSet::new, true, check)?)
        }
        None => None,
    };
    let priced = engine
        .price_batches_explained(&lines.schema(), &[lines], customers.as_ref(), explain)
        .map_err(BatchError::Table)?;
    Ok(Priced {
        result: priced.result,
        errors: priced.problems,
        explanations: priced.explanations,
    })
}

/// The input rows of `batch` in `segment`.
pub fn filter(segment: &Segment, batch: Batch) -> Result<SegmentRows, BatchError> {
    let check =
        |names: &[&str]| segment.check_columns(names.iter().copied(), UnknownColumns::Refuse);
    let customers = read(batch, || segment.input_columns(), false, check)?;
    let (rows, errors, warnings) = customers.select(segment, None);
    Ok(SegmentRows {
        rows,
        errors,
        warnings,
    })
}

/// Every input row of `batch` against every segment of `set`, in one pass.
pub fn segment_masks(set: &SegmentSet, batch: Batch) -> Result<SetMasks, BatchError> {
    let check = |names: &[&str]| set.check_columns(names.iter().copied(), UnknownColumns::Refuse);
    let customers = read(batch, || set.input_columns(), false, check)?;
    let answer = customers.segment_masks(set, None);
    let counts = set.names().map(str::to_owned).zip(answer.counts).collect();
    Ok(SetMasks {
        masks: answer.masks,
        counts,
        errors: answer.problems,
        warnings: answer.warnings,
    })
}
