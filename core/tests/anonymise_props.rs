//! `Customer::anonymise` erases every string that identifies the person,
//! keeps what the books and reports need, and is idempotent.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use custclass::{Address, AttrValue, Customer, canonical};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Personal text: marked so that no kept field can hold it by chance.
fn personal() -> impl Strategy<Value = String> {
    "[a-z]{3,8}".prop_map(|text| format!("PII{text}"))
}

prop_compose! {
    fn customer()(
        texts in prop::collection::vec(personal(), 22),
        present in prop::collection::vec(any::<bool>(), 22),
        turnover in -1_000_000i64..1_000_000,
        group in prop::option::of(prop::sample::select(&["DOMESTIC", "EU"][..])),
        slot in prop::option::of(prop::sample::select(&["KEY", "SMB"][..])),
        delivery in any::<bool>(),
    ) -> Customer {
        let mut text = texts.into_iter().zip(present).map(|(t, p)| p.then_some(t));
        let mut next = || text.next().flatten();
        let mut customer = Customer::new("C-1");
        customer.name = next();
        customer.attention = next();
        customer.email = next();
        customer.document_emails.quote = next();
        customer.document_emails.order = next();
        customer.document_emails.invoice = next();
        customer.document_emails.credit_note = next();
        customer.document_emails.statement = next();
        let address = |street, postcode, city, country: &str| {
            let mut address = Address::default();
            address.street = street;
            address.postcode = postcode;
            address.city = city;
            address.country = Some(country.parse().unwrap());
            address
        };
        customer.billing_address = address(next(), next(), next(), "NL");
        let (street, postcode, city) = (next(), next(), next());
        customer.delivery_address = delivery.then(|| address(street, postcode, city, "DE"));
        customer.phone = next();
        customer.phone2 = next();
        customer.mobile = next();
        customer.fax = next();
        customer.vat_number = next();
        customer.ean = next();
        if let Some(note) = next() {
            customer.attributes.insert("note".into(), AttrValue::Text(note));
        }
        customer.attributes.insert("turnover_12m".into(), AttrValue::Number(Decimal::new(turnover, 2)));
        customer.group = group.map(str::to_owned);
        customer.classes.set(2, slot.map(str::to_owned)).unwrap();
        customer.receivables_account = Some("1300".into());
        customer
    }
}

proptest! {
    #[test]
    fn no_personal_string_survives_and_the_rest_stays(customer in customer()) {
        let erased = customer.anonymise();
        let json = canonical::to_string(&erased);
        prop_assert!(!json.contains("PII"), "{}", json);
        prop_assert!(erased.anonymised);
        prop_assert_eq!(erased.anonymise(), erased.clone());
        prop_assert_eq!(&erased.id, &customer.id);
        prop_assert_eq!(&erased.group, &customer.group);
        prop_assert_eq!(&erased.classes, &customer.classes);
        prop_assert_eq!(&erased.receivables_account, &customer.receivables_account);
        prop_assert_eq!(&erased.billing_address.country, &customer.billing_address.country);
        prop_assert_eq!(erased.delivery_address.is_some(), customer.delivery_address.is_some());
        prop_assert_eq!(erased.attributes.get("turnover_12m"), customer.attributes.get("turnover_12m"));
    }
}
