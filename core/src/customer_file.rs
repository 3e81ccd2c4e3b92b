//! Customer files: CSV (semicolon or comma, as POS and ERP systems export
//! them) and JSON lines in (reports out: [`crate::report`]).
//!
//! A bad row never stops a file: each reader yields every row, good ones as
//! customers and bad ones as [`RowProblem`]s naming the line, the column and
//! the code, so the caller can process the rest and report the problems.
//!
//! # Examples
//!
//! ```
//! use custclass::customer_file::CsvCustomers;
//!
//! let file = "id;name;country;credit_limit\n1;Jansen;NL;500.00\n2;Smit;XX;\n";
//! let rows: Vec<_> = CsvCustomers::new(file.as_bytes())?.map(|(_, row)| row).collect();
//! assert_eq!(rows[0].as_ref().unwrap().name.as_deref(), Some("Jansen"));
//! let problems = rows[1].as_ref().unwrap_err();
//! assert_eq!((problems[0].line, problems[0].row), (Some(3), 1));  // line 3, the second data row
//! assert_eq!(problems[0].column.as_deref(), Some("country"));
//! # Ok::<(), custclass::TableError>(())
//! ```

use std::collections::HashSet;
use std::io::BufRead;

use crate::bounded::Bounded;
use crate::customer::fields::{self, Field};
use crate::customer::{AttrValue, Customer};
use crate::error::{RowProblem, TableError};

/// A problem of the row starting on `line`; [`RowCounter`] gives it its row.
fn problem(
    line: u64,
    id: Option<&str>,
    column: Option<&str>,
    code: &str,
    message: String,
) -> RowProblem {
    RowProblem {
        row: 0,
        line: Some(line),
        id: id.map(str::to_owned),
        column: column.map(str::to_owned),
        code: code.to_owned(),
        message,
    }
}

/// Counts a file's rows, so that each problem knows its row.
#[derive(Debug, Default)]
struct RowCounter(usize);

impl RowCounter {
    /// The next row, its problems numbered.
    fn number(&mut self, (line, row): Row) -> Row {
        let at = self.0;
        self.0 += 1;
        let numbered = |mut problems: Vec<RowProblem>| {
            problems.iter_mut().for_each(|problem| problem.row = at);
            problems
        };
        (line, row.map_err(numbered))
    }
}

/// What one CSV column feeds.
#[derive(Debug, Clone)]
enum Column {
    Field(&'static Field),
    Attr(String),
}

impl Column {
    /// The column a CSV header names: a customer field or `attr.<name>`.
    fn named(name: &str) -> Option<Column> {
        if let Some(attr) = name.strip_prefix("attr.") {
            return (!attr.is_empty()).then(|| Column::Attr(attr.to_owned()));
        }
        fields::field(name).map(Column::Field)
    }

    /// Writes a non-empty cell into the customer; the error says what the
    /// cell should be.
    fn set(&self, customer: &mut Customer, cell: &str) -> Result<(), String> {
        match self {
            Column::Field(field) => field.set_text(customer, cell),
            Column::Attr(attr) => {
                customer
                    .attributes
                    .insert(attr.clone(), AttrValue::Text(cell.to_owned()));
                Ok(())
            }
        }
    }
}

/// Writes the text of a CSV cell into column `name` of a customer, as the
/// CSV reader does.
///
/// # Errors
///
/// What the cell should be, for a value the column can't take, or that the
/// column does not exist.
pub(crate) fn set_cell(customer: &mut Customer, name: &str, cell: &str) -> Result<(), String> {
    Column::named(name)
        .ok_or_else(|| format!("'{name}' is not a customer field"))?
        .set(customer, cell)
}

/// Picks `;` or `,`, whichever the header line uses more.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |delimiter| line.iter().filter(|&&b| b == delimiter).count();
    if count(b',') > count(b';') {
        b','
    } else {
        b';'
    }
}

/// Customers read from CSV, one item per data row.
///
/// Headers are customer field names (`id`, `name`, `country`, `class3`, …;
/// `attr.<name>` for attributes); `id` is required, unknown headers are
/// refused before any row is read so that no column is silently dropped.
/// Empty cells are missing values.
///
/// # Examples
///
/// Streaming a file, one customer at a time, classifying as it goes (for a
/// file held whole, [`CustomerTable::from_csv`](crate::CustomerTable::from_csv)
/// is faster):
///
/// ```
/// use custclass::customer_file::CsvCustomers;
/// use custclass::{Engine, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let file = "id,name,country,channel\n1,Jansen,NL,pos\n2,Smit,XX,pos\n3,Berg,DE,webshop\n";
/// let mut groups = Vec::new();
/// let mut rejected = Vec::new();
/// for (line, row) in CsvCustomers::new(file.as_bytes())? {     // `,` found from the header
///     match row {
///         Ok(customer) => groups.push(engine.classify(&customer)?.group.map(|group| group.value)),
///         Err(problems) => rejected.push((line, problems)),
///     }
/// }
/// assert_eq!(groups, [Some("STANDARD".to_owned()), Some("WEBSHOP".to_owned())]);
/// assert_eq!(rejected.len(), 1);
/// assert_eq!(rejected[0].0, 3);                                  // the line of Smit's row
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CsvCustomers<R> {
    reader: csv::Reader<Bounded<R>>,
    headers: Vec<String>,
    columns: Vec<Column>,
    record: csv::ByteRecord,
    rows: RowCounter,
    failed: bool,
}

impl<R: BufRead> CsvCustomers<R> {
    /// Reads the header, guessing the delimiter (`;` or `,`) from it.
    ///
    /// # Errors
    ///
    /// A [`TableError`]: `unknown_column`, `duplicate_column`,
    /// `missing_column` (no `id`) or `unreadable_header`.
    pub fn new(mut input: R) -> Result<CsvCustomers<R>, TableError> {
        let head = input
            .fill_buf()
            .map_err(|err| TableError::UnreadableHeader {
                detail: err.to_string(),
            })?;
        let delimiter = sniff_delimiter(head);
        CsvCustomers::with_delimiter(input, delimiter)
    }

    /// Reads the header of a file with a known delimiter.
    ///
    /// # Errors
    ///
    /// As [`CsvCustomers::new`].
    pub fn with_delimiter(input: R, delimiter: u8) -> Result<CsvCustomers<R>, TableError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(Bounded::new(input, MAX_ROW_BYTES));
        let header = reader
            .headers()
            .map_err(|err| TableError::UnreadableHeader {
                detail: err.to_string(),
            })?
            .clone();
        let header_lines = 1 + newlines(header.as_byte_record());
        if reader.get_mut().was_cut(1, header_lines) {
            return Err(TableError::UnreadableHeader {
                detail: format!("the header is longer than {MAX_ROW_BYTES} bytes"),
            });
        }
        let mut seen = HashSet::new();
        let mut columns = Vec::new();
        for (index, name) in header.iter().enumerate() {
            let name = name.trim();
            let position = index + 1;
            if !seen.insert(name.to_owned()) {
                let column = name.to_owned();
                return Err(TableError::DuplicateColumn { column, position });
            }
            let Some(column) = Column::named(name) else {
                let column = name.to_owned();
                return Err(TableError::UnknownColumn { column, position });
            };
            columns.push(column);
        }
        if !seen.contains("id") {
            return Err(TableError::MissingColumn {
                column: "id".into(),
            });
        }
        Ok(CsvCustomers {
            reader,
            headers: header.iter().map(|name| name.trim().to_owned()).collect(),
            columns,
            record: csv::ByteRecord::new(),
            rows: RowCounter::default(),
            failed: false,
        })
    }

    fn parse_record(&self, line: u64, cut: bool) -> Result<Customer, Vec<RowProblem>> {
        let mut customer = Customer::default();
        let mut problems = Vec::new();
        let id_cell = self
            .headers
            .iter()
            .position(|name| name == "id")
            .and_then(|at| self.record.get(at))
            .and_then(|cell| std::str::from_utf8(cell).ok())
            .map(str::trim)
            .filter(|id| !id.is_empty());
        let cell_problem = |column: &str, code: &str, message: String| {
            problem(
                line,
                id_cell,
                Some(column),
                code,
                format!("{column}: {message}"),
            )
        };
        if let Some(problem) = too_long(line, id_cell, self.record.as_slice().len()) {
            return Err(vec![problem]);
        }
        if cut {
            return Err(vec![row_too_long(
                line,
                id_cell,
                format!(
                    "a line of the row is longer than {MAX_ROW_BYTES} bytes; the rest of that line was skipped"
                ),
            )]);
        }
        if self.record.len() != self.columns.len() {
            let message = format!(
                "expected {} fields, found {}",
                self.columns.len(),
                self.record.len()
            );
            problems.push(problem(line, id_cell, None, "field_count", message));
            return Err(problems);
        }
        for ((cell, column), name) in self.record.iter().zip(&self.columns).zip(&self.headers) {
            let Ok(cell) = std::str::from_utf8(cell) else {
                problems.push(cell_problem(
                    name,
                    "invalid_utf8",
                    "the cell is not valid UTF-8".into(),
                ));
                continue;
            };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let outcome = column.set(&mut customer, cell);
            if let Err(message) = outcome {
                problems.push(cell_problem(name, "invalid_field", message));
            }
        }
        if id_cell.is_none() && !problems.iter().any(|p| p.column.as_deref() == Some("id")) {
            problems.push(cell_problem(
                "id",
                "invalid_field",
                "a customer needs an id".into(),
            ));
        }
        if problems.is_empty() {
            Ok(customer)
        } else {
            Err(problems)
        }
    }
}

/// The longest row read, in bytes. A customer is a few hundred bytes; a
/// row a thousand times that is a broken export (a quote never closed, a
/// file that isn't customers), reported as `row_too_long` rather than read
/// into a customer. No more than this is ever held of one line: the rest
/// of a longer line is skipped unread and the rows after it are read. A
/// quoted CSV field that runs on past twice this ends the file, since
/// nothing after an unclosed quote can be told apart from the field. This
/// bounds a field too: it is part of its row.
pub use crate::limits::MAX_ROW_BYTES;

/// The newlines inside a record's fields, which make it span more lines.
fn newlines(record: &csv::ByteRecord) -> u64 {
    memchr::memchr_iter(b'\n', record.as_slice()).count() as u64
}

/// The problem with a row of `bytes` bytes, if it is too long.
fn too_long(line: u64, id: Option<&str>, bytes: usize) -> Option<RowProblem> {
    (bytes > MAX_ROW_BYTES).then(|| {
        let message =
            format!("the row is {bytes} bytes long; rows are limited to {MAX_ROW_BYTES} bytes");
        row_too_long(line, id, message)
    })
}

/// A `row_too_long` problem of the row at `line`, saying how it is too long.
fn row_too_long(line: u64, id: Option<&str>, message: String) -> RowProblem {
    problem(line, id, None, "row_too_long", message)
}

/// One row of a customer file: the line it starts on, and the customer or
/// what is wrong with it.
pub type Row = (u64, Result<Customer, Vec<RowProblem>>);

/// A row as results and every binding show it: `{"line", "customer"}` for a
/// good row, `{"line", "errors"}` for a rejected one.
///
/// # Examples
///
/// ```
/// use custclass::customer_file::{CsvCustomers, row_json};
///
/// let mut rows = CsvCustomers::new("id;name\n1;Ada\n".as_bytes())?;
/// let row = rows.next().unwrap();
/// assert_eq!(custclass::canonical::to_string(&row_json(&row)), r#"{"customer":{"id":"1","name":"Ada"},"line":2}"#);
/// # Ok::<(), custclass::TableError>(())
/// ```
pub fn row_json((line, row): &Row) -> serde_json::Value {
    match row {
        Ok(customer) => serde_json::json!({"line": line, "customer": customer}),
        Err(problems) => serde_json::json!({"line": line, "errors": problems}),
    }
}

impl<R: BufRead> Iterator for CsvCustomers<R> {
    type Item = Row;

    fn next(&mut self) -> Option<Self::Item> {
        let row = self.read_row()?;
        Some(self.rows.number(row))
    }
}

impl<R: BufRead> CsvCustomers<R> {
    fn read_row(&mut self) -> Option<Row> {
        if self.failed {
            return None;
        }
        self.reader.get_mut().start_record();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, csv::Position::line);
                let input = self.reader.get_mut();
                if input.stopped() {
                    self.failed = true;
                    return Some((
                        line,
                        Err(vec![row_too_long(
                            line,
                            None,
                            format!(
                                "the row runs past {} bytes, most likely a quote never closed; the rest of the file is not read",
                                2 * MAX_ROW_BYTES
                            ),
                        )]),
                    ));
                }
                let cut = input.was_cut(line, line + newlines(&self.record));
                Some((line, self.parse_record(line, cut)))
            }
            Err(err) => {
                // An I/O failure ends the file; a malformed record doesn't.
                let line = err.position().map_or(0, csv::Position::line);
                self.failed = matches!(err.kind(), csv::ErrorKind::Io(_));
                let problem = problem(line, None, None, "unreadable_row", err.to_string());
                Some((line, Err(vec![problem])))
            }
        }
    }
}

/// Customers read from JSON lines: one customer object per line; blank lines
/// are skipped.
///
/// # Examples
///
/// ```
/// use custclass::customer_file::JsonLinesCustomers;
///
/// let file = r#"{"id": "1", "name": "Jansen"}
///
/// {"id": "2", "name": "Smit", "credit_limit": "lots"}
/// {"id": "3", "name": "Bakker"}
/// "#;
/// let mut good = Vec::new();
/// let mut problems = Vec::new();
/// for (line, row) in JsonLinesCustomers::new(file.as_bytes()) {
///     match row {
///         Ok(customer) => good.push((line, customer.id.to_string())),
///         Err(row_problems) => problems.extend(row_problems),
///     }
/// }
/// assert_eq!(good, [(1, "1".to_owned()), (4, "3".to_owned())]);
/// let problem = problems.first().ok_or("line 3 is bad")?;
/// assert_eq!((problem.line, problem.row, problem.code.as_str()), (Some(3), 1, "invalid_field"));
/// assert_eq!(problem.column.as_deref(), Some("$.credit_limit"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonLinesCustomers<R> {
    input: Bounded<R>,
    line: u64,
    /// Customer lines read so far (blank lines are no rows).
    rows: RowCounter,
    text: Vec<u8>,
    failed: bool,
}

impl<R: BufRead> JsonLinesCustomers<R> {
    /// Reads customers from `input`.
    pub fn new(input: R) -> JsonLinesCustomers<R> {
        JsonLinesCustomers {
            input: Bounded::new(input, MAX_ROW_BYTES),
            line: 0,
            rows: RowCounter::default(),
            text: Vec::new(),
            failed: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLinesCustomers<R> {
    type Item = Row;

    fn next(&mut self) -> Option<Self::Item> {
        let row = self.read_row()?;
        Some(self.rows.number(row))
    }
}

impl<R: BufRead> JsonLinesCustomers<R> {
    fn read_row(&mut self) -> Option<Row> {
        while !self.failed {
            self.line += 1;
            let line = self.line;
            self.text.clear();
            match self.input.read_until(b'\n', &mut self.text) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(err) => {
                    // An I/O failure ends the input.
                    self.failed = true;
                    let problem = problem(line, None, None, "unreadable_row", err.to_string());
                    return Some((line, Err(vec![problem])));
                }
            }
            if self.input.was_cut(line, line) {
                let message = format!(
                    "the line is longer than {MAX_ROW_BYTES} bytes; the rest of it was skipped"
                );
                return Some((line, Err(vec![row_too_long(line, None, message)])));
            }
            let Ok(text) = std::str::from_utf8(&self.text) else {
                let message = "the line is not valid UTF-8".to_owned();
                let problem = problem(line, None, None, "unreadable_row", message);
                return Some((line, Err(vec![problem])));
            };
            if crate::scalar::is_blank(text) {
                continue;
            }
            let customer = Customer::from_json(text)
                .map_err(|err| vec![RowProblem::from_customer(0, Some(line), None, &err)]);
            return Some((line, customer));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_files_and_attributes() {
        let file = "id,name,attr.turnover_12m\n7,Bakker,1200.50\n";
        let rows: Vec<_> = CsvCustomers::new(file.as_bytes())
            .unwrap()
            .map(|(_, row)| row)
            .collect();
        let customer = rows[0].as_ref().unwrap();
        assert_eq!(
            customer.attributes["turnover_12m"],
            AttrValue::Text("1200.50".into())
        );
    }

    #[test]
    fn header_problems_stop_before_any_row() {
        let err = CsvCustomers::new("id;nmae\n1;x\n".as_bytes()).unwrap_err();
        assert_eq!(err.code(), "unknown_column");
        let err = CsvCustomers::new("name\nx\n".as_bytes()).unwrap_err();
        assert_eq!(err.code(), "missing_column");
    }

    #[test]
    fn a_header_that_is_not_utf8_is_unreadable() {
        let err = CsvCustomers::new(&b"id;n\xffame\n1;x\n"[..]).unwrap_err();
        assert_eq!(err.code(), "unreadable_header");
    }

    #[test]
    fn bad_rows_are_reported_and_good_rows_kept() {
        let mut file = b"id;name;credit_limit\n1;A;10\n2;B\n3;".to_vec();
        file.extend_from_slice(&[0xff, 0xfe]);
        file.extend_from_slice(b";x\n4;D;1.5\n;E;\n");
        let rows: Vec<_> = CsvCustomers::new(file.as_slice())
            .unwrap()
            .map(|(_, row)| row)
            .collect();
        assert_eq!(rows.len(), 5);
        assert!(rows[0].is_ok() && rows[3].is_ok());
        assert_eq!(rows[1].as_ref().unwrap_err()[0].code, "field_count");
        let bad = rows[2].as_ref().unwrap_err();
        let codes: Vec<_> = bad
            .iter()
            .map(|p| (p.code.as_str(), p.column.as_deref()))
            .collect();
        assert_eq!(
            codes,
            [
                ("invalid_utf8", Some("name")),
                ("invalid_field", Some("credit_limit"))
            ]
        );
        assert_eq!((bad[0].line, bad[0].row), (Some(4), 2));
        assert_eq!(
            rows[4].as_ref().unwrap_err()[0].column.as_deref(),
            Some("id")
        );
    }

    #[test]
    fn json_lines_report_the_field_path() {
        let file =
            "{\"id\": \"1\"}\n\n{\"id\": \"2\", \"billing_address\": {\"country\": \"XX\"}}\n";
        let rows: Vec<_> = JsonLinesCustomers::new(file.as_bytes())
            .map(|(_, row)| row)
            .collect();
        assert_eq!(rows.len(), 2);
        let err = &rows[1].as_ref().unwrap_err()[0];
        assert_eq!(
            (err.line, err.row, err.code.as_str()),
            (Some(3), 1, "invalid_field")
        );
        assert_eq!(err.column.as_deref(), Some("$.billing_address.country"));
    }

    #[test]
    fn rows_over_the_limit_are_reported_not_read() {
        let long = "x".repeat(MAX_ROW_BYTES);
        let csv = format!("id;name\n1;{long}\n2;Ada\n");
        let rows: Vec<_> = CsvCustomers::new(csv.as_bytes()).unwrap().collect();
        let err = &rows[0].1.as_ref().unwrap_err()[0];
        assert_eq!(
            (err.line, err.code.as_str(), err.id.as_deref()),
            (Some(2), "row_too_long", Some("1"))
        );
        assert!(rows[1].1.is_ok());

        let json = format!("{{\"id\": \"1\", \"name\": \"{long}\"}}\n{{\"id\": \"2\"}}\n");
        let rows: Vec<_> = JsonLinesCustomers::new(json.as_bytes()).collect();
        let err = &rows[0].1.as_ref().unwrap_err()[0];
        assert_eq!((err.line, err.code.as_str()), (Some(1), "row_too_long"));
        assert!(rows[1].1.is_ok());
    }
}
