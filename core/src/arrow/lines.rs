//! Order lines from Arrow, priced in bulk: the lines of each customer are
//! priced together by [`Engine::price_lines`], so a customer is classified
//! once however many lines it has, and the answer is the one a line gets
//! on its own.

use std::collections::BTreeSet;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Decimal128Array, DictionaryArray, Int32Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::read::{self, Kind};
use super::{ArrowCustomers, RowProblem, threads};
use crate::customer::{CurrencyCode, Customer};
use crate::engine::Engine;
use crate::error::TableError;
use crate::pricing::{PriceRequest, Quote};
use crate::table::{Column, CustomerTable};

/// The columns of an order line; the others describe the line's customer.
const LINE_COLUMNS: [&str; 7] = [
    "customer",
    "item",
    "item_group",
    "list_price",
    "quantity",
    "date",
    "currency",
];

/// The line columns every line needs a value in.
const REQUIRED: [&str; 5] = ["item", "list_price", "quantity", "date", "currency"];

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
pub fn price_lines(
    engine: &Engine,
    schema: &Schema,
    batches: &[RecordBatch],
    customers: Option<&ArrowCustomers>,
) -> Result<(RecordBatch, Vec<RowProblem>), TableError> {
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let mut line_columns: FxHashMap<&str, Column> = FxHashMap::default();
    let mut customer_columns: Vec<(String, Column)> = Vec::new();
    let mut bad: Vec<(usize, &str, String)> = Vec::new();
    let mut names = BTreeSet::new();
    let mut wanted = Vec::new();
    for (at, field) in schema.fields().iter().enumerate() {
        let name = field.name().as_str();
        let position = at + 1;
        let is_line = LINE_COLUMNS.contains(&name);
        let is_customer = name != "id" && crate::customer_file::is_column(name);
        let column = || name.to_owned();
        if !is_line && !is_customer {
            return Err(TableError::UnknownColumn {
                column: column(),
                position,
            });
        }
        if !is_line && customers.is_some() {
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
    for (&(_, name, _, is_line), outcome) in wanted.iter().zip(converted) {
        let (column, cells) = outcome?;
        bad.extend(
            cells
                .into_iter()
                .map(|(row, message)| (row, name, format!("{name}: {message}"))),
        );
        if is_line {
            line_columns.insert(name, column);
        } else {
            customer_columns.push((name.to_owned(), column));
        }
    }
    let lines = Lines {
        columns: &line_columns,
    };
    let mut problems: Vec<RowProblem> = bad
        .into_iter()
        .map(|(row, column, message)| RowProblem {
            row,
            id: lines.customer_id(row),
            column: Some(column.to_owned()),
            code: "invalid_field".to_owned(),
            message,
        })
        .collect();
    let rejected: BTreeSet<usize> = problems.iter().map(|p| p.row).collect();

    // Each line's customer, as an index into `people`.
    let (people, person_of_line) = match customers {
        Some(customers) => by_id(&lines, customers, rows, &mut problems),
        None => by_columns(&lines, customer_columns, rows),
    };
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
    for (row, person) in person_of_line.iter().enumerate() {
        if let (Some(person), false) = (person, rejected.contains(&row))
            && let Some(group) = groups.get_mut(*person)
        {
            group.push(row);
        }
    }
    let work: Vec<(usize, Vec<usize>)> = groups
        .into_iter()
        .enumerate()
        .filter(|(_, g)| !g.is_empty())
        .collect();
    let priced = threads().map(&work, |(person, rows)| {
        let customer = people.get(*person).cloned().unwrap_or_default();
        price_group(engine, &customer, rows, &lines)
    });
    let mut quotes: Vec<Option<Quote>> = vec![None; rows];
    for (answers, trouble) in priced {
        for (row, quote) in answers {
            if let Some(place) = quotes.get_mut(row) {
                *place = Some(quote);
            }
        }
        problems.extend(trouble);
    }
    problems.sort_by_key(|problem| problem.row);
    Ok((quotes_batch(&quotes), problems))
}

/// The line columns read.
struct Lines<'a> {
    columns: &'a FxHashMap<&'a str, Column>,
}

impl Lines<'_> {
    fn text(&self, name: &str, row: usize) -> Option<&str> {
        match self.columns.get(name)? {
            Column::Text(column) => column.get(row),
            _ => None,
        }
    }

    fn number(&self, name: &str, row: usize) -> Option<Decimal> {
        match self.columns.get(name)? {
            Column::Decimal(column) => column.get(row),
            _ => None,
        }
    }

    fn customer_id(&self, row: usize) -> Option<String> {
        self.text("customer", row).map(str::to_owned)
    }

    /// Line `row` as a request, or the first required column it lacks.
    fn request(&self, row: usize) -> Result<PriceRequest, &'static str> {
        let missing = |name: &'static str| name;
        let date = match self.columns.get("date") {
            Some(Column::Date(days)) => days.get(row),
            _ => None,
        };
        let currency: Option<CurrencyCode> = self
            .text("currency", row)
            .and_then(|code| code.to_owned().try_into().ok());
        Ok(PriceRequest {
            item: self
                .text("item", row)
                .ok_or_else(|| missing("item"))?
                .to_owned(),
            item_group: self.text("item_group", row).map(str::to_owned),
            list_price: self
                .number("list_price", row)
                .ok_or_else(|| missing("list_price"))?,
            quantity: self
                .number("quantity", row)
                .ok_or_else(|| missing("quantity"))?,
            date: date.ok_or_else(|| missing("date"))?,
            currency: currency.ok_or_else(|| missing("currency"))?,
        })
    }
}

/// Prices the lines `rows` of one customer: each line that can be priced
/// gets its quote, each other one a problem (a line the engine refuses is
/// taken out and the rest priced again).
fn price_group(
    engine: &Engine,
    customer: &Customer,
    rows: &[usize],
    lines: &Lines<'_>,
) -> (Vec<(usize, Quote)>, Vec<RowProblem>) {
    let mut problems = Vec::new();
    let mut pending: Vec<(usize, PriceRequest)> = Vec::with_capacity(rows.len());
    for &row in rows {
        match lines.request(row) {
            Ok(request) => pending.push((row, request)),
            Err(column) => problems.push(RowProblem {
                row,
                id: lines.customer_id(row),
                column: Some(column.to_owned()),
                code: "invalid_field".to_owned(),
                message: format!("{column}: a line needs a {}", column.replace('_', " ")),
            }),
        }
    }
    loop {
        let requests: Vec<PriceRequest> = pending.iter().map(|(_, r)| r.clone()).collect();
        match engine.price_lines(customer, &requests) {
            Ok(quotes) => {
                let priced = pending.iter().map(|(row, _)| *row).zip(quotes).collect();
                return (priced, problems);
            }
            Err(error) => {
                let at = error.line.unwrap_or(0).min(pending.len().saturating_sub(1));
                if pending.is_empty() {
                    return (Vec::new(), problems);
                }
                let (row, _) = pending.remove(at);
                let column = match error.code() {
                    "invalid_quantity" => Some("quantity"),
                    "negative_list_price" => Some("list_price"),
                    "unknown_item_group" => Some("item_group"),
                    _ => None,
                };
                problems.push(RowProblem {
                    row,
                    id: lines.customer_id(row),
                    column: column.map(str::to_owned),
                    code: error.code().to_owned(),
                    message: error.kind.to_string(),
                });
            }
        }
    }
}

/// Each line's customer from `customers` by id; a line whose id isn't
/// there is a problem.
fn by_id(
    lines: &Lines<'_>,
    customers: &ArrowCustomers,
    rows: usize,
    problems: &mut Vec<RowProblem>,
) -> (Vec<Customer>, Vec<Option<usize>>) {
    let table = customers.table();
    let mut row_of: FxHashMap<&str, usize> = FxHashMap::default();
    for row in 0..table.len() {
        if let Some(id) = table.id(row) {
            row_of.entry(id).or_insert(row);
        }
    }
    let mut people = Vec::new();
    let mut person_of_row: FxHashMap<usize, usize> = FxHashMap::default();
    let mut person_of_line = Vec::with_capacity(rows);
    for line in 0..rows {
        let id = lines.text("customer", line);
        let person = id.and_then(|id| row_of.get(id)).map(|&row| {
            *person_of_row.entry(row).or_insert_with(|| {
                people.push(table.customer(row).unwrap_or_default());
                people.len() - 1
            })
        });
        if person.is_none() {
            problems.push(RowProblem {
                row: line,
                id: id.map(str::to_owned),
                column: Some("customer".to_owned()),
                code: "unknown_customer".to_owned(),
                message: match id {
                    Some(id) => format!("customer: no customer has the id '{id}'"),
                    None => "customer: the line names no customer".to_owned(),
                },
            });
        }
        person_of_line.push(person);
    }
    (people, person_of_line)
}

/// Each line's customer from the line's own customer columns: lines that
/// agree on every one share a customer.
fn by_columns(
    lines: &Lines<'_>,
    mut columns: Vec<(String, Column)>,
    rows: usize,
) -> (Vec<Customer>, Vec<Option<usize>>) {
    if let Some(Column::Text(ids)) = lines.columns.get("customer") {
        columns.push(("id".to_owned(), Column::Text(ids.clone())));
    }
    let table = CustomerTable::from_columns(rows, columns);
    // Dense numbers of the rows' combined values, one column at a time.
    let mut keys = vec![0u32; rows];
    for codes in table.value_numbers() {
        let mut numbers: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for (key, code) in keys.iter_mut().zip(codes) {
            let next = numbers.len() as u32;
            *key = *numbers.entry((*key, code)).or_insert(next);
        }
    }
    let mut people = Vec::new();
    let mut person_of_key: FxHashMap<u32, usize> = FxHashMap::default();
    let person_of_line = keys
        .iter()
        .enumerate()
        .map(|(row, key)| {
            Some(*person_of_key.entry(*key).or_insert_with(|| {
                people.push(table.customer(row).unwrap_or_default());
                people.len() - 1
            }))
        })
        .collect();
    (people, person_of_line)
}

/// The quotes as columns: `rule`, `stacked`, `net_price`, `line_total`.
fn quotes_batch(quotes: &[Option<Quote>]) -> RecordBatch {
    let mut rule_keys: Vec<Option<i32>> = Vec::with_capacity(quotes.len());
    let mut rules: Vec<&str> = Vec::new();
    let mut rule_at: FxHashMap<&str, i32> = FxHashMap::default();
    for quote in quotes {
        let rule = quote.as_ref().and_then(|q| q.rule.as_deref());
        rule_keys.push(rule.map(|rule| {
            *rule_at.entry(rule).or_insert_with(|| {
                rules.push(rule);
                rules.len() as i32 - 1
            })
        }));
    }
    let stacked: Vec<Option<String>> = quotes
        .iter()
        .map(|quote| {
            let stacked = &quote.as_ref()?.stacked;
            (!stacked.is_empty())
                .then(|| stacked.iter().map(|id| &**id).collect::<Vec<_>>().join(","))
        })
        .collect();
    let money = |get: fn(&Quote) -> Decimal| -> ArrayRef {
        let values: Vec<Option<Decimal>> = quotes.iter().map(|q| q.as_ref().map(get)).collect();
        let scale = values
            .iter()
            .flatten()
            .map(Decimal::scale)
            .max()
            .unwrap_or(2);
        let mantissas: Vec<Option<i128>> = values
            .iter()
            .map(|value| {
                value.map(|mut value| {
                    value.rescale(scale);
                    value.mantissa()
                })
            })
            .collect();
        let array = Decimal128Array::from(mantissas)
            .with_precision_and_scale(38, i8::try_from(scale).unwrap_or(28))
            .unwrap_or_else(|_| Decimal128Array::from(vec![None::<i128>; quotes.len()]));
        Arc::new(array)
    };
    let rule: ArrayRef = match DictionaryArray::<Int32Type>::try_new(
        Int32Array::from(rule_keys),
        Arc::new(StringArray::from(rules)),
    ) {
        Ok(array) => Arc::new(array),
        Err(_) => arrow_array::new_null_array(
            &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            quotes.len(),
        ),
    };
    let arrays = vec![
        rule,
        Arc::new(StringArray::from(stacked)) as ArrayRef,
        money(|q| q.net_price),
        money(|q| q.line_total),
    ];
    let fields: Vec<Field> = ["rule", "stacked", "net_price", "line_total"]
        .iter()
        .zip(&arrays)
        .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    RecordBatch::try_new(schema.clone(), arrays).unwrap_or_else(|_| RecordBatch::new_empty(schema))
}
