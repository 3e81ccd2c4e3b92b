//! A price request against the example setup: any JSON line is refused
//! with a pricing error or priced and explained, never a panic.
#![no_main]

use std::sync::LazyLock;

use custclass::{Customer, Engine, PriceRequest, Setup};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Option<Engine>> = LazyLock::new(|| {
    let setup = Setup::from_json(include_str!("../../examples/setup.json")).ok()?;
    Engine::new(setup).ok()
});

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
