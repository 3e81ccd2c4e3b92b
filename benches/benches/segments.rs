//! Segment queries over a `CustomerTable` of 1,000,000 generated customers:
//! each of `SEGMENTS` evaluated column by column, then with the table's
//! index, and the index build itself; and `id in (…)` lists of 3 and 20,000
//! customer numbers over 200,000 customers (issue #17: a pasted marketing
//! list should cost about what a short list does); and ten segments at once
//! (issue #18: a marketing overview), a `SegmentSet`'s one pass against ten
//! `Segment::filter`s, for `SEGMENTS` and for an overview whose segments
//! repeat their tests.
//!
//!     cargo bench -p custclass-benches --bench segments
//!     cargo bench -p custclass-benches --bench segments -- in_list
//!     cargo bench -p custclass-benches --bench segments -- segment_set

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::{CustomerTable, Engine, Segment};
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

/// A marketing overview as one is written: ten segments over a few
/// countries, channels and `b2b`, each test in two or more of them.
const OVERVIEW: [&str; 10] = [
    "true",
    "country = 'NL'",
    "country = 'NL' and channel = 'webshop'",
    "country = 'NL' and b2b = true",
    "country = 'DE' and b2b = true",
    "vat_zone = 'eu' and b2b = true",
    "vat_zone = 'eu' and channel = 'webshop'",
    "channel = 'webshop' and attr.turnover_12m >= 50000",
    "b2b = true and attr.turnover_12m >= 50000",
    "class1 in ('V1', 'V2') and country = 'DE'",
];

fn segment_set(c: &mut Criterion) {
    let engine = Engine::new(bulk_setup()).unwrap_or_else(|err| panic!("{err}"));
    let n = 1_000_000;
    let table = CustomerTable::from_customers(&customers(n, 11));
    let index = table.index();
    let mut group = c.benchmark_group("segment_set");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    for (name, expressions) in [("ten", SEGMENTS), ("overview", OVERVIEW)] {
        let named = expressions
            .iter()
            .enumerate()
            .map(|(i, expression)| (format!("q{i}"), *expression));
        let set = engine
            .segment_set(named)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let segments: Vec<Segment> = expressions
            .iter()
            .map(|e| engine.segment(e).unwrap_or_else(|err| panic!("{e}: {err}")))
            .collect();
        let answer = set.masks(&table);
        assert_eq!(set.masks_indexed(&table, &index), answer, "{name}");
        for (i, segment) in segments.iter().enumerate() {
            assert_eq!(
                answer.counts().get(i),
                Some(&segment.filter(&table).count())
            );
        }
        println!("{name}: counts {:?}", answer.counts());
        group.bench_function(format!("{name}/one_pass"), |b| b.iter(|| set.masks(&table)));
        group.bench_function(format!("{name}/separate"), |b| {
            b.iter(|| {
                (segments.iter())
                    .map(|segment| segment.filter(&table))
                    .collect::<Vec<_>>()
            })
        });
        group.bench_function(format!("{name}/one_pass_indexed"), |b| {
            b.iter(|| set.masks_indexed(&table, &index))
        });
        group.bench_function(format!("{name}/separate_indexed"), |b| {
            b.iter(|| {
                (segments.iter())
                    .map(|segment| segment.filter_indexed(&table, &index))
                    .collect::<Vec<_>>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, segments, in_list, segment_set);
criterion_main!(benches);
