//! Customer JSON → classify, re-classify, check, normalise, anonymise
//! against the example setup: answers or errors, never a panic. The same
//! bytes as text are also the VAT number of a customer in one of the
//! countries checked (or none, or one outside them), and its verdict must
//! agree with `check()` and survive `normalised()`.
#![no_main]

use custclass::Customer;
use example::ENGINE;
use libfuzzer_sys::fuzz_target;

mod example;

/// Billing countries: each way a VAT number is read (member states, the
/// United Kingdom and its `XI`, Switzerland's `CHE`, Norway, Monaco with
/// France, a country without a check).
const COUNTRIES: [Option<&str>; 12] = [
    None,
    Some("NL"),
    Some("BE"),
    Some("GR"),
    Some("ES"),
    Some("IE"),
    Some("GB"),
    Some("CH"),
    Some("NO"),
    Some("MC"),
    Some("CZ"),
    Some("US"),
];

fuzz_target!(|data: &[u8]| {
    let (Some(engine), Ok(text)) = (ENGINE.as_ref(), std::str::from_utf8(data)) else {
        return;
    };
    vat_number(text, COUNTRIES[data.len() % COUNTRIES.len()]);
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

/// `text` as the VAT number of a customer in `country`.
fn vat_number(text: &str, country: Option<&str>) {
    let mut customer = Customer::new("1");
    customer.vat_number = Some(text.to_owned());
    customer.billing_address.country = country.and_then(|c| c.to_owned().try_into().ok());
    let valid = customer.vat_valid();
    let invalid_finding = customer
        .check()
        .iter()
        .any(|finding| finding.code == "invalid_vat_number");
    assert_eq!(valid == Some(false), invalid_finding, "{text:?} in {country:?}");
    assert_eq!(customer.is_b2b(), valid == Some(true));
    let clean = customer.normalised();
    assert_eq!(clean.vat_valid(), valid, "{text:?} → {:?}", clean.vat_number);
    assert_eq!(clean.normalised(), clean, "normalising twice");
}
