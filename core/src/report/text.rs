//! Values written as bytes, exactly as the libraries the reports used to go
//! through write them: CSV fields as the `csv` crate quotes them, JSON
//! strings as serde_json escapes them, decimals as `rust_decimal` and days
//! as `jiff` print them. Each has a fast path for the common case (nothing
//! to quote or escape, a decimal kept as an integer, a four-digit year) and
//! the tests compare every one with the library it stands in for.

use std::io::Write;

use jiff::civil::Date;
use rust_decimal::Decimal;

/// Bytes that make the `csv` crate quote a field (besides the delimiter):
/// its quote, and both line ends (it quotes `\r` too, as its reader takes
/// `\r` for the end of a record).
fn csv_special(byte: u8, delimiter: u8) -> bool {
    byte == delimiter || byte == b'"' || byte == b'\n' || byte == b'\r'
}

/// Appends `field` as a CSV field: as is, or in quotes with its quotes
/// doubled when it holds the delimiter, a quote or a line end.
pub(super) fn csv_field(out: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    if !field.iter().any(|&byte| csv_special(byte, delimiter)) {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for part in field.split_inclusive(|&byte| byte == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// What serde_json writes for byte `byte` inside a string: 0 for the byte
/// itself, else the letter after the backslash (`u` for `\u00XX`).
fn json_escape(byte: u8) -> u8 {
    match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0C => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0..0x20 => b'u',
        _ => 0,
    }
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it
/// (quote, backslash and control characters; everything else as is).
pub(super) fn json_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.push(b'"');
    // No early exit: a fold over every byte runs many bytes at a time.
    let plain = !bytes.iter().fold(false, |seen, &b| {
        seen | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.extend_from_slice(bytes);
    } else {
        let mut start = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            let escape = json_escape(byte);
            if escape == 0 {
                continue;
            }
            out.extend_from_slice(bytes.get(start..at).unwrap_or_default());
            start = at + 1;
            if escape == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hex = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
                out.extend_from_slice(b"\\u00");
                out.push(hex(byte >> 4));
                out.push(hex(byte & 15));
            } else {
                out.push(b'\\');
                out.push(escape);
            }
        }
        out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    }
    out.push(b'"');
}

/// Appends a decimal as `rust_decimal` prints it (and serialises it).
pub(super) fn decimal(out: &mut Vec<u8>, value: Decimal) {
    match i64::try_from(value.mantissa()) {
        // A negative zero keeps its sign in print; the integer can't.
        Ok(mantissa) if !(mantissa == 0 && value.is_sign_negative()) => {
            scaled(out, mantissa, value.scale());
        }
        _ => {
            let _ = write!(out, "{value}");
        }
    }
}

/// Appends the decimal `mantissa` × 10^-`scale` as `rust_decimal` prints
/// it: a sign, the whole digits (at least `0`), then `scale` decimals.
pub(super) fn scaled(out: &mut Vec<u8>, mantissa: i64, scale: u32) {
    if mantissa < 0 {
        out.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = mantissa.unsigned_abs();
    while rest > 0 {
        at -= 1;
        if let Some(place) = digits.get_mut(at) {
            *place = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
    }
    let digits = digits.get(at..).unwrap_or_default();
    let scale = scale as usize;
    let whole = digits.len().saturating_sub(scale);
    match digits.get(..whole) {
        Some(head) if !head.is_empty() => out.extend_from_slice(head),
        _ => out.push(b'0'),
    }
    if scale > 0 {
        out.push(b'.');
        // Zeros between the point and the first digit, then the digits.
        let zeros = scale.saturating_sub(digits.len());
        out.extend(std::iter::repeat_n(b'0', zeros));
        out.extend_from_slice(digits.get(whole..).unwrap_or_default());
    }
}

/// Appends a day as `jiff` prints it (`2026-01-31`).
pub(super) fn day(out: &mut Vec<u8>, day: Date) {
    let year = day.year();
    if (1..=9999).contains(&year) {
        let year = year as u16;
        let (month, date) = (day.month() as u8, day.day() as u8);
        out.extend_from_slice(&[
            b'0' + (year / 1000) as u8,
            b'0' + (year / 100 % 10) as u8,
            b'0' + (year / 10 % 10) as u8,
            b'0' + (year % 10) as u8,
            b'-',
            b'0' + month / 10,
            b'0' + month % 10,
            b'-',
            b'0' + date / 10,
            b'0' + date % 10,
        ]);
    } else {
        let _ = write!(out, "{day}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn csv_crate(field: &str) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(Vec::new());
        writer.write_record(["x", field]).unwrap();
        let mut bytes = writer.into_inner().unwrap();
        bytes.drain(..2);
        bytes.pop();
        bytes
    }

    fn ours_csv(field: &str) -> Vec<u8> {
        let mut out = Vec::new();
        csv_field(&mut out, field.as_bytes(), b';');
        out
    }

    fn ours_json(text: &str) -> String {
        let mut out = Vec::new();
        json_str(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        for field in [
            "",
            "plain",
            "a;b",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rhere",
            "comma, fine",
            "tab\tfine",
            "ünïcødé ;\"",
            "#hash",
        ] {
            assert_eq!(ours_csv(field), csv_crate(field), "{field:?}");
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_byte: String = (0u8..0x80).map(char::from).collect();
        for text in [
            "",
            "plain",
            "quote \" backslash \\ slash /",
            "\u{0}\u{1f}\u{7f}\u{80}é€😀",
            &every_byte,
        ] {
            assert_eq!(ours_json(text), serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn decimals_print_as_rust_decimal_prints_them() {
        let cases = [
            (0i64, 0u32),
            (0, 2),
            (5, 2),
            (-5, 2),
            (12345, 2),
            (-12345, 0),
            (1, 28),
            (i64::MAX, 3),
            (i64::MIN, 5),
            (i64::MIN, 0),
        ];
        for (mantissa, scale) in cases {
            let value = Decimal::new(mantissa, scale);
            let mut out = Vec::new();
            scaled(&mut out, mantissa, scale);
            assert_eq!(String::from_utf8(out).unwrap(), value.to_string());
            let mut out = Vec::new();
            decimal(&mut out, value);
            assert_eq!(String::from_utf8(out).unwrap(), value.to_string());
        }
        let negative_zero = Decimal::new(-1, 2) * Decimal::ZERO;
        let huge: Decimal = "79228162514264337593543950335".parse().unwrap();
        for value in [negative_zero, huge, -huge, Decimal::new(1, 28)] {
            let mut out = Vec::new();
            decimal(&mut out, value);
            let serialized = serde_json::to_value(value).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serialized.as_str().unwrap()
            );
        }
    }

    #[test]
    fn days_print_as_jiff_prints_them() {
        for (y, m, d) in [
            (2026, 1, 31),
            (1, 1, 1),
            (999, 12, 9),
            (9999, 12, 31),
            (0, 1, 1),
            (-1, 6, 15),
            (-9999, 1, 1),
        ] {
            let date = Date::new(y, m, d).unwrap();
            let mut out = Vec::new();
            day(&mut out, date);
            let serialized = serde_json::to_value(date).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serialized.as_str().unwrap()
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_quotes_and_escapes_as_the_libraries_do(text in ".*") {
            prop_assert_eq!(ours_csv(&text), csv_crate(&text));
            prop_assert_eq!(ours_json(&text), serde_json::to_string(&text).unwrap());
        }

        #[test]
        fn any_decimal_prints_as_rust_decimal_does(mantissa in any::<i64>(), scale in 0u32..=28) {
            let value = Decimal::new(mantissa, scale);
            let mut out = Vec::new();
            scaled(&mut out, mantissa, scale);
            prop_assert_eq!(String::from_utf8(out).unwrap(), value.to_string());
        }
    }
}
