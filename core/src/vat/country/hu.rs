//! Hungary: the ANUM, eight digits weighted 9,7,3,1 (repeated) to a
//! multiple of 10.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "HU",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 8] = body.digits().ok_or(Why::Format)?;
    checked(
        body,
        weighted(&d, &[9, 7, 3, 1, 9, 7, 3, 1]).is_multiple_of(10),
    )
}
