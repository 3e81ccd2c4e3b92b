//! The end-of-run summary: what was classified where, and what was rejected.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

use custclass::RowProblem;
use custclass::{Assigned, Classification, Engine};

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
    /// The file's lines, and the empty ones among them (CSV).
    lines: Option<(u64, u64)>,
}

fn key(value: Option<&Assigned>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |assigned| assigned.value.clone())
}

impl Summary {
    pub fn count(&mut self, engine: &Engine, result: &Classification) {
        self.classified += 1;
        *self.groups.entry(key(result.group.as_ref())).or_default() += 1;
        *self
            .accounts
            .entry(key(result.receivables_account.as_ref()))
            .or_default() += 1;
        let zone = result
            .vat_zone
            .as_ref()
            .map_or("(none)".to_owned(), |z| z.value.to_string());
        *self.zones.entry(zone).or_default() += 1;
        for slot in (1..=8).filter(|slot| engine.slot_label(*slot).is_some()) {
            *self
                .slots
                .entry((slot, key(result.classes.get(slot))))
                .or_default() += 1;
        }
    }

    pub fn reject(&mut self, problem: &RowProblem) {
        self.rejected_rows.insert(problem.row, ());
        self.problems.push(problem.clone());
    }

    /// Notes the lines the file had, and the empty ones.
    pub fn lines(&mut self, lines: Option<(u64, u64)>) {
        self.lines = lines;
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
        if let Some((lines, blank)) = self.lines {
            let _ = writeln!(
                out,
                "(the file's {lines} lines: a header, the rows, {blank} empty)"
            );
        }
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
