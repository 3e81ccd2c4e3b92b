//! Pricing lines for one customer: which rules can apply, which one wins
//! under the setup's strategy, what stacks on top, and the rounded amounts.
//!
//! Two paths share every judgement: the fast one looks only at the rules
//! the index offers for the customer and the line's item group (remembered
//! per item group while the customer's lines are priced), the explaining one
//! judges every rule of the setup so the quote can list them all.

use std::cmp::{Ordering, Reverse};
use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};
use rustc_hash::FxHashMap;

use super::book::{BookRule, CustomerMatch, ItemIndex, ItemMatch, PriceBook, ScopeKey};
use super::quote::{Candidate, PriceRequest, Quote, Verdict};
use super::rules::{PriceAction, Rounding, Stacking, Strategy};
use crate::error::PricingError;
use crate::error::PricingErrorKind as E;
use crate::expr::Subject;

/// What pricing needs to know about a customer, as classified for the day.
#[derive(Debug)]
pub(crate) struct Facts<'a> {
    pub(crate) subject: Subject<'a>,
    pub(crate) customer_type: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) price_group: Option<String>,
}

/// A customer's view of the price book, with the candidates per item group
/// remembered as lines come in.
#[derive(Debug)]
pub(crate) struct Pricer<'a> {
    book: &'a PriceBook,
    facts: Facts<'a>,
    /// The buckets whose customer scope this customer is in (segments
    /// aside).
    scopes: Vec<&'a ItemIndex>,
    segments: Option<&'a ItemIndex>,
    /// Segment verdicts per rule, filled on first use.
    in_segment: FxHashMap<u32, bool>,
    /// Item group (or none) → candidate rules for items without rules of
    /// their own.
    by_group: FxHashMap<Option<u32>, Vec<u32>>,
    scratch: Vec<u32>,
}

/// The line's checked inputs.
struct Line<'r> {
    request: &'r PriceRequest,
    chain: &'r [u32],
    item: Option<u32>,
    units: u32,
}

/// What a rule that applies would do alone.
#[derive(Debug, Clone, Copy)]
struct Offer {
    rule: u32,
    /// Net unit price of this rule alone, rounded.
    net: Decimal,
}

/// The outcome of the competition and stacking.
struct Outcome {
    winner: Option<Offer>,
    stacked: Vec<u32>,
    net: Decimal,
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
        Pricer {
            book,
            scopes,
            segments: book.scopes.get(&ScopeKey::Segment),
            facts,
            in_segment: FxHashMap::default(),
            by_group: FxHashMap::default(),
            scratch: Vec::new(),
        }
    }

    /// Prices one line; with `explain`, judges every rule of the setup.
    pub(crate) fn quote(
        &mut self,
        request: &PriceRequest,
        explain: bool,
    ) -> Result<Quote, PricingError> {
        let line = self.line(request)?;
        let outcome = if explain {
            let applicable = self.all_applicable(&line);
            self.settle(&line, applicable.into_iter())?
        } else {
            let mut candidates = std::mem::take(&mut self.scratch);
            self.candidates(&line, &mut candidates);
            let applicable = candidates
                .iter()
                .copied()
                .filter(|&i| self.rule(i).is_some_and(|rule| judge(rule, &line).is_ok()));
            let outcome = self.settle(&line, applicable);
            self.scratch = candidates;
            outcome?
        };
        let explanation = explain.then(|| self.explain(&line, &outcome));
        self.finish(&line, outcome, explanation)
    }

    fn rule(&self, index: u32) -> Option<&'a BookRule> {
        self.book.rules.get(index as usize)
    }

    fn line<'r>(&self, request: &'r PriceRequest) -> Result<Line<'r>, PricingError>
    where
        'a: 'r,
    {
        if request.quantity <= Decimal::ZERO {
            let quantity = request.quantity.to_string();
            return Err(E::InvalidQuantity { quantity }.into());
        }
        if request.list_price.is_sign_negative() && !request.list_price.is_zero() {
            let list_price = request.list_price.to_string();
            return Err(E::NegativeListPrice { list_price }.into());
        }
        let chain: &'r [u32] = match &request.item_group {
            None => &[],
            Some(code) => {
                let id = self.book.item_groups.get(code).ok_or_else(|| {
                    PricingError::from(E::UnknownItemGroup {
                        value: code.clone(),
                    })
                })?;
                self.book
                    .chains
                    .get(*id as usize)
                    .map_or(&[], Vec::as_slice)
            }
        };
        Ok(Line {
            request,
            chain,
            item: self.book.items.get(&request.item).copied(),
            units: request.currency.minor_units(),
        })
    }

    /// The active rules whose customer and item scope hold, from the index.
    fn candidates(&mut self, line: &Line<'_>, out: &mut Vec<u32>) {
        out.clear();
        let group = line.chain.first().copied();
        if !self.by_group.contains_key(&group) {
            let mut found = Vec::new();
            for index in &self.scopes {
                found.extend_from_slice(&index.all);
                for id in line.chain {
                    found.extend(index.groups.get(id).into_iter().flatten());
                }
            }
            if let Some(index) = self.segments {
                let mut from_segments: Vec<u32> = index.all.clone();
                for id in line.chain {
                    from_segments.extend(index.groups.get(id).into_iter().flatten());
                }
                from_segments.retain(|&i| self.in_segment(i));
                found.extend(from_segments);
            }
            self.by_group.insert(group, found);
        }
        out.extend(self.by_group.get(&group).into_iter().flatten());
        if let Some(item) = line.item {
            for index in &self.scopes {
                out.extend(index.items.get(&item).into_iter().flatten());
            }
            if let Some(index) = self.segments {
                let rules: Vec<u32> = index.items.get(&item).cloned().unwrap_or_default();
                out.extend(rules.into_iter().filter(|&i| self.in_segment(i)));
            }
        }
    }

    fn in_segment(&mut self, index: u32) -> bool {
        let Some(rule) = self.book.rules.get(index as usize) else {
            return false;
        };
        let facts = &self.facts;
        *self
            .in_segment
            .entry(index)
            .or_insert_with(|| customer_in_scope(rule, facts))
    }

    /// Every rule judged in full, for the explanation: the applicable ones
    /// with their index, in declaration order.
    fn all_applicable(&self, line: &Line<'_>) -> Vec<u32> {
        (0..self.book.rules.len() as u32)
            .filter(|&i| {
                self.rule(i)
                    .is_some_and(|rule| self.skip(rule, line).is_none())
            })
            .collect()
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
        judge(rule, line).err()
    }

    /// Runs the competition among `applicable` rules and stacks the
    /// stackable ones.
    fn settle(
        &self,
        line: &Line<'_>,
        applicable: impl Iterator<Item = u32>,
    ) -> Result<Outcome, PricingError> {
        let list = line.request.list_price;
        let mut best: Option<Offer> = None;
        let mut best_blank: Option<Offer> = None;
        let mut stacked = Vec::new();
        for i in applicable {
            let Some(rule) = self.rule(i) else { continue };
            if rule.stackable {
                stacked.push(i);
                continue;
            }
            let offer = Offer {
                rule: i,
                net: self.round(clamp(alone(rule.action, list)?), line.units),
            };
            let slot = match (self.book.strategy, rule.currency) {
                (Strategy::BestPrice, None) => &mut best_blank,
                _ => &mut best,
            };
            if slot.is_none_or(|current| self.beats(offer, current)) {
                *slot = Some(offer);
            }
        }
        let winner = best.or(best_blank);
        stacked.sort_unstable();
        let mut net = match winner.and_then(|offer| self.rule(offer.rule)) {
            Some(rule) => alone(rule.action, list)?,
            None => list,
        };
        if !stacked.is_empty() {
            net = self.stack(winner, &stacked, list)?;
        }
        Ok(Outcome {
            winner,
            stacked,
            net: self.round(clamp(net), line.units),
        })
    }

    /// Whether `a` wins over `b` under the strategy.
    fn beats(&self, a: Offer, b: Offer) -> bool {
        self.compare(a, b) == Ordering::Less
    }

    /// The strategy's order: the winner sorts first.
    fn compare(&self, a: Offer, b: Offer) -> Ordering {
        let (Some(x), Some(y)) = (self.rule(a.rule), self.rule(b.rule)) else {
            return Ordering::Equal;
        };
        match self.book.strategy {
            Strategy::BestPrice => a
                .net
                .cmp(&b.net)
                .then(Reverse(x.specificity).cmp(&Reverse(y.specificity)))
                .then(a.rule.cmp(&b.rule)),
            Strategy::Priority => Reverse(x.priority)
                .cmp(&Reverse(y.priority))
                .then(Reverse(x.specificity).cmp(&Reverse(y.specificity)))
                .then(a.rule.cmp(&b.rule)),
            Strategy::FirstMatch => a.rule.cmp(&b.rule),
        }
    }

    /// The winner's price with the stackable discounts applied, unrounded.
    fn stack(
        &self,
        winner: Option<Offer>,
        stacked: &[u32],
        list: Decimal,
    ) -> Result<Decimal, PricingError> {
        let overflow = || {
            PricingError::from(E::AmountOverflow {
                field: "net_price".into(),
            })
        };
        let mut actions = winner
            .into_iter()
            .map(|offer| offer.rule)
            .chain(stacked.iter().copied())
            .filter_map(|i| self.rule(i).map(|rule| rule.action));
        match self.book.stacking {
            Stacking::Compounded => actions.try_fold(list, |price, action| alone(action, price)),
            Stacking::Additive => {
                let (mut start, mut percent, mut amount) = (list, Decimal::ZERO, Decimal::ZERO);
                for action in actions {
                    match action {
                        PriceAction::FixedPrice(price) => start = price,
                        PriceAction::DiscountPercent(p) => {
                            percent = percent.checked_add(p).ok_or_else(overflow)?;
                        }
                        PriceAction::DiscountAmount(a) => {
                            amount = amount.checked_add(a).ok_or_else(overflow)?;
                        }
                    }
                }
                let kept = (Decimal::ONE_HUNDRED - percent.min(Decimal::ONE_HUNDRED))
                    / Decimal::ONE_HUNDRED;
                start
                    .checked_mul(kept)
                    .and_then(|price| price.checked_sub(amount))
                    .ok_or_else(overflow)
            }
        }
    }

    fn round(&self, amount: Decimal, units: u32) -> Decimal {
        let strategy = match self.book.rounding {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        let mut rounded = amount.round_dp_with_strategy(units, strategy);
        // Money shows all its minor units: 80.00, not 80.
        rounded.rescale(units);
        rounded
    }

    /// Every rule of the setup with its verdict, in declaration order.
    fn explain(&self, line: &Line<'_>, outcome: &Outcome) -> Vec<Candidate> {
        let list = line.request.list_price;
        let winner = outcome
            .winner
            .and_then(|offer| Some((offer, self.rule(offer.rule)?)));
        self.book
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let verdict = self.skip(rule, line).unwrap_or_else(|| {
                    let net = alone(rule.action, list)
                        .map(|net| self.round(clamp(net), line.units))
                        .unwrap_or_default();
                    let i = i as u32;
                    match winner {
                        _ if rule.stackable => Verdict::Stacked { net_price: net },
                        Some((offer, _)) if offer.rule == i => Verdict::Applied { net_price: net },
                        Some((offer, best)) => self.lost(Offer { rule: i, net }, rule, offer, best),
                        // Unreachable: an applicable non-stackable rule
                        // means there is a winner.
                        None => Verdict::Applied { net_price: net },
                    }
                });
                Candidate {
                    rule: rule.id.clone(),
                    verdict,
                }
            })
            .collect()
    }

    /// Why an applicable rule lost to the winner.
    fn lost(&self, offer: Offer, rule: &BookRule, win: Offer, best: &BookRule) -> Verdict {
        let (net_price, winner) = (offer.net, best.id.clone());
        match self.book.strategy {
            Strategy::BestPrice if rule.currency.is_none() && best.currency.is_some() => {
                Verdict::BlankCurrency { net_price, winner }
            }
            Strategy::BestPrice if offer.net > win.net => {
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
        outcome: Outcome,
        explanation: Option<Vec<Candidate>>,
    ) -> Result<Quote, PricingError> {
        let request = line.request;
        let list = request.list_price;
        let net = outcome.net;
        let line_total = net
            .checked_mul(request.quantity)
            .map(|total| self.round(total, line.units))
            .ok_or_else(|| {
                PricingError::from(E::AmountOverflow {
                    field: "line_total".into(),
                })
            })?;
        let discount_amount = list - net;
        let discount_percent = if list.is_zero() {
            Decimal::ZERO
        } else {
            discount_amount
                .checked_div(list)
                .and_then(|ratio| ratio.checked_mul(Decimal::ONE_HUNDRED))
                .ok_or_else(|| {
                    PricingError::from(E::AmountOverflow {
                        field: "discount_percent".into(),
                    })
                })?
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        };
        let mut discount_percent = discount_percent;
        discount_percent.rescale(2);
        let id = |i: u32| self.rule(i).map(|rule| Arc::clone(&rule.id));
        Ok(Quote {
            list_price: list,
            net_price: net,
            discount_amount,
            discount_percent,
            quantity: request.quantity,
            line_total,
            currency: request.currency,
            rule: outcome.winner.and_then(|offer| id(offer.rule)),
            stacked: outcome.stacked.iter().filter_map(|&i| id(i)).collect(),
            explanation,
        })
    }
}

/// Why a rule in scope does not apply to the line: currency, dates,
/// quantity; `Ok` when it applies.
fn judge(rule: &BookRule, line: &Line<'_>) -> Result<(), Verdict> {
    let request = line.request;
    if let Some(currency) = rule.currency
        && currency != request.currency
    {
        return Err(Verdict::CurrencyMismatch { currency });
    }
    let day = request.date;
    if rule.valid_from.is_some_and(|from| day < from) || rule.valid_to.is_some_and(|to| day > to) {
        return Err(Verdict::OutsideDates {
            valid_from: rule.valid_from,
            valid_to: rule.valid_to,
        });
    }
    if let Some(min) = rule.min_quantity
        && request.quantity < min
    {
        return Err(Verdict::BelowMinQuantity {
            min_quantity: min,
            buy_more: min - request.quantity,
        });
    }
    if let Some(max) = rule.max_quantity
        && request.quantity > max
    {
        return Err(Verdict::AboveMaxQuantity { max_quantity: max });
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

/// The unit price one action makes of `price`, unrounded and unclamped.
fn alone(action: PriceAction, price: Decimal) -> Result<Decimal, PricingError> {
    let result = match action {
        PriceAction::FixedPrice(fixed) => Some(fixed),
        PriceAction::DiscountPercent(percent) => price
            .checked_mul(Decimal::ONE_HUNDRED - percent)
            .and_then(|scaled| scaled.checked_div(Decimal::ONE_HUNDRED)),
        PriceAction::DiscountAmount(amount) => price.checked_sub(amount),
    };
    result.ok_or_else(|| {
        PricingError::from(E::AmountOverflow {
            field: "net_price".into(),
        })
    })
}

/// A price never goes below zero.
fn clamp(price: Decimal) -> Decimal {
    price.max(Decimal::ZERO)
}
