//! Spain: the NIF, nine characters with seven digits in the middle.
//! - A DNI (a Spaniard's): eight digits and the letter of their value mod 23
//!   in `TRWAGMYFPDXBNJZSQVHLCKE`; `K`, `L` and `M` numbers the same over
//!   the seven digits.
//! - An NIE (a foreigner's): `X`, `Y` or `Z` read as 0, 1 or 2, then as a DNI.
//! - A CIF (a company's): a letter for the kind of entity, seven digits and
//!   their Luhn check digit, or the letter in `JABCDEFGHI` at that place.

use super::{Rule, Why, checked};
use crate::vat::digits::{luhn_sum, number};
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "ES",
    format: "a letter or digit, 7 digits and a letter or digit",
    check,
};

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn check(body: Body) -> Result<Body, Why> {
    let &[first, ref middle @ .., last] = body.as_bytes() else {
        return Err(Why::Format);
    };
    let d: [u32; 7] = digits_of(middle).ok_or(Why::Format)?;
    let dni_letter = |value: u64| DNI_LETTERS.get((value % 23) as usize).copied();
    let seven = number(&d);
    let holds = match first {
        b'0'..=b'9' => dni_letter(u64::from(first - b'0') * 10_000_000 + seven) == Some(last),
        b'K' | b'L' | b'M' => dni_letter(seven) == Some(last),
        b'X' | b'Y' | b'Z' => {
            dni_letter(u64::from(first - b'X') * 10_000_000 + seven) == Some(last)
        }
        b'A'..=b'H' | b'J' | b'N' | b'P' | b'Q' | b'R' | b'S' | b'U' | b'V' | b'W' => {
            // The Luhn digit of the seven: their sum with a 0 appended.
            let mut with_zero = [0; 8];
            with_zero[..7].copy_from_slice(&d);
            let check = (10 - luhn_sum(&with_zero) % 10) % 10;
            last == b'0' + check as u8 || Some(&last) == b"JABCDEFGHI".get(check as usize)
        }
        _ => return Err(Why::Format),
    };
    checked(body, holds)
}
