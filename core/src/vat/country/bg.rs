//! Bulgaria: nine digits for a legal entity (weights 1–8, or 3–10 when the
//! first sum leaves 10, mod 11); ten digits for a person, a foreigner or
//! another body: an EGN (with its birth date), a PNF, or weights
//! 4,3,2,7,6,5,4,3,2 with 11 minus the sum mod 11.

use super::{Rule, Why, checked};
use crate::vat::digits::{is_date, pair, weighted};
use crate::vat::written::Body;

pub(crate) const RULE: Rule = Rule {
    prefix: "BG",
    format: "9 or 10 digits",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    if let Some(d) = body.digits::<9>() {
        let mut sum = weighted(&d[..8], &[1, 2, 3, 4, 5, 6, 7, 8]) % 11;
        if sum == 10 {
            sum = weighted(&d[..8], &[3, 4, 5, 6, 7, 8, 9, 10]) % 11;
        }
        return checked(body, sum % 10 == d[8]);
    }
    let d: [u32; 10] = body.digits().ok_or(Why::Format)?;
    let other = (11 - weighted(&d[..9], &[4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11) % 11;
    checked(body, is_egn(&d) || is_pnf(&d) || other == d[9])
}

/// A personal number (EGN): a birth date (the month plus 20 before 1900,
/// plus 40 from 2000) and a check digit.
fn is_egn(d: &[u32; 10]) -> bool {
    let (mut year, mut month) = (1900 + pair(d[0], d[1]), pair(d[2], d[3]));
    if month > 40 {
        year += 100;
        month -= 40;
    } else if month > 20 {
        year -= 100;
        month -= 20;
    }
    is_date(year, month, pair(d[4], d[5]))
        && weighted(&d[..9], &[2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11 % 10 == d[9]
}

/// A foreigner's number (PNF).
fn is_pnf(d: &[u32; 10]) -> bool {
    weighted(&d[..9], &[21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 == d[9]
}
