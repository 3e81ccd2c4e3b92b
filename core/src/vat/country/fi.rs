//! Finland: the ALV number, eight digits weighted 7,9,10,5,8,4,2,1 to a
//! multiple of 11.

use super::{Rule, Why, weighted_to};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "FI",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    weighted_to(body, [7, 9, 10, 5, 8, 4, 2, 1], 11, true)
}
