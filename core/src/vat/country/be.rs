//! Belgium: the enterprise number, ten digits starting with 0 or 1, the
//! last two being 97 minus the first eight mod 97. Numbers from before 2007
//! have nine digits (a `0` in front makes them ten), and people write the
//! leading zero as `(0)`.

use super::{Rule, Why, checked};
use crate::vat::digits::number;
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "BE",
    format: "10 digits starting with 0 or 1",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let body = match body.after("(0)") {
        Some(rest) => rest.with_front("0").ok_or(Why::Format)?,
        None => body,
    };
    let body = if body.len() == 9 {
        body.with_front("0").ok_or(Why::Format)?
    } else {
        body
    };
    let d: [u32; 10] = body.digits().ok_or(Why::Format)?;
    if d[0] > 1 || d.iter().all(|&digit| digit == 0) {
        return Err(Why::Format);
    }
    checked(body, (number(&d[..8]) + number(&d[8..])).is_multiple_of(97))
}
