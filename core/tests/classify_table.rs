//! `Engine::classify_table` gives, row for row, what `Engine::classify`
//! gives each customer: on the bundled example (1,000 customers) and on the
//! customers of the classification vectors (manual values, overrides,
//! inactive and unknown codes, attributes that aren't numbers), and on
//! generated tables.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use custclass::{AttrValue, Customer, CustomerTable, Engine, Setup, Target};
use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

fn example_engine() -> Engine {
    Engine::new(Setup::from_json(&read("../examples/setup.json")).unwrap()).unwrap()
}

fn compare(engine: &Engine, customers: &[Customer]) -> usize {
    let table = CustomerTable::from_customers(customers);
    let bulk = engine.classify_table(&table);
    #[cfg(feature = "rayon")]
    {
        let threaded = engine.par_classify_table(&table);
        for row in 0..customers.len() {
            assert_eq!(threaded.row(row), bulk.row(row), "row {row} on threads");
        }
    }
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
    let engine = example_engine();
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
    let groups = bulk.counts(custclass::ResultField::Target(custclass::Target::Group));
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

/// Rows beyond the first chunk of work (65,536 rows) are numbered and
/// classified alike, on one thread or several.
#[test]
fn tables_longer_than_a_chunk_classify_alike() {
    let engine = example_engine();
    let (table, _) = CustomerTable::from_csv(read("../examples/customers.csv").as_bytes()).unwrap();
    let many: Vec<Customer> = (0..140)
        .flat_map(|copy| (0..table.len()).map(move |row| (copy, row)))
        .map(|(copy, row)| {
            let mut customer = table.customer(row).unwrap();
            customer.id = custclass::CustomerId(format!("{copy}-{}", customer.id));
            customer
        })
        .collect();
    let big = CustomerTable::from_customers(&many);
    let bulk = engine.classify_table(&big);
    assert_eq!(bulk.distinct(), engine.classify_table(&table).distinct());
    for row in (0..many.len()).step_by(97) {
        assert_eq!(
            bulk.row(row),
            Some(engine.classify(&many[row])),
            "row {row}"
        );
    }
    #[cfg(feature = "rayon")]
    {
        let threaded = engine.par_classify_table(&big);
        for row in 0..many.len() {
            assert_eq!(threaded.row(row), bulk.row(row), "row {row} on threads");
        }
    }
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

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.7, prop::sample::select(values).prop_map(str::to_owned))
}

prop_compose! {
    /// Customers in the example setup's terms, with values it refuses
    /// (unknown or inactive codes, attributes that aren't numbers) mixed in.
    fn customer()(
        id in "[A-Z0-9]{1,6}",
        country in pick(&["NL", "BE", "DE", "GB", "US", "DK", "FR", "JP"]),
        vat_number in pick(&["NL123456782B01", "DE123456788", " ", "GB123456782"]),
        business_type in pick(&["company", "sole_trader", "government", "private"]),
        sector in pick(&["public", "automotive", "trade", "construction", "hospitality"]),
        channel in pick(&["webshop", "pos", "manual", "import", "api", "phone"]),
        region in pick(&["BENELUX", "NAM", "MOON"]),
        segment in pick(&["KEY", "SMB"]),
        group in pick(&["DOMESTIC", "EU", "WEBSHOP", "LEGACY", "NOPE"]),
        price_group in pick(&["RETAIL", "STAFF", "NOPE"]),
        customer_type in pick(&["BUSINESS", "INTERNAL"]),
        vat_zone in pick(&["domestic", "eu", "abroad"]),
        turnover in prop::option::weighted(0.6, prop_oneof![
            (0i64..10_000_000, 0u32..3).prop_map(|(m, s)| AttrValue::Number(Decimal::new(m, s))),
            Just(AttrValue::Text("lots".to_owned())),
        ]),
        orders in prop::option::weighted(0.6, (0i64..40).prop_map(|n| AttrValue::Number(Decimal::from(n)))),
        created_at in prop::option::weighted(0.7, (0i64..4000).prop_map(|d| Date::new(2017, 1, 1).unwrap().checked_add(jiff::Span::new().days(d)).unwrap())),
        manual in prop::collection::vec(prop::sample::select(&["group", "type", "class1", "class2", "price_group"][..]), 0..3),
    ) -> Customer {
        let mut customer = Customer::new(id);
        customer.billing_address.country = country.map(|c| c.try_into().unwrap());
        customer.vat_number = vat_number;
        customer.business_type = business_type;
        customer.sector = sector;
        customer.channel = channel.map(Into::into);
        customer.classes.set(1, region).unwrap();
        customer.classes.set(2, segment).unwrap();
        customer.group = group;
        customer.price_group = price_group;
        customer.customer_type = customer_type;
        customer.vat_zone = vat_zone.map(|z| custclass::VatZone::parse(&z).unwrap());
        if let Some(turnover) = turnover {
            customer.attributes.insert("turnover_12m".into(), turnover);
        }
        if let Some(orders) = orders {
            customer.attributes.insert("orders_12m".into(), orders);
        }
        customer.created_at = created_at;
        customer.manual = manual.into_iter().map(str::to_owned).collect();
        customer
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Rows drawn from a few customers, each changed in what doesn't
    /// decide the group, so that many rows share all but a rule's verdict.
    #[test]
    fn generated_tables_classify_alike_in_bulk(
        pool in prop::collection::vec(customer(), 1..6),
        rows in prop::collection::vec((any::<prop::sample::Index>(), pick(&["company", "government", "private"]), 0i64..60_000), 0..150),
    ) {
        let customers: Vec<Customer> = rows
            .into_iter()
            .enumerate()
            .map(|(row, (index, business_type, turnover))| {
                let mut customer = index.get(&pool).clone();
                customer.id = custclass::CustomerId(row.to_string());
                customer.business_type = business_type;
                customer.attributes.insert("turnover_12m".into(), AttrValue::Number(Decimal::from(turnover)));
                customer
            })
            .collect();
        compare(&example_engine(), &customers);
    }
}

/// Hundreds of channels and accounts: thousands of distinct results, each
/// worked out once, and every row still gets its own.
#[test]
fn rows_with_many_distinct_core_values_classify_alike() {
    let groups = ["DOMESTIC", "EU", "WEBSHOP", "LEGACY", "STANDARD"];
    let customers: Vec<Customer> = (0..3000)
        .map(|i: usize| {
            let mut customer = Customer::new(i.to_string());
            customer.channel = Some(format!("channel{}", i % 293).into());
            customer.group = Some(groups[i % 5].to_owned());
            customer.receivables_account = Some(format!("13{:03}", i % 307));
            customer.revenue_account = Some(format!("80{:03}", i % 311));
            customer.customer_type = i.is_multiple_of(7).then(|| "BUSINESS".to_owned());
            customer.price_group = i.is_multiple_of(11).then(|| format!("P{}", i % 13));
            customer
        })
        .collect();
    let distinct = compare(&example_engine(), &customers);
    assert!(distinct > 2000, "{distinct} distinct results");
}
