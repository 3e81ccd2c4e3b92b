//! France: the TVA number, a two-character key and the nine-digit SIREN
//! (which passes Luhn, except Monaco's, `000…`). A numeric key is
//! (12 + 3 × (SIREN mod 97)) mod 97; a key with letters (from
//! `0-9A-Z` without `I` and `O`) is checked against the SIREN mod 11.

use super::{Rule, Why, checked};
use crate::vat::digits::{luhn_sum, number};
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "FR",
    format: "2 check characters and the 9-digit SIREN",
    check,
};

const KEY: &[u8; 34] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn check(body: Body) -> Result<Body, Why> {
    let (key, siren) = body.as_bytes().split_at_checked(2).ok_or(Why::Format)?;
    let siren: [u32; 9] = digits_of(siren).ok_or(Why::Format)?;
    let place = |c: &u8| KEY.iter().position(|k| k == c).map(|at| at as u64);
    let &[first, second] = key else {
        return Err(Why::Format);
    };
    let (Some(first), Some(second)) = (place(&first), place(&second)) else {
        return Err(Why::Format);
    };
    if siren[..3] != [0, 0, 0] && !luhn_sum(&siren).is_multiple_of(10) {
        return Err(Why::CheckDigit);
    }
    let siren = number(&siren);
    let holds = if first < 10 && second < 10 {
        first * 10 + second == (siren * 100 + 12) % 97
    } else {
        let check = if first < 10 {
            first * 24 + second - 10
        } else {
            first * 34 + second - 100
        };
        (siren + 1 + check / 11) % 11 == check % 11
    };
    checked(body, holds)
}
