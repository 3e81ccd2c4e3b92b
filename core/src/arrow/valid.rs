//! Arrow validity bitmaps a word at a time: into the table's bit sets, and
//! the null rows of a chunk, without a test per row.

use arrow_buffer::NullBuffer;

use crate::bits::Bits;

/// Sets the bits of `valid` for the valid rows of a chunk of `len` rows
/// starting at row `start` (every row, without a bitmap).
pub(super) fn set_valid(valid: &mut Bits, start: usize, len: usize, nulls: Option<&NullBuffer>) {
    match nulls {
        None => valid.or_words_at(start, len, std::iter::repeat_n(u64::MAX, len.div_ceil(64))),
        Some(nulls) => valid.or_words_at(start, len, nulls.inner().bit_chunks().iter_padded()),
    }
}

/// Calls `null` with each null row of a chunk (counted from its start), in
/// order: a word of 64 valid rows costs one comparison.
pub(super) fn each_null(nulls: Option<&NullBuffer>, mut null: impl FnMut(usize)) {
    let Some(nulls) = nulls.filter(|nulls| nulls.null_count() > 0) else {
        return;
    };
    let len = nulls.len();
    for (index, word) in nulls.inner().bit_chunks().iter_padded().enumerate() {
        let base = index * 64;
        let left = len.saturating_sub(base);
        let mut missing = !word;
        if left < 64 {
            missing &= (1u64 << left).wrapping_sub(1);
        }
        while missing != 0 {
            null(base + missing.trailing_zeros() as usize);
            missing &= missing - 1;
        }
    }
}

/// Calls `valid` with each valid row of a chunk of `len` rows, in order.
pub(super) fn each_valid(len: usize, nulls: Option<&NullBuffer>, mut valid: impl FnMut(usize)) {
    let Some(nulls) = nulls.filter(|nulls| nulls.null_count() > 0) else {
        (0..len).for_each(valid);
        return;
    };
    for (index, word) in nulls.inner().bit_chunks().iter_padded().enumerate() {
        let base = index * 64;
        if word == u64::MAX && base + 64 <= len {
            (base..base + 64).for_each(&mut valid);
            continue;
        }
        let mut present = word;
        while present != 0 {
            let row = base + present.trailing_zeros() as usize;
            if row < len {
                valid(row);
            }
            present &= present - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmaps_at_any_offset_give_the_same_rows() {
        let flags: Vec<bool> = (0..300).map(|i| i % 3 != 0 && i % 7 != 1).collect();
        let nulls = NullBuffer::from(flags.clone());
        for (offset, len) in [(0, 300), (5, 200), (64, 100), (70, 130), (299, 1), (10, 0)] {
            let sliced = nulls.slice(offset, len);
            let expected: Vec<usize> = (0..len).filter(|&r| flags[offset + r]).collect();
            let mut valid = Vec::new();
            each_valid(len, Some(&sliced), |row| valid.push(row));
            assert_eq!(valid, expected, "{offset} {len}");
            let mut null = Vec::new();
            each_null(Some(&sliced), |row| null.push(row));
            let missing: Vec<usize> = (0..len).filter(|&r| !flags[offset + r]).collect();
            assert_eq!(null, missing, "{offset} {len}");
            for start in [0, 3, 64, 65] {
                let mut bits = Bits::none(start + len);
                set_valid(&mut bits, start, len, Some(&sliced));
                let rows: Vec<usize> = bits.rows().map(|row| row - start).collect();
                assert_eq!(rows, expected, "{offset} {len} {start}");
                let mut all = Bits::none(start + len + 10);
                set_valid(&mut all, start, len, None);
                assert_eq!(all.count(), len);
            }
        }
    }
}
