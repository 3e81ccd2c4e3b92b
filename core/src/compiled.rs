//! A setup validated and compiled: look-up tables, compiled rule conditions
//! and, per target, the rules that set it. Validation collects every problem
//! before giving up, so a setup is fixed in one round.

use std::collections::HashMap;

use crate::classification::Target;
use crate::customer::fields::Codebook;
use crate::error::{Problems, SetupError, SetupProblemKind as P};
use crate::eu::EuTable;
use crate::expr::{self, Cond, Vocabulary};
use crate::fingerprint::Fingerprint;
use crate::limits;
use crate::pricing::book::PriceBook;
use crate::setup::{AttributeKind, Group, Setup};

#[derive(Debug)]
pub(crate) struct SlotInfo {
    pub(crate) label: String,
    /// code → inactive
    pub(crate) codes: HashMap<String, bool>,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) id: String,
    pub(crate) cond: Cond,
    pub(crate) overrides: bool,
}

/// Whether a code may be assigned to a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Defined and active.
    Active,
    /// Defined, but kept for history only.
    Inactive,
    /// A slot value for a slot the setup does not define.
    UndefinedSlot,
    /// Not defined.
    Unknown,
}

/// Type code → (inactive, default group).
pub(crate) type Types = HashMap<String, (bool, Option<String>)>;

/// The setup with its look-up tables and compiled rules.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) setup: Setup,
    /// The setup's fingerprint, which every result carries.
    pub(crate) fingerprint: Fingerprint,
    pub(crate) slots: [Option<SlotInfo>; 8],
    pub(crate) labels: HashMap<String, usize>,
    pub(crate) types: Types,
    pub(crate) groups: HashMap<String, usize>,
    /// price group code → inactive
    pub(crate) price_groups: HashMap<String, bool>,
    /// Payment terms by code: whether inactive.
    pub(crate) payment_terms: HashMap<String, bool>,
    pub(crate) attributes: HashMap<String, AttributeKind>,
    pub(crate) default_type: Option<String>,
    pub(crate) eu: EuTable,
    pub(crate) rules: Vec<CompiledRule>,
    /// Per target (by `Target::index`), the rules that set it, in order.
    pub(crate) by_target: [Vec<(usize, String)>; 11],
    pub(crate) prices: PriceBook,
}

impl Vocabulary for Compiled {
    fn slot_by_label(&self, label: &str) -> Option<usize> {
        self.labels.get(label).copied()
    }

    fn knows(&self, book: Codebook, code: &str) -> bool {
        self.inactive(book, code).is_some()
    }

    fn attribute(&self, name: &str) -> Option<AttributeKind> {
        self.attributes.get(name).copied()
    }
}

impl Setup {
    /// Checks the whole setup and reports every problem found.
    ///
    /// # Errors
    ///
    /// A [`SetupError`] listing each problem with its JSON path and code; see
    /// [`SetupProblemKind`](crate::SetupProblemKind) for the codes.
    pub fn validate(&self) -> Result<(), SetupError> {
        Compiled::build(self.clone()).map(|_| ())
    }
}

impl Compiled {
    /// Validates `setup` and compiles it; every problem is reported at once.
    pub(crate) fn build(setup: Setup) -> Result<Compiled, SetupError> {
        let mut problems = Problems::default();
        check_sizes(&setup, &mut problems);
        if !problems.is_empty() {
            // A setup over a size limit isn't validated further: that could
            // cost what the limit is there to refuse.
            return Err(problems.into_error());
        }

        check_eu_members(&setup, &mut problems);
        let (slots, labels) = compile_slots(&setup, &mut problems);
        let mut price_groups = HashMap::new();
        for (i, price_group) in setup.price_groups.iter().enumerate() {
            let path = format!("$.price_groups[{i}].code");
            let inactive = price_group.inactive;
            problems.code(&mut price_groups, path, &price_group.code, inactive);
        }
        let mut payment_terms = HashMap::new();
        for (i, terms) in setup.payment_terms.iter().enumerate() {
            let path = format!("$.payment_terms[{i}].code");
            problems.code(&mut payment_terms, path, &terms.code, terms.inactive);
        }
        let (mut types, default_type) = compile_types(&setup, &mut problems);

        let mut groups = HashMap::new();
        for (i, group) in setup.groups.iter().enumerate() {
            if !problems.code(&mut groups, format!("$.groups[{i}].code"), &group.code, i) {
                continue;
            }
            check_group(&mut problems, i, group, &mut types, &price_groups);
        }

        let mut attributes = HashMap::new();
        for (i, attribute) in setup.attributes.iter().enumerate() {
            let path = format!("$.attributes[{i}].name");
            problems.code(&mut attributes, path, &attribute.name, attribute.kind);
        }

        let mut compiled = Compiled {
            eu: EuTable::new(setup.eu_members.as_deref()),
            fingerprint: setup.fingerprint(),
            setup,
            slots,
            labels,
            types,
            groups,
            price_groups,
            payment_terms,
            attributes,
            default_type,
            rules: Vec::new(),
            by_target: Default::default(),
            prices: PriceBook::default(),
        };

        let setup = &compiled.setup;
        for (channel, code) in &setup.channel_groups {
            let path = format!("$.channel_groups.{channel}");
            compiled.check_assignable(&mut problems, path, Target::Group, code);
        }
        for (zone, code) in &setup.zone_groups {
            let path = format!("$.zone_groups.{zone}");
            compiled.check_assignable(&mut problems, path, Target::Group, code);
        }
        compiled.compile_rules(&mut problems);
        compiled.prices = PriceBook::build(&compiled.setup.pricing, &compiled, &mut problems);
        compiled.setup.erp.check(&compiled.setup, &mut problems);

        if problems.is_empty() {
            Ok(compiled)
        } else {
            Err(problems.into_error())
        }
    }

    fn compile_rules(&mut self, problems: &mut Problems) {
        let mut ids = HashMap::new();
        let mut rules = Vec::new();
        let mut by_target: [Vec<(usize, String)>; 11] = Default::default();
        for (i, rule) in self.setup.rules.iter().enumerate() {
            problems.code(&mut ids, format!("$.rules[{i}].id"), &rule.id, ());
            let cond = expr::compile(&rule.when, self).map_err(|error| {
                problems.add(format!("$.rules[{i}].when"), P::InvalidCondition { error });
            });
            if rule.set.is_empty() {
                problems.add(format!("$.rules[{i}].set"), P::EmptyRule);
            }
            for (key, value) in &rule.set {
                let path = format!("$.rules[{i}].set.{key}");
                let target = match key.strip_prefix("class.") {
                    Some(label) => self.labels.get(label).map(|slot| Target::Class(*slot)),
                    None => Target::parse(key),
                };
                let Some(target) = target else {
                    problems.add(
                        path,
                        P::UnknownTarget {
                            target: key.clone(),
                        },
                    );
                    continue;
                };
                // A rule whose condition failed is never registered, so the
                // indices below always name the rule that was compiled.
                if self.check_assignable(problems, path, target, value)
                    && cond.is_ok()
                    && let Some(list) = by_target.get_mut(target.index())
                {
                    list.push((rules.len(), value.clone()));
                }
            }
            if let Ok(cond) = cond {
                rules.push(CompiledRule {
                    id: rule.id.clone(),
                    cond,
                    overrides: rule.overrides,
                });
            }
        }
        self.rules = rules;
        self.by_target = by_target;
    }

    /// `Some(inactive)` when `code` is defined in `book`.
    pub(crate) fn inactive(&self, book: Codebook, code: &str) -> Option<bool> {
        match book {
            Codebook::Slot(slot) => {
                let info = self.slots.get(slot.wrapping_sub(1))?.as_ref()?;
                info.codes.get(code).copied()
            }
            Codebook::Type => self.types.get(code).map(|(inactive, _)| *inactive),
            Codebook::Group => {
                let index = self.groups.get(code)?;
                self.setup.groups.get(*index).map(|group| group.inactive)
            }
            Codebook::PriceGroup => self.price_groups.get(code).copied(),
        }
    }

    pub(crate) fn slot_defined(&self, slot: usize) -> bool {
        self.slots
            .get(slot.wrapping_sub(1))
            .is_some_and(Option::is_some)
    }

    /// Whether `code` may be given to `target`: the one judgement that both
    /// setup validation and customer checks turn into their own errors.
    pub(crate) fn standing(&self, target: Target, code: &str) -> Standing {
        match (self.inactive(target.codebook(), code), target) {
            (Some(false), _) => Standing::Active,
            (Some(true), _) => Standing::Inactive,
            (None, Target::Class(slot)) if !self.slot_defined(slot) => Standing::UndefinedSlot,
            (None, _) => Standing::Unknown,
        }
    }

    /// Reports a value that can't be assigned to `target`; true when it can.
    fn check_assignable(
        &self,
        problems: &mut Problems,
        path: String,
        target: Target,
        code: &str,
    ) -> bool {
        let value = code.to_owned();
        let kind = match (self.standing(target, code), target) {
            (Standing::Active, _) => return true,
            (Standing::Inactive, _) => P::InactiveValue { value },
            (Standing::UndefinedSlot, Target::Class(slot)) => P::UndefinedSlot { slot },
            (_, Target::Class(slot)) => P::UnknownSlotValue { slot, value },
            (_, Target::Type) => P::UnknownType { value },
            (_, Target::Group) => P::UnknownGroup { value },
            (_, Target::PriceGroup) => P::UnknownPriceGroup { value },
        };
        problems.add(path, kind);
        false
    }

    pub(crate) fn group(&self, code: &str) -> Option<&Group> {
        self.setup.groups.get(*self.groups.get(code)?)
    }
}

/// A group's references: its type (which must exist and be active for an
/// active group), its price group, and at most one default per type.
fn check_group(
    problems: &mut Problems,
    i: usize,
    group: &Group,
    types: &mut Types,
    price_groups: &HashMap<String, bool>,
) {
    match types.get_mut(&group.customer_type) {
        None => {
            let code = group.customer_type.clone();
            problems.add(
                format!("$.groups[{i}].type"),
                P::UnknownType { value: code },
            );
        }
        Some((type_inactive, default_group)) => {
            if *type_inactive && !group.inactive {
                let code = group.customer_type.clone();
                problems.add(
                    format!("$.groups[{i}].type"),
                    P::InactiveValue { value: code },
                );
            }
            if group.default && group.inactive {
                let code = group.code.clone();
                problems.add(
                    format!("$.groups[{i}].default"),
                    P::InactiveDefault { value: code },
                );
            } else if group.default {
                match default_group {
                    Some(first) => {
                        let kind = P::MultipleDefaultGroups {
                            customer_type: group.customer_type.clone(),
                            first: first.clone(),
                            second: group.code.clone(),
                        };
                        problems.add(format!("$.groups[{i}].default"), kind);
                    }
                    None => *default_group = Some(group.code.clone()),
                }
            }
        }
    }
    if let Some(code) = &group.price_group {
        match price_groups.get(code) {
            None => {
                let code = code.clone();
                problems.add(
                    format!("$.groups[{i}].price_group"),
                    P::UnknownPriceGroup { value: code },
                );
            }
            Some(true) if !group.inactive => {
                let code = code.clone();
                problems.add(
                    format!("$.groups[{i}].price_group"),
                    P::InactiveValue { value: code },
                );
            }
            Some(_) => {}
        }
    }
}

/// The size limits of [`crate::limits`] that a setup's lists are held to.
fn check_sizes(setup: &Setup, problems: &mut Problems) {
    let mut limit = |path: String, what: &str, count: usize, limit: usize| {
        if count > limit {
            let what = what.to_owned();
            problems.add(path, P::TooMany { what, count, limit });
        }
    };
    limit(
        "$.rules".into(),
        "rules",
        setup.rules.len(),
        limits::MAX_RULES,
    );
    for (i, slot) in setup.slots.iter().enumerate() {
        let count = slot.values.len();
        limit(
            format!("$.slots[{i}].values"),
            "values",
            count,
            limits::MAX_SLOT_VALUES,
        );
    }
    let (rules, groups) = (setup.pricing.rules.len(), setup.pricing.item_groups.len());
    limit(
        "$.pricing.rules".into(),
        "price rules",
        rules,
        limits::MAX_PRICE_RULES,
    );
    limit(
        "$.pricing.item_groups".into(),
        "item groups",
        groups,
        limits::MAX_ITEM_GROUPS,
    );
}

/// EU membership periods that end before they start.
fn check_eu_members(setup: &Setup, problems: &mut Problems) {
    for (i, member) in setup.eu_members.iter().flatten().enumerate() {
        if let Some(to) = member.to.filter(|to| *to < member.from) {
            let (from, to) = (member.from.to_string(), to.to_string());
            problems.add(
                format!("$.eu_members[{i}].to"),
                P::InvalidDateRange { from, to },
            );
        }
    }
}

/// The slots by number, with their values, and the slot numbers by label.
fn compile_slots(
    setup: &Setup,
    problems: &mut Problems,
) -> ([Option<SlotInfo>; 8], HashMap<String, usize>) {
    let mut slots: [Option<SlotInfo>; 8] = Default::default();
    let mut labels = HashMap::new();
    for (i, slot) in setup.slots.iter().enumerate() {
        let number = usize::from(slot.slot);
        let Some(place) = slots.get_mut(number.wrapping_sub(1)) else {
            problems.add(
                format!("$.slots[{i}].slot"),
                P::InvalidSlot { slot: slot.slot },
            );
            continue;
        };
        if place.is_some() {
            problems.add(
                format!("$.slots[{i}].slot"),
                P::DuplicateSlot { slot: slot.slot },
            );
            continue;
        }
        if crate::scalar::is_blank(&slot.label) {
            problems.add(format!("$.slots[{i}].label"), P::EmptyCode);
        } else if labels.insert(slot.label.clone(), number).is_some() {
            let label = slot.label.clone();
            problems.add(format!("$.slots[{i}].label"), P::DuplicateLabel { label });
        }
        let mut codes = HashMap::new();
        for (j, value) in slot.values.iter().enumerate() {
            let path = format!("$.slots[{i}].values[{j}].code");
            problems.code(&mut codes, path, &value.code, value.inactive);
        }
        *place = Some(SlotInfo {
            label: slot.label.clone(),
            codes,
        });
    }
    (slots, labels)
}

/// The types by code (inactive, and later their default group) and the
/// default type.
fn compile_types(setup: &Setup, problems: &mut Problems) -> (Types, Option<String>) {
    let mut types: Types = HashMap::new();
    let mut default_type: Option<String> = None;
    for (i, kind) in setup.types.iter().enumerate() {
        let path = format!("$.types[{i}].code");
        if !problems.code(&mut types, path, &kind.code, (kind.inactive, None)) || !kind.default {
            continue;
        }
        let path = format!("$.types[{i}].default");
        if kind.inactive {
            problems.add(
                path,
                P::InactiveDefault {
                    value: kind.code.clone(),
                },
            );
        } else if let Some(first) = &default_type {
            let (first, second) = (first.clone(), kind.code.clone());
            problems.add(path, P::MultipleDefaultTypes { first, second });
        } else {
            default_type = Some(kind.code.clone());
        }
    }
    (types, default_type)
}
