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
use crate::pricing::book::PriceBook;
use crate::pricing::quote::{discount_amount, discount_percent};
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
    /// stackable rules, comma-separated), `list_price`, `net_price`,
    /// `discount_percent`, `discount_amount` and `line_total` (exact
    /// decimals, as [`Quote`](crate::Quote) has them) and `reason` (as
    /// [`Quote::reason`](crate::Quote::reason)); a line that can't be priced
    /// has nulls and a [`RowProblem`].
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
        let priced = self.price_batches_explained(schema, batches, customers, &[])?;
        Ok((priced.result, priced.problems))
    }

    /// As [`Engine::price_batches`], and for the lines numbered in
    /// `explain` (0-based rows), the [`Quote`](crate::Quote) that
    /// [`Engine::price`] gives, with every rule's verdict: priced one by one,
    /// which is fine for the few lines someone asks about. A row past the
    /// end, or a line without a price (it has its problem), is left out.
    ///
    /// # Errors
    ///
    /// As [`Engine::price_batches`].
    pub fn price_batches_explained(
        &self,
        schema: &Schema,
        batches: &[RecordBatch],
        customers: Option<&ArrowCustomers>,
        explain: &[usize],
    ) -> Result<PricedBatch, TableError> {
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
        let mut wanted: Vec<usize> = explain
            .iter()
            .copied()
            .filter(|&row| priced.prices.get(row).is_some_and(Option::is_some))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let explanations = wanted
            .into_iter()
            .filter_map(|row| {
                let customer = table.customer(*customer_of_line.get(row)? as usize)?;
                let quote = self.price(&customer, &request(&columns, row)?).ok()?;
                Some((row, quote))
            })
            .collect();
        Ok(PricedBatch {
            result: self.quotes_batch(&priced.prices),
            problems,
            explanations,
        })
    }
}

/// Order lines priced in bulk, with the explanations asked for.
#[derive(Debug)]
#[non_exhaustive]
pub struct PricedBatch {
    /// One result row per line ([`Engine::price_batches`] names the
    /// columns).
    pub result: RecordBatch,
    /// The lines without a price, by row.
    pub problems: Vec<RowProblem>,
    /// The lines asked about, by row, ascending: each one's quote with
    /// every rule's verdict.
    pub explanations: Vec<(usize, crate::Quote)>,
}

/// Line `row` of the columns as a request (every value there: it was
/// priced).
fn request(columns: &LineColumns<'_>, row: usize) -> Option<PriceRequest> {
    let mut request = PriceRequest::new(
        columns.item.get(row)?,
        columns.list_price.get(row)?,
        columns.quantity.get(row)?,
        columns.date.get(row)?,
        columns.currency.get(row)?.parse().ok()?,
    );
    request.item_group = columns
        .item_group
        .and_then(|groups| groups.get(row))
        .map(str::to_owned);
    Some(request)
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
        return Err(TableError::MissingColumn {
            column,
            table: true,
        });
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
            table: true,
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
    /// `list_price`, `net_price`, `discount_percent`, `discount_amount`,
    /// `line_total` and `reason` (dictionary-encoded: one text per
    /// combination of chosen and stacked rules, written once, not per line).
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
        let money = |get: &dyn Fn(&LinePrice) -> Decimal| -> ArrayRef {
            let values: Vec<Option<Decimal>> = prices.iter().map(|p| p.as_ref().map(get)).collect();
            super::write::decimal_array(&values, 2).unwrap_or_else(|| {
                arrow_array::new_null_array(&DataType::Decimal128(38, 2), prices.len())
            })
        };
        let arrays = vec![
            dictionary(rule_keys, rules, prices.len()),
            Arc::new(StringArray::from(stacked)) as ArrayRef,
            money(&|p| p.list),
            money(&|p| p.net),
            money(&|p| discount_percent(p.list, p.net)),
            money(&|p| discount_amount(p.list, p.net)),
            money(&|p| p.total),
            reasons(book, prices),
        ];
        let names = [
            "rule",
            "stacked",
            "list_price",
            "net_price",
            "discount_percent",
            "discount_amount",
            "line_total",
            "reason",
        ];
        let fields: Vec<Field> = names
            .iter()
            .zip(&arrays)
            .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        RecordBatch::try_new(schema.clone(), arrays)
            .unwrap_or_else(|_| RecordBatch::new_empty(schema))
    }
}

/// Each line's reason as a dictionary column: lines without stacked rules
/// (nearly all) find their text's code by the chosen rule's position, the
/// others by their combination; each text is written once.
fn reasons(book: &PriceBook, prices: &[Option<LinePrice>]) -> ArrayRef {
    let mut texts: Vec<Arc<str>> = Vec::new();
    // Per rule position + 1 (0: no rule), the code of its reason alone.
    let mut code_of_rule: Vec<i32> = vec![-1; book.rules.len().saturating_add(1)];
    let mut code_of_stack: FxHashMap<(Option<u32>, &[u32]), i32> = FxHashMap::default();
    let keys: Vec<Option<i32>> = prices
        .iter()
        .map(|price| {
            let price = price.as_ref()?;
            let code = match price.stacked.as_slice() {
                [] => code_of_rule.get_mut(price.rule.map_or(0, |rule| rule as usize + 1))?,
                stacked => code_of_stack.entry((price.rule, stacked)).or_insert(-1),
            };
            if *code < 0 {
                *code = texts.len() as i32;
                texts.push(book.reason(price.rule, &price.stacked));
            }
            Some(*code)
        })
        .collect();
    dictionary(
        keys,
        texts.iter().map(|text| &**text).collect(),
        prices.len(),
    )
}

/// A dictionary-encoded text column (a null column should the keys not
/// fit the values, which they do by construction).
fn dictionary(keys: Vec<Option<i32>>, values: Vec<&str>, rows: usize) -> ArrayRef {
    match DictionaryArray::<Int32Type>::try_new(
        Int32Array::from(keys),
        Arc::new(StringArray::from(values)),
    ) {
        Ok(array) => Arc::new(array),
        Err(_) => arrow_array::new_null_array(
            &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            rows,
        ),
    }
}
