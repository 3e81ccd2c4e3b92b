//! One `Engine` shared by eight threads, each classifying every example
//! customer and pricing every example order line in its own order, gives
//! exactly the answers of one thread doing it alone: the engine is plain
//! shared data, with nothing that one caller's work can disturb.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use custclass::{Classification, Customer, CustomerTable, Engine, PriceRequest, Quote, Setup};
use serde_json::json;

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The example customers and order lines (each line with its customer).
fn examples() -> (Vec<Customer>, Vec<(usize, PriceRequest)>) {
    let (table, _) = CustomerTable::from_csv(read("../examples/customers.csv").as_bytes()).unwrap();
    let customers: Vec<Customer> = (0..table.len())
        .map(|row| table.customer(row).unwrap())
        .collect();
    let lines = read("../examples/order-lines.csv");
    let mut requests = Vec::new();
    for line in lines.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        let at = customers.iter().position(|c| c.id.0 == cells[0]).unwrap();
        let request = json!({
            "item": cells[1],
            "item_group": (!cells[2].is_empty()).then_some(cells[2]),
            "list_price": cells[3], "quantity": cells[4], "date": cells[5], "currency": cells[6],
        });
        requests.push((at, PriceRequest::from_json(&request.to_string()).unwrap()));
    }
    (customers, requests)
}

type Answers = (Vec<Classification>, Vec<Quote>, usize);

fn work(
    engine: &Engine,
    customers: &[Customer],
    lines: &[(usize, PriceRequest)],
    order: &[usize],
) -> Answers {
    let mut classified: Vec<Option<Classification>> = vec![None; customers.len()];
    for &at in order {
        classified[at] = Some(engine.classify(&customers[at]).unwrap());
    }
    let quotes = lines
        .iter()
        .rev()
        .map(|(at, request)| engine.price(&customers[*at], request).unwrap())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let table = CustomerTable::from_customers(customers);
    let segment = engine.segment("vat_zone = 'eu' and b2b = true").unwrap();
    let in_segment = segment.filter(&table).count();
    (
        classified.into_iter().map(Option::unwrap).collect(),
        quotes,
        in_segment,
    )
}

#[test]
fn eight_threads_on_one_engine_answer_as_one() {
    let engine =
        Arc::new(Engine::new(Setup::from_json(&read("../examples/setup.json")).unwrap()).unwrap());
    let (customers, lines) = examples();
    let (customers, lines) = (Arc::new(customers), Arc::new(lines));
    let forward: Vec<usize> = (0..customers.len()).collect();
    let alone = work(&engine, &customers, &lines, &forward);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (engine, customers, lines) = (
                Arc::clone(&engine),
                Arc::clone(&customers),
                Arc::clone(&lines),
            );
            std::thread::spawn(move || {
                // Each thread its own order: a stride through the customers.
                let n = customers.len();
                let order: Vec<usize> = (0..n).map(|i| (i * (2 * t + 1) + t) % n).collect();
                let mut seen = order.clone();
                seen.sort_unstable();
                seen.dedup();
                let order = if seen.len() == n {
                    order
                } else {
                    (0..n).rev().collect()
                };
                (0..3)
                    .map(|_| work(&engine, &customers, &lines, &order))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for thread in threads {
        for answers in thread.join().unwrap() {
            assert!(
                answers == alone,
                "a thread's answers differ from one thread's alone"
            );
        }
    }
    assert!(alone.0.len() == 1000 && !alone.1.is_empty());
}
