//! Slovenia: the DDV number, eight digits not starting with 0, the last
//! being 11 minus the first seven weighted 8..2 mod 11 (10 written 0; 11
//! can't be).

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "SI",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 8] = body.digits().ok_or(Why::Format)?;
    if d[0] == 0 {
        return Err(Why::Format);
    }
    let check = 11 - weighted(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) % 11;
    checked(body, check != 11 && check % 10 == d[7])
}
