//! `Engine::classify_table` gives, row for row, what `Engine::classify`
//! gives each customer: on the bundled example (1,000 customers) and on the
//! customers of the classification vectors (manual values, overrides,
//! inactive and unknown codes, attributes that aren't numbers).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use custclass::{Customer, CustomerTable, Engine, Setup, Target};
use serde_json::Value;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

fn compare(engine: &Engine, customers: &[Customer]) -> usize {
    let table = CustomerTable::from_customers(customers);
    let bulk = engine.classify_table(&table);
    assert_eq!(bulk.len(), customers.len());
    for (row, customer) in customers.iter().enumerate() {
        let one = engine.classify(customer);
        assert_eq!(bulk.row(row), Some(one.clone()), "row {row}: {customer:?}");
        match &one {
            Ok(classification) => {
                assert_eq!(bulk.value(row, Target::Group), classification.group.clone());
                assert_eq!(bulk.error(row), None);
                for slot in 1..=8 {
                    assert_eq!(
                        bulk.value(row, Target::Class(slot)),
                        classification.classes.get(slot).cloned()
                    );
                }
            }
            Err(error) => assert_eq!(bulk.error(row), Some(error)),
        }
    }
    bulk.distinct()
}

#[test]
fn the_bundled_example_classifies_alike_in_bulk() {
    let engine = Engine::new(Setup::from_json(&read("../examples/setup.json")).unwrap()).unwrap();
    let (table, problems) =
        CustomerTable::from_csv(read("../examples/customers.csv").as_bytes()).unwrap();
    assert!(problems.is_empty());
    let customers: Vec<Customer> = (0..table.len())
        .map(|row| table.customer(row).unwrap())
        .collect();
    let distinct = compare(&engine, &customers);
    assert!(
        distinct < customers.len(),
        "{distinct} distinct results for {} rows",
        customers.len()
    );

    let bulk = engine.classify_table(&table);
    let groups = bulk.counts("group");
    assert_eq!(
        groups.iter().map(|(_, n)| n).sum::<usize>(),
        customers.len()
    );
    let webshop = customers
        .iter()
        .filter(|c| engine.classify(c).unwrap().group.unwrap().value == "WEBSHOP")
        .count();
    assert!(
        groups.contains(&(Some("WEBSHOP".to_owned()), webshop)),
        "{groups:?}"
    );
}

#[test]
fn the_classification_vectors_classify_alike_in_bulk() {
    let doc: Value = serde_json::from_str(&read("../vectors/classify/classify.json")).unwrap();
    let setup = Setup::from_json(&doc["setup"].to_string()).unwrap();
    let engine = Engine::new(setup).unwrap();
    let customers: Vec<Customer> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| case.get("setup").is_none() && case["input"].get("op").is_none())
        .filter_map(|case| {
            let text = match &case["input"]["customer"] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            Customer::from_json(&text).ok()
        })
        .collect();
    assert!(customers.len() >= 20, "only {} customers", customers.len());
    assert!(
        customers.iter().any(|c| engine.classify(c).is_err()),
        "no customer the setup refuses"
    );
    compare(&engine, &customers);
}
