//! Luxembourg: eight digits, the last two being the first six mod 89.

use super::{Rule, Why, checked};
use crate::vat::digits::number;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "LU",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 8] = body.digits().ok_or(Why::Format)?;
    checked(body, number(&d[..6]) % 89 == number(&d[6..]))
}
