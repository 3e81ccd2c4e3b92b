//! Many customers at once, column by column: the form bulk classification
//! and segment queries work on.
//!
//! Each text field is a column of codes into a sorted dictionary of its
//! distinct values (one byte per row while a column has at most 255 of
//! them); decimals and days sit beside a validity bitmap; a column nobody
//! filled in takes no room. A table is plain data, `Send + Sync`, and reads
//! back every customer it was built from. [`CustomerTable`] shows it at work.

pub(crate) mod column;
pub(crate) use column::Column;
#[cfg(feature = "arrow")]
pub(crate) use column::{DateColumn, DecimalColumn, TextColumn};
mod builder;
mod index;
mod reversed;
pub(crate) mod sorted;
pub(crate) mod strings;
mod vat_rows;
mod warning;

pub use builder::TableBuilder;
#[cfg(feature = "arrow")]
pub(crate) use builder::stored_text;
pub use index::TableIndex;
pub(crate) use index::{ColumnIndex, IndexedKind};
pub(crate) use vat_rows::VatRows;
pub use warning::SegmentWarning;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::OnceLock;

use crate::bits::Bits;
use crate::customer::fields::set_cell;
use crate::customer::fields::{self, Access, Field};
use crate::customer::{AttrValue, Customer};
use crate::error::{CustomerError, TableError};
use crate::threads::Threads;

/// Customers in columns.
///
/// Each text field is a column of codes into a sorted dictionary of its
/// distinct values; a table is plain data, `Send + Sync`, and reads back
/// every customer it was built from. [`Engine::classify_table`] classifies
/// it and [`Segment::filter`] selects from it, row for row as
/// [`Engine::classify`] and [`Segment::matches`] answer for one customer.
///
/// # Examples
///
/// A CSV file (`;` or `,`): the good rows become the table, each bad row is
/// reported with its line, column and code.
///
/// ```
/// use custclass::CustomerTable;
///
/// let file = "id;name;country;credit_limit\n1;Jansen;NL;500.00\n2;Smit;XX;\n3;Bakker;NL;\n";
/// let (table, problems) = CustomerTable::from_csv(file.as_bytes())?;
/// assert_eq!(table.len(), 2);                      // the good rows are kept
/// assert_eq!(problems[0].line, Some(3));           // the bad one is reported
/// assert_eq!(problems[0].column.as_deref(), Some("country"));
/// assert_eq!(problems[0].code, "invalid_field");
/// assert_eq!(table.customer(1).ok_or("no row 1")?.name.as_deref(), Some("Bakker"));
///
/// let mut out = Vec::new();
/// table.write_csv(&mut out, &["id", "country"])?;
/// assert_eq!(String::from_utf8(out)?, "id;country\n1;NL\n3;NL\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Customers already in memory, classified and filtered as a whole:
///
/// ```
/// use custclass::{Customer, CustomerTable, Engine, ResultField, Setup, Target};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let customers = Customer::list_from_json(r#"[
///     {"id": "1", "billing_address": {"country": "NL"}, "vat_number": "NL123456782B01"},
///     {"id": "2", "billing_address": {"country": "DE"}, "vat_number": "DE123456788"},
///     {"id": "3", "billing_address": {"country": "DK"}, "channel": "webshop"},
///     {"id": "4", "billing_address": {"country": "US"}, "channel": "webshop"}
/// ]"#)?;
/// let table = CustomerTable::from_customers(&customers);
///
/// let classified = engine.classify_table(&table);
/// let group = |row| classified.value(row, Target::Group).map(|assigned| assigned.value);
/// assert_eq!(group(0).as_deref(), Some("DOMESTIC"));
/// assert_eq!(group(1).as_deref(), Some("EU"));
/// assert_eq!(group(2).as_deref(), Some("WEBSHOP"));
/// // The same answer as one customer at a time:
/// assert_eq!(classified.value(1, Target::Group), engine.classify(&customers[1])?.group);
/// assert_eq!(
///     classified.counts(ResultField::Target(Target::Type)),
///     [(Some("BUSINESS".to_owned()), 2), (Some("PRIVATE".to_owned()), 2)]
/// );
///
/// let business_abroad = engine.segment("b2b = true and vat_zone != 'domestic'")?;
/// assert_eq!(business_abroad.filter(&table).rows().collect::<Vec<_>>(), [1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`Engine::classify_table`]: crate::Engine::classify_table
/// [`Engine::classify`]: crate::Engine::classify
/// [`Segment::filter`]: crate::Segment::filter
/// [`Segment::matches`]: crate::Segment::matches
#[derive(Debug, Clone, Default)]
pub struct CustomerTable {
    rows: usize,
    /// The columns with at least one value, by CSV column name: the fixed
    /// fields in the customer file's order, then `attr.<name>` sorted.
    columns: Vec<(String, Column)>,
    /// Each row's VAT number checked, the first time a classification or
    /// segment reads `b2b` or `vat_valid`, and kept: checking a million
    /// numbers takes tens of milliseconds, most segments microseconds.
    /// (Boxed: a table is moved about, the verdicts rarely there.)
    vat: OnceLock<Box<VatRows>>,
}

/// Two tables are equal when they hold the same rows; VAT verdicts kept
/// along the way don't count.
impl PartialEq for CustomerTable {
    fn eq(&self, other: &CustomerTable) -> bool {
        self.rows == other.rows && self.columns == other.columns
    }
}

impl Eq for CustomerTable {}

impl CustomerTable {
    /// Builds a table from customers, in order.
    pub fn from_customers<'a>(customers: impl IntoIterator<Item = &'a Customer>) -> CustomerTable {
        let mut builder = TableBuilder::new();
        customers
            .into_iter()
            .for_each(|customer| builder.push(customer));
        builder.finish()
    }

    /// A table of `rows` rows from finished columns, put in the order
    /// [`TableBuilder`] gives them (the fixed fields in the customer file's
    /// order, then `attr.<name>` sorted, numbers before text); a column
    /// without a value is left out, as a builder leaves it out.
    pub(crate) fn from_columns(rows: usize, mut columns: Vec<(String, Column)>) -> CustomerTable {
        columns.retain(|(_, column)| column.has_values());
        let place = |name: &str, column: &Column| match fields::FIELDS
            .iter()
            .position(|f| f.name == name)
        {
            Some(at) => (at, None, 0),
            None => (
                fields::FIELDS.len(),
                Some(name.to_owned()),
                u8::from(matches!(column, Column::Text(_))),
            ),
        };
        columns.sort_by_cached_key(|(name, column)| place(name, column));
        CustomerTable {
            rows,
            columns,
            vat: OnceLock::new(),
        }
    }

    /// A table of the same rows with the columns named in `keep` and
    /// `replaced` in place of those of its names: what a segment that
    /// tests classified values evaluates, without copying the columns it
    /// doesn't read.
    pub(crate) fn view(
        &self,
        keep: &std::collections::BTreeSet<String>,
        replaced: Vec<(String, Column)>,
    ) -> CustomerTable {
        let mut columns: Vec<(String, Column)> = self
            .columns
            .iter()
            .filter(|(name, _)| keep.contains(name) && !replaced.iter().any(|(r, _)| r == name))
            .cloned()
            .collect();
        columns.extend(replaced);
        CustomerTable::from_columns(self.rows, columns)
    }

    /// The columns named `name` (an attribute may have a column of numbers
    /// and one of text).
    pub(crate) fn columns_named(&self, name: &str) -> Vec<&Column> {
        self.columns
            .iter()
            .filter(|(column, _)| column == name)
            .map(|(_, column)| column)
            .collect()
    }

    /// The text column `name`, if any row has a value there.
    /// Each row's VAT verdict, worked out on `threads` the first time and
    /// kept.
    pub(crate) fn vat_rows(&self, threads: Threads) -> &VatRows {
        self.vat
            .get_or_init(|| Box::new(VatRows::of(self, threads)))
    }

    pub(crate) fn text(&self, name: &str) -> Option<&column::TextColumn> {
        self.columns
            .iter()
            .find_map(|(column, values)| match values {
                Column::Text(text) if column == name => Some(text),
                _ => None,
            })
    }

    /// Row `row`'s customer id: what a host writing results back by key
    /// (a database table, a file of labels) pairs each row with.
    pub fn id(&self, row: usize) -> Option<&str> {
        self.text("id")?.get(row)
    }

    /// The creation days, if any row has one.
    pub(crate) fn created_at(&self) -> Option<&column::DateColumn> {
        self.columns
            .iter()
            .find_map(|(column, values)| match values {
                Column::Date(days) if column == "created_at" => Some(days),
                _ => None,
            })
    }

    /// The number of customers.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the table has no customers.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The columns that hold at least one value, by CSV column name.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        let mut last = None;
        self.columns.iter().filter_map(move |(name, _)| {
            // An attribute with numbers and text is one column to a reader.
            let repeated = last == Some(name.as_str());
            last = Some(name.as_str());
            (!repeated).then_some(name.as_str())
        })
    }

    /// The customer in row `row`, as it went in.
    pub fn customer(&self, row: usize) -> Option<Customer> {
        if row >= self.rows {
            return None;
        }
        let mut customer = Customer::default();
        for (name, column) in &self.columns {
            match column {
                Column::Decimal(values) => {
                    let Some(value) = values.get(row) else {
                        continue;
                    };
                    match (name.strip_prefix("attr."), fields::field(name)) {
                        (Some(attr), _) => {
                            customer
                                .attributes
                                .insert(attr.to_owned(), AttrValue::Number(value));
                        }
                        (
                            None,
                            Some(Field {
                                access: Access::Number { put, .. },
                                ..
                            }),
                        ) => {
                            *put(&mut customer) = Some(value);
                        }
                        _ => {}
                    }
                }
                Column::Date(values) => {
                    if let Some(Field {
                        access: Access::Day { put, .. },
                        ..
                    }) = fields::field(name)
                    {
                        *put(&mut customer) = values.get(row);
                    }
                }
                Column::Flag(bits) => {
                    if let Some(Field {
                        access: Access::Flag { put, .. },
                        ..
                    }) = fields::field(name)
                    {
                        *put(&mut customer) = bits.get(row);
                    }
                }
                // Text went in through the CSV reader's own parsers, so it
                // comes back through them.
                Column::Text(values) => {
                    if let Some(text) = values.get(row) {
                        let _ = set_cell(&mut customer, name, text);
                    }
                }
            }
        }
        Some(customer)
    }

    /// Writes the table as semicolon-separated CSV with the columns named
    /// (every column when `columns` is empty), in row order: the "export
    /// with filters" of a back office. The file reads back with
    /// [`CustomerTable::from_csv`].
    ///
    /// # Errors
    ///
    /// `unknown_column` for a name the customer format doesn't have, `io`
    /// when writing fails.
    pub fn write_csv<W: Write>(&self, output: W, columns: &[&str]) -> Result<(), TableError> {
        self.write_rows(output, columns, 0..self.rows)
    }

    /// Writes `rows` (in the order given) as [`CustomerTable::write_csv`]
    /// writes all of them.
    pub(crate) fn write_rows<W: Write>(
        &self,
        output: W,
        columns: &[&str],
        rows: impl Iterator<Item = usize>,
    ) -> Result<(), TableError> {
        self.write_csv_rows(output, columns, rows, true)
    }

    /// Writes `rows` (in the order given) with the columns named, as
    /// [`CustomerTable::write_csv`] does, with or without the header line:
    /// one file from the chunks of a file read a chunk at a time
    /// ([`CsvChunks`](crate::customer_file::CsvChunks)).
    ///
    /// # Errors
    ///
    /// As [`CustomerTable::write_csv`].
    pub fn write_csv_rows<W: Write>(
        &self,
        output: W,
        columns: &[&str],
        rows: impl Iterator<Item = usize>,
        header: bool,
    ) -> Result<(), TableError> {
        let mut names: Vec<&str> = if columns.is_empty() {
            self.column_names().collect()
        } else {
            columns.to_vec()
        };
        if names.is_empty() {
            // An empty table still writes a file that reads back.
            names.push("id");
        }
        for (index, name) in names.iter().enumerate() {
            if !fields::is_column(name) {
                return Err(fields::unknown_column(name, index + 1));
            }
        }
        let io = |err: csv::Error| TableError::Io {
            line: 0,
            detail: err.to_string(),
        };
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(output);
        if header {
            writer.write_record(&names).map_err(io)?;
        }
        let sources: Vec<Vec<&Column>> = names
            .iter()
            .map(|name| {
                self.columns
                    .iter()
                    .filter(|(column, _)| column == name)
                    .map(|(_, column)| column)
                    .collect()
            })
            .collect();
        let mut record: Vec<String> = Vec::with_capacity(names.len());
        for row in rows {
            record.clear();
            for columns in &sources {
                let cell = columns.iter().find_map(|column| cell(column, row));
                record.push(cell.unwrap_or_default());
            }
            writer.write_record(&record).map_err(io)?;
        }
        writer.flush().map_err(|err| TableError::Io {
            line: 0,
            detail: err.to_string(),
        })
    }

    /// How many rows hold each value of column `column` (`None`: no value),
    /// in the column's sorted order, counting only the rows of `selection`
    /// when one is given: the numbers behind an overview per slot value,
    /// country or channel.
    ///
    /// # Errors
    ///
    /// `unknown_column` for a name the customer format doesn't have.
    pub fn counts(
        &self,
        column: &str,
        selection: Option<&Selection>,
    ) -> Result<Vec<(Option<String>, usize)>, TableError> {
        if !fields::is_column(column) {
            return Err(fields::unknown_column(column, 1));
        }
        let mut tally: BTreeMap<Option<String>, usize> = BTreeMap::new();
        let sources = self.columns_named(column);
        let mut count = |row: usize| {
            let value = sources.iter().find_map(|source| cell(source, row));
            *tally.entry(value).or_default() += 1;
        };
        match selection {
            Some(selection) => selection.rows().for_each(&mut count),
            None => (0..self.rows).for_each(&mut count),
        }
        Ok(tally.into_iter().collect())
    }

    /// What the table occupies, for sizing: the part that grows with the
    /// rows, and the dictionaries of distinct text values.
    pub fn memory(&self) -> TableMemory {
        TableMemory {
            rows: self.columns.iter().map(|(_, c)| c.row_bytes()).sum(),
            dictionaries: self.columns.iter().map(|(_, c)| c.dictionary_bytes()).sum(),
        }
    }
}

/// The rows of a [`CustomerTable`] a segment selects, and the rows it could
/// not judge.
///
/// # Examples
///
/// ```
/// use custclass::{CustomerTable, Engine, Setup};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.attributes = serde_json::from_str(r#"[{"name": "turnover", "kind": "number"}]"#)?;
/// let engine = Engine::new(setup)?;
///
/// let file = "id;attr.turnover\n1;80000\n2;1200\n3;lots\n4;55000\n";
/// let (table, _) = CustomerTable::from_csv(file.as_bytes())?;
/// let selection = engine.segment("attr.turnover >= 50000")?.filter(&table);
///
/// assert_eq!(selection.count(), 2);
/// assert_eq!(selection.rows().collect::<Vec<_>>(), [0, 3]);
/// assert!(selection.contains(3) && !selection.contains(1));
/// // Row 2's turnover is no number: it is left out, and says why.
/// let (row, err) = selection.rejected().first().ok_or("row 2 is rejected")?;
/// assert_eq!((*row, err.code()), (2, "invalid_attribute"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub(crate) rows: Bits,
    pub(crate) rejected: Vec<(usize, CustomerError)>,
    pub(crate) warnings: Vec<SegmentWarning>,
}

impl Selection {
    /// How many rows are selected.
    pub fn count(&self) -> usize {
        self.rows.count()
    }

    /// Whether row `row` is selected.
    pub fn contains(&self, row: usize) -> bool {
        self.rows.get(row)
    }

    /// The selected rows, in table order.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows.rows()
    }

    /// The selected rows, ascending, as the 64-bit numbers an Arrow
    /// `Int64` column of row numbers holds: written once into a vector of
    /// the right size (several times faster than collecting
    /// [`Selection::rows`] and converting, which for half a million rows
    /// takes longer than the query).
    pub fn row_numbers(&self) -> Vec<i64> {
        self.rows.row_numbers()
    }

    /// Rows left out because they can't be judged (a numeric attribute that
    /// isn't a number), with the error `Segment::matches` gives for that
    /// customer.
    pub fn rejected(&self) -> &[(usize, CustomerError)] {
        &self.rejected
    }

    /// What the segment noticed about the table: a column it tests that is
    /// empty in every row (or absent), which no row can match, so an empty
    /// selection isn't taken for an answer.
    pub fn warnings(&self) -> &[SegmentWarning] {
        &self.warnings
    }
}

/// The bytes a [`CustomerTable`] occupies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TableMemory {
    /// Codes, values and validity bitmaps: what grows with every row.
    pub rows: usize,
    /// The distinct text values of every column, with their pointers.
    pub dictionaries: usize,
}

/// A row's value in a column as a CSV cell holds it.
fn cell(column: &Column, row: usize) -> Option<String> {
    match column {
        Column::Text(values) => values.get(row).map(str::to_owned),
        Column::Decimal(values) => values.get(row).map(|value| value.to_string()),
        Column::Date(values) => values.get(row).map(|day| day.to_string()),
        Column::Flag(bits) => Some(bits.get(row).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<CustomerTable>();
    }

    #[test]
    fn decimals_of_one_scale_are_kept_as_integers_and_read_back_exactly() {
        let limits = [Some("-12.50"), None, Some("0.00"), Some("99999999999.99")];
        let customers: Vec<Customer> = limits
            .iter()
            .enumerate()
            .map(|(i, limit)| {
                let mut customer = Customer::new(format!("{i}"));
                customer.credit_limit = limit.map(|text| text.parse().unwrap_or_default());
                customer
            })
            .collect();
        let table = CustomerTable::from_customers(&customers);
        let column = table
            .columns
            .iter()
            .find(|(name, _)| name == "credit_limit");
        assert_eq!(
            column.map(|(_, column)| column.row_bytes()),
            Some(4 * 8 + 8),
            "integers and one word of validity bits"
        );
        for (row, customer) in customers.iter().enumerate() {
            let back = table.customer(row);
            assert_eq!(back.as_ref(), Some(customer));
            let text = back.and_then(|c| c.credit_limit).map(|d| d.to_string());
            assert_eq!(text.as_deref(), limits.get(row).copied().flatten());
        }
    }

    #[test]
    fn small_dictionaries_take_a_byte_per_row() {
        let customers: Vec<Customer> = (0..1000)
            .map(|i| {
                let mut customer = Customer::new(format!("{i}"));
                customer.channel =
                    Some(if i % 2 == 0 { "webshop" } else { "pos" }.to_owned().into());
                customer
            })
            .collect();
        let table = CustomerTable::from_customers(&customers);
        let channel = table
            .columns
            .iter()
            .find(|(name, _)| name == "channel")
            .map(|(_, column)| column);
        assert!(
            matches!(channel, Some(Column::Text(text)) if matches!(text.codes, column::Codes::U8(_))
                && text.values.iter().eq(["pos", "webshop"])),
            "{channel:?}"
        );
        assert_eq!(table.customer(7), customers.get(7).cloned());
    }
}
