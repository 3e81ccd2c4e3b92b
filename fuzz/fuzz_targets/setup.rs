//! Setup JSON → validation → engine: any text is refused with problems or
//! compiled, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(setup) = custclass::Setup::from_json(text) {
        let _ = custclass::Setup::validate(&setup);
        let _ = custclass::Engine::new(setup);
    }
});
