//! The arithmetic national check digits are made of.

/// The digits as a number. Every caller passes at most 13 digits, which a
/// `u64` holds.
pub(crate) fn number(digits: &[u32]) -> u64 {
    digits.iter().fold(0u64, |n, &digit| {
        n.saturating_mul(10).saturating_add(u64::from(digit))
    })
}

/// The sum of each digit times its weight.
pub(crate) fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(digit, weight)| digit * weight)
        .sum()
}

/// Luhn's sum (ISO/IEC 7812): from the right, every second digit doubled and
/// the digits of the double added, the rightmost not doubled. A number
/// passes when the sum is a multiple of ten.
pub(crate) fn luhn_sum(digits: &[u32]) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &digit)| {
            if i % 2 == 1 {
                digit * 2 / 10 + digit * 2 % 10
            } else {
                digit
            }
        })
        .sum()
}

/// ISO 7064 MOD 11,10 over all digits, the last being the check digit.
pub(crate) fn mod_11_10(digits: &[u32]) -> bool {
    let Some((&check, body)) = digits.split_last() else {
        return false;
    };
    let product = body.iter().fold(10, |product, &digit| {
        let sum = (digit + product) % 10;
        (if sum == 0 { 10 } else { sum }) * 2 % 11
    });
    (11 - product) % 10 == check
}

/// ISO 7064 MOD 97-10 over text of digits and capital letters (letters
/// count as 10 to 35, written as two digits): the whole ≡ 1 mod 97.
pub(crate) fn mod_97_10(text: impl IntoIterator<Item = u8>) -> bool {
    let mut rest = 0u64;
    for byte in text {
        let Some(value) = char::from(byte).to_digit(36) else {
            return false;
        };
        let shift = if value >= 10 { 100 } else { 10 };
        rest = (rest * shift + u64::from(value)) % 97;
    }
    rest == 1
}

/// Whether the day exists in the proleptic Gregorian calendar (birth dates
/// inside personal numbers).
pub(crate) fn is_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day) && year >= 1
}

/// Two digits as the number they write (`[4, 2]` → 42).
pub(crate) fn pair(tens: u32, ones: u32) -> u32 {
    tens * 10 + ones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schemes_on_known_numbers() {
        // 79927398713 is Luhn's textbook example.
        assert_eq!(luhn_sum(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]) % 10, 0);
        assert!(mod_11_10(&[1, 3, 6, 6, 9, 5, 9, 7, 6]));
        assert!(!mod_11_10(&[1, 3, 6, 6, 9, 5, 9, 7, 7]));
        // An IBAN is ISO 7064 MOD 97-10 with its first four characters moved
        // to the end.
        assert!(mod_97_10(*b"370400440532013000DE89"));
        assert!(!mod_97_10(*b"370400440532013000DE88"));
        assert!(is_date(2000, 2, 29) && !is_date(1900, 2, 29) && !is_date(2001, 13, 1));
    }
}
