//! `custclass price`: prices the lines of an order file for the customers of
//! a customer file, writing each line's price with the rule that set it and
//! a short reason, or with `--explain`, every rule's verdict.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use custclass::order_file::CsvOrderLines;
use custclass::{Customer, Engine, ErrorJson, PriceRequest, Quote};

use crate::Fatal;
use crate::customers::Customers;

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
    /// What was rejected: the line of the order file (0 for the customer
    /// file's rows, listed first), and why.
    pub(crate) rejected: Vec<(u64, String)>,
}

/// Reads the customers into a map by id; rows that can't be read (a
/// customer listed twice among them) are rejections, named in the tally.
pub(crate) fn customers_by_id(
    file: &mut Customers,
    tally: &mut Tally,
) -> Result<HashMap<String, Customer>, Fatal> {
    let mut customers = HashMap::new();
    while let Some(chunk) = file.next()? {
        for problem in &chunk.problems {
            tally.rejected.push((
                0,
                format!(
                    "customers line {}: {} ({})",
                    problem.line.unwrap_or_default(),
                    problem.message,
                    problem.code
                ),
            ));
        }
        for row in 0..chunk.table.len() {
            if let Some(customer) = chunk.table.customer(row) {
                customers.insert(customer.id.0.clone(), customer);
            }
        }
    }
    Ok(customers)
}

/// Prices every line of `lines` and writes the result to `out`: a
/// semicolon-separated file, or with `explain`, a text block per line.
pub(crate) fn price<R: BufRead>(
    engine: &Engine,
    customers: &HashMap<String, Customer>,
    lines: CsvOrderLines<R>,
    out: impl Write,
    explain: bool,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    let mut writer = Output::new(out, explain)?;
    let mut order: Vec<Line> = Vec::new();
    for (number, line) in lines {
        let (customer, request) = match line {
            Ok(line) => line,
            Err(problems) => {
                for problem in problems {
                    let message = format!("line {number}: {} ({})", problem.message, problem.code);
                    tally.rejected.push((number, message));
                }
                continue;
            }
        };
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
            let message = format!(
                "line {}: customer '{}' is not in the customer file",
                line.number, line.customer
            );
            tally.rejected.push((line.number, message));
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
    let message = format!(
        "line {}: {} ({})",
        line.number,
        err.kind,
        ErrorJson::code(err)
    );
    tally.rejected.push((line.number, message));
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
