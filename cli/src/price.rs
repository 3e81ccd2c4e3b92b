//! `custclass price`: prices the lines of an order file for the customers of
//! a customer file, writing each line's price with the rule that set it and
//! a short reason, or with `--explain`, every rule's verdict.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use custclass::customer_file::Row;
use custclass::{Customer, Engine, ErrorJson, PriceRequest, Quote};
use serde_json::{Map, Value};

use crate::Fatal;

/// One line of the order file, read.
struct Line {
    /// 1-based line number in the file.
    number: u64,
    customer: String,
    request: PriceRequest,
}

/// What happened to the lines.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) priced: usize,
    pub(crate) rejected: Vec<String>,
}

/// Reads the customers into a map by id; rows that can't be read are
/// rejections, named in the tally.
pub(crate) fn customers_by_id(
    rows: impl Iterator<Item = Row>,
    tally: &mut Tally,
) -> HashMap<String, Customer> {
    let mut customers = HashMap::new();
    for (line, row) in rows {
        match row {
            Ok(customer) => {
                customers.insert(customer.id.0.clone(), customer);
            }
            Err(errors) => {
                for error in errors {
                    tally
                        .rejected
                        .push(format!("customers line {line}: {}", error.message));
                }
            }
        }
    }
    customers
}

/// Prices every line of `lines` and writes the result to `out`: a
/// semicolon-separated file, or with `explain`, a text block per line.
pub(crate) fn price(
    engine: &Engine,
    customers: &HashMap<String, Customer>,
    mut lines: impl BufRead,
    out: impl Write,
    explain: bool,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    let delimiter = sniff(lines.fill_buf()?);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(lines);
    let headers = reader.headers()?.clone();
    let position: Vec<Option<usize>> = PriceRequest::COLUMNS
        .iter()
        .map(|column| headers.iter().position(|header| header.trim() == *column))
        .collect();
    for (column, found) in PriceRequest::COLUMNS.iter().zip(&position) {
        if found.is_none() && *column != "item_group" {
            return Err(Fatal(format!("the order file has no '{column}' column")));
        }
    }
    let mut writer = Output::new(out, explain)?;
    let mut order: Vec<Line> = Vec::new();
    for record in reader.records() {
        let record = record?;
        let number = record.position().map_or(0, |p| p.line());
        let field = |name: &str| {
            let at = PriceRequest::COLUMNS.iter().position(|c| *c == name)?;
            let value = record.get((*position.get(at)?)?)?.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        let object: Map<String, Value> = PriceRequest::COLUMNS
            .iter()
            .skip(1)
            .filter_map(|name| Some(((*name).to_owned(), Value::String(field(name)?))))
            .collect();
        let request = match PriceRequest::from_json(&Value::Object(object).to_string()) {
            Ok(request) => request,
            Err(err) => {
                tally
                    .rejected
                    .push(format!("line {number}: {} ({})", err, err.code()));
                continue;
            }
        };
        let customer = field("customer").unwrap_or_default();
        // Lines of one customer in a row are one order: priced in one call.
        if order.last().is_some_and(|last| last.customer != customer) {
            price_order(engine, customers, &order, &mut writer, tally)?;
            order.clear();
        }
        order.push(Line {
            number,
            customer,
            request,
        });
    }
    price_order(engine, customers, &order, &mut writer, tally)?;
    writer.finish()
}

/// The delimiter of the header line: `;` when it has one, else `,`.
fn sniff(head: &[u8]) -> u8 {
    let header = head.split(|b| *b == b'\n').next().unwrap_or_default();
    if header.contains(&b';') { b';' } else { b',' }
}

fn price_order(
    engine: &Engine,
    customers: &HashMap<String, Customer>,
    order: &[Line],
    writer: &mut Output<impl Write>,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    let Some(first) = order.first() else {
        return Ok(());
    };
    let Some(customer) = customers.get(&first.customer) else {
        for line in order {
            tally.rejected.push(format!(
                "line {}: customer '{}' is not in the customer file",
                line.number, line.customer
            ));
        }
        return Ok(());
    };
    if writer.explains() {
        for line in order {
            match engine.price(customer, &line.request) {
                Ok(quote) => writer.write(engine, line, &quote, tally)?,
                Err(err) => reject(tally, line, &err),
            }
        }
        return Ok(());
    }
    let requests: Vec<PriceRequest> = order.iter().map(|line| line.request.clone()).collect();
    match engine.price_lines(customer, &requests) {
        Ok(quotes) => {
            for (line, quote) in order.iter().zip(&quotes) {
                writer.write(engine, line, quote, tally)?;
            }
        }
        // Price the lines one by one to keep the good ones and name every
        // bad one.
        Err(_) => {
            for line in order {
                match engine.price_lines(customer, std::slice::from_ref(&line.request)) {
                    Ok(quotes) => {
                        for quote in &quotes {
                            writer.write(engine, line, quote, tally)?;
                        }
                    }
                    Err(err) => reject(tally, line, &err),
                }
            }
        }
    }
    Ok(())
}

fn reject(tally: &mut Tally, line: &Line, err: &custclass::PricingError) {
    tally.rejected.push(format!(
        "line {}: {} ({})",
        line.number,
        err.kind,
        ErrorJson::code(err)
    ));
}

/// The rules that set the price, for people: the chosen one and those
/// stacked on top.
fn reason(engine: &Engine, quote: &Quote) -> String {
    let rules = &engine.setup().pricing.rules;
    let described: Vec<String> = quote
        .rule
        .iter()
        .chain(&quote.stacked)
        .filter_map(|id| rules.iter().find(|rule| *rule.id == **id))
        .map(ToString::to_string)
        .collect();
    if described.is_empty() {
        "no price rule applies: list price".to_owned()
    } else {
        described.join(" + ")
    }
}

/// Where priced lines go: a semicolon-separated file, or a text block per
/// line with every rule's verdict.
enum Output<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Explained(W),
}

impl<W: Write> Output<W> {
    fn new(out: W, explain: bool) -> Result<Output<W>, Fatal> {
        if explain {
            return Ok(Output::Explained(out));
        }
        let mut csv = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
        csv.write_record([
            "line",
            "customer",
            "item",
            "quantity",
            "currency",
            "list_price",
            "net_price",
            "discount_percent",
            "discount_amount",
            "line_total",
            "rule",
            "stacked",
            "reason",
        ])?;
        Ok(Output::Csv(Box::new(csv)))
    }

    fn explains(&self) -> bool {
        matches!(self, Output::Explained(_))
    }

    fn write(
        &mut self,
        engine: &Engine,
        line: &Line,
        quote: &Quote,
        tally: &mut Tally,
    ) -> Result<(), Fatal> {
        tally.priced += 1;
        let request = &line.request;
        let rule = quote.rule.as_deref().unwrap_or_default();
        let reason = reason(engine, quote);
        match self {
            Output::Csv(csv) => {
                let stacked: Vec<&str> = quote.stacked.iter().map(|id| &**id).collect();
                csv.write_record([
                    line.number.to_string().as_str(),
                    &line.customer,
                    &request.item,
                    &quote.quantity.to_string(),
                    quote.currency.as_str(),
                    &quote.list_price.to_string(),
                    &quote.net_price.to_string(),
                    &quote.discount_percent().to_string(),
                    &quote.discount_amount().to_string(),
                    &quote.line_total.to_string(),
                    rule,
                    &stacked.join(","),
                    &reason,
                ])?;
            }
            Output::Explained(out) => {
                writeln!(
                    out,
                    "line {}: customer {}, {} × {} at {} {} on {}",
                    line.number,
                    line.customer,
                    request.item,
                    request.quantity,
                    request.list_price,
                    request.currency,
                    request.date
                )?;
                writeln!(
                    out,
                    "  net {} ({}% off), line total {} {}: {}",
                    quote.net_price,
                    quote.discount_percent(),
                    quote.line_total,
                    quote.currency,
                    reason
                )?;
                for candidate in quote.explanation.iter().flatten() {
                    writeln!(out, "    {:<28} {}", candidate.rule, candidate.verdict)?;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Fatal> {
        match self {
            Output::Csv(mut csv) => csv.flush()?,
            Output::Explained(mut out) => out.flush()?,
        }
        Ok(())
    }
}
