//! The literals of an `in` list, arranged once when the condition compiles:
//! a list of 20,000 pasted customer numbers is tested by binary search or
//! hash, not by comparing a value with each literal in turn.

use std::cmp::Ordering;

use jiff::civil::Date;
use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

use super::compile::{Val, Value};
use crate::table::strings::Strings;

/// Up to this many texts a binary search is as quick as hashing the value.
const HASHED_FROM: usize = 16;

/// An `in` list by kind of literal, each kind ascending and without
/// repeats in the order `compare` uses: texts by their bytes, numbers by
/// value (`1.0` and `1.00` are one), days by date. A value is in the list
/// exactly when some literal compares equal to it, as a scan would find.
#[derive(Debug, Clone, Default)]
pub(crate) struct InList {
    /// Packed in one buffer, as a dictionary is: a table's dictionary and
    /// the list are merged reading both in order.
    texts: Strings,
    /// The texts again, for a long list: one probe per value tested.
    hashed: Option<FxHashSet<Box<str>>>,
    numbers: Vec<Decimal>,
    days: Vec<Date>,
    flags: Vec<bool>,
}

impl InList {
    pub(super) fn new(values: Vec<Value>) -> InList {
        let mut list = InList::default();
        let mut texts = Vec::new();
        for value in values {
            match value {
                Value::Text(text) => texts.push(text),
                Value::Number(number) => list.numbers.push(number),
                Value::Date(day) => list.days.push(day),
                Value::Bool(flag) => list.flags.push(flag),
            }
        }
        ascending(&mut texts);
        ascending(&mut list.numbers);
        ascending(&mut list.days);
        ascending(&mut list.flags);
        if texts.len() > HASHED_FROM {
            list.hashed = Some(texts.iter().map(|t| t.as_str().into()).collect());
        }
        list.texts = texts.iter().map(String::as_str).collect();
        list
    }

    /// Whether a literal of the list equals `value`.
    pub(super) fn contains(&self, value: Val<'_>) -> bool {
        match value {
            Val::Text(text) => self.contains_text(text),
            Val::Number(number) => self.numbers.binary_search(&number).is_ok(),
            Val::Date(day) => self.days.binary_search(&day).is_ok(),
            Val::Bool(flag) => self.flags.contains(&flag),
        }
    }

    pub(super) fn contains_text(&self, text: &str) -> bool {
        match &self.hashed {
            Some(hashed) => hashed.contains(text),
            None => {
                let place = self.texts.partition_point(|literal| literal < text);
                self.texts.get(place) == Some(text)
            }
        }
    }

    /// The text literals, ascending by their bytes.
    pub(super) fn texts(&self) -> &Strings {
        &self.texts
    }

    /// The number literals, ascending, each value once.
    pub(super) fn numbers(&self) -> &[Decimal] {
        &self.numbers
    }

    /// The date literals, ascending.
    pub(super) fn days(&self) -> &[Date] {
        &self.days
    }
}

/// Sorts `values` and keeps one of each run that compares equal.
fn ascending<T: Ord>(values: &mut Vec<T>) {
    values.sort_unstable();
    values.dedup_by(|a, b| Ord::cmp(&*a, &*b) == Ordering::Equal);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::compile::{Check, holds};
    use super::*;

    /// What `in` meant before the list was arranged: a scan for a literal
    /// equal to the value.
    fn scan(values: &[Value], value: Val<'_>) -> bool {
        values.iter().any(|literal| match (value, literal) {
            (Val::Text(a), Value::Text(b)) => a == b,
            (Val::Number(a), Value::Number(b)) => a == *b,
            (Val::Date(a), Value::Date(b)) => a == *b,
            (Val::Bool(a), Value::Bool(b)) => a == *b,
            _ => false,
        })
    }

    /// Short texts over a small alphabet, so lists and values often meet;
    /// with a capital, a space and a non-ASCII letter for byte order.
    fn text() -> impl Strategy<Value = String> {
        "[abAB é]{0,4}"
    }

    /// Numbers at several scales, so `1.0` and `1.00` both turn up.
    fn number() -> impl Strategy<Value = Decimal> {
        (-30i64..30, 0u32..3).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
    }

    fn day() -> impl Strategy<Value = Date> {
        (1i8..=3, 1i8..=28).prop_map(|(month, day)| Date::constant(2026, month, day))
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            text().prop_map(Value::Text),
            number().prop_map(Value::Number),
            day().prop_map(Value::Date),
            any::<bool>().prop_map(Value::Bool),
        ]
    }

    fn probe(value: &Value) -> Val<'_> {
        match value {
            Value::Text(text) => Val::Text(text),
            Value::Number(number) => Val::Number(*number),
            Value::Date(day) => Val::Date(*day),
            Value::Bool(flag) => Val::Bool(*flag),
        }
    }

    proptest! {
        /// Lists of every length either side of the hashed threshold, of
        /// one kind and (which compile never makes) mixed.
        #[test]
        fn a_list_holds_exactly_what_a_scan_finds(
            literals in prop::collection::vec(value(), 0..60),
            texts in prop::collection::vec(text().prop_map(Value::Text), 0..60),
            probes in prop::collection::vec(value(), 1..40),
        ) {
            for values in [literals, texts] {
                let list = InList::new(values.clone());
                let check = Check::In(Box::new(list.clone()));
                for value in probes.iter().chain(&values) {
                    let expected = scan(&values, probe(value));
                    prop_assert_eq!(list.contains(probe(value)), expected, "{:?}", value);
                    prop_assert_eq!(holds(&check, probe(value)), expected, "{:?}", value);
                }
            }
        }
    }

    #[test]
    fn equal_numbers_at_other_scales_are_one_literal() {
        let list = InList::new(vec![
            Value::Number(Decimal::new(10, 1)),
            Value::Number(Decimal::new(100, 2)),
            Value::Number(Decimal::new(2, 0)),
        ]);
        assert_eq!(list.numbers(), [Decimal::new(1, 0), Decimal::new(2, 0)]);
        assert!(list.contains(Val::Number(Decimal::new(1000, 3))));
        assert!(!list.contains(Val::Number(Decimal::new(15, 1))));
        assert!(!list.contains(Val::Text("1")));
    }

    #[test]
    fn texts_match_by_their_bytes_case_and_all() {
        let many: Vec<Value> = (0..100).map(|n| Value::Text(format!("C{n:03}"))).collect();
        for values in [vec![Value::Text("DK".into())], many] {
            let list = InList::new(values);
            assert!(list.contains_text("DK") || list.contains_text("C042"));
            assert!(!list.contains_text("dk"));
            assert!(!list.contains_text("c042"));
            assert!(!list.contains_text("C042 "));
        }
    }
}
