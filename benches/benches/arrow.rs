//! The Arrow door on 1,000,000 customers shaped like `benches/compare`'s
//! `make_customers` (18 columns: plain distinct strings for id, name and
//! e-mail, dictionaries for the coded fields, a mostly null VAT number,
//! `date32` and `decimal128(12, 2)`): reading every column, reading the
//! columns classification reads (`Engine::input_columns`), and classifying
//! from the batch, reading included, with every result column and with
//! two of them (`classify_columns`).
//!
//!     cargo bench -p custclass-benches --bench arrow

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::Engine;
use custclass::arrow::ArrowCustomers;
use custclass_benches::bulk_setup;
use custclass_benches::frame::customer_batch;

fn arrow(c: &mut Criterion) {
    let engine = Engine::new(bulk_setup()).unwrap_or_else(|err| panic!("{err}"));
    let wanted = engine.input_columns();
    let mut group = c.benchmark_group("arrow");
    group.sample_size(10);
    {
        let n = 1_000_000;
        let batch = customer_batch(n, 11);
        let schema = batch.schema();
        let batches = [batch];
        let read = |columns| {
            ArrowCustomers::read(&schema, &batches, columns).unwrap_or_else(|err| panic!("{err}"))
        };
        println!(
            "{n} customers, {} columns, {} read for classification, {} problems",
            schema.fields().len(),
            wanted.len(),
            read(Some(&wanted)).problems().len()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("read_all/{n}"), |b| b.iter(|| read(None)));
        group.bench_function(format!("read_input/{n}"), |b| {
            b.iter(|| read(Some(&wanted)))
        });
        let customers = read(Some(&wanted));
        group.bench_function(format!("classify_only/{n}"), |b| {
            b.iter(|| customers.classify(&engine))
        });
        group.bench_function(format!("classify/{n}"), |b| {
            b.iter(|| read(Some(&wanted)).classify(&engine))
        });
        group.bench_function(format!("classify_two_columns/{n}"), |b| {
            b.iter(|| read(Some(&wanted)).classify_columns(&engine, &["group", "b2b"]))
        });
    }
    group.finish();
}

criterion_group!(benches, arrow);
criterion_main!(benches);
