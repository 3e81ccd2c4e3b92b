//! Any bytes as a Shopify customer payload (`from_shopify`): see `connect.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod connect;
mod example;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    connect::check(custclass::from_shopify(text, &connect::options(data)));
});
