//! Pricing lines for one customer: which rules can apply, which one wins
//! under the setup's strategy, what stacks on top, and the rounded amounts.
//!
//! Two paths share every judgement and the same contest: the fast one reads
//! only the index's lists for the customer's buckets and the line's item
//! group; the explaining one judges every rule of the setup so the quote can
//! list them all. A property test checks that both give the same price.

use std::cmp::{Ordering, Reverse};

use jiff::civil::Date;
use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

use super::book::{BookRule, CustomerMatch, ItemIndex, ItemMatch, PriceBook, ScopeKey, Terms};
use super::money;
use super::quote::{Candidate, PriceRequest, Quote, Verdict};
use crate::customer::CurrencyCode;
use crate::error::PricingError;
use crate::error::PricingErrorKind as E;
use crate::expr::Subject;
use crate::setup::{PriceAction, Stacking, Strategy};

/// What pricing needs to know about a customer, as classified for the day.
#[derive(Debug)]
pub(crate) struct Facts<'a> {
    pub(crate) subject: Subject<'a>,
    pub(crate) customer_type: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) price_group: Option<String>,
}

/// A customer's view of the price book: the buckets whose customer scope
/// it is in, found once, so each line only walks a few short lists.
#[derive(Debug)]
pub(crate) struct Pricer<'a> {
    book: &'a PriceBook,
    facts: Facts<'a>,
    /// The buckets whose customer scope this customer is in (segments
    /// aside).
    scopes: Vec<&'a ItemIndex>,
    /// The segment bucket, when the customer is in one of its segments.
    segments: Option<&'a ItemIndex>,
    /// The segment rules whose segment holds the customer.
    in_segment: FxHashSet<u32>,
}

/// The line's checked inputs: values, not the request, so that a column of
/// lines is priced without building a request per line.
pub(crate) struct Line<'r> {
    pub(crate) list: Decimal,
    pub(crate) quantity: Decimal,
    pub(crate) date: Date,
    pub(crate) currency: CurrencyCode,
    pub(crate) chain: &'r [u32],
    /// Position for `ItemIndex::candidates`: the item group, or the slot for
    /// lines without one.
    pub(crate) slot: usize,
    pub(crate) item: Option<u32>,
    pub(crate) units: u32,
}

/// What a rule that applies would do alone: its net unit price, clamped at
/// zero, and rounded once two offers have to be compared on price.
#[derive(Debug, Clone, Copy)]
struct Offer<'a> {
    terms: &'a Terms,
    net: Decimal,
    rounded: Option<Decimal>,
}

/// The outcome of the competition and stacking.
struct Outcome<'a> {
    winner: Option<Offer<'a>>,
    /// The stackable rules that apply, in declaration order.
    stacked: Vec<&'a Terms>,
    /// The final net unit price, rounded.
    net: Decimal,
}

/// The competition among the applicable rules of one line.
struct Contest<'p, 'a> {
    pricer: &'p Pricer<'a>,
    list: Decimal,
    units: u32,
    best: Option<Offer<'a>>,
    /// Under `best_price`, the best rule without a currency, which any rule
    /// for the line's currency replaces.
    best_blank: Option<Offer<'a>>,
    stacked: Vec<&'a Terms>,
}

impl<'a> Pricer<'a> {
    pub(crate) fn new(book: &'a PriceBook, facts: Facts<'a>) -> Pricer<'a> {
        let mut keys = vec![ScopeKey::All];
        if let Some(code) = &facts.customer_type {
            keys.push(ScopeKey::Type(code.clone()));
        }
        if let Some(code) = &facts.group {
            keys.push(ScopeKey::Group(code.clone()));
        }
        if let Some(code) = &facts.price_group {
            keys.push(ScopeKey::PriceGroup(code.clone()));
        }
        keys.push(ScopeKey::Customer(facts.subject.customer.id.0.clone()));
        let scopes = keys.iter().filter_map(|key| book.scopes.get(key)).collect();
        let in_segment: FxHashSet<u32> = book
            .segment_rules
            .iter()
            .copied()
            .filter(|&i| {
                book.rules
                    .get(i as usize)
                    .is_some_and(|rule| customer_in_scope(rule, &facts))
            })
            .collect();
        Pricer {
            book,
            scopes,
            segments: (!in_segment.is_empty())
                .then(|| book.scopes.get(&ScopeKey::Segment))
                .flatten(),
            in_segment,
            facts,
        }
    }

    /// Prices one line; with `explain`, judges every rule of the setup.
    pub(crate) fn quote(
        &self,
        request: &PriceRequest,
        explain: bool,
    ) -> Result<Quote, PricingError> {
        let line = self.line(request)?;
        let mut contest = Contest::new(self, &line);
        if explain {
            for rule in &self.book.rules {
                if self.skip(rule, &line).is_none() {
                    contest.enter(&rule.terms)?;
                }
            }
        } else {
            for index in &self.scopes {
                contest.enter_all(index, &line, |_| true)?;
            }
            if let Some(index) = self.segments {
                contest.enter_all(index, &line, |i| self.in_segment.contains(&i))?;
            }
        }
        let outcome = contest.finish()?;
        let explanation = explain.then(|| self.explain(&line, &outcome));
        self.finish(&line, outcome, explanation)
    }

    /// The rules that can apply to this customer's lines of item-group
    /// slot `slot` and item `item`: what [`Pricer::quote`] walks for each
    /// line, gathered once for all the lines that share them.
    pub(crate) fn candidates(&self, slot: usize, item: Option<u32>) -> Vec<&'a Terms> {
        let mut found: Vec<&'a Terms> = Vec::new();
        for index in &self.scopes {
            found.extend(index.candidates(slot, item));
        }
        if let Some(index) = self.segments {
            found.extend(
                index
                    .candidates(slot, item)
                    .filter(|terms| self.in_segment.contains(&terms.rule)),
            );
        }
        found
    }

    /// Prices a line among `candidates` (from [`Pricer::candidates`] for
    /// its slot and item), without explanation: the answer
    /// [`Pricer::quote`] gives, as rule positions instead of ids.
    pub(crate) fn price_line(
        &self,
        line: &Line<'_>,
        candidates: &[&'a Terms],
    ) -> Result<LinePrice, PricingError> {
        let mut contest = Contest::new(self, line);
        for &terms in candidates {
            if judge(terms, line).is_ok() {
                contest.enter(terms)?;
            }
        }
        let outcome = contest.finish()?;
        let total = self.line_total(outcome.net, line)?;
        Ok(LinePrice {
            list: line.list,
            rule: outcome.winner.map(|offer| offer.terms.rule),
            stacked: outcome.stacked.iter().map(|terms| terms.rule).collect(),
            net: outcome.net,
            total,
        })
    }

    fn line_total(&self, net: Decimal, line: &Line<'_>) -> Result<Decimal, PricingError> {
        net.checked_mul(line.quantity)
            .map(|total| self.round(total, line.units))
            .ok_or_else(|| {
                PricingError::from(E::AmountOverflow {
                    field: "line_total".into(),
                })
            })
    }

    fn rule(&self, index: u32) -> Option<&'a BookRule> {
        self.book.rules.get(index as usize)
    }

    fn line<'r>(&self, request: &'r PriceRequest) -> Result<Line<'r>, PricingError>
    where
        'a: 'r,
    {
        check_amounts(request.quantity, request.list_price)?;
        let (chain, slot) = self.book.item_group(request.item_group.as_deref())?;
        Ok(Line {
            list: request.list_price,
            quantity: request.quantity,
            date: request.date,
            currency: request.currency,
            chain,
            slot,
            item: self.book.item(&request.item),
            units: request.currency.minor_units(),
        })
    }

    /// Why a rule does not apply to the line, judged in full.
    fn skip(&self, rule: &BookRule, line: &Line<'_>) -> Option<Verdict> {
        if rule.inactive {
            return Some(Verdict::Inactive);
        }
        if !customer_in_scope(rule, &self.facts) {
            return Some(Verdict::CustomerOutOfScope);
        }
        let item_in_scope = match rule.items {
            ItemMatch::All => true,
            ItemMatch::Group(id) => line.chain.contains(&id),
            ItemMatch::Item(id) => line.item == Some(id),
        };
        if !item_in_scope {
            return Some(Verdict::ItemOutOfScope);
        }
        judge(&rule.terms, line)
            .err()
            .map(|miss| miss.verdict(&rule.terms, line))
    }

    /// The strategy's order: the winner sorts first. Under `best_price`,
    /// both offers are rounded.
    fn compare(&self, a: Offer<'_>, b: Offer<'_>) -> Ordering {
        let (x, y) = (a.terms, b.terms);
        let by_rank = || {
            Reverse(x.specificity)
                .cmp(&Reverse(y.specificity))
                .then(x.rule.cmp(&y.rule))
        };
        match self.book.strategy {
            Strategy::BestPrice => a.rounded.cmp(&b.rounded).then_with(by_rank),
            Strategy::Priority => Reverse(x.priority)
                .cmp(&Reverse(y.priority))
                .then_with(by_rank),
            Strategy::FirstMatch => x.rule.cmp(&y.rule),
        }
    }

    /// The winner's price with the stackable discounts applied, unrounded.
    fn stack(
        &self,
        winner: Option<Offer<'_>>,
        stacked: &[&Terms],
        list: Decimal,
    ) -> Result<Decimal, PricingError> {
        let mut rules = winner
            .map(|offer| offer.terms)
            .into_iter()
            .chain(stacked.iter().copied());
        match self.book.stacking {
            Stacking::Compounded => rules.try_fold(list, |price, rule| alone(rule, price)),
            Stacking::Additive => {
                let (mut start, mut percent, mut amount) = (list, Decimal::ZERO, Decimal::ZERO);
                for rule in rules {
                    match rule.action {
                        PriceAction::FixedPrice(price) => start = price,
                        PriceAction::DiscountPercent(p) => {
                            percent = percent.checked_add(p).ok_or_else(overflow)?;
                        }
                        PriceAction::DiscountAmount(a) => {
                            amount = amount.checked_add(a).ok_or_else(overflow)?;
                        }
                    }
                }
                let kept = Decimal::ONE_HUNDRED
                    .checked_sub(percent.min(Decimal::ONE_HUNDRED))
                    .and_then(|kept| kept.checked_div(Decimal::ONE_HUNDRED))
                    .ok_or_else(overflow)?;
                start
                    .checked_mul(kept)
                    .and_then(|price| price.checked_sub(amount))
                    .ok_or_else(overflow)
            }
        }
    }

    fn round(&self, amount: Decimal, units: u32) -> Decimal {
        money::round(amount, units, self.book.rounding)
    }

    /// Every rule of the setup with its verdict, in declaration order.
    fn explain(&self, line: &Line<'_>, outcome: &Outcome<'_>) -> Vec<Candidate> {
        let list = line.list;
        let winner = outcome
            .winner
            .and_then(|offer| Some((offer, self.rule(offer.terms.rule)?)));
        self.book
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let verdict = self.skip(rule, line).unwrap_or_else(|| {
                    let net = alone(&rule.terms, list)
                        .map(|net| self.round(clamp(net), line.units))
                        .unwrap_or_default();
                    let i = i as u32;
                    match winner {
                        _ if rule.terms.stackable => Verdict::Stacked { net_price: net },
                        Some((offer, _)) if offer.terms.rule == i => {
                            Verdict::Applied { net_price: net }
                        }
                        Some((offer, best)) => self.lost(net, rule, offer, best, line.units),
                        // Unreachable: an applicable non-stackable rule
                        // means there is a winner.
                        None => Verdict::Applied { net_price: net },
                    }
                });
                Candidate {
                    rule: rule.id.clone(),
                    description: rule.description.clone(),
                    text: verdict.to_string(),
                    verdict,
                }
            })
            .collect()
    }

    /// Why an applicable rule lost to the winner.
    fn lost(
        &self,
        net_price: Decimal,
        rule: &BookRule,
        win: Offer<'_>,
        best: &BookRule,
        units: u32,
    ) -> Verdict {
        let winner = best.id.clone();
        let (rule, best) = (&rule.terms, &best.terms);
        match self.book.strategy {
            Strategy::BestPrice if rule.currency.is_none() && best.currency.is_some() => {
                Verdict::BlankCurrency { net_price, winner }
            }
            Strategy::BestPrice if net_price > self.round(win.net, units) => {
                Verdict::LostOnPrice { net_price, winner }
            }
            Strategy::Priority if rule.priority < best.priority => {
                Verdict::LowerPriority { net_price, winner }
            }
            Strategy::BestPrice | Strategy::Priority if rule.specificity < best.specificity => {
                Verdict::LessSpecific { net_price, winner }
            }
            _ => Verdict::DeclaredLater { net_price, winner },
        }
    }

    fn finish(
        &self,
        line: &Line<'_>,
        outcome: Outcome<'_>,
        explanation: Option<Vec<Candidate>>,
    ) -> Result<Quote, PricingError> {
        let list = line.list;
        let net = outcome.net;
        let line_total = self.line_total(net, line)?;
        Ok(Quote {
            list_price: list,
            net_price: net,
            quantity: line.quantity,
            line_total,
            currency: line.currency,
            rule: outcome.winner.map(|offer| offer.terms.id.clone()),
            stacked: outcome
                .stacked
                .iter()
                .map(|terms| terms.id.clone())
                .collect(),
            reason: {
                let stacked: Vec<u32> = outcome.stacked.iter().map(|terms| terms.rule).collect();
                let rule = outcome.winner.map(|offer| offer.terms.rule);
                self.book.reason(rule, &stacked)
            },
            explanation,
        })
    }
}

impl PriceBook {
    /// The ancestor chain of item group `code` and its slot for
    /// [`ItemIndex::candidates`]; no group has the slot past the last one.
    pub(crate) fn item_group(&self, code: Option<&str>) -> Result<(&[u32], usize), PricingError> {
        let Some(code) = code else {
            return Ok((&[], self.chains.len()));
        };
        let id = *self.item_groups.get(code).ok_or_else(|| {
            PricingError::from(E::UnknownItemGroup {
                field: "item_group".to_owned(),
                value: code.to_owned(),
            })
        })?;
        let chain = self.chains.get(id as usize).map_or(&[][..], Vec::as_slice);
        Ok((chain, id as usize))
    }

    /// The item's id when some rule names it: most setups price by group,
    /// and then no item is looked up.
    pub(crate) fn item(&self, code: &str) -> Option<u32> {
        match self.items.is_empty() {
            true => None,
            false => self.items.get(code).copied(),
        }
    }
}

/// Refuses a quantity of zero or less and a negative list price.
pub(crate) fn check_amounts(quantity: Decimal, list_price: Decimal) -> Result<(), PricingError> {
    if quantity <= Decimal::ZERO {
        let quantity = quantity.to_string();
        let field = "quantity".to_owned();
        return Err(E::InvalidQuantity { field, quantity }.into());
    }
    if list_price.is_sign_negative() && !list_price.is_zero() {
        let list_price = list_price.to_string();
        let field = "list_price".to_owned();
        return Err(E::NegativeListPrice { field, list_price }.into());
    }
    Ok(())
}

/// A line's price as the columnar path keeps it: rules by their position
/// in the setup.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinePrice {
    /// The unit price before any rule, as the line gives it.
    pub(crate) list: Decimal,
    pub(crate) rule: Option<u32>,
    /// The stackable rules applied, in declaration order.
    pub(crate) stacked: Vec<u32>,
    pub(crate) net: Decimal,
    pub(crate) total: Decimal,
}

/// Why a rule in scope does not apply to a line; the explanation turns it
/// into a [`Verdict`], the fast path only needs to know there is one.
#[derive(Debug, Clone, Copy)]
enum Miss {
    Currency,
    Dates,
    BelowMin,
    AboveMax,
}

impl Miss {
    fn verdict(self, rule: &Terms, line: &Line<'_>) -> Verdict {
        match self {
            Miss::Currency => Verdict::CurrencyMismatch {
                currency: rule.currency.unwrap_or(line.currency),
            },
            Miss::Dates => Verdict::OutsideDates {
                valid_from: rule.valid_from,
                valid_to: rule.valid_to,
            },
            Miss::BelowMin => {
                let min_quantity = rule.min_quantity.unwrap_or_default();
                Verdict::BelowMinQuantity {
                    min_quantity,
                    buy_more: min_quantity.saturating_sub(line.quantity),
                }
            }
            Miss::AboveMax => Verdict::AboveMaxQuantity {
                max_quantity: rule.max_quantity.unwrap_or_default(),
            },
        }
    }
}

/// Whether a rule in scope applies to the line: currency, dates, quantity.
fn judge(rule: &Terms, line: &Line<'_>) -> Result<(), Miss> {
    if rule
        .currency
        .is_some_and(|currency| currency != line.currency)
    {
        return Err(Miss::Currency);
    }
    let day = line.date;
    if rule.valid_from.is_some_and(|from| day < from) || rule.valid_to.is_some_and(|to| day > to) {
        return Err(Miss::Dates);
    }
    if rule.min_quantity.is_some_and(|min| line.quantity < min) {
        return Err(Miss::BelowMin);
    }
    if rule.max_quantity.is_some_and(|max| line.quantity > max) {
        return Err(Miss::AboveMax);
    }
    Ok(())
}

fn customer_in_scope(rule: &BookRule, facts: &Facts<'_>) -> bool {
    let is = |value: &Option<String>, code: &str| value.as_deref() == Some(code);
    match &rule.customers {
        CustomerMatch::All => true,
        CustomerMatch::Type(code) => is(&facts.customer_type, code),
        CustomerMatch::Group(code) => is(&facts.group, code),
        CustomerMatch::PriceGroup(code) => is(&facts.price_group, code),
        CustomerMatch::Customer(id) => facts.subject.customer.id.0 == *id,
        CustomerMatch::Segment(cond) => cond.matches(&facts.subject),
    }
}

/// The unit price one rule makes of `price`, unrounded and unclamped.
fn alone(rule: &Terms, price: Decimal) -> Result<Decimal, PricingError> {
    let result = match rule.action {
        PriceAction::FixedPrice(fixed) => Some(fixed),
        PriceAction::DiscountPercent(_) => price.checked_mul(rule.kept),
        PriceAction::DiscountAmount(amount) => price.checked_sub(amount),
    };
    result.ok_or_else(overflow)
}

fn overflow() -> PricingError {
    PricingError::from(E::AmountOverflow {
        field: "net_price".into(),
    })
}

impl<'p, 'a> Contest<'p, 'a> {
    fn new(pricer: &'p Pricer<'a>, line: &Line<'_>) -> Contest<'p, 'a> {
        Contest {
            pricer,
            list: line.list,
            units: line.units,
            best: None,
            best_blank: None,
            stacked: Vec::new(),
        }
    }

    /// Enters the rules of `index` for the line that `admit` lets in and
    /// that apply.
    fn enter_all(
        &mut self,
        index: &'a ItemIndex,
        line: &Line<'_>,
        admit: impl Fn(u32) -> bool,
    ) -> Result<(), PricingError> {
        for terms in index.candidates(line.slot, line.item) {
            if judge(terms, line).is_ok() && admit(terms.rule) {
                self.enter(terms)?;
            }
        }
        Ok(())
    }

    /// Enters a rule that applies to the line.
    fn enter(&mut self, terms: &'a Terms) -> Result<(), PricingError> {
        if terms.stackable {
            self.stacked.push(terms);
            return Ok(());
        }
        let mut offer = Offer {
            terms,
            net: clamp(alone(terms, self.list)?),
            rounded: None,
        };
        let (pricer, units) = (self.pricer, self.units);
        let on_price = pricer.book.strategy == Strategy::BestPrice;
        let slot = match (on_price, terms.currency) {
            (true, None) => &mut self.best_blank,
            _ => &mut self.best,
        };
        match slot {
            None => *slot = Some(offer),
            Some(current) => {
                if on_price {
                    offer.rounded = Some(pricer.round(offer.net, units));
                    if current.rounded.is_none() {
                        current.rounded = Some(pricer.round(current.net, units));
                    }
                }
                if pricer.compare(offer, *current) == Ordering::Less {
                    *current = offer;
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Outcome<'a>, PricingError> {
        let winner = self.best.or(self.best_blank);
        let net = match winner {
            _ if !self.stacked.is_empty() => {
                self.stacked.sort_unstable_by_key(|terms| terms.rule);
                let net = self.pricer.stack(winner, &self.stacked, self.list)?;
                self.pricer.round(clamp(net), self.units)
            }
            Some(Offer {
                rounded: Some(rounded),
                ..
            }) => rounded,
            Some(offer) => self.pricer.round(offer.net, self.units),
            None => self.pricer.round(self.list, self.units),
        };
        Ok(Outcome {
            winner,
            stacked: self.stacked,
            net,
        })
    }
}

/// A price never goes below zero.
fn clamp(price: Decimal) -> Decimal {
    if price.is_sign_negative() {
        Decimal::ZERO
    } else {
        price
    }
}
