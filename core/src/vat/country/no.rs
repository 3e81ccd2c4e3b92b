//! Norway: the organisation number, nine digits weighted 3,2,7,6,5,4,3,2,1
//! to a multiple of 11, followed by `MVA` when it is in the VAT register.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "NO",
    format: "9 digits and MVA",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let number = body.as_bytes().strip_suffix(b"MVA").ok_or(Why::Format)?;
    let d: [u32; 9] = digits_of(number).ok_or(Why::Format)?;
    checked(
        body,
        weighted(&d, &[3, 2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11),
    )
}
