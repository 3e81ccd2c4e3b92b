//! The forms people type a VAT number in, read into one compact form: the
//! separators they use dropped (spaces of every kind, dots, dashes of every
//! kind, commas, slashes, a colon after the prefix), letters upper-cased.
//!
//! The compact form lives on the stack: every VAT number checked here is at
//! most 16 characters, and the check runs once per table row.

use std::fmt;

/// Room for the longest compact number (`CHE123456789MWST`, 16) and then
/// some, so that a number a few characters too long is still told apart from
/// text that is no number at all.
const CAPACITY: usize = 24;

/// A compact VAT number or the part of one after its prefix: ASCII capital
/// letters, digits, and the few other characters some countries use (`+`
/// and `*` in old Irish numbers, `(0)` in Belgian ones).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Body {
    bytes: [u8; CAPACITY],
    len: usize,
}

/// Why a text can't be read as a VAT number at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// A character that no VAT number has.
    Character(char),
    /// Longer than any VAT number.
    TooLong,
}

impl Body {
    /// The compact form of `text`. Byte by byte, as numbers are ASCII but
    /// for the odd pasted space or dash (decoded where they are).
    pub(crate) fn read(text: &str) -> Result<Body, Unreadable> {
        let mut body = Body {
            bytes: [0; CAPACITY],
            len: 0,
        };
        let mut at = 0;
        while let Some(&byte) = text.as_bytes().get(at) {
            if !byte.is_ascii() {
                let c = text.get(at..).and_then(|rest| rest.chars().next());
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                if !is_separator(c) {
                    return Err(Unreadable::Character(c));
                }
                at += c.len_utf8();
                continue;
            }
            at += 1;
            let byte = byte.to_ascii_uppercase();
            match byte {
                b'A'..=b'Z' | b'0'..=b'9' | b'+' | b'*' | b'(' | b')' => {
                    *body.bytes.get_mut(body.len).ok_or(Unreadable::TooLong)? = byte;
                    body.len += 1;
                }
                _ if is_separator(char::from(byte)) => {}
                _ => return Err(Unreadable::Character(char::from(byte))),
            }
        }
        Ok(body)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The body after `prefix`, when it starts with it.
    pub(crate) fn after(&self, prefix: &str) -> Option<Body> {
        self.as_bytes()
            .starts_with(prefix.as_bytes())
            .then(|| self.after_first(prefix.len()))
    }

    /// The body without its first `n` bytes.
    pub(crate) fn after_first(&self, n: usize) -> Body {
        let mut body = Body {
            bytes: [0; CAPACITY],
            len: 0,
        };
        let rest = self.as_bytes().get(n..).unwrap_or_default();
        if let Some(place) = body.bytes.get_mut(..rest.len()) {
            place.copy_from_slice(rest);
            body.len = rest.len();
        }
        body
    }

    /// The body with `text` in front (Belgium's leading zero, Greece's).
    pub(crate) fn with_front(&self, text: &str) -> Option<Body> {
        let mut body = Body {
            bytes: [0; CAPACITY],
            len: 0,
        };
        for &byte in text.as_bytes().iter().chain(self.as_bytes()) {
            *body.bytes.get_mut(body.len)? = byte;
            body.len += 1;
        }
        Some(body)
    }

    /// The body as exactly `N` digits, when it is that.
    pub(crate) fn digits<const N: usize>(&self) -> Option<[u32; N]> {
        digits_of(self.as_bytes())
    }
}

/// `bytes` as exactly `N` digits, when they are that.
pub(crate) fn digits_of<const N: usize>(bytes: &[u8]) -> Option<[u32; N]> {
    let mut digits = [0; N];
    if bytes.len() != N {
        return None;
    }
    for (digit, byte) in digits.iter_mut().zip(bytes) {
        *digit = char::from(*byte).to_digit(10)?;
    }
    Some(digits)
}

/// Whether `bytes` are one or more digits.
pub(crate) fn all_digits(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// What people put between the parts of a number: white space of any kind
/// (a no-break space pasted from a document too), dots, commas, slashes, a
/// colon, and dashes of any kind (a word processor turns `-` into `–`);
/// their full-width forms and the middle dots and bullets of other
/// scripts; and the invisible characters a copy from a web page or a PDF
/// brings along (zero-width spaces and joiners, the byte-order mark, a
/// soft hyphen, direction marks), which no one can see to delete.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '.' | ',' | '/' | ':' | '-'
                | '\u{00AD}' // soft hyphen
                | '\u{00B7}' // middle dot
                | '\u{200B}'..='\u{200F}' // zero-width space, joiners, direction marks
                | '\u{2010}'..='\u{2015}' // hyphens and dashes
                | '\u{2022}' | '\u{2027}' // bullet, hyphenation point
                | '\u{202A}'..='\u{202E}' // direction embeddings and overrides
                | '\u{2060}' | '\u{2066}'..='\u{2069}' // word joiner, direction isolates
                | '\u{2212}' // minus sign
                | '\u{FE63}' | '\u{FEFF}' // small hyphen-minus, byte-order mark
                | '\u{FF0C}' | '\u{FF0D}' | '\u{FF0E}' | '\u{FF0F}' | '\u{FF1A}' // full-width , - . / :
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_go_and_letters_rise() {
        let body = Body::read("be 0403.019\u{a0}261 – x/y, z:").unwrap();
        assert_eq!(body.as_str(), "BE0403019261XYZ");
        assert_eq!(Body::read("DE 12€"), Err(Unreadable::Character('€')));
        let pasted = "\u{feff}NL\u{200b}004495445\u{ad}B01\u{202c}\u{ff0e}";
        assert_eq!(Body::read(pasted).unwrap().as_str(), "NL004495445B01");
        assert_eq!(Body::read(&"1".repeat(25)), Err(Unreadable::TooLong));
        assert_eq!(body.after("BE").unwrap().as_str(), "0403019261XYZ");
        assert_eq!(body.after("NL"), None);
        let nine = Body::read("403019261").unwrap();
        assert_eq!(
            nine.with_front("0").unwrap().digits::<10>().unwrap()[..2],
            [0, 4]
        );
        assert_eq!(nine.digits::<10>(), None);
    }
}
