//! A text column's values in the order of their reversed text, with its
//! rows sorted the same way, for `ends_with` on an indexed table.
//!
//! Texts with one suffix sit side by side once each text is read from its
//! end, as texts with one prefix do in a sorted dictionary: a suffix is a
//! range of places in that order, found by binary search, and its rows are
//! one range of [`SortedRows`] instead of a test of every distinct value (a
//! million e-mail addresses). Built the first time a suffix is asked of a
//! column, as few columns ever are; see [`TableIndex`](super::TableIndex).

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::column::TextColumn;
use super::sorted::SortedRows;
use super::strings::Strings;
use crate::bits::Bits;

/// A column's [`ReversedOrder`], built the first time a suffix is asked of
/// it and kept. Two indexes index alike whether or not they have built it.
#[derive(Debug, Clone, Default)]
pub(crate) struct LazyReversed(OnceLock<ReversedOrder>);

impl PartialEq for LazyReversed {
    fn eq(&self, _: &LazyReversed) -> bool {
        true
    }
}

impl Eq for LazyReversed {}

impl LazyReversed {
    /// The order of `column`, which must be the column the index was built
    /// from.
    pub(crate) fn of(&self, column: &TextColumn) -> &ReversedOrder {
        self.0.get_or_init(|| {
            let rows = column.codes.len();
            let codes = (0..rows).map(|row| column.codes.get(row));
            ReversedOrder::new(&column.values, codes, rows)
        })
    }

    /// The bytes the order takes, once built.
    pub(crate) fn bytes(&self) -> usize {
        self.0.get().map_or(0, ReversedOrder::bytes)
    }
}

/// The values of a dictionary ordered by their reversed bytes, and the rows
/// ordered by where their value stands in that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReversedOrder {
    /// Dictionary places (code - 1), in the order of their reversed text.
    places: Vec<u32>,
    /// The rows with a value, by the rank of their value in `places`.
    rows: SortedRows,
}

impl ReversedOrder {
    /// The order of `values` and of the rows whose codes `codes` gives (0:
    /// no value; a code past the dictionary: none either).
    pub(crate) fn new(
        values: &Strings,
        codes: impl Iterator<Item = u32> + Clone,
        len: usize,
    ) -> Self {
        let places = reversed_places(values);
        // rank[code] = where the code's value stands; code 0 has none.
        let mut rank = vec![u32::MAX; values.len() + 1];
        for (at, &place) in places.iter().enumerate() {
            if let Some(slot) = rank.get_mut(place as usize + 1) {
                *slot = at as u32;
            }
        }
        let ranks = codes.map(|code| {
            rank.get(code as usize)
                .copied()
                .filter(|&at| at != u32::MAX)
        });
        ReversedOrder {
            rows: SortedRows::from_ranks(ranks, places.len(), len),
            places,
        }
    }

    /// The rows whose value ends with `suffix` (its bytes: a UTF-8 suffix
    /// ends a text exactly when its bytes end the text's bytes).
    pub(crate) fn ending_with(&self, values: &Strings, suffix: &[u8], len: usize) -> Bits {
        let value = |at: usize| -> &[u8] {
            let place = self.places.get(at).copied().unwrap_or(0) as usize;
            values.get_bytes(place).unwrap_or_default()
        };
        // Before the suffix's run: read from the end, below the suffix and
        // not ending with it.
        let below = |at: usize| reversed_cmp(value(at), suffix) == Ordering::Less;
        let start = partition_point(self.places.len(), below);
        let end = start
            + partition_point(self.places.len() - start, |at| {
                value(start + at).ends_with(suffix)
            });
        if start >= end {
            return Bits::none(len);
        }
        self.rows.within(start as i64, end as i64 - 1, len)
    }

    /// The bytes the order takes.
    pub(crate) fn bytes(&self) -> usize {
        self.places.len() * 4 + self.rows.bytes()
    }
}

/// The first of `0..n` for which `before` is false, when it is true for a
/// prefix of them.
fn partition_point(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, n);
    while low < high {
        let middle = low + (high - low) / 2;
        if before(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

/// The order of two byte strings read from their ends.
fn reversed_cmp(a: &[u8], b: &[u8]) -> Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

/// Eight bytes of `bytes` read from the end, from the `level`th eight on:
/// as a number whose order is theirs (the last byte highest), and how many
/// there are (fewer than eight at the start of the text; zeros pad them).
fn reversed_word(bytes: &[u8], level: usize) -> (u64, u8) {
    let end = bytes.len().saturating_sub(8 * level);
    let start = end.saturating_sub(8);
    let chunk = bytes.get(start..end).unwrap_or_default();
    let mut word = [0u8; 8];
    // The chunk at the top of the word, so that the text's last byte is
    // the most significant and a shorter chunk's padding the least.
    if let Some(top) = word.get_mut(8 - chunk.len()..) {
        top.copy_from_slice(chunk);
    }
    (u64::from_le_bytes(word), chunk.len() as u8)
}

/// The places of `values` in the order of their reversed text: sorted by
/// their last eight bytes as one number, then each run alike in those by
/// the eight before, and so on (a suffix shared by all the values, as
/// `@example.com` is, costs a level, not a byte-wise comparison per pair).
fn reversed_places(values: &Strings) -> Vec<u32> {
    let mut places: Vec<u32> = (0..values.len() as u32).collect();
    let mut keyed: Vec<(u64, u8, u32)> = Vec::new();
    // Runs of `places` still to sort, at the level their values agree to.
    let mut runs = vec![(0, places.len(), 0)];
    while let Some((start, end, level)) = runs.pop() {
        let Some(run) = places.get_mut(start..end) else {
            continue;
        };
        if run.len() < 2 {
            continue;
        }
        keyed.clear();
        keyed.extend(run.iter().map(|&place| {
            let bytes = values.get_bytes(place as usize).unwrap_or_default();
            let (word, count) = reversed_word(bytes, level);
            (word, count, place)
        }));
        // A run alike in these eight bytes (the `.com` of every address)
        // needs no sort, only the next level.
        let first = keyed.first().map(|&(word, count, _)| (word, count));
        if keyed
            .iter()
            .all(|&(word, count, _)| Some((word, count)) == first)
        {
            if first.is_some_and(|(_, count)| count == 8) {
                runs.push((start, end, level + 1));
            }
            continue;
        }
        keyed.sort_unstable();
        for (slot, &(_, _, place)) in run.iter_mut().zip(&keyed) {
            *slot = place;
        }
        // Values alike in eight whole bytes may differ before them.
        let mut from = 0;
        while from < keyed.len() {
            let (word, count, _) = keyed.get(from).copied().unwrap_or_default();
            let to = from
                + keyed
                    .get(from..)
                    .unwrap_or_default()
                    .partition_point(|&(w, c, _)| (w, c) == (word, count));
            if count == 8 && to - from > 1 {
                runs.push((start + from, start + to, level + 1));
            }
            from = to;
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_ordered_by_their_reversed_bytes() {
        let texts = [
            "",
            "a",
            "ba",
            "aaaaaaaaa",
            "xaaaaaaaa",
            "aaaaaaaa",
            "a\u{0}",
            "\u{0}",
            "jan@example.com",
            "piet@example.com",
            "@example.com",
            "é",
            "xé",
            "customer12@example.com",
            "customer2@example.com",
        ];
        let values: Strings = texts.into_iter().collect();
        let got: Vec<&str> = reversed_places(&values)
            .into_iter()
            .map(|place| texts[place as usize])
            .collect();
        let mut expected = texts.to_vec();
        expected.sort_by(|a, b| reversed_cmp(a.as_bytes(), b.as_bytes()));
        assert_eq!(got, expected);
    }

    proptest::proptest! {
        /// The rows through the order are the rows a scan finds, for any
        /// suffix: empty, longer than every value, in the middle of a
        /// character, or not there; rows without a value never.
        #[test]
        fn a_suffix_gives_the_rows_a_scan_gives(
            rows in proptest::collection::vec(
                proptest::option::weighted(0.8, "[ab@é\u{0}]{0,12}"),
                0..200,
            ),
            suffix in proptest::prop_oneof![
                "[ab@é\u{0}]{0,4}",
                "[ab]{13,20}",
            ],
            cut in 0usize..3,
        ) {
            // A sorted dictionary without repeats, and one in row order
            // with them (as Arrow's mostly distinct columns are kept).
            let mut sorted: Vec<&str> = rows.iter().flatten().map(String::as_str).collect();
            sorted.sort_unstable();
            sorted.dedup();
            let sorted_codes: Vec<u32> = rows
                .iter()
                .map(|row| match row {
                    Some(text) => sorted.iter().position(|v| v == text).map_or(0, |p| p as u32 + 1),
                    None => 0,
                })
                .collect();
            let in_row_order: Vec<&str> = rows.iter().flatten().map(String::as_str).collect();
            let mut next = 0;
            let row_codes: Vec<u32> = rows
                .iter()
                .map(|row| match row {
                    Some(_) => {
                        next += 1;
                        next
                    }
                    None => 0,
                })
                .collect();
            // Also a suffix cut inside a character, as bytes.
            let bytes = suffix.as_bytes().get(cut.min(suffix.len())..).unwrap_or_default();
            let expected: Vec<usize> = (0..rows.len())
                .filter(|&row| rows[row].as_ref().is_some_and(|v| v.as_bytes().ends_with(bytes)))
                .collect();
            for (dictionary, codes) in [(sorted, sorted_codes), (in_row_order, row_codes)] {
                let values: Strings = dictionary.iter().copied().collect();
                let order = ReversedOrder::new(&values, codes.iter().copied(), rows.len());
                let got: Vec<usize> = order.ending_with(&values, bytes, rows.len()).rows().collect();
                proptest::prop_assert_eq!(&got, &expected);
            }
        }
    }
}
