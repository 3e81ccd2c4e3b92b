//! Ireland: seven digits and a check letter (`WABCDEFGHIJKLMNOPQRSTUV`
//! at the weighted sum 8..2 mod 23), since 2013 with a second letter that
//! counts nine times its place; older numbers put a letter, `+` or `*`
//! second and read as `0`, digits 3–7, and the first digit.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "IE",
    format: "7 digits and 1 or 2 letters, or digit, letter, 5 digits, letter",
    check,
};

const LETTERS: &[u8; 23] = b"WABCDEFGHIJKLMNOPQRSTUV";

fn check(body: Body) -> Result<Body, Why> {
    let bytes = body.as_bytes();
    let (head, letters) = bytes.split_at_checked(7).ok_or(Why::Format)?;
    let place = |c: &u8| LETTERS.iter().position(|l| l == c).map(|at| at as u32);
    let (check, second) = match letters {
        [check] => (place(check), Some(0)),
        [check, second] => (place(check), place(second)),
        _ => return Err(Why::Format),
    };
    let (Some(check), Some(second)) = (check, second) else {
        return Err(Why::Format);
    };
    let (digits, second): ([u32; 7], u32) = match digits_of(head) {
        Some(digits) => (digits, second),
        None => match head {
            // The old form: a digit, then a letter, `+` or `*`, then five
            // digits; checked as 0, the five digits and the first digit,
            // without a second letter.
            [first, b'A'..=b'Z' | b'+' | b'*', rest @ ..] => {
                let rest: [u32; 5] = digits_of(rest).ok_or(Why::Format)?;
                let first = char::from(*first).to_digit(10).ok_or(Why::Format)?;
                ([0, rest[0], rest[1], rest[2], rest[3], rest[4], first], 0)
            }
            _ => return Err(Why::Format),
        },
    };
    let sum = weighted(&digits, &[8, 7, 6, 5, 4, 3, 2]) + 9 * second;
    checked(body, sum % 23 == check)
}
