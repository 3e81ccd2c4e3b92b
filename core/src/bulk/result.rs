//! Reading a classified table: each row's values, whole result columns
//! dictionary-encoded, and counts per value.

use std::collections::BTreeMap;

use super::TableClassification;
use crate::bits::Bits;
use crate::classification::{Assigned, Classification, ResultField, Source, Target};
use crate::error::CustomerError;
use crate::table::CustomerTable;

impl TableClassification<'_> {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.core_of_row.len()
    }

    /// Whether the table had no rows.
    pub fn is_empty(&self) -> bool {
        self.core_of_row.is_empty()
    }

    /// How many distinct results for type, group, price group, zone and
    /// accounts the rows share.
    pub fn distinct(&self) -> usize {
        self.core.len()
    }

    #[cfg(feature = "arrow")]
    /// The rows that can't be classified, ascending.
    pub(crate) fn rows_in_error(&self) -> Vec<usize> {
        self.errors().map(|(row, _)| row).collect()
    }

    /// The rows that can't be classified, ascending, each with the error
    /// `classify` gives its customer: what a caller reports as rejected
    /// after writing the good rows column-wise. One pass over the rows'
    /// result numbers, not a look-up per row.
    pub fn errors(&self) -> impl Iterator<Item = (usize, &CustomerError)> + '_ {
        let failed: Vec<bool> = self.core.iter().map(Result::is_err).collect();
        let mut rows: Vec<usize> = self
            .core_of_row
            .iter()
            .enumerate()
            .filter(|(_, result)| failed.get(**result as usize).copied().unwrap_or(false))
            .map(|(row, _)| row)
            .chain(self.errors.keys().copied())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows.into_iter()
            .filter_map(|row| Some((row, self.error(row)?)))
    }

    /// The table classified.
    pub(crate) fn table(&self) -> &CustomerTable {
        self.table
    }

    /// The distinct results for type, group, price group, zone and
    /// accounts (slots and customer id are the representative row's).
    pub(crate) fn core_results(&self) -> &[Result<Classification, CustomerError>] {
        &self.core
    }

    /// Per row, the index of its core result (`u32::MAX` for a row in
    /// error of its own, which [`TableClassification::in_error`] marks).
    pub(crate) fn core_of_rows(&self) -> &[u32] {
        &self.core_of_row
    }

    /// The rows in error for a reason of their own (besides those whose
    /// core result is an error).
    pub(crate) fn in_error(&self) -> &Bits {
        &self.in_error
    }

    /// Every row that can't be classified: in error of its own, or with a
    /// core result that is an error. A slot's rules run on such a row too,
    /// and what they found must not read as its value.
    fn unclassified(&self) -> Bits {
        let failed: Vec<bool> = self.core.iter().map(Result::is_err).collect();
        let mut rows = self.in_error.clone();
        for (row, &result) in self.core_of_row.iter().enumerate() {
            if failed.get(result as usize).copied().unwrap_or(false) {
                rows.set(row);
            }
        }
        rows
    }

    /// Row `row`'s error, if it can't be classified.
    pub fn error(&self, row: usize) -> Option<&CustomerError> {
        if let Some(error) = self.errors.get(&row) {
            return Some(error);
        }
        self.core
            .get(*self.core_of_row.get(row)? as usize)?
            .as_ref()
            .err()
    }

    /// Slot `slot` (1..=8) of row `row`, with where it came from.
    fn slot(&self, row: usize, slot: usize) -> Option<Assigned> {
        let decided = self.slots.get(slot.checked_sub(1)?)?;
        if let Some((id, value, _)) = decided.rule(row) {
            return Some(Assigned {
                value: value.clone(),
                source: Source::Rule { rule: id.clone() },
            });
        }
        if !decided.by_hand.get(row) {
            return None;
        }
        let value = self.table.text(&format!("class{slot}"))?.get(row)?;
        Some(Assigned {
            value: value.to_owned(),
            source: Source::Manual,
        })
    }

    /// Row `row`'s classification, or the error `classify` gives its
    /// customer.
    pub fn row(&self, row: usize) -> Option<Result<Classification, CustomerError>> {
        if row >= self.len() {
            return None;
        }
        if let Some(error) = self.error(row) {
            return Some(Err(error.clone()));
        }
        let mut classification = self
            .core
            .get(*self.core_of_row.get(row)? as usize)?
            .as_ref()
            .ok()?
            .clone();
        for (slot, place) in (1..=8).zip(classification.classes.0.iter_mut()) {
            *place = self.slot(row, slot);
        }
        classification.customer.0 = self.table.id(row).unwrap_or_default().to_owned();
        Some(Ok(classification))
    }

    /// The value row `row` got for `target`, with where it came from;
    /// `None` when it got none or can't be classified.
    pub fn value(&self, row: usize, target: Target) -> Option<Assigned> {
        if self.error(row).is_some() {
            return None;
        }
        match target {
            Target::Class(slot) => self.slot(row, slot),
            _ => {
                let core = self.core.get(*self.core_of_row.get(row)? as usize)?;
                core.as_ref().ok()?.get(target).cloned()
            }
        }
    }

    /// Every row's value of `field` with its source, dictionary-encoded:
    /// the columnar form of the results, built without a value per row.
    /// `None` for a slot the setup doesn't define.
    pub fn column(&self, field: ResultField) -> Option<ResultColumn> {
        let rows = self.len();
        let mut column = ResultColumn {
            entries: Vec::new(),
            codes: vec![0; rows],
        };
        if let ResultField::Target(Target::Class(slot)) = field {
            let decided = self.slots.get(slot - 1)?;
            for (id, value, hits) in &decided.rules {
                column.entries.push(Assigned {
                    value: value.clone(),
                    source: Source::Rule { rule: id.clone() },
                });
                let code = column.entries.len() as u32;
                hits.rows().for_each(|row| column.set(row, code));
            }
            if let Some(stored) = self.table.text(&field.to_string()) {
                // Values by hand: one entry per dictionary value.
                let first = column.entries.len() as u32;
                column
                    .entries
                    .extend(stored.values.iter().map(|value| Assigned {
                        value: value.to_owned(),
                        source: Source::Manual,
                    }));
                for row in decided.by_hand.rows() {
                    let code = stored.codes.get(row);
                    column.set(row, if code == 0 { 0 } else { first + code });
                }
            }
        } else {
            // One entry per distinct core result that has a value.
            let per_result: Vec<u32> = self
                .core
                .iter()
                .map(|result| {
                    let Some(assigned) = result.as_ref().ok().and_then(|c| c.assigned(field))
                    else {
                        return 0;
                    };
                    match column.entries.iter().position(|seen| *seen == assigned) {
                        Some(at) => at as u32 + 1,
                        None => {
                            column.entries.push(assigned);
                            column.entries.len() as u32
                        }
                    }
                })
                .collect();
            for (code, &result) in column.codes.iter_mut().zip(&self.core_of_row) {
                *code = per_result.get(result as usize).copied().unwrap_or(0);
            }
        }
        for row in self.unclassified().rows() {
            column.set(row, 0);
        }
        Some(column)
    }

    /// How many rows got each value of `field` (`None`: no value or not
    /// classified): the numbers behind an overview per group or account.
    pub fn counts(&self, field: ResultField) -> Vec<(Option<String>, usize)> {
        let mut tally: BTreeMap<Option<String>, usize> = BTreeMap::new();
        let mut counted = 0;
        if let ResultField::Target(Target::Class(slot)) = field {
            let unclassified = self.unclassified();
            let classified = |rows: &Bits| rows.and_not(&unclassified);
            let decided = self.slots.get(slot - 1);
            for (_, value, rows) in decided.map(|d| d.rules.as_slice()).unwrap_or_default() {
                let count = classified(rows).count();
                *tally.entry(Some(value.clone())).or_default() += count;
                counted += count;
            }
            let stored = self.table.text(&field.to_string());
            if let (Some(decided), Some(stored)) = (decided, stored) {
                for row in classified(&decided.by_hand).rows() {
                    let value = stored.get(row).map(str::to_owned);
                    *tally.entry(value).or_default() += 1;
                    counted += 1;
                }
            }
        } else {
            let mut per_result = vec![0usize; self.core.len()];
            for (row, &index) in self.core_of_row.iter().enumerate() {
                if let Some(count) = per_result.get_mut(index as usize)
                    && !self.in_error.get(row)
                {
                    *count += 1;
                }
            }
            for (result, count) in self.core.iter().zip(per_result) {
                let value = result
                    .as_ref()
                    .ok()
                    .and_then(|c| c.field(field))
                    .and_then(|v| v.get("value").cloned())
                    .map(|v| match v {
                        serde_json::Value::String(text) => text,
                        other => other.to_string(),
                    });
                if value.is_some() {
                    *tally.entry(value).or_default() += count;
                    counted += count;
                }
            }
        }
        if counted < self.len() {
            *tally.entry(None).or_default() += self.len() - counted;
        }
        tally.into_iter().filter(|(_, count)| *count > 0).collect()
    }
}

/// One result field of every row of a table, dictionary-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultColumn {
    /// The distinct values with their sources.
    pub entries: Vec<Assigned>,
    /// Per row, `k` for `entries[k - 1]`, or 0: no value, or the row can't
    /// be classified.
    pub codes: Vec<u32>,
}

impl ResultColumn {
    fn set(&mut self, row: usize, code: u32) {
        if let Some(place) = self.codes.get_mut(row) {
            *place = code;
        }
    }

    /// Row `row`'s value and source.
    pub fn get(&self, row: usize) -> Option<&Assigned> {
        let code = *self.codes.get(row)?;
        self.entries.get((code as usize).checked_sub(1)?)
    }
}
