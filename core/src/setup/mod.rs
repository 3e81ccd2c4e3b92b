//! The company's classification setup: slots, types, groups, price groups,
//! defaults and auto-labelling rules, as one JSON document.
//!
//! A [`Setup`] is plain data. [`Setup::validate`] reports every problem in it
//! at once, each with a JSON path and a stable code; [`Engine::new`] runs the
//! same checks and compiles the result.
//!
//! [`Engine::new`]: crate::Engine::new

mod erp;
mod pricing;

pub use erp::{Erp, ExactMapping, NumberMapping};
pub use pricing::{
    CustomerScope, ItemGroup, ItemScope, PriceAction, PriceRule, Pricing, Rounding, Stacking,
    Strategy,
};

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::customer::{CountryCode, VatZone};
use crate::error::{SetupError, SetupProblem, SetupProblemKind, json_path};
use crate::fingerprint::Fingerprint;

/// A company's classification setup.
///
/// Plain data, read from JSON (schema in `schema/setup.schema.json`), made
/// by [`Setup::standard`] or edited in code; [`Engine::new`] validates and
/// compiles it.
///
/// # Examples
///
/// The setup most companies start from, for their home country:
///
/// ```
/// use custclass::{Engine, Setup};
///
/// let setup = Setup::standard("NL".to_owned().try_into()?);
/// let groups: Vec<&str> = setup.groups.iter().map(|group| group.code.as_str()).collect();
/// assert_eq!(groups, ["DOMESTIC", "EU", "OVERSEAS", "WEBSHOP", "STANDARD"]);
/// assert_eq!(setup.rules[0].when, "vat_valid = true");     // a valid VAT number: BUSINESS
/// let engine = Engine::new(setup)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A company's own, from its JSON file, checked and changed in code:
///
/// ```
/// use custclass::{Rule, Setup};
///
/// let mut setup = Setup::from_json(r#"{
///     "home_country": "NL",
///     "types": [{"code": "B2B", "default": true}],
///     "groups": [
///         {"code": "DOMESTIC", "type": "B2B", "receivables_account": "1300", "default": true},
///         {"code": "EXPORT", "type": "B2B", "receivables_account": "1320"}
///     ],
///     "zone_groups": {"abroad": "EXPORT"}
/// }"#)?;
/// assert!(setup.validate().is_ok());
///
/// setup.rules.push(serde_json::from_str::<Rule>(
///     r#"{"id": "belgium-exports", "when": "country = 'BE'", "set": {"group": "EXPORT"}}"#,
/// )?);
/// assert!(setup.validate().is_ok());
/// // Written back as JSON, it reads back the same:
/// assert_eq!(Setup::from_json(&serde_json::to_string(&setup)?)?, setup);
///
/// setup.rules.push(serde_json::from_str::<Rule>(
///     r#"{"id": "typo", "when": "country = 'DE'", "set": {"group": "EXPROT"}}"#,
/// )?);
/// let err = setup.validate().err().ok_or("EXPROT is no group")?;
/// assert_eq!(err.problems[0].path, "$.rules[1].set.group");
/// assert_eq!(err.problems[0].code(), "unknown_group");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`Engine::new`]: crate::Engine::new
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Setup {
    /// The company's own country: customers there are `domestic`.
    pub home_country: CountryCode,
    /// EU membership periods; the built-in table (with the United Kingdom
    /// leaving on 2021-01-01) when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_members: Option<Vec<EuMembership>>,
    /// The labelled classification slots in use (at most eight).
    #[serde(default)]
    pub slots: Vec<Slot>,
    /// Customer types, the top tier.
    #[serde(default)]
    pub types: Vec<CustomerType>,
    /// Customer groups, each in one type, each with its accounts.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Price groups.
    #[serde(default)]
    pub price_groups: Vec<PriceGroup>,
    /// The group a customer from a channel gets when no rule decides
    /// (`{"webshop": "WEBSHOP", "pos": "STANDARD"}`).
    #[serde(default)]
    pub channel_groups: BTreeMap<String, String>,
    /// The group per VAT zone when neither a rule nor the channel decides
    /// (`{"domestic": "DOMESTIC", "eu": "EU", "abroad": "OVERSEAS"}`).
    #[serde(default)]
    pub zone_groups: BTreeMap<VatZone, String>,
    /// Custom attributes that conditions may use, with their kinds.
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
    /// Accounts and layout for groups that leave them out.
    #[serde(default)]
    pub defaults: Defaults,
    /// Auto-labelling rules, in order: for each target the first rule whose
    /// condition holds decides.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Item groups, price rules and how a price is chosen.
    #[serde(default, skip_serializing_if = "Pricing::is_empty")]
    pub pricing: Pricing,
    /// The payment terms customers may have; when listed,
    /// [`Engine::check`](crate::Engine::check) flags a customer's terms that
    /// aren't among them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_terms: Vec<PaymentTerms>,
    /// The numbers and GUIDs each ERP knows our codes by, for the
    /// connectors' bodies ([`Engine::to_economic`](crate::Engine::to_economic)).
    #[serde(default, skip_serializing_if = "Erp::is_empty")]
    pub erp: Erp,
}

/// A period in which a country was an EU member state (both days included).
///
/// A customer's VAT zone follows from its billing country and EU membership
/// on its `created_at` day ([`Engine::classify`](crate::Engine::classify));
/// without `eu_members` in the setup, a built-in table applies.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, Setup, VatZone};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let zone = |created_at: &str| -> Result<Option<VatZone>, Box<dyn std::error::Error>> {
///     let customer = Customer::from_json(&format!(
///         r#"{{"id": "1", "billing_address": {{"country": "GB"}}, "created_at": "{created_at}"}}"#
///     ))?;
///     Ok(engine.classify(&customer)?.vat_zone.map(|zone| zone.value))
/// };
/// // The built-in table: the United Kingdom left on 2021-01-01.
/// assert_eq!(zone("2020-12-31")?, Some(VatZone::Eu));
/// assert_eq!(zone("2021-01-01")?, Some(VatZone::Abroad));
///
/// // A table of the setup's own replaces the built-in one:
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.eu_members = Some(serde_json::from_str(r#"[
///     {"country": "NL", "from": "1958-01-01"},
///     {"country": "GB", "from": "1973-01-01", "to": "2020-12-31"}
/// ]"#)?);
/// assert!(setup.validate().is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EuMembership {
    /// Member state.
    pub country: CountryCode,
    /// First day of membership.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub from: Date,
    /// Last day of membership, if it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub to: Option<Date>,
}

/// One classification slot: a label and its coded values.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, Rule, Setup, Slot};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.slots.push(serde_json::from_str::<Slot>(r#"{"slot": 1, "label": "Region", "values": [
///     {"code": "BENELUX"}, {"code": "DACH"}, {"code": "EAST", "inactive": true}
/// ]}"#)?);
/// setup.rules.push(serde_json::from_str::<Rule>(
///     r#"{"id": "dach", "when": "country in ('DE', 'AT', 'CH')", "set": {"class.Region": "DACH"}}"#,
/// )?);
/// let engine = Engine::new(setup)?;
/// assert_eq!(engine.slot_label(1), Some("Region"));
///
/// let customer = Customer::from_json(r#"{"id": "1", "billing_address": {"country": "AT"}}"#)?;
/// let region = engine.classify(&customer)?.classes.get(1).cloned().ok_or("no region")?;
/// assert_eq!((region.value.as_str(), region.source.to_string().as_str()), ("DACH", "rule:dach"));
///
/// // A value kept for history can't be given to a new customer:
/// let customer = Customer::from_json(r#"{"id": "2", "classes": {"class1": "EAST"}}"#)?;
/// let err = engine.classify(&customer).err().ok_or("EAST is inactive")?;
/// assert_eq!((err.code(), err.field()), ("inactive_value", Some("class1")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// Slot number, 1 to 8.
    pub slot: u8,
    /// What users see ("Region"); usable in conditions as `class.Region`.
    pub label: String,
    /// The codes this slot may hold.
    #[serde(default)]
    pub values: Vec<SlotValue>,
}

/// A coded value of a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SlotValue {
    /// The code stored on customers.
    pub code: String,
    /// What users see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Kept for history; can't be given to new or changed customers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
}

/// A customer type, the top tier above groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomerType {
    /// The code stored on customers.
    pub code: String,
    /// What users see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The type of customers nothing else decides (at most one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    /// Kept for history; can't be given to new or changed customers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
}

/// A customer group: where the customer's money is booked and how its
/// documents look.
///
/// # Examples
///
/// What the group doesn't name (here the revenue account and the layout)
/// comes from the setup's `defaults`; each value says where it came from.
///
/// ```
/// use custclass::{Customer, Engine, Group, Setup};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.price_groups = serde_json::from_str(r#"[{"code": "TRADE"}]"#)?;
/// setup.groups.push(serde_json::from_str::<Group>(r#"{"code": "GARAGES", "type": "BUSINESS",
///     "receivables_account": "1140", "price_group": "TRADE"}"#)?);
/// setup.defaults = serde_json::from_str(r#"{"revenue_account": "8000", "layout": "invoice"}"#)?;
/// let engine = Engine::new(setup)?;
///
/// let garage = Customer::from_json(r#"{"id": "1", "billing_address": {"country": "NL"},
///     "vat_number": "NL123456782B01", "group": "GARAGES"}"#)?;
/// let result = engine.classify(&garage)?;
/// let said = |assigned: Option<custclass::Assigned>| {
///     assigned.map(|a| format!("{} ({})", a.value, a.source)).unwrap_or_default()
/// };
/// assert_eq!(said(result.group), "GARAGES (manual)");
/// assert_eq!(said(result.price_group), "TRADE (group:GARAGES)");
/// assert_eq!(said(result.receivables_account), "1140 (group:GARAGES)");
/// assert_eq!(said(result.revenue_account), "8000 (setup_default)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The code stored on customers.
    pub code: String,
    /// The type this group belongs to.
    #[serde(rename = "type")]
    pub customer_type: String,
    /// What users see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Receivables (debtor control) account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receivables_account: Option<String>,
    /// Revenue account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_account: Option<String>,
    /// Document layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    /// The price group of its customers unless they name their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_group: Option<String>,
    /// The group of customers of this type that nothing else places (at most
    /// one per type).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    /// Kept for history; can't be given to new or changed customers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
}

/// A price group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceGroup {
    /// The code stored on customers.
    pub code: String,
    /// What users see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Kept for history; can't be given to new or changed customers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
}

/// Payment terms a customer may be given (`30D`, `COD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentTerms {
    /// The code stored on customers.
    pub code: String,
    /// What users see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Days until an invoice is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Kept for history; can't be given to new or changed customers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
}

/// A custom attribute conditions may use as `attr.<name>`.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, Setup};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.attributes = serde_json::from_str(r#"[{"name": "turnover_12m", "kind": "number"}]"#)?;
/// let engine = Engine::new(setup)?;
///
/// // A number compares as a decimal, however the customer's record gives it:
/// let big = engine.segment("attr.turnover_12m >= 50000")?;
/// let customer = Customer::from_json(r#"{"id": "1", "attributes": {"turnover_12m": "80000.00"}}"#)?;
/// assert!(big.matches(&customer)?);
/// let customer = Customer::from_json(r#"{"id": "2", "attributes": {"turnover_12m": 9500}}"#)?;
/// assert!(!big.matches(&customer)?);
///
/// // An undeclared attribute is kept on the customer but can't be tested:
/// let err = engine.segment("attr.card = 'GOLD'").err().ok_or("card is undeclared")?;
/// assert_eq!(err.code(), "unknown_field");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    /// Attribute name (`turnover_12m`).
    pub name: String,
    /// What kind of value it holds.
    pub kind: AttributeKind,
}

/// The kind of a custom attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttributeKind {
    /// An exact decimal.
    Number,
    /// Text.
    Text,
}

/// Accounts and layout for groups that do not name their own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Defaults {
    /// Receivables (debtor control) account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receivables_account: Option<String>,
    /// Revenue account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_account: Option<String>,
    /// Document layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
}

/// An auto-labelling rule: `when <condition> then set <target> = <value>`.
///
/// A rule may set several targets at once; for each of them it competes with
/// the other rules on that target in declaration order.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, Rule, Setup};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// // Belgian business customers are handled by the domestic team, even
/// // when someone picked a group by hand ("override").
/// setup.rules.push(serde_json::from_str::<Rule>(r#"{
///     "id": "belgium-is-domestic",
///     "when": "country = 'BE' and b2b = true",
///     "set": {"group": "DOMESTIC"},
///     "override": true
/// }"#)?);
/// let engine = Engine::new(setup)?;
///
/// let customer = Customer::from_json(r#"{"id": "1", "billing_address": {"country": "BE"},
///     "vat_number": "BE0403019261", "group": "EU"}"#)?;
/// let group = engine.classify(&customer)?.group.ok_or("no group")?;
/// assert_eq!(group.value, "DOMESTIC");
/// assert_eq!(group.source.kind(), "rule");              // the rule's id is on record
/// assert_eq!(group.source.to_string(), "rule:belgium-is-domestic");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Rule {
    /// Recorded as the provenance of every value the rule decides.
    pub id: String,
    /// The condition, in the expression language.
    pub when: String,
    /// Target → code: `class1`..`class8` or `class.<label>`, `type`, `group`,
    /// `price_group`.
    pub set: BTreeMap<String, String>,
    /// Replace values set by hand too.
    #[serde(
        default,
        rename = "override",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub overrides: bool,
}

impl Rule {
    /// A rule with its id and condition that sets nothing yet; add targets
    /// with [`Rule::set`] or to the `set` field.
    pub fn new(id: impl Into<String>, when: impl Into<String>) -> Rule {
        Rule {
            id: id.into(),
            when: when.into(),
            set: BTreeMap::new(),
            overrides: false,
        }
    }

    /// The rule, also setting `target` (`class1`, `class.<label>`, `type`,
    /// `group`, `price_group`) to `code`.
    #[must_use]
    pub fn set(mut self, target: impl Into<String>, code: impl Into<String>) -> Rule {
        self.set.insert(target.into(), code.into());
        self
    }
}

impl Setup {
    /// An empty setup for a company in `home_country`: no slots, types,
    /// groups, rules or pricing. Fill in its public fields, or start from
    /// [`Setup::standard`].
    ///
    /// ```
    /// use custclass::{Rule, Setup};
    ///
    /// let mut setup = Setup::new("NL".parse()?);
    /// setup.rules.push(Rule::new("eu", "vat_zone = 'eu'").set("class1", "EU"));
    /// assert_eq!(setup.rules.len(), 1);
    /// # Ok::<(), custclass::CodeError>(())
    /// ```
    pub fn new(home_country: CountryCode) -> Setup {
        Setup {
            home_country,
            eu_members: None,
            slots: Vec::new(),
            types: Vec::new(),
            groups: Vec::new(),
            price_groups: Vec::new(),
            channel_groups: BTreeMap::new(),
            zone_groups: BTreeMap::new(),
            attributes: Vec::new(),
            defaults: Defaults::default(),
            rules: Vec::new(),
            pricing: Pricing::default(),
            payment_terms: Vec::new(),
            erp: Erp::default(),
        }
    }

    /// Reads a setup from JSON.
    ///
    /// # Errors
    ///
    /// A [`SetupError`] with one problem: `json_syntax`, `json_unknown_field`,
    /// `json_missing_field` or `json_invalid_value`, with its JSON path, line
    /// and column.
    pub fn from_json(json: &str) -> Result<Setup, SetupError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let problem = SetupProblem::new(
                json_path(err.path()),
                SetupProblemKind::from_json(err.inner()),
            );
            SetupError::new(vec![problem])
        })
    }

    /// The setup's fingerprint: the SHA-256 of its canonical JSON. Two
    /// setups that read the same have the same fingerprint, however their
    /// files were laid out; a setup with one rule changed has another.
    ///
    /// # Examples
    ///
    /// ```
    /// use custclass::Setup;
    ///
    /// let setup = Setup::standard("NL".to_owned().try_into()?);
    /// let reread = Setup::from_json(&serde_json::to_string_pretty(&setup)?)?;
    /// assert_eq!(reread.fingerprint(), setup.fingerprint());
    /// assert_eq!(setup.fingerprint().to_string().len(), 64);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(crate::canonical::to_string(self).as_bytes())
    }

    /// The JSON Schema of the setup file, for editors and CI checks. The
    /// descriptions are the types' doc comments without their Rust
    /// examples, which mean nothing to an editor of a JSON file.
    #[cfg(feature = "schema")]
    pub fn json_schema() -> serde_json::Value {
        fn without_examples(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, item) in map.iter_mut() {
                        match item {
                            serde_json::Value::String(text) if key == "description" => {
                                if let Some(at) = text.find("\n\n# Examples") {
                                    text.truncate(at);
                                }
                            }
                            _ => without_examples(item),
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(without_examples),
                _ => {}
            }
        }
        let mut schema = serde_json::to_value(schemars::schema_for!(Setup)).unwrap_or_default();
        without_examples(&mut schema);
        schema
    }

    /// The setup most companies start from: Domestic, EU and Overseas groups
    /// with their own receivables accounts, a "webshop" group for online
    /// customers and a "standard" group for counter sales.
    pub fn standard(home_country: CountryCode) -> Setup {
        let group = |code: &str, kind: &str, account: &str, layout: &str| Group {
            code: code.to_owned(),
            customer_type: kind.to_owned(),
            description: None,
            receivables_account: Some(account.to_owned()),
            revenue_account: None,
            layout: Some(layout.to_owned()),
            price_group: None,
            default: false,
            inactive: false,
        };
        let kind = |code: &str, default: bool| CustomerType {
            code: code.to_owned(),
            description: None,
            default,
            inactive: false,
        };
        let mut standard = group("STANDARD", "PRIVATE", "1100", "receipt");
        standard.default = true;
        let mut domestic = group("DOMESTIC", "BUSINESS", "1100", "invoice");
        domestic.default = true;
        Setup {
            home_country,
            eu_members: None,
            slots: Vec::new(),
            types: vec![kind("BUSINESS", false), kind("PRIVATE", true)],
            groups: vec![
                domestic,
                group("EU", "BUSINESS", "1110", "invoice-en"),
                group("OVERSEAS", "BUSINESS", "1120", "invoice-en"),
                group("WEBSHOP", "PRIVATE", "1130", "receipt"),
                standard,
            ],
            price_groups: Vec::new(),
            channel_groups: BTreeMap::from([
                ("webshop".to_owned(), "WEBSHOP".to_owned()),
                ("pos".to_owned(), "STANDARD".to_owned()),
            ]),
            zone_groups: BTreeMap::from([
                (VatZone::Domestic, "DOMESTIC".to_owned()),
                (VatZone::Eu, "EU".to_owned()),
                (VatZone::Abroad, "OVERSEAS".to_owned()),
            ]),
            attributes: Vec::new(),
            defaults: Defaults::default(),
            rules: vec![Rule {
                id: "vat-number-means-business".to_owned(),
                when: "vat_valid = true".to_owned(),
                set: BTreeMap::from([("type".to_owned(), "BUSINESS".to_owned())]),
                overrides: false,
            }],
            pricing: Pricing::default(),
            payment_terms: Vec::new(),
            erp: Erp::default(),
        }
    }
}
