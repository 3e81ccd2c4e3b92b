//! Conditions evaluated over a whole [`CustomerTable`], column by column.
//!
//! The answer for every row is three-valued, as for one customer: two bit
//! sets, the rows where the condition is known and the rows where it is true.
//! A test on a text column is decided once per distinct value in the column's
//! dictionary and then looked up per row by code; numbers, days and flags are
//! compared per row. Every test goes through the same `holds` as
//! [`Cond::eval`], so a row gets the answer its customer would.

use std::borrow::Cow;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::FxHashSet;

mod text;

use text::{indexed_text_predicate, text_held, text_predicate};

use super::compile::{Check, Cond, Field, Getter, Val, Value, holds};
use super::parse::CmpOp;
use crate::bits::{Bits, ByteTable};
use crate::customer::VatZone;
use crate::customer::fields::Access;
use crate::scalar;
use crate::setup::AttributeKind;
use crate::table::column::{
    Column, DateColumn, DecimalColumn, ScaledSlice, TextColumn, day_number,
};
use crate::table::sorted::SortedRows;
use crate::table::{CustomerTable, IndexedKind, TableIndex, VatRows};
use crate::threads::Threads;

/// A condition's answer for every row: known, and true (true implies known).
#[derive(Debug, Clone)]
pub(crate) struct Truth {
    pub(crate) known: Bits,
    pub(crate) yes: Bits,
}

/// The VAT zone of each row, worked out by the engine (it depends on the
/// setup's home country and EU table).
#[derive(Debug, Clone, Copy)]
pub(crate) enum ZoneSource<'a> {
    /// Per row: 0 for none, else 1 + the zone's position in [`VatZone::ALL`].
    Codes(&'a [u8]),
    /// Per zone code, the rows in that zone: an index's bitmaps.
    Rows(&'a [Bits]),
}

/// What conditions read that a table doesn't hold as such: the VAT zone
/// (the engine's to work out) and whether each VAT number passes (B2B),
/// worked out at most once per evaluation however many tests read them.
#[derive(Debug)]
pub(crate) struct Derived<'a> {
    zones: ZoneSource<'a>,
    /// Where the VAT numbers are checked, if the table hasn't yet.
    threads: Threads,
}

impl<'a> Derived<'a> {
    pub(crate) fn new(zones: ZoneSource<'a>, threads: Threads) -> Derived<'a> {
        Derived { zones, threads }
    }

    /// Each row's VAT verdict, which the table keeps once worked out.
    pub(crate) fn vat<'t>(&self, table: &'t CustomerTable) -> &'t VatRows {
        table.vat_rows(self.threads)
    }
}

impl Cond {
    /// Whether the condition reads the VAT zone, which a table has to work
    /// out per row.
    pub(crate) fn reads_zone(&self) -> bool {
        match self {
            Cond::And(terms) | Cond::Or(terms) => terms.iter().any(Cond::reads_zone),
            Cond::Not(inner) => inner.reads_zone(),
            Cond::Const(_) => false,
            Cond::Pred { field, .. } => matches!(field.getter, Getter::Zone),
        }
    }

    /// The condition's answer for every row of `table`.
    pub(crate) fn truth(
        &self,
        table: &CustomerTable,
        index: Option<&TableIndex>,
        derived: &Derived<'_>,
    ) -> Truth {
        Truth::of(self, table.len(), &mut |leaf| {
            leaf.leaf_truth(table, index, derived)
        })
    }

    /// The answer of a test or a constant (`and`, `or` and `not` are
    /// [`Truth::of`]'s).
    pub(crate) fn leaf_truth(
        &self,
        table: &CustomerTable,
        index: Option<&TableIndex>,
        derived: &Derived<'_>,
    ) -> Truth {
        let rows = table.len();
        match self {
            Cond::Pred {
                field,
                check,
                negated,
            } => {
                let (known, mut yes) = predicate(field, check, table, index, derived);
                if *negated {
                    yes.invert_within(&known);
                } else {
                    yes.and_in_place(&known);
                }
                Truth { known, yes }
            }
            Cond::Const(value) => Truth {
                known: Bits::all(rows),
                yes: if *value {
                    Bits::all(rows)
                } else {
                    Bits::none(rows)
                },
            },
            Cond::And(_) | Cond::Or(_) | Cond::Not(_) => self.truth(table, index, derived),
        }
    }
}

impl Truth {
    /// `cond`'s answer for `rows` rows in three-valued logic, with `leaf`
    /// answering its tests and constants: one mechanism for a condition on
    /// its own and for segments sharing their tests.
    pub(crate) fn of(cond: &Cond, rows: usize, leaf: &mut dyn FnMut(&Cond) -> Truth) -> Truth {
        match cond {
            Cond::And(terms) => {
                let mut yes = Bits::all(rows);
                let mut no = Bits::none(rows);
                for term in terms {
                    let t = Truth::of(term, rows, leaf);
                    no.or_difference(&t.known, &t.yes);
                    yes.and_in_place(&t.yes);
                }
                no.or_in_place(&yes);
                Truth { known: no, yes }
            }
            Cond::Or(terms) => {
                let mut yes = Bits::none(rows);
                let mut no = Bits::all(rows);
                for term in terms {
                    let t = Truth::of(term, rows, leaf);
                    yes.or_in_place(&t.yes);
                    no.and_difference(&t.known, &t.yes);
                }
                no.or_in_place(&yes);
                Truth { known: no, yes }
            }
            Cond::Not(inner) => {
                let Truth { known, mut yes } = Truth::of(inner, rows, leaf);
                yes.invert_within(&known);
                Truth { known, yes }
            }
            Cond::Const(_) | Cond::Pred { .. } => leaf(cond),
        }
    }
}

impl Cond {
    /// The rows where the condition is true: what classification needs.
    /// Unlike [`Cond::truth`], a text test under `and`/`or` costs one pass
    /// over its column, not two: the rows where it is known (those with a
    /// value) are only needed under `not`.
    pub(crate) fn true_rows(&self, table: &CustomerTable, derived: &Derived<'_>) -> Bits {
        let rows = table.len();
        match self {
            Cond::And(terms) => terms.iter().fold(Bits::all(rows), |mut yes, term| {
                yes.and_in_place(&term.true_rows(table, derived));
                yes
            }),
            Cond::Or(terms) => terms.iter().fold(Bits::none(rows), |mut yes, term| {
                yes.or_in_place(&term.true_rows(table, derived));
                yes
            }),
            Cond::Pred {
                field,
                check,
                negated: false,
            } if !matches!(check, Check::IsNull) => match text_column_name(field) {
                // A null never passes a text test other than `is null`.
                Some(name) => match text_column(table, &name) {
                    Some(column) => text_held(column, check),
                    None => Bits::none(rows),
                },
                None => self.truth(table, None, derived).yes,
            },
            _ => self.truth(table, None, derived).yes,
        }
    }
}

/// The text column a field reads, if it reads one: a text field's name in
/// the language is its column's name.
fn text_column_name(field: &Field) -> Option<Cow<'_, str>> {
    match &field.getter {
        Getter::Field(found) if found.is_text() => Some(Cow::Borrowed(found.name)),
        Getter::Attr(name, AttributeKind::Text) => Some(Cow::Owned(format!("attr.{name}"))),
        _ => None,
    }
}

/// `(known, held)` of one test on one field, for every row.
fn predicate(
    field: &Field,
    check: &Check,
    table: &CustomerTable,
    index: Option<&TableIndex>,
    derived: &Derived<'_>,
) -> (Bits, Bits) {
    let test = RowTest {
        check,
        table,
        index,
    };
    match &field.getter {
        Getter::Attr(name, AttributeKind::Text) => test.text(&format!("attr.{name}")),
        Getter::Attr(name, AttributeKind::Number) => {
            test.numeric_attribute(&format!("attr.{name}"))
        }
        Getter::Field(found) => match found.access {
            Access::Number { .. } => test.number(found.name),
            Access::Day { .. } => test.day(found.name),
            Access::Flag { .. } => test.flag(found.name),
            Access::Text { .. } | Access::Coded { .. } | Access::List { .. } => {
                test.text(found.name)
            }
        },
        Getter::B2b => test.b2b(&derived.vat(table).valid),
        Getter::VatValid => test.vat_valid(derived.vat(table)),
        Getter::Zone => test.zone(&derived.zones),
    }
}

/// One test, answered for every row of a table column by column: each
/// method gives `(known, held)` for the column it reads.
struct RowTest<'a> {
    check: &'a Check,
    table: &'a CustomerTable,
    index: Option<&'a TableIndex>,
}

impl<'a> RowTest<'a> {
    fn rows(&self) -> usize {
        self.table.len()
    }

    /// Whether the answer for one value is known, and whether it holds.
    fn present(&self, value: Option<Val<'_>>) -> (bool, bool) {
        match (self.check, value) {
            (Check::IsNull, value) => (true, value.is_none()),
            (_, None) => (false, false),
            (check, Some(value)) => (true, holds(check, value)),
        }
    }

    /// The answers of every row, one row at a time.
    fn per_row(&self, answer: &dyn Fn(usize) -> (bool, bool)) -> (Bits, Bits) {
        Bits::pair_from_fn(self.rows(), answer)
    }

    /// A column's sorted rows, when it is indexed.
    fn sorted(&self, name: &str, kind: IndexedKind) -> Option<&'a SortedRows> {
        self.index
            .and_then(|index| index.column(name, kind))
            .and_then(|column| column.sorted.as_ref())
    }

    /// A text column, through its bitmaps when it is indexed.
    fn text(&self, name: &str) -> (Bits, Bits) {
        let column = text_column(self.table, name);
        match self
            .index
            .and_then(|index| index.column(name, IndexedKind::Text))
        {
            Some(values) => indexed_text_predicate(values, column, self.check, self.rows()),
            None => text_predicate(column, self.check, self.rows()),
        }
    }

    /// A numeric attribute: numbers, and text that reads as a number (as on
    /// one customer; each distinct text read once).
    fn numeric_attribute(&self, name: &str) -> (Bits, Bits) {
        let mut numbers = None;
        let mut texts = None;
        for column in self.table.columns_named(name) {
            match column {
                Column::Decimal(values) => numbers = Some(values),
                Column::Text(values) => texts = Some(values),
                _ => {}
            }
        }
        if let (Some(column), None) = (numbers, texts)
            && let Some(answer) =
                scaled_predicate(column, self.check, self.sorted(name, IndexedKind::Number))
        {
            return answer;
        }
        let parsed: Vec<Option<Decimal>> = texts
            .map(|t| t.values.iter().map(|v| scalar::decimal(v).ok()).collect())
            .unwrap_or_default();
        self.per_row(&|row| {
            let number = numbers.and_then(|n| n.get(row)).or_else(|| {
                let code = texts.map_or(0, |t| t.codes.get(row)) as usize;
                parsed.get(code.checked_sub(1)?).copied().flatten()
            });
            self.present(number.map(Val::Number))
        })
    }

    fn number(&self, name: &str) -> (Bits, Bits) {
        let column = decimal_column(self.table, name);
        let sorted = self.sorted(name, IndexedKind::Number);
        if let Some(answer) = column.and_then(|c| scaled_predicate(c, self.check, sorted)) {
            return answer;
        }
        self.per_row(&|row| self.present(column.and_then(|c| c.get(row)).map(Val::Number)))
    }

    fn day(&self, name: &str) -> (Bits, Bits) {
        let column = date_column(self.table, name);
        let sorted = self.sorted(name, IndexedKind::Day);
        if let Some(answer) = column.and_then(|c| date_predicate(c, self.check, sorted)) {
            return answer;
        }
        self.per_row(&|row| self.present(column.and_then(|c| c.get(row)).map(Val::Date)))
    }

    fn flag(&self, name: &str) -> (Bits, Bits) {
        let column = flag_column(self.table, name);
        self.per_row(&|row| self.present(Some(Val::Bool(column.is_some_and(|c| c.get(row))))))
    }

    /// B2B, given the rows whose VAT number passes: decided for both
    /// answers once, then picked per row.
    fn b2b(&self, valid: &Bits) -> (Bits, Bits) {
        (Bits::all(self.rows()), self.pick(valid))
    }

    /// `vat_valid`: true or false where the number has a check, no value
    /// elsewhere.
    fn vat_valid(&self, vat: &VatRows) -> (Bits, Bits) {
        let rows = self.rows();
        let (known_without, held_without) = self.present(None);
        let held = self.pick(&vat.valid).and(&vat.known);
        let (known, held) = match (known_without, held_without) {
            (true, true) => (
                Bits::all(rows),
                held.or(&Bits::all(rows).and_not(&vat.known)),
            ),
            (true, false) => (Bits::all(rows), held),
            (false, _) => (vat.known.clone(), held),
        };
        (known, held)
    }

    /// The rows where the test holds, given the rows where a flag is true
    /// (and false elsewhere).
    fn pick(&self, yes: &Bits) -> Bits {
        let rows = self.rows();
        let (_, when_true) = self.present(Some(Val::Bool(true)));
        let (_, when_false) = self.present(Some(Val::Bool(false)));
        match (when_true, when_false) {
            (true, true) => Bits::all(rows),
            (true, false) => yes.clone(),
            (false, true) => Bits::all(rows).and_not(yes),
            (false, false) => Bits::none(rows),
        }
    }

    /// The VAT zone: decided once per zone, then looked up per row.
    fn zone(&self, zones: &ZoneSource<'_>) -> (Bits, Bits) {
        let answers: Vec<(bool, bool)> = std::iter::once(self.present(None))
            .chain(
                VatZone::ALL
                    .iter()
                    .map(|z| self.present(Some(Val::Text(z.as_str())))),
            )
            .collect();
        match zones {
            ZoneSource::Codes(codes) => {
                let known = ByteTable::new(answers.iter().map(|&(known, _)| known));
                let held = ByteTable::new(answers.iter().map(|&(_, holds)| holds));
                (
                    Bits::from_test(codes, |code| known.get(code)),
                    Bits::from_test(codes, |code| held.get(code)),
                )
            }
            ZoneSource::Rows(by_zone) => {
                let rows = self.rows();
                let (mut known, mut held) = (Bits::none(rows), Bits::none(rows));
                for ((is_known, holds), zone_rows) in answers.into_iter().zip(*by_zone) {
                    if is_known {
                        known.or_in_place(zone_rows);
                    }
                    if holds {
                        held.or_in_place(zone_rows);
                    }
                }
                (known, held)
            }
        }
    }
}

/// A test on integers: the mantissas of a column kept at one scale, or
/// days as integers in day order.
enum IntTest {
    /// Between the two, both included.
    Within(i128, i128),
    /// One of these: ascending, without repeats.
    Among(Vec<i64>),
}

/// Up to this many integers a row is compared with each; more are hashed,
/// or looked up in an index's sorted rows one by one.
const FEW: usize = 8;

impl IntTest {
    /// A list of integers; those beyond 64 bits can't be any row's.
    fn among(values: impl IntoIterator<Item = i128>) -> IntTest {
        let mut among: Vec<i64> = values
            .into_iter()
            .filter_map(|value| i64::try_from(value).ok())
            .collect();
        among.sort_unstable();
        among.dedup();
        IntTest::Among(among)
    }

    /// The values that pass, one bit each. A range is one unsigned
    /// comparison in the values' own width, without a branch.
    fn select<T: Copy + Into<i64>>(&self, values: &[T]) -> Bits {
        match self {
            IntTest::Within(low, high) => {
                let (low, high) = (
                    (*low).max(i128::from(i64::MIN)),
                    (*high).min(i128::from(i64::MAX)),
                );
                if low > high {
                    return Bits::none(values.len());
                }
                // Both within i64 now, and the width within u64.
                let (start, width) = (low as i64, (high - low) as u64);
                Bits::from_test(values, |value| {
                    (value.into().wrapping_sub(start) as u64) <= width
                })
            }
            IntTest::Among(among) if among.len() <= FEW => {
                Bits::from_test(values, |value| among.contains(&value.into()))
            }
            // Hashed once per column tested: one probe a row, however long
            // the list.
            IntTest::Among(among) => {
                let among: FxHashSet<i64> = among.iter().copied().collect();
                Bits::from_test(values, |value| among.contains(&value.into()))
            }
        }
    }

    /// The values of 32 bits that pass: a range in their own width (eight
    /// to a vector, not four widened), clamped to what 32 bits hold.
    fn select_narrow(&self, values: &[i32]) -> Bits {
        match self {
            IntTest::Within(low, high) => {
                let low = (*low).max(i128::from(i32::MIN));
                let high = (*high).min(i128::from(i32::MAX));
                if low > high {
                    return Bits::none(values.len());
                }
                // Both within i32 now, and the width within u32.
                let (start, width) = (low as i32, (high - low) as u32);
                Bits::from_test(values, |value| value.wrapping_sub(start) as u32 <= width)
            }
            IntTest::Among(_) => self.select(values),
        }
    }

    /// The rows that pass, through a column's sorted rows.
    fn select_sorted(&self, sorted: &SortedRows, rows: usize) -> Bits {
        let clamp = |value: i128| value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        match self {
            IntTest::Within(low, high)
                if low > high || *low > i128::from(i64::MAX) || *high < i128::from(i64::MIN) =>
            {
                Bits::none(rows)
            }
            IntTest::Within(low, high) => sorted.within(clamp(*low), clamp(*high), rows),
            // A value's rows through the bins while the list is short;
            // a long one would or a bit set per value.
            IntTest::Among(among) if among.len() <= FEW => {
                among.iter().fold(Bits::none(rows), |held, &value| {
                    held.or(&sorted.within(value, value, rows))
                })
            }
            IntTest::Among(among) => sorted.among(among, rows),
        }
    }
}

/// A test on numbers, on a column that keeps integers at one scale: the
/// literals are brought to that scale once, so each row is one integer
/// comparison, or a range of the index's sorted rows. `None` when the test
/// or its literals don't allow it.
fn scaled_predicate(
    column: &DecimalColumn,
    check: &Check,
    sorted: Option<&SortedRows>,
) -> Option<(Bits, Bits)> {
    let (mantissas, scale) = column.scaled()?;
    let factor = Decimal::from_i128_with_scale(10_i128.checked_pow(scale)?, 0);
    // A literal at the column's scale: (floor, ceil) as integers.
    let bounds = |value: &Value| -> Option<(i128, i128)> {
        let Value::Number(number) = value else {
            return None;
        };
        let scaled = number.checked_mul(factor)?;
        Some((scaled.floor().to_i128()?, scaled.ceil().to_i128()?))
    };
    // An integer equals a literal only when the literal is a whole number
    // at this scale; it is below a literal with more decimals exactly when
    // it is at most the literal's floor.
    let test = match check {
        Check::Cmp(op, value) => {
            let (floor, ceil) = bounds(value)?;
            match op {
                CmpOp::Eq | CmpOp::Ne => IntTest::among((floor == ceil).then_some(floor)),
                CmpOp::Lt => IntTest::Within(i128::MIN, ceil - 1),
                CmpOp::Le => IntTest::Within(i128::MIN, floor),
                CmpOp::Gt => IntTest::Within(floor + 1, i128::MAX),
                CmpOp::Ge => IntTest::Within(ceil, i128::MAX),
            }
        }
        Check::Between(low, high) => IntTest::Within(bounds(low)?.1, bounds(high)?.0),
        Check::In(list) => {
            let mut among = Vec::new();
            for number in list.numbers() {
                let (floor, ceil) = bounds(&Value::Number(*number))?;
                if floor == ceil {
                    among.push(floor);
                }
            }
            IntTest::among(among)
        }
        Check::IsNull => {
            let rows = mantissas.len();
            return Some((Bits::all(rows), Bits::all(rows).and_not(column.valid())));
        }
        Check::Text(..) => return None,
    };
    let held = match (sorted, mantissas) {
        (Some(sorted), _) => test.select_sorted(sorted, mantissas.len()),
        (None, ScaledSlice::Narrow(mantissas)) => test.select_narrow(mantissas),
        (None, ScaledSlice::Wide(mantissas)) => test.select(mantissas),
    };
    Some((column.valid().clone(), held))
}

/// A comparison of days, row by row without going through `Val`: the same
/// test as `holds` on a day, or a range of the index's sorted rows. `None`
/// for other tests.
fn date_predicate(
    column: &DateColumn,
    check: &Check,
    sorted: Option<&SortedRows>,
) -> Option<(Bits, Bits)> {
    let day = |value: &Value| match value {
        Value::Date(day) => Some(i128::from(day_number(*day))),
        _ => None,
    };
    let test = match check {
        Check::Cmp(op, value) => {
            let d = day(value)?;
            match op {
                CmpOp::Eq | CmpOp::Ne => IntTest::among([d]),
                CmpOp::Lt => IntTest::Within(i128::MIN, d - 1),
                CmpOp::Le => IntTest::Within(i128::MIN, d),
                CmpOp::Gt => IntTest::Within(d + 1, i128::MAX),
                CmpOp::Ge => IntTest::Within(d, i128::MAX),
            }
        }
        Check::Between(low, high) => IntTest::Within(day(low)?, day(high)?),
        Check::In(list) => IntTest::among(list.days().iter().map(|d| i128::from(day_number(*d)))),
        Check::IsNull => {
            let (days, valid) = column.parts();
            let rows = days.len();
            return Some((Bits::all(rows), Bits::all(rows).and_not(valid)));
        }
        Check::Text(..) => return None,
    };
    let (days, valid) = column.parts();
    let held = match sorted {
        Some(sorted) => test.select_sorted(sorted, days.len()),
        None => test.select(days),
    };
    Some((valid.clone(), held))
}

fn text_column<'t>(table: &'t CustomerTable, name: &str) -> Option<&'t TextColumn> {
    table
        .columns_named(name)
        .into_iter()
        .find_map(|column| match column {
            Column::Text(text) => Some(text),
            _ => None,
        })
}

fn decimal_column<'t>(
    table: &'t CustomerTable,
    name: &str,
) -> Option<&'t crate::table::column::DecimalColumn> {
    table
        .columns_named(name)
        .into_iter()
        .find_map(|column| match column {
            Column::Decimal(values) => Some(values),
            _ => None,
        })
}

fn date_column<'t>(
    table: &'t CustomerTable,
    name: &str,
) -> Option<&'t crate::table::column::DateColumn> {
    table
        .columns_named(name)
        .into_iter()
        .find_map(|column| match column {
            Column::Date(values) => Some(values),
            _ => None,
        })
}

fn flag_column<'t>(table: &'t CustomerTable, name: &str) -> Option<&'t Bits> {
    table
        .columns_named(name)
        .into_iter()
        .find_map(|column| match column {
            Column::Flag(bits) => Some(bits),
            _ => None,
        })
}
