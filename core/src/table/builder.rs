//! Filling a table one customer at a time.

use std::collections::BTreeMap;

use super::CustomerTable;
use super::column::{Column, DateColumn, DecimalColumn, TextBuilder};
use crate::bits::Bits;
#[cfg(feature = "arrow")]
use crate::customer::fields::set_cell;
use crate::customer::fields::{Access, FIELDS, Field};
use crate::customer::{AttrValue, Customer};
use crate::scalar;

/// A column being filled, row by row.
#[derive(Debug)]
enum Builder {
    Text(TextBuilder),
    Decimal(DecimalColumn),
    Date(DateColumn),
    Flag(Bits),
}

impl Builder {
    fn finish(self) -> Column {
        match self {
            Builder::Text(text) => Column::Text(text.finish()),
            Builder::Decimal(column) => Column::Decimal(column.compact()),
            Builder::Date(column) => Column::Date(column),
            Builder::Flag(bits) => Column::Flag(bits),
        }
    }
}

/// Builds a table one customer at a time, for a caller that reads
/// customers from a source of its own and wants to keep no more than the
/// table in memory.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, TableBuilder};
///
/// // Say, pages of customers from an ERP's API, one at a time:
/// let pages = [
///     r#"[{"id": "1", "name": "Jansen"}, {"id": "2", "name": "Smit"}]"#,
///     r#"[{"id": "3", "name": "Bakker", "billing_address": {"country": "BE"}}]"#,
/// ];
/// let mut builder = TableBuilder::new();
/// for page in pages {
///     for customer in Customer::list_from_json(page)? {
///         builder.push(&customer);
///     }
/// }
/// let table = builder.finish();
/// assert_eq!(table.len(), 3);
/// let third = table.customer(2).ok_or("no row 2")?;
/// assert_eq!(third.country().map(|country| country.as_str()), Some("BE"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TableBuilder {
    rows: usize,
    /// Fixed columns by position in `fields`; `None` until a value shows up.
    fixed: Vec<Option<Builder>>,
    /// `attr.<name>`: numbers and text kept apart, so a customer reads back
    /// with the kind of value it had.
    attributes: BTreeMap<String, (Option<DecimalColumn>, Option<TextBuilder>)>,
}

impl Default for TableBuilder {
    fn default() -> TableBuilder {
        TableBuilder::new()
    }
}

impl TableBuilder {
    /// An empty table.
    pub fn new() -> TableBuilder {
        TableBuilder {
            rows: 0,
            fixed: FIELDS.iter().map(|_| None).collect(),
            attributes: BTreeMap::new(),
        }
    }

    /// Adds `customer` as the next row.
    pub fn push(&mut self, customer: &Customer) {
        let rows = self.rows;
        for (field, slot) in FIELDS.iter().zip(self.fixed.iter_mut()) {
            push_field(slot, field, customer, rows);
        }
        for (name, (numbers, texts)) in &mut self.attributes {
            let value = customer.attributes.get(name);
            if let Some(column) = numbers {
                column.push(match value {
                    Some(AttrValue::Number(number)) => Some(*number),
                    _ => None,
                });
            }
            if let Some(column) = texts {
                column.push(match value {
                    Some(AttrValue::Text(text)) if !scalar::is_blank(text) => Some(text),
                    _ => None,
                });
            }
        }
        for (name, value) in &customer.attributes {
            let (numbers, texts) = self.attributes.entry(name.clone()).or_default();
            match value {
                AttrValue::Number(number) if numbers.is_none() => {
                    let mut column = DecimalColumn::with_nulls(rows);
                    column.push(Some(*number));
                    *numbers = Some(column);
                }
                AttrValue::Text(text) if texts.is_none() && !scalar::is_blank(text) => {
                    let mut column = TextBuilder::with_nulls(rows);
                    column.push(Some(text));
                    *texts = Some(column);
                }
                _ => {}
            }
        }
        self.rows += 1;
    }

    /// The rows pushed so far.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row was pushed yet.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The table, its columns packed.
    pub fn finish(self) -> CustomerTable {
        let mut columns: Vec<(String, Column)> = FIELDS
            .iter()
            .zip(self.fixed)
            .filter_map(|(field, builder)| Some((field.name.to_owned(), builder?.finish())))
            .collect();
        for (name, (numbers, texts)) in self.attributes {
            // A name with both kinds keeps both; they share the CSV column.
            if let Some(column) = numbers {
                columns.push((format!("attr.{name}"), Column::Decimal(column.compact())));
            }
            if let Some(column) = texts {
                columns.push((format!("attr.{name}"), Column::Text(column.finish())));
            }
        }
        CustomerTable {
            rows: self.rows,
            columns,
            ..CustomerTable::default()
        }
    }
}

#[cfg(feature = "arrow")]
/// A cell of text column `name` as the column stores it: checked and
/// written one way by the customer file's parser (`nl` is no country;
/// `manual` lists are joined with commas). `Ok(None)`: the cell holds no
/// value (an empty `manual` list).
///
/// # Errors
///
/// What the cell should be.
pub(crate) fn stored_text(name: &str, cell: &str) -> Result<Option<String>, String> {
    let mut customer = Customer::default();
    set_cell(&mut customer, name, cell)?;
    Ok(match crate::customer::fields::field(name) {
        Some(field) => field.text(&customer).map(std::borrow::Cow::into_owned),
        // `attr.<name>`: text as given.
        None => Some(cell.to_owned()),
    })
}

/// Adds the customer's value of `field` to its column, starting the column
/// (with `rows` nulls before it) at its first value.
fn push_field(slot: &mut Option<Builder>, field: &Field, customer: &Customer, rows: usize) {
    match field.access {
        Access::Text { .. } | Access::Coded { .. } | Access::List { .. } => {
            match (slot.as_mut(), field.text(customer)) {
                (Some(Builder::Text(column)), text) => column.push(text.as_deref()),
                (None, Some(text)) => {
                    let mut column = TextBuilder::with_nulls(rows);
                    column.push(Some(&text));
                    *slot = Some(Builder::Text(column));
                }
                _ => {}
            }
        }
        Access::Number { get, .. } => match (slot.as_mut(), get(customer)) {
            (Some(Builder::Decimal(column)), value) => column.push(value),
            (None, Some(value)) => {
                let mut column = DecimalColumn::with_nulls(rows);
                column.push(Some(value));
                *slot = Some(Builder::Decimal(column));
            }
            _ => {}
        },
        Access::Day { get, .. } => match (slot.as_mut(), get(customer)) {
            (Some(Builder::Date(column)), value) => column.push(value),
            (None, Some(value)) => {
                let mut column = DateColumn::with_nulls(rows);
                column.push(Some(value));
                *slot = Some(Builder::Date(column));
            }
            _ => {}
        },
        Access::Flag { get, .. } => match (slot.as_mut(), get(customer)) {
            (Some(Builder::Flag(bits)), flag) => bits.push(flag),
            (None, true) => {
                let mut bits = Bits::default();
                (0..rows).for_each(|_| bits.push(false));
                bits.push(true);
                *slot = Some(Builder::Flag(bits));
            }
            _ => {}
        },
    }
}
