//! The columns of a table handed to the engine, checked against the
//! setup: an attribute column the setup doesn't declare (`attr.turnover`
//! for `turnover_12m`) would be read by nothing, and a declared attribute
//! a condition tests but the input lacks would be unknown on every row;
//! either way every row's answer is silently wrong.

use std::collections::BTreeSet;

use super::{Engine, Segment, SegmentSet};
use crate::error::TableError;
use crate::expr::Cond;

/// What an attribute column the setup doesn't declare, or a declared one
/// the input lacks, does to a table: refused (the default), or read anyway
/// and listed as a warning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnknownColumns {
    /// The table is refused with the first such column (`undeclared_attribute`,
    /// `missing_attribute`).
    #[default]
    Refuse,
    /// The table is read; each such column is a warning.
    Warn,
}

impl std::str::FromStr for UnknownColumns {
    type Err = String;

    /// `error` or `warn`, as the bindings and the command line take it.
    fn from_str(text: &str) -> Result<UnknownColumns, String> {
        match text {
            "error" => Ok(UnknownColumns::Refuse),
            "warn" => Ok(UnknownColumns::Warn),
            other => Err(format!(
                "unknown_columns: '{other}' is neither 'error' nor 'warn'"
            )),
        }
    }
}

impl Engine {
    /// Checks the column names of a table to classify (or to price
    /// customers from, as rules fill what their records lack): every
    /// `attr.<name>` must be declared by the setup, and every attribute
    /// the rules test must be there. Pandas index columns are no data.
    ///
    /// # Errors
    ///
    /// With [`UnknownColumns::Refuse`], the first problem: a
    /// [`TableError`] `undeclared_attribute` (naming the column, its
    /// 1-based position and the declared attribute most likely meant) or
    /// `missing_attribute`. With [`UnknownColumns::Warn`] they are the
    /// `Ok` list instead.
    pub fn check_columns<'n>(
        &self,
        columns: impl IntoIterator<Item = &'n str>,
        unknown: UnknownColumns,
    ) -> Result<Vec<TableError>, TableError> {
        let rules: Vec<&Cond> = self.rule_conditions().collect();
        self.checked_columns(columns, rules.into_iter(), unknown)
    }

    fn checked_columns<'n, 'c>(
        &self,
        columns: impl IntoIterator<Item = &'n str>,
        conds: impl Iterator<Item = &'c Cond>,
        unknown: UnknownColumns,
    ) -> Result<Vec<TableError>, TableError> {
        let declared: BTreeSet<&str> = self
            .compiled
            .attributes
            .keys()
            .map(String::as_str)
            .collect();
        let mut problems = Vec::new();
        let mut present = BTreeSet::new();
        for (at, column) in columns.into_iter().enumerate() {
            present.insert(column);
            let Some(name) = column.strip_prefix("attr.") else {
                continue;
            };
            if !declared.contains(name) {
                problems.push(TableError::UndeclaredAttribute {
                    column: column.to_owned(),
                    position: at + 1,
                    suggestion: closest(name, &declared).map(|name| format!("attr.{name}")),
                });
            }
        }
        let mut read = BTreeSet::new();
        conds.for_each(|cond| cond.columns(&mut read));
        problems.extend(
            read.iter()
                .filter(|column| column.starts_with("attr."))
                .filter(|column| !present.contains(column.as_str()))
                .map(|column| TableError::MissingAttribute {
                    column: column.clone(),
                }),
        );
        match (unknown, problems.is_empty()) {
            (UnknownColumns::Refuse, false) => Err(problems.remove(0)),
            _ => Ok(problems),
        }
    }
}

impl Segment {
    /// [`Engine::check_columns`] for the attributes this segment tests.
    ///
    /// # Errors
    ///
    /// As [`Engine::check_columns`].
    pub fn check_columns<'n>(
        &self,
        columns: impl IntoIterator<Item = &'n str>,
        unknown: UnknownColumns,
    ) -> Result<Vec<TableError>, TableError> {
        self.engine
            .checked_columns(columns, std::iter::once(&self.cond), unknown)
    }
}

impl SegmentSet {
    /// [`Engine::check_columns`] for the attributes the set's segments test.
    ///
    /// # Errors
    ///
    /// As [`Engine::check_columns`].
    pub fn check_columns<'n>(
        &self,
        columns: impl IntoIterator<Item = &'n str>,
        unknown: UnknownColumns,
    ) -> Result<Vec<TableError>, TableError> {
        let (engine, conds) = self.parts();
        engine.checked_columns(columns, conds, unknown)
    }
}

/// The declared attribute closest to `name`, when one is close: a typo, or
/// a name cut short (`turnover` for `turnover_12m`).
fn closest<'d>(name: &str, declared: &BTreeSet<&'d str>) -> Option<&'d str> {
    let name = name.to_ascii_lowercase();
    declared
        .iter()
        .map(|known| {
            let distance = strsim::damerau_levenshtein(&name, known);
            let prefix = !name.is_empty() && known.starts_with(name.as_str());
            (if prefix { 0 } else { distance }, prefix, *known)
        })
        .filter(|(distance, prefix, known)| *prefix || *distance <= 2.max(known.len() / 4))
        .min_by_key(|(distance, _, _)| *distance)
        .map(|(_, _, known)| known)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use crate::Setup;

    fn engine() -> Engine {
        let setup = Setup::from_json(
            r#"{"home_country": "NL",
                "types": [{"code": "B2B", "default": true}],
                "groups": [{"code": "G", "type": "B2B", "default": true}],
                "slots": [{"slot": 1, "label": "Size", "values": [{"code": "KEY"}]}],
                "attributes": [{"name": "turnover_12m", "kind": "number"}, {"name": "tier", "kind": "text"}],
                "rules": [{"id": "key", "when": "attr.turnover_12m > 100000", "set": {"class.Size": "KEY"}}]}"#,
        )
        .unwrap();
        Engine::new(setup).unwrap()
    }

    #[test]
    fn an_undeclared_attribute_column_is_refused_with_the_one_meant() {
        let err = engine()
            .check_columns(["id", "attr.turnover"], UnknownColumns::Refuse)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "column 2 'attr.turnover' is not an attribute the setup declares (did you mean 'attr.turnover_12m'?)"
        );
        assert_eq!(err.code(), "undeclared_attribute");
    }

    #[test]
    fn an_attribute_the_rules_test_must_be_there() {
        let engine = engine();
        let err = engine
            .check_columns(["id", "attr.tier"], UnknownColumns::Refuse)
            .unwrap_err();
        assert_eq!(err.code(), "missing_attribute");
        // A segment that doesn't test it doesn't need it.
        let segment = engine.segment("attr.tier = 'A'").unwrap();
        assert!(
            segment
                .check_columns(["id", "attr.tier"], UnknownColumns::Refuse)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            segment
                .check_columns(["id"], UnknownColumns::Refuse)
                .unwrap_err()
                .code(),
            "missing_attribute"
        );
    }

    #[test]
    fn warn_lists_every_problem_instead() {
        let warnings = engine()
            .check_columns(["id", "attr.turnover", "attr.colour"], UnknownColumns::Warn)
            .unwrap();
        let codes: Vec<&str> = warnings.iter().map(TableError::code).collect();
        assert_eq!(
            codes,
            [
                "undeclared_attribute",
                "undeclared_attribute",
                "missing_attribute"
            ]
        );
        assert_eq!("warn".parse(), Ok(UnknownColumns::Warn));
        assert!("maybe".parse::<UnknownColumns>().is_err());
    }
}
