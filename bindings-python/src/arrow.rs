//! The bulk path: Arrow data in (pyarrow, polars, pandas, anything with the
//! Arrow PyCapsule interface), pyarrow tables out, the GIL released while
//! the core works. Columns cross without a Python object per row.

use std::sync::{Arc, OnceLock};

use arrow_array::{ArrayRef, BooleanArray, Int64Array, RecordBatch, UInt64Array};
use arrow_schema::SchemaRef;
use custclass::RowProblem;
use custclass::arrow::{ArrowCustomers, problems_batch};
use custclass::{Engine, Segment, SegmentSet, TableIndex};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyArray, PyTable};

use crate::errors::{self, guard};

static PA_TABLE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Customers read from Arrow data once, for repeated queries (segment
/// queries, classification, prices); `index()` makes segment queries
/// faster still.
///
/// `CustomerTable(data)` takes a pyarrow Table or RecordBatch, a polars or
/// pandas DataFrame, or any object with `__arrow_c_stream__` /
/// `__arrow_c_array__`, with columns named as in the customer file (`id`,
/// `country`, `class1`, `attr.turnover`, …). Rows with a bad cell are left
/// out and listed in `errors`; a column of the wrong type raises
/// `TableError` (`column_type`) naming it.
#[pyclass(name = "CustomerTable", module = "custclass", frozen)]
#[derive(Debug)]
pub(crate) struct PyCustomerTable {
    customers: ArrowCustomers,
    /// The input, to hand back the rows of a segment (Arrow buffers are
    /// shared, not copied).
    input: Batches,
    index: OnceLock<TableIndex>,
}

#[pymethods]
impl PyCustomerTable {
    #[new]
    fn new(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| {
            let input = read_arrow(data)?;
            let customers = py
                .detach(|| ArrowCustomers::read(&input.schema, &input.batches, None))
                .map_err(errors::table)?;
            Ok(PyCustomerTable {
                customers,
                input,
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
/// `message`: the rows without a result and why). Unpacks as
/// `table, errors = result`.
#[pyclass(name = "ArrowResult", module = "custclass", frozen)]
#[derive(Debug)]
pub(crate) struct PyArrowResult {
    /// The result rows.
    #[pyo3(get)]
    table: Py<PyAny>,
    /// The rows without a result: `row`, `id`, `column`, `code`, `message`.
    #[pyo3(get)]
    errors: Py<PyAny>,
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
enum Input<'a> {
    Table(&'a PyCustomerTable),
    Read(ArrowCustomers, Batches),
}

impl Input<'_> {
    fn customers(&self) -> &ArrowCustomers {
        match self {
            Input::Table(table) => &table.customers,
            Input::Read(customers, _) => customers,
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
fn input<'a>(
    data: &'a Bound<'_, PyAny>,
    columns: &std::collections::BTreeSet<String>,
    check: impl FnOnce(&[&str]) -> Result<Vec<custclass::TableError>, custclass::TableError>,
) -> PyResult<Input<'a>> {
    if let Ok(table) = data.cast::<PyCustomerTable>() {
        return Ok(Input::Table(table.get()));
    }
    let input = read_arrow(data)?;
    let customers = data
        .py()
        .detach(|| ArrowCustomers::read(&input.schema, &input.batches, Some(columns)))
        .map_err(errors::table)?;
    check_names(&input.schema, check)?;
    Ok(Input::Read(customers, input))
}

/// The column names of `schema` judged by `check`.
fn check_names(
    schema: &SchemaRef,
    check: impl FnOnce(&[&str]) -> Result<Vec<custclass::TableError>, custclass::TableError>,
) -> PyResult<Vec<custclass::TableError>> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    check(&names).map_err(errors::table)
}

/// The record batches of `data`, through `pyarrow.table(data)` unless it
/// is a pyarrow Table already (no copy for Arrow data; pyarrow converts
/// pandas).
fn read_arrow(data: &Bound<'_, PyAny>) -> PyResult<Batches> {
    let py = data.py();
    let pa_table = PA_TABLE.import(py, "pyarrow", "Table")?;
    let source = if data.is_instance(pa_table)? {
        data.clone()
    } else {
        let pyarrow = py.import("pyarrow")?;
        pyarrow.getattr("table")?.call1((data,)).map_err(|err| {
            PyTypeError::new_err(format!(
                "expected Arrow data (a pyarrow Table or RecordBatch, a polars or pandas \
                 DataFrame, or an object with __arrow_c_stream__), got {}: {err}",
                data.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?
    };
    let table = source.extract::<AnyRecordBatch>()?.into_table()?;
    let (batches, schema) = table.into_inner();
    Ok(Batches { schema, batches })
}

/// A record batch as a pyarrow Table.
fn to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// A pyarrow Table as the kind `like` names: `"pyarrow"` (or `None`),
/// `"polars"` or `"pandas"`.
fn hand_back<'py>(table: Bound<'py, PyAny>, like: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    let py = table.py();
    match like {
        None | Some("pyarrow") => Ok(table),
        Some("polars") => py.import("polars")?.getattr("from_arrow")?.call1((table,)),
        Some("pandas") => table.call_method0("to_pandas"),
        Some(other) => Err(PyValueError::new_err(format!(
            "like='{other}': use 'pyarrow', 'polars' or 'pandas'"
        ))),
    }
}

fn result(
    py: Python<'_>,
    table: Bound<'_, PyAny>,
    problems: &[RowProblem],
    like: Option<&str>,
) -> PyResult<PyArrowResult> {
    let errors = to_pyarrow(py, problems_batch(problems))?;
    Ok(PyArrowResult {
        table: hand_back(table, like)?.unbind(),
        errors: hand_back(errors, like)?.unbind(),
    })
}

/// `Engine.classify_table(data, like=None, columns=None)`.
pub(crate) fn classify_table(
    engine: &Engine,
    data: &Bound<'_, PyAny>,
    like: Option<&str>,
    columns: Option<&[String]>,
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
    result(py, to_pyarrow(py, batch)?, &problems, like)
}

/// `Engine.price_lines(lines, customers=None, like=None)`.
pub(crate) fn price_lines(
    engine: &Engine,
    lines: &Bound<'_, PyAny>,
    customers: Option<&Bound<'_, PyAny>>,
    like: Option<&str>,
) -> PyResult<PyArrowResult> {
    let py = lines.py();
    let lines = read_arrow(lines)?;
    let read;
    let customers: Option<&ArrowCustomers> = match customers {
        None => None,
        Some(data) => match data.cast::<PyCustomerTable>() {
            Ok(table) => Some(&table.get().customers),
            Err(_) => {
                let input = read_arrow(data)?;
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
    let (batch, problems) = py
        .detach(|| engine.price_batches(&lines.schema, &lines.batches, customers))
        .map_err(errors::table)?;
    result(py, to_pyarrow(py, batch)?, &problems, like)
}

/// The input rows in `segment`, and the input's problems.
fn select(
    segment: &Segment,
    data: &Bound<'_, PyAny>,
) -> PyResult<(Vec<usize>, Vec<RowProblem>, Batches)> {
    let py = data.py();
    let strict = custclass::UnknownColumns::Refuse;
    let check = |names: &[&str]| segment.check_columns(names.iter().copied(), strict);
    let input = input(data, &segment.input_columns(), check)?;
    let rows = match &input {
        Input::Table(table) => py.detach(|| table.customers.select(segment, table.index.get())),
        Input::Read(customers, _) => py.detach(|| customers.select(segment, None)),
    };
    let problems = input.customers().problems().to_vec();
    let source = match input {
        Input::Table(table) => table.input.clone(),
        Input::Read(_, source) => source,
    };
    Ok((rows, problems, source))
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
    let numbers = py.detach(|| match &input {
        Input::Table(table) => input_row_numbers(&table.customers, segment, table.index.get()),
        Input::Read(customers, _) => input_row_numbers(customers, segment, None),
    });
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

/// `Segment.filter(data, like=None)`: the matching rows of the input, all
/// its columns.
pub(crate) fn segment_filter(
    segment: &Segment,
    data: &Bound<'_, PyAny>,
    like: Option<&str>,
) -> PyResult<PyArrowResult> {
    let py = data.py();
    let (rows, problems, source) = select(segment, data)?;
    let batches = py
        .detach(|| rows_of(&source, &rows))
        .map_err(|err| PyValueError::new_err(err.to_string()))?;
    let table = PyTable::try_new(batches, source.schema)?.into_pyarrow(py)?;
    result(py, table, &problems, like)
}

/// What a segment set says of every input row of `data`.
struct SetAnswer {
    /// Per input row, its mask (0 for a row without an answer).
    masks: Vec<u64>,
    /// Per segment, in the set's order, its count.
    counts: Vec<usize>,
    /// The rows without an answer.
    problems: Vec<RowProblem>,
    /// The input, to hand back rows of.
    source: Batches,
}

fn set_answer(set: &SegmentSet, data: &Bound<'_, PyAny>) -> PyResult<SetAnswer> {
    let py = data.py();
    let strict = custclass::UnknownColumns::Refuse;
    let check = |names: &[&str]| set.check_columns(names.iter().copied(), strict);
    let input = input(data, &set.input_columns(), check)?;
    let (masks, counts, problems) = match &input {
        Input::Table(table) => py.detach(|| table.customers.segment_masks(set, table.index.get())),
        Input::Read(customers, _) => py.detach(|| customers.segment_masks(set, None)),
    };
    let source = match input {
        Input::Table(table) => table.input.clone(),
        Input::Read(_, source) => source,
    };
    Ok(SetAnswer {
        masks,
        counts,
        problems,
        source,
    })
}

/// `SegmentSet.masks(data, like=None)`: a `mask` column (UInt64), one row
/// per input row, and the rows without an answer.
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
    result(py, to_pyarrow(py, batch)?, &answer.problems, like)
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
    let py = data.py();
    let answer = set_answer(set, data)?;
    let flag = u32::try_from(segment)
        .ok()
        .and_then(|at| 1_u64.checked_shl(at))
        .unwrap_or(0);
    let rows: Vec<usize> = (answer.masks.iter().enumerate())
        .filter(|(_, mask)| *mask & flag != 0)
        .map(|(row, _)| row)
        .collect();
    let source = answer.source;
    let batches = py
        .detach(|| rows_of(&source, &rows))
        .map_err(|err| PyValueError::new_err(err.to_string()))?;
    let table = PyTable::try_new(batches, source.schema)?.into_pyarrow(py)?;
    result(py, table, &answer.problems, like)
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
