//! Poland: the NIP, ten digits, the last being the first nine weighted
//! 6,5,7,2,3,4,5,6,7 mod 11 (never 10).

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "PL",
    format: "10 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 10] = body.digits().ok_or(Why::Format)?;
    checked(
        body,
        weighted(&d[..9], &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == d[9],
    )
}
