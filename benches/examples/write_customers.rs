//! Writes `n` generated customers (the benches' seeded distribution) as a
//! semicolon CSV customer file on standard output, and the benches' bulk
//! setup (40 rules over 10 targets) to a file, to time the command line:
//!
//!     cargo run --release -p custclass-benches --example write_customers -- 1000000 setup.json > customers.csv
//!     custclass classify --setup setup.json customers.csv --out report.csv

#![allow(clippy::panic, reason = "a scratch tool: a failure is a panic")]

use custclass::CustomerTable;
use custclass_benches::{bulk_setup, customers};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    if let Some(path) = std::env::args().nth(2) {
        let setup =
            serde_json::to_string_pretty(&bulk_setup()).unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(&path, setup).unwrap_or_else(|err| panic!("{path}: {err}"));
    }
    let table = CustomerTable::from_customers(&customers(n, 11));
    table
        .write_csv(std::io::BufWriter::new(std::io::stdout().lock()), &[])
        .unwrap_or_else(|err| panic!("{err}"));
}
