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
    /// The input's attribute column problems, when the caller asked for
    /// them as warnings ([`UnknownColumns::Warn`]).
    pub warnings: Vec<TableError>,
}

/// The input rows in a segment, ascending, and the rows that could not be
/// read.
#[derive(Debug, serde::Serialize)]
pub struct SegmentRows {
    /// 0-based input rows, ascending.
    pub rows: Vec<usize>,
    /// The rows that could not be read (in no segment).
    pub errors: Vec<RowProblem>,
    /// The input's attribute column problems, as [`Classified::warnings`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<TableError>,
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
    /// The input's attribute column problems, as [`Classified::warnings`].
    pub warnings: Vec<TableError>,
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
) -> Result<(ArrowCustomers, Vec<TableError>), BatchError> {
    match batch {
        Batch::Customers(text) => ArrowCustomers::from_json_customers(&text)
            .map(|customers| (customers, Vec::new()))
            .map_err(BatchError::Customer),
        Batch::Columns(text) => {
            let batch = batch_from_json(&text).map_err(BatchError::Table)?;
            drop(text);
            let schema = batch.schema();
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            let wanted = (!every_column).then(wanted);
            let customers = ArrowCustomers::read(&schema, &[batch], wanted.as_ref())
                .map_err(BatchError::Table)?;
            let warnings = check(&names).map_err(BatchError::Table)?;
            Ok((customers, warnings))
        }
    }
}

/// Classifies every customer of `batch`: one result row per input row.
/// Attribute columns are checked against the setup
/// ([`Engine::check_columns`]), refused on a problem.
pub fn classify(engine: &Engine, batch: Batch) -> Result<Classified, BatchError> {
    classify_with(engine, batch, UnknownColumns::Refuse)
}

/// [`classify`], with attribute column problems refused or listed as
/// [`Classified::warnings`].
pub fn classify_with(
    engine: &Engine,
    batch: Batch,
    unknown: UnknownColumns,
) -> Result<Classified, BatchError> {
    let check = |names: &[&str]| engine.check_columns(names.iter().copied(), unknown);
    let (customers, warnings) = read(batch, || engine.input_columns(), false, check)?;
    let (result, errors) = customers.classify_with_problems(engine);
    Ok(Classified {
        result,
        errors,
        warnings,
    })
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
    price_with(engine, lines, customers, UnknownColumns::Refuse)
}

/// [`price`], with the customer table's attribute column problems refused
/// or listed.
pub fn price_with(
    engine: &Engine,
    lines: Batch,
    customers: Option<Batch>,
    unknown: UnknownColumns,
) -> Result<Classified, BatchError> {
    let text = match lines {
        Batch::Customers(text) | Batch::Columns(text) => text,
    };
    let lines = batch_from_json(&text).map_err(BatchError::Table)?;
    drop(text);
    let mut warnings = Vec::new();
    let customers = match customers {
        Some(batch) => {
            let check = |names: &[&str]| engine.check_columns(names.iter().copied(), unknown);
            let (customers, found) = read(batch, BTreeSet::new, true, check)?;
            warnings = found;
            Some(customers)
        }
        None => None,
    };
    let (result, errors) = engine
        .price_batches(&lines.schema(), &[lines], customers.as_ref())
        .map_err(BatchError::Table)?;
    Ok(Classified {
        result,
        errors,
        warnings,
    })
}

/// The input rows of `batch` in `segment`.
pub fn filter(segment: &Segment, batch: Batch) -> Result<SegmentRows, BatchError> {
    filter_with(segment, batch, UnknownColumns::Refuse)
}

/// [`filter`], with attribute column problems refused or listed.
pub fn filter_with(
    segment: &Segment,
    batch: Batch,
    unknown: UnknownColumns,
) -> Result<SegmentRows, BatchError> {
    let check = |names: &[&str]| segment.check_columns(names.iter().copied(), unknown);
    let (customers, warnings) = read(batch, || segment.input_columns(), false, check)?;
    Ok(SegmentRows {
        rows: customers.select(segment, None),
        errors: customers.problems().to_vec(),
        warnings,
    })
}

/// Every input row of `batch` against every segment of `set`, in one pass.
pub fn segment_masks(set: &SegmentSet, batch: Batch) -> Result<SetMasks, BatchError> {
    segment_masks_with(set, batch, UnknownColumns::Refuse)
}

/// [`segment_masks`], with attribute column problems refused or listed.
pub fn segment_masks_with(
    set: &SegmentSet,
    batch: Batch,
    unknown: UnknownColumns,
) -> Result<SetMasks, BatchError> {
    let check = |names: &[&str]| set.check_columns(names.iter().copied(), unknown);
    let (customers, warnings) = read(batch, || set.input_columns(), false, check)?;
    let (masks, counts, errors) = customers.segment_masks(set, None);
    let counts = set.names().map(str::to_owned).zip(counts).collect();
    Ok(SetMasks {
        masks,
        counts,
        errors,
        warnings,
    })
}
