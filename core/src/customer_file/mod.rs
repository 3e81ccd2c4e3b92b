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

mod cells;
mod chunks;
mod header;
mod ids;
pub(crate) mod records;

pub use chunks::{CsvChunk, CsvChunks};

use std::io::BufRead;

use crate::bounded::Bounded;
use crate::customer::Customer;
use crate::encoding::{self, Decoded, Encoding};
use crate::error::{RowProblem, TableError};
use header::Header;
use ids::IdLines;
use records::{Record, Records, Unclosed};

/// A problem of the row starting on `line`; [`RowCounter`] gives it its row.
pub(crate) fn problem(
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

/// What to say about bytes that are not UTF-8: the encoding they look
/// like, and that the reader takes one.
pub(crate) fn encoding_hint(bytes: &[u8]) -> String {
    match encoding::likely(bytes) {
        Some(likely) if likely != Encoding::Utf8 => {
            format!("; the file looks like {likely}: read it with encoding {likely}")
        }
        _ => {
            let names: Vec<&str> = Encoding::ALL.iter().map(|e| e.label()).collect();
            format!("; read the file with its encoding ({})", names.join(", "))
        }
    }
}

/// How to read a CSV file; the defaults read what POS and ERP systems
/// export.
///
/// # Examples
///
/// ```
/// use custclass::customer_file::{CsvCustomers, CsvOptions};
/// use custclass::Encoding;
///
/// let file = b"id|name\n1|M\xfcller\n";                           // as Excel on Windows writes it
/// let options = CsvOptions::default().delimiter(b'|').encoding(Encoding::Windows1252);
/// let mut rows = CsvCustomers::with_options(&file[..], &options)?;
/// let (line, row) = rows.next().ok_or("one row")?;
/// assert_eq!((line, row.map_err(|_| "bad row")?.name.as_deref()), (2, Some("Müller")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    delimiter: Option<u8>,
    encoding: Option<Encoding>,
}

impl CsvOptions {
    /// The field delimiter. Without one, whichever of `;`, `,` and tab the
    /// header line has most (`;` on a tie).
    pub fn delimiter(mut self, delimiter: u8) -> CsvOptions {
        self.delimiter = Some(delimiter);
        self
    }

    /// The file's encoding, for a file without a byte-order mark (a UTF-8
    /// or UTF-16 mark always decides). Without one, UTF-8.
    pub fn encoding(mut self, encoding: Encoding) -> CsvOptions {
        self.encoding = Some(encoding);
        self
    }
}

/// Picks `;`, `,` or tab, whichever the header line uses most.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |delimiter| line.iter().filter(|&&b| b == delimiter).count();
    [b',', b'\t'].into_iter().fold(b';', |best, other| {
        if count(other) > count(best) {
            other
        } else {
            best
        }
    })
}

/// A CSV customer file opened: its records after the header, and the header.
fn open<R: BufRead>(
    input: R,
    options: &CsvOptions,
) -> Result<(Records<Decoded<R>>, Header), TableError> {
    let mut records = open_records(input, options)?;
    let header = Header::read(records.record().fields())?;
    records.set_width(header.columns.len());
    Ok((records, header))
}

/// A CSV file opened as `options` say: decoded, its delimiter found, and
/// its header read as the first record ([`Records::record`]).
///
/// # Errors
///
/// `unreadable_header`: the input fails or is empty, or its header is
/// too long or has a quote never closed.
pub(crate) fn open_records<R: BufRead>(
    input: R,
    options: &CsvOptions,
) -> Result<Records<Decoded<R>>, TableError> {
    let mut input =
        encoding::decoded(input, options.encoding).map_err(|err| TableError::UnreadableHeader {
            detail: err.to_string(),
        })?;
    let delimiter = match options.delimiter {
        Some(delimiter) => delimiter,
        None => {
            let head = input
                .fill_buf()
                .map_err(|err| TableError::UnreadableHeader {
                    detail: err.to_string(),
                })?;
            sniff_delimiter(head)
        }
    };
    let mut records = Records::new(input, delimiter);
    let unreadable = |detail: String| TableError::UnreadableHeader { detail };
    match records.next() {
        Err(err) => return Err(unreadable(err.to_string())),
        Ok(None) => return Err(unreadable("the file is empty".into())),
        Ok(Some(Err(unclosed))) => {
            return Err(unreadable(format!(
                "a quote opened in column {} is never closed",
                unclosed.field + 1
            )));
        }
        Ok(Some(Ok(()))) => {}
    }
    if records.record().cut || records.record().bytes() > MAX_ROW_BYTES {
        return Err(unreadable(format!(
            "the header is longer than {MAX_ROW_BYTES} bytes"
        )));
    }
    Ok(records)
}

/// The id cell of a record, trimmed, when it has a readable one.
fn id_cell<'r>(record: &'r Record, header: &Header) -> Option<&'r str> {
    record
        .get(header.id)
        .and_then(|cell| std::str::from_utf8(cell).ok())
        .map(str::trim)
        .filter(|id| !id.is_empty())
}

/// What is wrong with a record as a whole (too long, the wrong number of
/// fields, an id seen before), before its cells are read.
fn record_problem(record: &Record, header: &Header, ids: &mut IdLines) -> Option<RowProblem> {
    let line = record.line;
    let id = id_cell(record, header);
    if record.bytes() > MAX_ROW_BYTES {
        let message = format!(
            "the row is {} bytes long; rows are limited to {MAX_ROW_BYTES} bytes",
            record.bytes()
        );
        return Some(problem(line, id, None, "row_too_long", message));
    }
    if record.cut {
        let message = format!(
            "a line of the row is longer than {MAX_ROW_BYTES} bytes; the rest of that line was skipped"
        );
        return Some(problem(line, id, None, "row_too_long", message));
    }
    if record.len() != header.columns.len() {
        let message = format!(
            "expected {} fields, found {}",
            header.columns.len(),
            record.len()
        );
        return Some(problem(line, id, None, "field_count", message));
    }
    let id = id?;
    Some(duplicate_id(line, id, ids.first_line(id, line)?))
}

/// The problem of the row on `line` whose `id` was on line `first` already.
fn duplicate_id(line: u64, id: &str, first: u64) -> RowProblem {
    let message =
        format!("id '{id}' is already on line {first}; a customer appears once in a file");
    problem(line, Some(id), Some("id"), "duplicate_id", message)
}

/// The problem of a row whose quote was never closed.
pub(crate) fn unclosed_problem(unclosed: &Unclosed, names: &[String]) -> RowProblem {
    let column = names.get(unclosed.field).map(String::as_str);
    let name = column.unwrap_or("past the last column");
    let message = match unclosed.fields {
        Some(fields) => format!(
            "a quote opened in column {name} closes only on line {}, making a row of {fields} fields; the row is skipped and reading resumes on the next line",
            unclosed.until
        ),
        None => format!(
            "a quote opened in column {name} is never closed; the row is skipped and reading resumes on the next line"
        ),
    };
    problem(unclosed.line, None, column, "unclosed_quote", message)
}

/// A cell's text, or the problem of a cell that is not UTF-8.
pub(crate) fn cell_text<'c>(
    cell: &'c [u8],
    line: u64,
    id: Option<&str>,
    column: &str,
) -> Result<&'c str, RowProblem> {
    std::str::from_utf8(cell).map_err(|_| {
        let message = format!(
            "{column}: the cell is not UTF-8 text{}",
            encoding_hint(cell)
        );
        problem(line, id, Some(column), "invalid_utf8", message)
    })
}

/// Customers read from CSV, one item per data row.
///
/// Headers are customer field names (`id`, `name`, `country`, `class3`, …;
/// `attr.<name>` for attributes), in any case; `id` is required, unknown
/// headers are refused before any row is read so that no column is
/// silently dropped. Empty cells are missing values. A row whose id came
/// before is rejected (`duplicate_id`, naming the line of the first).
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
    records: Records<Decoded<R>>,
    header: Header,
    ids: IdLines,
    rows: RowCounter,
    failed: bool,
}

impl<R: BufRead> CsvCustomers<R> {
    /// Reads the header, guessing the delimiter (`;`, `,` or tab) from it.
    ///
    /// # Errors
    ///
    /// A [`TableError`]: `unknown_column`, `duplicate_column`,
    /// `missing_column` (no `id`) or `unreadable_header`.
    pub fn new(input: R) -> Result<CsvCustomers<R>, TableError> {
        CsvCustomers::with_options(input, &CsvOptions::default())
    }

    /// Reads the header of a file with a known delimiter.
    ///
    /// # Errors
    ///
    /// As [`CsvCustomers::new`].
    pub fn with_delimiter(input: R, delimiter: u8) -> Result<CsvCustomers<R>, TableError> {
        CsvCustomers::with_options(input, &CsvOptions::default().delimiter(delimiter))
    }

    /// Reads the header of a file, as `options` say.
    ///
    /// # Errors
    ///
    /// As [`CsvCustomers::new`].
    pub fn with_options(input: R, options: &CsvOptions) -> Result<CsvCustomers<R>, TableError> {
        let (records, header) = open(input, options)?;
        Ok(CsvCustomers {
            records,
            header,
            ids: IdLines::default(),
            rows: RowCounter::default(),
            failed: false,
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

    fn parse_record(&mut self) -> Result<Customer, Vec<RowProblem>> {
        let record = self.records.record();
        let line = record.line;
        if let Some(problem) = record_problem(record, &self.header, &mut self.ids) {
            return Err(vec![problem]);
        }
        let id = id_cell(record, &self.header);
        let mut customer = Customer::default();
        let mut problems = Vec::new();
        for ((cell, column), name) in record
            .fields()
            .zip(&self.header.columns)
            .zip(&self.header.names)
        {
            let cell = match cell_text(cell, line, id, name) {
                Ok(cell) => cell.trim(),
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            if cell.is_empty() {
                continue;
            }
            if let Err(message) = column.set(&mut customer, cell) {
                let message = format!("{name}: {message}");
                problems.push(problem(line, id, Some(name), "invalid_field", message));
            }
        }
        if id.is_none() && !problems.iter().any(|p| p.column.as_deref() == Some("id")) {
            let message = "id: a customer needs an id".to_owned();
            problems.push(problem(line, id, Some("id"), "invalid_field", message));
        }
        if problems.is_empty() {
            Ok(customer)
        } else {
            Err(problems)
        }
    }
}

/// The longest row read, in bytes. A customer is a few hundred bytes; a
/// row a thousand times that is a broken export (a file that isn't
/// customers), reported as `row_too_long` rather than read into a customer.
/// No more than this is ever held of one line: the rest of a longer line is
/// skipped unread and the rows after it are read. A quoted CSV field that
/// runs on past twice this counts as a quote never closed: its row is
/// reported and the lines after it read again. This bounds a field too: it
/// is part of its row.
pub use crate::limits::MAX_ROW_BYTES;

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
        match self.records.next() {
            Ok(None) => None,
            Ok(Some(Ok(()))) => {
                let line = self.records.record().line;
                Some((line, self.parse_record()))
            }
            Ok(Some(Err(unclosed))) => Some((
                unclosed.line,
                Err(vec![unclosed_problem(&unclosed, &self.header.names)]),
            )),
            Err(err) => {
                // An I/O failure ends the file.
                self.failed = true;
                let line = self.records.lines() + 1;
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
    ids: IdLines,
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
            ids: IdLines::default(),
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
                let problem = problem(line, None, None, "row_too_long", message);
                return Some((line, Err(vec![problem])));
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
                .map_err(|err| vec![RowProblem::from_customer(0, Some(line), None, &err)])
                .and_then(|customer| match self.ids.first_line(&customer.id.0, line) {
                    None => Ok(customer),
                    Some(first) => Err(vec![duplicate_id(line, &customer.id.0, first)]),
                });
            return Some((line, customer));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::AttrValue;

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
