//! VAT numbers of any length for every member state get an answer, not a
//! panic: the fuzzer found a French number of 28 digits overflowing the
//! SIREN key's arithmetic (fuzz/fuzz_targets/customer.rs).

use custclass::Customer;

#[test]
fn numbers_of_any_length_get_an_answer() {
    let prefixes = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "GR", "ES", "FI", "FR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
    ];
    for prefix in prefixes {
        for length in 0..=40 {
            for body in [
                "8".repeat(length),
                format!("{}/01", "9".repeat(length)),
                format!("U{}", "0".repeat(length)),
                format!("{}B01", "1".repeat(length)),
            ] {
                let mut customer = Customer::new("1");
                customer.vat_number = Some(format!("{prefix}{body}"));
                let findings = customer.check();
                assert!(findings.len() <= 1, "{prefix}{body}: {findings:?}");
                let _ = customer.normalised();
            }
        }
    }
}
