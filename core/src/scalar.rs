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

pub use crate::limits::{FLOAT_PLACES, MAX_NUMBER_BYTES};

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
    /// A JSON number (or a float) with more than [`FLOAT_PLACES`] decimal
    /// places: most likely a binary float's error (`0.1 + 0.2`), not a value
    /// anyone meant.
    InexactFloat,
}

/// A float as the decimal it stands for: its shortest form (the digits
/// that read back as the same float, as every host prints it), refused
/// when that has more than [`FLOAT_PLACES`] decimal places, with the
/// message every front end gives.
///
/// # Errors
///
/// The message (without the field's name), for a float with too many
/// places, NaN, an infinity, or one too large for a decimal.
#[cfg(feature = "arrow")]
pub(crate) fn float_decimal<F: Into<f64> + std::fmt::Display + Copy>(
    value: F,
) -> Result<Decimal, String> {
    if !value.into().is_finite() {
        return Err(format!("`{value}` is not a finite number"));
    }
    // Display writes the shortest digits that read back as `value` in its
    // own width (an `f32` 0.1 is 0.1), without an exponent.
    let text = value.to_string();
    match decimal(&text) {
        Ok(number) => exact_places(number).map_err(|_| inexact_message(number)),
        Err(_) => Err(format!("`{value}` is too large for a decimal")),
    }
}

/// `number`, refused when it has more than [`FLOAT_PLACES`] decimal places
/// once trailing zeros are dropped.
fn exact_places(number: Decimal) -> Result<Decimal, NotANumber> {
    match number.normalize().scale() > FLOAT_PLACES {
        true => Err(NotANumber::InexactFloat),
        false => Ok(number),
    }
}

/// What to tell a person who gave `number` as a float: the digits, and the
/// value rounded to [`FLOAT_PLACES`] as the decimal they most likely meant
/// (the digits themselves when that rounds to nothing).
fn inexact_message(number: Decimal) -> String {
    let rounded = number.round_dp_with_strategy(
        FLOAT_PLACES,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let meant = match rounded.is_zero() {
        true => number.normalize(),
        false => rounded.normalize(),
    };
    format!(
        "{} is a float with more than {FLOAT_PLACES} decimal places; pass a decimal or a string such as '{meant}'",
        number.normalize()
    )
}

impl NotANumber {
    /// What to tell a person about `text`: `general` for a plain refusal
    /// (each reader has long phrased those its own way), a reason of its own
    /// for the ones a reader would not guess. Never quotes more than the
    /// start of a long text.
    pub(crate) fn message(self, text: &str, general: impl FnOnce() -> String) -> String {
        match self {
            NotANumber::Malformed | NotANumber::TooPrecise => general(),
            NotANumber::InexactFloat => match json_digits(text) {
                Ok(number) => inexact_message(number),
                Err(_) => general(),
            },
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
/// JavaScript float arrives as `1e-05`. A JSON number is a float to most
/// hosts (a JavaScript runner hands the same number over either way), so
/// one that is some float's shortest form and has more than
/// [`FLOAT_PLACES`] decimal places is refused ([`float_decimal`]'s rule).
/// Digits no float prints (`12345678901234567890.12345678`) are a decimal
/// written out, read exactly; so is any value given as text.
pub(crate) fn json_decimal(text: &str) -> Result<Decimal, NotANumber> {
    let number = json_digits(text)?;
    match is_float_form(text, number) {
        true => exact_places(number),
        false => Ok(number),
    }
}

/// Whether `number` (read from `text`) is what a host prints for some
/// float: the nearest `f64`, printed shortest, is the same number.
fn is_float_form(text: &str, number: Decimal) -> bool {
    text.parse::<f64>()
        .ok()
        .filter(|float| float.is_finite())
        .is_some_and(|float| decimal(&float.to_string()) == Ok(number))
}

/// [`json_decimal`] without the float rule: every digit as written.
fn json_digits(text: &str) -> Result<Decimal, NotANumber> {
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

/// `text` for a message: all of it, or its first 40 characters and `…`
/// (a field, or a value a host sends, can hold a megabyte).
pub(crate) fn quoted(text: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()).into(),
        None => text.into(),
    }
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

/// A day that must be there, read as [`day`] reads it: a timestamp is
/// refused, not cut to its day.
pub(crate) fn deserialize_required_day<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Date, D::Error> {
    deserialize_day(deserializer)?
        .ok_or_else(|| de::Error::custom("a date like 2026-01-31 is required"))
}

/// A decimal field given as a JSON number or as text, read exactly and
/// strictly ([`decimal`]); blank text is no value.
pub(crate) fn deserialize_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    let read = match Scalar::deserialize(deserializer)? {
        Scalar::Null => return Ok(None),
        Scalar::Text(text) if is_blank(&text) => return Ok(None),
        Scalar::Text(text) => (decimal(&text), text),
        Scalar::Number(text) => (json_decimal(&text), text),
        Scalar::Other(json) => {
            return Err(de::Error::custom(format!(
                "expected a decimal number, found {json}"
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

/// serde_json's name for its `RawValue` (feature `raw_value`): asked for a
/// newtype struct of this name, its deserializers hand over the value's JSON
/// text as a one-entry map with this key.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";
/// How serde_json passes a number through serde's buffers (internally
/// tagged enums, `flatten`) when a host turns on its `arbitrary_precision`:
/// a one-entry map with this key and the number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// One JSON value as the decimal and attribute readers take it: a number
/// as its text, never through a float, whichever way serde_json is built.
///
/// Read through serde_json's raw-value door: its own deserializers
/// (`from_str`, `from_slice`, `from_reader`, `from_value`, also wrapped in
/// serde_path_to_error) hand over the value's JSON text, exact. serde's
/// buffered values (internally tagged enums, `flatten`) and other formats
/// give what they hold: text, integers, floats, or the number map of a
/// host's `arbitrary_precision`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Scalar {
    /// `null` (or a missing value, as other formats give it).
    Null,
    /// A string, unescaped.
    Text(String),
    /// The text of a number: JSON's (`1e-05`, `12.50`) or a float's shortest
    /// form.
    Number(String),
    /// Anything else, as JSON for a message: `true`, `[1]`, `{"a":"b"}`.
    Other(String),
}

impl Scalar {
    /// A number's text with its exponent written `e+5`/`e-5`, as messages
    /// have always quoted it (`1E5` and `1e5` alike read `1e+5`).
    fn number(text: &str) -> Scalar {
        match text.split_once(['e', 'E']) {
            Some((mantissa, exponent)) if !exponent.starts_with(['+', '-']) => {
                Scalar::Number(format!("{mantissa}e+{exponent}"))
            }
            Some((mantissa, exponent)) => Scalar::Number(format!("{mantissa}e{exponent}")),
            None => Scalar::Number(text.to_owned()),
        }
    }

    /// The value of a JSON text that serde_json has already checked.
    fn from_raw<E: de::Error>(raw: &str) -> Result<Scalar, E> {
        let raw = raw.trim();
        match raw.as_bytes().first() {
            Some(b'n') => Ok(Scalar::Null),
            Some(b'"') => match raw.get(1..raw.len().saturating_sub(1)) {
                Some(text) if !text.contains('\\') => Ok(Scalar::Text(text.to_owned())),
                _ => serde_json::from_str(raw)
                    .map(Scalar::Text)
                    .map_err(E::custom),
            },
            Some(b'-' | b'0'..=b'9') => Ok(Scalar::number(raw)),
            _ => match serde_json::from_str::<serde_json::Value>(raw) {
                Ok(value) => Ok(Scalar::Other(value.to_string())),
                Err(_) => Ok(Scalar::Other(raw.to_owned())),
            },
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    // Not serde_json's own deserializer: read what the value is.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Scalar, D::Error> {
        inner.deserialize_any(ScalarVisitor)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Scalar, D::Error> {
        inner.deserialize_any(ScalarVisitor)
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other(flag.to_string()))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(text))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(number.to_string()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(number.to_string()))
    }

    fn visit_i128<E: de::Error>(self, number: i128) -> Result<Scalar, E> {
        Ok(Scalar::Number(number.to_string()))
    }

    fn visit_u128<E: de::Error>(self, number: u128) -> Result<Scalar, E> {
        Ok(Scalar::Number(number.to_string()))
    }

    /// A float's shortest text that reads back as it (`0.1`, not
    /// `0.1000000000000000055…`), as serde_json itself prints it.
    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Scalar, E> {
        Ok(match serde_json::Number::from_f64(number) {
            Some(number) => Scalar::number(&number.to_string()),
            None => Scalar::Other(number.to_string()),
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        let value = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Scalar::Other(value.to_string()))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Ok(Scalar::Other("{}".to_owned()));
        };
        if key == RAW_VALUE_TOKEN {
            let raw: String = map.next_value()?;
            return Scalar::from_raw(&raw);
        }
        if key == NUMBER_TOKEN {
            let text: String = map.next_value()?;
            return Ok(Scalar::number(&text));
        }
        let mut object = serde_json::Map::new();
        object.insert(key, map.next_value()?);
        while let Some((key, value)) = map.next_entry()? {
            object.insert(key, value);
        }
        Ok(Scalar::Other(serde_json::Value::Object(object).to_string()))
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
    fn only_a_floats_own_digits_fall_under_the_float_rule() {
        // What a host prints for 0.1 + 0.2: a float, refused.
        assert_eq!(
            json_decimal("0.30000000000000004"),
            Err(NotANumber::InexactFloat)
        );
        assert_eq!(json_decimal("1e-7"), Err(NotANumber::InexactFloat));
        // Digits no float prints: a decimal written out, read exactly.
        let exact = "12345678901234567890.12345678";
        assert_eq!(
            json_decimal(exact).map(|d| d.to_string()).as_deref(),
            Ok(exact)
        );
        assert_eq!(
            json_decimal("43.945").map(|d| d.to_string()).as_deref(),
            Ok("43.945")
        );
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

    /// The decimal readers, by every road a JSON value takes to them.
    mod json {
        use super::super::*;
        use serde::Deserialize;

        const EXACT: &str = "12345678901234567890.12345678";
        /// As many digits, with no more places than a number may carry.
        const WIDE: &str = "1234567890123456789012.123456";

        #[derive(Debug, Deserialize)]
        struct Field {
            #[serde(default, deserialize_with = "deserialize_decimal")]
            d: Option<Decimal>,
        }

        fn direct(json: &str) -> Result<Option<String>, String> {
            serde_json::from_str::<Field>(json)
                .map(|field| field.d.map(|d| d.to_string()))
                .map_err(|err| err.to_string())
        }

        #[test]
        fn numbers_and_text_read_exactly_from_json_text() {
            let exact = Ok(Some(EXACT.to_owned()));
            assert_eq!(
                direct(&format!(r#"{{"d": {WIDE}}}"#)),
                Ok(Some(WIDE.to_owned()))
            );
            assert_eq!(direct(&format!(r#"{{"d": "{EXACT}"}}"#)), exact);
            assert_eq!(direct(&format!(r#"{{"d": " {EXACT} "}}"#)), exact);
            assert_eq!(direct(r#"{"d": 12.50}"#), Ok(Some("12.50".to_owned())));
            assert_eq!(direct(r#"{"d": 1e-05}"#), Ok(Some("0.00001".to_owned())));
            assert_eq!(direct(r#"{"d": "\u0031.5"}"#), Ok(Some("1.5".to_owned())));
            assert_eq!(direct(r#"{"d": null}"#), Ok(None));
            assert_eq!(direct(r#"{"d": "  "}"#), Ok(None));
            assert_eq!(direct("{}"), Ok(None));
            // From a reader and through serde_path_to_error alike.
            let field: Field =
                serde_json::from_reader(format!(r#"{{"d": {WIDE}}}"#).as_bytes()).unwrap();
            assert_eq!(field.d.unwrap().to_string(), WIDE);
            let json = format!(r#"{{"d": {WIDE}}}"#);
            let mut de = serde_json::Deserializer::from_str(&json);
            let field: Field = serde_path_to_error::deserialize(&mut de).unwrap();
            assert_eq!(field.d.unwrap().to_string(), WIDE);
        }

        /// A JSON number is a float to the hosts that send one: more than
        /// six places is arithmetic gone wrong, refused with the value meant.
        #[test]
        fn a_number_with_more_places_than_a_float_carries_is_refused() {
            assert_eq!(
                direct(r#"{"d": 0.30000000000000004}"#).unwrap_err(),
                "0.30000000000000004 is a float with more than 6 decimal places; \
                 pass a decimal or a string such as '0.3' at line 1 column 26"
            );
            assert!(
                direct(r#"{"d": 43.94500000000001}"#)
                    .unwrap_err()
                    .contains("such as '43.945'")
            );
            assert!(direct(r#"{"d": 1e-7}"#).unwrap_err().starts_with(
                "0.0000001 is a float with more than 6 decimal places; \
                 pass a decimal or a string such as '0.0000001'"
            ));
            assert_eq!(direct(r#"{"d": 1.5e-5}"#), Ok(Some("0.000015".to_owned())));
            assert_eq!(
                direct(r#"{"d": 2.50000000}"#),
                Ok(Some("2.50000000".to_owned()))
            );
            assert_eq!(
                direct(r#"{"d": "0.30000000000000004"}"#),
                Ok(Some("0.30000000000000004".to_owned()))
            );
            assert!(
                serde_json::from_str::<crate::AttrValue>("0.1234567")
                    .unwrap_err()
                    .to_string()
                    .contains("such as '0.123457'")
            );
        }

        #[cfg(feature = "arrow")]
        #[test]
        fn floats_follow_the_same_rule() {
            assert_eq!(float_decimal(0.1).unwrap().to_string(), "0.1");
            assert_eq!(float_decimal(0.1_f32).unwrap().to_string(), "0.1");
            assert_eq!(
                float_decimal(1e20).unwrap().to_string(),
                "100000000000000000000"
            );
            assert_eq!(
                float_decimal(0.1 + 0.2).unwrap_err(),
                "0.30000000000000004 is a float with more than 6 decimal places; \
                 pass a decimal or a string such as '0.3'"
            );
            assert!(
                float_decimal(f64::NAN)
                    .unwrap_err()
                    .contains("not a finite number")
            );
        }

        #[test]
        fn anything_else_is_refused_as_before() {
            let refused = |json: &str| direct(json).unwrap_err();
            assert!(refused(r#"{"d": true}"#).starts_with("expected a decimal number, found true"));
            assert!(
                refused(r#"{"d": [1, 2]}"#).starts_with("expected a decimal number, found [1,2]")
            );
            assert!(
                refused(r#"{"d": {"a": "b"}}"#)
                    .starts_with(r#"expected a decimal number, found {"a":"b"}"#)
            );
            assert!(refused(r#"{"d": "1e3"}"#).contains("write it without an exponent"));
            assert!(
                refused(r#"{"d": "ten"}"#)
                    .starts_with("`ten` is not a decimal number of at most 28 significant digits")
            );
            assert!(refused(r#"{"d": 1e40}"#).starts_with("`1e+40` is not a decimal number"));
            assert!(refused(r#"{"d": 1E40}"#).starts_with("`1e+40` is not a decimal number"));
            assert!(refused(r#"{"d": 1e-40}"#).starts_with("`1e-40` is not a decimal number"));
            let path = {
                let json = r#"{"d": "x"}"#;
                let mut de = serde_json::Deserializer::from_str(json);
                let err = serde_path_to_error::deserialize::<_, Field>(&mut de).unwrap_err();
                crate::error::json_path(err.path())
            };
            assert_eq!(path, "$.d");
        }

        #[test]
        fn a_value_reads_as_serde_json_holds_it() {
            let field: Field = serde_json::from_value(serde_json::json!({"d": 0.1})).unwrap();
            assert_eq!(field.d.unwrap().to_string(), "0.1");
            let field: Field = serde_json::from_value(serde_json::json!({"d": EXACT})).unwrap();
            assert_eq!(field.d.unwrap().to_string(), EXACT);
        }

        /// serde's buffer (internally tagged enums, `flatten`): text as it
        /// was written, numbers as serde_json gave them.
        #[test]
        fn buffered_values_read_through_an_enum_and_a_flatten() {
            #[derive(Debug, Deserialize)]
            #[serde(tag = "kind")]
            enum Tagged {
                A {
                    #[serde(deserialize_with = "deserialize_required_decimal")]
                    d: Decimal,
                },
            }
            #[derive(Debug, Deserialize)]
            struct Flat {
                #[serde(flatten)]
                field: Field,
            }
            let Tagged::A { d } =
                serde_json::from_str(&format!(r#"{{"kind": "A", "d": "{EXACT}"}}"#)).unwrap();
            assert_eq!(d.to_string(), EXACT);
            let Tagged::A { d } = serde_json::from_str(r#"{"kind": "A", "d": 2.5}"#).unwrap();
            assert_eq!(d.to_string(), "2.5");
            let Tagged::A { d } = serde_json::from_str(r#"{"kind": "A", "d": -7}"#).unwrap();
            assert_eq!(d.to_string(), "-7");
            let err = serde_json::from_str::<Tagged>(r#"{"kind": "A", "d": null}"#).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("expected a decimal number, found null")
            );
            let flat: Flat = serde_json::from_str(&format!(r#"{{"d": "{EXACT}"}}"#)).unwrap();
            assert_eq!(flat.field.d.unwrap().to_string(), EXACT);
            let flat: Flat = serde_json::from_str(r#"{"d": 0.1}"#).unwrap();
            assert_eq!(flat.field.d.unwrap().to_string(), "0.1");
            let err = serde_json::from_str::<Flat>(r#"{"d": [true]}"#).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("expected a decimal number, found [true]")
            );
        }

        /// A host that turns on serde_json's `arbitrary_precision` buffers a
        /// number as a one-entry map of its text; a deserializer of the raw
        /// door answers with one too.
        #[test]
        fn the_private_maps_of_serde_json_are_read() {
            use serde::de::value::{Error, MapDeserializer};
            let map = |key: &'static str, text: &'static str| {
                MapDeserializer::<_, Error>::new(std::iter::once((key, text)))
            };
            let read = deserialize_decimal(map(NUMBER_TOKEN, WIDE)).unwrap();
            assert_eq!(read.unwrap().to_string(), WIDE);
            let read = deserialize_decimal(map(RAW_VALUE_TOKEN, WIDE)).unwrap();
            assert_eq!(read.unwrap().to_string(), WIDE);
            let read = deserialize_decimal(map(RAW_VALUE_TOKEN, r#""12.5""#)).unwrap();
            assert_eq!(read.unwrap().to_string(), "12.5");
            let read = deserialize_decimal(map(RAW_VALUE_TOKEN, "null")).unwrap();
            assert_eq!(read, None);
            let err = deserialize_decimal(map(RAW_VALUE_TOKEN, "false")).unwrap_err();
            assert_eq!(err.to_string(), "expected a decimal number, found false");
            let err = deserialize_decimal(map("other", "1")).unwrap_err();
            assert_eq!(
                err.to_string(),
                r#"expected a decimal number, found {"other":"1"}"#
            );
        }

        #[test]
        fn attribute_values_read_exactly() {
            use crate::AttrValue;
            let read = |json: &str| serde_json::from_str::<AttrValue>(json);
            assert_eq!(
                read(WIDE).unwrap(),
                AttrValue::Number(WIDE.parse().unwrap())
            );
            assert_eq!(
                read(r#""gold""#).unwrap(),
                AttrValue::Text("gold".to_owned())
            );
            assert!(
                read("null")
                    .unwrap_err()
                    .to_string()
                    .starts_with("expected a number or a string, found null")
            );
            assert!(
                read("[1]")
                    .unwrap_err()
                    .to_string()
                    .starts_with("expected a number or a string, found [1]")
            );
        }
    }
}
