//! Segment queries over a `CustomerTable` of 1,000,000 generated customers:
//! each of `SEGMENTS` evaluated column by column, then with the table's
//! index, and the index build itself; and `id in (…)` lists of 3 and 20,000
//! customer numbers over 200,000 customers (issue #17: a pasted marketing
//! list should cost about what a short list does).
//!
//!     cargo bench -p custclass-benches --bench segments
//!     cargo bench -p custclass-benches --bench segments -- in_list

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::{CustomerTable, Engine};
use custclass_benches::{SEGMENTS, Seeded, bulk_setup, customers};

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

/// Customers whose ids are mostly distinct but skewed: nine in ten keep
/// their own number, the rest share a few hundred numbers, the lower ones
/// far more often (an import that merged branch accounts).
fn customers_with_skewed_ids(n: usize, seed: u64) -> Vec<custclass::Customer> {
    let mut random = Seeded::new(seed);
    let mut list = customers(n, seed);
    for customer in &mut list {
        if random.below(10) == 0 {
            let hot = 1 + random.below(500);
            let shared = random.below(hot);
            customer.id = format!("{:07}", 1_000_000 + shared).into();
        }
    }
    list
}

/// `len` customer numbers as pasted from a spreadsheet: drawn from the
/// table's ids and a tenth from numbers nobody has, in no order.
fn pasted_ids(len: usize, n: usize, seed: u64) -> String {
    let mut random = Seeded::new(seed);
    let ids: Vec<String> = (0..len)
        .map(|_| {
            let range = if random.below(10) == 0 { 10 * n } else { n };
            format!("'{:07}'", 1_000_000 + random.below(range as u64))
        })
        .collect();
    ids.join(", ")
}

fn in_list(c: &mut Criterion) {
    let engine = Engine::new(bulk_setup()).unwrap_or_else(|err| panic!("{err}"));
    let n = 200_000;
    let table = CustomerTable::from_customers(&customers_with_skewed_ids(n, 17));
    let mut group = c.benchmark_group("segments");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    for len in [3, 20_000] {
        let expression = format!("id in ({})", pasted_ids(len, n, 23));
        let segment = engine
            .segment(&expression)
            .unwrap_or_else(|err| panic!("id in ({len} ids): {err}"));
        println!("in_list/{len}: {} of {n}", segment.filter(&table).count());
        group.bench_function(format!("in_list/{len}"), |b| {
            b.iter(|| segment.filter(&table))
        });
    }
    group.finish();
}

criterion_group!(benches, segments, in_list);
criterion_main!(benches);
