//! The end-of-run summary: what was classified where, and what was rejected.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

use custclass::{Engine, ResultColumn, ResultField, RowProblem, TableClassification, Target};

/// Problems listed in full before the rest are only counted.
const LISTED_PROBLEMS: usize = 20;

#[derive(Default)]
pub struct Summary {
    classified: usize,
    groups: BTreeMap<String, usize>,
    slots: BTreeMap<(usize, String), usize>,
    accounts: BTreeMap<String, usize>,
    zones: BTreeMap<String, usize>,
    rejected_rows: BTreeMap<usize, ()>,
    problems: Vec<RowProblem>,
}

impl Summary {
    /// Counts the rows of a classified table that could be classified, by
    /// group, account, zone and slot value: from the result columns, one
    /// pass over each, without a classification per row.
    pub fn count_table(&mut self, engine: &Engine, classified: &TableClassification<'_>) {
        let mut counted = vec![true; classified.len()];
        for (row, _) in classified.errors() {
            if let Some(flag) = counted.get_mut(row) {
                *flag = false;
            }
        }
        self.classified += counted.iter().filter(|&&flag| flag).count();
        let column = |field| classified.column(field);
        tally(
            &mut self.groups,
            column(ResultField::Target(Target::Group)),
            &counted,
        );
        tally(
            &mut self.accounts,
            column(ResultField::ReceivablesAccount),
            &counted,
        );
        tally(&mut self.zones, column(ResultField::VatZone), &counted);
        for slot in (1..=8).filter(|slot| engine.slot_label(*slot).is_some()) {
            let mut values = BTreeMap::new();
            tally(
                &mut values,
                column(ResultField::Target(Target::Class(slot))),
                &counted,
            );
            for (value, count) in values {
                *self.slots.entry((slot, value)).or_default() += count;
            }
        }
    }

    pub fn reject(&mut self, problem: &RowProblem) {
        self.rejected_rows.insert(problem.row, ());
        self.problems.push(problem.clone());
    }

    pub fn exit_code(&self) -> ExitCode {
        if self.problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }

    pub fn render(&self, engine: &Engine) -> String {
        let mut out = String::new();
        let total = self.classified + self.rejected_rows.len();
        let _ = writeln!(
            out,
            "{total} customers read: {} classified, {} rejected",
            self.classified,
            self.rejected_rows.len()
        );
        table(&mut out, "Group", &self.groups);
        table(&mut out, "Receivables account", &self.accounts);
        table(&mut out, "VAT zone", &self.zones);
        for slot in 1..=8 {
            let Some(label) = engine.slot_label(slot) else {
                continue;
            };
            let counts: BTreeMap<String, usize> = self
                .slots
                .iter()
                .filter(|((s, _), _)| *s == slot)
                .map(|((_, code), count)| (code.clone(), *count))
                .collect();
            table(&mut out, &format!("{label} (class{slot})"), &counts);
        }
        if !self.problems.is_empty() {
            let _ = writeln!(out, "\nRejected rows:");
            let mut problems: Vec<&RowProblem> = self.problems.iter().collect();
            problems.sort_by_key(|problem| problem.row);
            for problem in problems.into_iter().take(LISTED_PROBLEMS) {
                let column = problem
                    .column
                    .as_deref()
                    .map(|c| format!(", column {c}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  line {}{column}: [{}] {}",
                    problem.line.unwrap_or_default(),
                    problem.code,
                    problem.message
                );
            }
            if self.problems.len() > LISTED_PROBLEMS {
                let _ = writeln!(
                    out,
                    "  … and {} more",
                    self.problems.len() - LISTED_PROBLEMS
                );
            }
        }
        out
    }
}

/// Adds the rows `counted` marks to `counts`, by their value in `column`
/// ("(none)" for none).
fn tally(counts: &mut BTreeMap<String, usize>, column: Option<ResultColumn>, counted: &[bool]) {
    let Some(column) = column else { return };
    let mut per_code = vec![0usize; column.entries.len() + 1];
    for (&code, _) in column
        .codes
        .iter()
        .zip(counted)
        .filter(|(_, counted)| **counted)
    {
        if let Some(count) = per_code.get_mut(code as usize) {
            *count += 1;
        }
    }
    for (code, count) in per_code.into_iter().enumerate() {
        if count == 0 {
            continue;
        }
        let value = match code.checked_sub(1).and_then(|at| column.entries.get(at)) {
            Some(entry) => entry.value.clone(),
            None => "(none)".to_owned(),
        };
        *counts.entry(value).or_default() += count;
    }
}

fn table(out: &mut String, title: &str, counts: &BTreeMap<String, usize>) {
    let _ = writeln!(out, "\n{title}");
    let width = counts
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    for (name, count) in counts {
        let _ = writeln!(out, "  {name:<width$}  {count:>7}");
    }
}
