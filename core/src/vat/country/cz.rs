//! Czechia: the DIČ. Eight digits for a legal entity (11 minus the weighted
//! sum mod 11; 10 is written 0 and 11 as 1); nine digits starting with 6
//! for special cases; otherwise a person's birth number: nine digits for
//! people born before 1954, ten after (divisible by 11, or with a last
//! digit 0 where the rest leaves 10), both holding a birth date whose month
//! may carry 20, 50 or 70.

use super::{Rule, Why, checked};
use crate::vat::digits::{is_date, number, pair, weighted};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "CZ",
    format: "8, 9 or 10 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    if let Some(d) = body.digits::<8>() {
        if d[0] == 9 {
            return Err(Why::Part("legal entities' numbers don't start with 9"));
        }
        let check = (11 - weighted(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) % 11) % 11;
        return checked(body, (if check == 0 { 1 } else { check }) % 10 == d[7]);
    }
    if let Some(d) = body.digits::<9>()
        && d[0] == 6
    {
        // (8 - (10 - sum)) mod 10.
        let sum = weighted(&d[1..8], &[8, 7, 6, 5, 4, 3, 2]) % 11;
        return checked(body, (8 + sum) % 10 == d[8]);
    }
    birth_number(body)
}

/// A birth number (rodné číslo), also Slovakia's.
pub(super) fn birth_number(body: Body) -> Result<Body, Why> {
    let d: &[u32] = &match (body.digits::<9>(), body.digits::<10>()) {
        (Some(nine), _) => nine.to_vec(),
        (_, Some(ten)) => ten.to_vec(),
        _ => return Err(Why::Format),
    };
    let (Some(&[y1, y2, m1, m2, d1, d2]), Some((&last, rest))) = (d.first_chunk(), d.split_last())
    else {
        return Err(Why::Format);
    };
    let mut year = 1900 + pair(y1, y2);
    if d.len() == 9 {
        if year >= 1980 {
            year -= 100;
        }
        if year > 1953 {
            return Err(Why::Part("nine-digit birth numbers end with 1953"));
        }
    } else if year < 1954 {
        year += 100;
    }
    if !is_date(year, pair(m1, m2) % 50 % 20, pair(d1, d2)) {
        return Err(Why::Part("its birth date doesn't exist"));
    }
    checked(
        body,
        d.len() == 9 || number(rest) % 11 % 10 == u64::from(last),
    )
}
