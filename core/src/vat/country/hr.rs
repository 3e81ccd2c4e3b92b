//! Croatia: the OIB, eleven digits, the last an ISO 7064 MOD 11,10 check
//! digit.

use super::{Rule, Why, checked};
use crate::vat::digits::mod_11_10;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "HR",
    format: "11 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 11] = body.digits().ok_or(Why::Format)?;
    checked(body, mod_11_10(&d))
}
