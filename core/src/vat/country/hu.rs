//! Hungary: the ANUM, eight digits weighted 9,7,3,1 (repeated) to a
//! multiple of 10.

use super::{Rule, Why, weighted_to};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "HU",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    weighted_to(body, [9, 7, 3, 1, 9, 7, 3, 1], 10, true)
}
