//! A dictionary's texts packed end to end: one allocation for the whole
//! dictionary instead of one per value, and a scan over every value (an
//! `ends_with` test on a million e-mail addresses) reads memory in order
//! instead of chasing a pointer per value.

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

    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
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

    /// The bytes the texts and their ends take.
    pub(crate) fn bytes(&self) -> usize {
        self.text.len() + self.ends.len() * std::mem::size_of::<usize>()
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
}
