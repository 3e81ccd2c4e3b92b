//! One bit per row: validity of table columns, and the answers of
//! conditions over a whole table.

/// 64 flags (each 0 or 1) as the bits of a word, flag `i` at bit `i`:
/// eight flags read as one little-endian word, times a constant that moves
/// flag `k` to bit `56 + k`.
fn pack(flags: &[u8; 64]) -> u64 {
    const GATHER: u64 = 0x0102_0408_1020_4080;
    flags
        .chunks_exact(8)
        .enumerate()
        .fold(0, |word, (i, eight)| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(eight);
            let byte = u64::from_le_bytes(bytes).wrapping_mul(GATHER) >> 56;
            word | byte << (8 * i)
        })
}

/// A yes or no for each of the 256 one-byte codes: a test on a column of
/// byte codes, looked up per row without a bounds check.
#[derive(Debug)]
pub(crate) struct ByteTable([bool; 256]);

impl ByteTable {
    /// `flags` for codes 0, 1, …; the codes past them are no.
    pub(crate) fn new(flags: impl IntoIterator<Item = bool>) -> ByteTable {
        let mut table = [false; 256];
        for (slot, flag) in table.iter_mut().zip(flags) {
            *slot = flag;
        }
        ByteTable(table)
    }

    #[allow(clippy::indexing_slicing, reason = "a u8 is always below 256")]
    pub(crate) fn get(&self, code: u8) -> bool {
        self.0[usize::from(code)]
    }
}

/// One bit per row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    /// Adds a row at the end.
    pub(crate) fn push(&mut self, bit: bool) {
        let (word, offset) = (self.len / 64, self.len % 64);
        if offset == 0 {
            self.words.push(0);
        }
        if bit && let Some(slot) = self.words.get_mut(word) {
            *slot |= 1 << offset;
        }
        self.len += 1;
    }

    /// The bytes the bits take.
    pub(crate) fn bytes(&self) -> usize {
        self.words.len() * 8
    }

    pub(crate) fn none(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub(crate) fn all(len: usize) -> Bits {
        let mut bits = Bits {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        bits.trim();
        bits
    }

    /// Bits from whole words, for `len` rows.
    pub(crate) fn from_words(mut words: Vec<u64>, len: usize) -> Bits {
        words.resize(len.div_ceil(64), 0);
        let mut bits = Bits { words, len };
        bits.trim();
        bits
    }

    /// One bit per value of `values` (a column, row by row): set where
    /// `test` holds. 64 rows at a time: the tests into 64 bytes (a loop
    /// the compiler vectorises), the bytes into a word 8 at a time.
    pub(crate) fn from_test<T: Copy>(values: &[T], test: impl Fn(T) -> bool) -> Bits {
        let words = values
            .chunks(64)
            .map(|chunk| {
                let mut flags = [0u8; 64];
                for (flag, &value) in flags.iter_mut().zip(chunk) {
                    *flag = u8::from(test(value));
                }
                pack(&flags)
            })
            .collect();
        Bits::from_words(words, values.len())
    }

    /// Two bit sets from one test per value of `values`, in one pass over
    /// them, 64 rows at a time as [`Bits::from_test`].
    pub(crate) fn pair_from_test<T: Copy>(
        values: &[T],
        test: impl Fn(T) -> (bool, bool),
    ) -> (Bits, Bits) {
        let n = values.len().div_ceil(64);
        let (mut first, mut second) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for chunk in values.chunks(64) {
            let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
            for ((a, b), &value) in a.iter_mut().zip(b.iter_mut()).zip(chunk) {
                let (x, y) = test(value);
                *a = u8::from(x);
                *b = u8::from(y);
            }
            first.push(pack(&a));
            second.push(pack(&b));
        }
        (
            Bits::from_words(first, values.len()),
            Bits::from_words(second, values.len()),
        )
    }

    /// Two bit sets from one test per row, in one pass.
    pub(crate) fn pair_from_fn(len: usize, test: &dyn Fn(usize) -> (bool, bool)) -> (Bits, Bits) {
        let (mut first, mut second) = (Bits::none(len), Bits::none(len));
        for (index, (a, b)) in first.words.iter_mut().zip(&mut second.words).enumerate() {
            let start = index * 64;
            for offset in 0..64.min(len - start) {
                let (x, y) = test(start + offset);
                *a |= u64::from(x) << offset;
                *b |= u64::from(y) << offset;
            }
        }
        (first, second)
    }

    /// Ors in `len` bits given as whole words (row `start + 64 * i + j` at
    /// bit `j` of word `i`, bits past `len` ignored), shifted into place
    /// when `start` is not a multiple of 64: a validity bitmap copied a
    /// word at a time instead of a bit at a time.
    #[cfg(feature = "arrow")]
    pub(crate) fn or_words_at(
        &mut self,
        start: usize,
        len: usize,
        words: impl IntoIterator<Item = u64>,
    ) {
        let (first, shift) = (start / 64, start % 64);
        for (index, mut word) in words.into_iter().enumerate() {
            let Some(left) = len.checked_sub(index * 64).filter(|left| *left > 0) else {
                break;
            };
            if left < 64 {
                word &= (1 << left) - 1;
            }
            if let Some(slot) = self.words.get_mut(first + index) {
                *slot |= word << shift;
            }
            if shift != 0
                && let Some(slot) = self.words.get_mut(first + index + 1)
            {
                *slot |= word >> (64 - shift);
            }
        }
        self.trim();
    }

    /// Clears the bits past the last row.
    fn trim(&mut self) {
        let tail = self.len % 64;
        if let (Some(last), true) = (self.words.last_mut(), tail != 0) {
            *last &= (1 << tail) - 1;
        }
    }

    fn zip(&self, other: &Bits, op: impl Fn(u64, u64) -> u64) -> Bits {
        Bits {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| op(*a, *b))
                .collect(),
            len: self.len,
        }
    }

    /// `self = op(self, other)`, word by word, without a new allocation.
    fn update(&mut self, other: &Bits, op: impl Fn(u64, u64) -> u64) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word = op(*word, *other);
        }
    }

    /// `self = op(self, a, b)`, word by word.
    fn update2(&mut self, a: &Bits, b: &Bits, op: impl Fn(u64, u64, u64) -> u64) {
        for ((word, a), b) in self.words.iter_mut().zip(&a.words).zip(&b.words) {
            *word = op(*word, *a, *b);
        }
    }

    pub(crate) fn or_in_place(&mut self, other: &Bits) {
        self.update(other, |a, b| a | b);
    }

    pub(crate) fn and_in_place(&mut self, other: &Bits) {
        self.update(other, |a, b| a & b);
    }

    /// `self |= a & !b`.
    pub(crate) fn or_difference(&mut self, a: &Bits, b: &Bits) {
        self.update2(a, b, |word, a, b| word | (a & !b));
    }

    /// `self &= a & !b`.
    pub(crate) fn and_difference(&mut self, a: &Bits, b: &Bits) {
        self.update2(a, b, |word, a, b| word & a & !b);
    }

    /// `self = within & !self`: the rows of `within` not set here.
    pub(crate) fn invert_within(&mut self, within: &Bits) {
        self.update(within, |word, within| within & !word);
    }

    pub(crate) fn and(&self, other: &Bits) -> Bits {
        self.zip(other, |a, b| a & b)
    }

    pub(crate) fn or(&self, other: &Bits) -> Bits {
        self.zip(other, |a, b| a | b)
    }

    pub(crate) fn and_not(&self, other: &Bits) -> Bits {
        self.zip(other, |a, b| a & !b)
    }

    pub(crate) fn get(&self, row: usize) -> bool {
        row < self.len
            && self
                .words
                .get(row / 64)
                .is_some_and(|word| word >> (row % 64) & 1 == 1)
    }

    /// The bits, 64 rows to a word, row `64 * i + j` at bit `j` of word `i`.
    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    pub(crate) fn count(&self) -> usize {
        self.words
            .iter()
            .map(|word| word.count_ones() as usize)
            .sum()
    }

    /// The rows whose bit is set, in order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(index, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let offset = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    index * 64 + offset
                })
            })
        })
    }

    /// The rows whose bit is set, ascending, as 64-bit numbers (an Arrow
    /// column of row numbers): counted first so that the numbers are
    /// written once into a vector of the right size, a word at a time,
    /// not grown and copied as an iterator's collect would.
    pub(crate) fn row_numbers(&self) -> Vec<i64> {
        let mut numbers = Vec::with_capacity(self.count());
        for (index, &word) in self.words.iter().enumerate() {
            let base = index as i64 * 64;
            let mut rest = word;
            while rest != 0 {
                numbers.push(base + i64::from(rest.trailing_zeros()));
                rest &= rest - 1;
            }
        }
        numbers
    }

    /// Sets the given row.
    pub(crate) fn set(&mut self, row: usize) {
        if let Some(word) = self.words.get_mut(row / 64) {
            *word |= 1 << (row % 64);
        }
    }

    /// Clears the given rows.
    pub(crate) fn clear(&mut self, row: usize) {
        if let Some(word) = self.words.get_mut(row / 64) {
            *word &= !(1 << (row % 64));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_per_row_sets_the_rows_it_holds_for() {
        for len in [0, 1, 63, 64, 65, 200] {
            let values: Vec<u32> = (0..len).map(|i| i * 7919 % 13).collect();
            let bits = Bits::from_test(&values, |v| v.is_multiple_of(3));
            let expected: Vec<usize> = (0..len as usize)
                .filter(|&row| values[row].is_multiple_of(3))
                .collect();
            assert_eq!(bits.rows().collect::<Vec<_>>(), expected, "{len} rows");
            let numbers: Vec<usize> = bits.row_numbers().iter().map(|&n| n as usize).collect();
            assert_eq!(numbers, expected, "{len} rows as numbers");
            assert_eq!(bits.count(), expected.len());
            let (odd, small) = Bits::pair_from_test(&values, |v| (v % 2 == 1, v < 5));
            assert_eq!(odd, Bits::from_test(&values, |v| v % 2 == 1));
            assert_eq!(small, Bits::from_test(&values, |v| v < 5));
        }
    }
}
