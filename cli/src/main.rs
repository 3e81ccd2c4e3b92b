//! `custclass`: classify customer files, check setups, run the demo.
//!
//! Exit codes: 0 all good; 1 some rows were rejected (the rest were still
//! written) or the setup has problems; 2 the command could not run at all.

// Library code indexes only through `get`: an index out of bounds would be a
// panic in the host. (Tests index freely: a failed index is a failed test.)
#![deny(clippy::indexing_slicing)]

mod output;
mod price;
mod progress;
mod sink;
mod summary;

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use custclass::RowProblem;
use custclass::customer_file::{CsvCustomers, JsonLinesCustomers, Row};
use custclass::{CustomerTable, Engine, Setup, SetupError, TableBuilder};
use indicatif::ProgressBar;

use output::Output;
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
        /// The customers: `.jsonl`/`.ndjson` for JSON lines, anything else CSV.
        input: PathBuf,
        /// Output file; standard output when missing.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Output format; from the output file's extension, else CSV.
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Price order lines (CSV: customer, item, item_group, list_price,
    /// quantity, date, currency) for the customers of a customer file.
    Price {
        /// The setup file (JSON).
        #[arg(long)]
        setup: PathBuf,
        /// The customers: `.jsonl`/`.ndjson` for JSON lines, anything else CSV.
        #[arg(long)]
        customers: PathBuf,
        /// The order lines (CSV with `;` or `,`).
        lines: PathBuf,
        /// Output file; standard output when missing.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print every price rule's verdict for each line instead of CSV.
        #[arg(long)]
        explain: bool,
    },
    /// Select the customers of a segment from a customer file (CSV) and write
    /// them as CSV: a marketing list, a filtered export.
    Filter {
        /// The setup file (JSON).
        #[arg(long)]
        setup: PathBuf,
        /// The segment, in the expression language
        /// (`country = 'DK' and channel = 'webshop'`).
        #[arg(long = "where")]
        segment: String,
        /// The columns to write, comma-separated; every column when missing.
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// The customers (CSV with `;` or `,`).
        input: PathBuf,
        /// Output file; standard output when missing.
        #[arg(long)]
        out: Option<PathBuf>,
    },
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
        } => classify(&setup, &input, out.as_deref(), format),
        Command::Price {
            setup,
            customers,
            lines,
            out,
            explain,
        } => price_lines(&setup, &customers, &lines, out.as_deref(), explain),
        Command::Filter {
            setup,
            segment,
            columns,
            input,
            out,
        } => filter(&setup, &segment, &columns, &input, out.as_deref()),
        Command::CheckSetup { file } => check_setup(&file),
        Command::Schema => {
            println!("{:#}", Setup::json_schema());
            Ok(ExitCode::SUCCESS)
        }
    };
    outcome.unwrap_or_else(|Fatal(message)| {
        eprintln!("custclass: {message}");
        ExitCode::from(2)
    })
}

fn demo(out: &Path) -> Result<ExitCode, Fatal> {
    let engine = Engine::new(Setup::from_json(EXAMPLE_SETUP)?)?;
    let rows = CsvCustomers::new(EXAMPLE_CUSTOMERS.as_bytes())?;
    let mut file = Output::create(Some(out))?;
    let summary = run(
        &engine,
        rows,
        &mut file,
        Format::Csv,
        &ProgressBar::hidden(),
    )?;
    file.finish()?;
    println!(
        "custclass demo: the bundled setup (examples/setup.json) on the bundled customers (examples/customers.csv)\n"
    );
    print!("{}", summary.render(&engine));
    println!("\nReport written to {}", out.display());
    Ok(summary.exit_code())
}

fn classify(
    setup: &Path,
    input: &Path,
    out: Option<&Path>,
    format: Option<Format>,
) -> Result<ExitCode, Fatal> {
    let engine =
        Engine::new(read_setup(setup)?).map_err(|err| Fatal(describe_setup(setup, &err)))?;
    let format = format.unwrap_or(match out {
        Some(path) if is_json_lines(path) => Format::Jsonl,
        _ => Format::Csv,
    });
    // Read the header before creating the output, so that a file that can't
    // be read leaves no empty output behind.
    let bar = progress::reading(input);
    let reader = bar.wrap_read(BufReader::new(
        File::open(input).map_err(|err| format!("{}: {err}", input.display()))?,
    ));
    let rows: Box<dyn Iterator<Item = Row>> = if is_json_lines(input) {
        Box::new(JsonLinesCustomers::new(reader))
    } else {
        Box::new(
            CsvCustomers::new(reader)
                .map_err(|err| format!("{}: {err} ({})", input.display(), err.code()))?,
        )
    };
    let mut output = Output::create(out)?;
    let summary = run(&engine, rows, &mut output, format, &bar)?;
    output.finish()?;
    bar.finish_and_clear();
    eprint!("{}", summary.render(&engine));
    if let Some(path) = out {
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
) -> Result<ExitCode, Fatal> {
    let engine =
        Engine::new(read_setup(setup)?).map_err(|err| Fatal(describe_setup(setup, &err)))?;
    let open = |path: &Path| {
        File::open(path)
            .map(BufReader::new)
            .map_err(|err| Fatal(format!("{}: {err}", path.display())))
    };
    let rows: Box<dyn Iterator<Item = Row>> = if is_json_lines(customers) {
        Box::new(JsonLinesCustomers::new(open(customers)?))
    } else {
        Box::new(
            CsvCustomers::new(open(customers)?)
                .map_err(|err| format!("{}: {err} ({})", customers.display(), err.code()))?,
        )
    };
    let mut tally = price::Tally::default();
    let customers = price::customers_by_id(rows, &mut tally);
    let input = open(lines)?;
    let mut output = Output::create(out)?;
    price::price(&engine, &customers, input, &mut output, explain, &mut tally)
        .map_err(|Fatal(message)| Fatal(format!("{}: {message}", lines.display())))?;
    output.finish()?;
    for problem in &tally.rejected {
        eprintln!("rejected: {problem}");
    }
    eprintln!(
        "{} line(s) priced, {} rejected",
        tally.priced,
        tally.rejected.len()
    );
    Ok(if tally.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn filter(
    setup: &Path,
    segment: &str,
    columns: &[String],
    input: &Path,
    out: Option<&Path>,
) -> Result<ExitCode, Fatal> {
    let engine =
        Engine::new(read_setup(setup)?).map_err(|err| Fatal(describe_setup(setup, &err)))?;
    let segment = engine.segment(segment).map_err(|err| {
        Fatal(format!(
            "--where: {err} ({}){}",
            err.code(),
            caret(segment, err.offset())
        ))
    })?;
    let bar = progress::reading(input);
    let reader = bar.wrap_read(BufReader::new(
        File::open(input).map_err(|err| format!("{}: {err}", input.display()))?,
    ));
    let (table, problems) = CustomerTable::from_csv(reader)
        .map_err(|err| format!("{}: {err} ({})", input.display(), err.code()))?;
    bar.finish_and_clear();
    let mut output = Output::create(out)?;
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let selection = segment
        .export_csv(&table, &columns, BufWriter::new(&mut output))
        .map_err(|err| format!("{err} ({})", err.code()))?;
    output.finish()?;
    for problem in &problems {
        let column = problem
            .column
            .as_deref()
            .map(|c| format!(", column {c}"))
            .unwrap_or_default();
        eprintln!(
            "rejected: line {}{column}: [{}] {}",
            problem.line.unwrap_or_default(),
            problem.code,
            problem.message
        );
    }
    for (row, err) in selection.rejected() {
        let id = table.customer(*row).map(|c| c.id.0).unwrap_or_default();
        eprintln!("not judged: customer {id}: [{}] {err}", err.code());
    }
    let rejected_rows: std::collections::BTreeSet<usize> = problems.iter().map(|p| p.row).collect();
    eprintln!(
        "{} customers read: {} in the segment, {} rows rejected, {} not judged",
        table.len() + rejected_rows.len(),
        selection.count(),
        rejected_rows.len(),
        selection.rejected().len()
    );
    Ok(
        if rejected_rows.is_empty() && selection.rejected().is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

/// The expression with a caret under byte `offset`, for an error message.
fn caret(expression: &str, offset: usize) -> String {
    let column = expression
        .get(..offset.min(expression.len()))
        .map_or(0, |head| head.chars().count());
    format!("\n  {expression}\n  {}^", " ".repeat(column))
}

fn is_json_lines(path: &Path) -> bool {
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

/// Reads every row into a table, classifies the table, writes each good
/// row, counts everything, and keeps each bad row for the summary.
fn run<W: Write>(
    engine: &Engine,
    rows: impl Iterator<Item = Row>,
    output: W,
    format: Format,
    bar: &ProgressBar,
) -> Result<Summary, Fatal> {
    let mut summary = Summary::default();
    let mut table = TableBuilder::new();
    // Per table row, the file's line and data row it came from.
    let mut lines = Vec::new();
    for (at, (line, row)) in rows.enumerate() {
        match row {
            Ok(customer) => {
                table.push(&customer);
                lines.push((line, at));
            }
            Err(problems) => problems.iter().for_each(|problem| summary.reject(problem)),
        }
    }
    let table = table.finish();
    let classified = engine.par_classify_table(&table);
    progress::writing(bar, table.len());
    let mut sink = Sink::new(output, engine, format)?;
    sink.write_table(&table, &classified)?;
    sink.finish()?;
    bar.set_position(table.len() as u64);
    summary.count_table(engine, &classified);
    for (row, err) in classified.errors() {
        let (Some(&(line, at)), Some(customer)) = (lines.get(row), table.customer(row)) else {
            continue;
        };
        summary.reject(&RowProblem::from_customer(
            at,
            Some(line),
            Some(&customer.id.0),
            err,
        ));
    }
    Ok(summary)
}
