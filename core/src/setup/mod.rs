//! The company's classification setup: slots, types, groups, price groups,
//! defaults and auto-labelling rules, as one JSON document.
//!
//! A [`Setup`] is plain data. [`Setup::validate`] reports every problem in it
//! at once, each with a JSON path and a stable code; [`Engine::new`] runs the
//! same checks and compiles the result.
//!
//! [`Engine::new`]: crate::Engine::new

mod pricing;

pub use pricing::{
    CustomerScope, ItemGroup, ItemScope, PriceAction, PriceRule, Pricing, Rounding, Stacking,
    Strategy,
};

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::customer::{CountryCode, VatZone};
use crate::error::{SetupError, SetupProblem, SetupProblemKind, json_path};

/// A company's classification setup.
///
/// # Examples
///
/// ```
/// let setup = custclass::Setup::from_json(r#"{
///     "home_country": "NL",
///     "types": [{"code": "B2B", "default": true}],
///     "groups": [{"code": "DOMESTIC", "type": "B2B", "receivables_account": "1300"}]
/// }"#).unwrap();
/// assert!(setup.validate().is_ok());
/// ```
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
}

/// A period in which a country was an EU member state (both days included).
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

    /// The JSON Schema of the setup file, for editors and CI checks.
    #[cfg(feature = "schema")]
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Setup)).unwrap_or_default()
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
        }
    }
}
