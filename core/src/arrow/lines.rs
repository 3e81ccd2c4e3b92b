//! Order lines from Arrow, priced in bulk: the lines of each customer are
//! priced together by [`Engine::price_lines`], so a customer is classified
//! once however many lines it has, and the answer is the one a line gets
//! on its own.

use std::collections::BTreeSet;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::read::{self, Kind};
use super::{ArrowCustomers, RowProblem, threads};
use crate::customer::{CurrencyCode, Customer};
use crate::engine::Engine;
use crate::error::TableError;
use crate::pricing::{PriceRequest, Quote, RuleId};
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
        let rejected: BTreeSet<usize> = problems.iter().map(|p| p.row).collect();

        // Each line's customer, as an index into `people`.
        let (people, person_of_line) = match customers {
            Some(customers) => by_id(&lines, customers, rows, &mut problems),
            None => by_columns(&lines, read.customers, rows),
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
            price_group(self, &customer, rows, &lines)
        });
        let mut prices: Vec<Option<Priced>> = vec![None; rows];
        for (answers, trouble) in priced {
            for answer in answers {
                if let Some(place) = prices.get_mut(answer.row) {
                    *place = Some(answer.price);
                }
            }
            problems.extend(trouble);
        }
        problems.sort_by_key(|problem| problem.row);
        Ok((quotes_batch(&prices), problems))
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
            return Err(crate::customer::fields::unknown_column(name, position));
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

/// What a priced line keeps of its quote.
#[derive(Debug, Clone)]
struct Priced {
    rule: Option<RuleId>,
    /// The stackable rules applied, comma-separated.
    stacked: Option<Box<str>>,
    net_price: Decimal,
    line_total: Decimal,
}

impl From<Quote> for Priced {
    fn from(quote: Quote) -> Priced {
        let stacked = (!quote.stacked.is_empty()).then(|| {
            let ids: Vec<&str> = quote.stacked.iter().map(|id| &**id).collect();
            ids.join(",").into_boxed_str()
        });
        Priced {
            rule: quote.rule,
            stacked,
            net_price: quote.net_price,
            line_total: quote.line_total,
        }
    }
}

/// A priced line of the input.
struct Answer {
    row: usize,
    price: Priced,
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
    /// Per code of the currency column, its currency: read once per
    /// distinct code, not once per line.
    currencies: Vec<Option<CurrencyCode>>,
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
        let currency = text("currency");
        let currencies = std::iter::once(None)
            .chain(
                currency
                    .into_iter()
                    .flat_map(|column| column.values.iter())
                    .map(|code| CurrencyCode::try_from(code.to_owned()).ok()),
            )
            .collect();
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
            currency,
            currencies,
        }
    }

    fn currency(&self, row: usize) -> Option<CurrencyCode> {
        let code = self.currency?.codes.get(row);
        *self.currencies.get(code as usize)?
    }

    fn customer_id(&self, row: usize) -> Option<String> {
        Some(self.customer?.get(row)?.to_owned())
    }

    /// Line `row` as a new request, or the first required column it lacks.
    fn request(&self, row: usize) -> Result<PriceRequest, &'static str> {
        let currency = self.currency(row);
        Ok(PriceRequest {
            item: self.item.and_then(|c| c.get(row)).ok_or("item")?.to_owned(),
            item_group: self.item_group.and_then(|c| c.get(row)).map(str::to_owned),
            list_price: self
                .list_price
                .and_then(|c| c.get(row))
                .ok_or("list_price")?,
            quantity: self.quantity.and_then(|c| c.get(row)).ok_or("quantity")?,
            date: self.date.and_then(|c| c.get(row)).ok_or("date")?,
            currency: currency.ok_or("currency")?,
        })
    }

    /// Writes line `row` into `request` (reusing its strings), or names
    /// the first required column the line lacks.
    fn fill(&self, row: usize, request: &mut PriceRequest) -> Result<(), &'static str> {
        let currency = self.currency(row);
        let item = self.item.and_then(|c| c.get(row)).ok_or("item")?;
        request.list_price = self
            .list_price
            .and_then(|c| c.get(row))
            .ok_or("list_price")?;
        request.quantity = self.quantity.and_then(|c| c.get(row)).ok_or("quantity")?;
        request.date = self.date.and_then(|c| c.get(row)).ok_or("date")?;
        request.currency = currency.ok_or("currency")?;
        request.item.clear();
        request.item.push_str(item);
        match self.item_group.and_then(|c| c.get(row)) {
            Some(group) => {
                let kept = request.item_group.get_or_insert_with(String::new);
                kept.clear();
                kept.push_str(group);
            }
            None => request.item_group = None,
        }
        Ok(())
    }
}

/// Lines priced per call: enough that a call's fixed cost (classifying the
/// customer, finding its price book buckets) vanishes, few enough that the
/// requests' strings are reused from call to call.
const CHUNK: usize = 512;

/// Prices the lines `rows` of one customer, `CHUNK` at a time: each line
/// that can be priced gets its price, each other one a problem (a line the
/// engine refuses is taken out and the rest of its chunk priced again).
fn price_group(
    engine: &Engine,
    customer: &Customer,
    rows: &[usize],
    lines: &Lines<'_>,
) -> (Vec<Answer>, Vec<RowProblem>) {
    let mut answers = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut requests: Vec<PriceRequest> = Vec::with_capacity(CHUNK.min(rows.len()));
    let mut pending: Vec<usize> = Vec::with_capacity(CHUNK.min(rows.len()));
    for chunk in rows.chunks(CHUNK) {
        pending.clear();
        let mut used = 0;
        for &row in chunk {
            // The chunk's requests overwrite the last chunk's, keeping the
            // strings' memory.
            let filled = match requests.get_mut(used) {
                Some(request) => lines.fill(row, request),
                None => lines.request(row).map(|request| requests.push(request)),
            };
            match filled {
                Ok(()) => {
                    pending.push(row);
                    used += 1;
                }
                Err(column) => problems.push(RowProblem {
                    row,
                    line: None,
                    id: lines.customer_id(row),
                    column: Some(column.to_owned()),
                    code: "invalid_field".to_owned(),
                    message: format!("{column}: a line needs a {}", column.replace('_', " ")),
                }),
            }
        }
        requests.truncate(used);
        loop {
            match engine.price_lines(customer, &requests) {
                Ok(quotes) => {
                    answers.extend(pending.iter().zip(quotes).map(|(&row, quote)| Answer {
                        row,
                        price: Priced::from(quote),
                    }));
                    break;
                }
                Err(error) => {
                    let at = error.line.unwrap_or(0);
                    if at >= pending.len() {
                        break;
                    }
                    let row = pending.remove(at);
                    requests.remove(at);
                    // The line's own column at fault (not an amount it
                    // computed).
                    let column = error
                        .kind
                        .field()
                        .filter(|field| PriceRequest::COLUMNS.contains(field));
                    problems.push(RowProblem {
                        row,
                        line: None,
                        id: lines.customer_id(row),
                        column: column.map(str::to_owned),
                        code: error.code().to_owned(),
                        message: error.kind.to_string(),
                    });
                }
            }
        }
    }
    (answers, problems)
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
        let id = lines.customer.and_then(|column| column.get(line));
        let person = id.and_then(|id| row_of.get(id)).map(|&row| {
            *person_of_row.entry(row).or_insert_with(|| {
                people.push(table.customer(row).unwrap_or_default());
                people.len() - 1
            })
        });
        if person.is_none() {
            problems.push(RowProblem {
                row: line,
                line: None,
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
    if let Some(ids) = lines.customer {
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
fn quotes_batch(quotes: &[Option<Priced>]) -> RecordBatch {
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
    let stacked: Vec<Option<&str>> = quotes
        .iter()
        .map(|quote| quote.as_ref()?.stacked.as_deref())
        .collect();
    let money = |get: fn(&Priced) -> Decimal| -> ArrayRef {
        let values: Vec<Option<Decimal>> = quotes.iter().map(|q| q.as_ref().map(get)).collect();
        super::write::decimal_array(&values, 2).unwrap_or_else(|| {
            arrow_array::new_null_array(&DataType::Decimal128(38, 2), quotes.len())
        })
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
        money(|p| p.net_price),
        money(|p| p.line_total),
    ];
    let fields: Vec<Field> = ["rule", "stacked", "net_price", "line_total"]
        .iter()
        .zip(&arrays)
        .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    RecordBatch::try_new(schema.clone(), arrays).unwrap_or_else(|_| RecordBatch::new_empty(schema))
}
