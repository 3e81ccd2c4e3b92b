//! What the engine answers about one customer: each assigned value with its
//! provenance, and what a re-classification would change.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::customer::fields::Codebook;
use crate::customer::{Customer, CustomerId, VatZone, slot_number};
use crate::error::{CodeError, CodeKind, CustomerError, json_path};
use crate::fingerprint::Fingerprint;

/// What an auto-labelling rule can set: a slot, the type, the group or the
/// price group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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

impl FromStr for Target {
    type Err = CodeError;

    /// As [`Target::parse`]: `class3`, `type`, `group` or `price_group`.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Target::parse(name).ok_or_else(|| CodeError::new(CodeKind::Target, name))
    }
}

impl TryFrom<&str> for Target {
    type Error = CodeError;

    fn try_from(name: &str) -> Result<Self, Self::Error> {
        name.parse()
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        name.parse().map_err(de::Error::custom)
    }
}

/// A value a classification answers, by its name in results: a target, or a
/// fact that follows from the customer and its group (VAT zone, B2B, the
/// accounts, the document layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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

impl Serialize for ResultField {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ResultField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        ResultField::parse(&name)
            .ok_or_else(|| de::Error::custom(format!("`{name}` is not a value of a result")))
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
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
    /// Derived from the VAT number (B2B: one that passes its country's
    /// check).
    VatNumber,
    /// Found on the customer's record, with nothing on record of how it got
    /// there (a re-classification's value before, without the earlier
    /// classification).
    Stored,
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
            Source::Stored => "stored",
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
            Source::Stored => f.write_str("stored"),
        }
    }
}

/// A value with the reason it was assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

impl<'de> Deserialize<'de> for AssignedClasses {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Slots;
        impl<'de> Visitor<'de> for Slots {
            type Value = AssignedClasses;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of class1..class8")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AssignedClasses, A::Error> {
                let mut classes = AssignedClasses::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let place = slot_number(&key)
                        .and_then(|slot| classes.0.get_mut(slot - 1))
                        .ok_or_else(|| {
                            de::Error::custom(format!("`{key}` is not a slot (class1..class8)"))
                        })?;
                    *place = map.next_value()?;
                }
                Ok(classes)
            }
        }
        deserializer.deserialize_map(Slots)
    }
}

/// Everything the engine decided about one customer, each value with its
/// provenance, and the fingerprint of the setup that decided it.
///
/// It reads back from its JSON ([`Classification::from_json`]), so a host can
/// store it beside the customer and later hand it to
/// [`Engine::reclassify_since`](crate::Engine::reclassify_since), which then
/// knows which stored values the engine computed. A key it doesn't know (a
/// misspelt `reveivables_account`) is refused rather than skipped: skipped,
/// the account would look set by hand and stay where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Classification {
    /// The customer's id.
    pub customer: CustomerId,
    /// The fingerprint of the setup that decided it
    /// ([`Engine::fingerprint`](crate::Engine::fingerprint)).
    pub fingerprint: Fingerprint,
    /// Slot values.
    #[serde(default)]
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
    /// Reads a classification back from its JSON, as a host stored it.
    ///
    /// # Errors
    ///
    /// As [`Customer::from_json`]: `json_syntax`, `json_unknown_field`,
    /// `json_missing_field` or `invalid_field`, with the JSON path.
    pub fn from_json(json: &str) -> Result<Classification, CustomerError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer)
            .map_err(|err| CustomerError::from_json(json_path(err.path()), err.inner()))
    }

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
                Target::Class(slot) => {
                    if let Some(place) = out.classes.0.get_mut(slot.wrapping_sub(1)) {
                        *place = value;
                    }
                }
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

/// One value a re-classification changes, with its value and reason before
/// and after: an entry of an audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Change {
    /// What changes: a slot, the type, the group, the price group, the VAT
    /// zone, B2B, an account or the layout (written `class2`,
    /// `receivables_account`, … in JSON).
    pub target: ResultField,
    /// The value before and why it had it; `None` when it had none.
    pub from: Option<Assigned>,
    /// The setup that gave the value before, when the earlier
    /// classification is known and the value came from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_setup: Option<Fingerprint>,
    /// The value after and why; `None` when it has none.
    pub to: Option<Assigned>,
    /// The setup that gives the value after.
    pub setup: Fingerprint,
}

/// What re-running the rules changes on a customer.
///
/// # Examples
///
/// A customer classified under one setup, its classification stored as
/// JSON, re-classified after the EU group's account changed:
///
/// ```
/// use custclass::{Classification, Customer, Engine, ResultField, Setup, Source};
///
/// let setup = Setup::standard("NL".to_owned().try_into()?);
/// let customer = Customer::from_json(
///     r#"{"id": "7", "billing_address": {"country": "DE"}, "vat_number": "DE136695976"}"#,
/// )?;
/// let earlier = Engine::new(setup.clone())?.classify(&customer)?;
/// let stored = serde_json::to_string(&earlier)?;
/// // The host wrote the account onto its record, as ERPs do.
/// let mut record = earlier.apply(&customer);
/// record.receivables_account = earlier.receivables_account.clone().map(|a| a.value);
///
/// let mut changed = setup;
/// for group in changed.groups.iter_mut().filter(|g| g.code == "EU") {
///     group.receivables_account = Some("1315".to_owned());
/// }
/// let engine = Engine::new(changed)?;
/// let audit = engine.reclassify_since(&record, &Classification::from_json(&stored)?)?;
/// let [change] = audit.changes.as_slice() else { panic!("{:?}", audit.changes) };
/// assert_eq!(change.target, ResultField::ReceivablesAccount);
/// assert_eq!(change.to.as_ref().map(|to| to.value.as_str()), Some("1315"));
/// assert_eq!(change.from.as_ref().map(|from| &from.source), Some(&Source::Group { group: "EU".into() }));
/// assert_eq!((change.from_setup, change.setup), (Some(earlier.fingerprint), engine.fingerprint()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Reclassification {
    /// The customer's id.
    pub customer: CustomerId,
    /// The values that change, in result order; empty when none.
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
            Source::Stored,
        ];
        for source in sources {
            let json = serde_json::to_value(&source).unwrap();
            assert_eq!(json["kind"], source.kind(), "{source:?}");
        }
    }
}
