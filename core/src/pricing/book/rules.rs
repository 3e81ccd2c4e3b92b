//! One price rule of the setup checked and compiled for the book: its
//! customer and item scopes with their specificity, and its terms.

use rust_decimal::Decimal;

use super::{BookRule, CustomerMatch, ItemMatch, PriceBook, Terms};
use crate::classification::Target;
use crate::error::{Problems, SetupProblemKind as P};
use crate::expr::{self, Vocabulary};
use crate::pricing::quote::RuleId;
use crate::setup::{CustomerScope, ItemScope, PriceAction, PriceRule};

impl PriceBook {
    /// The rule as the book keeps it, or `None` with its problems in
    /// `problems`.
    pub(super) fn compile_rule(
        &mut self,
        path: &str,
        rule: &PriceRule,
        vocabulary: &dyn Vocabulary,
        problems: &mut Problems,
    ) -> Option<BookRule> {
        let before = problems.len();
        let (customers, customer_rank) = customer_scope(path, rule, vocabulary, problems);
        let (items, item_rank) = self.item_scope(path, rule, problems);
        check_terms(path, rule, problems);
        let customers = customers?;
        let index = self.rules.len() as u32;
        (problems.len() == before).then(|| BookRule {
            id: RuleId::new(&rule.id),
            description: rule.to_string().into(),
            customers,
            items,
            inactive: rule.inactive,
            terms: Terms {
                rule: index,
                id: RuleId::new(&rule.id),
                min_quantity: rule.min_quantity,
                max_quantity: rule.max_quantity,
                valid_from: rule.valid_from,
                valid_to: rule.valid_to,
                currency: rule.currency,
                action: rule.action,
                kept: match rule.action {
                    // A percentage outside 0 to 100 was refused.
                    PriceAction::DiscountPercent(percent) => Decimal::ONE_HUNDRED
                        .checked_sub(percent)
                        .and_then(|kept| kept.checked_div(Decimal::ONE_HUNDRED))
                        .unwrap_or_default(),
                    _ => Decimal::ONE,
                },
                priority: rule.priority,
                stackable: rule.stackable,
                specificity: (customer_rank, item_rank),
            },
        })
    }

    /// What a rule's item scope matches, and how specific it is: a deeper
    /// item group more than its parent, an item most of all.
    fn item_scope(
        &mut self,
        path: &str,
        rule: &PriceRule,
        problems: &mut Problems,
    ) -> (ItemMatch, u16) {
        match &rule.items {
            ItemScope::All => (ItemMatch::All, 0),
            ItemScope::ItemGroup(code) => match self.item_groups.get(code) {
                Some(&id) => {
                    let depth = self.chains.get(id as usize).map_or(1, Vec::len);
                    (
                        ItemMatch::Group(id),
                        u16::try_from(depth).unwrap_or(u16::MAX - 1),
                    )
                }
                None => {
                    problems.add(
                        format!("{path}.items.item_group"),
                        P::UnknownItemGroup {
                            value: code.clone(),
                        },
                    );
                    (ItemMatch::All, 0)
                }
            },
            ItemScope::Item(code) => {
                if crate::scalar::is_blank(code) {
                    problems.add(format!("{path}.items.item"), P::EmptyCode);
                }
                let next = self.items.len() as u32;
                let id = *self.items.entry(code.clone()).or_insert(next);
                (ItemMatch::Item(id), u16::MAX)
            }
        }
    }
}

/// What a rule's customer scope matches (`None` when its segment doesn't
/// compile), and how specific it is: one customer most of all.
fn customer_scope(
    path: &str,
    rule: &PriceRule,
    vocabulary: &dyn Vocabulary,
    problems: &mut Problems,
) -> (Option<CustomerMatch>, u8) {
    let known = |problems: &mut Problems, target: Target, key: &str, code: &str| {
        if !vocabulary.knows(target.codebook(), code) {
            let value = code.to_owned();
            let kind = match target {
                Target::Type => P::UnknownType { value },
                Target::Group => P::UnknownGroup { value },
                _ => P::UnknownPriceGroup { value },
            };
            problems.add(format!("{path}.customers.{key}"), kind);
        }
    };
    match &rule.customers {
        CustomerScope::All => (Some(CustomerMatch::All), 0),
        CustomerScope::Segment(text) => {
            let cond = expr::compile(text, vocabulary).map_err(|error| {
                problems.add(
                    format!("{path}.customers.segment"),
                    P::InvalidCondition { error },
                );
            });
            (cond.ok().map(CustomerMatch::Segment), 1)
        }
        CustomerScope::Type(code) => {
            known(problems, Target::Type, "type", code);
            (Some(CustomerMatch::Type(code.clone())), 2)
        }
        CustomerScope::Group(code) => {
            known(problems, Target::Group, "group", code);
            (Some(CustomerMatch::Group(code.clone())), 3)
        }
        CustomerScope::PriceGroup(code) => {
            known(problems, Target::PriceGroup, "price_group", code);
            (Some(CustomerMatch::PriceGroup(code.clone())), 4)
        }
        CustomerScope::Customer(id) => {
            if crate::scalar::is_blank(id) {
                problems.add(format!("{path}.customers.customer"), P::EmptyCode);
            }
            (Some(CustomerMatch::Customer(id.clone())), 5)
        }
    }
}

/// Checks a rule's quantities, dates and action.
fn check_terms(path: &str, rule: &PriceRule, problems: &mut Problems) {
    let negative = |problems: &mut Problems, field: &str, value: Option<Decimal>| {
        if let Some(value) = value.filter(Decimal::is_sign_negative) {
            let value = value.to_string();
            problems.add(format!("{path}.{field}"), P::NegativeValue { value });
        }
    };
    negative(problems, "min_quantity", rule.min_quantity);
    negative(problems, "max_quantity", rule.max_quantity);
    if let (Some(min), Some(max)) = (rule.min_quantity, rule.max_quantity)
        && min > max
    {
        let (min, max) = (min.to_string(), max.to_string());
        problems.add(
            format!("{path}.max_quantity"),
            P::InvalidQuantityRange { min, max },
        );
    }
    if let (Some(from), Some(to)) = (rule.valid_from, rule.valid_to)
        && from > to
    {
        let (from, to) = (from.to_string(), to.to_string());
        problems.add(format!("{path}.valid_to"), P::InvalidDateRange { from, to });
    }
    match rule.action {
        PriceAction::DiscountPercent(percent)
            if percent.is_sign_negative() || percent > Decimal::ONE_HUNDRED =>
        {
            let value = percent.to_string();
            problems.add(
                format!("{path}.action.discount_percent"),
                P::InvalidPercent { value },
            );
        }
        PriceAction::FixedPrice(price) => {
            negative(problems, "action.fixed_price", Some(price));
            if rule.stackable {
                problems.add(format!("{path}.stackable"), P::StackableFixedPrice);
            }
        }
        PriceAction::DiscountAmount(amount) => {
            negative(problems, "action.discount_amount", Some(amount));
        }
        PriceAction::DiscountPercent(_) => {}
    }
}
