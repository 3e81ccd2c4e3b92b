//! Order lines from Arrow, priced in bulk by the columnar pricer
//! ([`crate::bulk`]): customers are worked out once per distinct pricing
//! key, not once per customer or per line, and each line gets the answer it
//! gets on its own from [`Engine::price`].

use std::collections::BTreeSet;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::read::{self, Kind};
use super::{ArrowCustomers, RowProblem, threads};
use crate::bulk::{LineColumns, LineFault, NO_CUSTOMER};
use crate::engine::Engine;
use crate::error::TableError;
use crate::pricing::PriceRequest;
use crate::pricing::resolve::LinePrice;
use crate::table::{Column, CustomerTable, DateColumn, DecimalColumn, TextColumn};

/// The line columns every line needs a value in.
const REQUIRED: [&str; 5] = ["item", "list_price", "quantity", "date", "currency"];

impl Engine {
    /// Prices the order lines of a record batch stream: columns `customer`
    /// (the customer's id), `item`, `item_group`, `list_price`, `quantity`,
    /// `date` and `currency`, as [`PriceRequest`] has them. The line's
    /// customer is the row of `customers` with that id, or, without
    /// `customers`, what the line's other columns say of it (named as in the
    /// customer file: `price_group`, `group`, `country`, …).
    ///
    /// Returns one result row per line, in order: `rule`, `stacked` (the
    /// stackable rules, comma-separated), `net_price` and `line_total` (exact
    /// decimals); a line that can't be priced has nulls and a [`RowProblem`].
    ///
    /// # Errors
    ///
    /// A [`TableError`] for the input as a whole: a required column missing,
    /// a column that is neither a line nor a customer column, one of the
    /// wrong type, or customer columns beside a `customers` table.
    pub fn price_batches(
        &self,
        schema: &Schema,
        batches: &[RecordBatch],
        customers: Option<&ArrowCustomers>,
    ) -> Result<(RecordBatch, Vec<RowProblem>), TableError> {
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        span!("price_batches", rows = rows);
        let read = read_lines(schema, batches, rows, customers.is_some())?;
        let lines = Lines::new(&read.lines);
        let mut problems: Vec<RowProblem> = read
            .bad
            .into_iter()
            .map(|(row, column, message)| RowProblem {
                row,
                line: None,
                id: lines.customer_id(row),
                column: Some(column.to_owned()),
                code: "invalid_field".to_owned(),
                message,
            })
            .collect();
        let rejected: Vec<usize> = problems.iter().map(|p| p.row).collect();

        // Each line's customer, as a row of `table`.
        let own_table;
        let (table, mut customer_of_line) = match customers {
            Some(customers) => {
                let table = customers.table();
                (table, by_id(&lines, table, rows, &mut problems))
            }
            None => {
                own_table = by_columns(&lines, read.customers, rows);
                (&own_table, (0..rows as u32).collect())
            }
        };
        for row in rejected {
            if let Some(customer) = customer_of_line.get_mut(row) {
                *customer = NO_CUSTOMER;
            }
        }
        let columns = lines.columns()?;
        let priced = self.price_table_lines(table, &customer_of_line, &columns, threads());
        problems.extend(priced.faults.into_iter().map(|(row, fault)| {
            let id = lines.customer_id(row);
            match fault {
                LineFault::Missing(column) => RowProblem {
                    row,
                    line: None,
                    id,
                    column: Some(column.to_owned()),
                    code: "invalid_field".to_owned(),
                    message: format!("{column}: a line needs a {}", column.replace('_', " ")),
                },
                LineFault::Pricing(error) => RowProblem {
                    row,
                    line: None,
                    id,
                    // The line's own column at fault (not an amount it
                    // computed).
                    column: error
                        .kind
                        .field()
                        .filter(|field| PriceRequest::COLUMNS.contains(field))
                        .map(str::to_owned),
                    code: error.code().to_owned(),
                    message: error.kind.to_string(),
                },
            }
        }));
        problems.sort_by_key(|problem| problem.row);
        Ok((self.quotes_batch(&priced.prices), problems))
    }
}

/// Order-line columns read: the line's own by name, the customer columns
/// beside them, and the cells that can't be read.
struct ReadLines<'s> {
    lines: FxHashMap<&'s str, Column>,
    customers: Vec<(String, Column)>,
    bad: Vec<(usize, &'s str, String)>,
}

/// Reads the columns of order lines, checking the schema first: every
/// column a line or (without a customer table) a customer column, none
/// twice, the required ones there.
/// `unknown_order_column` for a column of order lines that is neither a
/// line's nor a customer's: the message speaks of order lines, and names
/// the line column meant, else the customer field.
fn unknown_line_column(name: &str, position: usize) -> TableError {
    let wanted = name.trim().to_ascii_lowercase();
    let line_column = PriceRequest::COLUMNS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(&wanted, known), *known))
        .filter(|(distance, known)| *distance <= 2.max(known.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known.to_owned());
    let suggestion =
        line_column.or_else(
            || match crate::customer::fields::unknown_column(name, position) {
                TableError::UnknownColumn { suggestion, .. } => suggestion,
                _ => None,
            },
        );
    TableError::UnknownOrderColumn {
        column: name.to_owned(),
        position,
        suggestion,
    }
}

fn read_lines<'s>(
    schema: &'s Schema,
    batches: &[RecordBatch],
    rows: usize,
    customer_table: bool,
) -> Result<ReadLines<'s>, TableError> {
    let mut names = BTreeSet::new();
    let mut wanted = Vec::new();
    for (at, field) in schema.fields().iter().enumerate() {
        let name = field.name().as_str();
        let position = at + 1;
        // Other columns describe the line's customer.
        let is_line = PriceRequest::COLUMNS.contains(&name);
        let is_customer = name != "id" && crate::customer::fields::is_column(name);
        let column = || name.to_owned();
        if !is_line && !is_customer {
            return Err(unknown_line_column(name, position));
        }
        if !is_line && customer_table {
            return Err(TableError::CustomerColumnOnLines {
                column: column(),
                position,
            });
        }
        if !names.insert(name) {
            return Err(TableError::DuplicateColumn {
                column: column(),
                position,
            });
        }
        let kind = match name {
            "customer" | "item" | "item_group" => Kind::Text,
            "list_price" | "quantity" => Kind::Number,
            "date" => Kind::Day,
            "currency" => Kind::CheckedText,
            _ => Kind::of(name, field.data_type()),
        };
        wanted.push((at, name, kind, is_line));
    }
    if let Some(missing) = REQUIRED.iter().find(|name| !names.contains(*name)) {
        let column = (*missing).to_owned();
        return Err(TableError::MissingColumn { column });
    }
    let chunks_of = |at: usize| -> Vec<&ArrayRef> {
        batches
            .iter()
            .filter_map(|batch| batch.columns().get(at))
            .collect()
    };
    let converted = threads().map(&wanted, |&(at, name, kind, _)| {
        read::column(name, kind, &chunks_of(at), rows)
    });
    let mut read = ReadLines {
        lines: FxHashMap::default(),
        customers: Vec::new(),
        bad: Vec::new(),
    };
    for (&(_, name, _, is_line), outcome) in wanted.iter().zip(converted) {
        let (column, cells) = outcome?;
        read.bad.extend(
            cells
                .into_iter()
                .map(|(row, message)| (row, name, format!("{name}: {message}"))),
        );
        if is_line {
            read.lines.insert(name, column);
        } else {
            read.customers.push((name.to_owned(), column));
        }
    }
    Ok(read)
}

/// The line columns read, each found once.
struct Lines<'a> {
    customer: Option<&'a TextColumn>,
    item: Option<&'a TextColumn>,
    item_group: Option<&'a TextColumn>,
    list_price: Option<&'a DecimalColumn>,
    quantity: Option<&'a DecimalColumn>,
    date: Option<&'a DateColumn>,
    currency: Option<&'a TextColumn>,
}

impl<'a> Lines<'a> {
    fn new(columns: &'a FxHashMap<&'a str, Column>) -> Lines<'a> {
        let text = |name: &str| match columns.get(name) {
            Some(Column::Text(column)) => Some(column),
            _ => None,
        };
        let number = |name: &str| match columns.get(name) {
            Some(Column::Decimal(column)) => Some(column),
            _ => None,
        };
        Lines {
            customer: text("customer"),
            item: text("item"),
            item_group: text("item_group"),
            list_price: number("list_price"),
            quantity: number("quantity"),
            date: match columns.get("date") {
                Some(Column::Date(days)) => Some(days),
                _ => None,
            },
            currency: text("currency"),
        }
    }

    fn customer_id(&self, row: usize) -> Option<String> {
        Some(self.customer?.get(row)?.to_owned())
    }

    /// The columns the pricer reads; the schema was checked for them.
    fn columns(&self) -> Result<LineColumns<'a>, TableError> {
        let missing = |column: &str| TableError::MissingColumn {
            column: column.to_owned(),
        };
        Ok(LineColumns {
            item: self.item.ok_or_else(|| missing("item"))?,
            item_group: self.item_group,
            list_price: self.list_price.ok_or_else(|| missing("list_price"))?,
            quantity: self.quantity.ok_or_else(|| missing("quantity"))?,
            date: self.date.ok_or_else(|| missing("date"))?,
            currency: self.currency.ok_or_else(|| missing("currency"))?,
        })
    }
}

/// Each line's customer: the row of `table` with its id (the first, if
/// the id is there twice); a line whose id isn't there is a problem. Each
/// distinct id of the lines is looked up once.
fn by_id(
    lines: &Lines<'_>,
    table: &CustomerTable,
    rows: usize,
    problems: &mut Vec<RowProblem>,
) -> Vec<u32> {
    let mut row_of: FxHashMap<&str, u32> = FxHashMap::default();
    row_of.reserve(table.len());
    for row in (0..table.len()).rev() {
        if let Some(id) = table.id(row) {
            row_of.insert(id, row as u32);
        }
    }
    let Some(customers) = lines.customer else {
        for line in 0..rows {
            problems.push(no_customer(line, None));
        }
        return vec![NO_CUSTOMER; rows];
    };
    let row_of_code: Vec<u32> = std::iter::once(NO_CUSTOMER)
        .chain(
            customers
                .values
                .iter()
                .map(|id| row_of.get(id).copied().unwrap_or(NO_CUSTOMER)),
        )
        .collect();
    (0..rows)
        .map(|line| {
            let row = row_of_code
                .get(customers.codes.get(line) as usize)
                .copied()
                .unwrap_or(NO_CUSTOMER);
            if row == NO_CUSTOMER {
                problems.push(no_customer(line, customers.get(line)));
            }
            row
        })
        .collect()
}

fn no_customer(line: usize, id: Option<&str>) -> RowProblem {
    RowProblem {
        row: line,
        line: None,
        id: id.map(str::to_owned),
        column: Some("customer".to_owned()),
        code: "unknown_customer".to_owned(),
        message: match id {
            Some(id) => format!("customer: no customer has the id '{id}'"),
            None => "customer: the line names no customer".to_owned(),
        },
    }
}

/// The lines' customers from the lines' own customer columns, one row per
/// line: rows that agree on what pricing reads share their work.
fn by_columns(lines: &Lines<'_>, mut columns: Vec<(String, Column)>, rows: usize) -> CustomerTable {
    if let Some(ids) = lines.customer {
        columns.push(("id".to_owned(), Column::Text(ids.clone())));
    }
    CustomerTable::from_columns(rows, columns)
}

impl Engine {
    /// The prices as columns: `rule` (dictionary-encoded), `stacked`,
    /// `net_price`, `line_total`.
    fn quotes_batch(&self, prices: &[Option<LinePrice>]) -> RecordBatch {
        let book = &self.compiled().prices;
        let id = |rule: u32| book.rules.get(rule as usize).map_or("", |r| r.id.as_str());
        // Dictionary codes by first appearance, one array lookup per line.
        let mut code_of_rule: Vec<i32> = vec![-1; book.rules.len()];
        let mut rules: Vec<&str> = Vec::new();
        let rule_keys: Vec<Option<i32>> = prices
            .iter()
            .map(|price| {
                let rule = price.as_ref()?.rule?;
                let code = code_of_rule.get_mut(rule as usize)?;
                if *code < 0 {
                    *code = rules.len() as i32;
                    rules.push(id(rule));
                }
                Some(*code)
            })
            .collect();
        let stacked: Vec<Option<String>> = prices
            .iter()
            .map(|price| {
                let stacked = &price.as_ref()?.stacked;
                (!stacked.is_empty()).then(|| {
                    stacked
                        .iter()
                        .map(|&rule| id(rule))
                        .collect::<Vec<_>>()
                        .join(",")
                })
            })
            .collect();
        let money = |get: fn(&LinePrice) -> Decimal| -> ArrayRef {
            let values: Vec<Option<Decimal>> = prices.iter().map(|p| p.as_ref().map(get)).collect();
            super::write::decimal_array(&values, 2).unwrap_or_else(|| {
                arrow_array::new_null_array(&DataType::Decimal128(38, 2), prices.len())
            })
        };
        let rule: ArrayRef = match DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(rule_keys),
            Arc::new(StringArray::from(rules)),
        ) {
            Ok(array) => Arc::new(array),
            Err(_) => arrow_array::new_null_array(
                &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                prices.len(),
            ),
        };
        let arrays = vec![
            rule,
            Arc::new(StringArray::from(stacked)) as ArrayRef,
            money(|p| p.net),
            money(|p| p.total),
        ];
        let fields: Vec<Field> = ["rule", "stacked", "net_price", "line_total"]
            .iter()
            .zip(&arrays)
            .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        RecordBatch::try_new(schema.clone(), arrays)
            .unwrap_or_else(|_| RecordBatch::new_empty(schema))
    }
}
