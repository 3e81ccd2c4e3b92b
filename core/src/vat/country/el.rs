//! Greece (`EL` in VAT, `GR` in ISO): the AFM, nine digits (older numbers
//! have eight: a `0` in front), the last being the first eight read as
//! binary-weighted (each digit times 2 to the power of its place from the
//! right, plus one) mod 11, with 10 written 0.

use super::{Rule, Why, checked};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "EL",
    format: "9 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let body = if body.len() == 8 {
        body.with_front("0").ok_or(Why::Format)?
    } else {
        body
    };
    let d: [u32; 9] = body.digits().ok_or(Why::Format)?;
    let sum = d[..8].iter().fold(0, |sum, &digit| sum * 2 + digit);
    checked(body, sum * 2 % 11 % 10 == d[8])
}
