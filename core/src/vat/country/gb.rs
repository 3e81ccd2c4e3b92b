//! The United Kingdom (`GB`) and Northern Ireland (`XI`, for goods under the
//! Windsor Framework): nine digits (twelve for a branch) weighted
//! 8,7,6,5,4,3,2,10,1 to a multiple of 97, or, for numbers issued from
//! 2010 (first three digits 100 or more), to 42 or 55 mod 97 (the "9755"
//! rule); government departments `GD` and 000–499, health authorities `HA`
//! and 500–999, also as `GD8888…`/`HA8888…` with the three digits mod 97.

use super::{Rule, Why, checked};
use crate::vat::digits::{number, weighted};
use crate::vat::written::{Body, all_digits, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "GB",
    format: "9 or 12 digits, or GD or HA and 3 digits",
    check,
};

pub(crate) const NORTHERN_IRELAND: Rule = Rule {
    prefix: "XI",
    ..RULE
};

fn check(body: Body) -> Result<Body, Why> {
    let bytes = body.as_bytes();
    let (kind, rest) = bytes.split_at_checked(2).ok_or(Why::Format)?;
    if kind == b"GD" || kind == b"HA" {
        let (office, check) = match rest.strip_prefix(b"8888") {
            Some(rest) => rest.split_at_checked(3).ok_or(Why::Format)?,
            None => (rest, &b""[..]),
        };
        let office: [u32; 3] = digits_of(office).ok_or(Why::Format)?;
        let office = number(&office);
        if (kind == b"GD") != (office < 500) {
            return Err(Why::Part("GD numbers run to 499 and HA numbers from 500"));
        }
        return match check {
            [] if rest.len() == 3 => Ok(body),
            check => {
                let check: [u32; 2] = digits_of(check).ok_or(Why::Format)?;
                checked(body, office % 97 == number(&check))
            }
        };
    }
    if !all_digits(bytes) || !(bytes.len() == 9 || bytes.len() == 12) {
        return Err(Why::Format);
    }
    let d: [u32; 9] = bytes.get(..9).and_then(digits_of).ok_or(Why::Format)?;
    let sum = weighted(&d, &[8, 7, 6, 5, 4, 3, 2, 10, 1]) % 97;
    let new_series = number(&d[..3]) >= 100;
    checked(body, sum == 0 || (new_series && (sum == 42 || sum == 55)))
}
