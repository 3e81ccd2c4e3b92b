//! `custclass`: classify customer files, filter and count segments, price
//! order lines, turn webshop payloads into customers and ERP bodies, check
//! setups, run the demo.
//!
//! Exit codes: 0 all good; 1 some rows were rejected (the rest were still
//! written), a payload was refused, or the setup has problems; 2 the
//! command could not run at all.

// Library code indexes only through `get`: an index out of bounds would be a
// panic in the host. (Tests index freely: a failed index is a failed test.)
#![deny(clippy::indexing_slicing)]

mod connect;
mod customers;
mod input;
mod output;
mod pg;
mod price;
mod progress;
mod segments;
mod signals;
mod sink;
mod summary;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use custclass::RowProblem;
use custclass::customer_file::CsvOptions;
use custclass::order_file::CsvOrderLines;
use custclass::{Encoding, Engine, Setup, SetupError, UnknownColumns};

use customers::Customers;
use output::{Destination, Output};
use sink::Sink;
use summary::Summary;

/// The bundled example: the setup and customers of a Dutch car-parts company.
const EXAMPLE_SETUP: &str = include_str!("../../examples/setup.json");
const EXAMPLE_CUSTOMERS: &str = include_str!("../../examples/customers.csv");

#[derive(Parser)]
#[command(
    name = "custclass",
    version,
    about = "Label, group and account for customers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Classify the bundled example customers with the bundled setup, print
    /// a summary and write the report.
    Demo {
        /// Where to write the classification report.
        #[arg(long, default_value = "custclass-demo.csv")]
        out: PathBuf,
    },
    /// Classify a customer file (CSV with `;` or `,`, or JSON lines): read
    /// whole into a table, classified column by column on every core.
    Classify {
        /// The setup file (JSON).
        #[arg(long)]
        setup: PathBuf,
        /// The customers: `.jsonl`/`.ndjson` for JSON lines, anything else CSV;
        /// `-` for standard input.
        input: PathBuf,
        /// Output file; standard output when missing or `-`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Output format; from the output file's extension, else CSV.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// The input's encoding when it has no byte-order mark: utf-8
        /// (the default), utf-16le, utf-16be, windows-1252 or latin1.
        #[arg(long, value_parser = parse_encoding)]
        encoding: Option<Encoding>,
        /// Classify even when an attribute column is not declared by the
        /// setup, or one the rules test is missing: each is a warning on
        /// standard error instead of an error.
        #[arg(long)]
        allow_unknown_columns: bool,
    },
    /// Price order lines (CSV: customer, item, item_group, list_price,
    /// quantity, date, currency) for the customers of a customer file.
    Price {
        /// The setup file (JSON).
        #[arg(long)]
        setup: PathBuf,
        /// The customers: `.jsonl`/`.ndjson` for JSON lines, anything else CSV;
        /// `-` for standard input.
        #[arg(long)]
        customers: PathBuf,
        /// The order lines (CSV with `;` or `,`); `-` for standard input.
        lines: PathBuf,
        /// Output file; standard output when missing or `-`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print every price rule's verdict for each line instead of CSV.
        #[arg(long)]
        explain: bool,
        /// Both files' encoding when they have no byte-order mark: utf-8
        /// (the default), utf-16le, utf-16be, windows-1252 or latin1.
        #[arg(long, value_parser = parse_encoding)]
        encoding: Option<Encoding>,
    },
    /// Select the customers of a segment from a customer file (CSV) and write
    /// them as CSV: a marketing list, a filtered export.
    Filter {
        /// The setup file (JSON).
        #[arg(long)]
        setup: PathBuf,
        /// The segment, in the expression language
        /// (`country = 'DK' and channel = 'webshop'`).
        #[arg(long = "where", required_unless_present = "where_file")]
        segment: Option<String>,
        /// A file holding the segment's expression: for one too long for
        /// the command line (a list of 20,000 customer numbers).
        #[arg(long = "where-file", conflicts_with = "segment")]
        where_file: Option<PathBuf>,
        /// The columns to write, comma-separated; every column when missing.
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// Test the values stored on the record for the classification
        /// targets (slots, type, group, price group, accounts), not those a
        /// customer has once classified.
        #[arg(long)]
        stored: bool,
        /// The customers (CSV with `;` or `,`); `-` for standard input.
        input: PathBuf,
        /// Output file; standard output when missing or `-`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The input's encoding when it has no byte-order mark: utf-8
        /// (the default), utf-16le, utf-16be, windows-1252 or latin1.
        #[arg(long, value_parser = parse_encoding)]
        encoding: Option<Encoding>,
    },
    /// Count the customers of many segments of a customer file in one pass
    /// (a marketing overview): one CSV row per segment,
    /// `segment;expression;customers`.
    Segments {
        /// The setup file (JSON).
        #[arg(long)]
        setup: PathBuf,
        /// A segment, `NAME=EXPRESSION` (`dutch=country = 'NL'`); repeat
        /// for each, up to 64. A rule for everyone is `all=true`.
        #[arg(long = "segment", required = true, value_parser = segments::parse_segment)]
        segments: Vec<(String, String)>,
        /// Test the values stored on the record for the classification
        /// targets (slots, type, group, price group, accounts), not those a
        /// customer has once classified.
        #[arg(long)]
        stored: bool,
        /// The customers: `.jsonl`/`.ndjson` for JSON lines, anything else CSV;
        /// `-` for standard input.
        input: PathBuf,
        /// Output file; standard output when missing or `-`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The input's encoding when it has no byte-order mark: utf-8
        /// (the default), utf-16le, utf-16be, windows-1252 or latin1.
        #[arg(long, value_parser = parse_encoding)]
        encoding: Option<Encoding>,
    },
    /// Read a webshop's customer payload (a webhook body, a REST answer) as
    /// a customer with its findings, or with `--to` as the body an ERP's
    /// API takes; one JSON document, or JSON lines with `--lines`.
    Connect {
        /// The platform the payload comes from.
        #[arg(long, value_enum)]
        from: connect::Platform,
        /// The ERP to make the body for; the customer as read when missing.
        #[arg(long, value_enum, requires = "setup")]
        to: Option<connect::System>,
        /// The setup file (JSON) with its `erp` section: the customer is
        /// classified with it and mapped to the ERP's numbers (with `--to`).
        #[arg(long, requires = "to")]
        setup: Option<PathBuf>,
        /// WooCommerce: a `meta_data` key that may hold the VAT number;
        /// repeat in order of preference. Missing: the keys the common EU
        /// VAT plugins use.
        #[arg(long = "vat-meta-key", value_name = "KEY")]
        vat_meta_keys: Vec<String>,
        /// The input is JSON lines: one payload per line, each written or
        /// rejected on its own.
        #[arg(long, conflicts_with = "secret_env")]
        lines: bool,
        /// Verify the webhook's signature before reading it, with the
        /// secret in this environment variable (not on the command line,
        /// where other users see it).
        #[arg(long, value_name = "VARIABLE")]
        secret_env: Option<std::ffi::OsString>,
        /// The signature header's value (`X-Shopify-Hmac-Sha256`,
        /// `X-WC-Webhook-Signature`); missing, the webhook is refused as
        /// unsigned.
        #[arg(long, requires = "secret_env")]
        signature: Option<String>,
        /// The payload (JSON); `-` for standard input.
        input: PathBuf,
        /// Output file; standard output when missing or `-`.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Label the customers of a PostgreSQL table where they live: in bulk
    /// (`pg classify`), and every new or changed one as it is saved
    /// (`pg install`, then `pg watch`).
    #[command(subcommand)]
    Pg(pg::PgCommand),
    /// Check a setup file and list every problem with its path and code.
    CheckSetup {
        /// The setup file (JSON).
        file: PathBuf,
    },
    /// Print the JSON Schema of the setup file.
    Schema,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Semicolon-separated classification report with provenance columns.
    Csv,
    /// One JSON object per customer: the customer with its assigned values,
    /// and the full classification.
    Jsonl,
}

/// A failure that stops the command, with what to tell the user.
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(err: E) -> Fatal {
        Fatal(err.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Demo { out } => demo(&out),
        Command::Classify {
            setup,
            input,
            out,
            format,
            encoding,
            allow_unknown_columns,
        } => {
            let unknown = match allow_unknown_columns {
                true => UnknownColumns::Warn,
                false => UnknownColumns::Refuse,
            };
            classify(&setup, &input, out.as_deref(), format, encoding, unknown)
        }
        Command::Price {
            setup,
            customers,
            lines,
            out,
            explain,
            encoding,
        } => price_lines(
            &setup,
            &customers,
            &lines,
            out.as_deref(),
            explain,
            encoding,
        ),
        Command::Filter {
            setup,
            segment,
            where_file,
            columns,
            stored,
            input,
            out,
            encoding,
        } => filter(
            &setup,
            Segment {
                text: segment,
                file: where_file,
                stored,
            },
            &columns,
            &input,
            out.as_deref(),
            encoding,
        ),
        Command::Segments {
            setup,
            segments,
            stored,
            input,
            out,
            encoding,
        } => segments::segments(
            &setup,
            segments::Segments { segments, stored },
            &input,
            out.as_deref(),
            encoding,
        ),
        Command::Connect {
            from,
            to,
            setup,
            vat_meta_keys,
            lines,
            secret_env,
            signature,
            input,
            out,
        } => connect::connect(connect::Connect {
            from,
            to,
            setup,
            vat_meta_keys,
            lines,
            secret_env,
            signature,
            input,
            out,
        }),
        Command::Pg(command) => pg::pg(command),
        Command::CheckSetup { file } => check_setup(&file),
        Command::Schema => schema(),
    };
    outcome.unwrap_or_else(|Fatal(message)| {
        if output::reader_gone() {
            // `custclass … | head`: the reader has what it wanted.
            return ExitCode::SUCCESS;
        }
        eprintln!("custclass: {message}");
        ExitCode::from(2)
    })
}

fn schema() -> Result<ExitCode, Fatal> {
    let mut stdout = Output::stdout();
    writeln!(stdout, "{:#}", Setup::json_schema())?;
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn demo(out: &Path) -> Result<ExitCode, Fatal> {
    let engine = Engine::new(Setup::from_json(EXAMPLE_SETUP)?)?;
    let mut customers = Customers::open(
        Path::new("examples/customers.csv"),
        Box::new(EXAMPLE_CUSTOMERS.as_bytes()),
        None,
    )?;
    let mut file = Destination::new(Some(out), &[])?.create()?;
    let summary = run(&engine, &mut customers, &mut file, Format::Csv)?;
    file.finish()?;
    let mut stdout = Output::stdout();
    writeln!(
        stdout,
        "custclass demo: the bundled setup (examples/setup.json) on the bundled customers (examples/customers.csv)\n"
    )?;
    write!(stdout, "{}", summary.render(&engine))?;
    writeln!(stdout, "\nReport written to {}", out.display())?;
    stdout.finish()?;
    Ok(summary.exit_code())
}

fn classify(
    setup: &Path,
    input: &Path,
    out: Option<&Path>,
    format: Option<Format>,
    encoding: Option<Encoding>,
    unknown: UnknownColumns,
) -> Result<ExitCode, Fatal> {
    let destination = Destination::new(out, &[setup, input])?;
    let engine =
        Engine::new(read_setup(setup)?).map_err(|err| Fatal(describe_setup(setup, &err)))?;
    let format = format.unwrap_or(match out {
        Some(path) if is_json_lines(path) => Format::Jsonl,
        _ => Format::Csv,
    });
    // Read the header before creating the output, so that a file that can't
    // be read leaves no empty output behind.
    let bar = progress::reading(input);
    let reader = Box::new(bar.wrap_read(input::open(input)?));
    let mut customers = Customers::open(input, reader, encoding)?;
    if let Some(columns) = customers.columns() {
        let checked = engine.check_columns(columns.iter().map(String::as_str), unknown);
        let warnings = checked.map_err(|err| {
            Fatal(format!(
                "{}: {err} ({}); --allow-unknown-columns reads it anyway",
                input::name(input),
                err.code()
            ))
        })?;
        for warning in warnings {
            eprintln!(
                "warning: {}: {warning} ({})",
                input::name(input),
                warning.code()
            );
        }
    }
    let mut output = destination.create()?;
    let summary = run(&engine, &mut customers, &mut output, format)
        .map_err(|Fatal(message)| Fatal(format!("{}: {message}", input::name(input))))?;
    output.finish()?;
    bar.finish_and_clear();
    eprint!("{}", summary.render(&engine));
    if let Some(path) = out.filter(|path| !input::is_stdin(path)) {
        eprintln!("\nOutput written to {}", path.display());
    }
    Ok(summary.exit_code())
}

fn price_lines(
    setup: &Path,
    customers: &Path,
    lines: &Path,
    out: Option<&Path>,
    explain: bool,
    encoding: Option<Encoding>,
) -> Result<ExitCode, Fatal> {
    input::one_stdin(&[customers, lines])?;
    let destination = Destination::new(out, &[setup, customers, lines])?;
    let engine =
        Engine::new(read_setup(setup)?).map_err(|err| Fatal(describe_setup(setup, &err)))?;
    let mut tally = price::Tally::default();
    let mut file = Customers::open(customers, input::open(customers)?, encoding)?;
    let customers = price::customers_by_id(&mut file, &mut tally)
        .map_err(|Fatal(message)| Fatal(format!("{}: {message}", input::name(customers))))?;
    let mut options = CsvOptions::default();
    if let Some(encoding) = encoding {
        options = options.encoding(encoding);
    }
    let order = CsvOrderLines::with_options(input::open(lines)?, &options)
        .map_err(|err| Fatal(format!("{}: {err} ({})", input::name(lines), err.code())))?;
    let mut output = destination.create()?;
    price::price(&engine, &customers, order, &mut output, explain, &mut tally)
        .map_err(|Fatal(message)| Fatal(format!("{}: {message}", input::name(lines))))?;
    output.finish()?;
    tally.rejected.sort_by_key(|(line, _)| *line);
    for (_, problem) in &tally.rejected {
        eprintln!("rejected: {problem}");
    }
    // A line with two bad cells is one rejected line; the customer file's
    // rows (line 0 here) are counted apart.
    let mut lines: Vec<u64> = tally.rejected.iter().map(|(line, _)| *line).collect();
    lines.dedup();
    let customer_rows = tally.rejected.iter().filter(|(line, _)| *line == 0).count();
    let order_lines = lines.iter().filter(|line| **line > 0).count();
    let customer_rows = match customer_rows {
        0 => String::new(),
        rows => format!("; {rows} customer row(s) rejected"),
    };
    eprintln!(
        "{} line(s) priced, {order_lines} rejected{customer_rows}",
        tally.priced
    );
    Ok(if tally.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A segment's expression: given on the command line or in a file.
struct Segment {
    text: Option<String>,
    file: Option<PathBuf>,
    /// Whether the segment tests stored values only (`--stored`).
    stored: bool,
}

impl Segment {
    /// The expression, and how to name it in a message.
    fn read(self) -> Result<(String, String), Fatal> {
        match (self.text, self.file) {
            (Some(text), _) => Ok((text, "--where".to_owned())),
            (None, Some(file)) => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|err| Fatal(format!("{}: {err}", file.display())))?;
                Ok((text, format!("--where-file {}", file.display())))
            }
            (None, None) => Err(Fatal(
                "give the segment: --where or --where-file".to_owned(),
            )),
        }
    }
}

fn filter(
    setup: &Path,
    segment: Segment,
    columns: &[String],
    input: &Path,
    out: Option<&Path>,
    encoding: Option<Encoding>,
) -> Result<ExitCode, Fatal> {
    let mut inputs = vec![setup, input];
    inputs.extend(segment.file.as_deref());
    let destination = Destination::new(out, &inputs)?;
    let engine =
        Engine::new(read_setup(setup)?).map_err(|err| Fatal(describe_setup(setup, &err)))?;
    let stored = segment.stored;
    let (expression, source) = segment.read()?;
    let compiled = match stored {
        true => engine.segment_stored(&expression),
        false => engine.segment(&expression),
    };
    let segment = compiled.map_err(|err| {
        Fatal(format!(
            "{source}: {err} ({}){}",
            err.code(),
            caret(&expression, err.offset())
        ))
    })?;
    let name = input::name(input);
    let bar = progress::reading(input);
    let reader = Box::new(bar.wrap_read(input::open(input)?));
    let mut customers = Customers::open(input, reader, encoding)?;
    let all = customers.columns().unwrap_or_default();
    let columns: Vec<&str> = match columns.is_empty() {
        true => all.iter().map(String::as_str).collect(),
        false => columns.iter().map(String::as_str).collect(),
    };
    let mut output = destination.create()?;
    let (mut read, mut selected, mut rejected, mut not_judged) = (0, 0, 0, 0);
    let mut header = true;
    let mut empty = segments::EmptyColumns::default();
    let mut out = BufWriter::new(&mut output);
    while let Some(chunk) = customers
        .next()
        .map_err(|Fatal(message)| Fatal(format!("{name}: {message}")))?
    {
        let selection = segment.filter(&chunk.table);
        empty.see(chunk.table.len(), selection.warnings());
        chunk
            .table
            .write_csv_rows(&mut out, &columns, selection.rows(), header)
            .map_err(|err| format!("{err} ({})", err.code()))?;
        header = false;
        let bad_rows = chunk.report(selection.rejected());
        read += chunk.table.len() + bad_rows;
        selected += selection.count();
        rejected += bad_rows;
        not_judged += selection.rejected().len();
    }
    out.flush()?;
    drop(out);
    output.finish()?;
    bar.finish_and_clear();
    empty.print();
    eprintln!(
        "{read} customers read: {selected} in the segment, {rejected} rows rejected, {not_judged} not judged"
    );
    Ok(if rejected == 0 && not_judged == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The expression with a caret under byte `offset`, for an error message.
fn caret(expression: &str, offset: usize) -> String {
    let column = expression
        .get(..offset.min(expression.len()))
        .map_or(0, |head| head.chars().count());
    format!("\n  {expression}\n  {}^", " ".repeat(column))
}

/// Reads an `--encoding` label.
fn parse_encoding(label: &str) -> Result<Encoding, String> {
    label
        .parse()
        .map_err(|err: custclass::encoding::UnknownEncoding| err.to_string())
}

pub(crate) fn is_json_lines(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "jsonl" || ext == "ndjson")
}

fn read_setup(path: &Path) -> Result<Setup, Fatal> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    Setup::from_json(&text).map_err(|err| Fatal(describe_setup(path, &err)))
}

fn describe_setup(path: &Path, err: &SetupError) -> String {
    let mut text = format!("{}: {} problem(s)\n", path.display(), err.problems.len());
    for problem in &err.problems {
        text.push_str(&format!(
            "  {}  [{}]  {}\n",
            problem.path,
            problem.code(),
            problem.kind
        ));
    }
    text
}

fn check_setup(path: &Path) -> Result<ExitCode, Fatal> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    match Setup::from_json(&text).and_then(|setup| setup.validate().map(|()| setup)) {
        Ok(setup) => {
            println!(
                "{}: no problems ({} slots, {} types, {} groups, {} price groups, {} rules)",
                path.display(),
                setup.slots.len(),
                setup.types.len(),
                setup.groups.len(),
                setup.price_groups.len(),
                setup.rules.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprint!("{}", describe_setup(path, &err));
            Ok(ExitCode::from(1))
        }
    }
}

/// Classifies the file a chunk at a time, writes each good row, counts
/// everything, and keeps each bad row for the summary.
fn run<W: Write>(
    engine: &Engine,
    customers: &mut Customers,
    output: W,
    format: Format,
) -> Result<Summary, Fatal> {
    let mut summary = Summary::default();
    let mut sink = Sink::new(output, engine, format)?;
    while let Some(chunk) = customers.next()? {
        chunk
            .problems
            .iter()
            .for_each(|problem| summary.reject(problem));
        let table = &chunk.table;
        let classified = engine.par_classify_table(table);
        sink.write_table(table, &classified)?;
        summary.count_table(engine, &classified);
        for (row, err) in classified.errors() {
            let (Some(&line), Some(&at), Some(customer)) = (
                chunk.lines.get(row),
                chunk.rows.get(row),
                table.customer(row),
            ) else {
                continue;
            };
            summary.reject(&RowProblem::from_customer(
                at,
                Some(line),
                Some(&customer.id.0),
                err,
            ));
        }
    }
    sink.finish()?;
    summary.lines(customers.lines_read());
    Ok(summary)
}
