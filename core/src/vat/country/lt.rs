//! Lithuania: the PVM code, nine digits (legal entities) or twelve
//! (temporary registrations), with a 1 before the last two digits; the
//! check digit is the sum weighted 1–9 (repeated) mod 11, or weighted
//! 3–9,1,2 when that is 10, with 10 written 0.

use super::{Rule, Why, checked};
use crate::vat::written::{Body, all_digits};

pub(crate) const RULE: Rule = Rule {
    prefix: "LT",
    format: "9 or 12 digits, the second-last being 1",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let bytes = body.as_bytes();
    if !all_digits(bytes) || !(bytes.len() == 9 || bytes.len() == 12) {
        return Err(Why::Format);
    }
    let mut digits = [0; 12];
    for (digit, byte) in digits.iter_mut().zip(bytes) {
        *digit = u32::from(byte - b'0');
    }
    let Some((&last, rest)) = digits.get(..bytes.len()).and_then(<[u32]>::split_last) else {
        return Err(Why::Format);
    };
    if rest.last() != Some(&1) {
        return Err(Why::Part(
            "the second-last digit of a Lithuanian number is 1",
        ));
    }
    let sum = |shift: usize| -> u32 {
        rest.iter()
            .enumerate()
            .map(|(i, &digit)| (1 + (i + shift) % 9) as u32 * digit)
            .sum()
    };
    let mut check = sum(0) % 11;
    if check == 10 {
        check = sum(2);
    }
    checked(body, check % 11 % 10 == last)
}
