//! A segment expression against the example setup: compiled or refused
//! with its offset, and a compiled one judged on a customer, never a
//! panic. (expression_roundtrip checks parse → print → parse.)
#![no_main]

use custclass::Customer;
use example::ENGINE;
use libfuzzer_sys::fuzz_target;

mod example;

fuzz_target!(|data: &[u8]| {
    let (Some(engine), Ok(text)) = (ENGINE.as_ref(), std::str::from_utf8(data)) else {
        return;
    };
    if let Ok(segment) = engine.segment(text) {
        let customer = Customer::from_json(
            r#"{"id": "1", "billing_address": {"country": "NL"}, "vat_number": "NL1", "attributes": {"turnover_12m": "5"}}"#,
        );
        if let Ok(customer) = customer {
            let _ = segment.matches(&customer);
        }
    }
});
