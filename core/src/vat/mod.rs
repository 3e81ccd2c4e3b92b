//! VAT numbers, offline: the prefix, the format and the check digits of
//! every EU member state, Northern Ireland (`XI`), the United Kingdom,
//! Switzerland and Norway, as each national authority publishes them, on
//! the forms people type (`written`). No VIES lookup: whether a number is
//! registered is for the caller to ask VIES
//! (`https://ec.europa.eu/taxation_customs/vies/`) with the compact number
//! this gives.
//!
//! A number passes when its country's check holds; a customer's number is
//! of the country its prefix names, or of the billing country when it has
//! none. Customers elsewhere, with a number without a prefix, are not
//! checked: there is no rule here to check them by.

mod country;
mod digits;
mod written;

use country::{Rule, Why};
use written::{Body, Unreadable};

/// A VAT number that passed: its prefix (`EL` for Greece, `CHE` for
/// Switzerland) and the number in its official compact form, prefix
/// included.
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
    /// Nothing to check it by: no prefix here, and a billing country
    /// outside the countries checked.
    Unchecked,
}

/// What the check makes of one written number, before any message is
/// written: a table asks this of every number it holds.
enum Reading {
    Valid(&'static Rule, Body),
    Invalid(Option<&'static Rule>, Failure),
    Unchecked,
}

enum Failure {
    Unreadable(Unreadable),
    NoPrefix,
    Rule(Why),
}

/// Where a number without a prefix belongs: the rules of the numbers a
/// customer in a billing country has. Worked out once per country, as a
/// table holds few countries and many numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Home {
    rules: &'static [&'static Rule],
    /// Whether the customer has a billing country at all.
    known: bool,
}

impl Home {
    /// The home of a customer in `country` (ISO code): a member state's own
    /// rule (Greece's is `EL`), the United Kingdom's `GB` and `XI`,
    /// Switzerland's `CHE`, Norway's; Monaco's businesses have French
    /// numbers and the Isle of Man's British ones. No rules for other
    /// countries.
    pub(crate) fn of(country: Option<&str>) -> Home {
        let rules = match country.map(str::as_bytes) {
            None => &[],
            Some(b"GB" | b"IM") => GREAT_BRITAIN_AND_NORTHERN_IRELAND,
            Some(b"XI" | b"EL") => &[],
            Some(b"GR") => country::rule_at(b"EL"),
            Some(b"CH") => country::rule_at(b"CHE"),
            Some(b"MC") => country::rule_at(b"FR"),
            Some(code) => country::rule_at(code),
        };
        Home {
            rules,
            known: country.is_some(),
        }
    }

    fn owns(&self, rule: &Rule) -> bool {
        self.rules.iter().any(|own| own.prefix == rule.prefix)
    }
}

const GREAT_BRITAIN_AND_NORTHERN_IRELAND: &[&Rule] = &[&country::GB, &country::XI];

fn read(text: &str, home: Home) -> Reading {
    let compact = match Body::read(text) {
        Ok(compact) => compact,
        Err(unreadable) => return Reading::Invalid(None, Failure::Unreadable(unreadable)),
    };
    let (rule, body) = match (country::prefixed(&compact), home.rules.first()) {
        (Some(found), _) => found,
        (None, Some(rule)) => (*rule, compact),
        (None, None) if home.known => return Reading::Unchecked,
        (None, None) => return Reading::Invalid(None, Failure::NoPrefix),
    };
    match (rule.check)(body) {
        Ok(body) => Reading::Valid(rule, body),
        Err(why) => Reading::Invalid(Some(rule), Failure::Rule(why)),
    }
}

/// Checks `text` as the VAT number of a customer in `country` (ISO code):
/// separators dropped, letters upper-cased, a number without a prefix
/// taken as the country's.
pub(crate) fn check_vat_number(text: &str, country: Option<&str>) -> Result<VatNumber, VatProblem> {
    let invalid = |why: &str| {
        VatProblem::Invalid(format!(
            "`{}` is not a VAT number: {why}",
            crate::scalar::quoted(text)
        ))
    };
    let home = Home::of(country);
    match read(text, home) {
        Reading::Valid(rule, body) => {
            if !home.rules.is_empty() && !home.owns(rule) {
                return Err(VatProblem::OtherCountry {
                    prefix: rule.prefix,
                });
            }
            Ok(VatNumber {
                prefix: rule.prefix,
                number: format!("{}{}", rule.prefix, body.as_str()),
            })
        }
        Reading::Unchecked => Err(VatProblem::Unchecked),
        Reading::Invalid(rule, failure) => Err(invalid(&match (failure, rule) {
            (Failure::Unreadable(Unreadable::Character(_)), _) => {
                "it holds characters other than letters and digits".to_owned()
            }
            (Failure::Unreadable(Unreadable::TooLong), _) => {
                "it is longer than any VAT number".to_owned()
            }
            (Failure::NoPrefix, _) | (Failure::Rule(_), None) => {
                "it doesn't start with a country prefix".to_owned()
            }
            (Failure::Rule(Why::Format), Some(rule)) => {
                format!(
                    "not the format of {} numbers ({})",
                    rule.prefix, rule.format
                )
            }
            (Failure::Rule(Why::CheckDigit), _) => "a check digit is wrong".to_owned(),
            (Failure::Rule(Why::Part(why)), _) => why.to_owned(),
        })),
    }
}

/// Whether `text` passes as the VAT number of a customer in `country`:
/// `None` for a blank number and for one there is no rule to check by.
/// A valid number of another country than the billing address still
/// passes (that is for `check()` to point out, not for the number).
pub(crate) fn passes(text: &str, country: Option<&str>) -> Option<bool> {
    passes_at(text, Home::of(country))
}

/// What a VAT number's text decides before the billing country is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alone {
    /// Blank: no number.
    Blank,
    /// It passes or fails whatever the country: it has a prefix, or it
    /// can't be a VAT number at all.
    Decided(bool),
    /// A number without a prefix: the billing country says whose it is.
    NeedsHome,
}

/// [`passes`] as far as the text alone goes. A table asks this once per
/// distinct number, in the order its dictionary holds them.
pub(crate) fn alone(text: &str) -> Alone {
    if crate::scalar::is_blank(text) {
        return Alone::Blank;
    }
    let compact = match Body::read(text) {
        Ok(compact) => compact,
        Err(_) => return Alone::Decided(false),
    };
    match country::prefixed(&compact) {
        Some((rule, body)) => Alone::Decided((rule.check)(body).is_ok()),
        None => Alone::NeedsHome,
    }
}

/// [`passes`], for a customer whose home is worked out already.
pub(crate) fn passes_at(text: &str, home: Home) -> Option<bool> {
    if crate::scalar::is_blank(text) {
        return None;
    }
    match read(text, home) {
        Reading::Valid(..) => Some(true),
        Reading::Invalid(..) => Some(false),
        Reading::Unchecked => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Valid numbers of every country (python-stdnum's examples), written
    /// as people write them.
    const VALID: [&str; 31] = [
        "ATU13585627",
        "BE 0403.019.261",
        "BG 175 074 752",
        "CHE-107.787.577 IVA",
        "CY 10259033P",
        "CZ 25123891",
        "DE 136,695 976",
        "DK 13 58 56 28",
        "EE 100 931 558",
        "EL 094 259 216",
        "ES A13 585 625",
        "FI 20774740",
        "FR 40 303 265 045",
        "GB 980 7806 84",
        "HR 33392005961",
        "HU 12892312",
        "IE 6433435F",
        "IT 00743110157",
        "LT 119511515",
        "LU 150 274 42",
        "LV 40003521600",
        "MT 1167-9112",
        "NL004495445B01",
        "NO 995 525 828 MVA",
        "PL 856-734-62-15",
        "PT 501 964 843",
        "RO 18547290",
        "SE 123456789701",
        "SI 5022 3054",
        "SK 2022749619",
        "XI 980 7806 84",
    ];

    #[test]
    fn every_country_passes_its_example_and_fails_one_digit_off() {
        for text in VALID {
            let number =
                check_vat_number(text, None).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert!(
                number.number.chars().all(|c| c.is_ascii_alphanumeric()),
                "{number:?}"
            );
            // Change the last digit (the ninth in NL's `…B01`): the check
            // catches it.
            let mut chars: Vec<char> = number.number.chars().collect();
            let at = chars
                .iter()
                .rposition(|c| c.is_ascii_digit() && !number.number.starts_with("NL"))
                .unwrap_or(10);
            chars[at] = char::from_digit((chars[at].to_digit(10).unwrap() + 1) % 10, 10).unwrap();
            let wrong: String = chars.into_iter().collect();
            assert!(check_vat_number(&wrong, None).is_err(), "{wrong} passed");
        }
    }

    #[test]
    fn prefixes_follow_the_country() {
        // (typed, billing country, the number as written back)
        let cases = [
            ("GR094259216", "GR", "EL094259216"),
            ("094259216", "GR", "EL094259216"),
            ("4495445B01", "NL", "NL004495445B01"),
            ("XI980780684", "GB", "XI980780684"),
            ("980780684", "IM", "GB980780684"),
            ("107787577 IVA", "CH", "CHE107787577IVA"),
            ("FR 34 000 123 456", "MC", "FR34000123456"),
        ];
        for (typed, country, written) in cases {
            let number = check_vat_number(typed, Some(country));
            assert_eq!(number.map(|n| n.number).as_deref(), Ok(written), "{typed}");
        }
        assert_eq!(
            check_vat_number("DE136695976", Some("NL")),
            Err(VatProblem::OtherCountry { prefix: "DE" })
        );
        assert!(matches!(
            check_vat_number("123456789", None),
            Err(VatProblem::Invalid(_))
        ));
        assert_eq!(
            check_vat_number("123456789", Some("US")),
            Err(VatProblem::Unchecked)
        );
        assert_eq!(passes("123", Some("NL")), Some(false));
        assert_eq!(passes(" ", Some("NL")), None);
        assert_eq!(passes("12-3456789", Some("US")), None);
        assert_eq!(passes("DE136695976", Some("US")), Some(true));
    }
}
