//! Germany: the USt-IdNr., nine digits not starting with 0, the last an
//! ISO 7064 MOD 11,10 check digit.

use super::{Rule, Why, checked};
use crate::vat::digits::mod_11_10;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "DE",
    format: "9 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 9] = body.digits().ok_or(Why::Format)?;
    if d[0] == 0 {
        return Err(Why::Format);
    }
    checked(body, mod_11_10(&d))
}
