//! A classified table read the way a writer goes through it: row by row,
//! each row pointing at a few distinct results whose text is written once.

use std::io;

use crate::bulk::{ResultColumn, TableClassification};
use crate::classification::{ResultField, Target};
use crate::table::CustomerTable;

/// Per row: whether it was classified, its core result (type, group,
/// price group, zone, accounts, layout, B2B) and each slot's entry.
pub(super) struct Prepared<'c> {
    /// Per core result, whether it is a classification (not an error).
    core_ok: Vec<bool>,
    core_of_row: &'c [u32],
    classified: &'c TableClassification<'c>,
    /// Slots 1..=8, dictionary-encoded; code 0 is no value.
    pub(super) slots: Vec<ResultColumn>,
}

impl<'c> Prepared<'c> {
    /// `classified`, which must be of `table`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when `classified` is the classification of another
    /// table: its rows would be written beside the wrong customers.
    pub(super) fn new(
        table: &CustomerTable,
        classified: &'c TableClassification<'c>,
    ) -> io::Result<Prepared<'c>> {
        if !std::ptr::eq(table, classified.table()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the classification is of another table",
            ));
        }
        let slots = (1..=8)
            .map(|slot| {
                classified
                    .column(ResultField::Target(Target::Class(slot)))
                    .unwrap_or_else(|| ResultColumn {
                        entries: Vec::new(),
                        codes: vec![0; classified.len()],
                    })
            })
            .collect();
        Ok(Prepared {
            core_ok: classified
                .core_results()
                .iter()
                .map(Result::is_ok)
                .collect(),
            core_of_row: classified.core_of_rows(),
            classified,
            slots,
        })
    }

    pub(super) fn rows(&self) -> usize {
        self.core_of_row.len()
    }

    /// Row `row`'s core result, `None` when the row can't be classified.
    pub(super) fn core(&self, row: usize) -> Option<usize> {
        let core = *self.core_of_row.get(row)? as usize;
        let ok = self.core_ok.get(core).copied().unwrap_or(false);
        (ok && !self.classified.in_error().get(row)).then_some(core)
    }

    /// Row `row`'s entry of slot `slot` (1..=8): `k` for `entries[k - 1]`,
    /// 0 for none.
    pub(super) fn slot_code(&self, slot: usize, row: usize) -> usize {
        slot.checked_sub(1)
            .and_then(|index| self.slots.get(index))
            .and_then(|column| column.codes.get(row))
            .map_or(0, |&code| code as usize)
    }
}
