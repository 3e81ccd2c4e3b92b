//! Indexes of a table's columns, for repeated segment queries.

use std::sync::OnceLock;

use super::CustomerTable;
use super::column::{self, Column};
use super::reversed::LazyReversed;
use super::sorted::SortedRows;
use crate::bits::Bits;
use crate::customer::VatZone;

/// An index of a table's columns: the rows with a value in each; for text
/// columns of at most 255 distinct values (coded in one byte), the rows
/// holding each value; for numbers, days and text columns of up to 65,535
/// values, the rows sorted by value in 64 bins. Built once per table, it
/// turns a segment's tests on those columns into or-ing a few bitmaps, or a
/// range of sorted rows into one `and_not` of two. A text column of more
/// than 255 values also gets its rows in the order of their reversed text,
/// so that `ends_with` is a range too; that order is built by the first
/// `ends_with` on the column (0.15 to 0.4 s for a million e-mail
/// addresses on a busy 2-core machine, 24 MB) and kept, as few columns
/// are ever asked for a suffix. See
/// [`Segment::filter_indexed`](crate::Segment::filter_indexed).
///
/// # Examples
///
/// ```
/// use custclass::{Customer, CustomerTable, Engine, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let customers: Vec<Customer> = (0..1000)
///     .map(|n| {
///         let country = ["NL", "BE", "DE", "DK"][n % 4];
///         Customer::from_json(&format!(r#"{{"id": "{n}", "billing_address": {{"country": "{country}"}}}}"#))
///     })
///     .collect::<Result<_, _>>()?;
/// let table = CustomerTable::from_customers(&customers);
///
/// let index = table.index();                       // once, for many queries
/// for query in ["country = 'DK'", "country in ('NL', 'BE')", "country >= 'DE'"] {
///     let segment = engine.segment(query)?;
///     // The same rows as without the index:
///     assert_eq!(segment.filter_indexed(&table, &index), segment.filter(&table));
/// }
/// assert_eq!(engine.segment("country = 'DK'")?.filter_indexed(&table, &index).count(), 250);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TableIndex {
    columns: Vec<(String, ColumnIndex)>,
    /// The VAT zones of the rows, per zone code, with what the engine that
    /// worked them out based them on (see `Engine::zone_key`): the zones
    /// are the engine's to decide, so the index keeps the first answer.
    zones: OnceLock<(String, Vec<Bits>)>,
}

/// Two indexes are equal when they index alike; zones kept along the way
/// don't count.
impl PartialEq for TableIndex {
    fn eq(&self, other: &TableIndex) -> bool {
        self.columns == other.columns
    }
}

impl Eq for TableIndex {}

/// What kind of column an index is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexedKind {
    Text,
    Number,
    Day,
    Flag,
}

/// One column's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnIndex {
    pub(crate) kind: IndexedKind,
    /// Rows with a value.
    pub(crate) present: Bits,
    /// Rows per dictionary value, in dictionary order (text columns of at
    /// most 255 values; a flag column's set rows).
    pub(crate) by_code: Option<Vec<Bits>>,
    /// Rows in the order of their values (numbers, days, and text columns
    /// of up to 65,535 values).
    pub(crate) sorted: Option<SortedRows>,
    /// Rows in the order of their value's reversed text (text columns
    /// without `by_code`), built by the first `ends_with`.
    pub(crate) reversed: LazyReversed,
}

impl TableIndex {
    /// The index of column `name` of `kind` (an attribute may have a
    /// column of numbers and one of text).
    pub(crate) fn column(&self, name: &str, kind: IndexedKind) -> Option<&ColumnIndex> {
        self.columns
            .iter()
            .find_map(|(column, index)| (column == name && index.kind == kind).then_some(index))
    }

    /// The rows per zone code, worked out by `zones` the first time and kept
    /// under `key`; `None` when they were kept under another key.
    pub(crate) fn zone_rows(&self, key: &str, zones: impl FnOnce() -> Vec<u8>) -> Option<&[Bits]> {
        let (kept, rows) = self.zones.get_or_init(|| {
            let codes = zones();
            let by_zone = (0..=VatZone::ALL.len() as u8)
                .map(|zone| Bits::from_test(&codes, |code| code == zone))
                .collect();
            (key.to_owned(), by_zone)
        });
        (kept == key).then_some(rows.as_slice())
    }

    /// The indexed columns.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(name, _)| name.as_str())
    }

    /// The bytes the index takes.
    pub fn memory_bytes(&self) -> usize {
        self.columns
            .iter()
            .map(|(_, index)| {
                let bitmaps = 1 + index.by_code.as_ref().map_or(0, Vec::len);
                bitmaps * index.present.bytes()
                    + index.sorted.as_ref().map_or(0, SortedRows::bytes)
                    + index.reversed.bytes()
            })
            .sum::<usize>()
            + self
                .zones
                .get()
                .map_or(0, |(_, rows)| rows.iter().map(Bits::bytes).sum())
    }
}

impl CustomerTable {
    /// Indexes every column (see [`TableIndex`]), for repeated segment
    /// queries on this unchanged table.
    pub fn index(&self) -> TableIndex {
        let rows = self.rows;
        let columns = self
            .columns
            .iter()
            .map(|(name, column)| {
                let index = match column {
                    Column::Text(text) => {
                        let narrow = matches!(text.codes, column::Codes::U8(_));
                        ColumnIndex {
                            kind: IndexedKind::Text,
                            present: text.codes.select(|code| code != 0),
                            // A bit set per value while there are at most
                            // 255; sorted rows while there are thousands.
                            by_code: narrow.then(|| {
                                (1..=text.values.len() as u32)
                                    .map(|code| text.codes.select_range(code, code + 1))
                                    .collect()
                            }),
                            // (Code ranges are text ranges only in a sorted
                            // dictionary.)
                            sorted: (text.sorted && matches!(text.codes, column::Codes::U16(_)))
                                .then(|| {
                                    let codes = (0..rows).map(|row| text.codes.get(row));
                                    SortedRows::new(
                                        codes.map(|c| (c != 0).then_some(i64::from(c))),
                                        rows,
                                    )
                                }),
                            reversed: LazyReversed::default(),
                        }
                    }
                    Column::Decimal(numbers) => ColumnIndex {
                        kind: IndexedKind::Number,
                        present: numbers.valid().clone(),
                        by_code: None,
                        reversed: LazyReversed::default(),
                        sorted: numbers.scaled().map(|(mantissas, _)| {
                            let valid = numbers.valid();
                            let keys = (0..mantissas.len())
                                .map(|row| mantissas.get(row).filter(|_| valid.get(row)));
                            SortedRows::new(keys, rows)
                        }),
                    },
                    Column::Date(days) => {
                        let (numbers, valid) = days.parts();
                        let keys = numbers.iter().enumerate();
                        ColumnIndex {
                            kind: IndexedKind::Day,
                            present: valid.clone(),
                            by_code: None,
                            sorted: Some(SortedRows::new(
                                keys.map(|(row, &day)| valid.get(row).then_some(i64::from(day))),
                                rows,
                            )),
                            reversed: LazyReversed::default(),
                        }
                    }
                    Column::Flag(bits) => ColumnIndex {
                        kind: IndexedKind::Flag,
                        present: Bits::all(rows),
                        by_code: Some(vec![bits.clone()]),
                        sorted: None,
                        reversed: LazyReversed::default(),
                    },
                };
                (name.clone(), index)
            })
            .collect();
        TableIndex {
            columns,
            zones: OnceLock::new(),
        }
    }
}
