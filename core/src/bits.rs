//! One bit per row: validity of table columns, and the answers of
//! conditions over a whole table.

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
    /// `test` holds. A word of 64 rows at a time, without a branch per row.
    pub(crate) fn from_test<T: Copy>(values: &[T], test: impl Fn(T) -> bool) -> Bits {
        let words = values
            .chunks(64)
            .map(|chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .fold(0u64, |word, (offset, &value)| {
                        word | (u64::from(test(value)) << offset)
                    })
            })
            .collect();
        Bits::from_words(words, values.len())
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

    pub(crate) fn or_in_place(&mut self, other: &Bits) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word |= other;
        }
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

    pub(crate) fn words_len(&self) -> usize {
        self.words.len()
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
