//! Estonia: the KMKR number, nine digits weighted 3,7,1 (repeated) to a
//! multiple of 10.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "EE",
    format: "9 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 9] = body.digits().ok_or(Why::Format)?;
    checked(
        body,
        weighted(&d, &[3, 7, 1, 3, 7, 1, 3, 7, 1]).is_multiple_of(10),
    )
}
