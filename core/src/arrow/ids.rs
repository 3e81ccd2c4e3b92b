//! Ids an earlier row of a batch has. A customer appears once in a table,
//! as in a file (`duplicate_id`): with two rows for one id, a look-up by id
//! (pricing against the table) and a count of a segment would each answer
//! for a customer twice, or for one of the two at random. The first row
//! stays; each later one is a problem naming it.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
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

/// The rows of an id column (its chunks, `rows` in all) without an id
/// (null, or blank text), and those whose id, trimmed, an earlier row has.
pub(super) fn examine(chunks: &[&ArrayRef], rows: usize) -> (Vec<usize>, Vec<Repeat>) {
    if let Some(missing) = ascending(chunks) {
        return (missing, Vec::new());
    }
    let mut missing = Vec::new();
    let mut offset = 0;
    for chunk in chunks {
        missing.extend(missing_ids(chunk).into_iter().map(|row| offset + row));
        offset += chunk.len();
    }
    (missing, repeated(chunks, rows))
}

/// When the ids are strings and each, trimmed, comes after the one before
/// (as a database exports them, or a frame sorted by id): the rows without
/// one, and no id is repeated. One comparison per row instead of a million
/// ids hashed; `None` at the first id out of order.
fn ascending(chunks: &[&ArrayRef]) -> Option<Vec<usize>> {
    let mut order = Ascending {
        last: None,
        missing: Vec::new(),
        row: 0,
    };
    for chunk in chunks {
        match chunk.data_type() {
            DataType::Utf8 => order.follow(chunk.as_string_opt::<i32>()?.iter())?,
            DataType::LargeUtf8 => order.follow(chunk.as_string_opt::<i64>()?.iter())?,
            DataType::Utf8View => order.follow(chunk.as_string_view_opt()?.iter())?,
            _ => return None,
        }
    }
    Some(order.missing)
}

struct Ascending<'a> {
    /// The last id and its [`prefix`].
    last: Option<(&'a str, u64)>,
    missing: Vec<usize>,
    row: usize,
}

impl<'a> Ascending<'a> {
    fn follow(&mut self, ids: impl Iterator<Item = Option<&'a str>>) -> Option<()> {
        for id in ids {
            match id.map(trimmed).filter(|id| !id.is_empty()) {
                None => self.missing.push(self.row),
                Some(id) => {
                    let key = prefix(id);
                    // A larger prefix is a larger id; an equal one says
                    // nothing yet.
                    let after = match self.last {
                        None => true,
                        Some((last, last_key)) => key > last_key || (key == last_key && id > last),
                    };
                    if !after {
                        return None;
                    }
                    self.last = Some((id, key));
                }
            }
            self.row += 1;
        }
        Some(())
    }
}

/// `id.trim()`, without looking further when it starts and ends in a
/// character that isn't white space.
fn trimmed(id: &str) -> &str {
    let plain = |byte: Option<&u8>| {
        byte.is_some_and(|&b| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' '))
    };
    let bytes = id.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        id
    } else {
        id.trim()
    }
}

/// The first eight bytes of `id` as a big-endian number, zeros past its
/// end: a smaller number is a smaller id.
fn prefix(id: &str) -> u64 {
    let mut eight = [0u8; 8];
    for (place, &byte) in eight.iter_mut().zip(id.as_bytes()) {
        *place = byte;
    }
    u64::from_be_bytes(eight)
}

/// The rows of a chunk of ids that have none: null, or blank text.
fn missing_ids(chunk: &ArrayRef) -> Vec<usize> {
    let blank = |text: Option<&str>| text.is_none_or(crate::scalar::is_blank);
    let missing: Vec<bool> = match chunk.data_type() {
        DataType::Utf8 => chunk.as_string::<i32>().iter().map(blank).collect(),
        DataType::LargeUtf8 => chunk.as_string::<i64>().iter().map(blank).collect(),
        DataType::Utf8View => chunk.as_string_view().iter().map(blank).collect(),
        DataType::Dictionary(..) => (0..chunk.len())
            .map(|row| blank(super::write::text_at(chunk, row).as_deref()))
            .collect(),
        _ => {
            let nulls = chunk.logical_nulls();
            (0..chunk.len())
                .map(|row| nulls.as_ref().is_some_and(|n| n.is_null(row)))
                .collect()
        }
    };
    missing
        .into_iter()
        .enumerate()
        .filter_map(|(row, missing)| missing.then_some(row))
        .collect()
}

/// The rows of an id column (its chunks, `rows` in all) whose id, trimmed,
/// an earlier row has; none for a column that holds no text or integers
/// (which the reader refuses when it reads the column).
fn repeated(chunks: &[&ArrayRef], rows: usize) -> Vec<Repeat> {
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
    fn ids_in_order_are_told_apart_by_comparisons() {
        let texts =
            |ids: &[Option<&str>]| -> ArrayRef { Arc::new(StringArray::from(ids.to_vec())) };
        let order = |ids: &[Option<&str>]| ascending(&[&texts(ids)]);
        let ids = [
            Some("7"),
            None,
            Some(" 8"),
            Some("9 "),
            Some(" "),
            Some("90"),
        ];
        assert_eq!(order(&ids), Some(vec![1, 4]));
        assert_eq!(order(&[Some("a"), Some("b"), Some(" b")]), None);
        // Text order, not numeric order.
        assert_eq!(order(&[Some("9"), Some("10")]), None);
        assert_eq!(order(&[Some("10"), Some("9")]), Some(vec![]));
        assert_eq!(order(&[Some("abcdefgh1"), Some("abcdefgh2")]), Some(vec![]));
        assert_eq!(order(&[Some("abcdefgh2"), Some("abcdefgh1")]), None);
        assert_eq!(
            order(&[Some("ab"), Some("ab\u{0}"), Some("abc")]),
            Some(vec![])
        );
        // Out of order, the repeats are still found.
        let chunk = texts(&[Some("9"), Some("8"), Some("9")]);
        assert_eq!(examine(&[&chunk], 3).1.len(), 1);
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
