//! Rounding money to a currency's minor units, fast for everyday amounts.
//!
//! Pricing rounds at least once per line, and `Decimal::round_dp_with_strategy`
//! works on 96-bit mantissas in general. Amounts with a mantissa that fits
//! an `i64` (all prices below about 92 billion at four decimals) take an
//! integer path instead; anything else falls back to rust_decimal. Both give
//! the same result, which a test checks.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::setup::Rounding;

/// `amount` rounded to `units` decimals with `mode`, showing all of them
/// (80.00, not 80).
pub(crate) fn round(amount: Decimal, units: u32, mode: Rounding) -> Decimal {
    let scale = amount.scale();
    if scale <= units {
        let mut shown = amount;
        if scale < units {
            shown.rescale(units);
        }
        return shown;
    }
    fast(amount, scale.saturating_sub(units), units, mode)
        .unwrap_or_else(|| slow(amount, units, mode))
}

fn fast(amount: Decimal, drop: u32, units: u32, mode: Rounding) -> Option<Decimal> {
    let mantissa = i64::try_from(amount.mantissa()).ok()?;
    let divisor = 10_i64.checked_pow(drop)?;
    // Constant divisors for the usual cases: the compiler turns each into a
    // multiplication, where a division by a variable costs ~40 cycles.
    let (quotient, remainder) = match drop {
        1 => (mantissa / 10, mantissa % 10),
        2 => (mantissa / 100, mantissa % 100),
        3 => (mantissa / 1_000, mantissa % 1_000),
        4 => (mantissa / 10_000, mantissa % 10_000),
        _ => (
            mantissa.checked_div(divisor)?,
            mantissa.checked_rem(divisor)?,
        ),
    };
    let remainder = remainder.unsigned_abs();
    let twice = remainder.checked_mul(2)?;
    let half = divisor.unsigned_abs();
    let away = match mode {
        Rounding::HalfUp => twice >= half,
        Rounding::HalfEven => twice > half || (twice == half && quotient % 2 != 0),
    };
    let rounded = match (away, mantissa < 0) {
        (false, _) => quotient,
        (true, false) => quotient.checked_add(1)?,
        (true, true) => quotient.checked_sub(1)?,
    };
    Decimal::try_new(rounded, units).ok()
}

fn slow(amount: Decimal, units: u32, mode: Rounding) -> Decimal {
    let strategy = match mode {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
    };
    let mut rounded = amount.round_dp_with_strategy(units, strategy);
    rounded.rescale(units);
    rounded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integer_path_agrees_with_rust_decimal() {
        let mut seed: u64 = 1;
        for _ in 0..200_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mantissa = (seed >> 20) as i64 - (1 << 43);
            let scale = (seed % 9) as u32;
            let units = (seed >> 8) as u32 % 4;
            let amount = Decimal::new(mantissa, scale);
            for mode in [Rounding::HalfUp, Rounding::HalfEven] {
                let want = slow(amount, units, mode);
                let got = round(amount, units, mode);
                assert_eq!(got, want, "{amount} to {units} ({mode:?})");
                assert_eq!(got.scale(), units, "{amount} to {units} ({mode:?})");
            }
        }
    }

    #[test]
    fn halves_round_by_mode() {
        let half = Decimal::new(125, 3);
        assert_eq!(round(half, 2, Rounding::HalfUp).to_string(), "0.13");
        assert_eq!(round(half, 2, Rounding::HalfEven).to_string(), "0.12");
        assert_eq!(round(-half, 2, Rounding::HalfUp).to_string(), "-0.13");
        assert_eq!(
            round(Decimal::new(945, 1), 0, Rounding::HalfEven).to_string(),
            "94"
        );
        assert_eq!(
            round(Decimal::new(80, 0), 2, Rounding::HalfUp).to_string(),
            "80.00"
        );
    }
}
