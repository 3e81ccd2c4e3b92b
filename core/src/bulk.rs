//! Classifying a whole [`CustomerTable`] at once.
//!
//! Rule conditions are evaluated column by column, one bit set per rule.
//! Each classification slot is then decided column by column too: walking
//! the slot's rules in order, a row takes the first rule that holds (rules
//! without `override` skip rows with a value set by hand), and the rows left
//! keep their own value. Type, group, price group, VAT zone and accounts
//! depend on each other (the channel's or the zone's group, the group's
//! type and price group, the group's accounts) but on few columns, so each
//! distinct combination of those is classified once, by the very code that
//! classifies one customer, and rows point at the result. A property test
//! checks every row against [`Engine::classify`].

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::bits::Bits;
use crate::classification::{Assigned, Classification, Source, Target};
use crate::engine::Engine;
use crate::error::CustomerError;
use crate::table::CustomerTable;
use crate::table::column::TextColumn;

/// What the type, group and price group of a row depend on, besides the
/// rules deciding them.
const CORE_COLUMNS: [&str; 8] = [
    "type",
    "group",
    "price_group",
    "channel",
    "country",
    "vat_zone",
    "receivables_account",
    "revenue_account",
];

/// How one slot was decided for one row.
const UNDECIDED: u16 = 0;
const BY_HAND: u16 = 1;
/// `FIRST_RULE + k`: the slot's `k`th rule.
const FIRST_RULE: u16 = 2;

/// One slot's rules, in order: the rule's id and the value it sets.
type SlotRules = Vec<(String, String)>;

/// A table classified.
#[derive(Debug, Clone)]
pub struct TableClassification<'t> {
    table: &'t CustomerTable,
    /// Per slot, per row: `UNDECIDED`, `BY_HAND` or `FIRST_RULE + k`.
    slots: Vec<Vec<u16>>,
    slot_rules: Vec<SlotRules>,
    /// The distinct results for type, group, price group, zone and accounts.
    core: Vec<Result<Classification, CustomerError>>,
    /// Per row, its core result (`u32::MAX` for a row already in error).
    core_of_row: Vec<u32>,
    /// Rows that can't be classified for a reason of their own: a numeric
    /// attribute that isn't a number, or a slot value the setup refuses.
    errors: FxHashMap<usize, CustomerError>,
}

impl Engine {
    /// Classifies every row of `table` as [`Engine::classify`] classifies
    /// its customer, column by column.
    pub fn classify_table<'t>(&self, table: &'t CustomerTable) -> TableClassification<'t> {
        let rows = table.len();
        let zones = self.table_zones(table);
        let verdicts: Vec<Bits> = self
            .rule_conditions()
            .map(|cond| cond.truth(table, None, &zones).yes)
            .collect();
        let mut errors: FxHashMap<usize, CustomerError> =
            self.unreadable_attributes(table).into_iter().collect();

        // Slots: values by hand checked, then decided rule by rule.
        let mut slots = Vec::with_capacity(8);
        let mut slot_rules = Vec::with_capacity(8);
        for slot in 1..=8 {
            let target = Target::Class(slot);
            let stored = table.text(&format!("class{slot}"));
            self.check_values(target, stored, &mut errors);
            let (decisions, rules) = self.decide(target, stored, &verdicts, rows);
            slots.push(decisions);
            slot_rules.push(rules);
        }

        // Type, group and price group: once per distinct combination.
        let columns: Vec<Option<&TextColumn>> =
            CORE_COLUMNS.iter().map(|name| table.text(name)).collect();
        let decided: Vec<Vec<u16>> = [Target::Type, Target::Group, Target::PriceGroup]
            .into_iter()
            .map(|target| {
                let stored = table.text(&target.to_string());
                self.decide(target, stored, &verdicts, rows).0
            })
            .collect();
        let b2b = match table.text("vat_number") {
            Some(column) => column.filled(),
            None => Bits::none(rows),
        };
        let mut in_error = Bits::none(rows);
        for row in errors.keys() {
            in_error.set(*row);
        }
        let mut core: Vec<Result<Classification, CustomerError>> = Vec::new();
        let mut by_signature: FxHashMap<[u64; 12], u32> = FxHashMap::default();
        let mut core_of_row = Vec::with_capacity(rows);
        for row in 0..rows {
            if in_error.get(row) {
                core_of_row.push(u32::MAX);
                continue;
            }
            let mut signature = [0u64; 12];
            for (place, column) in signature.iter_mut().zip(&columns) {
                *place = u64::from(column.map_or(0, |c| c.codes.get(row)));
            }
            for (place, decisions) in signature.iter_mut().skip(8).zip(&decided) {
                *place = u64::from(decisions.get(row).copied().unwrap_or(UNDECIDED));
            }
            let zone = u64::from(zones.get(row).copied().unwrap_or(0));
            if let Some(place) = signature.get_mut(11) {
                *place = zone << 1 | u64::from(b2b.get(row));
            }
            let index = match by_signature.get(&signature) {
                Some(&index) => index,
                None => {
                    // The row's own customer decides its slots too; they are
                    // replaced by the slot columns when a row is read.
                    let Some(customer) = table.customer(row) else {
                        core_of_row.push(u32::MAX);
                        continue;
                    };
                    let index = core.len() as u32;
                    core.push(self.classify(&customer));
                    by_signature.insert(signature, index);
                    index
                }
            };
            core_of_row.push(index);
        }
        TableClassification {
            table,
            slots,
            slot_rules,
            core,
            core_of_row,
            errors,
        }
    }

    /// Records, for each row whose value for `target` the setup refuses,
    /// the error `classify` gives (unless the row already has an earlier
    /// one).
    fn check_values(
        &self,
        target: Target,
        stored: Option<&TextColumn>,
        errors: &mut FxHashMap<usize, CustomerError>,
    ) {
        let Some(column) = stored else { return };
        let refused: Vec<Option<CustomerError>> = column
            .values
            .iter()
            .map(|code| self.check_new_value(target, code).err())
            .collect();
        if refused.iter().all(Option::is_none) {
            return;
        }
        for row in 0..column.codes.len() {
            let code = column.codes.get(row) as usize;
            if let Some(Some(error)) = code.checked_sub(1).and_then(|i| refused.get(i)) {
                errors.entry(row).or_insert_with(|| error.clone());
            }
        }
    }

    /// Decides `target` for every row: the first of its rules that holds
    /// (rules without `override` skip rows with a value by hand), else the
    /// value by hand. Returns the decisions and the target's rules.
    fn decide(
        &self,
        target: Target,
        stored: Option<&TextColumn>,
        verdicts: &[Bits],
        rows: usize,
    ) -> (Vec<u16>, SlotRules) {
        let by_hand = match stored {
            Some(column) => column.codes.select(|code| code != 0),
            None => Bits::none(rows),
        };
        let mut decisions = vec![UNDECIDED; rows];
        let mut open = Bits::all(rows);
        let mut rules = Vec::new();
        for (k, (index, rule, value, overrides)) in self.target_rules(target).enumerate() {
            rules.push((rule.to_owned(), value.to_owned()));
            let Some(holds) = verdicts.get(index) else {
                continue;
            };
            let eligible = if overrides {
                open.clone()
            } else {
                open.and_not(&by_hand)
            };
            let hit = eligible.and(holds);
            for row in hit.rows() {
                if let Some(place) = decisions.get_mut(row) {
                    *place = FIRST_RULE + k as u16;
                }
            }
            open = open.and_not(&hit);
        }
        for row in open.and(&by_hand).rows() {
            if let Some(place) = decisions.get_mut(row) {
                *place = BY_HAND;
            }
        }
        (decisions, rules)
    }
}

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
        let decision = *self.slots.get(slot.checked_sub(1)?)?.get(row)?;
        match decision {
            UNDECIDED => None,
            BY_HAND => {
                let value = self.table.text(&format!("class{slot}"))?.get(row)?;
                Some(Assigned {
                    value: value.to_owned(),
                    source: Source::Manual,
                })
            }
            rule => {
                let rules = self.slot_rules.get(slot - 1)?;
                let (id, value) = rules.get(usize::from(rule - FIRST_RULE))?;
                Some(Assigned {
                    value: value.clone(),
                    source: Source::Rule { rule: id.clone() },
                })
            }
        }
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

    /// How many rows got each value of `field` (`class1`..`class8`, `type`,
    /// `group`, `price_group`, `vat_zone`, `receivables_account`,
    /// `revenue_account`, `layout`; `None`: no value or not classified): the
    /// numbers behind an overview per group or account.
    pub fn counts(&self, field: &str) -> Vec<(Option<String>, usize)> {
        let mut tally: BTreeMap<Option<String>, usize> = BTreeMap::new();
        if let Some(Target::Class(slot)) = Target::parse(field) {
            for row in 0..self.len() {
                let value = self.value(row, Target::Class(slot)).map(|a| a.value);
                *tally.entry(value).or_default() += 1;
            }
            return tally.into_iter().collect();
        }
        let mut per_result = vec![0usize; self.core.len()];
        let mut unclassified = 0;
        for (row, &index) in self.core_of_row.iter().enumerate() {
            match per_result.get_mut(index as usize) {
                Some(count) if !self.errors.contains_key(&row) => *count += 1,
                _ => unclassified += 1,
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
            *tally.entry(value).or_default() += count;
        }
        if unclassified > 0 {
            *tally.entry(None).or_default() += unclassified;
        }
        tally.into_iter().filter(|(_, count)| *count > 0).collect()
    }
}
