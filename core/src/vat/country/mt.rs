//! Malta: eight digits not starting with 0, weighted 3,4,6,7,8,9,10,1 to a
//! multiple of 37.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "MT",
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
        weighted(&d, &[3, 4, 6, 7, 8, 9, 10, 1]).is_multiple_of(37),
    )
}
