//! Italy: the partita IVA, eleven digits: seven for the business (not all
//! zero), three for the province office (001–100, 120, 121, 888, 999), and
//! a Luhn check digit.

use super::{Rule, Why, checked};
use crate::vat::digits::{luhn_sum, number};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "IT",
    format: "11 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 11] = body.digits().ok_or(Why::Format)?;
    if number(&d[..7]) == 0 {
        return Err(Why::Format);
    }
    let office = number(&d[7..10]);
    if !((1..=100).contains(&office) || [120, 121, 888, 999].contains(&office)) {
        return Err(Why::Part("digits 8 to 10 are not an office code"));
    }
    checked(body, luhn_sum(&d).is_multiple_of(10))
}
