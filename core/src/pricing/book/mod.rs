//! The price rules validated and compiled once per engine: the item-group
//! tree flattened into ancestor chains, and the rules bucketed by customer
//! scope and item scope, so a line looks at the few rules that can apply to
//! it instead of all of them.

mod rules;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::quote::RuleId;
use crate::customer::CurrencyCode;
use crate::error::Problems;
use crate::error::SetupProblemKind as P;
use crate::expr::{Cond, Vocabulary};
use crate::limits::{MAX_ITEM_GROUP_DEPTH, MAX_PRICE_RULE_REACH, MAX_PRICE_RULES_PER_BUCKET};
use crate::setup::{PriceAction, Pricing, Strategy};

/// Who a compiled rule is for.
#[derive(Debug)]
pub(crate) enum CustomerMatch {
    All,
    Type(String),
    Group(String),
    PriceGroup(String),
    Customer(String),
    Segment(Cond),
}

/// What a compiled rule is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ItemMatch {
    All,
    Group(u32),
    /// An item code, interned in [`PriceBook::items`].
    Item(u32),
}

/// A price rule ready to judge lines.
#[derive(Debug)]
pub(crate) struct BookRule {
    pub(crate) id: RuleId,
    /// The rule for people (`15% off for price group TRADE, item group
    /// PARTS`), written once per engine: every quote that names the rule
    /// shares it.
    pub(crate) description: Arc<str>,
    pub(crate) customers: CustomerMatch,
    pub(crate) items: ItemMatch,
    pub(crate) inactive: bool,
    pub(crate) terms: Terms,
}

/// What judging and pricing a line needs of a rule. The index stores a
/// copy in every list the rule is in, so a line reads its candidates from
/// one contiguous list instead of chasing each rule through memory.
#[derive(Debug, Clone)]
pub(crate) struct Terms {
    /// The rule's position in declaration order.
    pub(crate) rule: u32,
    pub(crate) id: RuleId,
    pub(crate) min_quantity: Option<Decimal>,
    pub(crate) max_quantity: Option<Decimal>,
    pub(crate) valid_from: Option<Date>,
    pub(crate) valid_to: Option<Date>,
    pub(crate) currency: Option<CurrencyCode>,
    pub(crate) action: PriceAction,
    /// For a percentage, the share of the price kept: `(100 - p) / 100`,
    /// so applying it is one multiplication.
    pub(crate) kept: Decimal,
    pub(crate) priority: Option<u32>,
    pub(crate) stackable: bool,
    /// Customer scope first (customer > price group > group > type >
    /// segment > all), then item scope (item > deeper item group >
    /// shallower one > all).
    pub(crate) specificity: (u8, u16),
}

/// The key of a customer-scope bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ScopeKey {
    All,
    Type(String),
    Group(String),
    PriceGroup(String),
    Customer(String),
    Segment,
}

/// The rules of one customer scope, by item scope.
#[derive(Debug, Default)]
pub(crate) struct ItemIndex {
    /// The rules for all items, in declaration order: kept once, not once
    /// per item group.
    all: Vec<Terms>,
    /// Per item group the rules for the group or any of its ancestors reach:
    /// the rules, in declaration order. One array for all groups, cut into
    /// runs, so a line reads one contiguous run.
    terms: Vec<Terms>,
    /// Where each group's run lies in `terms`.
    runs: Runs,
    /// Per item id: the rules for that item.
    pub(crate) items: FxHashMap<u32, Vec<Terms>>,
}

impl ItemIndex {
    /// The rules that can apply to a line of item group `slot` (none for
    /// the slot past the last group, lines without a group) and item
    /// `item`.
    pub(crate) fn candidates(
        &self,
        slot: usize,
        item: Option<u32>,
    ) -> impl Iterator<Item = &Terms> {
        let by_item = item.and_then(|item| self.items.get(&item));
        self.all
            .iter()
            .chain(self.for_group(slot))
            .chain(by_item.into_iter().flatten())
    }

    fn for_group(&self, slot: usize) -> &[Terms] {
        let run = match &self.runs {
            Runs::None => None,
            Runs::Dense(starts) => starts
                .get(slot)
                .zip(starts.get(slot.saturating_add(1)))
                .map(|(&start, &end)| (start, end)),
            Runs::Sparse(runs) => u32::try_from(slot).ok().and_then(|slot| {
                let at = runs
                    .binary_search_by_key(&slot, |&(group, _, _)| group)
                    .ok()?;
                runs.get(at).map(|&(_, start, end)| (start, end))
            }),
        };
        run.and_then(|(start, end)| self.terms.get(start as usize..end as usize))
            .unwrap_or_default()
    }
}

/// Where each item group's run of rules lies in [`ItemIndex::terms`].
#[derive(Debug, Default)]
enum Runs {
    /// No rule on an item group.
    #[default]
    None,
    /// Per group id, where its run starts; one more entry marks the end.
    /// For a scope whose rules reach at least one group in 64, so that
    /// the array costs at most 256 bytes per group reached.
    Dense(Vec<u32>),
    /// (group, start, end) of the groups reached, by group, for a scope
    /// whose rules reach fewer: ten thousand customers with a discount on
    /// one group each don't make ten thousand arrays as long as the
    /// item-group tree.
    Sparse(Vec<(u32, u32, u32)>),
}

/// Price rules compiled for one engine.
#[derive(Debug, Default)]
pub(crate) struct PriceBook {
    pub(crate) strategy: Strategy,
    pub(crate) stacking: crate::setup::Stacking,
    pub(crate) rounding: crate::setup::Rounding,
    /// Every rule, inactive ones too, in declaration order.
    pub(crate) rules: Vec<BookRule>,
    pub(crate) item_groups: FxHashMap<String, u32>,
    /// Per item group: itself, then its ancestors up to the root.
    pub(crate) chains: Vec<Vec<u32>>,
    /// Item codes named by rules.
    pub(crate) items: FxHashMap<String, u32>,
    /// Active rules, bucketed by customer scope.
    pub(crate) scopes: FxHashMap<ScopeKey, ItemIndex>,
    /// Active rules with a segment scope, whose bucket is
    /// `scopes[ScopeKey::Segment]`.
    pub(crate) segment_rules: Vec<u32>,
    /// The reason of a line no rule applies to, shared like the rules'.
    pub(crate) no_rule: Arc<str>,
}

/// What a line is priced at when no rule applies.
pub(crate) const NO_RULE: &str = "no price rule applies: list price";

impl PriceBook {
    /// Why a line has its price, for people: the chosen rule's description
    /// (by position) and those of the rules stacked on top, joined by
    /// ` + `. A line with one rule or none shares the engine's text; only
    /// stacked rules make a new one.
    pub(crate) fn reason(&self, rule: Option<u32>, stacked: &[u32]) -> Arc<str> {
        let described = |rule: u32| self.rules.get(rule as usize).map(|r| &r.description);
        match (rule, stacked) {
            (None, []) => self.no_rule.clone(),
            (Some(rule), []) => described(rule)
                .cloned()
                .unwrap_or_else(|| self.no_rule.clone()),
            _ => {
                let parts: Vec<&str> = rule
                    .iter()
                    .chain(stacked)
                    .filter_map(|&rule| described(rule).map(|text| &**text))
                    .collect();
                match parts.is_empty() {
                    true => self.no_rule.clone(),
                    false => Arc::from(parts.join(" + ")),
                }
            }
        }
    }

    /// Validates `pricing` against the rest of the compiled setup and
    /// builds the index; problems go to `problems`.
    pub(crate) fn build(
        pricing: &Pricing,
        vocabulary: &dyn Vocabulary,
        problems: &mut Problems,
    ) -> PriceBook {
        let mut book = PriceBook {
            strategy: pricing.strategy,
            stacking: pricing.stacking,
            rounding: pricing.rounding,
            no_rule: Arc::from(NO_RULE),
            ..PriceBook::default()
        };
        book.build_tree(pricing, problems);
        let mut ids = HashMap::new();
        for (i, rule) in pricing.rules.iter().enumerate() {
            let path = format!("$.pricing.rules[{i}]");
            problems.code(&mut ids, format!("{path}.id"), &rule.id, ());
            if let Some(compiled_rule) = book.compile_rule(&path, rule, vocabulary, problems) {
                book.rules.push(compiled_rule);
            }
        }
        if book.rules.len() == pricing.rules.len() && book.check_sizes(problems) {
            if book.strategy == Strategy::Priority {
                book.check_ties(problems);
            }
            book.index();
        }
        book
    }

    fn build_tree(&mut self, pricing: &Pricing, problems: &mut Problems) {
        let mut codes = HashMap::new();
        for (i, group) in pricing.item_groups.iter().enumerate() {
            let path = format!("$.pricing.item_groups[{i}].code");
            let id = self.item_groups.len() as u32;
            if problems.code(&mut codes, path, &group.code, ()) {
                self.item_groups.insert(group.code.clone(), id);
            }
        }
        let parent_of: Vec<Option<u32>> = pricing
            .item_groups
            .iter()
            .enumerate()
            .map(|(i, group)| {
                let parent = group.parent.as_ref()?;
                let found = self.item_groups.get(parent).copied();
                if found.is_none() {
                    problems.add(
                        format!("$.pricing.item_groups[{i}].parent"),
                        P::UnknownItemGroup {
                            value: parent.clone(),
                        },
                    );
                }
                found
            })
            .collect();
        // Duplicate codes were reported above; their ids are never handed
        // out, so the chains below only follow registered groups.
        let mut by_id: Vec<Option<u32>> = vec![None; self.item_groups.len()];
        for (i, group) in pricing.item_groups.iter().enumerate() {
            if let (Some(id), Some(parent)) = (
                self.item_groups.get(&group.code),
                parent_of.get(i).copied().flatten(),
            ) && let Some(place) = by_id.get_mut(*id as usize)
            {
                *place = Some(parent);
            }
        }
        let count = by_id.len();
        // Each group's position in the setup, for the problems' paths.
        let mut index_of = vec![0; count];
        for (i, group) in pricing.item_groups.iter().enumerate() {
            if let Some(&id) = self.item_groups.get(&group.code)
                && let Some(place) = index_of.get_mut(id as usize)
                && *place == 0
            {
                *place = i;
            }
        }
        let mut ordered: Vec<(&String, &u32)> = self.item_groups.iter().collect();
        ordered.sort_by_key(|(_, id)| **id);
        self.chains = vec![Vec::new(); count];
        for (code, &id) in ordered {
            let path = || {
                let index = index_of.get(id as usize).copied().unwrap_or_default();
                format!("$.pricing.item_groups[{index}].parent")
            };
            let mut chain = vec![id];
            let mut at = id;
            while let Some(parent) = by_id.get(at as usize).copied().flatten() {
                if chain.contains(&parent) {
                    let value = code.clone();
                    problems.add(path(), P::ItemGroupCycle { value });
                    break;
                }
                if chain.len() == MAX_ITEM_GROUP_DEPTH {
                    let what = format!("levels or more from item group '{code}' up to its root");
                    let (count, limit) = (chain.len().saturating_add(1), MAX_ITEM_GROUP_DEPTH);
                    problems.add(path(), P::TooMany { what, count, limit });
                    break;
                }
                chain.push(parent);
                at = parent;
            }
            if let Some(place) = self.chains.get_mut(id as usize) {
                *place = chain;
            }
        }
    }

    /// Holds the active rules to [`MAX_PRICE_RULES_PER_BUCKET`] per
    /// customer scope and item scope, and their copies in the index to
    /// [`MAX_PRICE_RULE_REACH`]; returns whether they are within both.
    fn check_sizes(&self, problems: &mut Problems) -> bool {
        let before = problems.len();
        let mut buckets: HashMap<(ScopeKey, ItemMatch), usize> = HashMap::new();
        // Per group: how many groups are it or below it.
        let mut below = vec![0usize; self.chains.len()];
        for ancestor in self.chains.iter().flatten() {
            if let Some(count) = below.get_mut(*ancestor as usize) {
                *count = count.saturating_add(1);
            }
        }
        let mut reach = 0usize;
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.inactive {
                continue;
            }
            let count = buckets
                .entry((scope_key(&rule.customers), rule.items))
                .or_default();
            *count = count.saturating_add(1);
            if *count == MAX_PRICE_RULES_PER_BUCKET + 1 {
                problems.add(
                    format!("$.pricing.rules[{i}]"),
                    P::TooMany {
                        what:
                            "active price rules for the same customers and the same items up to this one"
                                .into(),
                        count: *count,
                        limit: MAX_PRICE_RULES_PER_BUCKET,
                    },
                );
            }
            if let ItemMatch::Group(group) = rule.items {
                let groups = below.get(group as usize).copied().unwrap_or_default();
                reach = reach.saturating_add(groups);
                if reach > MAX_PRICE_RULE_REACH {
                    problems.add(
                        format!("$.pricing.rules[{i}]"),
                        P::TooMany {
                            what: "listings of price rules under item groups up to this one (a rule on a group is listed under the group and every group below it)".into(),
                            count: reach,
                            limit: MAX_PRICE_RULE_REACH,
                        },
                    );
                    break;
                }
            }
        }
        problems.len() == before
    }

    /// Under `priority`, two competing rules with the same priority and
    /// specificity that can both apply to one line leave the choice to
    /// declaration order, which ERPNext users meet as a surprise at invoice
    /// time. Equal specificity means the same kind of scope on both sides;
    /// the same kind overlaps only on the same code, except segments, which
    /// may overlap whatever they say.
    fn check_ties(&self, problems: &mut Problems) {
        let mut buckets: HashMap<(Option<u32>, ScopeKey, ItemMatch), Vec<usize>> = HashMap::new();
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.inactive || rule.terms.stackable {
                continue;
            }
            let key = (rule.terms.priority, scope_key(&rule.customers), rule.items);
            buckets.entry(key).or_default().push(i);
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for members in buckets.values() {
            for (n, &second) in members.iter().enumerate() {
                let clash = members.iter().take(n).find(|&&first| {
                    self.rules
                        .get(first)
                        .zip(self.rules.get(second))
                        .is_some_and(|(a, b)| overlap(&a.terms, &b.terms))
                });
                if let Some(&first) = clash {
                    pairs.push((first, second));
                }
            }
        }
        pairs.sort_by_key(|&(_, second)| second);
        for (first, second) in pairs {
            if let (Some(a), Some(b)) = (self.rules.get(first), self.rules.get(second)) {
                problems.add(
                    format!("$.pricing.rules[{second}]"),
                    P::AmbiguousPriority {
                        first: a.id.to_string(),
                        second: b.id.to_string(),
                    },
                );
            }
        }
    }

    /// Buckets the active rules by customer scope, then by the item groups
    /// they reach (a rule on a group is listed under each of its
    /// descendants), so a line's candidates are a few slices.
    fn index(&mut self) {
        let groups = self.chains.len();
        // Each group with itself and every group below it.
        let mut reach: Vec<Vec<u32>> = vec![Vec::new(); groups];
        for (id, chain) in self.chains.iter().enumerate() {
            for ancestor in chain {
                if let Some(list) = reach.get_mut(*ancestor as usize) {
                    list.push(id as u32);
                }
            }
        }
        // Per bucket: the rules for all items, the lists per reached group
        // and per item; then the group lists flattened.
        #[derive(Default)]
        struct Lists {
            all: Vec<Terms>,
            by_group: FxHashMap<u32, Vec<Terms>>,
            items: FxHashMap<u32, Vec<Terms>>,
        }
        let mut lists: FxHashMap<ScopeKey, Lists> = FxHashMap::default();
        for rule in &self.rules {
            if rule.inactive {
                continue;
            }
            let terms = &rule.terms;
            if matches!(rule.customers, CustomerMatch::Segment(_)) {
                self.segment_rules.push(terms.rule);
            }
            let bucket = lists.entry(scope_key(&rule.customers)).or_default();
            match rule.items {
                ItemMatch::All => bucket.all.push(terms.clone()),
                ItemMatch::Group(id) => {
                    for &below in reach.get(id as usize).into_iter().flatten() {
                        bucket
                            .by_group
                            .entry(below)
                            .or_default()
                            .push(terms.clone());
                    }
                }
                ItemMatch::Item(id) => bucket.items.entry(id).or_default().push(terms.clone()),
            }
        }
        let scopes = lists
            .into_iter()
            .map(|(key, bucket)| {
                let reached = bucket.by_group.len();
                let mut terms = Vec::new();
                let runs = if reached == 0 {
                    Runs::None
                } else if reached.saturating_mul(64) >= groups {
                    let mut by_group = bucket.by_group;
                    let mut starts = Vec::with_capacity(groups.saturating_add(1));
                    for group in 0..groups {
                        starts.push(terms.len() as u32);
                        terms.extend(by_group.remove(&(group as u32)).unwrap_or_default());
                    }
                    starts.push(terms.len() as u32);
                    Runs::Dense(starts)
                } else {
                    let mut by_group: Vec<_> = bucket.by_group.into_iter().collect();
                    by_group.sort_unstable_by_key(|&(group, _)| group);
                    let mut runs = Vec::with_capacity(by_group.len());
                    for (group, list) in by_group {
                        let start = terms.len() as u32;
                        terms.extend(list);
                        runs.push((group, start, terms.len() as u32));
                    }
                    Runs::Sparse(runs)
                };
                let index = ItemIndex {
                    all: bucket.all,
                    terms,
                    runs,
                    items: bucket.items,
                };
                (key, index)
            })
            .collect();
        self.scopes = scopes;
    }
}

fn scope_key(customers: &CustomerMatch) -> ScopeKey {
    match customers {
        CustomerMatch::All => ScopeKey::All,
        CustomerMatch::Type(code) => ScopeKey::Type(code.clone()),
        CustomerMatch::Group(code) => ScopeKey::Group(code.clone()),
        CustomerMatch::PriceGroup(code) => ScopeKey::PriceGroup(code.clone()),
        CustomerMatch::Customer(id) => ScopeKey::Customer(id.clone()),
        CustomerMatch::Segment(_) => ScopeKey::Segment,
    }
}

/// Whether some line falls in both rules' periods, quantity ranges and
/// currencies.
fn overlap(a: &Terms, b: &Terms) -> bool {
    let starts = a.valid_from.max(b.valid_from);
    let ends = match (a.valid_to, b.valid_to) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let dates = match (starts, ends) {
        (Some(from), Some(to)) => from <= to,
        _ => true,
    };
    let low = a.min_quantity.max(b.min_quantity);
    let high = match (a.max_quantity, b.max_quantity) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let quantities = match (low, high) {
        (Some(low), Some(high)) => low <= high,
        _ => true,
    };
    let currencies = match (a.currency, b.currency) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    dates && quantities && currencies
}
