//! Estonia: the KMKR number, nine digits weighted 3,7,1 (repeated) to a
//! multiple of 10.

use super::{Rule, Why, weighted_to};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "EE",
    format: "9 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    weighted_to(body, [3, 7, 1, 3, 7, 1, 3, 7, 1], 10, true)
}
