//! `CustomerTable`: building from customers and reading CSV, at 100,000 and
//! 1,000,000 customers, with the table's memory per customer printed first.
//!
//!     cargo bench -p custclass-benches --bench table

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::CustomerTable;
use custclass_benches::customers;

fn table(c: &mut Criterion) {
    let mut group = c.benchmark_group("table");
    group.sample_size(10);
    for n in [100_000, 1_000_000] {
        let people = customers(n, 11);
        let table = CustomerTable::from_customers(&people);
        let memory = table.memory();
        println!(
            "table of {n} customers: {:.1} bytes per customer, plus {} bytes of distinct strings ({:.1} per customer)",
            memory.rows as f64 / n as f64,
            memory.dictionaries,
            memory.dictionaries as f64 / n as f64,
        );
        let mut csv = Vec::new();
        table
            .write_csv(&mut csv, &[])
            .unwrap_or_else(|err| panic!("{err}"));
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("from_customers/{n}"), |b| {
            b.iter(|| CustomerTable::from_customers(&people))
        });
        group.bench_function(format!("from_csv/{n}"), |b| {
            b.iter(|| CustomerTable::from_csv(csv.as_slice()).unwrap_or_else(|err| panic!("{err}")))
        });
    }
    group.finish();
}

criterion_group!(benches, table);
criterion_main!(benches);
