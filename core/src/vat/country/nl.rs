//! The Netherlands: the btw-id, nine digits, `B` and two digits (not 00).
//! The nine digits pass the eleven-test of the citizen service number
//! (weights 9..2 and -1), or, for sole traders since 2020, the whole
//! number with `NL` passes ISO 7064 MOD 97-10. People drop the leading
//! zeros of the nine digits; they are put back.

use super::{Rule, Why, checked};
use crate::vat::digits::{mod_97_10, number, weighted};
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "NL",
    format: "9 digits, B and 2 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let bytes = body.as_bytes();
    let body = match bytes.len().checked_sub(3).ok_or(Why::Format)? {
        short @ 1..9 => body.with_front(&"0".repeat(9 - short)).ok_or(Why::Format)?,
        _ => body,
    };
    let bytes = body.as_bytes();
    let (nine, suffix) = bytes.split_at_checked(9).ok_or(Why::Format)?;
    let d: [u32; 9] = digits_of(nine).ok_or(Why::Format)?;
    let Some((b'B', branch)) = suffix.split_first() else {
        return Err(Why::Format);
    };
    let branch: [u32; 2] = digits_of(branch).ok_or(Why::Format)?;
    if number(&d) == 0 || branch == [0, 0] {
        return Err(Why::Format);
    }
    let eleven = (weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) + 11 * 9 - d[8]).is_multiple_of(11);
    checked(
        body,
        eleven || mod_97_10(b"NL".iter().chain(bytes).copied()),
    )
}
