//! Per row of a table, whether its VAT number passes the offline check for
//! its billing country: `Customer::vat_valid` for every row at once, behind
//! `b2b` and `vat_valid` in rules and segments.

use super::CustomerTable;
use crate::bits::Bits;
use crate::threads::Threads;
use crate::vat::{self, Alone, Home};

/// Per row, whether the VAT number has a check (`known`) and passes it
/// (`valid`, which is also B2B).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VatRows {
    pub(crate) known: Bits,
    pub(crate) valid: Bits,
}

impl VatRows {
    /// Each distinct number checked once, in dictionary order (memory
    /// order: a row-order pass would jump about the strings), spread over
    /// `threads`; only numbers without a prefix wait for their row's
    /// country, whose rules are looked up once per country.
    pub(crate) fn of(table: &CustomerTable, threads: Threads) -> VatRows {
        let Some(numbers) = table.text("vat_number") else {
            return VatRows {
                known: Bits::none(table.len()),
                valid: Bits::none(table.len()),
            };
        };
        let mut alone = vec![Alone::Blank; numbers.values.len()];
        threads.chunks(&mut alone, |start, part| {
            for (at, slot) in (start..).zip(part) {
                *slot = numbers.values.get(at).map_or(Alone::Blank, vat::alone);
            }
        });
        let countries = table.text("country");
        // Per country code (0: none), its home.
        let homes: Vec<Home> = std::iter::once(Home::of(None))
            .chain(countries.iter().flat_map(|column| {
                (0..column.values.len()).map(|at| Home::of(column.values.get(at)))
            }))
            .collect();
        let (known, valid) = Bits::pair_from_fn(table.len(), &|row| {
            let code = numbers.codes.get(row) as usize;
            let answer = match code.checked_sub(1).and_then(|at| alone.get(at)) {
                None | Some(Alone::Blank) => None,
                Some(Alone::Decided(passes)) => Some(*passes),
                Some(Alone::NeedsHome) => {
                    let country = countries.map_or(0, |column| column.codes.get(row));
                    let home = homes
                        .get(country as usize)
                        .copied()
                        .unwrap_or(Home::of(None));
                    numbers
                        .get(row)
                        .and_then(|number| vat::passes_at(number, home))
                }
            };
            answer.map_or((false, false), |passes| (true, passes))
        });
        VatRows { known, valid }
    }
}
