//! The bulk path: Arrow data in (pyarrow, polars, pandas, anything with the
//! Arrow PyCapsule interface), pyarrow tables out, the GIL released while
//! the core works. Columns cross without a Python object per row.
//!
//! What a data frame stands for, and how a result lines up with it (a
//! pandas index, the `id` column), is `custclass._frames`, in Python, where
//! the frame libraries are.

use std::sync::{Arc, OnceLock};

use arrow_array::{ArrayRef, BooleanArray, Int64Array, RecordBatch, UInt64Array};
use arrow_schema::SchemaRef;
use custclass::RowProblem;
use custclass::arrow::{ArrowCustomers, problems_batch};
use custclass::{Engine, Segment, SegmentSet, SegmentWarning, TableIndex};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyModule;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyArray, PyTable};

use crate::errors::{self, guard};

/// Customers read from Arrow data once, for repeated queries (segment
/// queries, classification, prices); `index()` makes segment queries
/// faster still.
///
/// `CustomerTable(data)` takes a pyarrow Table or RecordBatch, a polars or
/// pandas DataFrame, or any object with `__arrow_c_stream__` /
/// `__arrow_c_array__`, with columns named as in the customer file (`id`,
/// `country`, `class1`, `attr.turnover`, …; a pandas index named `id` is
/// the id). Rows with a bad cell are left out and listed in `errors`; a
/// column of the wrong type raises `TableError` (`column_type`) naming it.
#[pyclass(name = "CustomerTable", module = "custclass", frozen)]
#[derive(Debug)]
pub(crate) struct PyCustomerTable {
    customers: ArrowCustomers,
    /// The input, to hand back the rows of a segment (Arrow buffers are
    /// shared, not copied).
    input: Batches,
    /// The input as read (`custclass._frames.Source`), to line results up
    /// with it.
    source: Py<PyAny>,
    index: OnceLock<TableIndex>,
}

#[pymethods]
impl PyCustomerTable {
    #[new]
    fn new(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| {
            let (input, source) = read_arrow(data)?;
            let customers = py
                .detach(|| ArrowCustomers::read(&input.schema, &input.batches, None))
                .map_err(errors::table)?;
            Ok(PyCustomerTable {
                customers,
                input,
                source: source.unbind(),
                index: OnceLock::new(),
            })
        })
    }

    /// The rows that could not be read (`row`, `id`, `column`, `code`,
    /// `message`), as a pyarrow Table.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| to_pyarrow(py, problems_batch(self.customers.problems())))
    }

    /// Indexes every column for many repeated segment queries: each query
    /// then costs a few bit set operations instead of a pass over its
    /// columns (ten times faster or more), after a build of about 150 ms
    /// per million customers. Queries on a table without an index are
    /// already a pass at memory speed; index when the queries are many.
    fn index(&self, py: Python<'_>) -> PyResult<()> {
        guard(|| {
            py.detach(|| {
                self.index.get_or_init(|| self.customers.table().index());
            });
            Ok(())
        })
    }

    /// Whether `index()` was called.
    #[getter]
    fn indexed(&self) -> PyResult<bool> {
        guard(|| Ok(self.index.get().is_some()))
    }

    fn __len__(&self) -> PyResult<usize> {
        guard(|| Ok(self.customers.input_rows()))
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| {
            Ok(format!(
                "CustomerTable(rows={}, errors={})",
                self.customers.input_rows(),
                self.customers.problems().len()
            ))
        })
    }
}

/// A bulk result: `table` (one row per input row for a classification, the
/// matching rows for a segment) and `errors` (`row`, `id`, `column`, `code`,
/// `message`: the rows without a result and why), and from
/// `price_lines(..., explain=[...])` `explanations` (line → `Quote` with
/// every rule's verdict). Unpacks as `table, errors = result`.
#[pyclass(name = "ArrowResult", module = "custclass", frozen)]
#[derive(Debug)]
pub(crate) struct PyArrowResult {
    /// The result rows.
    #[pyo3(get)]
    table: Py<PyAny>,
    /// The rows without a result: `row`, `id`, `column`, `code`, `message`.
    #[pyo3(get)]
    errors: Py<PyAny>,
    /// What a segment noticed about the input: each column it tests that
    /// is empty in every row (or absent), as a dict `code`, `column`,
    /// `message`; empty for other results.
    #[pyo3(get)]
    warnings: Py<PyAny>,
    /// From `price_lines(..., explain=[...])`: each asked-for line that has
    /// a price (0-based) → its `Quote`, with every rule's verdict; else
    /// empty.
    #[pyo3(get)]
    explanations: Py<PyAny>,
}

#[pymethods]
impl PyArrowResult {
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let pair = (self.table.clone_ref(py), self.errors.clone_ref(py));
            pair.into_pyobject(py)?
                .into_any()
                .try_iter()
                .map(Bound::into_any)
        })
    }

    /// In a notebook: the counts, the first rows and the first errors.
    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| {
            let arrow = |frame: &Py<PyAny>| -> PyResult<Bound<'_, PyAny>> {
                // A polars or pandas frame is shown through its Arrow form.
                let pa = py.import("pyarrow")?;
                let frame = frame.bind(py);
                if frame.is_instance(&pa.getattr("Table")?)? {
                    return Ok(frame.clone());
                }
                pa.getattr("table")?.call1((frame,))
            };
            crate::html::arrow_result(&arrow(&self.table)?, &arrow(&self.errors)?)
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| {
            let rows = |table: &Py<PyAny>| -> PyResult<usize> { table.bind(py).len() };
            Ok(format!(
                "ArrowResult(rows={}, errors={})",
                rows(&self.table)?,
                rows(&self.errors)?
            ))
        })
    }
}

/// Customers to work on: a `CustomerTable`, or Arrow data read now (only
/// the columns the work needs).
enum Input<'a, 'py> {
    Table(&'a PyCustomerTable),
    Read(ArrowCustomers, Batches, Bound<'py, PyAny>),
}

impl<'py> Input<'_, 'py> {
    fn customers(&self) -> &ArrowCustomers {
        match self {
            Input::Table(table) => &table.customers,
            Input::Read(customers, _, _) => customers,
        }
    }

    /// The index of a `CustomerTable`, if it has one.
    fn index(&self) -> Option<&TableIndex> {
        match self {
            Input::Table(table) => table.index.get(),
            Input::Read(..) => None,
        }
    }

    /// The input as read, to line results up with.
    fn source(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        match self {
            Input::Table(table) => table.source.bind(py).clone(),
            Input::Read(_, _, source) => source.clone(),
        }
    }

    /// The input's record batches.
    fn batches(self) -> Batches {
        match self {
            Input::Table(table) => table.input.clone(),
            Input::Read(_, batches, _) => batches,
        }
    }
}

/// Record batches and their schema, as read from Python.
#[derive(Debug, Clone)]
pub(crate) struct Batches {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

/// Reads `data` unless it is a `CustomerTable`, then has `check` judge
/// its column names (the attributes the setup declares and the conditions
/// test: `Engine::check_columns`).
fn input<'a, 'py>(
    data: &'a Bound<'py, PyAny>,
    columns: &std::collections::BTreeSet<String>,
    check: impl FnOnce(&[&str]) -> Result<Vec<custclass::TableError>, custclass::TableError>,
) -> PyResult<Input<'a, 'py>> {
    if let Ok(table) = data.cast::<PyCustomerTable>() {
        return Ok(Input::Table(table.get()));
    }
    let (input, source) = read_arrow(data)?;
    let customers = data
        .py()
        .detach(|| ArrowCustomers::read(&input.schema, &input.batches, Some(columns)))
        .map_err(errors::table)?;
    check_names(&input.schema, check)?;
    Ok(Input::Read(customers, input, source))
}

/// The column names of `schema` judged by `check`.
fn check_names(
    schema: &SchemaRef,
    check: impl FnOnce(&[&str]) -> Result<Vec<custclass::TableError>, custclass::TableError>,
) -> PyResult<Vec<custclass::TableError>> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    check(&names).map_err(errors::table)
}

/// `custclass._frames`: frames in and out.
fn frames(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("custclass._frames")
}

/// The record batches of `data` (no copy for Arrow data; pyarrow converts
/// pandas), and the input as read (`custclass._frames.Source`).
fn read_arrow<'py>(data: &Bound<'py, PyAny>) -> PyResult<(Batches, Bound<'py, PyAny>)> {
    let source = frames(data.py())?.getattr("read")?.call1((data,))?;
    let table = (source.getattr("table")?)
        .extract::<AnyRecordBatch>()?
        .into_table()?;
    let (batches, schema) = table.into_inner();
    Ok((Batches { schema, batches }, source))
}

/// A record batch as a pyarrow Table.
fn to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// How a result's rows stand to the input's.
enum Rows<'py> {
    /// One per input row, in order: the input's `id` goes first.
    All,
    /// One per input row, in order, the input's `id` not added (order
    /// lines have no key of their own).
    AllUnkeyed,
    /// These input rows (a pyarrow Int64Array), ascending: the input's
    /// own rows, every column.
    Some(Bound<'py, PyAny>),
}

/// A result (a pyarrow Table and the problems) handed back as the kind
/// `like` names (`"pyarrow"` or `None`, `"polars"`, `"pandas"`), lined up
/// with the input (`source`): see `custclass._frames`.
fn result<'py>(
    table: Bound<'py, PyAny>,
    problems: &[RowProblem],
    warnings: &[SegmentWarning],
    like: Option<&str>,
    source: &Bound<'py, PyAny>,
    rows: Rows<'py>,
) -> PyResult<PyArrowResult> {
    let py = table.py();
    let frames = frames(py)?;
    let errors = to_pyarrow(py, problems_batch(problems))?;
    let table = match rows {
        Rows::All => frames
            .getattr("hand_back")?
            .call1((table, like, source, py.None(), true))?,
        Rows::AllUnkeyed => {
            frames
                .getattr("hand_back")?
                .call1((table, like, source, py.None(), false))?
        }
        Rows::Some(rows) => frames
            .getattr("rows_back")?
            .call1((table, like, source, rows))?,
    };
    let errors = frames
        .getattr("errors_back")?
        .call1((errors, like, source))?;
    Ok(PyArrowResult {
        table: table.unbind(),
        errors: errors.unbind(),
        warnings: crate::conv::to_py(py, &warnings)?.unbind(),
        explanations: pyo3::types::PyDict::new(py).into_any().unbind(),
    })
}

/// The input rows `rows` as a pyarrow Int64Array.
fn row_array<'py>(py: Python<'py>, rows: &[usize]) -> PyResult<Bound<'py, PyAny>> {
    let numbers: Vec<i64> = rows.iter().map(|&row| row as i64).collect();
    let array = PyArray::from_array_ref(Arc::new(Int64Array::from(numbers)));
    Ok(array.to_pyarrow(py)?.unbind().into_bound(py))
}

/// The result columns of slots named by their labels (`class.Region`,
/// `class.Region_source`), for `labels=True`.
fn by_labels(engine: &Engine, batch: RecordBatch) -> PyResult<RecordBatch> {
    let label_of = |name: &str| -> Option<String> {
        let (slot, source) = match name.strip_suffix("_source") {
            Some(slot) => (slot, "_source"),
            None => (name, ""),
        };
        let number: usize = slot.strip_prefix("class")?.parse().ok()?;
        Some(format!("class.{}{source}", engine.slot_label(number)?))
    };
    let schema = batch.schema();
    let fields: Vec<arrow_schema::Field> = (schema.fields().iter())
        .map(|field| match label_of(field.name()) {
            Some(name) => field.as_ref().clone().with_name(name),
            None => field.as_ref().clone(),
        })
        .collect();
    let renamed = arrow_schema::Schema::new_with_metadata(fields, schema.metadata().clone());
    RecordBatch::try_new(Arc::new(renamed), batch.columns().to_vec())
        .map_err(|err| PyValueError::new_err(err.to_string()))
}

/// `Engine.classify_table(data, like=None, columns=None, labels=False)`.
pub(crate) fn classify_table(
    engine: &Engine,
    data: &Bound<'_, PyAny>,
    like: Option<&str>,
    columns: Option<&[String]>,
    labels: bool,
) -> PyResult<PyArrowResult> {
    let py = data.py();
    let chosen: Option<Vec<&str>> = match columns {
        None => None,
        Some(columns) => {
            let known = ArrowCustomers::result_columns(engine);
            if let Some(unknown) = columns.iter().find(|name| !known.contains(name)) {
                return Err(PyValueError::new_err(format!(
                    "columns=: '{unknown}' is not a result column; the columns are {}",
                    known.join(", ")
                )));
            }
            Some(columns.iter().map(String::as_str).collect())
        }
    };
    let strict = custclass::UnknownColumns::Refuse;
    let check = |names: &[&str]| engine.check_columns(names.iter().copied(), strict);
    let input = input(data, &engine.input_columns(), check)?;
    let customers = input.customers();
    let (batch, problems) = py.detach(|| match &chosen {
        None => customers.classify_with_problems(engine),
        Some(chosen) => customers.classify_columns(engine, chosen),
    });
    let batch = if labels {
        by_labels(engine, batch)?
    } else {
        batch
    };
    let source = input.source(py);
    result(
        to_pyarrow(py, batch)?,
        &problems,
        &[],
        like,
        &source,
        Rows::All,
    )
}

/// `Engine.price_lines(lines, customers=None, like=None)`.
pub(crate) fn price_lines(
    engine: &Engine,
    lines: &Bound<'_, PyAny>,
    customers: Option<&Bound<'_, PyAny>>,
    like: Option<&str>,
    explain: &[usize],
) -> PyResult<PyArrowResult> {
    let py = lines.py();
    let (lines, source) = read_arrow(lines)?;
    let read;
    let customers: Option<&ArrowCustomers> = match customers {
        None => None,
        Some(data) => match data.cast::<PyCustomerTable>() {
            Ok(table) => Some(&table.get().customers),
            Err(_) => {
                let (input, _) = read_arrow(data)?;
                read = py
                    .detach(|| ArrowCustomers::read(&input.schema, &input.batches, None))
                    .map_err(errors::table)?;
                let strict = custclass::UnknownColumns::Refuse;
                check_names(&input.schema, |names| {
                    engine.check_columns(names.iter().copied(), strict)
                })?;
                Some(&read)
            }
        },
    };
    let priced = py
        .detach(|| {
            engine.price_batches_explained(&lines.schema, &lines.batches, customers, explain)
        })
        .map_err(errors::table)?;
    let table = to_pyarrow(py, priced.result)?;
    let result = result(
        table,
        &priced.problems,
        &[],
        like,
        &source,
        Rows::AllUnkeyed,
    )?;
    let explanations = pyo3::types::PyDict::new(py);
    for (row, quote) in priced.explanations {
        explanations.set_item(row, Bound::new(py, crate::PyQuote(quote))?)?;
    }
    Ok(PyArrowResult {
        explanations: explanations.into_any().unbind(),
        ..result
    })
}

/// `Segment.rows(data)`: the matching input rows, ascending, as a pyarrow
/// Int64Array. The numbers are written once, straight from the selection's
/// bits (collecting row indexes and converting them took longer than the
/// query itself for half a million rows).
pub(crate) fn segment_rows<'py>(
    segment: &Segment,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    let strict = custclass::UnknownColumns::Refuse;
    let check = |names: &[&str]| segment.check_columns(names.iter().copied(), strict);
    let input = input(data, &segment.input_columns(), check)?;
    let (customers, index) = (input.customers(), input.index());
    let numbers = py.detach(|| input_row_numbers(customers, segment, index));
    let array = PyArray::from_array_ref(Arc::new(Int64Array::from(numbers)));
    Ok(array.to_pyarrow(py)?.unbind().into_bound(py))
}

/// The input rows of `customers` in `segment`, ascending: the table's rows
/// when none was left out, else each mapped back to its input row.
fn input_row_numbers(
    customers: &ArrowCustomers,
    segment: &Segment,
    index: Option<&TableIndex>,
) -> Vec<i64> {
    let table = customers.table();
    let selection = match index {
        Some(index) => segment.filter_indexed(table, index),
        None => segment.filter(table),
    };
    let mut numbers = selection.row_numbers();
    if customers.input_rows() != table.len() {
        for number in &mut numbers {
            *number = customers.input_row(*number as usize) as i64;
        }
    }
    numbers
}

/// The input's rows `rows` (ascending), all its columns, lined up with it.
fn input_rows<'py>(
    rows: &[usize],
    problems: &[RowProblem],
    warnings: &[SegmentWarning],
    batches: Batches,
    source: &Bound<'py, PyAny>,
    like: Option<&str>,
) -> PyResult<PyArrowResult> {
    let py = source.py();
    let picked = py
        .detach(|| rows_of(&batches, rows))
        .map_err(|err| PyValueError::new_err(err.to_string()))?;
    let table = PyTable::try_new(picked, batches.schema)?.into_pyarrow(py)?;
    let numbers = row_array(py, rows)?;
    result(table, problems, warnings, like, source, Rows::Some(numbers))
}

/// `Segment.filter(data, like=None)`: the matching rows of the input, all
/// its columns.
pub(crate) fn segment_filter(
    segment: &Segment,
    data: &Bound<'_, PyAny>,
    like: Option<&str>,
) -> PyResult<PyArrowResult> {
    let py = data.py();
    let strict = custclass::UnknownColumns::Refuse;
    let check = |names: &[&str]| segment.check_columns(names.iter().copied(), strict);
    let input = input(data, &segment.input_columns(), check)?;
    let (customers, index) = (input.customers(), input.index());
    let (rows, problems, warnings) = py.detach(|| customers.select(segment, index));
    let source = input.source(py);
    input_rows(&rows, &problems, &warnings, input.batches(), &source, like)
}

/// What a segment set says of every input row of `data`.
struct SetAnswer<'py> {
    /// Per input row, its mask (0 for a row without an answer).
    masks: Vec<u64>,
    /// Per segment, in the set's order, its count.
    counts: Vec<usize>,
    /// The rows without an answer.
    problems: Vec<RowProblem>,
    /// Columns a segment tests that are empty in every row.
    warnings: Vec<SegmentWarning>,
    /// The input, to hand back rows of.
    batches: Batches,
    /// The input as read, to line results up with.
    source: Bound<'py, PyAny>,
}

fn set_answer<'py>(set: &SegmentSet, data: &Bound<'py, PyAny>) -> PyResult<SetAnswer<'py>> {
    let py = data.py();
    let strict = custclass::UnknownColumns::Refuse;
    let check = |names: &[&str]| set.check_columns(names.iter().copied(), strict);
    let input = input(data, &set.input_columns(), check)?;
    let (customers, index) = (input.customers(), input.index());
    let answer = py.detach(|| customers.segment_masks(set, index));
    let source = input.source(py);
    Ok(SetAnswer {
        masks: answer.masks,
        counts: answer.counts,
        problems: answer.problems,
        warnings: answer.warnings,
        batches: input.batches(),
        source,
    })
}

/// `SegmentSet.masks(data, like=None)`: the input's `id` and a `mask`
/// column (UInt64), one row per input row, and the rows without an answer.
pub(crate) fn segment_set_masks(
    set: &SegmentSet,
    data: &Bound<'_, PyAny>,
    like: Option<&str>,
) -> PyResult<PyArrowResult> {
    let py = data.py();
    let answer = set_answer(set, data)?;
    let masks: ArrayRef = Arc::new(UInt64Array::from(answer.masks));
    let batch = RecordBatch::try_from_iter([("mask", masks)])
        .map_err(|err| PyValueError::new_err(err.to_string()))?;
    let table = to_pyarrow(py, batch)?;
    result(
        table,
        &answer.problems,
        &answer.warnings,
        like,
        &answer.source,
        Rows::All,
    )
}

/// `SegmentSet.counts(data)`: per segment, in the set's order, its count.
pub(crate) fn segment_set_counts(
    set: &SegmentSet,
    data: &Bound<'_, PyAny>,
) -> PyResult<Vec<usize>> {
    Ok(set_answer(set, data)?.counts)
}

/// `SegmentSet.filter(data, name, like=None)`: the input rows in segment
/// number `segment`, all their columns.
pub(crate) fn segment_set_filter(
    set: &SegmentSet,
    segment: usize,
    data: &Bound<'_, PyAny>,
    like: Option<&str>,
) -> PyResult<PyArrowResult> {
    let answer = set_answer(set, data)?;
    let flag = u32::try_from(segment)
        .ok()
        .and_then(|at| 1_u64.checked_shl(at))
        .unwrap_or(0);
    let rows: Vec<usize> = (answer.masks.iter().enumerate())
        .filter(|(_, mask)| *mask & flag != 0)
        .map(|(row, _)| row)
        .collect();
    input_rows(
        &rows,
        &answer.problems,
        &answer.warnings,
        answer.batches,
        &answer.source,
        like,
    )
}

/// The rows `rows` (ascending) of the input batches, batch by batch.
fn rows_of(input: &Batches, rows: &[usize]) -> Result<Vec<RecordBatch>, arrow_schema::ArrowError> {
    let mut rest = rows;
    let mut start = 0;
    let mut out = Vec::with_capacity(input.batches.len());
    for batch in &input.batches {
        let end = start + batch.num_rows();
        let inside = rest.partition_point(|&row| row < end);
        let (here, after) = rest.split_at(inside);
        let mut mask = vec![false; batch.num_rows()];
        for &row in here {
            if let Some(flag) = mask.get_mut(row - start) {
                *flag = true;
            }
        }
        rest = after;
        out.push(arrow_select::filter::filter_record_batch(
            batch,
            &BooleanArray::from(mask),
        )?);
        start = end;
    }
    Ok(out)
}
