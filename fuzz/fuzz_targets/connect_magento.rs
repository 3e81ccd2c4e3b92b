//! Any bytes as a Magento customer payload (`from_magento`): see `connect.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod connect;
mod example;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    connect::check(custclass::from_magento(text, &connect::options(data)));
});
