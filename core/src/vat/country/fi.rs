//! Finland: the ALV number, eight digits weighted 7,9,10,5,8,4,2,1 to a
//! multiple of 11.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "FI",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 8] = body.digits().ok_or(Why::Format)?;
    checked(
        body,
        weighted(&d, &[7, 9, 10, 5, 8, 4, 2, 1]).is_multiple_of(11),
    )
}
