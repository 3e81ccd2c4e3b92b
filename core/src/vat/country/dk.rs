//! Denmark: the CVR number, eight digits not starting with 0, weighted
//! 2,7,6,5,4,3,2,1 to a multiple of 11.

use super::{Rule, Why, weighted_to};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "DK",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    weighted_to(body, [2, 7, 6, 5, 4, 3, 2, 1], 11, false)
}
