//! Sweden: the organisation number (ten digits, Luhn) followed by `01`.

use super::{Rule, Why, checked};
use crate::vat::digits::luhn_sum;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "SE",
    format: "10 digits and 01",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 12] = body.digits().ok_or(Why::Format)?;
    if d[10..] != [0, 1] {
        return Err(Why::Format);
    }
    checked(body, luhn_sum(&d[..10]).is_multiple_of(10))
}
