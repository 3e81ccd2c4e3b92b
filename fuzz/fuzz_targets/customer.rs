//! Customer JSON → classify, re-classify, check, normalise, anonymise
//! against the example setup: answers or errors, never a panic.
#![no_main]

use std::sync::LazyLock;

use custclass::{Customer, Engine, Setup};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Option<Engine>> = LazyLock::new(|| {
    let setup = Setup::from_json(include_str!("../../examples/setup.json")).ok()?;
    Engine::new(setup).ok()
});

fuzz_target!(|data: &[u8]| {
    let (Some(engine), Ok(text)) = (ENGINE.as_ref(), std::str::from_utf8(data)) else {
        return;
    };
    let Ok(customer) = Customer::from_json(text) else {
        return;
    };
    if let Ok(classified) = engine.classify(&customer) {
        let _ = engine.reclassify(&classified.apply(&customer));
    }
    let _ = engine.check(&customer);
    let _ = customer.normalised();
    let _ = customer.anonymise();
});
