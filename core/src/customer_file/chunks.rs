//! CSV rows straight into table columns, a chunk of rows at a time.
//!
//! Reading a row into a [`Customer`] and then into a table costs a struct,
//! its strings and a map per row, ten times what the columns need. Here
//! each column gathers its cells' distinct texts and each row's code; a
//! text is checked and converted once however many rows share it, then
//! the codes become the table's column. The answer is the one
//! [`CsvCustomers`](super::CsvCustomers) and [`TableBuilder`](crate::TableBuilder)
//! give, row for row and problem for problem (a property test holds them
//! to it). A chunk at a time, a file of any size streams in the memory of
//! one chunk.

use std::io::BufRead;

use std::borrow::Cow;

use super::cells::Cells;
use super::header::{Column, Header};
use super::ids::IdLines;
use super::records::Records;
use super::{CsvOptions, open, problem, record_problem, unclosed_problem};
use crate::bits::Bits;
use crate::customer::Customer;
use crate::customer::fields::{Access, Field};
use crate::encoding::Decoded;
use crate::error::{RowProblem, TableError};
use crate::scalar;
use crate::table::CustomerTable;
use crate::table::column::{
    Column as TableColumn, DateColumn, DecimalColumn, TextColumn, day_number,
};
use crate::table::strings::Strings;

/// The rows of a CSV customer file read in chunks, each chunk a
/// [`CustomerTable`] of its good rows and the problems of its bad ones.
///
/// # Examples
///
/// Classifying a file of any size in the memory of one chunk:
///
/// ```
/// use custclass::customer_file::CsvChunks;
/// use custclass::{Engine, Setup, Target};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let file = "id;country;channel\n1;NL;pos\n2;XX;pos\n3;DE;webshop\n4;NL;webshop\n";
/// let mut chunks = CsvChunks::new(file.as_bytes())?;
/// let mut groups = Vec::new();
/// let mut rejected = Vec::new();
/// while let Some(chunk) = chunks.next_chunk(2)? {
///     let classified = engine.classify_table(&chunk.table);
///     groups.extend((0..chunk.table.len()).map(|row| classified.value(row, Target::Group).map(|g| g.value)));
///     rejected.extend(chunk.problems.iter().map(|problem| problem.line));
/// }
/// assert_eq!(groups.len(), 3);
/// assert_eq!(rejected, [Some(3)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CsvChunks<R> {
    records: Records<Decoded<R>>,
    header: Header,
    ids: IdLines,
    /// Data rows read so far, good and bad.
    rows: usize,
    done: bool,
}

/// A chunk of a CSV customer file.
#[derive(Debug)]
#[non_exhaustive]
pub struct CsvChunk {
    /// The chunk's good rows, in file order.
    pub table: CustomerTable,
    /// Per table row, the line of the file it starts on.
    pub lines: Vec<u64>,
    /// Per table row, its data row in the file (0-based, bad rows counted).
    pub rows: Vec<usize>,
    /// The problems of the chunk's bad rows, in file order.
    pub problems: Vec<RowProblem>,
}

impl<R: BufRead> CsvChunks<R> {
    /// Reads the header, guessing the delimiter (`;`, `,` or tab) from it.
    ///
    /// # Errors
    ///
    /// As [`CsvCustomers::new`](super::CsvCustomers::new).
    pub fn new(input: R) -> Result<CsvChunks<R>, TableError> {
        CsvChunks::with_options(input, &CsvOptions::default())
    }

    /// Reads the header of a file, as `options` say.
    ///
    /// # Errors
    ///
    /// As [`CsvCustomers::new`](super::CsvCustomers::new).
    pub fn with_options(input: R, options: &CsvOptions) -> Result<CsvChunks<R>, TableError> {
        let (records, header) = open(input, options)?;
        Ok(CsvChunks {
            records,
            header,
            ids: IdLines::default(),
            rows: 0,
            done: false,
        })
    }

    /// The lines read so far, the header and empty lines included.
    pub fn lines_read(&self) -> u64 {
        self.records.lines()
    }

    /// The empty lines skipped so far.
    pub fn blank_lines(&self) -> u64 {
        self.records.blank_lines()
    }

    /// The data rows read so far, good and bad.
    pub fn rows_read(&self) -> usize {
        self.rows
    }

    /// The file's columns, as the library names them (`id`, `country`,
    /// `attr.<name>`): what an export of every column writes, whichever
    /// a chunk has values in.
    pub fn columns(&self) -> impl Iterator<Item = &str> + '_ {
        self.header.names.iter().map(String::as_str)
    }

    /// The next chunk of at most `rows` data rows (good and bad); `None`
    /// once the file is read.
    ///
    /// # Errors
    ///
    /// `io` when the input fails part-way; the file ends there.
    pub fn next_chunk(&mut self, rows: usize) -> Result<Option<CsvChunk>, TableError> {
        if self.done {
            return Ok(None);
        }
        let mut cells: Vec<Cells> = self
            .header
            .columns
            .iter()
            .map(|_| Cells::default())
            .collect();
        let mut lines = Vec::new();
        let mut data_rows = Vec::new();
        let mut problems = Vec::new();
        let mut read = 0;
        self.ids.reserve(rows.min(crate::threads::CHUNK));
        while read < rows.max(1) {
            let next = self.records.next().map_err(|err| TableError::Io {
                line: self.records.lines() + 1,
                detail: err.to_string(),
            });
            let next = match next {
                Ok(next) => next,
                Err(err) => {
                    self.done = true;
                    return Err(err);
                }
            };
            let Some(next) = next else {
                self.done = true;
                break;
            };
            let row = self.rows;
            self.rows += 1;
            read += 1;
            let record = match next {
                Ok(()) => self.records.record(),
                Err(unclosed) => {
                    let mut problem = unclosed_problem(&unclosed, &self.header.names);
                    problem.row = row;
                    problems.push(problem);
                    continue;
                }
            };
            if let Some(mut problem) = record_problem(record, &self.header, &mut self.ids) {
                problem.row = row;
                problems.push(problem);
                continue;
            }
            for (column, cell) in cells.iter_mut().zip(record.fields()) {
                column.push(cell);
            }
            lines.push(record.line);
            data_rows.push(row);
        }
        if read == 0 {
            return Ok(None);
        }
        let chunk = Chunk {
            header: &self.header,
            lines,
            rows: data_rows,
        };
        Ok(Some(chunk.finish(cells, problems)))
    }
}

/// A distinct cell text read as its column's kind.
enum Value<'a> {
    Text(Cow<'a, str>),
    Number(rust_decimal::Decimal),
    Day(i32),
    Flag(bool),
}

/// The rows of a chunk that reached the columns.
struct Chunk<'h> {
    header: &'h Header,
    lines: Vec<u64>,
    rows: Vec<usize>,
}

impl Chunk<'_> {
    /// The chunk's table: each column's distinct texts read once, rows with
    /// a bad cell left out and reported.
    fn finish(self, cells: Vec<Cells>, mut problems: Vec<RowProblem>) -> CsvChunk {
        let rows = self.lines.len();
        let id_of = |row: usize| -> Option<String> {
            let ids = cells.get(self.header.id)?;
            let text = std::str::from_utf8(ids.text(*ids.codes().get(row)?)?).ok()?;
            Some(text.trim().to_owned()).filter(|id| !id.is_empty())
        };
        // Columns are read side by side; each one's problems are (table row,
        // problem), and taken column by column a row's come in column order.
        let work: Vec<(usize, &Cells)> = cells.iter().enumerate().collect();
        let read = crate::threads::Threads::available()
            .map(&work, |&(at, cells)| self.read_column(at, cells, &id_of));
        let mut bad: Vec<(usize, RowProblem)> = Vec::new();
        let mut columns = Vec::new();
        let mut has_id = Bits::none(rows);
        let mut id_reported = Bits::none(rows);
        for (column, column_bad, ids) in read {
            bad.extend(column_bad);
            columns.push(column);
            if let Some((valid, reported)) = ids {
                (has_id, id_reported) = (valid, reported);
            }
        }
        // A customer needs an id; an id that isn't text is reported already.
        for row in 0..rows {
            if !has_id.get(row) && !id_reported.get(row) {
                let line = self.lines.get(row).copied().unwrap_or_default();
                let message = "id: a customer needs an id".to_owned();
                bad.push((
                    row,
                    problem(line, None, Some("id"), "invalid_field", message),
                ));
            }
        }
        let mut lines = self.lines;
        let mut data_rows = self.rows;
        if !bad.is_empty() {
            bad.sort_by_key(|(row, _)| *row);
            let mut rejected = Bits::none(rows);
            for (row, mut problem) in bad {
                rejected.set(row);
                problem.row = data_rows.get(row).copied().unwrap_or_default();
                problems.push(problem);
            }
            let kept: Vec<usize> = (0..rows).filter(|&row| !rejected.get(row)).collect();
            columns = columns
                .into_iter()
                .map(|(name, column)| (name, column.take(&kept)))
                .collect();
            lines = kept
                .iter()
                .filter_map(|&row| lines.get(row).copied())
                .collect();
            data_rows = kept
                .iter()
                .filter_map(|&row| data_rows.get(row).copied())
                .collect();
        }
        problems.sort_by_key(|problem| problem.row);
        CsvChunk {
            table: CustomerTable::from_columns(lines.len(), columns),
            lines,
            rows: data_rows,
            problems,
        }
    }
}

impl Chunk<'_> {
    /// Column `at` read from its cells: the table column, its bad cells as
    /// (table row, problem), and for the id column, which rows have an id
    /// and which had one that was reported.
    #[allow(
        clippy::type_complexity,
        reason = "one column's three answers, used once"
    )]
    fn read_column(
        &self,
        at: usize,
        cells: &Cells,
        id_of: &(dyn Fn(usize) -> Option<String> + Sync),
    ) -> (
        (String, TableColumn),
        Vec<(usize, RowProblem)>,
        Option<(Bits, Bits)>,
    ) {
        let (Some(column), Some(name)) = (self.header.columns.get(at), self.header.names.get(at))
        else {
            return (
                (String::new(), TableColumn::Flag(Bits::none(0))),
                Vec::new(),
                None,
            );
        };
        let rows = self.lines.len();
        let is_id = at == self.header.id;
        let values = cells.texts();
        let mut read: Vec<Option<Value>> = Vec::with_capacity(values.len());
        let mut failed: Vec<Option<(&'static str, String)>> = vec![None; values.len()];
        let mut scratch = Customer::default();
        for (value, failure) in values.zip(failed.iter_mut()) {
            let outcome = std::str::from_utf8(value)
                .map_err(|_| {
                    let message = format!(
                        "{name}: the cell is not UTF-8 text{}",
                        super::encoding_hint(value)
                    );
                    ("invalid_utf8", message)
                })
                .and_then(|text| {
                    read_value(column, text.trim(), &mut scratch)
                        .map_err(|message| ("invalid_field", format!("{name}: {message}")))
                });
            match outcome {
                Ok(value) => read.push(value),
                Err(why) => {
                    *failure = Some(why);
                    read.push(None);
                }
            }
        }
        let mut bad = Vec::new();
        let mut ids = is_id.then(|| (Bits::none(rows), Bits::none(rows)));
        for (row, &code) in cells.codes().iter().enumerate() {
            let Some(index) = code.checked_sub(1) else {
                continue;
            };
            if let Some(Some((kind, message))) = failed.get(index as usize) {
                let line = self.lines.get(row).copied().unwrap_or_default();
                if let Some((_, reported)) = ids.as_mut() {
                    reported.set(row);
                }
                let id = id_of(row);
                let problem = problem(line, id.as_deref(), Some(name), kind, message.clone());
                bad.push((row, problem));
            } else if let Some((valid, _)) = ids.as_mut()
                && read.get(index as usize).is_some_and(Option::is_some)
            {
                valid.set(row);
            }
        }
        let built = build(column, &read, cells.codes(), cells.is_in_row_order());
        ((name.clone(), built), bad, ids)
    }
}

/// A cell's text (trimmed) as its column holds it: `None` for no value.
fn read_value<'a>(
    column: &Column,
    text: &'a str,
    scratch: &mut Customer,
) -> Result<Option<Value<'a>>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let field = match column {
        Column::Attr(_) => return Ok(Some(Value::Text(Cow::Borrowed(text)))),
        Column::Field(field) => field,
    };
    Ok(match field.access {
        Access::Text { .. } => Some(Value::Text(Cow::Borrowed(text))),
        Access::Coded { .. } | Access::List { .. } => {
            field.set_text(scratch, text)?;
            field
                .text(scratch)
                .map(|stored| Value::Text(Cow::Owned(stored.into_owned())))
        }
        Access::Number { .. } => {
            Some(Value::Number(scalar::decimal(text).map_err(|why| {
                why.message(text, || format!("`{text}` is not a decimal number"))
            })?))
        }
        Access::Day { .. } => Some(Value::Day(day_number(scalar::day(text)?))),
        Access::Flag { .. } => Some(Value::Flag(scalar::flag(text)?)),
    })
}

/// A table column from each text's value and each row's code; with
/// `in_row_order`, the texts are the rows' own, in row order.
fn build(
    column: &Column,
    values: &[Option<Value>],
    codes: &[u32],
    in_row_order: bool,
) -> TableColumn {
    let rows = codes.len();
    let value = |code: u32| values.get(code.checked_sub(1)? as usize)?.as_ref();
    let field: Option<&Field> = match column {
        Column::Field(field) => Some(field),
        Column::Attr(_) => None,
    };
    match field.map(|field| field.access) {
        Some(Access::Number { .. }) => {
            let mut column = DecimalColumn::default();
            for &code in codes {
                column.push(match value(code) {
                    Some(Value::Number(number)) => Some(*number),
                    _ => None,
                });
            }
            TableColumn::Decimal(column.compact())
        }
        Some(Access::Day { .. }) => {
            let mut valid = Bits::none(rows);
            let mut numbers = Vec::with_capacity(rows);
            for (row, &code) in codes.iter().enumerate() {
                match value(code) {
                    Some(Value::Day(number)) => {
                        valid.set(row);
                        numbers.push(*number);
                    }
                    _ => numbers.push(0),
                }
            }
            TableColumn::Date(DateColumn::from_numbers(numbers, valid))
        }
        Some(Access::Flag { .. }) => {
            let mut bits = Bits::none(rows);
            for (row, &code) in codes.iter().enumerate() {
                if let Some(Value::Flag(true)) = value(code) {
                    bits.set(row);
                }
            }
            TableColumn::Flag(bits)
        }
        _ if in_row_order => {
            let mut texts = Strings::default();
            let codes = codes
                .iter()
                .map(|&code| match value(code) {
                    Some(Value::Text(text)) => {
                        texts.push(text);
                        texts.len() as u32
                    }
                    _ => 0,
                })
                .collect();
            TableColumn::Text(TextColumn::in_row_order(texts, codes))
        }
        _ => {
            let texts: Vec<&str> = values
                .iter()
                .map(|value| match value {
                    Some(Value::Text(text)) => text.as_ref(),
                    _ => "",
                })
                .collect();
            // A code whose text is no value (blank, or bad) is null.
            let codes = codes
                .iter()
                .map(|&code| match value(code) {
                    Some(Value::Text(_)) => code,
                    _ => 0,
                })
                .collect();
            TableColumn::Text(TextColumn::from_dictionary(&texts, codes))
        }
    }
}

impl CustomerTable {
    /// Reads a CSV customer file (`;`, `,` or tab, found from the header):
    /// the good rows become the table, in file order; each bad row is
    /// reported with its line, column and code, and left out.
    ///
    /// # Errors
    ///
    /// A [`TableError`] when the header can't be read or names an unknown,
    /// duplicate or missing column, or when the input fails part-way (`io`).
    pub fn from_csv<R: BufRead>(input: R) -> Result<(CustomerTable, Vec<RowProblem>), TableError> {
        CustomerTable::from_csv_with(input, &CsvOptions::default())
    }

    /// Reads a CSV customer file as `options` say; as [`CustomerTable::from_csv`].
    ///
    /// # Errors
    ///
    /// As [`CustomerTable::from_csv`].
    pub fn from_csv_with<R: BufRead>(
        input: R,
        options: &CsvOptions,
    ) -> Result<(CustomerTable, Vec<RowProblem>), TableError> {
        let mut chunks = CsvChunks::with_options(input, options)?;
        Ok(match chunks.next_chunk(usize::MAX)? {
            Some(chunk) => (chunk.table, chunk.problems),
            None => (CustomerTable::default(), Vec::new()),
        })
    }
}
