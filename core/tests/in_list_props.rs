//! `in` and `not in` lists select what a plain scan of the list would, on
//! one customer, over a table and through its index: lists short and long
//! (compared one by one, binary-searched, hashed, merged with a dictionary),
//! on text of one- and two-byte codes, numbers kept as integers or not, and
//! days. A missing value is in no list and out of none.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use custclass::{Customer, CustomerTable, Engine, Setup};
use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn day(offset: i64) -> Date {
    Date::constant(2026, 1, 1)
        .checked_add(jiff::Span::new().days(offset))
        .unwrap()
}

prop_compose! {
    fn customer()(
        id in "[A-C]{1,3}",
        name in prop::option::weighted(0.8, 0..2000u32),
        cents in prop::option::weighted(0.8, -500i64..500),
        created in prop::option::weighted(0.8, 0..60i64),
    ) -> Customer {
        let mut customer = Customer::new(id);
        customer.name = name.map(|n| format!("N{n}"));
        customer.credit_limit = cents.map(|c| Decimal::new(c, 2));
        customer.created_at = created.map(day);
        customer
    }
}

/// A number literal at scales 0 to 3, so `1`, `1.0` and `1.005` turn up.
fn number() -> impl Strategy<Value = Decimal> {
    (-6000i64..6000, 0u32..4)
        .prop_map(|(thousandths, scale)| Decimal::new(thousandths / 10i64.pow(3 - scale), scale))
}

/// What `field [not] in (list)` should select: a known value and whether
/// it is among `list` by plain equality.
fn scan<T: PartialEq>(value: Option<T>, list: &[T], negated: bool) -> bool {
    value.is_some_and(|value| list.contains(&value) != negated)
}

fn check(engine: &Engine, customers: &[Customer], expr: &str, expected: &[bool]) {
    let table = CustomerTable::from_customers(customers);
    let index = table.index();
    let segment = engine.segment(expr).unwrap();
    let selection = segment.filter(&table);
    assert_eq!(segment.filter_indexed(&table, &index), selection, "{expr}");
    for (row, customer) in customers.iter().enumerate() {
        let want = expected[row];
        assert_eq!(selection.contains(row), want, "{expr}: table, row {row}");
        assert_eq!(
            segment.matches(customer).unwrap(),
            want,
            "{expr}: row {row}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_list_selects_what_a_scan_of_it_finds(
        mut customers in prop::collection::vec(customer(), 1..600),
        ids in prop::collection::vec("[A-C]{1,3}", 1..40),
        names in prop::collection::vec(0..2000u32, 1..300),
        numbers in prop::collection::vec(number(), 1..40),
        days in prop::collection::vec(0..60i64, 1..40),
        negated in any::<bool>(),
        mixed_scales in any::<bool>(),
    ) {
        let engine = Engine::new(Setup::standard("NL".to_owned().try_into().unwrap())).unwrap();
        if mixed_scales && let Some(first) = customers.first_mut() {
            // One value at another scale: the column keeps decimals, not
            // integers, and is tested row by row.
            first.credit_limit = Some(Decimal::new(1234, 3));
        }
        let not = if negated { "not " } else { "" };
        let quoted = |texts: &[String]| {
            texts.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ")
        };
        let plain = |items: Vec<String>| items.join(", ");

        let expected: Vec<bool> = customers
            .iter()
            .map(|c| scan(Some(c.id.as_str().to_owned()), &ids, negated))
            .collect();
        check(&engine, &customers, &format!("id {not}in ({})", quoted(&ids)), &expected);

        let names: Vec<String> = names.iter().map(|n| format!("N{n}")).collect();
        let expected: Vec<bool> =
            customers.iter().map(|c| scan(c.name.clone(), &names, negated)).collect();
        check(&engine, &customers, &format!("name {not}in ({})", quoted(&names)), &expected);

        let expected: Vec<bool> =
            customers.iter().map(|c| scan(c.credit_limit, &numbers, negated)).collect();
        let listed = plain(numbers.iter().map(Decimal::to_string).collect());
        check(&engine, &customers, &format!("credit_limit {not}in ({listed})"), &expected);

        let days: Vec<Date> = days.into_iter().map(day).collect();
        let expected: Vec<bool> =
            customers.iter().map(|c| scan(c.created_at, &days, negated)).collect();
        let listed = plain(days.iter().map(Date::to_string).collect());
        check(&engine, &customers, &format!("created_at {not}in ({listed})"), &expected);
    }
}
