//! Many conditions over one table, with the tests they have in common
//! answered once: the engine's segment sets, where a marketing overview's
//! ten segments often repeat `country = 'NL'` or `b2b = true`.
//!
//! Each condition is combined exactly as [`Cond::truth`] combines it (the
//! same three-valued `and`, `or` and `not` on bit sets); only the answers of
//! the tests (the leaves) are shared, each computed by `truth` itself, so a
//! condition's rows here are those [`Cond::truth`] gives alone.

use rustc_hash::FxHashMap;

use super::columns::{Derived, Truth};
use super::compile::Cond;
use crate::table::{CustomerTable, TableIndex};

/// The answers of the tests several conditions share, kept while they are
/// evaluated over one table.
pub(crate) struct SharedTests<'a> {
    table: &'a CustomerTable,
    index: Option<&'a TableIndex>,
    derived: &'a Derived<'a>,
    /// How many times each test occurs; those occurring once aren't kept.
    uses: FxHashMap<String, usize>,
    answers: FxHashMap<String, Truth>,
}

impl<'a> SharedTests<'a> {
    /// Ready to evaluate `conditions` (the tests they share are found
    /// here, once).
    pub(crate) fn new<'c>(
        conditions: impl IntoIterator<Item = &'c Cond>,
        table: &'a CustomerTable,
        index: Option<&'a TableIndex>,
        derived: &'a Derived<'a>,
    ) -> SharedTests<'a> {
        let mut uses = FxHashMap::default();
        for cond in conditions {
            cond.each_test(&mut |key| *uses.entry(key).or_insert(0) += 1);
        }
        SharedTests {
            table,
            index,
            derived,
            uses,
            answers: FxHashMap::default(),
        }
    }

    /// `cond`'s answer for every row, as [`Cond::truth`] gives it.
    pub(crate) fn truth(&mut self, cond: &Cond) -> Truth {
        let rows = self.table.len();
        Truth::of(cond, rows, &mut |leaf| self.test(leaf))
    }

    /// A test's answer: worked out once when other segments share it.
    fn test(&mut self, cond: &Cond) -> Truth {
        let Some(key) = cond.test_key() else {
            return cond.leaf_truth(self.table, self.index, self.derived);
        };
        if let Some(answer) = self.answers.get(&key) {
            return answer.clone();
        }
        let answer = cond.leaf_truth(self.table, self.index, self.derived);
        if self.uses.get(&key).is_some_and(|&n| n > 1) {
            self.answers.insert(key, answer.clone());
        }
        answer
    }
}

impl Cond {
    /// Calls `found` with the key of every test in the condition.
    fn each_test(&self, found: &mut dyn FnMut(String)) {
        match self {
            Cond::And(terms) | Cond::Or(terms) => terms.iter().for_each(|t| t.each_test(found)),
            Cond::Not(inner) => inner.each_test(found),
            Cond::Const(_) => {}
            Cond::Pred { .. } => {
                if let Some(key) = self.test_key() {
                    found(key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::ZoneSource;
    use crate::threads::Threads;
    use crate::{Customer, Engine, Setup};

    #[test]
    fn shared_tests_give_each_condition_its_own_answer() {
        let engine = Engine::new(Setup::standard("NL".to_owned().try_into().unwrap())).unwrap();
        let customers = Customer::list_from_json(
            r#"[{"id": "1", "billing_address": {"country": "NL"}, "channel": "pos"},
                {"id": "2", "billing_address": {"country": "DE"}, "channel": "webshop"},
                {"id": "3", "channel": "webshop"},
                {"id": "4", "billing_address": {"country": "NL"}, "channel": "webshop"}]"#,
        )
        .unwrap();
        let table = CustomerTable::from_customers(&customers);
        let conds: Vec<Cond> = [
            "country = 'NL'",
            "not country = 'NL'",
            "country = 'NL' and channel = 'webshop'",
            "country = 'NL' or channel = 'webshop'",
            "true and not (country = 'NL')",
        ]
        .iter()
        .map(|src| engine.segment(src).unwrap().condition().clone())
        .collect();
        let derived = Derived::new(ZoneSource::Codes(&[]), Threads::One);
        let mut shared = SharedTests::new(&conds, &table, None, &derived);
        assert_eq!(shared.uses.values().copied().max(), Some(5));
        for cond in &conds {
            let alone = cond.truth(&table, None, &derived);
            let together = shared.truth(cond);
            assert_eq!(together.yes, alone.yes);
            assert_eq!(together.known, alone.known);
        }
        assert_eq!(
            shared.answers.len(),
            2,
            "country = 'NL' and channel = 'webshop'"
        );
    }
}
