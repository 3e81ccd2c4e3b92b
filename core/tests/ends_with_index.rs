//! `ends_with` through a table's index (the rows in the order of their
//! reversed text, for a column of more than 255 values) selects what the
//! scan without the index selects, and what each customer alone gives:
//! empty suffixes, suffixes longer than every value, non-ASCII text,
//! missing values, and `not`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use custclass::{Customer, CustomerTable, Engine, Setup};
use proptest::prelude::*;

/// A suffix as it would be written in an expression (no quotes to escape).
fn suffix() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ab@é.1]{0,3}",
        Just(String::new()),
        Just("@example.com".to_owned()),
        "[ab]{20,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_suffix_through_the_index_selects_what_a_scan_does(
        tails in prop::collection::vec(
            prop::option::weighted(0.85, prop_oneof!["[ab@é.1]{0,5}", Just("@example.com".to_owned())]),
            400..500,
        ),
        suffixes in prop::collection::vec(suffix(), 1..4),
    ) {
        let engine = Engine::new(Setup::standard("NL".to_owned().try_into().unwrap())).unwrap();
        // Distinct enough for two-byte codes: a number, then a random tail;
        // some rows share their value, some have none.
        let customers: Vec<Customer> = tails
            .iter()
            .enumerate()
            .map(|(row, tail)| {
                let mut customer = Customer::new(format!("c{row}"));
                customer.email = tail.as_ref().map(|tail| format!("ü{}{tail}", row % 350));
                customer
            })
            .collect();
        let table = CustomerTable::from_customers(&customers);
        let index = table.index();
        for suffix in &suffixes {
            for expr in [
                format!("email ends_with '{suffix}'"),
                format!("not email ends_with '{suffix}'"),
            ] {
                let segment = engine.segment(&expr).unwrap();
                let scanned = segment.filter(&table);
                // Twice: the order is built by the first query and kept.
                for _ in 0..2 {
                    prop_assert_eq!(&segment.filter_indexed(&table, &index), &scanned, "{}", expr);
                }
                for (row, customer) in customers.iter().enumerate() {
                    prop_assert_eq!(
                        scanned.contains(row),
                        segment.matches(customer).unwrap(),
                        "{} on row {}", expr, row
                    );
                }
            }
        }
    }
}
