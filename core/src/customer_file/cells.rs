//! One CSV column's cells, gathered for a table column: its distinct texts
//! and each row's code, or for a column of mostly distinct texts (ids,
//! names, e-mail addresses), its texts in row order.
//!
//! Texts sit end to end in one buffer, so a million distinct names cost
//! two allocations rather than a million, and a text is found again by its
//! hash and compared with the buffer. A column whose first
//! [`SAMPLE`] texts are nearly all distinct stops looking texts up at all:
//! looking up and then sorting a million texts nobody shares costs more
//! than every later test on them.

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

/// Texts seen before deciding whether a column is worth looking up.
const SAMPLE: usize = 1024;

/// A column's cells.
#[derive(Debug, Default)]
pub(super) struct Cells {
    /// The texts: each distinct one once, or with `in_row_order`, each
    /// row's.
    text: Vec<u8>,
    ends: Vec<usize>,
    /// Per row, `k` for the `k`-th text, 0 for an empty cell.
    codes: Vec<u32>,
    /// The code of the first text with each hash.
    by_hash: FxHashMap<u64, u32>,
    /// Texts whose hash an earlier, different text has.
    collided: FxHashMap<Box<[u8]>, u32>,
    /// Texts kept once per row with one, not looked up.
    in_row_order: bool,
    /// Cells with a text so far, up to [`SAMPLE`].
    seen: usize,
}

impl Cells {
    pub(super) fn push(&mut self, cell: &[u8]) {
        let code = if cell.is_empty() {
            0
        } else if self.in_row_order {
            self.add(cell)
        } else {
            let code = self.code(cell);
            if self.seen < SAMPLE {
                self.seen += 1;
                if self.seen == SAMPLE && self.ends.len() * 10 >= SAMPLE * 9 {
                    self.codes.push(code);
                    self.keep_in_row_order();
                    return;
                }
            }
            code
        };
        self.codes.push(code);
    }

    /// Whether texts are kept per row rather than per distinct text.
    pub(super) fn is_in_row_order(&self) -> bool {
        self.in_row_order
    }

    /// Per row, the code of its text (0: none).
    pub(super) fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// The texts, in code order (code `k` at `k - 1`).
    pub(super) fn texts(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        self.ends.iter().enumerate().map(|(at, &end)| {
            let start = at.checked_sub(1).and_then(|before| self.ends.get(before));
            self.text
                .get(start.copied().unwrap_or(0)..end)
                .unwrap_or_default()
        })
    }

    /// Text `k` (1-based).
    pub(super) fn text(&self, code: u32) -> Option<&[u8]> {
        let at = (code as usize).checked_sub(1)?;
        let end = *self.ends.get(at)?;
        let start = match at.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Adds a text; its code.
    fn add(&mut self, cell: &[u8]) -> u32 {
        self.text.extend_from_slice(cell);
        self.ends.push(self.text.len());
        self.ends.len() as u32
    }

    /// The code of a text, added if new.
    fn code(&mut self, cell: &[u8]) -> u32 {
        let mut hasher = FxHasher::default();
        hasher.write(cell);
        let hash = hasher.finish();
        let next = self.ends.len() as u32 + 1;
        let first = *self.by_hash.entry(hash).or_insert(next);
        if first == next {
            return self.add(cell);
        }
        if self.text(first) == Some(cell) {
            return first;
        }
        if let Some(&code) = self.collided.get(cell) {
            return code;
        }
        self.collided.insert(cell.into(), next);
        self.add(cell)
    }

    /// From now on one text per row: the rows so far get theirs.
    fn keep_in_row_order(&mut self) {
        let mut text = Vec::with_capacity(self.text.len());
        let mut ends = Vec::with_capacity(self.codes.len());
        let mut codes = std::mem::take(&mut self.codes);
        for code in &mut codes {
            if let Some(cell) = self.text(*code) {
                text.extend_from_slice(cell);
                ends.push(text.len());
                *code = ends.len() as u32;
            }
        }
        self.codes = codes;
        self.text = text;
        self.ends = ends;
        self.by_hash = FxHashMap::default();
        self.collided = FxHashMap::default();
        self.in_row_order = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(cells: &[&str]) -> Vec<Option<String>> {
        let mut column = Cells::default();
        for cell in cells {
            column.push(cell.as_bytes());
        }
        column
            .codes()
            .iter()
            .map(|&code| {
                column
                    .text(code)
                    .map(|text| String::from_utf8(text.to_vec()).unwrap())
            })
            .collect()
    }

    #[test]
    fn rows_read_back_their_texts_whichever_way_they_are_kept() {
        let repeated: Vec<String> = (0..3000).map(|n| format!("v{}", n % 7)).collect();
        let distinct: Vec<String> = (0..3000).map(|n| format!("id{n}")).collect();
        for texts in [repeated, distinct] {
            let mut cells: Vec<&str> = texts.iter().map(String::as_str).collect();
            cells[5] = "";
            let read = read(&cells);
            for (cell, got) in cells.iter().zip(&read) {
                assert_eq!(got.as_deref(), Some(*cell).filter(|c| !c.is_empty()));
            }
        }
    }

    #[test]
    fn repeated_texts_share_a_code() {
        let mut column = Cells::default();
        for cell in ["NL", "DE", "NL", "", "DE"] {
            column.push(cell.as_bytes());
        }
        assert_eq!(column.codes(), [1, 2, 1, 0, 2]);
        assert_eq!(column.texts().len(), 2);
        assert!(!column.is_in_row_order());
    }
}
