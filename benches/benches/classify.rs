//! `Engine::classify_table` on 100,000 and 1,000,000 generated customers
//! against 40 rules over 10 targets, on one thread and on rayon's (two
//! cores here), beside `Engine::classify` per customer. A table keeps its
//! rows' VAT verdicts once worked out, so `table_first` classifies a fresh
//! copy each time: the cost of a table's first classification.
//!
//!     cargo bench -p custclass-benches --bench classify

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use custclass::{CustomerTable, Engine};
use custclass_benches::{bulk_setup, customers};

fn classify(c: &mut Criterion) {
    let setup = bulk_setup();
    println!("{} rules", setup.rules.len());
    let engine = Engine::new(setup).unwrap_or_else(|err| panic!("{err}"));
    let mut group = c.benchmark_group("classify");
    group.sample_size(10);
    for n in [100_000, 1_000_000] {
        let people = customers(n, 11);
        let table = CustomerTable::from_customers(&people);
        let fresh = table.clone();
        println!(
            "{n} customers: {} distinct results",
            engine.classify_table(&table).distinct()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("table/{n}"), |b| {
            b.iter(|| engine.classify_table(&table))
        });
        group.bench_function(format!("table_first/{n}"), |b| {
            b.iter_batched_ref(
                || fresh.clone(),
                |copy| engine.classify_table(copy).distinct(),
                BatchSize::LargeInput,
            )
        });
        group.bench_function(format!("table_threads/{n}"), |b| {
            b.iter(|| engine.par_classify_table(&table))
        });
        if n == 100_000 {
            group.bench_function(format!("one_by_one/{n}"), |b| {
                b.iter(|| people.iter().filter(|c| engine.classify(c).is_ok()).count())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, classify);
criterion_main!(benches);
