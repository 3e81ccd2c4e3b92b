//! `CustomerTable::duplicates` finds customers entered twice, however
//! written, and nothing else.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use custclass::{Customer, CustomerTable, DuplicateGroup, DuplicateReason};

fn customer(json: &str) -> Customer {
    Customer::from_json(json).unwrap()
}

fn groups(customers: &[Customer], names: Option<f64>) -> Vec<(DuplicateReason, Vec<usize>)> {
    CustomerTable::from_customers(customers)
        .duplicates(names)
        .into_iter()
        .map(|DuplicateGroup { reason, rows, .. }| (reason, rows))
        .collect()
}

#[test]
fn the_same_customer_written_differently_is_found() {
    let customers = [
        customer(
            r#"{"id": "0", "name": "Jansen Autoschade B.V.", "email": "info@jansen.nl", "vat_number": "NL004495445B01",
            "billing_address": {"street": "Kade 12-A", "postcode": "1234 AB", "country": "NL"}}"#,
        ),
        customer(
            r#"{"id": "1", "name": "Jansen autoschade BV", "email": " INFO@Jansen.NL", "vat_number": "nl 0044.95.445 b01",
            "billing_address": {"street": "kade 12 a", "postcode": "1234ab", "country": "NL"}}"#,
        ),
        customer(
            r#"{"id": "2", "name": "Bakker", "email": "bakker@example.nl",
            "billing_address": {"street": "Kade 12", "postcode": "1234 AB", "country": "NL"}}"#,
        ),
        customer(
            r#"{"id": "3", "name": "Jansen Autoschade", "email": "jansen@other.nl",
            "billing_address": {"street": "Kade 12a", "postcode": "1234 AB", "country": "BE"}}"#,
        ),
        customer(
            r#"{"id": "4", "name": "Smit", "email": "not an address", "vat_number": "DE136695976"}"#,
        ),
        customer(
            r#"{"id": "5", "name": "Smit GmbH", "email": "NOT AN ADDRESS", "vat_number": "DE 136 695 976"}"#,
        ),
    ];
    assert_eq!(
        groups(&customers, None),
        [
            (DuplicateReason::Email, vec![0, 1]),
            (DuplicateReason::VatNumber, vec![0, 1]),
            (DuplicateReason::VatNumber, vec![4, 5]),
            (DuplicateReason::Address, vec![0, 1]),
        ],
        "an address that isn't one is no mailbox; another house number or country is another address"
    );
    let with_names = groups(&customers, Some(0.95));
    assert!(
        with_names.contains(&(DuplicateReason::Name, vec![0, 1])),
        "{with_names:?}"
    );
    assert!(
        !with_names
            .iter()
            .any(|(reason, rows)| *reason == DuplicateReason::Name && rows.contains(&2))
    );
}

#[test]
fn the_groups_say_what_the_rows_share() {
    let customers = [
        customer(r#"{"id": "0", "email": "A@Example.COM"}"#),
        customer(r#"{"id": "1", "email": "a@example.com"}"#),
    ];
    let table = CustomerTable::from_customers(&customers);
    let found = table.duplicates(None);
    assert_eq!(found[0].key, "a@example.com");
    assert_eq!(
        serde_json::to_string(&found[0]).unwrap(),
        r#"{"reason":"email","key":"a@example.com","rows":[0,1]}"#
    );
    assert!(
        CustomerTable::from_customers(&[])
            .duplicates(Some(0.9))
            .is_empty()
    );
}

#[test]
fn a_new_customer_is_checked_against_the_index() {
    let on_file = [
        customer(
            r#"{"id": "100", "email": "info@jansen.nl", "vat_number": "NL004495445B01",
            "billing_address": {"street": "Kade 12a", "postcode": "1234 AB", "country": "NL"}}"#,
        ),
        customer(r#"{"id": "101", "email": "info@jansen.nl"}"#),
        customer(
            r#"{"id": "102", "email": "bakker@example.nl",
            "billing_address": {"street": "Dorpsstraat 1", "postcode": "5678 CD", "country": "NL"}}"#,
        ),
    ];
    let index = CustomerTable::from_customers(&on_file).duplicate_index();
    let new = customer(
        r#"{"id": "200", "email": "Info@Jansen.NL ", "vat_number": "NL 0044.95.445 B01",
        "billing_address": {"street": "KADE  12-A", "postcode": "1234ab", "country": "NL"}}"#,
    );
    let findings: Vec<(String, String)> = index
        .check(&new)
        .into_iter()
        .map(|f| (f.code, f.message))
        .collect();
    assert_eq!(
        findings,
        [
            (
                "duplicate_email".to_owned(),
                "the e-mail address is on file for customer 100, 101".to_owned()
            ),
            (
                "duplicate_vat_number".to_owned(),
                "the VAT number is on file for customer 100".to_owned()
            ),
            (
                "duplicate_address".to_owned(),
                "the address is on file for customer 100".to_owned()
            ),
        ]
    );
    // Editing customer 100 itself finds nothing but the other mailbox owner.
    let edited = CustomerTable::from_customers(&on_file).customer(0).unwrap();
    let codes: Vec<String> = index
        .check(&edited)
        .into_iter()
        .map(|f| f.message)
        .collect();
    assert_eq!(codes, ["the e-mail address is on file for customer 101"]);
    let stranger = customer(
        r#"{"id": "300", "email": "x@y.nl", "billing_address": {"street": "Kade 12", "postcode": "1234 AB", "country": "NL"}}"#,
    );
    assert!(index.check(&stranger).is_empty());
}

/// Emoji, 10,000-character addresses and names, blank strings beside
/// missing values: answers, no panic, nothing lost.
#[test]
fn odd_input_gets_answers_not_panics() {
    let long = "Lange Straat ".repeat(770);
    let customers = [
        customer(&format!(
            r#"{{"id": "0", "name": "Bäckerei 🥨 Müller", "email": "", "ean": " ", "vat_number": "",
            "billing_address": {{"street": "{long} 1", "postcode": "", "country": "DE"}}}}"#
        )),
        customer(&format!(
            r#"{{"id": "1", "name": "{}", "email": "  ", "billing_address": {{"street": "{long} 1", "city": "🥨"}}}}"#,
            "n".repeat(10_000)
        )),
        customer(
            r#"{"id": "2", "name": "Bäckerei 🥨 Müller GmbH", "billing_address": {"street": "🥨 12 a", "postcode": "🥨", "country": "DE"}}"#,
        ),
    ];
    for customer in &customers {
        // A cleared field is no value: no finding, and normalised away.
        assert!(customer.check().is_empty(), "{:?}", customer.check());
        let clean = customer.normalised();
        assert_eq!(
            (
                clean.email.as_deref(),
                clean.ean.as_deref(),
                clean.vat_number.as_deref()
            ),
            (None, None, None)
        );
        assert_eq!(clean.name, customer.name, "the name is kept as typed");
        assert!(customer.anonymise().name.is_none());
    }
    let table = CustomerTable::from_customers(&customers);
    let groups = table.duplicates(Some(0.9));
    assert!(groups.iter().all(|g| g.rows.len() >= 2), "{groups:?}");
    let index = table.duplicate_index();
    assert!(index.check(&customers[2]).is_empty());
    assert_eq!(
        table.customer(1).unwrap().name.unwrap().len(),
        10_000,
        "nothing cut"
    );
}
