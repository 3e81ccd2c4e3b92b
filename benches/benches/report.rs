//! Writing a classified table (issue #17): the CSV report and JSON lines
//! of 1,000,000 generated customers with every column filled
//! (`custclass_benches::wide`), on one core, into `io::sink()`; beside the
//! way the command line wrote before, a `Customer` and a `Classification`
//! rebuilt per row and written one at a time (100,000 rows).
//!
//!     cargo bench -p custclass-benches --bench report

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use std::io::{self, Write};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::report::{JsonLinesWriter, ReportWriter};
use custclass::{CustomerTable, Engine, canonical};
use custclass_benches::{Seeded, bulk_setup, customer_stream, wide};

fn table(n: usize) -> CustomerTable {
    let mut random = Seeded::new(12);
    let customers: Vec<_> = customer_stream(11)
        .take(n)
        .enumerate()
        .map(|(row, mut customer)| {
            wide::widen(&mut customer, row, &mut random);
            customer
        })
        .collect();
    CustomerTable::from_customers(&customers)
}

fn report(c: &mut Criterion) {
    let engine = Engine::new(bulk_setup()).unwrap_or_else(|err| panic!("{err}"));
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    for n in [100_000, 1_000_000] {
        let table = table(n);
        let classified = engine.classify_table(&table);
        let failed = classified.errors().count();
        println!("{n} customers, {failed} not classified");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("csv/{n}"), |b| {
            b.iter(|| {
                let mut report = ReportWriter::new(io::sink(), &engine, b';')
                    .unwrap_or_else(|err| panic!("{err}"));
                let written = report.write_table(&table, &classified);
                report.finish().unwrap_or_else(|err| panic!("{err}"));
                written
            })
        });
        group.bench_function(format!("jsonl/{n}"), |b| {
            b.iter(|| {
                let mut lines = JsonLinesWriter::new(io::sink());
                let written = lines.write_table(&table, &classified);
                lines.finish().unwrap_or_else(|err| panic!("{err}"));
                written
            })
        });
        if n == 100_000 {
            group.bench_function(format!("csv_per_row/{n}"), |b| {
                b.iter(|| {
                    let mut report = ReportWriter::new(io::sink(), &engine, b';')
                        .unwrap_or_else(|err| panic!("{err}"));
                    for row in 0..table.len() {
                        if let (Some(customer), Some(Ok(result))) =
                            (table.customer(row), classified.row(row))
                        {
                            report
                                .write(&customer, &result)
                                .unwrap_or_else(|err| panic!("{err}"));
                        }
                    }
                    report.finish().unwrap_or_else(|err| panic!("{err}"));
                })
            });
            group.bench_function(format!("jsonl_per_row/{n}"), |b| {
                b.iter(|| {
                    let mut out = io::sink();
                    for row in 0..table.len() {
                        if let (Some(customer), Some(Ok(result))) =
                            (table.customer(row), classified.row(row))
                        {
                            let record = serde_json::json!({
                                "customer": result.apply(&customer),
                                "classification": result,
                            });
                            writeln!(out, "{}", canonical::to_string(&record))
                                .unwrap_or_else(|err| panic!("{err}"));
                        }
                    }
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
