//! The ids a file has had so far, to find a customer listed twice.
//!
//! A file with two rows for one customer is ambiguous (which one's price
//! group counts?), so the second row is rejected, naming the first's line.
//! Only a hash of each id is kept, 16 bytes per row with its line, so a
//! file of millions of customers streams in little memory. The hash is
//! seeded at random per file, so a file can't be made for its distinct
//! ids to collide (the worst it could do is have a row rejected, loudly);
//! by chance two of a million ids share a hash once in about 36 billion
//! files.

use std::collections::hash_map::{Entry, RandomState};
use std::hash::{BuildHasher, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

/// The line each id was first seen on, by the id's hash.
#[derive(Debug)]
pub(crate) struct IdLines {
    seed: u64,
    first: FxHashMap<u64, u64>,
}

impl Default for IdLines {
    fn default() -> IdLines {
        IdLines {
            seed: RandomState::new().hash_one(0u8),
            first: FxHashMap::default(),
        }
    }
}

impl IdLines {
    /// Makes room for `more` ids, so that a chunk of rows grows the table
    /// once rather than by doubling.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.first.reserve(more);
    }

    /// Notes `id` on `line`; the line it was on before, if it was.
    pub(crate) fn first_line(&mut self, id: &str, line: u64) -> Option<u64> {
        let mut hasher = FxHasher::default();
        hasher.write_u64(self.seed);
        hasher.write(id.as_bytes());
        match self.first.entry(hasher.finish()) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(place) => {
                place.insert(line);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_sighting_names_the_first_line() {
        let mut ids = IdLines::default();
        assert_eq!(ids.first_line("7", 2), None);
        assert_eq!(ids.first_line("8", 3), None);
        assert_eq!(ids.first_line("7", 9), Some(2));
        assert_eq!(ids.first_line("7", 10), Some(2));
    }
}
