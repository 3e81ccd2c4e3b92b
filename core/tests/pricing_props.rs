//! Properties of price resolution on generated setups and lines:
//! the declaration order of the rules doesn't change the price (except
//! under `first_match`, where it decides), `best_price` never charges more
//! than a competing rule would, the line total is the rounded unit price
//! times the quantity, the explanation lists every rule once, and
//! `price_lines` agrees with `price`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use custclass::{
    Customer, CustomerScope, Engine, ItemGroup, ItemScope, PriceAction, PriceRequest, PriceRule,
    Quote, Rounding, Setup, Stacking, Strategy as Choice, Verdict,
};
use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

const PRICE_GROUPS: [&str; 2] = ["A", "B"];
const ITEM_GROUPS: [(&str, Option<&str>); 4] = [
    ("TOOLS", None),
    ("DRILLS", Some("TOOLS")),
    ("CORDLESS", Some("DRILLS")),
    ("PAINT", None),
];
const CURRENCIES: [&str; 3] = ["EUR", "JPY", "KWD"];

fn base(strategy: Choice, stacking: Stacking, rounding: Rounding) -> Setup {
    let mut setup = Setup::standard("NL".to_owned().try_into().unwrap());
    setup.price_groups = PRICE_GROUPS
        .iter()
        .map(|code| custclass::PriceGroup {
            code: (*code).to_owned(),
            description: None,
            inactive: false,
        })
        .collect();
    setup.pricing.strategy = strategy;
    setup.pricing.stacking = stacking;
    setup.pricing.rounding = rounding;
    setup.pricing.item_groups = ITEM_GROUPS
        .iter()
        .map(|(code, parent)| ItemGroup {
            code: (*code).to_owned(),
            parent: parent.map(str::to_owned),
        })
        .collect();
    setup
}

fn day(offset: u16) -> Date {
    Date::new(2026, 1, 1)
        .unwrap()
        .checked_add(jiff::Span::new().days(i64::from(offset)))
        .unwrap()
}

fn money(cents: u32) -> Decimal {
    Decimal::new(i64::from(cents), 2)
}

prop_compose! {
    fn rule(stackable_allowed: bool)(
        customers in prop_oneof![
            Just(CustomerScope::All),
            prop::sample::select(&PRICE_GROUPS[..]).prop_map(|c| CustomerScope::PriceGroup(c.to_owned())),
            Just(CustomerScope::Type("BUSINESS".to_owned())),
            Just(CustomerScope::Group("DOMESTIC".to_owned())),
            Just(CustomerScope::Customer("C1".to_owned())),
            Just(CustomerScope::Segment("country = 'NL'".to_owned())),
        ],
        items in prop_oneof![
            Just(ItemScope::All),
            prop::sample::select(&ITEM_GROUPS[..]).prop_map(|(c, _)| ItemScope::ItemGroup(c.to_owned())),
            Just(ItemScope::Item("SKU1".to_owned())),
        ],
        quantities in (0u32..6, 0u32..6, any::<bool>(), any::<bool>()),
        dates in (0u16..200, 0u16..200, any::<bool>()),
        currency in prop::option::of(prop::sample::select(&CURRENCIES[..])),
        action in prop_oneof![
            (0u32..20_000).prop_map(|c| PriceAction::FixedPrice(money(c))),
            (0u32..=100).prop_map(|p| PriceAction::DiscountPercent(Decimal::from(p))),
            (0u32..5_000).prop_map(|c| PriceAction::DiscountAmount(money(c))),
        ],
        priority in prop::option::of(0u32..4),
        stackable in any::<bool>(),
        inactive in prop::bool::weighted(0.1),
    ) -> PriceRule {
        let (low, high, has_min, has_max) = quantities;
        let (a, b, dated) = dates;
        let mut rule = PriceRule::new("", action);
        rule.customers = customers;
        rule.items = items;
        rule.min_quantity = has_min.then(|| Decimal::from(low.min(high)));
        rule.max_quantity = has_max.then(|| Decimal::from(low.max(high)));
        rule.valid_from = dated.then(|| day(a.min(b)));
        rule.valid_to = dated.then(|| day(a.max(b)));
        rule.currency = currency.map(|c| c.to_owned().try_into().unwrap());
        rule.stackable = stackable_allowed && stackable && !matches!(action, PriceAction::FixedPrice(_));
        rule.priority = priority;
        rule.inactive = inactive;
        rule
    }
}

prop_compose! {
    fn rules(stackable_allowed: bool)(list in prop::collection::vec(rule(stackable_allowed), 0..12)) -> Vec<PriceRule> {
        list.into_iter()
            .enumerate()
            .map(|(i, mut rule)| {
                rule.id = format!("r{i}");
                rule
            })
            .collect()
    }
}

prop_compose! {
    fn request()(
        item in prop::sample::select(vec!["SKU1", "SKU2"]),
        group in prop::option::of(prop::sample::select(&ITEM_GROUPS[..])),
        list in 0u32..30_000,
        quantity in 1u32..8,
        date in 0u16..200,
        currency in prop::sample::select(&CURRENCIES[..]),
    ) -> PriceRequest {
        let mut request = PriceRequest::new(
            item,
            money(list),
            Decimal::from(quantity),
            day(date),
            currency.parse().unwrap(),
        );
        request.item_group = group.map(|(code, _)| code.to_owned());
        request
    }
}

prop_compose! {
    fn customer()(id in prop::sample::select(vec!["C1", "C2"]), price_group in prop::option::of(prop::sample::select(&PRICE_GROUPS[..])), business in any::<bool>()) -> Customer {
        let mut customer = Customer::new(id);
        customer.billing_address.country = Some("NL".to_owned().try_into().unwrap());
        customer.price_group = price_group.map(str::to_owned);
        if business {
            customer.vat_number = Some("NL123456782B01".to_owned());
        }
        customer
    }
}

fn engine(mut setup: Setup, rules: Vec<PriceRule>) -> Option<Engine> {
    setup.pricing.rules = rules;
    Engine::new(setup).ok()
}

fn strategy() -> impl Strategy<Value = Choice> {
    prop_oneof![
        Just(Choice::BestPrice),
        Just(Choice::Priority),
        Just(Choice::FirstMatch)
    ]
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![Just(Rounding::HalfUp), Just(Rounding::HalfEven)]
}

/// The price of a rule that competed, from its verdict.
fn competing_price(verdict: &Verdict) -> Option<Decimal> {
    match verdict {
        Verdict::Applied { net_price }
        | Verdict::LostOnPrice { net_price, .. }
        | Verdict::LessSpecific { net_price, .. }
        | Verdict::DeclaredLater { net_price, .. } => Some(*net_price),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn declaration_order_does_not_change_the_price(
        strategy in prop_oneof![Just(Choice::BestPrice), Just(Choice::Priority)],
        rules in rules(true),
        seed in any::<u64>(),
        customer in customer(),
        request in request(),
    ) {
        let setup = base(strategy, Stacking::Additive, Rounding::HalfUp);
        let Some(forward) = engine(setup.clone(), rules.clone()) else {
            return Ok(());
        };
        let mut shuffled = rules;
        // A seeded Fisher-Yates shuffle.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let backward = engine(setup, shuffled).unwrap();
        let (a, b) = (forward.price(&customer, &request), backward.price(&customer, &request));
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.net_price, b.net_price);
                prop_assert_eq!(a.line_total, b.line_total);
                let mut stacked = (a.stacked.clone(), b.stacked.clone());
                stacked.0.sort();
                stacked.1.sort();
                prop_assert_eq!(stacked.0, stacked.1);
                // Only an exact tie (same price and scope) may go to a
                // different rule, and then declaration order decides.
                if a.rule != b.rule {
                    let verdict = |quote: &Quote, id: &str| quote.explanation.iter().flatten()
                        .find(|c| &*c.rule == id).map(|c| c.verdict.clone());
                    let other = b.rule.as_deref().unwrap();
                    prop_assert!(
                        matches!(verdict(&a, other), Some(Verdict::DeclaredLater { .. })),
                        "{:?} won forward, {:?} backward, and it was not a tie", a.rule, b.rule
                    );
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.code(), b.code()),
            (a, b) => prop_assert!(false, "{a:?} against {b:?}"),
        }
    }

    #[test]
    fn best_price_never_charges_more_than_a_competing_rule(
        rules in rules(true),
        rounding in rounding(),
        customer in customer(),
        request in request(),
    ) {
        let setup = base(Choice::BestPrice, Stacking::Additive, rounding);
        let Some(engine) = engine(setup, rules) else { return Ok(()); };
        let Ok(quote) = engine.price(&customer, &request) else { return Ok(()); };
        for candidate in quote.explanation.iter().flatten() {
            if let Some(price) = competing_price(&candidate.verdict) {
                prop_assert!(
                    quote.net_price <= price,
                    "{} for {} is above {} for {}", quote.net_price, quote.rule.as_deref().unwrap_or("-"), price, candidate.rule
                );
            }
        }
    }

    #[test]
    fn line_total_is_the_rounded_unit_price_times_the_quantity(
        strategy in strategy(),
        stacking in prop_oneof![Just(Stacking::Additive), Just(Stacking::Compounded)],
        rounding in rounding(),
        rules in rules(true),
        customer in customer(),
        request in request(),
    ) {
        let setup = base(strategy, stacking, rounding);
        let Some(engine) = engine(setup, rules) else { return Ok(()); };
        let Ok(quote) = engine.price(&customer, &request) else { return Ok(()); };
        let units = request.currency.minor_units();
        let mode = match rounding {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            other => panic!("a rounding this test doesn't know: {other:?}"),
        };
        let total = (quote.net_price * quote.quantity).round_dp_with_strategy(units, mode);
        prop_assert_eq!(quote.line_total, total);
        prop_assert_eq!(quote.net_price.scale(), units);
        prop_assert_eq!(quote.line_total.scale(), units);
        prop_assert!(quote.net_price >= Decimal::ZERO);
    }

    #[test]
    fn the_explanation_lists_every_rule_once_and_price_lines_agrees(
        strategy in strategy(),
        rules in rules(true),
        customer in customer(),
        lines in prop::collection::vec(request(), 1..6),
    ) {
        let setup = base(strategy, Stacking::Compounded, Rounding::HalfUp);
        let ids: Vec<String> = rules.iter().map(|rule| rule.id.clone()).collect();
        let Some(engine) = engine(setup, rules) else { return Ok(()); };
        let mut singles = Vec::new();
        for line in &lines {
            let mut quote = engine.price(&customer, line).unwrap();
            let listed: Vec<String> = quote.explanation.iter().flatten().map(|c| c.rule.to_string()).collect();
            prop_assert_eq!(&listed, &ids);
            let applied = quote.explanation.iter().flatten()
                .filter(|c| matches!(c.verdict, Verdict::Applied { .. })).count();
            prop_assert_eq!(applied, usize::from(quote.rule.is_some()));
            quote.explanation = None;
            singles.push(quote);
        }
        prop_assert_eq!(engine.price_lines(&customer, &lines).unwrap(), singles);
    }
}

/// The columnar pricer behind `Engine::price_batches` against `Engine::price`
/// line by line: customers from a table by id and from the lines' own
/// columns, many customers with few lines each, dates on both sides of the
/// United Kingdom leaving the EU (its zone, and so its group and segment,
/// depend on the line's date), unknown ids, bad customers and bad lines.
#[cfg(feature = "arrow")]
mod columnar {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use custclass::arrow::{ArrowCustomers, batch_json};
    use serde_json::{Value, json};

    use super::*;

    prop_compose! {
        fn shopper()(
            id in 0u8..12,
            country in prop::sample::select(vec!["NL", "DE", "GB", "US"]),
            price_group in prop::option::of(prop::sample::select(vec!["A", "B", "RETIRED"])),
            business in any::<bool>(),
            class1 in prop::option::of(prop::sample::select(vec!["V1", "NOPE"])),
        ) -> Customer {
            let mut customer = Customer::new(format!("C{id}"));
            customer.billing_address.country = Some(country.to_owned().try_into().unwrap());
            customer.price_group = price_group.map(str::to_owned);
            if business {
                customer.vat_number = Some("NL123456782B01".to_owned());
            }
            customer.classes.0[0] = class1.map(str::to_owned);
            customer
        }
    }

    prop_compose! {
        fn line()(
            customer in 0u8..14,
            mut request in request(),
            before_brexit in prop::bool::weighted(0.2),
            bad in prop::sample::select(vec![None, None, None, None, Some("quantity"), Some("list_price"), Some("item_group")]),
        ) -> (String, PriceRequest, Option<&'static str>) {
            if before_brexit {
                request.date = Date::new(2019, 12, 1).unwrap()
                    .checked_add(jiff::Span::new().days(i64::from(customer) * 20)).unwrap();
            }
            (format!("C{customer}"), request, bad)
        }
    }

    fn text(cells: Vec<Option<String>>) -> ArrayRef {
        Arc::new(StringArray::from(cells))
    }

    /// The lines as text columns, with the damage each asks for, and with
    /// `extra` customer columns beside them.
    fn lines_batch(
        lines: &[(String, PriceRequest, Option<&str>)],
        extra: Vec<(&str, Vec<Option<String>>)>,
    ) -> RecordBatch {
        let column = |get: &dyn Fn(&PriceRequest, Option<&str>) -> Option<String>| {
            text(lines.iter().map(|(_, r, bad)| get(r, *bad)).collect())
        };
        let mut columns: Vec<(&str, ArrayRef)> = vec![
            (
                "customer",
                text(lines.iter().map(|(c, ..)| Some(c.clone())).collect()),
            ),
            ("item", column(&|r, _| Some(r.item.clone()))),
            (
                "item_group",
                column(&|r, bad| match bad {
                    Some("item_group") => Some("NO-SUCH-GROUP".to_owned()),
                    _ => r.item_group.clone(),
                }),
            ),
            (
                "list_price",
                column(&|r, bad| match bad {
                    Some("list_price") => Some("-1.00".to_owned()),
                    _ => Some(r.list_price.to_string()),
                }),
            ),
            (
                "quantity",
                column(&|r, bad| match bad {
                    Some("quantity") => Some("0".to_owned()),
                    _ => Some(r.quantity.to_string()),
                }),
            ),
            ("date", column(&|r, _| Some(r.date.to_string()))),
            ("currency", column(&|r, _| Some(r.currency.to_string()))),
        ];
        columns.extend(extra.into_iter().map(|(name, cells)| (name, text(cells))));
        RecordBatch::try_from_iter(columns).unwrap()
    }

    /// What `price` says of each line, as the batch's row would.
    fn expected(
        engine: &Engine,
        customer: Option<&Customer>,
        request: &PriceRequest,
        bad: Option<&str>,
    ) -> Result<Quote, String> {
        let Some(customer) = customer else {
            return Err("unknown_customer".to_owned());
        };
        engine
            .price(customer, &damaged(request, bad))
            .map_err(|error| error.code().to_owned())
    }

    /// The request with the damage `bad` asks for.
    fn damaged(request: &PriceRequest, bad: Option<&str>) -> PriceRequest {
        let mut request = request.clone();
        match bad {
            Some("quantity") => request.quantity = Decimal::ZERO,
            Some("list_price") => request.list_price = Decimal::new(-100, 2),
            Some("item_group") => request.item_group = Some("NO-SUCH-GROUP".to_owned()),
            _ => {}
        }
        request
    }

    fn check(
        engine: &Engine,
        batch: &RecordBatch,
        customers: Option<&ArrowCustomers>,
        want: &[Result<Quote, String>],
    ) -> Result<(), TestCaseError> {
        let (result, problems) = engine
            .price_batches(&batch.schema(), std::slice::from_ref(batch), customers)
            .unwrap();
        let got = batch_json(&result);
        for (row, want) in want.iter().enumerate() {
            let codes: Vec<&str> = problems
                .iter()
                .filter(|p| p.row == row)
                .map(|p| p.code.as_str())
                .collect();
            match want {
                Ok(quote) => {
                    prop_assert!(codes.is_empty(), "line {}: {:?}", row, codes);
                    // One Arrow column has one scale: the widest currency's.
                    let amount = |name: &str| {
                        got[name][row]
                            .as_str()
                            .and_then(|a| a.parse::<Decimal>().ok())
                    };
                    prop_assert_eq!(amount("net_price"), Some(quote.net_price), "line {}", row);
                    prop_assert_eq!(amount("line_total"), Some(quote.line_total), "line {}", row);
                    prop_assert_eq!(&got["rule"][row], &json!(quote.rule.as_deref()));
                    let stacked: Vec<&str> = quote.stacked.iter().map(|id| &**id).collect();
                    let stacked = (!stacked.is_empty()).then(|| stacked.join(","));
                    prop_assert_eq!(&got["stacked"][row], &json!(stacked));
                }
                Err(code) => {
                    prop_assert_eq!(&codes, &[code.as_str()], "line {}", row);
                    prop_assert_eq!(&got["net_price"][row], &Value::Null);
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn columnar_pricing_is_per_line_pricing(
            strategy in strategy(),
            stacking in prop_oneof![Just(Stacking::Additive), Just(Stacking::Compounded)],
            rounding in rounding(),
            mut rules in rules(true),
            zone_segment in any::<bool>(),
            shoppers in prop::collection::vec(shopper(), 1..12),
            lines in prop::collection::vec(line(), 1..40),
        ) {
            if zone_segment && let Some(rule) = rules.first_mut() {
                rule.customers = CustomerScope::Segment("vat_zone = 'eu'".to_owned());
            }
            let mut setup = base(strategy, stacking, rounding);
            setup.price_groups.push(custclass::PriceGroup {
                code: "RETIRED".to_owned(),
                description: None,
                inactive: true,
            });
            setup.slots.push(serde_json::from_str(r#"{"slot": 1, "label": "Region", "values": [{"code": "V1"}]}"#).unwrap());
            let Some(engine) = engine(setup, rules) else { return Ok(()); };
            // The first customer with an id is the one a line names.
            let mut by_id: Vec<Customer> = Vec::new();
            for shopper in shoppers {
                if !by_id.iter().any(|c| c.id == shopper.id) {
                    by_id.push(shopper);
                }
            }
            let find = |id: &str| by_id.iter().find(|c| c.id.0 == id);
            let want: Vec<_> = lines
                .iter()
                .map(|(id, request, bad)| expected(&engine, find(id), request, *bad))
                .collect();
            let customers = ArrowCustomers::from_json_customers(
                &serde_json::to_string(&by_id).unwrap(),
            ).unwrap();
            check(&engine, &lines_batch(&lines, Vec::new()), Some(&customers), &want)?;

            // The same lines as requests for rows of a table (Rust's form).
            let table = custclass::CustomerTable::from_customers(&by_id);
            let rows: Vec<(usize, PriceRequest)> = lines
                .iter()
                .filter_map(|(id, request, bad)| {
                    let row = by_id.iter().position(|c| c.id.0 == *id)?;
                    Some((row, damaged(request, *bad)))
                })
                .collect();
            let got: Vec<_> = engine
                .price_rows(&table, &rows)
                .into_iter()
                .map(|quote| quote.map_err(|error| error.code().to_owned()))
                .collect();
            let want: Vec<_> = rows
                .iter()
                .map(|(row, request)| {
                    let quote = engine.price(&by_id[*row], request);
                    quote
                        .map(|mut quote| {
                            quote.explanation = None;
                            quote
                        })
                        .map_err(|error| error.code().to_owned())
                })
                .collect();
            prop_assert_eq!(got, want);

            // The same lines carrying their customers' columns.
            let known: Vec<_> = lines.iter().filter(|(id, ..)| find(id).is_some()).cloned().collect();
            let field = |get: fn(&Customer) -> Option<String>| -> Vec<Option<String>> {
                known.iter().map(|(id, ..)| find(id).and_then(get)).collect()
            };
            let extra = vec![
                ("country", field(|c| c.country().map(|c| c.as_str().to_owned()))),
                ("price_group", field(|c| c.price_group.clone())),
                ("vat_number", field(|c| c.vat_number.clone())),
                ("class1", field(|c| c.classes.0[0].clone())),
            ];
            let want: Vec<_> = known
                .iter()
                .map(|(id, request, bad)| expected(&engine, find(id), request, *bad))
                .collect();
            check(&engine, &lines_batch(&known, extra), None, &want)?;
        }
    }
}
