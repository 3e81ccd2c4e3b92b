//! One unit per country: the format of its VAT numbers and how their check
//! digits are made, as the national tax authority publishes them
//! (python-stdnum's modules, and the sources they cite, are the map).

mod at;
mod be;
mod bg;
mod ch;
mod cy;
mod cz;
mod de;
mod dk;
mod ee;
mod el;
mod es;
mod fi;
mod fr;
mod gb;
mod hr;
mod hu;
mod ie;
mod it;
mod lt;
mod lu;
mod lv;
mod mt;
mod nl;
mod no;
mod pl;
mod pt;
mod ro;
mod se;
mod si;
mod sk;

use super::digits::weighted;
use super::written::Body;

/// One country's VAT numbers.
#[derive(Debug)]
pub(crate) struct Rule {
    /// What the number is written with in front: the EU's VAT prefix (`EL`
    /// for Greece, `XI` for Northern Ireland), `CHE` for Switzerland.
    pub(crate) prefix: &'static str,
    /// The format, for messages.
    pub(crate) format: &'static str,
    /// Checks the number without its prefix and gives it in its official
    /// form (a Belgian nine-digit number with its leading zero, say).
    pub(crate) check: fn(Body) -> Result<Body, Why>,
}

/// What is wrong with a number, beyond its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// Not the country's format (characters or length).
    Format,
    /// A check digit doesn't match.
    CheckDigit,
    /// A part that can't be: a birth date that doesn't exist, an office
    /// code that isn't one.
    Part(&'static str),
}

/// The rule whose prefix starts `compact`, and the number after it (`GR`,
/// ISO's code for Greece, read as VAT's `EL`). Two bytes decide, as every
/// prefix is two letters but Switzerland's `CHE`.
pub(crate) fn prefixed(compact: &Body) -> Option<(&'static Rule, Body)> {
    let (rule, length): (&'static Rule, usize) = match compact.as_bytes() {
        [b'C', b'H', b'E', ..] => (&ch::RULE, 3),
        [b'G', b'R', ..] => (&el::RULE, 2),
        [first, second, ..] => (*rule_at(&[*first, *second]).first()?, 2),
        _ => return None,
    };
    Some((rule, compact.after_first(length)))
}

/// The rule of the numbers written with `prefix` (every country checked),
/// as a slice of one, or none.
pub(crate) fn rule_at(prefix: &[u8]) -> &'static [&'static Rule] {
    match prefix {
        b"CHE" => &[&ch::RULE],
        b"AT" => &[&at::RULE],
        b"BE" => &[&be::RULE],
        b"BG" => &[&bg::RULE],
        b"CY" => &[&cy::RULE],
        b"CZ" => &[&cz::RULE],
        b"DE" => &[&de::RULE],
        b"DK" => &[&dk::RULE],
        b"EE" => &[&ee::RULE],
        b"EL" => &[&el::RULE],
        b"ES" => &[&es::RULE],
        b"FI" => &[&fi::RULE],
        b"FR" => &[&fr::RULE],
        b"GB" => &[&gb::RULE],
        b"HR" => &[&hr::RULE],
        b"HU" => &[&hu::RULE],
        b"IE" => &[&ie::RULE],
        b"IT" => &[&it::RULE],
        b"LT" => &[&lt::RULE],
        b"LU" => &[&lu::RULE],
        b"LV" => &[&lv::RULE],
        b"MT" => &[&mt::RULE],
        b"NL" => &[&nl::RULE],
        b"NO" => &[&no::RULE],
        b"PL" => &[&pl::RULE],
        b"PT" => &[&pt::RULE],
        b"RO" => &[&ro::RULE],
        b"SE" => &[&se::RULE],
        b"SI" => &[&si::RULE],
        b"SK" => &[&sk::RULE],
        b"XI" => &[&XI],
        _ => &[],
    }
}

/// The rule of many countries: exactly `N` digits (the first not 0 where
/// numbers don't start with one) whose sum with `weights` is a multiple of
/// `modulus`.
fn weighted_to<const N: usize>(
    body: Body,
    weights: [u32; N],
    modulus: u32,
    leading_zero: bool,
) -> Result<Body, Why> {
    let d: [u32; N] = body.digits().ok_or(Why::Format)?;
    if !leading_zero && d.first() == Some(&0) {
        return Err(Why::Format);
    }
    checked(body, weighted(&d, &weights).is_multiple_of(modulus))
}

/// `Ok(body)` when `holds`, else a wrong check digit.
fn checked(body: Body, holds: bool) -> Result<Body, Why> {
    if holds {
        Ok(body)
    } else {
        Err(Why::CheckDigit)
    }
}

/// The United Kingdom's rule, for the customers there.
pub(crate) const GB: Rule = gb::RULE;
/// Northern Ireland's rule (`XI`), for the customers there.
pub(crate) const XI: Rule = gb::NORTHERN_IRELAND;
