//! Customers from Arrow record batches, results as Arrow record batches:
//! the bulk path for callers that hold columns (pandas, polars, pyarrow,
//! DuckDB, Arrow IPC from JavaScript), without a customer object per row.
//!
//! The columns are named as in the customer file (`id`, `country`,
//! `class1`, `attr.turnover`, …). Text may come as strings or as a
//! dictionary of strings (categoricals); each distinct value is checked
//! once. A bad cell leaves its row out of the table and is reported as a
//! [`RowProblem`] naming the input row and column; the other rows go on.
//! Results have one row per input row, in input order, so they sit beside
//! the input (a row left out has nulls).
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{RecordBatch, StringArray, Array};
//! use custclass::arrow::ArrowCustomers;
//! use custclass::{Engine, Setup};
//!
//! let batch = RecordBatch::try_from_iter([
//!     ("id", Arc::new(StringArray::from(vec!["1", "2", "3"])) as _),
//!     ("country", Arc::new(StringArray::from(vec![Some("NL"), Some("XX"), None])) as _),
//! ])?;
//! let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
//! let customers = ArrowCustomers::read(&batch.schema(), &[batch], Some(&engine.input_columns()))?;
//! assert_eq!(customers.problems()[0].row, 1);            // XX is no country
//! let result = customers.classify(&engine);
//! assert_eq!(result.num_rows(), 3);                       // one row per input row
//! let zones = result.column_by_name("vat_zone").unwrap();
//! assert!(zones.is_valid(0) && zones.is_null(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod coded;
mod ids;
mod json;
mod lines;
mod read;
mod text;
mod valid;
mod write;

use std::collections::{BTreeSet, HashSet};

use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::Schema;

use crate::customer::Customer;
use crate::engine::{Engine, Segment, SegmentSet};
use crate::error::TableError;
use crate::error::{CustomerError, RowProblem};
use crate::table::SegmentWarning;
use crate::table::{CustomerTable, Selection, TableBuilder, TableIndex};
pub use json::{batch_from_columns, batch_from_json};
pub use lines::PricedBatch;
pub use write::{batch_json, problems_batch};

/// Customers read from Arrow: the good rows as a [`CustomerTable`], and
/// what was wrong with the others.
#[derive(Debug, Clone)]
pub struct ArrowCustomers {
    table: CustomerTable,
    /// The input row of each table row, when rows were left out.
    kept: Option<Vec<usize>>,
    input_rows: usize,
    problems: Vec<RowProblem>,
    /// The input's id column, to name the customer of a problem found later.
    ids: Vec<ArrayRef>,
}

/// rayon's threads where the crate has them.
pub(super) fn threads() -> crate::threads::Threads {
    crate::threads::Threads::available()
}

/// Columns a pandas index becomes (`__index_level_0__`): not customer data.
fn is_pandas_index(name: &str) -> bool {
    name.starts_with("__index_level_") && name.ends_with("__")
}

impl ArrowCustomers {
    /// Reads the record batches (all of `schema`) into a table, taking only
    /// the columns in `columns` when given (say [`Engine::input_columns`]:
    /// a name, an e-mail address, distinct on every row, costs far more to
    /// read than a country code, and classifying doesn't need it).
    ///
    /// A row whose id (trimmed) an earlier row has is left out as a
    /// [`RowProblem`] `duplicate_id` naming that row, whatever else is
    /// wrong with it: a customer appears once in a table.
    ///
    /// # Errors
    ///
    /// A [`TableError`] for the input as a whole: a column that is not a
    /// customer field (`unknown_column`; pandas index columns are skipped),
    /// twice (`duplicate_column`), no `id` (`missing_column`), or a column
    /// whose data type can't hold its field (`column_type`, naming the
    /// column, its type and what it takes).
    pub fn read(
        schema: &Schema,
        batches: &[RecordBatch],
        columns: Option<&BTreeSet<String>>,
    ) -> Result<ArrowCustomers, TableError> {
        let mut seen = HashSet::new();
        for (index, field) in schema.fields().iter().enumerate() {
            let name = field.name().as_str();
            if is_pandas_index(name) {
                continue;
            }
            let position = index + 1;
            if !crate::customer::fields::is_column(name) {
                return Err(crate::customer::fields::unknown_column(name, position));
            }
            if !seen.insert(name) {
                let column = name.to_owned();
                return Err(TableError::DuplicateColumn { column, position });
            }
        }
        let Some(id_at) = schema.fields().iter().position(|f| f.name() == "id") else {
            let column = "id".to_owned();
            return Err(TableError::MissingColumn {
                column,
                table: true,
            });
        };
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let chunks_of = |at: usize| -> Vec<&ArrayRef> {
            batches
                .iter()
                .filter_map(|batch| batch.columns().get(at))
                .collect()
        };
        let wanted: Vec<(usize, &str, read::Kind)> = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, field)| !is_pandas_index(field.name()))
            .filter(|(_, field)| columns.is_none_or(|wanted| wanted.contains(field.name())))
            .map(|(at, field)| {
                (
                    at,
                    field.name().as_str(),
                    read::Kind::of(field.name(), field.data_type()),
                )
            })
            .collect();
        // Columns are read side by side: each is a pass of its own.
        let read = threads().map(&wanted, |&(at, name, kind)| {
            read::column(name, kind, &chunks_of(at), rows)
        });
        let mut built = Vec::new();
        let mut bad: Vec<(usize, String, String)> = Vec::new();
        for (&(_, name, _), outcome) in wanted.iter().zip(read) {
            let (column, cells) = outcome?;
            bad.extend(
                cells
                    .into_iter()
                    .map(|(row, message)| (row, name.to_owned(), format!("{name}: {message}"))),
            );
            built.push((name.to_owned(), column));
        }
        let ids: Vec<ArrayRef> = chunks_of(id_at).into_iter().cloned().collect();
        let mut customers = ArrowCustomers {
            table: CustomerTable::default(),
            kept: None,
            input_rows: rows,
            problems: Vec::new(),
            ids,
        };
        // A customer needs an id (not blank), whether or not the id column
        // is read.
        let id_chunks: Vec<&ArrayRef> = customers.ids.iter().collect();
        let (missing, repeats) = ids::examine(&id_chunks, rows);
        bad.extend(
            missing
                .into_iter()
                .map(|row| (row, "id".into(), "id: a customer needs an id".into())),
        );
        // A row whose id came before is that problem alone, as in a file,
        // whatever else is wrong with it.
        let repeated: HashSet<usize> = repeats.iter().map(|repeat| repeat.row).collect();
        bad.retain(|(row, _, _)| !repeated.contains(row));
        bad.sort();
        let mut problems: Vec<RowProblem> = bad
            .into_iter()
            .map(|(row, column, message)| RowProblem {
                row,
                line: None,
                id: customers.id(row),
                column: Some(column),
                code: "invalid_field".into(),
                message,
            })
            .collect();
        problems.extend(repeats.into_iter().map(|repeat| {
            ids::duplicate_id(
                repeat.row,
                customers.id(repeat.row),
                &repeat.id,
                repeat.first,
            )
        }));
        problems.sort_by_key(|problem| problem.row);
        customers.problems = problems;
        let rejected: BTreeSet<usize> = customers.problems.iter().map(|p| p.row).collect();
        if !rejected.is_empty() {
            let kept: Vec<usize> = (0..rows).filter(|row| !rejected.contains(row)).collect();
            built = built
                .into_iter()
                .map(|(name, column)| (name, column.take(&kept)))
                .collect();
            customers.kept = Some(kept);
        }
        let table_rows = customers.kept.as_ref().map_or(rows, Vec::len);
        customers.table = CustomerTable::from_columns(table_rows, built);
        Ok(customers)
    }

    /// Customers given as a JSON array of customer objects (the customer
    /// JSON every binding reads), each read on its own: a customer that
    /// can't be read is a [`RowProblem`] (its place in the array, the
    /// field's path and the code) and the others go on. A customer whose
    /// id an earlier one has is left out too (`duplicate_id`).
    ///
    /// # Errors
    ///
    /// A [`CustomerError`] (`json_syntax`) when the text is not a JSON array.
    pub fn from_json_customers(json: &str) -> Result<ArrowCustomers, CustomerError> {
        let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(json)
            .map_err(|err| CustomerError::from_json("$".to_owned(), &err))?;
        let mut builder = TableBuilder::new();
        let mut kept = Vec::with_capacity(items.len());
        let mut row_ids: Vec<Option<String>> = Vec::with_capacity(items.len());
        let mut problems = Vec::new();
        let mut first_rows = ids::FirstRows::default();
        for (row, item) in items.iter().enumerate() {
            let customer = Customer::from_json(item.get());
            // The id, if the object has a readable one.
            let id = match &customer {
                Ok(customer) => Some(customer.id.0.clone()),
                Err(_) => serde_json::from_str::<serde_json::Value>(item.get())
                    .ok()
                    .and_then(|value| value.get("id")?.as_str().map(str::to_owned)),
            };
            // A customer whose id came before is that problem alone, as in
            // a file, whatever else is wrong with it.
            if let Some(id) = &id
                && let Some(first) = first_rows.earlier(id, row)
            {
                problems.push(ids::duplicate_id(row, Some(id.clone()), id.trim(), first));
                row_ids.push(Some(id.clone()));
                continue;
            }
            match customer {
                Ok(customer) => {
                    row_ids.push(id);
                    builder.push(&customer);
                    kept.push(row);
                }
                Err(error) => {
                    problems.push(RowProblem {
                        row,
                        line: None,
                        id: id.clone(),
                        column: error.field().map(str::to_owned),
                        code: error.code().to_owned(),
                        message: error.to_string(),
                    });
                    row_ids.push(id);
                }
            }
        }
        let all_kept = kept.len() == items.len();
        Ok(ArrowCustomers {
            table: builder.finish(),
            kept: (!all_kept).then_some(kept),
            input_rows: items.len(),
            problems,
            ids: vec![std::sync::Arc::new(arrow_array::StringArray::from(row_ids))],
        })
    }

    /// The good rows.
    pub fn table(&self) -> &CustomerTable {
        &self.table
    }

    /// The rows left out, with why, in row order.
    pub fn problems(&self) -> &[RowProblem] {
        &self.problems
    }

    /// The number of input rows, good and bad.
    pub fn input_rows(&self) -> usize {
        self.input_rows
    }

    /// The input row of table row `row`.
    pub fn input_row(&self, row: usize) -> usize {
        match &self.kept {
            Some(kept) => kept.get(row).copied().unwrap_or(usize::MAX),
            None => row,
        }
    }

    /// The id in input row `row`, if it has one.
    fn id(&self, mut row: usize) -> Option<String> {
        for chunk in &self.ids {
            if row < chunk.len() {
                return write::text_at(chunk, row).filter(|id| !crate::scalar::is_blank(id));
            }
            row -= chunk.len();
        }
        None
    }

    /// Classifies every good row (on rayon's threads with the `rayon`
    /// feature): one result row per input row, as [`Engine::classify_table`]
    /// classifies it; see [`ArrowCustomers::classify_problems`] for the
    /// rows without a result.
    pub fn classify(&self, engine: &Engine) -> RecordBatch {
        write::classification(self, &self.classify_table(engine), engine, None)
    }

    /// The names of the result columns [`ArrowCustomers::classify`] writes,
    /// in its order: each slot the setup defines, `type`, `group`,
    /// `price_group`, `vat_zone`, the accounts and `layout`, each followed
    /// by `<name>_source`, then `b2b`.
    pub fn result_columns(engine: &Engine) -> Vec<String> {
        write::column_names(engine)
    }

    /// [`ArrowCustomers::classify_with_problems`] writing only the result
    /// columns named (see [`ArrowCustomers::result_columns`]), in the order
    /// given; a column not asked for is not worked out, so two columns of
    /// a million rows cost far less than all thirty. A name that is no
    /// result column is left out (a binding checks the names first).
    pub fn classify_columns(
        &self,
        engine: &Engine,
        columns: &[&str],
    ) -> (RecordBatch, Vec<RowProblem>) {
        let result = self.classify_table(engine);
        (
            write::classification(self, &result, engine, Some(columns)),
            self.classified_problems(&result),
        )
    }

    /// The input's problems plus the rows that read well but can't be
    /// classified (a numeric attribute that isn't a number, a slot value the
    /// setup refuses), in row order.
    pub fn classify_problems(&self, engine: &Engine) -> Vec<RowProblem> {
        self.classified_problems(&self.classify_table(engine))
    }

    /// [`ArrowCustomers::classify`] and [`ArrowCustomers::classify_problems`]
    /// at the cost of one classification.
    pub fn classify_with_problems(&self, engine: &Engine) -> (RecordBatch, Vec<RowProblem>) {
        let result = self.classify_table(engine);
        (
            write::classification(self, &result, engine, None),
            self.classified_problems(&result),
        )
    }

    fn classify_table<'t>(&'t self, engine: &Engine) -> crate::TableClassification<'t> {
        #[cfg(feature = "rayon")]
        return engine.par_classify_table(&self.table);
        #[cfg(not(feature = "rayon"))]
        return engine.classify_table(&self.table);
    }

    fn classified_problems(&self, result: &crate::TableClassification<'_>) -> Vec<RowProblem> {
        let errors = result
            .rows_in_error()
            .into_iter()
            .filter_map(|row| Some((row, result.error(row)?)));
        self.problems_with(errors)
    }

    /// The input's problems with the errors of table rows `errors`, as
    /// problems of their input rows, in row order.
    fn problems_with<'e>(
        &self,
        errors: impl Iterator<Item = (usize, &'e CustomerError)>,
    ) -> Vec<RowProblem> {
        let mut problems = self.problems.clone();
        for (row, error) in errors {
            let input = self.input_row(row);
            problems.push(RowProblem {
                row: input,
                line: None,
                id: self.id(input),
                column: error.field().map(str::to_owned),
                code: error.code().to_owned(),
                message: error.to_string(),
            });
        }
        problems.sort_by_key(|problem| problem.row);
        problems
    }

    /// The input rows in `segment`, ascending (with an index of this
    /// table, if given), the rows without an answer (the input's problems
    /// and the rows the segment rejects, in row order), and what the
    /// segment noticed about the columns it tests.
    pub fn select(
        &self,
        segment: &Segment,
        index: Option<&TableIndex>,
    ) -> (Vec<usize>, Vec<RowProblem>, Vec<SegmentWarning>) {
        let selection: Selection = match index {
            Some(index) => segment.filter_indexed(&self.table, index),
            None => segment.filter(&self.table),
        };
        let rows = selection.rows().map(|row| self.input_row(row)).collect();
        let problems = self.problems_with(
            selection
                .rejected()
                .iter()
                .map(|(row, error)| (*row, error)),
        );
        (rows, problems, selection.warnings().to_vec())
    }

    /// Every input row's mask of the segments of `set` it is in (0 for a
    /// row left out, or one that can't be judged), every segment's count,
    /// the rows without an answer (the input's problems and the rows the
    /// set rejects, in row order), and what the segments noticed about the
    /// columns they test.
    pub fn segment_masks(&self, set: &SegmentSet, index: Option<&TableIndex>) -> SetAnswer {
        let answer = match index {
            Some(index) => set.masks_indexed(&self.table, index),
            None => set.masks(&self.table),
        };
        let mut masks = vec![0; self.input_rows];
        for (row, mask) in answer.masks().iter().enumerate() {
            if let Some(input) = masks.get_mut(self.input_row(row)) {
                *input = *mask;
            }
        }
        let problems =
            self.problems_with(answer.rejected().iter().map(|(row, error)| (*row, error)));
        SetAnswer {
            masks,
            counts: answer.counts().to_vec(),
            problems,
            warnings: answer.warnings().to_vec(),
        }
    }
}

/// A [`SegmentSet`]'s answer over Arrow input, per input row.
#[derive(Debug, Clone)]
pub struct SetAnswer {
    /// Per input row, its mask (0 for a row without an answer).
    pub masks: Vec<u64>,
    /// Per segment, in the set's order, how many rows are in it.
    pub counts: Vec<usize>,
    /// The rows without an answer, in row order.
    pub problems: Vec<RowProblem>,
    /// Columns tested that are empty in every row.
    pub warnings: Vec<SegmentWarning>,
}
