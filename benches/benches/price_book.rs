//! The columnar pricer on a realistic order book (issue #18): 1,000,000
//! lines from about 630,000 of 1,000,000 customers, each customer's price
//! group derived by the setup's rules, against 2,000 and 100,000 price
//! rules; lines and customers as Arrow, as a data frame hands them over.
//!
//!     cargo bench -p custclass-benches --bench price_book
//!     RAYON_NUM_THREADS=1 cargo bench -p custclass-benches --bench price_book

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use std::sync::Arc;

use arrow_array::{ArrayRef, Date32Array, Decimal128Array, Int64Array, RecordBatch, StringArray};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::Engine;
use custclass::arrow::ArrowCustomers;
use custclass_benches::book;

const CUSTOMERS: usize = 1_000_000;
const LINES: usize = 1_000_000;

/// Days from 1970-01-01 to 2026-01-01.
const JAN_1_2026: i32 = 20_454;

fn lines_batch(lines: &[book::Line]) -> RecordBatch {
    let text = |get: fn(&book::Line) -> &str| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(lines.iter().map(get)))
    };
    let prices = Decimal128Array::from_iter_values(lines.iter().map(|l| i128::from(l.list_price)))
        .with_precision_and_scale(12, 2)
        .unwrap_or_else(|err| panic!("{err}"));
    RecordBatch::try_from_iter([
        ("customer", text(|l| &l.customer)),
        ("item", text(|l| &l.item)),
        ("item_group", text(|l| &l.item_group)),
        ("list_price", Arc::new(prices) as ArrayRef),
        (
            "quantity",
            Arc::new(Int64Array::from_iter_values(
                lines.iter().map(|l| l.quantity),
            )),
        ),
        (
            "date",
            Arc::new(Date32Array::from_iter_values(
                lines.iter().map(|l| JAN_1_2026 + i32::from(l.day_of_year)),
            )),
        ),
        ("currency", text(|l| l.currency)),
    ])
    .unwrap_or_else(|err| panic!("{err}"))
}

/// The customers as a data frame hands them over: text columns, the
/// creation day as Date32 and the turnover as Decimal128(12, 2).
fn customers_batch(customers: &[custclass::Customer]) -> RecordBatch {
    let text = |get: &dyn Fn(&custclass::Customer) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(
            customers.iter().map(get).collect::<Vec<_>>(),
        ))
    };
    let mut columns: Vec<(String, ArrayRef)> = vec![
        ("id".to_owned(), text(&|c| Some(c.id.0.clone()))),
        ("name".to_owned(), text(&|c| c.name.clone())),
        ("email".to_owned(), text(&|c| c.email.clone())),
        ("city".to_owned(), text(&|c| c.billing_address.city.clone())),
        (
            "country".to_owned(),
            text(&|c| c.country().map(|c| c.as_str().to_owned())),
        ),
        (
            "channel".to_owned(),
            text(&|c| c.channel.as_ref().map(|c| c.as_str().to_owned())),
        ),
        ("connector".to_owned(), text(&|c| c.connector.clone())),
        ("vat_number".to_owned(), text(&|c| c.vat_number.clone())),
    ];
    for slot in 0..8 {
        columns.push((
            format!("class{}", slot + 1),
            text(&|c| c.classes.0[slot].clone()),
        ));
    }
    let days = Date32Array::from(
        customers
            .iter()
            .map(|c| {
                c.created_at
                    .map(|d| JAN_1_2026 + d.day_of_year() as i32 - 1)
            })
            .collect::<Vec<_>>(),
    );
    columns.push(("created_at".to_owned(), Arc::new(days)));
    let turnover = Decimal128Array::from(
        customers
            .iter()
            .map(|c| match c.attributes.get("turnover_12m") {
                Some(custclass::AttrValue::Number(n)) => Some(n.mantissa()),
                _ => None,
            })
            .collect::<Vec<_>>(),
    )
    .with_precision_and_scale(12, 2)
    .unwrap_or_else(|err| panic!("{err}"));
    columns.push(("attr.turnover_12m".to_owned(), Arc::new(turnover)));
    RecordBatch::try_from_iter(columns).unwrap_or_else(|err| panic!("{err}"))
}

fn price_book(c: &mut Criterion) {
    let customers = custclass_benches::customers(CUSTOMERS, 11);
    let batch = customers_batch(&customers);
    drop(customers);
    let table = ArrowCustomers::read(&batch.schema(), std::slice::from_ref(&batch), None)
        .unwrap_or_else(|err| panic!("{err}"));
    let lines = lines_batch(&book::lines(CUSTOMERS, LINES, 11));
    let mut group = c.benchmark_group("price_book");
    group.sample_size(10);
    group.throughput(Throughput::Elements(LINES as u64));
    for rules in [2_000, 100_000] {
        let engine = Engine::new(book::setup(rules)).unwrap_or_else(|err| panic!("{err}"));
        let (_, problems) = engine
            .price_batches(&lines.schema(), std::slice::from_ref(&lines), Some(&table))
            .unwrap_or_else(|err| panic!("{err}"));
        assert!(problems.is_empty(), "{:?}", problems.first());
        group.bench_function(format!("{rules}_rules"), |b| {
            b.iter(|| {
                engine
                    .price_batches(&lines.schema(), std::slice::from_ref(&lines), Some(&table))
                    .unwrap_or_else(|err| panic!("{err}"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, price_book);
criterion_main!(benches);
