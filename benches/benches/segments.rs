//! Segment queries over a `CustomerTable` of 1,000,000 generated customers:
//! each of `SEGMENTS` evaluated column by column, then with the table's
//! index, and the index build itself.
//!
//!     cargo bench -p custclass-benches --bench segments

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::{CustomerTable, Engine};
use custclass_benches::{SEGMENTS, bulk_setup, customers};

fn segments(c: &mut Criterion) {
    let engine = Engine::new(bulk_setup()).unwrap_or_else(|err| panic!("{err}"));
    let n = 1_000_000;
    let table = CustomerTable::from_customers(&customers(n, 11));
    let index = table.index();
    println!(
        "index: {} columns, {} bytes",
        index.columns().count(),
        index.memory_bytes()
    );
    let mut group = c.benchmark_group("segment");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("index_build", |b| b.iter(|| table.index()));
    for (i, expression) in SEGMENTS.iter().enumerate() {
        let segment = engine
            .segment(expression)
            .unwrap_or_else(|err| panic!("{expression}: {err}"));
        let count = segment.filter(&table).count();
        assert_eq!(segment.filter_indexed(&table, &index).count(), count);
        println!("q{i}: {expression}: {count} of {n}");
        group.bench_function(format!("q{i}/unindexed"), |b| {
            b.iter(|| segment.filter(&table))
        });
        group.bench_function(format!("q{i}/indexed"), |b| {
            b.iter(|| segment.filter_indexed(&table, &index))
        });
    }
    group.finish();
}

criterion_group!(benches, segments);
criterion_main!(benches);
