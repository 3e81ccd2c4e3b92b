//! `price_lines`: an order book of 1,000,000 lines against 2,000 price rules,
//! and the per-line cost as the rules grow from 100 to 100,000.
//!
//!     cargo bench -p custclass-benches --bench price_lines

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::Engine;
use custclass_benches::{order_book, pricing_setup};

const LINES: usize = 1_000_000;
const LINES_PER_ORDER: usize = 50;

fn price_lines(c: &mut Criterion) {
    let mut group = c.benchmark_group("price_lines");
    group.sample_size(10);
    group.throughput(Throughput::Elements(LINES as u64));
    for rules in [100, 2_000, 100_000] {
        let engine = Engine::new(pricing_setup(rules)).unwrap_or_else(|err| panic!("{err}"));
        let book = order_book(rules, 10_000, LINES / LINES_PER_ORDER, LINES_PER_ORDER, 7);
        group.bench_function(format!("{rules}_rules"), |b| {
            b.iter(|| {
                for (customer, lines) in &book {
                    let quotes = engine
                        .price_lines(customer, lines)
                        .unwrap_or_else(|err| panic!("{err}"));
                    std::hint::black_box(quotes);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, price_lines);
criterion_main!(benches);
