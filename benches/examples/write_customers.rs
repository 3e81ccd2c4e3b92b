//! Writes `n` generated customers (the benches' seeded distribution) as a
//! semicolon CSV customer file on standard output, and the benches' bulk
//! setup (40 rules over 10 targets) to a file, to time the command line:
//!
//!     cargo run --release -p custclass-benches --example write_customers -- 1000000 setup.json > customers.csv
//!     custclass classify --setup setup.json customers.csv --out report.csv
//!
//! With `--wide` after the setup's path, every column of a customer file
//! (51, as the bundled example has) is filled as real exports fill them,
//! about 216 bytes a row (`custclass_benches::wide`), and some cells as
//! people type them: a channel in capitals, blanks, and in one row in
//! 5,000 a date the reader refuses. The rows are made and written in
//! blocks, so any number of them fits in memory
//! (`benches/compare/file_door.py`).

#![allow(clippy::panic, reason = "a scratch tool: a failure is a panic")]

use std::io::Write;

use custclass::CustomerTable;
use custclass_benches::wide::{self, COLUMNS};
use custclass_benches::{Seeded, bulk_setup, customer_stream, customers};

/// Rows made and written at a time with `--wide`.
const BLOCK: usize = 100_000;

/// One row in this many has a creation day written the way the reader
/// refuses (day first).
const BAD_DATE_EVERY: usize = 5_000;

/// One row in this many has its channel typed in capitals with a space
/// after it (read as the channel all the same).
const LOUD_CHANNEL_EVERY: usize = 50;

/// One row in this many has blanks in its `source` cell (no value).
const BLANK_SOURCE_EVERY: usize = 97;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    if let Some(path) = args.get(2) {
        let setup =
            serde_json::to_string_pretty(&bulk_setup()).unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(path, setup).unwrap_or_else(|err| panic!("{path}: {err}"));
    }
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.get(3).map(String::as_str) == Some("--wide") {
        write_wide(n, out);
    } else {
        let table = CustomerTable::from_customers(&customers(n, 11));
        table
            .write_csv(out, &[])
            .unwrap_or_else(|err| panic!("{err}"));
    }
}

fn write_wide(n: usize, mut out: impl Write) {
    let mut stream = customer_stream(11);
    let mut random = Seeded::new(12);
    let columns: Vec<&str> = COLUMNS.to_vec();
    let at = |name: &str| {
        COLUMNS
            .iter()
            .position(|&column| column == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (created_at, channel, source) = (at("created_at"), at("channel"), at("source"));
    let mut start = 0;
    while start < n {
        let block: Vec<_> = (start..n.min(start + BLOCK))
            .map(|row| {
                let mut customer = stream.next().unwrap_or_default();
                wide::widen(&mut customer, row, &mut random);
                customer
            })
            .collect();
        let mut text = Vec::new();
        CustomerTable::from_customers(&block)
            .write_csv(&mut text, &columns)
            .unwrap_or_else(|err| panic!("{err}"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(text.as_slice());
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        for (index, record) in reader.byte_records().enumerate() {
            let record = record.unwrap_or_else(|err| panic!("{err}"));
            // The header once, at the top.
            if index == 0 && start > 0 {
                continue;
            }
            let row = (start + index).wrapping_sub(1);
            let typed = |every: usize| index > 0 && row % every == every - 1;
            let written = if !typed(BAD_DATE_EVERY)
                && !typed(LOUD_CHANNEL_EVERY)
                && !typed(BLANK_SOURCE_EVERY)
            {
                writer.write_byte_record(&record)
            } else {
                let mut fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
                if typed(BAD_DATE_EVERY)
                    && let Some(day) = fields.get_mut(created_at)
                {
                    // 2026-03-14 as 14-03-2026.
                    let text = String::from_utf8_lossy(day).into_owned();
                    let parts: Vec<&str> = text.split('-').collect();
                    if let [year, month, date] = parts.as_slice() {
                        *day = format!("{date}-{month}-{year}").into_bytes();
                    }
                }
                if typed(LOUD_CHANNEL_EVERY)
                    && let Some(cell) = fields.get_mut(channel)
                {
                    cell.make_ascii_uppercase();
                    cell.push(b' ');
                }
                if typed(BLANK_SOURCE_EVERY)
                    && let Some(cell) = fields.get_mut(source)
                    && cell.is_empty()
                {
                    cell.extend_from_slice(b"  ");
                }
                writer.write_record(&fields)
            };
            written.unwrap_or_else(|err| panic!("{err}"));
        }
        writer.flush().unwrap_or_else(|err| panic!("{err}"));
        start += block.len();
    }
    out.flush().unwrap_or_else(|err| panic!("{err}"));
}
