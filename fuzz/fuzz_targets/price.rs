//! A price request against the example setup: any JSON line is refused
//! with a pricing error or priced and explained, never a panic.
#![no_main]

use custclass::{Customer, PriceRequest};
use example::ENGINE;
use libfuzzer_sys::fuzz_target;

mod example;

fuzz_target!(|data: &[u8]| {
    let (Some(engine), Ok(text)) = (ENGINE.as_ref(), std::str::from_utf8(data)) else {
        return;
    };
    let Ok(request) = PriceRequest::from_json(text) else {
        return;
    };
    for customer in [
        r#"{"id": "1", "price_group": "TRADE"}"#,
        r#"{"id": "2", "billing_address": {"country": "DE"}}"#,
    ] {
        if let Ok(customer) = Customer::from_json(customer) {
            let _ = engine.price(&customer, &request);
            let _ = engine.price_lines(&customer, std::slice::from_ref(&request));
        }
    }
});
