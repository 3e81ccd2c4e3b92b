//! Segment sets: many named segments answered together, a bit per segment
//! for each row, for overviews that ask for ten segments at once.

use std::collections::BTreeSet;

use super::Engine;
use super::classified::{SegmentValues, empty_columns, targets_read};
use super::segment::Zones;
use crate::bits::Bits;
use crate::customer::Customer;
use crate::error::{CustomerError, ExprError};
use crate::expr::{self, Cond, Derived, SharedTests};
use crate::limits::MAX_SEGMENTS_IN_SET;
use crate::table::{CustomerTable, SegmentWarning, TableIndex};
use crate::threads::Threads;

/// Named segments compiled together and evaluated over a table in one
/// pass.
///
/// Made by [`Engine::segment_set`]. Over a [`CustomerTable`]
/// ([`SegmentSet::masks`]) the work the segments have in common is done
/// once: the VAT zone of every row, the check of numeric attributes, and
/// every test that more than one segment makes (`country = 'NL'` in three
/// segments is one pass over the column). Each row's answer is a `u64`
/// with bit *i* set when the row is in segment *i* (in the order given),
/// so a set holds at most [`MAX_SEGMENTS_IN_SET`] (64) segments; row for
/// row, segment for segment, it is what [`Segment::filter`] and
/// [`Segment::matches`] say.
///
/// [`Segment::filter`]: crate::Segment::filter
/// [`Segment::matches`]: crate::Segment::matches
///
/// # Examples
///
/// ```
/// use custclass::{Customer, CustomerTable, Engine, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let overview = engine.segment_set([
///     ("everyone", "true"),
///     ("dutch", "country = 'NL'"),
///     ("dutch shoppers", "country = 'NL' and channel = 'webshop'"),
/// ])?;
/// let customers = Customer::list_from_json(r#"[
///     {"id": "1", "billing_address": {"country": "NL"}, "channel": "webshop"},
///     {"id": "2", "billing_address": {"country": "NL"}, "channel": "pos"},
///     {"id": "3", "billing_address": {"country": "DK"}, "channel": "webshop"}
/// ]"#)?;
/// let table = CustomerTable::from_customers(&customers);
/// let answer = overview.masks(&table);
/// assert_eq!(answer.masks(), [0b111, 0b011, 0b001]);
/// assert_eq!(answer.counts(), [3, 2, 1]);
/// assert_eq!(answer.rows(1).collect::<Vec<_>>(), [0, 1]);
/// assert_eq!(overview.names_in(0b011).collect::<Vec<_>>(), ["everyone", "dutch"]);
///
/// // One customer: the same bits.
/// assert_eq!(overview.mask(&customers[1])?, 0b011);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SegmentSet {
    engine: Engine,
    members: Vec<Member>,
    values: SegmentValues,
}

#[derive(Debug, Clone)]
struct Member {
    name: String,
    expression: String,
    cond: Cond,
}

impl SegmentSet {
    /// The engine the set was compiled by, and the segments' conditions:
    /// what checking a table's columns needs (`columns.rs`).
    pub(super) fn parts(&self) -> (&Engine, impl Iterator<Item = &Cond>) {
        (&self.engine, self.members.iter().map(|member| &member.cond))
    }
}

/// A [`SegmentSet`]'s answer over a table: per row its mask, per segment
/// its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentMasks {
    masks: Vec<u64>,
    counts: Vec<usize>,
    rejected: Vec<(usize, CustomerError)>,
    warnings: Vec<SegmentWarning>,
}

impl SegmentSet {
    pub(super) fn compile<N, E>(
        engine: &Engine,
        segments: impl IntoIterator<Item = (N, E)>,
        values: SegmentValues,
    ) -> Result<SegmentSet, ExprError>
    where
        N: Into<String>,
        E: Into<String>,
    {
        let mut members: Vec<Member> = Vec::new();
        for (count, (name, expression)) in segments.into_iter().enumerate() {
            if count >= MAX_SEGMENTS_IN_SET {
                return Err(ExprError::TooManySegments {
                    offset: 0,
                    count: count + 1,
                    limit: MAX_SEGMENTS_IN_SET,
                });
            }
            let (name, expression) = (name.into(), expression.into());
            if members.iter().any(|member| member.name == name) {
                return Err(ExprError::DuplicateSegment {
                    offset: 0,
                    segment: name,
                });
            }
            let cond = expr::compile(&expression, engine.compiled.as_ref()).map_err(|error| {
                ExprError::InvalidSegment {
                    offset: error.offset(),
                    segment: name.clone(),
                    error: Box::new(error),
                }
            })?;
            members.push(Member {
                name,
                expression,
                cond,
            });
        }
        Ok(SegmentSet {
            engine: engine.clone(),
            members,
            values,
        })
    }

    /// How many segments the set holds.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the set holds no segment.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The segments' names, in order: name *i* is bit *i* of a mask.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|member| member.name.as_str())
    }

    /// The segments' expressions as written, in order.
    pub fn expressions(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|member| member.expression.as_str())
    }

    /// The names of the segments whose bits `mask` sets, in order.
    pub fn names_in(&self, mask: u64) -> impl Iterator<Item = &str> {
        self.names()
            .enumerate()
            .filter(move |(bit, _)| mask >> bit & 1 == 1)
            .map(|(_, name)| name)
    }

    /// The customer columns the segments read, with those every row is
    /// checked on (the numeric attributes), and those classifying reads
    /// when a segment tests classified values, as [`Segment::input_columns`].
    ///
    /// [`Segment::input_columns`]: crate::Segment::input_columns
    pub fn input_columns(&self) -> BTreeSet<String> {
        let mut columns = self.columns_read();
        if !self.targets().is_empty() {
            columns.extend(self.engine.input_columns());
        }
        columns
    }

    fn columns_read(&self) -> BTreeSet<String> {
        self.engine.columns_read(self.conds())
    }

    fn conds(&self) -> impl Iterator<Item = &Cond> {
        self.members.iter().map(|member| &member.cond)
    }

    /// The target columns some segment tests classified: when there are
    /// any, every row is classified once for all the segments.
    fn targets(&self) -> Vec<(&'static str, crate::classification::ResultField)> {
        targets_read(self.values, self.conds())
    }

    /// Every row's mask and every segment's count, in one pass over
    /// `table`. Rows with a numeric attribute that isn't a number, or (when
    /// a segment tests classified values) that can't be classified, are in
    /// no segment (mask 0) and listed in [`SegmentMasks::rejected`]; a
    /// column tested that is empty in every row is named in
    /// [`SegmentMasks::warnings`].
    pub fn masks(&self, table: &CustomerTable) -> SegmentMasks {
        self.evaluate(table, None)
    }

    /// As [`SegmentSet::masks`], reading the tests on indexed columns from
    /// `index`, which must have been built from `table`.
    pub fn masks_indexed(&self, table: &CustomerTable, index: &TableIndex) -> SegmentMasks {
        self.evaluate(table, Some(index))
    }

    fn evaluate(&self, table: &CustomerTable, index: Option<&TableIndex>) -> SegmentMasks {
        span!(
            "segment_set_masks",
            rows = table.len(),
            segments = self.members.len(),
            indexed = index.is_some()
        );
        let targets = self.targets();
        let seen = self
            .engine
            .seen_table(table, &targets, &self.columns_read());
        // An index answers for the table, not for a view with classified
        // columns.
        let index = index.filter(|_| !seen.is_view());
        let reads_zone = self.members.iter().any(|member| member.cond.reads_zone());
        let zones = Zones::of(&self.engine, &seen.table, index, reads_zone);
        let derived = Derived::new(zones.source(), Threads::One);
        let mut shared = SharedTests::new(self.conds(), &seen.table, index, &derived);
        let mut answers = Vec::with_capacity(self.members.len());
        for member in &self.members {
            let mut yes = shared.truth(&member.cond).yes;
            for (row, _) in &seen.rejected {
                yes.clear(*row);
            }
            answers.push(yes);
        }
        drop(shared);
        SegmentMasks {
            masks: masks_of(&answers, table.len()),
            counts: answers.iter().map(Bits::count).collect(),
            warnings: empty_columns(table, self.conds(), &targets),
            rejected: seen.rejected,
        }
    }

    /// The customer's mask: bit *i* set when it is in segment *i*.
    ///
    /// # Errors
    ///
    /// `invalid_attribute` when a numeric attribute of the customer is not
    /// a number; when a segment tests classified values, the error
    /// classifying the customer gives.
    pub fn mask(&self, customer: &Customer) -> Result<u64, CustomerError> {
        let customer = self.engine.seen_customer(customer, &self.targets())?;
        let subject = self.engine.subject(&customer, customer.created_at)?;
        Ok(self
            .members
            .iter()
            .enumerate()
            .filter(|(_, member)| member.cond.matches(&subject))
            .fold(0, |mask, (bit, _)| mask | 1 << bit))
    }
}

/// Per row, bit *i* set where `answers[i]` holds the row. Written 64 rows
/// at a time, each mask once: per eight segments and eight rows, the bits
/// are spread into one byte per row, so a segment costs a few operations
/// per eight rows rather than one per row, and an empty word nothing. (An
/// 8×8 bit-matrix transpose and a walk over the set bits measured no
/// faster.)
fn masks_of(answers: &[Bits], rows: usize) -> Vec<u64> {
    let mut masks = vec![0_u64; rows];
    let words: Vec<&[u64]> = answers.iter().map(Bits::words).collect();
    for (block, chunk) in masks.chunks_mut(64).enumerate() {
        for (group, segments) in words.chunks(8).enumerate() {
            // Per eight rows of the block, a byte per row: the bits of
            // these eight segments.
            let mut bytes = [0_u64; 8];
            for (bit, segment) in segments.iter().enumerate() {
                let word = segment.get(block).copied().unwrap_or(0);
                if word == 0 {
                    continue;
                }
                for (eighth, byte) in bytes.iter_mut().enumerate() {
                    *byte |= spread(word >> (8 * eighth) & 0xFF) << bit;
                }
            }
            for (eighth, byte) in bytes.iter().enumerate() {
                if *byte == 0 {
                    continue;
                }
                for (at, mask) in chunk.iter_mut().skip(8 * eighth).take(8).enumerate() {
                    *mask |= (byte >> (8 * at) & 0xFF) << (8 * group);
                }
            }
        }
    }
    masks
}

/// The eight low bits of `bits`, one to a byte: bit *j* becomes byte *j*
/// (0 or 1).
fn spread(bits: u64) -> u64 {
    let x = (bits | bits << 28) & 0x0000_000F_0000_000F;
    let x = (x | x << 14) & 0x0003_0003_0003_0003;
    (x | x << 7) & 0x0101_0101_0101_0101
}

impl SegmentMasks {
    /// Per row of the table, its mask: bit *i* set when the row is in
    /// segment *i*.
    pub fn masks(&self) -> &[u64] {
        &self.masks
    }

    /// Per segment, in the set's order, how many rows are in it.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// The rows in segment `segment` (its position in the set), ascending.
    pub fn rows(&self, segment: usize) -> impl Iterator<Item = usize> + '_ {
        let flag = u32::try_from(segment)
            .ok()
            .and_then(|at| 1_u64.checked_shl(at))
            .unwrap_or(0);
        self.masks
            .iter()
            .enumerate()
            .filter(move |(_, mask)| *mask & flag != 0)
            .map(|(row, _)| row)
    }

    /// Rows left out of every segment because they can't be judged (a
    /// numeric attribute that isn't a number), with the error
    /// [`SegmentSet::mask`] gives for that customer.
    pub fn rejected(&self) -> &[(usize, CustomerError)] {
        &self.rejected
    }

    /// What the segments noticed about the table: each column one of them
    /// tests that is empty in every row (or absent), which no row can
    /// match, so a count of 0 isn't taken for an answer.
    pub fn warnings(&self) -> &[SegmentWarning] {
        &self.warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Setup;

    fn engine() -> Engine {
        Engine::new(Setup::standard("NL".to_owned().try_into().unwrap())).unwrap()
    }

    #[test]
    fn a_set_refuses_what_cannot_be_one() {
        let engine = engine();
        let err = engine
            .segment_set([("a", "true"), ("b", "contry = 'NL'")])
            .unwrap_err();
        assert_eq!((err.code(), err.offset()), ("invalid_segment", 0));
        assert_eq!(
            err.to_string(),
            "segment 'b': unknown field 'contry' at offset 0; did you mean 'country'?"
        );
        let err = engine
            .segment_set([("a", "true"), ("a", "false")])
            .unwrap_err();
        assert_eq!(err.code(), "duplicate_segment");
        let many: Vec<(String, &str)> = (0..=MAX_SEGMENTS_IN_SET)
            .map(|n| (format!("s{n}"), "true"))
            .collect();
        let err = engine.segment_set(many.clone()).unwrap_err();
        assert_eq!(
            err,
            ExprError::TooManySegments {
                offset: 0,
                count: 65,
                limit: 64
            }
        );
        let set = engine.segment_set(many.into_iter().skip(1)).unwrap();
        assert_eq!(set.len(), 64);
        let table = CustomerTable::from_customers(&[Customer::new("1")]);
        assert_eq!(set.masks(&table).masks(), [u64::MAX]);
    }

    #[test]
    fn masks_are_each_segments_bits_in_its_place() {
        let mut seed = 7_u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 33
        };
        for (segments, rows) in [(1, 1), (3, 63), (10, 1_000), (17, 200), (64, 130)] {
            let answers: Vec<Bits> = (0..segments)
                .map(|density| {
                    let mut bits = Bits::none(rows);
                    for row in 0..rows {
                        if next() % (density as u64 % 5 + 1) == 0 {
                            bits.set(row);
                        }
                    }
                    bits
                })
                .collect();
            let masks = masks_of(&answers, rows);
            assert_eq!(masks.len(), rows);
            for (row, mask) in masks.iter().enumerate() {
                let want = (answers.iter().enumerate())
                    .filter(|(_, bits)| bits.get(row))
                    .fold(0, |mask, (bit, _)| mask | 1 << bit);
                assert_eq!(*mask, want, "{segments} segments, row {row}");
            }
        }
        for bits in 0..256 {
            let spread = spread(bits);
            assert!((0..8).all(|j| spread >> (8 * j) & 0xFF == bits >> j & 1));
        }
    }

    #[test]
    fn an_empty_set_puts_every_row_in_no_segment() {
        let set = engine().segment_set(Vec::<(&str, &str)>::new()).unwrap();
        assert!(set.is_empty());
        let table = CustomerTable::from_customers(&[Customer::new("1")]);
        let answer = set.masks(&table);
        assert_eq!((answer.masks(), answer.counts()), (&[0][..], &[][..]));
    }
}
