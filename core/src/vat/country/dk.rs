//! Denmark: the CVR number, eight digits not starting with 0, weighted
//! 2,7,6,5,4,3,2,1 to a multiple of 11.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "DK",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 8] = body.digits().ok_or(Why::Format)?;
    if d[0] == 0 {
        return Err(Why::Format);
    }
    checked(
        body,
        weighted(&d, &[2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11),
    )
}
