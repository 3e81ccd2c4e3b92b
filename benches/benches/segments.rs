//! Segment queries over a `CustomerTable` of 1,000,000 generated customers,
//! unindexed: each of `SEGMENTS` evaluated column by column.
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
    let mut group = c.benchmark_group("segment_unindexed");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    for (i, expression) in SEGMENTS.iter().enumerate() {
        let segment = engine
            .segment(expression)
            .unwrap_or_else(|err| panic!("{expression}: {err}"));
        println!(
            "q{i}: {expression}: {} of {n}",
            segment.filter(&table).count()
        );
        group.bench_function(format!("q{i}"), |b| b.iter(|| segment.filter(&table)));
    }
    group.finish();
}

criterion_group!(benches, segments);
criterion_main!(benches);
