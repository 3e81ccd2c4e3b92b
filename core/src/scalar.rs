//! Single values read from text, one way at every door: a decimal, a day,
//! a flag, and what counts as no value at all.
//!
//! Every reader of customers, order lines and setups (JSON, CSV, Arrow, the
//! expression lexer) calls these, so a value means the same wherever it
//! arrives. Two rules matter most:
//!
//! - **Blank text is no value.** An empty or all-space field from a web form
//!   is missing, not a value: `vat_number: ""` must not make a private
//!   shopper a business customer through `vat_number is not null`.
//! - **Numbers are read strictly and in bounded time.** Optional sign,
//!   digits, at most one point; no digit separators, no exponent, at most
//!   [`MAX_NUMBER_BYTES`] bytes, checked before any library parse.
//!   (`rust_decimal` reads `1_000` as 1000 and recurses once per `_`, so a
//!   long run of them overflows the stack.) A JSON number may carry an
//!   exponent, since that is how hosts print floats (`1e-05`).

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer};

pub use crate::limits::MAX_NUMBER_BYTES;

/// Whether `text` holds no value: empty, or only white space.
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Text as a value: `None` when it is blank.
pub(crate) fn non_blank(text: Option<String>) -> Option<String> {
    text.filter(|text| !is_blank(text))
}

/// Why a text is not a decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotANumber {
    /// Not digits with at most one point (`ten`, `12,5`, `1.2.3`).
    Malformed,
    /// Digit separators (`1_000`), which other readers take as digits.
    Separator,
    /// An exponent in text (`1e3`).
    Exponent,
    /// Longer than [`MAX_NUMBER_BYTES`].
    TooLong(usize),
    /// Well formed, but more than a `Decimal` holds (28 significant digits).
    TooPrecise,
}

impl NotANumber {
    /// What to tell a person about `text`: `general` for a plain refusal
    /// (each reader has long phrased those its own way), a reason of its own
    /// for the ones a reader would not guess. Never quotes more than the
    /// start of a long text.
    pub(crate) fn message(self, text: &str, general: impl FnOnce() -> String) -> String {
        match self {
            NotANumber::Malformed | NotANumber::TooPrecise => general(),
            NotANumber::Separator => {
                format!(
                    "`{text}` is not a decimal number: digit separators such as `_` are not read"
                )
            }
            NotANumber::Exponent => {
                format!("`{text}` is not a decimal number: write it without an exponent")
            }
            NotANumber::TooLong(bytes) => {
                let start: String = text.chars().take(16).collect();
                format!(
                    "`{start}…` is not a decimal number: it is {bytes} bytes long, and numbers are limited to {MAX_NUMBER_BYTES}"
                )
            }
        }
    }
}

/// Reads a decimal written as text: surrounding white space, an optional
/// sign, digits with at most one point. Exact: more digits than a `Decimal`
/// holds is a refusal, never a rounding.
pub(crate) fn decimal(text: &str) -> Result<Decimal, NotANumber> {
    if text.len() > MAX_NUMBER_BYTES {
        return Err(NotANumber::TooLong(text.len()));
    }
    let text = text.trim();
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let mut points = 0;
    let mut any_digit = false;
    for byte in digits.bytes() {
        match byte {
            b'0'..=b'9' => any_digit = true,
            b'.' => points += 1,
            b'_' => return Err(NotANumber::Separator),
            b'e' | b'E' if any_digit => return Err(NotANumber::Exponent),
            _ => return Err(NotANumber::Malformed),
        }
    }
    if !any_digit || points > 1 {
        return Err(NotANumber::Malformed);
    }
    Decimal::from_str_exact(text).map_err(|_| NotANumber::TooPrecise)
}

/// Reads the text of a JSON number (`-?digits(.digits)?([eE][+-]?digits)?`,
/// as the JSON reader has already checked), exponent included: a Python or
/// JavaScript float arrives as `1e-05`.
pub(crate) fn json_decimal(text: &str) -> Result<Decimal, NotANumber> {
    if text.len() > MAX_NUMBER_BYTES {
        return Err(NotANumber::TooLong(text.len()));
    }
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return decimal(text);
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let exponent_ok = {
        let digits = exponent.strip_prefix('-').unwrap_or(exponent);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !exponent_ok {
        return Err(NotANumber::Malformed);
    }
    decimal(mantissa)?;
    Decimal::from_scientific(text).map_err(|_| NotANumber::TooPrecise)
}

/// Reads a day written `YYYY-MM-DD`, and nothing longer: a timestamp would
/// otherwise lose its time (and offset) without a word.
pub(crate) fn day(text: &str) -> Result<Date, String> {
    let text = text.trim();
    match text.parse::<Date>() {
        Ok(day) if text.len() == 10 => Ok(day),
        _ => Err(format!("`{text}` is not a date like 2026-01-31")),
    }
}

/// Reads a yes/no cell as spreadsheets write it.
pub(crate) fn flag(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(format!("`{text}` is not true or false")),
    }
}

// Serde readers: JSON fields read by the same rules as text.

pub(crate) fn deserialize_day<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Date>, D::Error> {
    match non_blank(Option::<String>::deserialize(deserializer)?) {
        Some(text) => day(&text).map(Some).map_err(de::Error::custom),
        None => Ok(None),
    }
}

/// A decimal field given as a JSON number or as text, read exactly and
/// strictly ([`decimal`]); blank text is no value.
pub(crate) fn deserialize_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    let read = match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::String(text) if is_blank(&text) => return Ok(None),
        serde_json::Value::String(text) => (decimal(&text), text),
        serde_json::Value::Number(number) => {
            let text = number.to_string();
            (json_decimal(&text), text)
        }
        other => {
            return Err(de::Error::custom(format!(
                "expected a decimal number, found {other}"
            )));
        }
    };
    match read {
        (Ok(value), _) => Ok(Some(value)),
        (Err(why), text) => Err(de::Error::custom(why.message(&text, || {
            format!("`{text}` is not a decimal number of at most 28 significant digits")
        }))),
    }
}

/// As [`deserialize_decimal`], for a decimal that must be there.
pub(crate) fn deserialize_required_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Decimal, D::Error> {
    deserialize_decimal(deserializer)?
        .ok_or_else(|| de::Error::custom("expected a decimal number, found null"))
}

/// A text field: blank text (`""`, `"  "`, as web forms send an empty
/// input) is no value, so that `vat_number is not null` and B2B agree.
pub(crate) fn deserialize_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(non_blank(Option::<String>::deserialize(deserializer)?))
}

/// A field read from text (a country, a currency, a zone, a channel):
/// blank text is no value, anything else is read as the field's type reads
/// it, with that type's message.
pub(crate) fn deserialize_coded<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    use serde::de::IntoDeserializer;
    match non_blank(Option::<String>::deserialize(deserializer)?) {
        Some(text) => {
            let text: de::value::StringDeserializer<de::value::Error> = text.into_deserializer();
            T::deserialize(text).map(Some).map_err(de::Error::custom)
        }
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<String, NotANumber> {
        decimal(text).map(|d| d.to_string())
    }

    #[test]
    fn plain_decimals_are_read_exactly() {
        for (text, value) in [
            ("0", "0"),
            ("12.50", "12.50"),
            (" -3.1 ", "-3.1"),
            ("+7", "7"),
            (".5", "0.5"),
            ("5.", "5"),
            ("12345678901234567890.12", "12345678901234567890.12"),
        ] {
            assert_eq!(read(text).as_deref(), Ok(value), "{text}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        for (text, why) in [
            ("", NotANumber::Malformed),
            ("-", NotANumber::Malformed),
            (".", NotANumber::Malformed),
            ("ten", NotANumber::Malformed),
            ("12,5", NotANumber::Malformed),
            ("1.2.3", NotANumber::Malformed),
            ("--1", NotANumber::Malformed),
            ("0x10", NotANumber::Malformed),
            ("1_000", NotANumber::Separator),
            ("1_0", NotANumber::Separator),
            ("1e3", NotANumber::Exponent),
            ("1E-2", NotANumber::Exponent),
            ("NaN", NotANumber::Malformed),
            (
                "0.12345678901234567890123456789012345",
                NotANumber::TooPrecise,
            ),
        ] {
            assert_eq!(decimal(text), Err(why), "{text}");
        }
    }

    #[test]
    fn json_numbers_may_carry_an_exponent() {
        let read = |text| json_decimal(text).map(|d| d.to_string());
        assert_eq!(read("1e-05").as_deref(), Ok("0.00001"));
        assert_eq!(read("2.5E+3").as_deref(), Ok("2500"));
        assert_eq!(read("-4").as_deref(), Ok("-4"));
        assert_eq!(json_decimal("1e+40"), Err(NotANumber::TooPrecise));
        assert_eq!(json_decimal("1e"), Err(NotANumber::Malformed));
        assert_eq!(json_decimal("1_0e2"), Err(NotANumber::Separator));
    }

    #[test]
    fn a_long_number_is_refused_before_it_is_parsed() {
        let long = format!("1{}", "_".repeat(500_000));
        assert_eq!(decimal(&long), Err(NotANumber::TooLong(500_001)));
        assert_eq!(json_decimal(&long), Err(NotANumber::TooLong(500_001)));
        let message = NotANumber::TooLong(500_001).message(&long, String::new);
        assert!(message.len() < 200, "{message}");
    }

    /// The crash this reader exists for: a megabyte of separators read on a
    /// thread with a small stack, as a host's worker thread may have.
    #[test]
    fn a_megabyte_of_separators_does_not_overflow_a_small_stack() {
        let text = format!("1{}", "_".repeat(1 << 20));
        let outcome = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || (decimal(&text).is_err(), json_decimal(&text).is_err()))
            .map(|thread| thread.join());
        assert!(matches!(outcome, Ok(Ok((true, true)))));
        let short = format!("1{}", "_".repeat(MAX_NUMBER_BYTES - 1));
        let outcome = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || decimal(&short))
            .map(|thread| thread.join());
        assert!(matches!(outcome, Ok(Ok(Err(NotANumber::Separator)))));
    }

    #[test]
    fn blank_is_empty_or_white_space() {
        assert!(is_blank("") && is_blank(" \t\n") && !is_blank(" x "));
        assert_eq!(non_blank(Some("  ".into())), None);
        assert_eq!(non_blank(Some(" a".into())).as_deref(), Some(" a"));
    }
}
