//! Parse → print → parse: an expression that parses prints a canonical
//! text that parses to the same canonical text, and compiles and judges
//! customers exactly as the original does.
#![no_main]

use custclass::{Customer, format_expression};
use example::ENGINE;
use libfuzzer_sys::fuzz_target;

mod example;

const CUSTOMERS: [&str; 3] = [
    r#"{"id": "1", "billing_address": {"country": "NL"}, "vat_number": "NL1", "attributes": {"turnover_12m": "5"}}"#,
    r#"{"id": "2", "name": "O'Brien", "email": "a@b.de", "billing_address": {"country": "DE", "city": "Köln"}, "channel": "webshop"}"#,
    r#"{"id": "3"}"#,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(printed) = format_expression(text) else {
        return;
    };
    let again = format_expression(&printed)
        .unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}, which doesn't parse: {e}"));
    assert_eq!(printed, again, "printing {text:?} is not a fixed point");

    let Some(engine) = ENGINE.as_ref() else {
        return;
    };
    match (engine.segment(text), engine.segment(&printed)) {
        (Ok(original), Ok(canonical)) => {
            for json in CUSTOMERS {
                if let Ok(customer) = Customer::from_json(json) {
                    assert_eq!(
                        original.matches(&customer).ok(),
                        canonical.matches(&customer).ok(),
                        "{text:?} and {printed:?} judge customer {json} differently"
                    );
                }
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{text:?} and {printed:?} fail differently"),
        (a, b) => panic!("{text:?} compiles: {}, {printed:?} compiles: {}", a.is_ok(), b.is_ok()),
    }
});
