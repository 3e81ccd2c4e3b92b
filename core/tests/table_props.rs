//! A customer table gives back every customer it was built from, and its CSV
//! export reads back into the same table.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use custclass::{Address, AttrValue, Customer, CustomerTable};
use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Text a CSV cell keeps as it is: not blank, no spaces at either end.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 ;,\"'\\n@.é-]{0,12}[A-Za-z0-9]|[A-Za-z0-9]"
}

fn code(values: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(values).prop_map(str::to_owned)
}

fn maybe<T: std::fmt::Debug>(
    strategy: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.6, strategy)
}

prop_compose! {
    fn address(country_needed: bool)(
        street in maybe(text()),
        postcode in maybe(text()),
        city in maybe(text()),
        // A delivery address with nothing in it reads back as none at all.
        country in if country_needed {
            code(&["NL", "DE", "GB", "US"]).prop_map(Some).boxed()
        } else {
            maybe(code(&["NL", "DE", "GB", "US"])).boxed()
        },
    ) -> Address {
        let mut address = Address::default();
        address.street = street;
        address.postcode = postcode;
        address.city = city;
        address.country = country.map(|c| c.try_into().unwrap());
        address
    }
}

prop_compose! {
    fn customer(numbers_in_attributes: bool)(
        id in "[A-Z0-9]{1,8}",
        name in maybe(text()),
        email in maybe(text()),
        invoice_email in maybe(text()),
        billing in address(false),
        delivery in prop::option::of(address(true)),
        phone in maybe(text()),
        vat_number in maybe(text()),
        currency in maybe(code(&["EUR", "USD", "JPY"])),
        vat_zone in maybe(code(&["domestic", "eu", "abroad", "domestic_exempt"])),
        credit_limit in maybe((-10_000_000i64..10_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s))),
        channel in maybe(code(&["webshop", "pos", "manual", "marketplace"])),
        classes in prop::collection::vec(maybe(code(&["A", "B", "C"])), 8),
        group in maybe(code(&["EU", "DOMESTIC"])),
        created_at in maybe((0u16..3000).prop_map(|d| Date::new(2020, 1, 1).unwrap().checked_add(jiff::Span::new().days(i64::from(d))).unwrap())),
        turnover in maybe((0i64..1_000_000, 0u32..3).prop_map(|(m, s)| Decimal::new(m, s))),
        note in maybe(text()),
        manual in prop::collection::vec(code(&["type", "group", "class1"]), 0..3),
        anonymised in any::<bool>(),
    ) -> Customer {
        let mut customer = Customer::new(id);
        customer.name = name;
        customer.email = email;
        customer.document_emails.invoice = invoice_email;
        customer.billing_address = billing;
        customer.delivery_address = delivery;
        customer.phone = phone;
        customer.vat_number = vat_number;
        customer.currency = currency.map(|c| c.try_into().unwrap());
        customer.vat_zone = vat_zone.map(|z| custclass::VatZone::parse(&z).unwrap());
        customer.credit_limit = credit_limit;
        customer.channel = channel.map(Into::into);
        for (slot, value) in (1..=8).zip(classes) {
            customer.classes.set(slot, value).unwrap();
        }
        customer.group = group;
        customer.created_at = created_at;
        if let Some(turnover) = turnover {
            let value = if numbers_in_attributes {
                AttrValue::Number(turnover)
            } else {
                AttrValue::Text(turnover.to_string())
            };
            customer.attributes.insert("turnover_12m".into(), value);
        }
        if let Some(note) = note {
            customer.attributes.insert("note".into(), AttrValue::Text(note));
        }
        customer.manual = manual;
        customer.anonymised = anonymised;
        customer
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_table_gives_back_every_customer(customers in prop::collection::vec(customer(true), 0..40)) {
        let table = CustomerTable::from_customers(&customers);
        prop_assert_eq!(table.len(), customers.len());
        for (row, customer) in customers.iter().enumerate() {
            prop_assert_eq!(table.customer(row), Some(customer.clone()));
        }
        prop_assert_eq!(table.customer(customers.len()), None);
    }

    #[test]
    fn csv_written_reads_back_into_the_same_table(customers in prop::collection::vec(customer(false), 0..40)) {
        // A file lists a customer once.
        let customers: Vec<Customer> = customers
            .into_iter()
            .enumerate()
            .map(|(row, mut customer)| {
                customer.id.0 = format!("{row}#{}", customer.id.0);
                customer
            })
            .collect();
        let table = CustomerTable::from_customers(&customers);
        let mut file = Vec::new();
        table.write_csv(&mut file, &[]).unwrap();
        let (again, problems) = CustomerTable::from_csv(file.as_slice()).unwrap();
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(&again, &table);
        for (row, customer) in customers.iter().enumerate() {
            prop_assert_eq!(again.customer(row), Some(customer.clone()));
        }
    }
}

#[test]
fn an_export_with_chosen_columns_keeps_row_order() {
    let file = "id,name,country,class1,attr.turnover_12m\n7,Ada,NL,A,10.50\n3,Bob,DE,,\n";
    let (table, problems) = CustomerTable::from_csv(file.as_bytes()).unwrap();
    assert!(problems.is_empty());
    let mut out = Vec::new();
    table
        .write_csv(&mut out, &["attr.turnover_12m", "id", "class1"])
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "attr.turnover_12m;id;class1\n10.50;7;A\n;3;\n"
    );
    let err = table.write_csv(Vec::new(), &["id", "nmae"]).unwrap_err();
    assert_eq!(err.code(), "unknown_column");
}

#[test]
fn bad_rows_are_reported_and_the_good_ones_kept() {
    let file = "id;country;credit_limit;created_at\n1;NL;12.5;2026-01-31\n2;XX;1;2026-01-31\n3;DE;ten;\n;NL;;\n4;BE;;2026-02-30\n5;FR;;\n";
    let (table, problems) = CustomerTable::from_csv(file.as_bytes()).unwrap();
    let ids: Vec<String> = (0..table.len())
        .map(|row| table.customer(row).unwrap().id.0)
        .collect();
    assert_eq!(ids, ["1", "5"]);
    let found: Vec<(u64, Option<&str>, &str)> = problems
        .iter()
        .map(|p| (p.line.unwrap_or(0), p.column.as_deref(), p.code.as_str()))
        .collect();
    let rows: Vec<usize> = problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, [1, 2, 3, 4], "data rows, 0-based");
    assert_eq!(
        found,
        [
            (3, Some("country"), "invalid_field"),
            (4, Some("credit_limit"), "invalid_field"),
            (5, Some("id"), "invalid_field"),
            (6, Some("created_at"), "invalid_field"),
        ]
    );
}
