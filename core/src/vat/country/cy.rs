//! Cyprus: eight digits (not starting with 12) and a check letter: the
//! digits in even places mapped 0→1, 1→0, 2→5, 3→7, 4→9, 5→13, 6→15,
//! 7→17, 8→19, 9→21, plus those in odd places, mod 26 as a letter.

use super::{Rule, Why, checked};
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "CY",
    format: "8 digits and a letter",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let (digits, letter) = body.as_bytes().split_at_checked(8).ok_or(Why::Format)?;
    let d: [u32; 8] = digits_of(digits).ok_or(Why::Format)?;
    let &[letter] = letter else {
        return Err(Why::Format);
    };
    if !letter.is_ascii_uppercase() {
        return Err(Why::Format);
    }
    if d[..2] == [1, 2] {
        return Err(Why::Part("numbers starting with 12 are not issued"));
    }
    const EVEN: [u32; 10] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &digit)| {
            if i % 2 == 0 {
                EVEN.get(digit as usize).copied().unwrap_or_default()
            } else {
                digit
            }
        })
        .sum();
    checked(body, u32::from(letter - b'A') == sum % 26)
}
