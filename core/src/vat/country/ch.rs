//! Switzerland: the UID (`CHE` and nine digits, the last 11 minus the
//! weighted sum mod 11, never 10) with the VAT register's suffix in one of
//! the national languages: `MWST`, `TVA`, `IVA` or `TPV`.

use super::{Rule, Why, checked};
use crate::vat::digits::weighted;
use crate::vat::written::{Body, digits_of};

pub(crate) const RULE: Rule = Rule {
    prefix: "CHE",
    format: "9 digits and MWST, TVA, IVA or TPV",
    check,
};

fn check(body: Body) -> Result<Body, Why> {
    let (uid, suffix) = body.as_bytes().split_at_checked(9).ok_or(Why::Format)?;
    let d: [u32; 9] = digits_of(uid).ok_or(Why::Format)?;
    if ![&b"MWST"[..], b"TVA", b"IVA", b"TPV"].contains(&suffix) {
        return Err(Why::Format);
    }
    checked(
        body,
        (11 - weighted(&d[..8], &[5, 4, 3, 2, 7, 6, 5, 4]) % 11) % 11 == d[8],
    )
}
