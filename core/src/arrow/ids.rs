//! Ids an earlier row of a batch has. A customer appears once in a table,
//! as in a file (`duplicate_id`): with two rows for one id, a look-up by id
//! (pricing against the table) and a count of a segment would each answer
//! for a customer twice, or for one of the two at random. The first row
//! stays; each later one is a problem naming it.

use arrow_array::ArrayRef;
use rustc_hash::FxHashMap;

use super::text::Dictionary;
use crate::error::RowProblem;

/// A row whose id an earlier row has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Repeat {
    /// The row, counted over all chunks.
    pub(super) row: usize,
    /// The id, trimmed.
    pub(super) id: String,
    /// The first row with the id.
    pub(super) first: usize,
}

/// The rows of an id column (its chunks, `rows` in all) whose id, trimmed,
/// an earlier row has; none for a column that holds no text or integers
/// (which the reader refuses when it reads the column).
pub(super) fn repeated(chunks: &[&ArrayRef], rows: usize) -> Vec<Repeat> {
    let Some(dictionary) = Dictionary::read(chunks, rows) else {
        return Vec::new();
    };
    // Values equal once trimmed share a number, found once per distinct
    // value rather than once per row.
    let mut numbers: FxHashMap<&str, usize> = FxHashMap::default();
    let number_of: Vec<(usize, &str)> = dictionary
        .values()
        .iter()
        .map(|value| {
            let trimmed = value.trim();
            let next = numbers.len();
            (*numbers.entry(trimmed).or_insert(next), trimmed)
        })
        .collect();
    let mut first: Vec<Option<usize>> = vec![None; numbers.len()];
    let mut repeats = Vec::new();
    for (row, &code) in dictionary.codes().iter().enumerate() {
        let Some(&(number, id)) = code
            .checked_sub(1)
            .and_then(|at| number_of.get(at as usize))
        else {
            continue;
        };
        match first.get_mut(number) {
            Some(Some(earlier)) => repeats.push(Repeat {
                row,
                id: id.to_owned(),
                first: *earlier,
            }),
            Some(slot) => *slot = Some(row),
            None => {}
        }
    }
    repeats
}

/// The first row of each id, for rows read one at a time.
#[derive(Debug, Default)]
pub(super) struct FirstRows(FxHashMap<String, usize>);

impl FirstRows {
    /// Notes `id` (trimmed; blank is no id) on `row`; the earlier row that
    /// had it, if one did.
    pub(super) fn earlier(&mut self, id: &str, row: usize) -> Option<usize> {
        let id = id.trim();
        if id.is_empty() {
            return None;
        }
        match self.0.get(id) {
            Some(&first) => Some(first),
            None => {
                self.0.insert(id.to_owned(), row);
                None
            }
        }
    }
}

/// The problem of row `row`, whose id (`trimmed`, given as `id`) row `first`
/// has already.
pub(super) fn duplicate_id(
    row: usize,
    id: Option<String>,
    trimmed: &str,
    first: usize,
) -> RowProblem {
    RowProblem {
        row,
        line: None,
        id,
        column: Some("id".to_owned()),
        code: "duplicate_id".to_owned(),
        message: format!(
            "id '{trimmed}' is already in row {first}; a customer appears once in a table"
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "test code: a failed unwrap or index is a failed test"
    )]

    use std::sync::Arc;

    use arrow_array::types::Int32Type;
    use arrow_array::{DictionaryArray, Float64Array, Int64Array, StringArray};

    use super::*;

    fn rows_of(chunks: &[ArrayRef]) -> Vec<(usize, String, usize)> {
        let refs: Vec<&ArrayRef> = chunks.iter().collect();
        let rows = chunks.iter().map(|chunk| chunk.len()).sum();
        repeated(&refs, rows)
            .into_iter()
            .map(|r| (r.row, r.id, r.first))
            .collect()
    }

    #[test]
    fn later_rows_name_the_first_across_chunks() {
        let one: ArrayRef = Arc::new(StringArray::from(vec![
            Some("7"),
            None,
            Some("8"),
            Some(" "),
        ]));
        let two: ArrayRef = Arc::new(StringArray::from(vec![
            Some(" 7 "),
            Some(""),
            Some("8"),
            Some("7"),
        ]));
        assert_eq!(
            rows_of(&[one, two]),
            [
                (4, "7".to_owned(), 0),
                (6, "8".to_owned(), 2),
                (7, "7".to_owned(), 0)
            ]
        );
    }

    #[test]
    fn integers_and_dictionaries_too() {
        let numbers: ArrayRef = Arc::new(Int64Array::from(vec![Some(10), None, Some(10)]));
        assert_eq!(rows_of(&[numbers]), [(2, "10".to_owned(), 0)]);
        let codes: DictionaryArray<Int32Type> = vec![Some("a"), None, Some("b"), Some("a")]
            .into_iter()
            .collect();
        assert_eq!(rows_of(&[Arc::new(codes)]), [(3, "a".to_owned(), 0)]);
    }

    #[test]
    fn other_types_are_not_looked_at() {
        let floats: ArrayRef = Arc::new(Float64Array::from(vec![1.0, 1.0]));
        assert!(rows_of(&[floats]).is_empty());
    }

    #[test]
    fn first_rows_trim_and_skip_blank() {
        let mut ids = FirstRows::default();
        assert_eq!(ids.earlier("7", 0), None);
        assert_eq!(ids.earlier("  ", 1), None);
        assert_eq!(ids.earlier("", 2), None);
        assert_eq!(ids.earlier(" 7", 3), Some(0));
        assert_eq!(ids.earlier("8", 4), None);
        assert_eq!(ids.earlier("8", 5), Some(4));
    }
}
