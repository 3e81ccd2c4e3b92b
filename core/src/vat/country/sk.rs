//! Slovakia: the IČ DPH, ten digits: a legal entity's (not starting with
//! 0, the third digit 2, 3, 4, 7, 8 or 9) divisible by 11, or a person's
//! birth number (as in Czechia).

use super::{Rule, Why, checked, cz};
use crate::vat::digits::number;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "SK",
    format: "10 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 10] = body.digits().ok_or(Why::Format)?;
    if cz::birth_number(body).is_ok() {
        return Ok(body);
    }
    if d[0] == 0 || ![2, 3, 4, 7, 8, 9].contains(&d[2]) {
        return Err(Why::Format);
    }
    checked(body, number(&d).is_multiple_of(11))
}
