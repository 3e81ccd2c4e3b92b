//! Segments: a compiled condition over customers and tables, for
//! marketing lists and filtered exports.

use std::collections::BTreeSet;
use std::io::Write;

use super::Engine;
use super::classified::{SegmentValues, empty_columns, targets_read};
use crate::customer::Customer;
use crate::error::{CustomerError, TableError};
use crate::expr::{Cond, Derived, ZoneSource};
use crate::table::{CustomerTable, Selection, TableIndex};
use crate::threads::Threads;

/// A compiled segment query.
///
/// Made by [`Engine::segment`] from an expression in the language of rule
/// conditions; it tests one customer ([`Segment::matches`]) or selects the
/// rows of a whole [`CustomerTable`] column by column ([`Segment::filter`]),
/// with the same answer row for row.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, CustomerTable, Engine, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let danish_shoppers = engine.segment("country = 'DK' and channel = 'webshop'")?;
///
/// let customers = Customer::list_from_json(r#"[
///     {"id": "1", "billing_address": {"country": "DK"}, "channel": "webshop"},
///     {"id": "2", "billing_address": {"country": "DK"}, "channel": "pos"},
///     {"id": "3", "billing_address": {"country": "DK"}, "channel": "webshop"},
///     {"id": "4", "channel": "webshop"}
/// ]"#)?;
/// // One customer at a time; a test on a missing value (customer 4 has no
/// // country) is unknown, and unknown does not match.
/// assert!(danish_shoppers.matches(&customers[0])?);
/// assert!(!danish_shoppers.matches(&customers[3])?);
///
/// // A whole table at once: the same answer, row for row.
/// let table = CustomerTable::from_customers(&customers);
/// let selection = danish_shoppers.filter(&table);
/// assert_eq!(selection.rows().collect::<Vec<_>>(), [0, 2]);
///
/// // A marketing list: the rows in the segment, with the columns asked for.
/// let mut list = Vec::new();
/// danish_shoppers.export_csv(&table, &["id", "country", "channel"], &mut list)?;
/// assert_eq!(String::from_utf8(list)?, "id;country;channel\n1;DK;webshop\n3;DK;webshop\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Segment {
    pub(super) engine: Engine,
    pub(super) cond: Cond,
    pub(super) expression: String,
    pub(super) values: SegmentValues,
}

impl Engine {
    /// The customer columns `conds` read, with those every row is checked
    /// on (the numeric attributes): what a segment or a set of them needs
    /// of a table.
    pub(super) fn columns_read<'c>(
        &self,
        conds: impl Iterator<Item = &'c Cond>,
    ) -> BTreeSet<String> {
        let mut columns: BTreeSet<String> = self
            .numeric_attributes()
            .map(|name| format!("attr.{name}"))
            .collect();
        for cond in conds {
            cond.columns(&mut columns);
        }
        columns
    }
}

impl Segment {
    /// The expression as written.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The rows of `table` in the segment, evaluated column by column; row
    /// for row the same answer as [`Segment::matches`] on the customer. Rows
    /// with a numeric attribute that isn't a number, or (when the segment
    /// tests classified values) that can't be classified, are left out and
    /// listed in [`Selection::rejected`] with that error. A column tested
    /// that is empty in every row is named in [`Selection::warnings`].
    pub fn filter(&self, table: &CustomerTable) -> Selection {
        self.select(table, None)
    }

    /// As [`Segment::filter`], reading the tests on indexed columns from
    /// `index`: the same rows, at the cost of or-ing a few bitmaps.
    /// `index` must have been built from `table`.
    pub fn filter_indexed(&self, table: &CustomerTable, index: &TableIndex) -> Selection {
        self.select(table, Some(index))
    }

    /// The customer columns the segment reads, with those
    /// [`Segment::filter`] checks on every row (the numeric attributes),
    /// and, when it tests classified values, those classifying reads
    /// ([`Engine::input_columns`]): a table of only these gives the same
    /// rows as the whole one.
    pub fn input_columns(&self) -> BTreeSet<String> {
        let mut columns = self.engine.columns_read(std::iter::once(&self.cond));
        if !self.targets().is_empty() {
            columns.extend(self.engine.input_columns());
        }
        columns
    }

    /// The target columns the segment tests classified.
    fn targets(&self) -> Vec<(&'static str, crate::classification::ResultField)> {
        targets_read(self.values, std::iter::once(&self.cond))
    }

    fn select(&self, table: &CustomerTable, index: Option<&TableIndex>) -> Selection {
        span!(
            "segment_filter",
            rows = table.len(),
            indexed = index.is_some()
        );
        let targets = self.targets();
        let keep = self.engine.columns_read(std::iter::once(&self.cond));
        let seen = self.engine.seen_table(table, &targets, &keep);
        // An index answers for the table, not for a view with classified
        // columns.
        let index = index.filter(|_| !seen.is_view());
        let zones = Zones::of(&self.engine, &seen.table, index, self.cond.reads_zone());
        let truth = self.cond.truth(
            &seen.table,
            index,
            &Derived::new(zones.source(), Threads::One),
        );
        let mut rows = truth.yes;
        for (row, _) in &seen.rejected {
            rows.clear(*row);
        }
        let warnings = empty_columns(table, std::iter::once(&self.cond), &targets);
        Selection {
            rows,
            rejected: seen.rejected,
            warnings,
        }
    }

    /// The compiled condition.
    #[cfg(test)]
    pub(crate) fn condition(&self) -> &Cond {
        &self.cond
    }

    /// Writes the rows of `table` in the segment as semicolon-separated CSV
    /// with the columns named (every column when `columns` is empty): a
    /// marketing list or a filtered export. Returns the selection written.
    ///
    /// # Errors
    ///
    /// As [`CustomerTable::write_csv`].
    pub fn export_csv<W: Write>(
        &self,
        table: &CustomerTable,
        columns: &[&str],
        output: W,
    ) -> Result<Selection, TableError> {
        let selection = self.filter(table);
        table.write_rows(output, columns, selection.rows())?;
        Ok(selection)
    }

    /// Whether the customer belongs to the segment: the condition is true
    /// (a test on a missing value is unknown, and unknown does not match).
    /// A segment testing classified values classifies the customer first.
    ///
    /// # Errors
    ///
    /// `invalid_attribute` when a numeric attribute of the customer is not a
    /// number; when the segment tests classified values, the error
    /// classifying the customer gives.
    pub fn matches(&self, customer: &Customer) -> Result<bool, CustomerError> {
        let customer = self.engine.seen_customer(customer, &self.targets())?;
        let subject = self.engine.subject(&customer, customer.created_at)?;
        Ok(self.cond.matches(&subject))
    }
}

/// The VAT zone of every row, worked out once for whatever reads it.
pub(super) enum Zones<'a> {
    /// Per row, as [`ZoneSource::Codes`] (empty when nothing reads zones).
    Codes(Vec<u8>),
    /// An index's bitmaps per zone.
    Rows(&'a [crate::bits::Bits]),
}

impl<'a> Zones<'a> {
    /// The zones of `table`'s rows when `needed`; an index keeps those the
    /// first engine with this home country and EU table worked out.
    pub(super) fn of(
        engine: &Engine,
        table: &CustomerTable,
        index: Option<&'a TableIndex>,
        needed: bool,
    ) -> Zones<'a> {
        match (needed, index) {
            (false, _) => Zones::Codes(Vec::new()),
            (true, Some(index)) => {
                match index.zone_rows(&engine.zone_key(table), || engine.table_zones(table)) {
                    Some(rows) => Zones::Rows(rows),
                    None => Zones::Codes(engine.table_zones(table)),
                }
            }
            (true, None) => Zones::Codes(engine.table_zones(table)),
        }
    }

    pub(super) fn source(&self) -> ZoneSource<'_> {
        match self {
            Zones::Codes(codes) => ZoneSource::Codes(codes),
            Zones::Rows(rows) => ZoneSource::Rows(rows),
        }
    }
}
