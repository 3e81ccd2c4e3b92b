//! Latvia: the PVN number, eleven digits. A legal entity's starts with 4
//! or more and is weighted 9,1,4,8,3,10,2,5,7,6,1 to 3 mod 11; a person's
//! holds a birth date (day, month, year, century) or, since 2017, starts
//! with 32; either has the check digit 1 + the sum weighted
//! 10,5,8,4,2,1,6,3,7,9, mod 11, with 10 written 0.

use super::{Rule, Why, checked};
use crate::vat::digits::{is_date, pair, weighted};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "LV",
    format: "11 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let d: [u32; 11] = body.digits().ok_or(Why::Format)?;
    if d[0] > 3 {
        return checked(
            body,
            weighted(&d, &[9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 == 3,
        );
    }
    if d[..2] != [3, 2] {
        let year = 1800 + d[6] * 100 + pair(d[4], d[5]);
        if !is_date(year, pair(d[2], d[3]), pair(d[0], d[1])) {
            return Err(Why::Part("its birth date doesn't exist"));
        }
    }
    let check = (1 + weighted(&d[..10], &[10, 5, 8, 4, 2, 1, 6, 3, 7, 9])) % 11 % 10;
    checked(body, check == d[10])
}
