//! Customer JSON → classify, re-classify, check, normalise, anonymise
//! against the example setup: answers or errors, never a panic.
#![no_main]

use custclass::Customer;
use example::ENGINE;
use libfuzzer_sys::fuzz_target;

mod example;

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
