//! A segment over a customer table selects, row for row, the customers
//! `Segment::matches` selects one at a time: every valid expression of the
//! expression vectors, on their customers and on generated ones.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use custclass::{AttrValue, Customer, CustomerTable, Engine, Setup};
use serde_json::Value;

fn vectors() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/expr/expressions.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Generated customers over the fields and codes the expressions use.
fn generated(n: usize) -> Vec<Customer> {
    let mut seed: u64 = 3;
    let mut next = |bound: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % bound
    };
    let pick = |options: &[&str], i: u64| options.get(i as usize).map(|s| (*s).to_owned());
    (0..n)
        .map(|i| {
            let mut customer = Customer::new(format!("g{i}"));
            let country =
                pick(&["NL", "DK", "DE", "GB", "US", ""], next(6)).filter(|c| !c.is_empty());
            customer.billing_address.country = country.map(|c| c.try_into().unwrap());
            customer.channel = pick(&["webshop", "pos", "manual"], next(4)).map(Into::into);
            customer.email = pick(&["a@example.com", "b@shop.dk", "c@EXAMPLE.COM"], next(4));
            customer.vat_number = pick(&["NL123456782B01", "DK12345674", " "], next(4));
            customer.name = pick(&["Jansen", "Ørsted A/S", "jansen"], next(4));
            customer.postcode_like(next(3));
            customer.created_at = pick(&["2020-12-31", "2021-01-01", "2026-01-31"], next(4))
                .map(|d| d.parse().unwrap());
            customer.credit_limit =
                pick(&["0", "500.00", "50000", "-1"], next(5)).map(|d| d.parse().unwrap());
            customer.anonymised = next(5) == 0;
            for slot in 1..=8 {
                customer
                    .classes
                    .set(slot, pick(&["EU", "NORDIC", "KEY", "A"], next(6)))
                    .unwrap();
            }
            if let Some(turnover) = pick(&["49999.99", "50000", "120000.5", "n/a"], next(6)) {
                let value = match next(2) {
                    0 => AttrValue::Text(turnover),
                    _ => turnover
                        .parse()
                        .map_or(AttrValue::Text("n/a".into()), AttrValue::Number),
                };
                customer.attributes.insert("turnover_12m".into(), value);
            }
            customer
        })
        .collect()
}

trait PostcodeLike {
    fn postcode_like(&mut self, choice: u64);
}

impl PostcodeLike for Customer {
    fn postcode_like(&mut self, choice: u64) {
        self.billing_address.postcode = match choice {
            0 => Some("1234 AB".into()),
            1 => Some("5000".into()),
            _ => None,
        };
    }
}

#[test]
fn a_segment_over_a_table_matches_row_by_row() {
    let doc = vectors();
    let setup = Setup::from_json(&doc["setup"].to_string()).unwrap();
    let engine = Engine::new(setup).unwrap();
    let mut customers: Vec<Customer> = Vec::new();
    let mut expressions: Vec<String> = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let input = &case["input"];
        let text = match &input["customer"] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        if let Ok(customer) = Customer::from_json(&text) {
            customers.push(customer);
        }
        let expr = input["expr"].as_str().unwrap().to_owned();
        if engine.segment(&expr).is_ok() && !expressions.contains(&expr) {
            expressions.push(expr);
        }
    }
    customers.extend(generated(500));
    // Numbers of one scale, which a table keeps as integers, against
    // literals of finer and coarser scales.
    let mut uniform = generated(300);
    for (i, customer) in uniform.iter_mut().enumerate() {
        let cents = (i as i64 * 7919) % 100_000 - 20_000;
        customer.credit_limit = Some(rust_decimal::Decimal::new(cents, 2));
        customer.attributes.insert(
            "turnover_12m".into(),
            AttrValue::Number(rust_decimal::Decimal::new(cents * 3, 2)),
        );
    }
    for expr in [
        "credit_limit > 100.005",
        "credit_limit >= 100.01 and credit_limit <= 300",
        "credit_limit < -0.5",
        "credit_limit = 12.5",
        "credit_limit = 12.505",
        "credit_limit != 0",
        "credit_limit between 0.001 and 99.999",
        "credit_limit in (1, 2.50, 3.333)",
        "attr.turnover_12m >= 50000",
        "not attr.turnover_12m < 0",
        "credit_limit is null",
        "b2b = true",
        "created_at >= 2021-01-01",
        "created_at < 2021-01-01 or created_at is null",
        "created_at between 2020-12-31 and 2021-01-01",
        "created_at in (2026-01-31, 2020-12-31)",
        "not created_at = 2020-12-31",
        "postcode >= '2000'",
        "postcode <= '1234 AB'",
        "postcode > '1234 AB' and postcode < '6000'",
        "name < 'K'",
        "name between 'A' and 'Jansen'",
        "email starts_with 'a@'",
        "name starts_with 'J'",
        "name starts_with 'jansen'",
        "email ends_with '.dk'",
        "name contains 'sen'",
        "name in ('Jansen', 'jansen')",
        "name = 'Ørsted A/S'",
        "name != 'Jansen'",
        "not b2b = true or country = 'NL'",
        "postcode starts_with '12'",
        "name >= 'Name 5'",
        "name between 'Name 1' and 'Name 3'",
        "not name < 'Name 2'",
        "name ends_with '9'",
        "name ends_with 'e 13'",
        "name ends_with ''",
        "not name ends_with '0'",
        "name ends_with 'a name longer than any of them'",
        "postcode ends_with ' AB'",
        "name ends_with 'A/S'",
    ] {
        expressions.push(expr.to_owned());
    }
    // Hundreds of postcodes and names: columns of two-byte codes, which the
    // index keeps sorted rather than as a bit set per value.
    let mut wide = generated(800);
    for (i, customer) in wide.iter_mut().enumerate() {
        customer.billing_address.postcode = Some(format!("{:04} AB", (i * 37) % 9000));
        customer.name = (i % 9 != 0).then(|| format!("Name {}", (i * 13) % 700));
    }
    compare(&engine, &expressions, &uniform);
    compare(&engine, &expressions, &customers);
    compare(&engine, &expressions, &wide);
}

/// Compares `Segment::filter` on a table of `customers` with
/// `Segment::matches` on each customer, for every expression.
fn compare(engine: &Engine, expressions: &[String], customers: &[Customer]) {
    let table = CustomerTable::from_customers(customers);
    let index = table.index();
    assert!(
        index.columns().count() >= 5,
        "{:?}",
        index.columns().collect::<Vec<_>>()
    );
    assert!(expressions.len() >= 20, "{expressions:?}");
    let mut checked = 0;
    for expr in expressions {
        let segment = engine.segment(expr).unwrap();
        let selection = segment.filter(&table);
        assert_eq!(
            segment.filter_indexed(&table, &index),
            selection,
            "{expr}: with and without the index"
        );
        for (row, customer) in customers.iter().enumerate() {
            let rejected = selection.rejected().iter().find(|(r, _)| *r == row);
            match (segment.matches(customer), rejected) {
                (Ok(one), None) => assert_eq!(
                    selection.contains(row),
                    one,
                    "{expr} on row {row}: {}",
                    serde_json::to_string(customer).unwrap()
                ),
                (Err(one), Some((_, bulk))) => assert_eq!(&one, bulk, "{expr} on row {row}"),
                (one, bulk) => panic!("{expr} on row {row}: one customer {one:?}, table {bulk:?}"),
            }
            checked += 1;
        }
        assert_eq!(
            selection.count(),
            selection.rows().count(),
            "{expr}: count and rows disagree"
        );
    }
    println!(
        "{} expressions × {} rows = {checked} answers compared",
        expressions.len(),
        customers.len()
    );
}

#[test]
fn a_segment_exports_its_rows_and_counts_them() {
    let doc = vectors();
    let engine = Engine::new(Setup::from_json(&doc["setup"].to_string()).unwrap()).unwrap();
    let customers = generated(200);
    let table = CustomerTable::from_customers(&customers);
    let segment = engine
        .segment("channel = 'webshop' and country is not null")
        .unwrap();

    let mut file = Vec::new();
    let selection = segment
        .export_csv(&table, &["id", "country"], &mut file)
        .unwrap();
    let text = String::from_utf8(file).unwrap();
    let expected: Vec<String> = customers
        .iter()
        .filter(|c| segment.matches(c).unwrap_or(false))
        .map(|c| format!("{};{}", c.id, c.country().unwrap().as_str()))
        .collect();
    assert_eq!(text, format!("id;country\n{}\n", expected.join("\n")));
    assert_eq!(selection.count(), expected.len());

    let all = table.counts("channel", None).unwrap();
    assert_eq!(all.iter().map(|(_, n)| n).sum::<usize>(), customers.len());
    let selected = table.counts("country", Some(&selection)).unwrap();
    assert_eq!(
        selected.iter().map(|(_, n)| n).sum::<usize>(),
        expected.len()
    );
    assert!(selected.iter().all(|(country, _)| country.is_some()));
    let webshop = customers
        .iter()
        .filter(|c| {
            c.channel
                .as_ref()
                .is_some_and(|ch| ch.as_str() == "webshop")
        })
        .count();
    assert!(
        all.contains(&(Some("webshop".to_owned()), webshop)),
        "{all:?}"
    );
    assert_eq!(
        table.counts("chanel", None).unwrap_err().code(),
        "unknown_column"
    );
}

/// An index keeps the VAT zones of the first engine that asks; an engine
/// with another home country gets its own zones, not the kept ones.
#[test]
fn an_index_keeps_zones_per_home_country() {
    let customers = generated(200);
    let table = CustomerTable::from_customers(&customers);
    let index = table.index();
    for home in ["NL", "DK", "NL"] {
        let setup = Setup::standard(home.to_owned().try_into().unwrap());
        let engine = Engine::new(setup).unwrap();
        for expr in [
            "vat_zone = 'domestic'",
            "vat_zone = 'eu' or vat_zone is null",
        ] {
            let segment = engine.segment(expr).unwrap();
            let selection = segment.filter_indexed(&table, &index);
            assert_eq!(selection, segment.filter(&table), "{home}: {expr}");
            let expected = customers
                .iter()
                .filter(|c| segment.matches(c).unwrap())
                .count();
            assert_eq!(selection.count(), expected, "{home}: {expr}");
        }
    }
}

mod generated_tables {
    //! The same, as a property: on generated tables the index changes no
    //! answer, for tests on one-byte text (bit sets per value), two-byte
    //! text and numbers and days (sorted rows), and VAT zones (kept).

    use super::*;
    use jiff::civil::Date;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    const EXPRESSIONS: [&str; 14] = [
        "country in ('NL', 'DE') and channel = 'webshop'",
        "not country = 'NL' or channel is null",
        "postcode >= '0500' and postcode < '0700'",
        "postcode starts_with '01'",
        "postcode between '0100' and '0199' or postcode is null",
        "credit_limit >= 250.5",
        "credit_limit between -10 and 10.25",
        "credit_limit in (0, 100, 1.5)",
        "not credit_limit < 0",
        "created_at >= 2021-01-01 and created_at < 2024-06-30",
        "created_at in (2020-12-31, 2021-01-01)",
        "vat_zone = 'eu' and b2b = true",
        "vat_zone is null or vat_zone = 'abroad'",
        "class1 = 'DACH' and not class2 in ('KEY', 'SMB')",
    ];

    prop_compose! {
        fn customer()(
            country in prop::option::weighted(0.9, prop::sample::select(&["NL", "DE", "GB", "DK", "US"][..])),
            channel in prop::option::weighted(0.8, prop::sample::select(&["webshop", "pos"][..])),
            postcode in prop::option::weighted(0.9, 0u32..1000),
            credit_cents in prop::option::weighted(0.8, -100_000i64..100_000),
            day in prop::option::weighted(0.8, 0i64..3000),
            vat in any::<bool>(),
            class1 in prop::option::of(prop::sample::select(&["BENELUX", "DACH"][..])),
            class2 in prop::option::of(prop::sample::select(&["KEY", "SMB", "FLEET"][..])),
        ) -> Customer {
            let mut customer = Customer::new("c");
            customer.billing_address.country = country.map(|c| c.to_owned().try_into().unwrap());
            customer.channel = channel.map(|c| c.to_owned().into());
            customer.billing_address.postcode = postcode.map(|p| format!("{p:04}"));
            customer.credit_limit = credit_cents.map(|c| Decimal::new(c, 2));
            customer.created_at = day.map(|d| Date::new(2019, 1, 1).unwrap().checked_add(jiff::Span::new().days(d)).unwrap());
            customer.vat_number = vat.then(|| "DE123456788".to_owned());
            customer.classes.set(1, class1.map(str::to_owned)).unwrap();
            customer.classes.set(2, class2.map(str::to_owned)).unwrap();
            customer
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn the_index_changes_no_answer(mut customers in prop::collection::vec(customer(), 0..600)) {
            for (i, customer) in customers.iter_mut().enumerate() {
                customer.id = custclass::CustomerId(i.to_string());
            }
            let setup = Setup::from_json(&vectors()["setup"].to_string()).unwrap();
            let engine = Engine::new(setup).unwrap();
            let table = CustomerTable::from_customers(&customers);
            let index = table.index();
            for expr in EXPRESSIONS {
                let segment = engine.segment(expr).unwrap();
                let selection = segment.filter(&table);
                prop_assert_eq!(&segment.filter_indexed(&table, &index), &selection, "{}", expr);
                for (row, customer) in customers.iter().enumerate() {
                    prop_assert_eq!(selection.contains(row), segment.matches(customer).unwrap(), "{} on row {}", expr, row);
                }
            }
        }
    }
}
