//! A dictionary's texts packed end to end: one allocation for the whole
//! dictionary instead of one per value, and a scan over every value (an
//! `ends_with` test on a million e-mail addresses) reads memory in order
//! instead of chasing a pointer per value.

use std::cmp::Ordering;

/// Texts in one buffer, each known by where it ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    pub(crate) fn push(&mut self, value: &str) {
        self.text.push_str(value);
        self.ends.push(self.text.len());
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Appends the texts packed end to end in `text`, each ending where
    /// `ends` says (counted from the start of `text`, ascending): a whole
    /// column of Arrow strings at once, one copy of its bytes.
    #[cfg(feature = "arrow")]
    pub(crate) fn extend_packed(&mut self, text: &str, ends: impl IntoIterator<Item = usize>) {
        let base = self.text.len();
        self.text.push_str(text);
        self.ends.extend(ends.into_iter().map(|end| base + end));
    }

    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Text `index`'s bytes.
    pub(crate) fn get_bytes(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.as_bytes().get(start..end)
    }

    /// The texts in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| self.text.get(start..end).unwrap_or_default())
    }

    /// The texts' bytes in order.
    pub(crate) fn iter_bytes(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let bytes = self.text.as_bytes();
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| bytes.get(start..end).unwrap_or_default())
    }

    /// The number of texts, from the first, for which `before` holds, when
    /// it holds for a prefix of them (a binary search, as
    /// [`slice::partition_point`]).
    pub(crate) fn partition_point(&self, before: impl Fn(&str) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.get(middle).is_some_and(&before) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The places of the texts among `wanted`, which must be ascending and
    /// without repeats as a sorted dictionary is. Texts are compared by
    /// their first eight bytes as one number, and byte by byte only when
    /// those are alike and one is longer.
    pub(crate) fn find_ascending(&self, wanted: &Strings) -> Vec<usize> {
        // Below one listed text per this many texts, searching for each
        // looks at fewer texts than reading them all.
        const SPARSE: usize = 16;
        if wanted.len().saturating_mul(SPARSE) < self.len() {
            self.search_each(wanted)
        } else {
            self.merge(wanted)
        }
    }

    /// A dense list: both read once, in order, a few instructions per text.
    fn merge(&self, wanted: &Strings) -> Vec<usize> {
        let text = self.text.as_bytes();
        let mut found = Vec::new();
        let (mut place, mut start) = (0, 0);
        'listed: for listed in 0..wanted.len() {
            let (want_key, want) = wanted.keyed(listed);
            while let Some(&end) = self.ends.get(place) {
                let key = prefix_key(text, start, end);
                let value = || text.get(start..end).unwrap_or_default();
                match order(key, value, want_key, want) {
                    Ordering::Less => {}
                    Ordering::Equal => found.push(place),
                    Ordering::Greater => continue 'listed,
                }
                place += 1;
                start = end;
            }
            break;
        }
        found
    }

    /// A sparse list: each listed text searched for after the last one's
    /// place, among the next few texts and then by galloping, looking at
    /// about `2 log2(gap)` texts where `gap` is the texts between two listed
    /// ones.
    fn search_each(&self, wanted: &Strings) -> Vec<usize> {
        /// How many texts are looked at one by one before galloping.
        const NEAR: usize = 8;
        let n = self.len();
        let mut found = Vec::new();
        let mut from = 0usize;
        for listed in 0..wanted.len() {
            let (want_key, want) = wanted.keyed(listed);
            let order_at = |place: usize| {
                let (key, value) = self.keyed(place);
                order(key, || value, want_key, want)
            };
            let below = |place: usize| order_at(place) == Ordering::Less;
            // Texts before `low` are below the one wanted.
            let mut low = from;
            let near = from.saturating_add(NEAR).min(n);
            while low < near && below(low) {
                low += 1;
            }
            if low == near {
                // Further on: gallop to a text that is not below, then halve.
                let (mut high, mut step) = (low, 1usize);
                while high < n && below(high) {
                    low = high + 1;
                    high = high.saturating_add(step).min(n);
                    step = step.saturating_mul(2);
                }
                while low < high {
                    let middle = low + (high - low) / 2;
                    if below(middle) {
                        low = middle + 1;
                    } else {
                        high = middle;
                    }
                }
            }
            from = low;
            if low < n && order_at(low) == Ordering::Equal {
                found.push(low);
                from = low + 1;
            }
        }
        found
    }

    /// Text `index`'s key (see [`prefix_key`]) and bytes; nothing for a
    /// place past the end.
    fn keyed(&self, index: usize) -> (u64, &[u8]) {
        let end = self.ends.get(index).copied().unwrap_or(0);
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let bytes = self.text.as_bytes();
        (
            prefix_key(bytes, start, end),
            bytes.get(start..end).unwrap_or_default(),
        )
    }

    /// The bytes the texts and their ends take.
    pub(crate) fn bytes(&self) -> usize {
        self.text.len() + self.ends.len() * std::mem::size_of::<usize>()
    }
}

/// The first eight bytes of `bytes[start..end]` as a big-endian number,
/// zeros past `end`: one text's key below another's puts the text first.
/// (The bytes past `end` are read at once, in the buffer, and masked off.)
fn prefix_key(bytes: &[u8], start: usize, end: usize) -> u64 {
    let len = end.saturating_sub(start);
    let word = match bytes.get(start..start.saturating_add(8)) {
        Some(eight) => u64::from_be_bytes(<[u8; 8]>::try_from(eight).unwrap_or_default()),
        None => bytes
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .take(8)
            .enumerate()
            .fold(0, |word, (at, &byte)| {
                word | u64::from(byte) << (56 - 8 * at)
            }),
    };
    // Keeps the first `len` bytes: all eight from eight on.
    word & !u64::MAX.checked_shr(8 * len as u32).unwrap_or(0)
}

/// The order of two texts given their keys: by key, then, when both fit in
/// eight bytes (their keys hold them whole, but for zeros at the end), by
/// length, else byte by byte. The first text's bytes are only read then.
fn order<'a>(a_key: u64, a: impl FnOnce() -> &'a [u8], b_key: u64, b: &[u8]) -> Ordering {
    if a_key != b_key {
        return a_key.cmp(&b_key);
    }
    let a = a();
    if a.len() <= 8 && b.len() <= 8 {
        a.len().cmp(&b.len())
    } else {
        a.cmp(b)
    }
}

impl<'a> FromIterator<&'a str> for Strings {
    fn from_iter<I: IntoIterator<Item = &'a str>>(values: I) -> Strings {
        let mut strings = Strings::default();
        values.into_iter().for_each(|value| strings.push(value));
        strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_in_order_and_are_found_by_binary_search() {
        let strings: Strings = ["", "apple", "pear", "pearl"].into_iter().collect();
        assert_eq!(strings.len(), 4);
        assert_eq!(
            strings.iter().collect::<Vec<_>>(),
            ["", "apple", "pear", "pearl"]
        );
        assert_eq!(strings.get(2), Some("pear"));
        assert_eq!(strings.get(4), None);
        assert_eq!(strings.partition_point(|v| v < "pear"), 2);
        assert_eq!(strings.partition_point(|v| v <= "pear"), 3);
        assert_eq!(strings.partition_point(|_| true), 4);
        assert_eq!(Strings::default().partition_point(|_| true), 0);
    }

    proptest::proptest! {
        #[test]
        fn keys_and_lengths_order_texts_as_their_bytes(
            a in proptest::collection::vec(0u8..4, 0..11),
            b in proptest::collection::vec(0u8..4, 0..11),
            pad in proptest::collection::vec(proptest::num::u8::ANY, 0..9),
        ) {
            // Bytes after a text's end, as the next text in the buffer, don't count.
            let buffer = [a.as_slice(), &pad].concat();
            let (ka, kb) = (prefix_key(&buffer, 0, a.len()), prefix_key(&b, 0, b.len()));
            proptest::prop_assert!(ka >= kb || a < b, "{a:?} {b:?}");
            proptest::prop_assert!(ka <= kb || a > b, "{a:?} {b:?}");
            proptest::prop_assert_eq!(order(ka, || &a, kb, &b), a.cmp(&b), "{:?} {:?}", a, b);
        }
    }

    #[test]
    fn a_sorted_list_is_found_by_galloping_as_by_looking_at_each() {
        let texts: Vec<String> = (0..1000).map(|n| format!("{:04}", n * 3)).collect();
        let strings: Strings = texts.iter().map(String::as_str).collect();
        let lists: [Vec<String>; 5] = [
            vec![],
            vec!["0000".into()],
            vec!["2997".into()],
            [
                "0001", "0003", "0004", "0006", "1500", "2996", "2997", "3000", "x",
            ]
            .map(str::to_owned)
            .to_vec(),
            (0..3100).map(|n| format!("{n:04}")).collect(),
        ];
        for wanted in lists {
            let expected: Vec<usize> = wanted
                .iter()
                .filter_map(|w| texts.iter().position(|v| v == w))
                .collect();
            let listed: Strings = wanted.iter().map(String::as_str).collect();
            let found = strings.find_ascending(&listed);
            assert_eq!(found, expected, "{wanted:?}");
        }
    }
}
