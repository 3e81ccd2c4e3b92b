//! Romania: a company's CUI, 2 to 10 digits not starting with 0, the last
//! being ten times the others (padded to nine) weighted 7,5,3,2,1,7,5,3,2,
//! mod 11, with 10 written 0; or a person's CNP, thirteen digits: sex and
//! century, birth date, county, serial and a check digit (weights
//! 2,7,9,1,4,6,3,5,8,2,7,9 mod 11, with 10 written 1).

use super::{Rule, Why, checked};
use crate::vat::digits::{is_date, pair, weighted};
use crate::vat::written::{Body, all_digits};

pub(crate) const RULE: Rule = Rule {
    prefix: "RO",
    format: "2 to 10 digits, or a 13-digit CNP",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    if let Some(d) = body.digits::<13>() {
        return personal_number(body, &d);
    }
    let bytes = body.as_bytes();
    if !all_digits(bytes) || !(2..=10).contains(&bytes.len()) || bytes.first() == Some(&b'0') {
        return Err(Why::Format);
    }
    let mut d = [0u32; 10];
    let padding = 10 - bytes.len();
    for (digit, byte) in d.iter_mut().skip(padding).zip(bytes) {
        *digit = u32::from(byte - b'0');
    }
    let check = 10 * weighted(&d[..9], &[7, 5, 3, 2, 1, 7, 5, 3, 2]) % 11 % 10;
    checked(body, check == d[9])
}

fn personal_number(body: Body, d: &[u32; 13]) -> Result<Body, Why> {
    let century = match d[0] {
        0 => return Err(Why::Format),
        3 | 4 => 1800,
        5 | 6 => 2000,
        _ => 1900,
    };
    if !is_date(
        century + pair(d[1], d[2]),
        pair(d[3], d[4]),
        pair(d[5], d[6]),
    ) {
        return Err(Why::Part("its birth date doesn't exist"));
    }
    let county = pair(d[7], d[8]);
    if !matches!(county, 1..=48 | 51 | 52 | 70 | 80..=83) {
        return Err(Why::Part("digits 8 and 9 are not a county"));
    }
    let check = weighted(&d[..12], &[2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
    checked(body, (if check == 10 { 1 } else { check }) == d[12])
}
