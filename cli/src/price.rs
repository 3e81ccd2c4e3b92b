//! `custclass price`: prices the lines of an order file for the customers of
//! a customer file, writing each line's price with the rule that set it and
//! a short reason, or with `--explain`, every rule's verdict.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use custclass::order_file::CsvOrderLines;
use custclass::{Customer, CustomerTable, Engine, ErrorJson, PriceRequest, Quote};

use crate::Fatal;
use crate::customers::Customers as CustomerFile;

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

/// The customers of the customer file as one table, with each id's row.
pub(crate) struct Customers {
    table: CustomerTable,
    row_of: HashMap<String, usize>,
}

/// Reads the customers into one table; rows that can't be read (a
/// customer listed twice among them) are rejections, named in the tally.
pub(crate) fn customers_by_id(
    file: &mut CustomerFile,
    tally: &mut Tally,
) -> Result<Customers, Fatal> {
    let mut customers: Vec<Customer> = Vec::new();
    let mut row_of = HashMap::new();
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
                row_of.insert(customer.id.0.clone(), customers.len());
                customers.push(customer);
            }
        }
    }
    Ok(Customers {
        table: CustomerTable::from_customers(&customers),
        row_of,
    })
}

/// Lines priced per call of the columnar pricer: enough that its set-up
/// vanishes, few enough to stream a large order file.
const LINES_PER_BATCH: usize = 65_536;

/// Prices every line of `lines` and writes the result to `out`: a
/// semicolon-separated file, or with `explain`, a text block per line.
pub(crate) fn price<R: BufRead>(
    engine: &Engine,
    customers: &Customers,
    lines: CsvOrderLines<R>,
    out: impl Write,
    explain: bool,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    let mut writer = Output::new(out, explain)?;
    let mut batch: Vec<Line> = Vec::with_capacity(LINES_PER_BATCH);
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
        batch.push(Line {
            number,
            customer,
            request,
        });
        if batch.len() == LINES_PER_BATCH {
            price_batch(engine, customers, &batch, &mut writer, tally)?;
            batch.clear();
        }
    }
    price_batch(engine, customers, &batch, &mut writer, tally)?;
    writer.finish()
}

/// Prices a batch of lines in one call, or with `--explain`, line by line
/// with every rule's verdict.
fn price_batch(
    engine: &Engine,
    customers: &Customers,
    batch: &[Line],
    writer: &mut Output<impl Write>,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    let mut known: Vec<(&Line, usize)> = Vec::with_capacity(batch.len());
    for line in batch {
        match customers.row_of.get(&line.customer) {
            Some(&row) => known.push((line, row)),
            None => {
                let message = format!(
                    "line {}: customer '{}' is not in the customer file",
                    line.number, line.customer
                );
                tally.rejected.push((line.number, message));
            }
        }
    }
    if writer.explains() {
        for (line, row) in known {
            let customer = customers.table.customer(row).unwrap_or_default();
            match engine.price(&customer, &line.request) {
                Ok(quote) => writer.write(line, &quote, tally)?,
                Err(err) => reject(tally, line, &err),
            }
        }
        return Ok(());
    }
    let requests: Vec<(usize, PriceRequest)> = known
        .iter()
        .map(|(line, row)| (*row, line.request.clone()))
        .collect();
    let quotes = engine.price_rows(&customers.table, &requests);
    for ((line, _), quote) in known.iter().zip(quotes) {
        match quote {
            Ok(quote) => writer.write(line, &quote, tally)?,
            Err(err) => reject(tally, line, &err),
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

    fn write(&mut self, line: &Line, quote: &Quote, tally: &mut Tally) -> Result<(), Fatal> {
        tally.priced += 1;
        let request = &line.request;
        let rule = quote.rule.as_deref().unwrap_or_default();
        let reason = &*quote.reason;
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
                    reason,
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
                    writeln!(out, "    {:<28} {}", candidate.rule, candidate.text)?;
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
