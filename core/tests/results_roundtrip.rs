//! Results read back: for generated setups and customers, every result a
//! host stores (classification, re-classification, findings, the setup
//! itself) serialises and deserialises to an equal value; and a
//! re-classification against the earlier classification lists exactly the
//! values that differ, each from its earlier value to its new one.

#![allow(clippy::unwrap_used, clippy::panic)]

use custclass::{
    AttrValue, Classification, Customer, Engine, Finding, Reclassification, ResultField, Setup,
};
use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn example_setup() -> Setup {
    let text = std::fs::read_to_string("../examples/setup.json").unwrap();
    Setup::from_json(&text).unwrap()
}

/// JSON out and back in gives an equal value, through text and through a
/// `serde_json::Value` (as a JSONB column hands it back).
fn reads_back<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), value, "{text}");
    let tree = serde_json::to_value(value).unwrap();
    assert_eq!(&serde_json::from_value::<T>(tree).unwrap(), value, "{text}");
}

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.7, prop::sample::select(values).prop_map(str::to_owned))
}

prop_compose! {
    /// The example setup with another home country, other accounts and
    /// layouts on its groups, and some of its rules left out.
    fn setup()(
        home in prop::sample::select(&["NL", "DE", "GB", "FR", "DK"][..]),
        accounts in prop::collection::vec((pick(&["1300", "1310", "1320", "1399"]), pick(&["8000", "8100", "8200"]), pick(&["invoice-nl", "invoice-en", "receipt"])), 16),
        keep in prop::collection::vec(prop::bool::weighted(0.8), 64),
    ) -> Setup {
        let mut setup = example_setup();
        setup.home_country = home.to_owned().try_into().unwrap();
        for (group, (receivables, revenue, layout)) in setup.groups.iter_mut().zip(accounts) {
            group.receivables_account = receivables;
            group.revenue_account = revenue;
            group.layout = layout;
        }
        let mut kept = keep.into_iter().cycle();
        setup.rules.retain(|_| kept.next().unwrap_or(true));
        // The example's ERP numbers are for its own layouts, which the
        // groups above no longer all use.
        setup.erp = Default::default();
        setup
    }
}

prop_compose! {
    /// Customers in the example setup's terms, some with values stored on
    /// their record as an ERP keeps them.
    fn customer()(
        id in "[A-Z0-9]{1,6}",
        country in pick(&["NL", "BE", "DE", "GB", "US", "MC", "IM", "FR"]),
        vat_number in pick(&["NL004495445B01", "DE136695976", "GB123456782", "FR40303265045", "rubbish"]),
        business_type in pick(&["company", "sole_trader", "private"]),
        channel in pick(&["webshop", "pos", "manual", "api"]),
        group in pick(&["DOMESTIC", "EU", "WEBSHOP"]),
        receivables in pick(&["1300", "1999"]),
        turnover in prop::option::weighted(0.6, (0i64..10_000_000, 0u32..3)),
        created_at in prop::option::weighted(0.5, (0i64..4000).prop_map(|d| Date::new(2017, 1, 1).unwrap().checked_add(jiff::Span::new().days(d)).unwrap())),
        email in pick(&["a@example.com", "not an address"]),
    ) -> Customer {
        let mut customer = Customer::new(id);
        customer.billing_address.country = country.map(|c| c.try_into().unwrap());
        customer.vat_number = vat_number;
        customer.business_type = business_type;
        customer.channel = channel.map(Into::into);
        customer.group = group;
        customer.receivables_account = receivables;
        customer.email = email;
        if let Some((mantissa, scale)) = turnover {
            let number = AttrValue::Number(Decimal::new(mantissa, scale));
            customer.attributes.insert("turnover_12m".into(), number);
        }
        customer.created_at = created_at;
        customer
    }
}

fn value(classification: &Classification, field: ResultField) -> Option<serde_json::Value> {
    classification
        .field(field)
        .map(|assigned| assigned["value"].clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn results_read_back_equal(
        before in setup(),
        after in setup(),
        customers in prop::collection::vec(customer(), 1..8),
    ) {
        reads_back(&before);
        let reread = Setup::from_json(&serde_json::to_string_pretty(&before).unwrap()).unwrap();
        prop_assert_eq!(reread.fingerprint(), before.fingerprint());
        prop_assert_eq!(before.fingerprint() == after.fingerprint(), before == after);

        let (old, new) = (Engine::new(before).unwrap(), Engine::new(after).unwrap());
        for customer in &customers {
            // A customer reads back to the same JSON (a number attribute is
            // written as a decimal string and reads back as that text,
            // which the engine reads as the same number).
            let json = serde_json::to_string(customer).unwrap();
            prop_assert_eq!(serde_json::to_string(&Customer::from_json(&json).unwrap()).unwrap(), json);
            let findings: Vec<Finding> = customer.check();
            reads_back(&findings);
            let Ok(earlier) = old.classify(customer) else {
                continue;
            };
            reads_back(&earlier);
            let stored = serde_json::to_string(&earlier).unwrap();
            prop_assert_eq!(&Classification::from_json(&stored).unwrap(), &earlier);
            prop_assert_eq!(earlier.fingerprint, old.fingerprint());

            // The host writes the values onto its record and keeps the
            // classification; the setup changes; the audit log lists every
            // value that differs, and nothing else.
            let record = earlier.apply(customer);
            let Ok(audit) = new.reclassify_since(&record, &earlier) else {
                continue;
            };
            reads_back(&audit);
            let read: Reclassification = serde_json::from_str(&serde_json::to_string(&audit).unwrap()).unwrap();
            prop_assert_eq!(&read, &audit);
            for field in ResultField::ALL {
                let (was, is) = (value(&earlier, field), value(&audit.classification, field));
                let change = audit.changes.iter().find(|change| change.target == field);
                if is_text(&was) == is_text(&is) {
                    prop_assert!(change.is_none(), "{field}: {change:?}");
                    continue;
                }
                let change = change.unwrap_or_else(|| panic!("{field}: {was:?} -> {is:?} not listed"));
                prop_assert_eq!(change.from.as_ref().map(|a| a.value.clone()), is_text(&was));
                prop_assert_eq!(change.to.as_ref().map(|a| a.value.clone()), is_text(&is));
                prop_assert_eq!(change.setup, new.fingerprint());
                if change.from.as_ref().is_none_or(|a| a.source != custclass::Source::Manual) {
                    prop_assert_eq!(change.from_setup, Some(old.fingerprint()));
                }
            }
        }
    }
}

/// A result value as the text a change carries (`true`, `eu`, `1300`).
fn is_text(value: &Option<serde_json::Value>) -> Option<String> {
    value.as_ref().map(|value| match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    })
}
