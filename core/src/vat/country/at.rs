//! Austria: the UID, `U` and eight digits, the last a check digit: six
//! minus the Luhn sum of the seven before it, mod 10.

use super::{Rule, Why, checked};
use crate::vat::digits::luhn_sum;
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "AT",
    format: "U and 8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 8] = body
        .as_bytes()
        .strip_prefix(b"U")
        .and_then(digits_of)
        .ok_or(Why::Format)?;
    checked(body, (16 - luhn_sum(&d[..7]) % 10) % 10 == d[7])
}
