//! The engine: a validated setup compiled once, answering questions about
//! customers — which labels, group, price group and accounts they get, and why.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::customer::{AttrValue, Customer, CustomerId, VatZone, parse_decimal, slot_number};
use crate::error::{CustomerError, ExprError, SetupError, SetupProblem, SetupProblemKind as P};
use crate::eu::EuTable;
use crate::expr::{self, Codebook, Cond, Subject, Vocabulary};
use crate::setup::{AttributeKind, Group, Setup};

/// What an auto-labelling rule can set: a slot, the type, the group or the
/// price group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Classification slot 1..=8.
    Class(usize),
    /// The customer type.
    Type,
    /// The customer group.
    Group,
    /// The price group.
    PriceGroup,
}

impl Target {
    /// Every target, in the order results list them.
    pub const ALL: [Target; 11] = [
        Target::Class(1),
        Target::Class(2),
        Target::Class(3),
        Target::Class(4),
        Target::Class(5),
        Target::Class(6),
        Target::Class(7),
        Target::Class(8),
        Target::Type,
        Target::Group,
        Target::PriceGroup,
    ];

    /// Reads `class3`, `type`, `group` or `price_group`.
    pub fn parse(name: &str) -> Option<Target> {
        match name {
            "type" => Some(Target::Type),
            "group" => Some(Target::Group),
            "price_group" => Some(Target::PriceGroup),
            _ => slot_number(name).map(Target::Class),
        }
    }

    fn index(self) -> usize {
        match self {
            Target::Class(slot) => slot.saturating_sub(1).min(7),
            Target::Type => 8,
            Target::Group => 9,
            Target::PriceGroup => 10,
        }
    }

    fn stored(self, customer: &Customer) -> Option<&str> {
        match self {
            Target::Class(slot) => customer.classes.get(slot),
            Target::Type => customer.customer_type.as_deref(),
            Target::Group => customer.group.as_deref(),
            Target::PriceGroup => customer.price_group.as_deref(),
        }
    }

    fn codebook(self) -> Codebook {
        match self {
            Target::Class(slot) => Codebook::Slot(slot),
            Target::Type => Codebook::Type,
            Target::Group => Codebook::Group,
            Target::PriceGroup => Codebook::PriceGroup,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Class(slot) => write!(f, "class{slot}"),
            Target::Type => f.write_str("type"),
            Target::Group => f.write_str("group"),
            Target::PriceGroup => f.write_str("price_group"),
        }
    }
}

/// Why a value was assigned: the provenance every result carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// Set by hand on the customer.
    Manual,
    /// Decided by the auto-labelling rule with this id.
    Rule {
        /// The rule's id.
        rule: String,
    },
    /// The setup's group for the customer's channel.
    ChannelDefault {
        /// The channel.
        channel: String,
    },
    /// The setup's group for the customer's VAT zone.
    ZoneDefault {
        /// The zone.
        zone: VatZone,
    },
    /// The default group of the customer's type.
    TypeDefault {
        /// The type.
        #[serde(rename = "type")]
        customer_type: String,
    },
    /// The setup's default (type, account or layout).
    SetupDefault,
    /// Follows from the customer's group (its type, price group, accounts,
    /// layout).
    Group {
        /// The group.
        group: String,
    },
    /// Derived from the billing country (VAT zone).
    Country {
        /// The country.
        country: String,
    },
    /// Derived from the presence of a VAT number (B2B).
    VatNumber,
}

impl fmt::Display for Source {
    /// The compact form used in CSV provenance columns: `rule:web-eu`,
    /// `group:EU`, `manual`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Manual => f.write_str("manual"),
            Source::Rule { rule } => write!(f, "rule:{rule}"),
            Source::ChannelDefault { channel } => write!(f, "channel_default:{channel}"),
            Source::ZoneDefault { zone } => write!(f, "zone_default:{zone}"),
            Source::TypeDefault { customer_type } => write!(f, "type_default:{customer_type}"),
            Source::SetupDefault => f.write_str("setup_default"),
            Source::Group { group } => write!(f, "group:{group}"),
            Source::Country { country } => write!(f, "country:{country}"),
            Source::VatNumber => f.write_str("vat_number"),
        }
    }
}

/// A value with the reason it was assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assigned<T = String> {
    /// The value.
    pub value: T,
    /// Why.
    pub source: Source,
}

fn assigned<T>(value: T, source: Source) -> Option<Assigned<T>> {
    Some(Assigned { value, source })
}

/// The eight slots of a classification, written as `{"class1": …}` with only
/// the slots that have a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignedClasses(pub [Option<Assigned>; 8]);

impl AssignedClasses {
    /// Slot `slot` (1..=8).
    pub fn get(&self, slot: usize) -> Option<&Assigned> {
        self.0.get(slot.wrapping_sub(1))?.as_ref()
    }
}

impl Serialize for AssignedClasses {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present = self.0.iter().filter(|slot| slot.is_some()).count();
        let mut map = serializer.serialize_map(Some(present))?;
        for (slot, value) in (1..=8).zip(&self.0) {
            if let Some(value) = value {
                map.serialize_entry(&format!("class{slot}"), value)?;
            }
        }
        map.end()
    }
}

/// Everything the engine decided about one customer, each value with its
/// provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The customer's id.
    pub customer: CustomerId,
    /// Slot values.
    pub classes: AssignedClasses,
    /// Customer type.
    #[serde(rename = "type")]
    pub customer_type: Option<Assigned>,
    /// Customer group.
    pub group: Option<Assigned>,
    /// Price group: the customer's own or its group's.
    pub price_group: Option<Assigned>,
    /// VAT zone.
    pub vat_zone: Option<Assigned<VatZone>>,
    /// B2B (has a VAT number) or B2C.
    pub b2b: Assigned<bool>,
    /// Receivables (debtor control) account.
    pub receivables_account: Option<Assigned>,
    /// Revenue account.
    pub revenue_account: Option<Assigned>,
    /// Document layout.
    pub layout: Option<Assigned>,
}

impl Classification {
    /// The value assigned to `target`.
    pub fn get(&self, target: Target) -> Option<&Assigned> {
        match target {
            Target::Class(slot) => self.classes.get(slot),
            Target::Type => self.customer_type.as_ref(),
            Target::Group => self.group.as_ref(),
            Target::PriceGroup => self.price_group.as_ref(),
        }
    }

    /// The value that belongs on the customer record for `target`. A price
    /// group that merely follows from the group is not stored: it changes
    /// with the group.
    pub fn stored(&self, target: Target) -> Option<&Assigned> {
        self.get(target).filter(|value| {
            target != Target::PriceGroup || !matches!(value.source, Source::Group { .. })
        })
    }

    /// The customer with the assigned slots, type, group and price group
    /// written onto it.
    pub fn apply(&self, customer: &Customer) -> Customer {
        let mut out = customer.clone();
        for target in Target::ALL {
            let value = self.stored(target).map(|assigned| assigned.value.clone());
            match target {
                Target::Class(slot) => out.classes.set(slot, value),
                Target::Type => out.customer_type = value,
                Target::Group => out.group = value,
                Target::PriceGroup => out.price_group = value,
            }
        }
        out
    }
}

/// One value a re-classification would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `class2`, `type`, `group` or `price_group`.
    pub target: String,
    /// The value stored now.
    pub from: Option<String>,
    /// The value it would get.
    pub to: Option<String>,
    /// Why it would get it.
    pub source: Option<Source>,
}

/// What re-running the rules would change on a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reclassification {
    /// The customer's id.
    pub customer: CustomerId,
    /// The values that would change, in target order; empty when none.
    pub changes: Vec<Change>,
    /// The full new classification.
    pub classification: Classification,
}

/// A validated, compiled setup. Cheap to clone and share across threads.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, Setup};
///
/// let setup = Setup::from_json(r#"{
///     "home_country": "NL",
///     "types": [{"code": "PRIVATE", "default": true}],
///     "groups": [
///         {"code": "WEBSHOP", "type": "PRIVATE", "receivables_account": "1130"},
///         {"code": "STANDARD", "type": "PRIVATE", "receivables_account": "1100", "default": true}
///     ],
///     "slots": [{"slot": 1, "label": "Region", "values": [{"code": "BENELUX"}]}],
///     "channel_groups": {"webshop": "WEBSHOP"},
///     "rules": [{"id": "benelux", "when": "country in ('NL', 'BE', 'LU')", "set": {"class.Region": "BENELUX"}}]
/// }"#)?;
/// let engine = Engine::new(setup)?;
/// let customer: Customer = serde_json::from_str(
///     r#"{"id": "10001", "billing_address": {"country": "BE"}, "channel": "webshop"}"#,
/// )?;
/// let result = engine.classify(&customer)?;
/// assert_eq!(result.classes.get(1).unwrap().value, "BENELUX");
/// assert_eq!(result.group.unwrap().value, "WEBSHOP");
/// assert_eq!(result.receivables_account.unwrap().value, "1130");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    compiled: Arc<Compiled>,
}

#[derive(Debug)]
struct SlotInfo {
    label: String,
    /// code → inactive
    codes: HashMap<String, bool>,
}

#[derive(Debug)]
struct CompiledRule {
    id: String,
    cond: Cond,
    overrides: bool,
}

/// The setup with its look-up tables and compiled rules.
#[derive(Debug)]
pub(crate) struct Compiled {
    setup: Setup,
    slots: [Option<SlotInfo>; 8],
    labels: HashMap<String, usize>,
    /// type code → (inactive, default group)
    types: HashMap<String, (bool, Option<String>)>,
    groups: HashMap<String, usize>,
    /// price group code → inactive
    price_groups: HashMap<String, bool>,
    attributes: HashMap<String, AttributeKind>,
    default_type: Option<String>,
    eu: EuTable,
    rules: Vec<CompiledRule>,
    /// Per target (by `Target::index`), the rules that set it, in order.
    by_target: [Vec<(usize, String)>; 11],
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

/// Collects setup problems in document order.
#[derive(Default)]
struct Problems(Vec<SetupProblem>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, kind: P) {
        self.0.push(SetupProblem::new(path, kind));
    }

    /// Registers `code` at `path`, reporting blanks and duplicates; returns
    /// whether it is new.
    fn code<V>(
        &mut self,
        seen: &mut HashMap<String, V>,
        path: String,
        code: &str,
        value: V,
    ) -> bool {
        if code.trim().is_empty() {
            self.add(path, P::EmptyCode);
            false
        } else if seen.contains_key(code) {
            self.add(
                path,
                P::DuplicateCode {
                    value: code.to_owned(),
                },
            );
            false
        } else {
            seen.insert(code.to_owned(), value);
            true
        }
    }
}

impl Compiled {
    /// Validates `setup` and compiles it; every problem is reported at once.
    pub(crate) fn build(setup: &Setup) -> Result<Compiled, SetupError> {
        let mut problems = Problems::default();

        for (i, member) in setup.eu_members.iter().flatten().enumerate() {
            if let Some(to) = member.to.filter(|to| *to < member.from) {
                let (from, to) = (member.from.to_string(), to.to_string());
                problems.add(
                    format!("$.eu_members[{i}].to"),
                    P::InvalidDateRange { from, to },
                );
            }
        }

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
            if slot.label.trim().is_empty() {
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

        let mut price_groups = HashMap::new();
        for (i, price_group) in setup.price_groups.iter().enumerate() {
            let path = format!("$.price_groups[{i}].code");
            problems.code(
                &mut price_groups,
                path,
                &price_group.code,
                price_group.inactive,
            );
        }

        let mut types: HashMap<String, (bool, Option<String>)> = HashMap::new();
        let mut default_type: Option<String> = None;
        for (i, kind) in setup.types.iter().enumerate() {
            let path = format!("$.types[{i}].code");
            if !problems.code(&mut types, path, &kind.code, (kind.inactive, None)) || !kind.default
            {
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
            setup: setup.clone(),
            slots,
            labels,
            types,
            groups,
            price_groups,
            attributes,
            default_type,
            eu: EuTable::new(setup.eu_members.as_deref()),
            rules: Vec::new(),
            by_target: Default::default(),
        };

        for (channel, code) in &setup.channel_groups {
            let path = format!("$.channel_groups.{channel}");
            compiled.check_assignable(&mut problems, path, Target::Group, code);
        }
        for (zone, code) in &setup.zone_groups {
            let path = format!("$.zone_groups.{zone}");
            compiled.check_assignable(&mut problems, path, Target::Group, code);
        }
        compiled.compile_rules(&mut problems);

        if problems.0.is_empty() {
            Ok(compiled)
        } else {
            Err(SetupError::new(problems.0))
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
                if self.check_assignable(problems, path, target, value) {
                    if let Some(list) = by_target.get_mut(target.index()) {
                        list.push((rules.len(), value.clone()));
                    }
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
    fn inactive(&self, book: Codebook, code: &str) -> Option<bool> {
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

    fn slot_defined(&self, slot: usize) -> bool {
        self.slots
            .get(slot.wrapping_sub(1))
            .is_some_and(Option::is_some)
    }

    /// Reports a value that can't be assigned to `target`; true when it can.
    fn check_assignable(
        &self,
        problems: &mut Problems,
        path: String,
        target: Target,
        code: &str,
    ) -> bool {
        let kind = match (target, self.inactive(target.codebook(), code)) {
            (_, Some(false)) => return true,
            (_, Some(true)) => P::InactiveValue {
                value: code.to_owned(),
            },
            (Target::Class(slot), None) if !self.slot_defined(slot) => P::UndefinedSlot { slot },
            (Target::Class(slot), None) => P::UnknownSlotValue {
                slot,
                value: code.to_owned(),
            },
            (Target::Type, None) => P::UnknownType {
                value: code.to_owned(),
            },
            (Target::Group, None) => P::UnknownGroup {
                value: code.to_owned(),
            },
            (Target::PriceGroup, None) => P::UnknownPriceGroup {
                value: code.to_owned(),
            },
        };
        problems.add(path, kind);
        false
    }

    fn group(&self, code: &str) -> Option<&Group> {
        self.setup.groups.get(*self.groups.get(code)?)
    }
}

/// A group's references: its type (which must exist and be active for an
/// active group), its price group, and at most one default per type.
fn check_group(
    problems: &mut Problems,
    i: usize,
    group: &Group,
    types: &mut HashMap<String, (bool, Option<String>)>,
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

/// How strictly the values on a customer are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A new customer: every value on it is set by hand and must be active.
    New,
    /// An existing customer: only the targets in `manual` are by hand, and
    /// inactive values are history, not errors.
    Existing,
}

impl Engine {
    /// Validates and compiles a setup.
    ///
    /// # Errors
    ///
    /// A [`SetupError`] listing every problem in the setup.
    pub fn new(setup: Setup) -> Result<Engine, SetupError> {
        let compiled = Compiled::build(&setup)?;
        Ok(Engine {
            compiled: Arc::new(compiled),
        })
    }

    /// The setup this engine was built from.
    pub fn setup(&self) -> &Setup {
        &self.compiled.setup
    }

    /// The label of slot `slot` (1..=8), if the setup defines it.
    pub fn slot_label(&self, slot: usize) -> Option<&str> {
        let info = self.compiled.slots.get(slot.wrapping_sub(1))?.as_ref()?;
        Some(&info.label)
    }

    /// Classifies a new customer, judging date-dependent facts (EU
    /// membership) as of its `created_at` day, or by current membership when
    /// it has none.
    ///
    /// # Errors
    ///
    /// A [`CustomerError`] when a value on the customer is unknown to the
    /// setup or inactive (`unknown_slot_value`, `undefined_slot`,
    /// `unknown_type`, `unknown_group`, `unknown_price_group`,
    /// `inactive_value`), a numeric attribute is not a number
    /// (`invalid_attribute`), or the group does not belong to the type
    /// (`group_type_mismatch`).
    pub fn classify(&self, customer: &Customer) -> Result<Classification, CustomerError> {
        self.run(customer, customer.created_at, Mode::New)
    }

    /// Classifies a new customer as of `day`.
    ///
    /// # Errors
    ///
    /// As [`Engine::classify`].
    pub fn classify_on(
        &self,
        customer: &Customer,
        day: Date,
    ) -> Result<Classification, CustomerError> {
        self.run(customer, Some(day), Mode::New)
    }

    /// Re-runs the rules on an existing customer, as of current EU
    /// membership, and lists what would change.
    ///
    /// Targets named in `customer.manual` keep their value unless an
    /// `override` rule applies; every other stored value is recomputed.
    /// Inactive values already on the customer are accepted as history.
    ///
    /// # Errors
    ///
    /// As [`Engine::classify`], plus `unknown_target` for a bad `manual`
    /// entry; inactive values are not errors here.
    pub fn reclassify(&self, customer: &Customer) -> Result<Reclassification, CustomerError> {
        let classification = self.run(customer, None, Mode::Existing)?;
        let changes = Target::ALL
            .into_iter()
            .filter_map(|target| {
                let new = classification.stored(target);
                let old = target.stored(customer);
                (old != new.map(|a| a.value.as_str())).then(|| Change {
                    target: target.to_string(),
                    from: old.map(str::to_owned),
                    to: new.map(|a| a.value.clone()),
                    source: new.map(|a| a.source.clone()),
                })
            })
            .collect();
        Ok(Reclassification {
            customer: customer.id.clone(),
            changes,
            classification,
        })
    }

    /// Compiles a segment query (the same language as rule conditions).
    ///
    /// # Errors
    ///
    /// An [`ExprError`] with the byte offset of the problem.
    pub fn segment(&self, expression: &str) -> Result<Segment, ExprError> {
        let cond = expr::compile(expression, self.compiled.as_ref())?;
        Ok(Segment {
            engine: self.clone(),
            cond,
            expression: expression.to_owned(),
        })
    }

    fn subject<'a>(
        &self,
        customer: &'a Customer,
        day: Option<Date>,
    ) -> Result<Subject<'a>, CustomerError> {
        self.check_attributes(customer)?;
        let home = &self.compiled.setup.home_country;
        let zone = customer.vat_zone.or_else(|| {
            let country = customer.country()?;
            Some(self.compiled.eu.zone(home, country, day))
        });
        Ok(Subject { customer, zone })
    }

    fn check_attributes(&self, customer: &Customer) -> Result<(), CustomerError> {
        for (name, value) in &customer.attributes {
            if let (Some(AttributeKind::Number), AttrValue::Text(text)) =
                (self.compiled.attributes.get(name), value)
            {
                if parse_decimal(text).is_none() {
                    return Err(CustomerError::InvalidAttribute {
                        field: format!("attr.{name}"),
                        value: text.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Reads the values on the customer that count as set by hand.
    fn manual_values(
        &self,
        customer: &Customer,
        mode: Mode,
    ) -> Result<[Option<String>; 11], CustomerError> {
        let mut by_hand: [bool; 11] = [mode == Mode::New; 11];
        if mode == Mode::Existing {
            for entry in &customer.manual {
                let target = Target::parse(entry).ok_or_else(|| CustomerError::UnknownTarget {
                    target: entry.clone(),
                })?;
                if let Some(flag) = by_hand.get_mut(target.index()) {
                    *flag = true;
                }
            }
        }
        let mut values: [Option<String>; 11] = Default::default();
        for target in Target::ALL {
            let (Some(code), true) = (target.stored(customer), by_hand[target.index()]) else {
                continue;
            };
            self.check_stored(target, code, mode)?;
            if let Some(place) = values.get_mut(target.index()) {
                *place = Some(code.to_owned());
            }
        }
        Ok(values)
    }

    fn check_stored(&self, target: Target, code: &str, mode: Mode) -> Result<(), CustomerError> {
        let field = target.to_string();
        let code_owned = || code.to_owned();
        match (target, self.compiled.inactive(target.codebook(), code)) {
            (_, Some(false)) => Ok(()),
            (_, Some(true)) if mode == Mode::Existing => Ok(()),
            (_, Some(true)) => Err(CustomerError::InactiveValue {
                field,
                value: code_owned(),
            }),
            (Target::Class(slot), None) if !self.compiled.slot_defined(slot) => {
                Err(CustomerError::UndefinedSlot { field })
            }
            (Target::Class(_), None) => Err(CustomerError::UnknownSlotValue {
                field,
                value: code_owned(),
            }),
            (Target::Type, None) => Err(CustomerError::UnknownType {
                value: code_owned(),
            }),
            (Target::Group, None) => Err(CustomerError::UnknownGroup {
                value: code_owned(),
            }),
            (Target::PriceGroup, None) => Err(CustomerError::UnknownPriceGroup {
                value: code_owned(),
            }),
        }
    }

    fn run(
        &self,
        customer: &Customer,
        day: Option<Date>,
        mode: Mode,
    ) -> Result<Classification, CustomerError> {
        let compiled = self.compiled.as_ref();
        let subject = self.subject(customer, day)?;
        let manual = self.manual_values(customer, mode)?;

        // Each rule's condition is evaluated at most once, however many
        // targets it sets.
        let mut verdicts: Vec<Option<bool>> = vec![None; compiled.rules.len()];
        let mut decide = |target: Target| -> Option<Assigned> {
            let by_hand = manual.get(target.index()).cloned().flatten();
            for (index, value) in compiled.by_target.get(target.index())? {
                let rule = compiled.rules.get(*index)?;
                if by_hand.is_some() && !rule.overrides {
                    continue;
                }
                let verdict = verdicts.get_mut(*index)?;
                if *verdict.get_or_insert_with(|| rule.cond.matches(&subject)) {
                    return assigned(
                        value.clone(),
                        Source::Rule {
                            rule: rule.id.clone(),
                        },
                    );
                }
            }
            by_hand.map(|value| Assigned {
                value,
                source: Source::Manual,
            })
        };

        let mut classes = AssignedClasses::default();
        for (slot, place) in (1..=8).zip(classes.0.iter_mut()) {
            *place = decide(Target::Class(slot));
        }
        let chosen_type = decide(Target::Type);
        let chosen_group = decide(Target::Group);
        let chosen_price_group = decide(Target::PriceGroup);

        let group = match chosen_group {
            Some(group) => Some(group),
            None => self.default_group(customer, subject.zone, chosen_type.as_ref()),
        };
        let group_info = group.as_ref().and_then(|g| compiled.group(&g.value));
        if let (Some(kind), Some(info)) = (&chosen_type, group_info) {
            if info.customer_type != kind.value {
                return Err(CustomerError::GroupTypeMismatch {
                    group: info.code.clone(),
                    group_type: info.customer_type.clone(),
                    customer_type: kind.value.clone(),
                });
            }
        }
        let from_group = |pick: fn(&Group) -> Option<&String>| {
            let info = group_info?;
            assigned(
                pick(info)?.clone(),
                Source::Group {
                    group: info.code.clone(),
                },
            )
        };
        let customer_type = chosen_type
            .or_else(|| from_group(|g| Some(&g.customer_type)))
            .or_else(|| assigned(compiled.default_type.clone()?, Source::SetupDefault));
        let price_group = chosen_price_group.or_else(|| from_group(|g| g.price_group.as_ref()));
        let defaults = &compiled.setup.defaults;
        let fallback = |value: &Option<String>| assigned(value.clone()?, Source::SetupDefault);
        let by_hand = |value: &Option<String>| assigned(value.clone()?, Source::Manual);

        Ok(Classification {
            customer: customer.id.clone(),
            classes,
            customer_type,
            price_group,
            vat_zone: subject.zone.and_then(|zone| match customer.vat_zone {
                Some(_) => assigned(zone, Source::Manual),
                None => {
                    let country = customer.country()?.as_str().to_owned();
                    assigned(zone, Source::Country { country })
                }
            }),
            b2b: Assigned {
                value: customer.is_b2b(),
                source: Source::VatNumber,
            },
            receivables_account: by_hand(&customer.receivables_account)
                .or_else(|| from_group(|g| g.receivables_account.as_ref()))
                .or_else(|| fallback(&defaults.receivables_account)),
            revenue_account: by_hand(&customer.revenue_account)
                .or_else(|| from_group(|g| g.revenue_account.as_ref()))
                .or_else(|| fallback(&defaults.revenue_account)),
            layout: from_group(|g| g.layout.as_ref()).or_else(|| fallback(&defaults.layout)),
            group,
        })
    }

    /// The group of a customer no rule and no hand placed: the channel's
    /// group, else the VAT zone's, else the default group of its type. A type
    /// already decided rules out groups of other types.
    fn default_group(
        &self,
        customer: &Customer,
        zone: Option<VatZone>,
        chosen_type: Option<&Assigned>,
    ) -> Option<Assigned> {
        let compiled = self.compiled.as_ref();
        let setup = &compiled.setup;
        let channel = customer.channel.as_ref().and_then(|channel| {
            let code = setup.channel_groups.get(channel.as_str())?;
            assigned(
                code.clone(),
                Source::ChannelDefault {
                    channel: channel.as_str().to_owned(),
                },
            )
        });
        let by_zone = zone.and_then(|zone| {
            assigned(
                setup.zone_groups.get(&zone)?.clone(),
                Source::ZoneDefault { zone },
            )
        });
        let type_code = chosen_type
            .map(|t| t.value.clone())
            .or_else(|| compiled.default_type.clone());
        let by_type = type_code.and_then(|code| {
            let group = compiled.types.get(&code)?.1.clone()?;
            assigned(
                group,
                Source::TypeDefault {
                    customer_type: code,
                },
            )
        });
        [channel, by_zone, by_type]
            .into_iter()
            .flatten()
            .find(|candidate| {
                compiled.group(&candidate.value).is_some_and(|group| {
                    !group.inactive
                        && chosen_type.is_none_or(|kind| kind.value == group.customer_type)
                })
            })
    }
}

/// A compiled segment query.
#[derive(Debug, Clone)]
pub struct Segment {
    engine: Engine,
    cond: Cond,
    expression: String,
}

impl Segment {
    /// The expression as written.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Whether the customer belongs to the segment: the condition is true
    /// (a test on a missing value is unknown, and unknown does not match).
    ///
    /// # Errors
    ///
    /// `invalid_attribute` when a numeric attribute of the customer is not a
    /// number.
    pub fn matches(&self, customer: &Customer) -> Result<bool, CustomerError> {
        let subject = self.engine.subject(customer, customer.created_at)?;
        Ok(self.cond.matches(&subject))
    }
}
