//! What hostile or merely large input costs in memory: customer files with
//! a 100 MB line, or a quote never closed before 100 MB of lines, and a
//! price book of ten thousand customer discounts over two thousand item
//! groups; each measured with the peak resident memory reset before and
//! read after (Linux's `VmHWM`). One test in a binary of its own, so that
//! no other test's memory is counted.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use custclass::customer_file::{CsvCustomers, JsonLinesCustomers};
use custclass::{CustomerTable, Engine, Setup};
use hostile::generated;
use serde_json::{Value, json};

mod hostile;

/// The most memory that may be resident at once beyond what was before:
/// a few times the 1 MiB row limit, and far below the 100 MB read.
const BOUND: u64 = 16 << 20;

fn status(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with(field)).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// The peak resident memory while `work` runs, beyond what was resident
/// before it.
fn peak_growth<T>(work: impl FnOnce() -> T) -> (T, u64) {
    // Writing 5 resets the peak to the current resident size.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status("VmRSS:");
    let out = work();
    (out, status("VmHWM:").saturating_sub(before))
}

/// One test, so that the measurements run one after the other.
#[test]
fn memory_stays_bounded() {
    reading_100_mb_of_hostile_input_holds_a_few_mib();
    a_price_book_of_many_customer_discounts_grows_with_its_rules();
}

fn reading_100_mb_of_hostile_input_holds_a_few_mib() {
    let (rows, grew) = peak_growth(|| {
        CsvCustomers::new(generated("id;name\n1;Ada\n2;", 0, "\n3;Grace\n"))
            .unwrap()
            .count()
    });
    assert_eq!(rows, 3);
    assert!(grew < BOUND, "a 100 MB CSV line: {grew} bytes");
    eprintln!("a 100 MB CSV line: peak resident memory grew by {grew} bytes");

    let (rows, grew) = peak_growth(|| {
        JsonLinesCustomers::new(generated(
            "{\"id\": \"1\"}\n{\"id\": \"2\", \"name\": \"",
            0,
            "\"}\n",
        ))
        .count()
    });
    assert_eq!(rows, 2);
    assert!(grew < BOUND, "a 100 MB JSON line: {grew} bytes");
    eprintln!("a 100 MB JSON line: peak resident memory grew by {grew} bytes");

    let (table, grew) = peak_growth(|| {
        CustomerTable::from_csv(generated("id;name\n1;Ada\n2;", 0, "\n3;Grace\n"))
            .unwrap()
            .0
    });
    assert_eq!(table.len(), 2);
    assert!(grew < BOUND, "a table over a 100 MB line: {grew} bytes");

    let (rows, grew) = peak_growth(|| {
        CsvCustomers::new(generated("id;name\n1;\"open", 80, "\"\n"))
            .unwrap()
            .count()
    });
    // The row of the quote, then each of the 1,310,720 lines after it.
    assert_eq!(rows, 1 + 1_310_720);
    assert!(grew < BOUND, "a quote never closed: {grew} bytes");
    eprintln!("100 MB in a quote never closed: peak resident memory grew by {grew} bytes");
}

/// Each customer's discount on one item group is listed under that group
/// alone: the price book grows with the rules, not with rules times groups
/// (an array as long as the item-group tree per customer would be 80 MB
/// here, and its lists of lists 480 MB more).
fn a_price_book_of_many_customer_discounts_grows_with_its_rules() {
    let mut setup: Value = serde_json::from_str(include_str!("../../examples/setup.json")).unwrap();
    let groups: Vec<Value> = (0..2_000)
        .map(|n| match n {
            0..20 => json!({"code": format!("G{n}")}),
            _ => json!({"code": format!("G{n}"), "parent": format!("G{}", n % 20)}),
        })
        .collect();
    let rules: Vec<Value> = (0..10_000)
        .map(|n| {
            json!({
                "id": format!("c{n}"),
                "customers": {"customer": format!("C{n}")},
                "items": {"item_group": format!("G{}", 20 + n % 1_980)},
                "action": {"discount_percent": "5"},
            })
        })
        .collect();
    setup["pricing"]["item_groups"] = Value::Array(groups);
    setup["pricing"]["rules"] = Value::Array(rules);
    let setup = Setup::from_json(&setup.to_string()).unwrap();
    let (engine, grew) = peak_growth(|| Engine::new(setup).unwrap());
    eprintln!(
        "10,000 customer discounts over 2,000 item groups: peak resident memory grew by {grew} bytes"
    );
    assert!(grew < 64 << 20, "the price book took {grew} bytes");
    drop(engine);
}
