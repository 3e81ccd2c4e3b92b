//! GS1 numbers on the customer card: the GLN that identifies a business in
//! EDI (13 digits), or any GTIN (8, 12, 13 or 14 digits) a system stores in
//! the same field. Each ends in a mod-10 check digit.

/// `text` without spaces, when it is 8, 12, 13 or 14 digits whose last is
/// the GS1 check digit of the others.
///
/// # Errors
///
/// What is wrong: a character that isn't a digit, the length, or the check
/// digit (with the one expected).
pub(crate) fn check_gtin(text: &str) -> Result<String, String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(format!(
            "`{text}` is not a GLN or EAN: `{bad}` is not a digit"
        ));
    }
    if ![8, 12, 13, 14].contains(&digits.len()) {
        return Err(format!(
            "`{text}` is not a GLN or EAN: {} digits, where 8, 12, 13 or 14 are expected",
            digits.len()
        ));
    }
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let (body, check) = values.split_at(values.len() - 1);
    // Weights 3, 1, 3, … from the digit next to the check digit leftwards.
    let sum: u32 = body
        .iter()
        .rev()
        .zip([3, 1].into_iter().cycle())
        .map(|(digit, weight)| digit * weight)
        .sum();
    let expected = (10 - sum % 10) % 10;
    if check != [expected] {
        return Err(format!(
            "`{text}` is not a GLN or EAN: the check digit is {}, where {expected} is expected",
            check.first().copied().unwrap_or_default()
        ));
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_digit_decides() {
        // GS1's own examples: a GLN and an EAN-13, an EAN-8, a GTIN-14.
        for good in [
            "8712345678906",
            "4006381333931",
            "96385074",
            "10614141000415",
            "871 2345 678906",
        ] {
            assert!(check_gtin(good).is_ok(), "{good}");
        }
        assert_eq!(check_gtin("871 2345 678906").unwrap(), "8712345678906");
        let err = check_gtin("8712345678907").unwrap_err();
        assert!(
            err.ends_with("the check digit is 7, where 6 is expected"),
            "{err}"
        );
        assert!(check_gtin("871234567890").is_err());
        assert!(
            check_gtin("87123456789O6")
                .unwrap_err()
                .contains("`O` is not a digit")
        );
    }
}
