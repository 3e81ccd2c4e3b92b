//! Order-line files: CSV with the seven columns of
//! [`PriceRequest::COLUMNS`], read as the customer file is read (encodings,
//! a stray quote costing its row only, physical line numbers) and as
//! strictly: every column must be there, since a missing `item_group`
//! would price every line at list price without a word.
//!
//! # Examples
//!
//! ```
//! use custclass::order_file::CsvOrderLines;
//!
//! let file = "Customer;Item;Item_Group;List_Price;Quantity;Date;Currency\n\
//!             1;WIPER;PARTS;12.00;2;2026-03-01;EUR\n\
//!             1;WIPER;PARTS;12.00;2;2026-03-01T10:00+01:00;EUR\n";
//! let lines: Vec<_> = CsvOrderLines::new(file.as_bytes())?.collect();
//! let (customer, request) = lines[0].1.as_ref().map_err(|_| "line 2 is good")?;
//! assert_eq!((customer.as_str(), request.item_group.as_deref()), ("1", Some("PARTS")));
//! let problem = &lines[1].1.as_ref().err().ok_or("a timestamp is no date")?[0];
//! assert_eq!((problem.line, problem.column.as_deref()), (Some(3), Some("date")));
//!
//! let err = CsvOrderLines::new("customer;item;itemgroup\n".as_bytes()).err().ok_or("refused")?;
//! assert!(err.to_string().contains("did you mean 'item_group'?"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;
use std::io::BufRead;

use crate::customer_file::records::Records;
use crate::customer_file::{
    CsvOptions, MAX_ROW_BYTES, cell_text, open_records, problem, unclosed_problem,
};
use crate::encoding::Decoded;
use crate::error::{RowProblem, TableError};
use crate::pricing::PriceRequest;
use crate::scalar;

/// One line of an order file: the line it starts on, and the customer's id
/// with the request, or what is wrong with it.
pub type OrderLine = (u64, Result<(String, PriceRequest), Vec<RowProblem>>);

/// Order lines read from CSV, one item per data row; a bad row is
/// reported with its line, column and code, and the rows after it read.
#[derive(Debug)]
pub struct CsvOrderLines<R> {
    records: Records<Decoded<R>>,
    /// Where each of [`PriceRequest::COLUMNS`] is in a row.
    at: [usize; 7],
    names: Vec<String>,
    rows: usize,
    failed: bool,
}

impl<R: BufRead> CsvOrderLines<R> {
    /// Reads the header, guessing the delimiter (`;`, `,` or tab).
    ///
    /// # Errors
    ///
    /// A [`TableError`]: `unknown_order_column` (with the closest column),
    /// `duplicate_column`, `missing_column` (each of the seven columns is
    /// required; cells may be empty where a line allows) or
    /// `unreadable_header`.
    pub fn new(input: R) -> Result<CsvOrderLines<R>, TableError> {
        CsvOrderLines::with_options(input, &CsvOptions::default())
    }

    /// Reads the header of a file, as `options` say.
    ///
    /// # Errors
    ///
    /// As [`CsvOrderLines::new`].
    pub fn with_options(input: R, options: &CsvOptions) -> Result<CsvOrderLines<R>, TableError> {
        let mut records = open_records(input, options)?;
        let mut seen = HashSet::new();
        let mut names = Vec::new();
        let mut at = [usize::MAX; 7];
        for (index, cell) in records.record().fields().enumerate() {
            let position = index + 1;
            let header = String::from_utf8_lossy(cell);
            let header = header.trim_start_matches('\u{feff}').trim();
            let name = header.to_ascii_lowercase();
            let Some(column) = PriceRequest::COLUMNS.iter().position(|c| *c == name) else {
                let suggestion = PriceRequest::COLUMNS
                    .iter()
                    .map(|known| (strsim::damerau_levenshtein(&name, known), *known))
                    .filter(|(distance, known)| *distance <= 2.max(known.len() / 4))
                    .min_by_key(|(distance, _)| *distance)
                    .map(|(_, known)| known.to_owned());
                let column = header.to_owned();
                return Err(TableError::UnknownOrderColumn {
                    column,
                    position,
                    suggestion,
                });
            };
            if !seen.insert(column) {
                let column = header.to_owned();
                return Err(TableError::DuplicateColumn { column, position });
            }
            if let Some(place) = at.get_mut(column) {
                *place = index;
            }
            names.push(name);
        }
        if let Some(missing) = PriceRequest::COLUMNS
            .iter()
            .zip(&at)
            .find(|(_, at)| **at == usize::MAX)
        {
            return Err(TableError::MissingColumn {
                column: (*missing.0).to_owned(),
                table: false,
            });
        }
        records.set_width(names.len());
        Ok(CsvOrderLines {
            records,
            at,
            names,
            rows: 0,
            failed: false,
        })
    }

    /// The lines read so far, the header and empty lines included.
    pub fn lines_read(&self) -> u64 {
        self.records.lines()
    }

    fn read_row(&mut self) -> Option<OrderLine> {
        if self.failed {
            return None;
        }
        match self.records.next() {
            Ok(None) => None,
            Ok(Some(Ok(()))) => Some(self.parse_record()),
            Ok(Some(Err(unclosed))) => Some((
                unclosed.line,
                Err(vec![unclosed_problem(&unclosed, &self.names)]),
            )),
            Err(err) => {
                self.failed = true;
                let line = self.records.lines() + 1;
                let problem = problem(line, None, None, "unreadable_row", err.to_string());
                Some((line, Err(vec![problem])))
            }
        }
    }

    fn parse_record(&self) -> OrderLine {
        let record = self.records.record();
        let line = record.line;
        let whole = |code: &str, message: String| {
            (line, Err(vec![problem(line, None, None, code, message)]))
        };
        if record.cut || record.bytes() > MAX_ROW_BYTES {
            let message = format!("the row is longer than {MAX_ROW_BYTES} bytes");
            return whole("row_too_long", message);
        }
        if record.len() != self.names.len() {
            let message = format!(
                "expected {} fields, found {}",
                self.names.len(),
                record.len()
            );
            return whole("field_count", message);
        }
        let mut problems = Vec::new();
        // A cell that is not text is reported once, as that.
        let mut cells = [Some(""); 7];
        for ((column, cell), &at) in PriceRequest::COLUMNS.iter().zip(&mut cells).zip(&self.at) {
            match cell_text(record.get(at).unwrap_or_default(), line, None, column) {
                Ok(text) => *cell = Some(text.trim()),
                Err(problem) => {
                    problems.push(problem);
                    *cell = None;
                }
            }
        }
        let [
            customer,
            item,
            item_group,
            list_price,
            quantity,
            date,
            currency,
        ] = cells;
        // Each cell read, or its problem noted; `None` either way when it
        // can't be (a cell that is not text is reported once, as that).
        let mut read = |cell: Option<&str>,
                        column: &str,
                        what: &str,
                        parse: &dyn Fn(&str) -> Result<Parsed, String>| {
            let text = cell?;
            let outcome = match text.is_empty() {
                true => Err(format!("a line needs {what}")),
                false => parse(text),
            };
            outcome
                .map_err(|message| {
                    let message = format!("{column}: {message}");
                    problems.push(problem(line, None, Some(column), "invalid_field", message));
                })
                .ok()
        };
        let text = |text: &str| Ok(Parsed::Text(text.to_owned()));
        let number = |text: &str| {
            scalar::decimal(text)
                .map(Parsed::Number)
                .map_err(|why| why.message(text, || format!("`{text}` is not a decimal number")))
        };
        let customer = read(customer, "customer", "a customer id", &text);
        let item = read(item, "item", "an item", &text);
        let list_price = read(list_price, "list_price", "a list price", &number);
        let quantity = read(quantity, "quantity", "a quantity", &number);
        let date = read(date, "date", "a date like 2026-01-31", &|text| {
            scalar::day(text).map(Parsed::Day)
        });
        let currency = read(currency, "currency", "a currency", &|text| {
            text.parse()
                .map(Parsed::Currency)
                .map_err(|err: crate::CodeError| err.to_string())
        });
        let item_group = item_group.filter(|group| !group.is_empty());
        match (customer, item, list_price, quantity, date, currency) {
            (
                Some(Parsed::Text(customer)),
                Some(Parsed::Text(item)),
                Some(Parsed::Number(list_price)),
                Some(Parsed::Number(quantity)),
                Some(Parsed::Day(date)),
                Some(Parsed::Currency(currency)),
            ) if problems.is_empty() => {
                let mut request = PriceRequest::new(item, list_price, quantity, date, currency);
                request.item_group = item_group.map(str::to_owned);
                (line, Ok((customer, request)))
            }
            _ => (line, Err(problems)),
        }
    }
}

/// A cell of an order line, read.
enum Parsed {
    Text(String),
    Number(rust_decimal::Decimal),
    Day(jiff::civil::Date),
    Currency(crate::CurrencyCode),
}

impl<R: BufRead> Iterator for CsvOrderLines<R> {
    type Item = OrderLine;

    fn next(&mut self) -> Option<OrderLine> {
        let (line, row) = self.read_row()?;
        let at = self.rows;
        self.rows += 1;
        let numbered = |mut problems: Vec<RowProblem>| {
            problems.iter_mut().for_each(|problem| problem.row = at);
            problems
        };
        Some((line, row.map_err(numbered)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "customer;item;item_group;list_price;quantity;date;currency\n";

    fn read(body: &[u8]) -> Vec<OrderLine> {
        let mut file = HEADER.as_bytes().to_vec();
        file.extend_from_slice(body);
        CsvOrderLines::new(file.as_slice()).unwrap().collect()
    }

    #[test]
    fn every_column_is_required() {
        let err =
            CsvOrderLines::new("customer;item;list_price;quantity;date;currency\n".as_bytes())
                .unwrap_err();
        assert_eq!(err.code(), "missing_column");
        assert!(err.to_string().contains("item_group"), "{err}");
    }

    #[test]
    fn a_bad_byte_a_bad_date_or_number_costs_its_line_only() {
        let lines = read(
            b"1;A;G;10;1;2026-01-01;EUR\n1;M\xfcller;G;10;1;2026-01-01;EUR\n1;A;G;10;x;2026-02-30;EUR\n1;A;;10;1;2026-01-01;EUR\n",
        );
        assert_eq!(lines.len(), 4);
        assert!(lines[0].1.is_ok() && lines[3].1.is_ok());
        let bytes = lines[1].1.as_ref().unwrap_err();
        assert_eq!(
            (bytes[0].code.as_str(), bytes[0].line),
            ("invalid_utf8", Some(3))
        );
        assert!(
            bytes[0].message.contains("windows-1252"),
            "{}",
            bytes[0].message
        );
        let cells: Vec<_> = lines[2]
            .1
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|p| p.column.clone())
            .collect();
        assert_eq!(
            cells,
            [Some("quantity".to_owned()), Some("date".to_owned())]
        );
        assert_eq!(lines[3].1.as_ref().unwrap().1.item_group, None);
    }

    #[test]
    fn a_time_zone_offset_is_refused_and_the_message_is_ours() {
        let lines = read(b"1;A;G;10;1;2026-01-01T10:00:00+02:00;EUR\n");
        let problem = &lines[0].1.as_ref().unwrap_err()[0];
        assert_eq!(problem.column.as_deref(), Some("date"));
        assert!(!problem.message.contains("jiff"), "{}", problem.message);
    }
}
