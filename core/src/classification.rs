//! What the engine answers about one customer: each assigned value with its
//! provenance, and what a re-classification would change.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::customer::fields::Codebook;
use crate::customer::{Customer, CustomerId, VatZone, slot_number};

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

    pub(crate) fn index(self) -> usize {
        match self {
            Target::Class(slot) => slot.saturating_sub(1).min(7),
            Target::Type => 8,
            Target::Group => 9,
            Target::PriceGroup => 10,
        }
    }

    pub(crate) fn stored(self, customer: &Customer) -> Option<&str> {
        match self {
            Target::Class(slot) => customer.classes.get(slot),
            Target::Type => customer.customer_type.as_deref(),
            Target::Group => customer.group.as_deref(),
            Target::PriceGroup => customer.price_group.as_deref(),
        }
    }

    pub(crate) fn codebook(self) -> Codebook {
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

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A value a classification answers, by its name in results: a target, or a
/// fact that follows from the customer and its group (VAT zone, B2B, the
/// accounts, the document layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultField {
    /// A slot, the type, the group or the price group.
    Target(Target),
    /// The VAT zone.
    VatZone,
    /// Whether the customer is a business.
    B2b,
    /// The receivables account.
    ReceivablesAccount,
    /// The revenue account.
    RevenueAccount,
    /// The document layout.
    Layout,
}

impl ResultField {
    /// Every value of a result, in the order results list them.
    pub const ALL: [ResultField; 16] = [
        ResultField::Target(Target::Class(1)),
        ResultField::Target(Target::Class(2)),
        ResultField::Target(Target::Class(3)),
        ResultField::Target(Target::Class(4)),
        ResultField::Target(Target::Class(5)),
        ResultField::Target(Target::Class(6)),
        ResultField::Target(Target::Class(7)),
        ResultField::Target(Target::Class(8)),
        ResultField::Target(Target::Type),
        ResultField::Target(Target::Group),
        ResultField::Target(Target::PriceGroup),
        ResultField::VatZone,
        ResultField::B2b,
        ResultField::ReceivablesAccount,
        ResultField::RevenueAccount,
        ResultField::Layout,
    ];

    /// Reads a value's name in results (`class3`, `group`, `vat_zone`,
    /// `layout`, …).
    pub fn parse(name: &str) -> Option<ResultField> {
        match name {
            "vat_zone" => Some(ResultField::VatZone),
            "b2b" => Some(ResultField::B2b),
            "receivables_account" => Some(ResultField::ReceivablesAccount),
            "revenue_account" => Some(ResultField::RevenueAccount),
            "layout" => Some(ResultField::Layout),
            _ => Target::parse(name).map(ResultField::Target),
        }
    }
}

impl fmt::Display for ResultField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResultField::Target(target) => target.fmt(f),
            ResultField::VatZone => f.write_str("vat_zone"),
            ResultField::B2b => f.write_str("b2b"),
            ResultField::ReceivablesAccount => f.write_str("receivables_account"),
            ResultField::RevenueAccount => f.write_str("revenue_account"),
            ResultField::Layout => f.write_str("layout"),
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

impl Source {
    /// The kind as serialised (`"rule"`, `"zone_default"`, …), without its
    /// detail.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Rule { .. } => "rule",
            Source::ChannelDefault { .. } => "channel_default",
            Source::ZoneDefault { .. } => "zone_default",
            Source::TypeDefault { .. } => "type_default",
            Source::SetupDefault => "setup_default",
            Source::Group { .. } => "group",
            Source::Country { .. } => "country",
            Source::VatNumber => "vat_number",
        }
    }
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

pub(crate) fn assigned<T>(value: T, source: Source) -> Option<Assigned<T>> {
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
    /// B2B (a VAT number that passes its country's check) or B2C.
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

    /// An assigned value, the VAT zone and B2B written as text (`eu`,
    /// `true`).
    pub(crate) fn assigned(&self, field: ResultField) -> Option<Assigned> {
        let text = |assigned: &Assigned| Some(assigned.clone());
        match field {
            ResultField::VatZone => self.vat_zone.as_ref().map(|zone| Assigned {
                value: zone.value.as_str().to_owned(),
                source: zone.source.clone(),
            }),
            ResultField::B2b => Some(Assigned {
                value: self.b2b.value.to_string(),
                source: self.b2b.source.clone(),
            }),
            ResultField::ReceivablesAccount => text(self.receivables_account.as_ref()?),
            ResultField::RevenueAccount => text(self.revenue_account.as_ref()?),
            ResultField::Layout => text(self.layout.as_ref()?),
            ResultField::Target(target) => text(self.get(target)?),
        }
    }

    /// An assigned value as JSON (`{"value", "source"}`); `None` for a
    /// value not assigned. Every binding's `get(name)` is this, with the
    /// name read by [`ResultField::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use custclass::{Customer, Engine, ResultField, Setup, Target};
    ///
    /// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
    /// let result = engine.classify(&Customer::from_json(r#"{"id": "1", "billing_address": {"country": "NL"}}"#)?)?;
    /// assert_eq!(result.field(ResultField::Target(Target::Group)).unwrap()["value"], "DOMESTIC");
    /// assert_eq!(result.field(ResultField::Layout).unwrap()["value"], "invoice");
    /// assert_eq!(result.field(ResultField::Target(Target::Class(1))), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn field(&self, field: ResultField) -> Option<serde_json::Value> {
        let value = match field {
            ResultField::VatZone => serde_json::to_value(self.vat_zone.as_ref()?),
            ResultField::B2b => serde_json::to_value(&self.b2b),
            ResultField::ReceivablesAccount => {
                serde_json::to_value(self.receivables_account.as_ref()?)
            }
            ResultField::RevenueAccount => serde_json::to_value(self.revenue_account.as_ref()?),
            ResultField::Layout => serde_json::to_value(self.layout.as_ref()?),
            ResultField::Target(target) => serde_json::to_value(self.get(target)?),
        };
        value.ok()
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
    /// written onto it, and `manual` naming the targets whose value was set
    /// by hand (and no others), so that
    /// [`Engine::reclassify`](crate::Engine::reclassify) of the result keeps
    /// them and changes nothing.
    pub fn apply(&self, customer: &Customer) -> Customer {
        let mut out = customer.clone();
        for target in Target::ALL {
            let stored = self.stored(target);
            let by_hand = stored.is_some_and(|assigned| assigned.source == Source::Manual);
            let value = stored.map(|assigned| assigned.value.clone());
            match target {
                Target::Class(slot) => out.classes.set(slot, value),
                Target::Type => out.customer_type = value,
                Target::Group => out.group = value,
                Target::PriceGroup => out.price_group = value,
            }
            let name = target.to_string();
            let listed = out.manual.contains(&name);
            if by_hand && !listed {
                out.manual.push(name);
            } else if !by_hand && listed {
                out.manual.retain(|entry| *entry != name);
            }
        }
        out
    }
}

/// One value a re-classification would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changes: a slot, the type, the group or the price group
    /// (written `class2`, `type`, … in JSON).
    pub target: Target,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_is_the_serialised_tag() {
        let sources = [
            Source::Manual,
            Source::Rule { rule: "r".into() },
            Source::ChannelDefault {
                channel: "webshop".into(),
            },
            Source::ZoneDefault { zone: VatZone::Eu },
            Source::TypeDefault {
                customer_type: "B".into(),
            },
            Source::SetupDefault,
            Source::Group { group: "EU".into() },
            Source::Country {
                country: "DE".into(),
            },
            Source::VatNumber,
        ];
        for source in sources {
            let json = serde_json::to_value(&source).unwrap();
            assert_eq!(json["kind"], source.kind(), "{source:?}");
        }
    }
}
