//! A column's rows in the order of their values, for range queries on an
//! indexed table: numbers, days, and text columns with too many distinct
//! values for a bit set each (a city, a postcode).
//!
//! The rows are sorted by an integer key (a dictionary code, a decimal's
//! integer at the column's scale, a day number), and the sorted order is cut
//! into [`BINS`] equal bins, each with a bit set of the rows before it. A
//! range of keys is then one `and_not` of two bit sets, plus the rows of at
//! most two partly covered bins set one by one: a thirty-second of the rows
//! at worst, instead of a test on every row.

use crate::bits::Bits;

/// How many bins the sorted rows are cut into.
const BINS: usize = 64;

/// The rows of a column sorted by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SortedRows {
    /// The keys of the rows with a value, ascending.
    keys: Vec<i64>,
    /// The row at each place of `keys`.
    rows: Vec<u32>,
    /// `before[b]`: the rows at the places before bin `b` starts.
    before: Vec<Bits>,
}

impl SortedRows {
    /// Sorts the rows with a key (`None`: no value) of a column of `len`
    /// rows.
    pub(crate) fn new(keys: impl Iterator<Item = Option<i64>>, len: usize) -> SortedRows {
        let mut pairs: Vec<(i64, u32)> = keys
            .enumerate()
            .filter_map(|(row, key)| Some((key?, u32::try_from(row).ok()?)))
            .collect();
        pairs.sort_unstable();
        let (keys, rows): (Vec<i64>, Vec<u32>) = pairs.into_iter().unzip();
        SortedRows::binned(keys, rows, len)
    }

    /// Sorts the rows with a rank below `distinct` (`None`: no value) of a
    /// column of `len` rows by counting, not comparing: a pass to count
    /// each rank's rows and one to place them.
    pub(crate) fn from_ranks(
        ranks: impl Iterator<Item = Option<u32>> + Clone,
        distinct: usize,
        len: usize,
    ) -> SortedRows {
        // first[rank]: the place of rank's first row, once summed.
        let mut first = vec![0usize; distinct + 1];
        for rank in ranks.clone().flatten() {
            if let Some(count) = first.get_mut(rank as usize + 1) {
                *count += 1;
            }
        }
        for at in 1..first.len() {
            let before = first.get(at - 1).copied().unwrap_or(0);
            if let Some(count) = first.get_mut(at) {
                *count += before;
            }
        }
        let n = first.last().copied().unwrap_or(0);
        let (mut keys, mut rows) = (vec![0i64; n], vec![0u32; n]);
        for (row, rank) in ranks.enumerate() {
            let Some(rank) = rank else { continue };
            let Some(place) = first.get_mut(rank as usize) else {
                continue;
            };
            if let (Some(key), Some(slot)) = (keys.get_mut(*place), rows.get_mut(*place)) {
                *key = i64::from(rank);
                *slot = row as u32;
            }
            *place += 1;
        }
        SortedRows::binned(keys, rows, len)
    }

    /// The bins of rows sorted by key.
    fn binned(keys: Vec<i64>, rows: Vec<u32>, len: usize) -> SortedRows {
        let mut before = Vec::with_capacity(BINS + 1);
        let mut rows_so_far = Bits::none(len);
        let mut place = 0;
        for bin in 0..=BINS {
            let start = bin_start(bin, rows.len());
            for &row in rows.get(place..start).unwrap_or_default() {
                rows_so_far.set(row as usize);
            }
            place = start;
            before.push(rows_so_far.clone());
        }
        SortedRows { keys, rows, before }
    }

    /// The rows whose key is within `low..=high`.
    pub(crate) fn within(&self, low: i64, high: i64, len: usize) -> Bits {
        let start = self.keys.partition_point(|&key| key < low);
        let end = self.keys.partition_point(|&key| key <= high);
        if start >= end {
            return Bits::none(len);
        }
        // The whole bins inside start..end, then the places left at either end.
        let n = self.keys.len();
        let first = (0..=BINS).find(|&bin| bin_start(bin, n) >= start);
        let last = (0..=BINS).rev().find(|&bin| bin_start(bin, n) <= end);
        let (mut bits, loose) = match (first, last) {
            (Some(first), Some(last)) if first < last => {
                let (from, to) = (bin_start(first, n), bin_start(last, n));
                let whole = match (self.before.get(last), self.before.get(first)) {
                    (Some(upto), Some(below)) => upto.and_not(below),
                    _ => Bits::none(len),
                };
                (whole, [start..from, to..end])
            }
            _ => (Bits::none(len), [start..end, end..end]),
        };
        for places in loose {
            for &row in self.rows.get(places).unwrap_or_default() {
                bits.set(row as usize);
            }
        }
        bits
    }

    /// The rows whose key is one of `wanted`, which must be ascending: each
    /// key's places found by binary search after the last key's, their
    /// rows set one by one.
    pub(crate) fn among(&self, wanted: &[i64], len: usize) -> Bits {
        let mut bits = Bits::none(len);
        let mut from = 0;
        for &key in wanted {
            let rest = self.keys.get(from..).unwrap_or_default();
            let start = from + rest.partition_point(|&k| k < key);
            let end = start
                + self
                    .keys
                    .get(start..)
                    .unwrap_or_default()
                    .partition_point(|&k| k <= key);
            for &row in self.rows.get(start..end).unwrap_or_default() {
                bits.set(row as usize);
            }
            from = end;
        }
        bits
    }

    /// The bytes the index takes.
    pub(crate) fn bytes(&self) -> usize {
        self.keys.len() * 12 + self.before.iter().map(Bits::bytes).sum::<usize>()
    }
}

/// The first place of bin `bin` among `n` sorted places.
fn bin_start(bin: usize, n: usize) -> usize {
    bin * n / BINS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_gives_the_rows_whose_key_is_within_it() {
        let len = 1000;
        let key = |row: usize| (row % 7 != 3).then(|| (row as i64 * 7919) % 211 - 100);
        let sorted = SortedRows::new((0..len).map(key), len);
        for (low, high) in [
            (-100, 110),
            (-5, 5),
            (0, 0),
            (37, 36),
            (200, 300),
            (-1000, -101),
            (13, 14),
        ] {
            let expected: Vec<usize> = (0..len)
                .filter(|&row| key(row).is_some_and(|k| low <= k && k <= high))
                .collect();
            let got: Vec<usize> = sorted.within(low, high, len).rows().collect();
            assert_eq!(got, expected, "{low}..={high}");
        }
    }

    #[test]
    fn counting_sorts_as_comparing_does() {
        let len = 1000;
        let rank = |row: usize| (row % 7 != 3).then(|| (row as u32 * 7919) % 211);
        let counted = SortedRows::from_ranks((0..len).map(rank), 211, len);
        let compared = SortedRows::new((0..len).map(|row| rank(row).map(i64::from)), len);
        assert_eq!(counted, compared);
    }

    #[test]
    fn a_list_gives_the_rows_whose_key_is_in_it() {
        let len = 1000;
        let key = |row: usize| (row % 7 != 3).then(|| (row as i64 * 7919) % 211 - 100);
        let sorted = SortedRows::new((0..len).map(key), len);
        let lists: [Vec<i64>; 4] = [
            vec![],
            vec![-100],
            vec![-1000, -3, 0, 1, 2, 57, 110, 111],
            (-120..130).step_by(3).collect(),
        ];
        for wanted in lists {
            let expected: Vec<usize> = (0..len)
                .filter(|&row| key(row).is_some_and(|k| wanted.contains(&k)))
                .collect();
            let got: Vec<usize> = sorted.among(&wanted, len).rows().collect();
            assert_eq!(got, expected, "{wanted:?}");
        }
    }
}
