//! Classifying a whole [`CustomerTable`] at once.
//!
//! Rule conditions are evaluated column by column, one bit set per rule.
//! Each classification slot is then decided column by column too: walking
//! the slot's rules in order, a row takes the first rule that holds (rules
//! without `override` skip rows with a value set by hand), and the rows left
//! keep their own value. Type, group, price group, VAT zone and accounts
//! depend on each other (the channel's or the zone's group, the group's
//! type and price group, the group's accounts) but on few columns, so each
//! distinct combination of those is classified once, by the very code that
//! classifies one customer, and rows point at the result. A property test
//! checks every row against [`Engine::classify`].

mod pricing;
mod result;

#[cfg(feature = "arrow")]
pub(crate) use pricing::{LineColumns, LineFault, NO_CUSTOMER};
pub use result::ResultColumn;

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::bits::Bits;
use crate::classification::{Classification, Target};
use crate::customer::VatZone;
use crate::engine::Engine;
use crate::error::CustomerError;
use crate::expr::{Derived, ZONE_COLUMNS, ZoneSource};
use crate::table::CustomerTable;
use crate::table::column::{Codes, TextColumn};
use crate::threads::Threads;

/// What the type, group and price group of a row depend on, besides the
/// rules deciding them and the VAT zone.
const CORE_COLUMNS: [&str; 8] = [
    "type",
    "group",
    "price_group",
    "channel",
    "country",
    "vat_zone",
    "receivables_account",
    "revenue_account",
];

/// Rows whose keys are folded together: 16 KiB of keys, a multiple of 64
/// so that a block starts at a word of a bit set.
const BLOCK: usize = 2048;

/// The key of a row that is already in error: never digits packed side
/// by side, which stay below 2^63.
const IN_ERROR: u64 = u64::MAX;

/// One target's rules applied to a table.
#[derive(Debug, Clone)]
struct Decided {
    /// Per rule, in order: its id, the value it sets, the rows it decided.
    rules: Vec<(String, String, Bits)>,
    /// The rows no rule decided that keep their value set by hand.
    by_hand: Bits,
}

impl Decided {
    /// How many ways a row can be decided as a digit of its key: by no
    /// rule (the value by hand, if any, is a digit of its own), or by one.
    fn radix(&self) -> u64 {
        self.rules.len() as u64 + 1
    }

    /// Which rule decided `row`.
    fn rule(&self, row: usize) -> Option<&(String, String, Bits)> {
        self.rules.iter().find(|(_, _, rows)| rows.get(row))
    }
}

/// One digit of a row's key: something the row's type, group, price group,
/// zone and accounts depend on.
enum Digit<'a> {
    Codes(&'a Codes, u64),
    Bytes(&'a [u8], u64),
    Flag(&'a Bits),
    Decided(&'a Decided),
}

impl Digit<'_> {
    /// The bits the digit takes in a key: enough for its largest value.
    fn width(&self) -> u32 {
        let radix = match self {
            Digit::Codes(_, radix) | Digit::Bytes(_, radix) => *radix,
            Digit::Flag(_) => 2,
            Digit::Decided(decided) => decided.radix(),
        };
        width_of(radix)
    }

    /// `key = key << width | digit` for the rows `start..start + keys.len()`:
    /// one pass over one column, shifts and ors only, without a branch.
    fn fold(&self, start: usize, keys: &mut [u64]) {
        let width = self.width();
        let end = start + keys.len();
        match self {
            Digit::Codes(Codes::U8(codes), _) => fold_column(keys, codes.get(start..end), width),
            Digit::Codes(Codes::U16(codes), _) => fold_column(keys, codes.get(start..end), width),
            Digit::Codes(Codes::U32(codes), _) => fold_column(keys, codes.get(start..end), width),
            Digit::Bytes(bytes, _) => fold_column(keys, bytes.get(start..end), width),
            Digit::Flag(bits) => {
                keys.iter_mut().for_each(|key| *key <<= width);
                fold_bits(keys, start, bits, 1);
            }
            Digit::Decided(decided) => {
                keys.iter_mut().for_each(|key| *key <<= width);
                for (k, (_, _, rows)) in decided.rules.iter().enumerate() {
                    fold_bits(keys, start, rows, k as u64 + 1);
                }
            }
        }
    }
}

/// The bits that hold every value below `radix`.
fn width_of(radix: u64) -> u32 {
    u64::BITS - radix.saturating_sub(1).leading_zeros()
}

fn fold_column<T: Copy + Into<u64>>(keys: &mut [u64], digits: Option<&[T]>, width: u32) {
    match digits {
        Some(digits) => {
            for (key, digit) in keys.iter_mut().zip(digits) {
                *key = *key << width | (*digit).into();
            }
        }
        None => keys.iter_mut().for_each(|key| *key <<= width),
    }
}

/// Adds `weight` to the keys of the rows set in `bits`.
fn fold_bits(keys: &mut [u64], start: usize, bits: &Bits, weight: u64) {
    let words = bits.words().get(start / 64..).unwrap_or_default();
    for (keys, &word) in keys.chunks_mut(64).zip(words) {
        for (offset, key) in keys.iter_mut().enumerate() {
            *key += (word >> offset & 1) * weight;
        }
    }
}

/// A table classified.
///
/// Made by [`Engine::classify_table`]; each row answers as
/// [`Engine::classify`] answers for its customer. A row that doesn't fit
/// the setup has its error, and the other rows are classified all the same.
///
/// # Examples
///
/// ```
/// use custclass::{CustomerTable, Engine, ResultField, Setup, Target};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let file = "id;country;channel;group\n1;NL;pos;\n2;BE;webshop;\n3;NL;pos;GOLD\n";
/// let (table, problems) = CustomerTable::from_csv(file.as_bytes())?;
/// assert!(problems.is_empty());             // GOLD is read; the setup judges it
///
/// let classified = engine.classify_table(&table);
/// assert_eq!(classified.len(), 3);
/// // One row as a whole classification, or one value of it:
/// let first = classified.row(0).ok_or("no row 0")??;
/// assert_eq!(first.group.map(|group| group.value).as_deref(), Some("STANDARD"));
/// let group = classified.value(1, Target::Group).ok_or("no group")?;
/// assert_eq!((group.value.as_str(), group.source.kind()), ("WEBSHOP", "channel_default"));
/// // The row that doesn't fit:
/// assert_eq!(classified.error(2).map(|err| err.code()), Some("unknown_group"));
///
/// // A whole result column, dictionary-encoded, and the counts behind an overview:
/// let accounts = classified.column(ResultField::ReceivablesAccount).ok_or("no column")?;
/// assert_eq!(accounts.get(1).map(|account| account.value.as_str()), Some("1130"));
/// assert_eq!(
///     classified.counts(ResultField::Target(Target::Group)),
///     [(None, 1), (Some("STANDARD".to_owned()), 1), (Some("WEBSHOP".to_owned()), 1)]
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TableClassification<'t> {
    table: &'t CustomerTable,
    /// Per slot, its rules applied.
    slots: Vec<Decided>,
    /// The distinct results for type, group, price group, zone and accounts.
    core: Vec<Result<Classification, CustomerError>>,
    /// Per row, its core result (`u32::MAX` for a row already in error).
    core_of_row: Vec<u32>,
    /// Rows that can't be classified for a reason of their own: a numeric
    /// attribute that isn't a number, or a slot value the setup refuses.
    errors: FxHashMap<usize, CustomerError>,
    in_error: Bits,
}

impl Engine {
    /// Classifies every row of `table` as [`Engine::classify`] classifies
    /// its customer, column by column.
    pub fn classify_table<'t>(&self, table: &'t CustomerTable) -> TableClassification<'t> {
        self.classify_table_on(table, Threads::One)
    }

    /// [`Engine::classify_table`] on rayon's threads: rules, targets and
    /// chunks of rows in parallel, the same result.
    #[cfg(feature = "rayon")]
    pub fn par_classify_table<'t>(&self, table: &'t CustomerTable) -> TableClassification<'t> {
        self.classify_table_on(table, Threads::Pool)
    }

    /// The customer columns [`Engine::classify_table`] reads: those of the
    /// rules' conditions, the slots, what type, group, price group, VAT zone
    /// and accounts follow from, and the numeric attributes it checks. A
    /// table of only these columns classifies exactly as the whole one, so
    /// a caller holding wide data (an Arrow table, a data frame) can hand
    /// over just these.
    pub fn input_columns(&self) -> BTreeSet<String> {
        let mut columns: BTreeSet<String> = CORE_COLUMNS
            .iter()
            .chain(&ZONE_COLUMNS)
            .map(|name| (*name).to_owned())
            .chain((1..=8).map(|slot| format!("class{slot}")))
            .chain(["vat_number".to_owned()])
            .chain(self.numeric_attributes().map(|name| format!("attr.{name}")))
            .collect();
        self.rule_conditions()
            .for_each(|cond| cond.columns(&mut columns));
        columns
    }

    fn classify_table_on<'t>(
        &self,
        table: &'t CustomerTable,
        threads: Threads,
    ) -> TableClassification<'t> {
        let rows = table.len();
        span!(
            "classify_table",
            rows = rows,
            parallel = !matches!(threads, Threads::One)
        );
        let zones = self.table_zones(table);
        let derived = Derived::new(ZoneSource::Codes(&zones), threads);
        let conditions: Vec<_> = self.rule_conditions().collect();
        let verdicts: Vec<Bits> = threads.map(&conditions, |cond| cond.true_rows(table, &derived));
        let mut errors: FxHashMap<usize, CustomerError> =
            self.unreadable_attributes(table).into_iter().collect();
        for slot in 1..=8 {
            let stored = table.text(&format!("class{slot}"));
            self.refused_values(Target::Class(slot), stored, &mut errors, |target, code| {
                self.check_new_value(target, code)
            });
        }
        let mut in_error = Bits::none(rows);
        for row in errors.keys() {
            in_error.set(*row);
        }

        let targets: Vec<Target> = (1..=8)
            .map(Target::Class)
            .chain([Target::Type, Target::Group, Target::PriceGroup])
            .collect();
        let mut decided = threads.map(&targets, |target| {
            let stored = table.text(&target.to_string());
            self.decide(*target, stored, &verdicts, rows)
        });
        let core_decided = decided.split_off(8);

        // Type, group, price group, zone and accounts: once per distinct key.
        let digits = core_digits(table, &core_decided, &zones, &derived);
        let keys = row_keys(&digits, &in_error, rows, threads);
        let (core_of_row, representatives) = number_keys(keys, threads);
        let core = threads.map(&representatives, |&row| {
            // The row's own customer decides its slots too; they are
            // replaced by the slot columns when a row is read.
            self.classify_row(&table.customer(row).unwrap_or_default())
        });
        TableClassification {
            table,
            slots: decided,
            core,
            core_of_row,
            errors,
            in_error,
        }
    }

    /// Records, for each row whose value for `target` `check` refuses, the
    /// error (unless the row already has an earlier one).
    fn refused_values(
        &self,
        target: Target,
        stored: Option<&TextColumn>,
        errors: &mut FxHashMap<usize, CustomerError>,
        check: impl Fn(Target, &str) -> Result<(), CustomerError>,
    ) {
        let Some(column) = stored else { return };
        let refused: Vec<Option<CustomerError>> = column
            .values
            .iter()
            .map(|code| check(target, code).err())
            .collect();
        if refused.iter().all(Option::is_none) {
            return;
        }
        for row in 0..column.codes.len() {
            let code = column.codes.get(row) as usize;
            if let Some(Some(error)) = code.checked_sub(1).and_then(|i| refused.get(i)) {
                errors.entry(row).or_insert_with(|| error.clone());
            }
        }
    }

    /// Decides `target` for every row: the first of its rules that holds
    /// (rules without `override` skip rows with a value by hand), else the
    /// value by hand. Bit set algebra only: no row is visited.
    fn decide(
        &self,
        target: Target,
        stored: Option<&TextColumn>,
        verdicts: &[Bits],
        rows: usize,
    ) -> Decided {
        let by_hand = match stored {
            Some(column) => column.codes.select(|code| code != 0),
            None => Bits::none(rows),
        };
        let mut open = Bits::all(rows);
        let mut rules = Vec::new();
        for (index, rule, value, overrides) in self.target_rules(target) {
            let hit = match verdicts.get(index) {
                Some(holds) if overrides => open.and(holds),
                Some(holds) => open.and_not(&by_hand).and(holds),
                None => Bits::none(rows),
            };
            open = open.and_not(&hit);
            rules.push((rule.to_owned(), value.to_owned(), hit));
        }
        Decided {
            rules,
            by_hand: open.and(&by_hand),
        }
    }
}

/// The digits of a row's key that its type, group, price group, zone and
/// accounts follow from: the columns they read, the rules that decided
/// them (`decided`, for type, group and price group), the zone and whether
/// the VAT number passes.
fn core_digits<'a>(
    table: &'a CustomerTable,
    decided: &'a [Decided],
    zones: &'a [u8],
    derived: &Derived<'_>,
) -> Vec<Digit<'a>> {
    let mut digits: Vec<Digit<'a>> = CORE_COLUMNS
        .iter()
        .filter_map(|name| table.text(name))
        .map(|column| Digit::Codes(&column.codes, column.values.len() as u64 + 1))
        .collect();
    digits.extend(decided.iter().map(Digit::Decided));
    digits.push(Digit::Bytes(zones, VatZone::ALL.len() as u64 + 1));
    digits.push(Digit::Flag(&derived.vat(table).valid));
    digits
}

/// Each row's key, `digits` packed side by side in bit fields; rows in
/// error get [`IN_ERROR`]. When the fields would pass 63 bits, the keys so
/// far are renumbered densely first.
fn row_keys(digits: &[Digit<'_>], in_error: &Bits, rows: usize, threads: Threads) -> Vec<u64> {
    let mut keys = vec![0u64; rows];
    let mut groups: Vec<Vec<&Digit<'_>>> = vec![Vec::new()];
    let mut bits = 0;
    for digit in digits {
        bits += digit.width();
        if bits > 63
            && let Some(group) = groups.last()
            && !group.is_empty()
        {
            groups.push(Vec::new());
            bits = width_of(rows as u64) + digit.width();
        }
        if let Some(group) = groups.last_mut() {
            group.push(digit);
        }
    }
    for (index, group) in groups.iter().enumerate() {
        if index > 0 {
            let (dense, _) = number_keys(keys, threads);
            keys = dense.into_iter().map(u64::from).collect();
        }
        threads.chunks(&mut keys, |start, keys| {
            // A block of keys stays in the first-level cache while every
            // digit is folded into it.
            for (block, keys) in keys.chunks_mut(BLOCK).enumerate() {
                let start = start + block * BLOCK;
                group.iter().for_each(|digit| digit.fold(start, keys));
            }
        });
    }
    for row in in_error.rows() {
        if let Some(key) = keys.get_mut(row) {
            *key = IN_ERROR;
        }
    }
    keys
}

/// Numbers the distinct keys by first appearance: each row's number
/// (`u32::MAX` for [`IN_ERROR`]) and the first row with each number.
fn number_keys(mut keys: Vec<u64>, threads: Threads) -> (Vec<u32>, Vec<usize>) {
    // Each chunk numbers its own keys; the chunks' numbers are then merged
    // in row order, so the numbering doesn't depend on the threads.
    let local = threads.chunks(&mut keys, |start, keys| {
        let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
        let mut firsts: Vec<(u64, usize)> = Vec::new();
        let numbers: Vec<u32> = keys
            .iter()
            .enumerate()
            .map(|(offset, &key)| {
                if key == IN_ERROR {
                    return u32::MAX;
                }
                *seen.entry(key).or_insert_with(|| {
                    firsts.push((key, start + offset));
                    firsts.len() as u32 - 1
                })
            })
            .collect();
        (numbers, firsts)
    });
    let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
    let mut representatives = Vec::new();
    let renumbering: Vec<Vec<u32>> = local
        .iter()
        .map(|(_, firsts)| {
            firsts
                .iter()
                .map(|&(key, row)| {
                    *seen.entry(key).or_insert_with(|| {
                        representatives.push(row);
                        representatives.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();
    let mut numbers: Vec<u32> = Vec::with_capacity(keys.len());
    for ((local, _), renumbering) in local.into_iter().zip(&renumbering) {
        numbers.extend(local.into_iter().map(|number| {
            renumbering
                .get(number as usize)
                .copied()
                .unwrap_or(u32::MAX)
        }));
    }
    (numbers, representatives)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row whose group the setup doesn't know is not classified: the
    /// region its rules would give it is no value of it, in a column or
    /// in the counts.
    #[test]
    fn a_row_in_error_has_no_slot_value() {
        let setup = crate::Setup::from_json(include_str!("../../../examples/setup.json"))
            .unwrap_or_else(|err| unreachable!("{err}"));
        let engine = Engine::new(setup).unwrap_or_else(|err| unreachable!("{err}"));
        let file = "id;country;group\n1;NL;\n2;NL;GOLD\n";
        let (table, _) =
            CustomerTable::from_csv(file.as_bytes()).unwrap_or_else(|err| unreachable!("{err}"));
        let classified = engine.classify_table(&table);
        assert_eq!(
            classified.error(1).map(CustomerError::code),
            Some("unknown_group")
        );
        let region = crate::ResultField::Target(crate::Target::Class(1));
        let column = classified.column(region).unwrap_or_else(|| unreachable!());
        assert_eq!(column.get(0).map(|a| a.value.as_str()), Some("BENELUX"));
        assert_eq!(column.get(1), None);
        assert_eq!(
            classified.counts(region),
            [(None, 1), (Some("BENELUX".to_owned()), 1)]
        );
    }

    /// Nine one-byte digits take 72 bits: the keys are renumbered after
    /// seven, and rows still share a key exactly when they share every digit.
    #[test]
    fn keys_over_63_bits_still_tell_rows_apart() {
        let rows = 5000;
        let columns: Vec<Vec<u8>> = (0..9u64)
            .map(|digit| {
                // The first digit is the only one telling rows 2k and 2k+1
                // apart: shifted out, it would merge them.
                (0..rows as u64)
                    .map(|row| match digit {
                        0 => (row % 2) as u8,
                        _ => ((row / 2 * (digit + 3) / 7) % 256) as u8,
                    })
                    .collect()
            })
            .collect();
        let digits: Vec<Digit<'_>> = columns
            .iter()
            .map(|column| Digit::Bytes(column, 256))
            .collect();
        let mut in_error = Bits::none(rows);
        in_error.set(17);
        let keys = row_keys(&digits, &in_error, rows, Threads::One);
        let tuple = |row: usize| columns.iter().map(|c| c[row]).collect::<Vec<u8>>();
        assert_eq!(keys[17], IN_ERROR);
        let mut by_key: FxHashMap<u64, Vec<u8>> = FxHashMap::default();
        let mut by_tuple: FxHashMap<Vec<u8>, u64> = FxHashMap::default();
        for row in (0..rows).filter(|&row| row != 17) {
            assert_eq!(
                by_key.entry(keys[row]).or_insert_with(|| tuple(row)),
                &tuple(row)
            );
            assert_eq!(by_tuple.entry(tuple(row)).or_insert(keys[row]), &keys[row]);
        }
        assert!(by_key.len() > 1000, "{} distinct keys", by_key.len());
    }
}
