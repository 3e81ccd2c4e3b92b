//! Malta: eight digits not starting with 0, weighted 3,4,6,7,8,9,10,1 to a
//! multiple of 37.

use super::{Rule, Why, weighted_to};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "MT",
    format: "8 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    weighted_to(body, [3, 4, 6, 7, 8, 9, 10, 1], 37, false)
}
