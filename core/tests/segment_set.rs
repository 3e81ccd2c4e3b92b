//! A segment set answers, row for row and segment for segment, what each of
//! its segments answers alone: `SegmentSet::masks` (with and without an
//! index) against `Segment::filter`, and `SegmentSet::mask` against
//! `Segment::matches`, on generated tables and sets.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use custclass::{AttrValue, Customer, CustomerTable, Date, Decimal, Engine, Setup};
use proptest::prelude::*;

fn engine() -> Engine {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/expr/expressions.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Engine::new(Setup::from_json(&doc["setup"].to_string()).unwrap()).unwrap()
}

/// Segments as an overview writes them: tests repeated across segments,
/// the literals, the derived facts, and a numeric attribute some rows
/// can't read.
const POOL: &[&str] = &[
    "true",
    "false",
    "not true or country = 'NL'",
    "country = 'NL'",
    "country = 'NL' and channel = 'webshop'",
    "country = 'NL' and b2b = true",
    "not country = 'NL'",
    "country in ('DE', 'DK') or country is null",
    "channel = 'webshop'",
    "channel = 'webshop' and not (country = 'NL' or vat_zone = 'eu')",
    "vat_zone = 'eu'",
    "vat_zone = 'eu' and b2b = true",
    "vat_zone is null or vat_zone = 'abroad'",
    "b2b = true",
    "b2b = false and true",
    "postcode >= '0500' and postcode < '0700'",
    "postcode starts_with '01'",
    "credit_limit >= 250.5",
    "credit_limit between -10 and 10.25",
    "not credit_limit < 0",
    "created_at >= 2021-01-01 and created_at < 2024-06-30",
    "attr.turnover_12m >= 50000",
    "attr.turnover_12m is null and country = 'NL'",
    "class1 = 'DACH' and not class2 in ('KEY', 'SMB')",
    "class2 = 'KEY' or (class2 = 'KEY' and channel = 'pos')",
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
        turnover in prop::option::weighted(0.6, prop::sample::select(&["49999.99", "50000", "120000.5", "n/a"][..])),
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
        if let Some(turnover) = turnover {
            customer.attributes.insert("turnover_12m".into(), AttrValue::Text(turnover.to_owned()));
        }
        customer
    }
}

/// Up to twelve segments of the pool, in any order, some twice under
/// other names.
fn segments() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        Just(POOL.to_vec()).prop_shuffle(),
        1usize..=12,
        prop::collection::vec(0usize..POOL.len(), 0..3),
    )
        .prop_map(|(pool, n, again)| {
            pool.into_iter()
                .take(n)
                .chain(again.into_iter().map(|i| POOL[i]))
                .enumerate()
                .map(|(i, expr)| (format!("s{i}"), expr.to_owned()))
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_set_answers_what_each_segment_answers_alone(
        mut customers in prop::collection::vec(customer(), 0..400),
        segments in segments(),
    ) {
        for (i, customer) in customers.iter_mut().enumerate() {
            customer.id = custclass::CustomerId(i.to_string());
        }
        let engine = engine();
        let table = CustomerTable::from_customers(&customers);
        let index = table.index();
        let set = engine.segment_set(segments.iter().map(|(n, e)| (n.as_str(), e.as_str()))).unwrap();
        prop_assert_eq!(set.names().collect::<Vec<_>>(), segments.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>());
        let answer = set.masks(&table);
        prop_assert_eq!(&set.masks_indexed(&table, &index), &answer);
        prop_assert_eq!(answer.masks().len(), customers.len());
        for (bit, (_, expr)) in segments.iter().enumerate() {
            let segment = engine.segment(expr).unwrap();
            let alone = segment.filter(&table);
            prop_assert_eq!(answer.rejected(), alone.rejected(), "{}", expr);
            prop_assert_eq!(answer.counts()[bit], alone.count(), "{}", expr);
            prop_assert_eq!(answer.rows(bit).collect::<Vec<_>>(), alone.rows().collect::<Vec<_>>(), "{}", expr);
        }
        for (row, customer) in customers.iter().enumerate() {
            match set.mask(customer) {
                Ok(mask) => prop_assert_eq!(mask, answer.masks()[row], "row {}", row),
                Err(err) => {
                    prop_assert_eq!(answer.masks()[row], 0);
                    prop_assert!(answer.rejected().iter().any(|(r, e)| *r == row && *e == err));
                }
            }
            for (bit, (_, expr)) in segments.iter().enumerate() {
                if let Ok(one) = engine.segment(expr).unwrap().matches(customer) {
                    prop_assert_eq!(answer.masks()[row] >> bit & 1 == 1, one, "{} on row {}", expr, row);
                }
            }
        }
    }
}
