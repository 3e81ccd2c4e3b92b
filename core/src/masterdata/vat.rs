//! EU VAT numbers, offline: the country prefix, the format, and the check
//! digits where a member state publishes them. No VIES lookup: whether a
//! number is registered is for the caller to ask VIES
//! (`https://ec.europa.eu/taxation_customs/vies/`), with the normalised
//! number this gives.
//!
//! Checked with check digits: AT, BE, DE, DK, EE, EL (Greece), FI, FR
//! (numeric keys), HR, HU, IT, LU, MT, NL, PL, PT, SE, SI, SK. Format only:
//! BG, CY, CZ, ES, FR (letter keys), IE, LT, LV, RO and XI (Northern
//! Ireland).

/// A VAT number that passed: its prefix (`EL` for Greece) and the number
/// without spaces or punctuation, prefix included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VatNumber {
    pub(crate) prefix: &'static str,
    pub(crate) number: String,
}

/// What is wrong with a VAT number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VatProblem {
    /// The format or a check digit, with what is wrong.
    Invalid(String),
    /// A valid number of another country than the customer's.
    OtherCountry { prefix: &'static str },
}

/// The VAT prefix of an ISO country code, when it is an EU member (or
/// Northern Ireland's `XI`): ISO's `GR` is VAT's `EL`.
pub(crate) fn prefix_of(country: &str) -> Option<&'static str> {
    PREFIXES
        .iter()
        .copied()
        .find(|prefix| *prefix == country || (*prefix == "EL" && country == "GR"))
}

const PREFIXES: [&str; 28] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
];

/// Checks `text` as the VAT number of a customer in `country` (ISO code):
/// spaces, dots, dashes and commas are dropped, letters upper-cased; a
/// number without a prefix takes the country's.
pub(crate) fn check_vat_number(text: &str, country: Option<&str>) -> Result<VatNumber, VatProblem> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | ',' | '/'))
        .flat_map(char::to_uppercase)
        .collect();
    let home = country.and_then(prefix_of);
    let invalid = |why: &str| VatProblem::Invalid(format!("`{text}` is not a VAT number: {why}"));
    let (prefix, body) = match PREFIXES.iter().find(|p| compact.starts_with(**p)) {
        Some(prefix) => (*prefix, compact.get(2..).unwrap_or_default()),
        None if compact.starts_with("GR") => ("EL", compact.get(2..).unwrap_or_default()),
        None => match home {
            Some(prefix) if compact.starts_with(|c: char| c.is_ascii_digit()) => {
                (prefix, compact.as_str())
            }
            _ => return Err(invalid("it doesn't start with an EU country prefix")),
        },
    };
    // Old Irish numbers have `+` or `*` as their second character.
    if !body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || (prefix == "IE" && matches!(c, '+' | '*')))
    {
        return Err(invalid("it holds characters other than letters and digits"));
    }
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    let all_digits = digits.len() == body.len();
    let (format_ok, check_ok) = rule(prefix, body, &digits, all_digits);
    if !format_ok {
        return Err(invalid(&format!("not the format of {prefix} numbers")));
    }
    if !check_ok {
        return Err(invalid("a check digit is wrong"));
    }
    if let Some(home) = home
        && home != prefix
    {
        return Err(VatProblem::OtherCountry { prefix });
    }
    Ok(VatNumber {
        prefix,
        number: format!("{prefix}{body}"),
    })
}

/// Whether `body` has the format of `prefix`'s numbers, and whether its
/// check digits hold (true where the country has none we check).
fn rule(prefix: &str, body: &str, d: &[u32], all_digits: bool) -> (bool, bool) {
    let n = body.len();
    let digits_of = |len: usize| all_digits && n == len;
    match prefix {
        "AT" => {
            let rest: Vec<u32> = body
                .chars()
                .skip(1)
                .filter_map(|c| c.to_digit(10))
                .collect();
            let ok = n == 9 && body.starts_with('U') && rest.len() == 8;
            // stdnum's rule: (6 - Luhn sum of the seven digits) mod 10.
            let sum = luhn_sum(rest.get(..7).unwrap_or_default());
            (ok, ok && (16 - sum % 10) % 10 == last(&rest))
        }
        "BE" => {
            let ok = digits_of(10) && d.first().is_some_and(|&f| f <= 1);
            (ok, ok && 97 - number(head(d, 8)) % 97 == number(tail(d, 8)))
        }
        "DE" => (digits_of(9) && first_not_zero(d), mod_11_10(d)),
        "HR" => (digits_of(11), mod_11_10(d)),
        "DK" => (
            digits_of(8) && first_not_zero(d),
            weighted(d, &[2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11),
        ),
        "EE" => (
            digits_of(9),
            weighted(d, &[3, 7, 1, 3, 7, 1, 3, 7, 1]).is_multiple_of(10),
        ),
        "EL" => (
            digits_of(9),
            d.iter().take(8).fold(0, |sum, &digit| sum * 2 + digit) * 2 % 11 % 10 == last(d),
        ),
        "FI" => (
            digits_of(8),
            weighted(d, &[7, 9, 10, 5, 8, 4, 2, 1]).is_multiple_of(11),
        ),
        "FR" => {
            const KEY: &str = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
            let key_ok = body.chars().take(2).all(|c| KEY.contains(c));
            let siren_ok = n == 11 && body.chars().skip(2).all(|c| c.is_ascii_digit());
            let ok = key_ok && siren_ok;
            // The SIREN passes Luhn (but Monaco's, `000…`), and a numeric key
            // is (12 + 3 × (SIREN mod 97)) mod 97.
            let siren: Vec<u32> = body
                .chars()
                .skip(2)
                .filter_map(|c| c.to_digit(10))
                .collect();
            let luhn = body.get(2..5) == Some("000") || luhn_sum(&siren).is_multiple_of(10);
            let key = !all_digits
                || number(d.get(..2).unwrap_or_default())
                    == number(&siren).saturating_mul(100).saturating_add(12) % 97;
            (ok, ok && luhn && key)
        }
        "HU" => (
            digits_of(8),
            weighted(d, &[9, 7, 3, 1, 9, 7, 3, 1]).is_multiple_of(10),
        ),
        "IT" => {
            // Digits 8–10 are the province office: 001–100, 120, 121, 888, 999.
            let office = body.get(7..10).unwrap_or_default();
            let office_ok =
                ("001"..="100").contains(&office) || ["120", "121", "888", "999"].contains(&office);
            (digits_of(11) && office_ok, luhn_sum(d).is_multiple_of(10))
        }
        "LU" => (
            digits_of(8),
            digits_of(8) && number(head(d, 6)) % 89 == number(tail(d, 6)),
        ),
        "MT" => (
            digits_of(8) && first_not_zero(d),
            weighted(d, &[3, 4, 6, 7, 8, 9, 10, 1]).is_multiple_of(37),
        ),
        "NL" => {
            let ok = n == 12
                && body.as_bytes().get(9) == Some(&b'B')
                && body
                    .chars()
                    .enumerate()
                    .all(|(i, c)| i == 9 || c.is_ascii_digit())
                && !body.starts_with("000000000")
                && !body.ends_with("00");
            // The BSN's eleven-test (older numbers), or ISO 7064 MOD 97-10
            // over "NL" and the number (sole traders since 2020).
            let eleven =
                weighted(d, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11 == d.get(8).copied().unwrap_or(11);
            (ok, ok && (eleven || mod_97_10(&format!("NL{body}"))))
        }
        "PL" => (
            digits_of(10),
            weighted(d, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == last(d),
        ),
        "PT" => {
            let r = weighted(d, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
            (
                digits_of(9) && first_not_zero(d),
                (if r < 2 { 0 } else { 11 - r }) == last(d),
            )
        }
        "SE" => (
            digits_of(12) && body.ends_with("01"),
            luhn_sum(d.get(..10).unwrap_or_default()).is_multiple_of(10),
        ),
        "SI" => {
            // 11 - the sum mod 11; 10 is written 0, and 11 can't be.
            let check = 11 - weighted(d, &[8, 7, 6, 5, 4, 3, 2]) % 11;
            (
                digits_of(8) && first_not_zero(d),
                check != 11 && check % 10 == last(d),
            )
        }
        "SK" => (
            digits_of(10)
                && first_not_zero(d)
                && d.get(2).is_some_and(|c| [2, 3, 4, 7, 8, 9].contains(c)),
            number(d).is_multiple_of(11),
        ),
        // Format only.
        "BG" => (all_digits && (n == 9 || n == 10), true),
        "CY" => (
            n == 9
                && body.chars().take(8).all(|c| c.is_ascii_digit())
                && body.ends_with(|c: char| c.is_ascii_uppercase()),
            true,
        ),
        "CZ" => (all_digits && (8..=10).contains(&n), true),
        "ES" => (
            n == 9 && body.chars().skip(1).take(7).all(|c| c.is_ascii_digit()) && !all_digits,
            true,
        ),
        "IE" => (
            (n == 8 || n == 9) && body.chars().skip(2).take(5).all(|c| c.is_ascii_digit()),
            true,
        ),
        "LT" => (all_digits && (n == 9 || n == 12), true),
        "LV" => (digits_of(11), true),
        "RO" => (all_digits && (2..=10).contains(&n), true),
        "XI" => (
            (all_digits && (n == 9 || n == 12))
                || ((body.starts_with("GD") || body.starts_with("HA")) && n == 5),
            true,
        ),
        _ => (false, false),
    }
}

/// The first `n` digits (all of them when there are fewer).
fn head(d: &[u32], n: usize) -> &[u32] {
    d.get(..n).unwrap_or(d)
}

/// The digits after the first `n` (none when there are fewer).
fn tail(d: &[u32], n: usize) -> &[u32] {
    d.get(n..).unwrap_or_default()
}

fn first_not_zero(d: &[u32]) -> bool {
    d.first().is_some_and(|&digit| digit != 0)
}

fn last(d: &[u32]) -> u32 {
    d.last().copied().unwrap_or(u32::MAX)
}

/// The digits as a number; saturating, because a body too long for its
/// country's format is still worked on (its format fails it) and may have
/// more digits than a `u64` holds.
fn number(d: &[u32]) -> u64 {
    d.iter().fold(0u64, |n, &digit| {
        n.saturating_mul(10).saturating_add(u64::from(digit))
    })
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter()
        .zip(weights)
        .map(|(digit, weight)| digit * weight)
        .sum()
}

/// Luhn's sum: from the right, every second digit doubled (the digits of
/// the double summed), the rightmost not.
fn luhn_sum(d: &[u32]) -> u32 {
    d.iter()
        .rev()
        .enumerate()
        .map(|(i, &digit)| {
            if i % 2 == 1 {
                let twice = digit * 2;
                twice / 10 + twice % 10
            } else {
                digit
            }
        })
        .sum()
}

/// ISO 7064 MOD 11,10 over all digits, the last being the check digit.
fn mod_11_10(d: &[u32]) -> bool {
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    let mut product = 10;
    for &digit in body {
        let mut sum = (digit + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = sum * 2 % 11;
    }
    (11 - product) % 10 == check
}

/// ISO 7064 MOD 97-10: letters as 10..35, the whole number ≡ 1 mod 97.
fn mod_97_10(text: &str) -> bool {
    let mut rest = 0u64;
    for c in text.chars() {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        rest = if value >= 10 {
            rest * 100 + u64::from(value)
        } else {
            rest * 10 + u64::from(value)
        } % 97;
    }
    rest == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Valid numbers of every checked country (python-stdnum's examples),
    /// written as people write them.
    const VALID: [&str; 19] = [
        "ATU13585627",
        "BE 0403.019.261",
        "DE 136,695 976",
        "DK 13 58 56 28",
        "EE 100 931 558",
        "EL 094 259 216",
        "FI 20774740",
        "FR 40 303 265 045",
        "HR 33392005961",
        "HU 12892312",
        "IT 00743110157",
        "LU 150 274 42",
        "MT 1167-9112",
        "NL004495445B01",
        "PL 856-734-62-15",
        "PT 501 964 843",
        "SE 123456789701",
        "SI 5022 3054",
        "SK 2022749619",
    ];

    #[test]
    fn the_examples_pass_and_one_digit_off_fails() {
        for text in VALID {
            let number =
                check_vat_number(text, None).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert!(!number.number.contains(' '), "{number:?}");
            // Change the check digit (the last, or the ninth in NL's
            // `…B01`): the check catches it.
            let at = if number.prefix == "NL" {
                10
            } else {
                number.number.len() - 1
            };
            let mut wrong: Vec<char> = number.number.chars().collect();
            wrong[at] = char::from_digit((wrong[at].to_digit(10).unwrap() + 1) % 10, 10).unwrap();
            let wrong: String = wrong.into_iter().collect();
            assert!(check_vat_number(&wrong, None).is_err(), "{wrong} passed");
        }
    }

    #[test]
    fn prefixes_follow_the_country() {
        // Greece is EL in VAT and GR in ISO; a number without a prefix takes
        // the customer's country's.
        assert_eq!(
            check_vat_number("GR094259216", Some("GR")).unwrap().number,
            "EL094259216"
        );
        assert_eq!(
            check_vat_number("094259216", Some("GR")).unwrap().prefix,
            "EL"
        );
        assert_eq!(
            check_vat_number("004495445B01", Some("NL")).unwrap().number,
            "NL004495445B01"
        );
        assert_eq!(
            check_vat_number("DE136695976", Some("NL")),
            Err(VatProblem::OtherCountry { prefix: "DE" })
        );
        assert!(matches!(
            check_vat_number("123456789", None),
            Err(VatProblem::Invalid(_))
        ));
        assert!(matches!(
            check_vat_number("US123456789", Some("US")),
            Err(VatProblem::Invalid(_))
        ));
        assert!(
            check_vat_number("ES X1234567L", None).is_ok(),
            "format only"
        );
    }
}
