//! Phone numbers: any text gives an answer, never a panic (a panic in the
//! WASM module aborts the page); a number read once reads back the same
//! from its E.164 and from its international form.
#![cfg(feature = "phones")]
#![allow(clippy::unwrap_used)]

use custclass::PhoneFormats;
use proptest::prelude::*;

const COUNTRIES: [Option<&str>; 8] = [
    Some("NL"),
    Some("DE"),
    Some("US"),
    Some("GB"),
    Some("BE"),
    Some("JP"),
    Some("XX"),
    None,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn any_text_gets_an_answer(text in "[0-9+()\\-. xextéÿ#*/٠١٢\u{200b}]{0,40}", at in 0usize..8) {
        let _ = PhoneFormats::of(&text, COUNTRIES[at]);
    }

    #[test]
    fn a_number_reads_back_from_its_forms(digits in "[1-9][0-9]{6,11}", at in 0usize..6) {
        let country = COUNTRIES[at];
        if let Ok(phone) = PhoneFormats::of(&digits, country) {
            let again = PhoneFormats::of(&phone.e164, None).unwrap();
            prop_assert_eq!(&again, &phone);
            let from_international = PhoneFormats::of(&phone.international, None).unwrap();
            prop_assert_eq!(from_international.e164, phone.e164);
        }
    }
}

#[test]
fn long_and_odd_text_gets_an_answer() {
    let long = "0".repeat(10_000);
    assert_eq!(
        PhoneFormats::of(&long, Some("NL")).unwrap_err().code(),
        "invalid_phone"
    );
    for text in [
        "",
        " ",
        "+",
        "++31",
        "+31",
        "\u{0}",
        "+31 20 123 4567 ext. 99999999999999999999",
    ] {
        let _ = PhoneFormats::of(text, Some("NL"));
    }
}
