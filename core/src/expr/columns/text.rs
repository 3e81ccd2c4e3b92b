//! Tests on a text column: through its dictionary, each distinct value
//! judged once, or through an index's bitmaps.

use super::super::compile::{Check, Val, Value, holds};
use super::super::parse::{CmpOp, TextOp};
use crate::bits::Bits;
use crate::table::ColumnIndex;
use crate::table::column::{Codes, TextColumn};

/// A test on an indexed text column: decided once per dictionary value, then
/// the bitmaps of the values that pass are or-ed.
pub(super) fn indexed_text_predicate(
    values: &ColumnIndex,
    column: Option<&TextColumn>,
    check: &Check,
    rows: usize,
) -> (Bits, Bits) {
    let Some(column) = column else {
        return text_predicate(None, check, rows);
    };
    if let Check::IsNull = check {
        return (Bits::all(rows), Bits::all(rows).and_not(&values.present));
    }
    let Some(by_code) = &values.by_code else {
        // A suffix as a range of the reversed order; a range of codes
        // through the sorted rows; other tests by scan.
        if let Check::Text(TextOp::EndsWith, suffix) = check {
            let order = values.reversed.of(column);
            let held = order.ending_with(&column.values, suffix.as_bytes(), rows);
            return (values.present.clone(), held);
        }
        let held = match (&values.sorted, text_hits(column, check)) {
            (Some(sorted), Hits::Range(low, high)) if low < high => {
                sorted.within(i64::from(low), i64::from(high) - 1, rows)
            }
            (Some(_), Hits::Range(..)) => Bits::none(rows),
            (_, hits) => rows_with(&column.codes, hits),
        };
        return (values.present.clone(), held);
    };
    let mut held = Bits::none(rows);
    for (value, bits) in column.values.iter().zip(by_code) {
        if holds(check, Val::Text(value)) {
            held.or_in_place(bits);
        }
    }
    (values.present.clone(), held)
}

/// A test on a text column: decided once per dictionary value, then looked
/// up per row by code (code 0, a missing value, is unknown).
pub(super) fn text_predicate(
    column: Option<&TextColumn>,
    check: &Check,
    rows: usize,
) -> (Bits, Bits) {
    let Some(column) = column else {
        // Nobody has a value: a null test holds everywhere, others are
        // unknown everywhere.
        return match check {
            Check::IsNull => (Bits::all(rows), Bits::all(rows)),
            _ => (Bits::none(rows), Bits::none(rows)),
        };
    };
    if let Check::IsNull = check {
        let present = column.codes.select(|code| code != 0);
        return (Bits::all(rows), Bits::all(rows).and_not(&present));
    }
    // Both answers from one read of the codes.
    match text_hits(column, check) {
        Hits::Range(low, high) => column.codes.present_and_range(low, high),
        Hits::Table(hit) => column.codes.present_and_codes(&hit),
    }
}

/// The rows whose value passes `check` (never a row without a value).
pub(super) fn text_held(column: &TextColumn, check: &Check) -> Bits {
    rows_with(&column.codes, text_hits(column, check))
}

/// The rows whose code is among `hits`.
fn rows_with(codes: &Codes, hits: Hits) -> Bits {
    match hits {
        // One unsigned comparison, no branch: a short-circuit `&&` here
        // mispredicts on every other row and costs 4× the whole test.
        Hits::Range(low, high) => codes.select_range(low, high),
        Hits::Table(hit) => codes.select_codes(&hit),
    }
}

/// The codes of the dictionary values a text test holds for.
enum Hits {
    /// Codes from the first to before the second.
    Range(u32, u32),
    /// `hit[code]`; code 0 (no value) never holds.
    Table(Vec<bool>),
}

/// Which dictionary values pass `check`. The dictionary is sorted, so a
/// comparison or a prefix is a range of codes found by binary search, and a
/// list's texts are found by one merge with the dictionary; only
/// `ends_with` and `contains` look at every value (with a plain byte
/// search), and lists do in a dictionary in row order.
fn text_hits(column: &TextColumn, check: &Check) -> Hits {
    let values = &column.values;
    // Code of the first value at or after the place `before` says.
    let code_at = |before: &dyn Fn(&str) -> bool| values.partition_point(|v| before(v)) as u32 + 1;
    fn text(value: &Value) -> Option<&str> {
        match value {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }
    let table = |test: &dyn Fn(&str) -> bool| {
        Hits::Table(
            std::iter::once(false)
                .chain(values.iter().map(test))
                .collect(),
        )
    };
    match check {
        // A dictionary in row order has no ranges: each value is tested.
        Check::Cmp(..) | Check::Between(..) | Check::Text(TextOp::StartsWith, _)
            if !column.sorted =>
        {
            table(&|v| holds(check, Val::Text(v)))
        }
        Check::Cmp(op, value) => {
            let Some(t) = text(value) else {
                return Hits::Range(0, 0);
            };
            let first_ge = code_at(&|v| v < t);
            let first_gt = code_at(&|v| v <= t);
            let end = values.len() as u32 + 1;
            match op {
                CmpOp::Eq | CmpOp::Ne => Hits::Range(first_ge, first_gt),
                CmpOp::Lt => Hits::Range(1, first_ge),
                CmpOp::Le => Hits::Range(1, first_gt),
                CmpOp::Gt => Hits::Range(first_gt, end),
                CmpOp::Ge => Hits::Range(first_ge, end),
            }
        }
        Check::Between(low, high) => match (text(low), text(high)) {
            (Some(low), Some(high)) => Hits::Range(code_at(&|v| v < low), code_at(&|v| v <= high)),
            _ => Hits::Range(0, 0),
        },
        Check::Text(TextOp::StartsWith, prefix) => {
            // The values with the prefix follow right after those before it.
            let prefix = prefix.as_str();
            let start = code_at(&|v| v < prefix);
            let end = code_at(&|v| v < prefix || v.starts_with(prefix));
            Hits::Range(start, end)
        }
        Check::Text(TextOp::EndsWith, suffix) => {
            // Bytes, not text: a UTF-8 suffix ends a text exactly when its
            // bytes end the text's bytes, and no char boundary is checked.
            let ends = ends_with(suffix.as_bytes());
            Hits::Table(
                std::iter::once(false)
                    .chain(values.iter_bytes().map(ends))
                    .collect(),
            )
        }
        Check::Text(TextOp::Contains, needle) => table(&|v| v.contains(needle.as_str())),
        // Both ascending: the list's texts are looked up in the dictionary
        // in one galloping pass, a few comparisons per text listed.
        Check::In(list) if column.sorted => {
            let mut hit = vec![false; values.len() + 1];
            for place in values.find_ascending(list.texts()) {
                if let Some(mark) = hit.get_mut(place + 1) {
                    *mark = true;
                }
            }
            Hits::Table(hit)
        }
        // In row order: each value looked up in the list (hashed when long).
        Check::In(list) => table(&|v| list.contains_text(v)),
        Check::IsNull => table(&|v| holds(check, Val::Text(v))),
    }
}

/// A test for `suffix` at the end of a value. A suffix of 8 to 16 bytes
/// (`@example.com`) is two 8-byte words compared in place, without a call
/// per value, so a dictionary of a million e-mail addresses is scanned in
/// a few milliseconds.
fn ends_with(suffix: &[u8]) -> impl Fn(&[u8]) -> bool + '_ {
    let word = |bytes: &[u8], at: usize| -> Option<u64> {
        let eight: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
        Some(u64::from_ne_bytes(eight))
    };
    let n = suffix.len();
    let words = (8..=16)
        .contains(&n)
        .then(|| word(suffix, 0).zip(word(suffix, n - 8)))
        .flatten();
    move |value: &[u8]| match (words, value.len().checked_sub(n)) {
        (_, None) => false,
        (Some((head, tail)), Some(start)) => {
            word(value, start) == Some(head) && word(value, value.len() - 8) == Some(tail)
        }
        (None, Some(_)) => value.ends_with(suffix),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::super::in_list::InList;
    use super::*;
    use crate::table::strings::Strings;

    /// Texts that often meet: short ones, long ones alike in their first
    /// eight bytes, and ones with zero bytes.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof!["[ab é]{0,3}", "abcdefgh[ab\u{0}]{0,2}", "[a\u{0}]{0,9}"]
    }

    proptest! {
        /// A list over a dictionary, sorted (merged with it) or in row order
        /// with repeats (each value looked up), picks the rows a scan of the
        /// list picks; a row without a value is never picked.
        #[test]
        fn a_list_picks_the_rows_a_scan_of_it_picks(
            rows in prop::collection::vec(prop::option::weighted(0.8, value()), 0..300),
            list in prop::collection::vec(value(), 1..60),
        ) {
            let check = Check::In(Box::new(InList::new(
                list.iter().cloned().map(Value::Text).collect(),
            )));
            let expected: Vec<usize> = (0..rows.len())
                .filter(|&row| rows[row].as_ref().is_some_and(|v| list.contains(v)))
                .collect();
            let dictionary: Vec<&str> = rows.iter().flatten().map(String::as_str).collect();
            let mut next = 0;
            let codes: Vec<u32> = rows
                .iter()
                .map(|row| match row {
                    Some(_) => {
                        next += 1;
                        next
                    }
                    None => 0,
                })
                .collect();
            let sorted = TextColumn::from_dictionary(&dictionary, codes.clone());
            let in_row_order = TextColumn {
                values: dictionary.iter().copied().collect::<Strings>(),
                codes: Codes::U32(codes),
                sorted: false,
            };
            for column in [sorted, in_row_order] {
                let held: Vec<usize> = text_held(&column, &check).rows().collect();
                prop_assert_eq!(&held, &expected, "sorted: {}", column.sorted);
            }
        }
    }

    #[test]
    fn a_suffix_test_agrees_with_ends_with_at_every_length() {
        let values = [
            "",
            "a",
            "@example.com",
            "jan@example.com",
            "jan@example.co",
            "xx@sub.example.com.au",
            "é@exemple.fr",
        ];
        for value in values {
            for cut in 0..=value.len() {
                for suffix in [
                    &value.as_bytes()[cut..],
                    b"@example.com",
                    b"example.com.au",
                    b"m",
                ] {
                    assert_eq!(
                        ends_with(suffix)(value.as_bytes()),
                        value.as_bytes().ends_with(suffix),
                        "{value:?} ends with {:?}",
                        String::from_utf8_lossy(suffix)
                    );
                }
            }
        }
    }
}
