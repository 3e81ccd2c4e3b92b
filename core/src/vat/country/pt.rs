//! Portugal: the NIF, nine digits not starting with 0, the last being 11
//! minus the first eight weighted 9..2, mod 11, with 10 written 0.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "PT",
    format: "9 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 9] = body.digits().ok_or(Why::Format)?;
    if d[0] == 0 {
        return Err(Why::Format);
    }
    let check = (11 - weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11) % 11 % 10;
    checked(body, check == d[8])
}
