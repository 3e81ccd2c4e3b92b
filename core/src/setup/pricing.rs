//! The pricing part of a setup: item groups, price rules and the strategy
//! that picks among them. Plain data, like the rest of [`Setup`](crate::Setup).

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::customer::CurrencyCode;
use crate::scalar::{deserialize_decimal, deserialize_required_decimal};

/// Price rules and how they combine.
///
/// # Examples
///
/// Under `best_price` the lowest price wins; a `stackable` rule goes on top
/// of whichever did:
///
/// ```
/// use custclass::{Customer, Engine, PriceRequest, Pricing, Setup, Strategy};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.pricing = serde_json::from_str::<Pricing>(r#"{
///     "strategy": "best_price",
///     "rules": [
///         {"id": "everyone-5", "action": {"discount_percent": "5"}},
///         {"id": "business-8", "customers": {"type": "BUSINESS"},
///          "action": {"discount_percent": "8"}},
///         {"id": "webshop-2", "customers": {"segment": "channel = 'webshop'"},
///          "action": {"discount_percent": "2"}, "stackable": true}
///     ]
/// }"#)?;
/// assert_eq!(setup.pricing.strategy, Strategy::BestPrice);
/// let engine = Engine::new(setup)?;
/// let line = PriceRequest::from_json(r#"{"item": "WIPER", "list_price": "10.00",
///     "quantity": "1", "date": "2026-11-22", "currency": "EUR"}"#)?;
///
/// let shopper = Customer::from_json(r#"{"id": "1", "billing_address": {"country": "NL"},
///     "channel": "webshop"}"#)?;
/// let quote = engine.price(&shopper, &line)?;
/// assert_eq!(quote.rule.as_deref(), Some("everyone-5"));
/// assert_eq!(quote.stacked.iter().map(|id| &**id).collect::<Vec<_>>(), ["webshop-2"]);
/// assert_eq!(quote.net_price.to_string(), "9.30");           // 5 % + 2 %, additive
///
/// let garage = Customer::from_json(r#"{"id": "2", "billing_address": {"country": "NL"},
///     "vat_number": "NL123456782B01"}"#)?;
/// let quote = engine.price(&garage, &line)?;
/// assert_eq!(quote.rule.as_deref(), Some("business-8"));    // 9.20 beats 9.50
/// assert_eq!(quote.net_price.to_string(), "9.20");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Pricing {
    /// How one rule is chosen among several that apply.
    #[serde(default)]
    pub strategy: Strategy,
    /// How stackable discounts combine with the chosen rule.
    #[serde(default)]
    pub stacking: Stacking,
    /// How unit prices and line totals are rounded to the currency's minor
    /// units.
    #[serde(default)]
    pub rounding: Rounding,
    /// The item-group tree rules may name; a rule on a group applies to the
    /// items of its subgroups too.
    #[serde(default)]
    pub item_groups: Vec<ItemGroup>,
    /// Price rules, in declaration order.
    #[serde(default)]
    pub rules: Vec<PriceRule>,
}

impl PriceRule {
    /// A rule for every customer and item, any quantity, day and currency,
    /// without priority, not stackable, active: set the public fields that
    /// narrow it afterwards.
    ///
    /// ```
    /// use custclass::{CustomerScope, Decimal, PriceAction, PriceRule};
    ///
    /// let mut rule = PriceRule::new("dealer-10", PriceAction::DiscountPercent(Decimal::TEN));
    /// rule.customers = CustomerScope::PriceGroup("DEALER".into());
    /// ```
    pub fn new(id: impl Into<String>, action: PriceAction) -> PriceRule {
        PriceRule {
            id: id.into(),
            customers: CustomerScope::All,
            items: ItemScope::All,
            min_quantity: None,
            max_quantity: None,
            valid_from: None,
            valid_to: None,
            currency: None,
            action,
            priority: None,
            stackable: false,
            inactive: false,
        }
    }
}

impl Pricing {
    /// Whether the setup has no pricing at all (left out of its JSON).
    pub(crate) fn is_empty(&self) -> bool {
        self == &Pricing::default()
    }
}

/// How one rule is chosen among several that apply to a line.
///
/// # Examples
///
/// Under `priority`, two rules that could tie on a line are refused when
/// the setup is checked, not found at invoice time:
///
/// ```
/// use custclass::{Pricing, Setup, Strategy};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.pricing = serde_json::from_str::<Pricing>(r#"{"strategy": "priority", "rules": [
///     {"id": "autumn-sale", "priority": 5, "action": {"discount_percent": "10"}},
///     {"id": "loyalty", "priority": 5, "action": {"discount_percent": "7"}}
/// ]}"#)?;
/// assert_eq!(setup.pricing.strategy, Strategy::Priority);
/// let err = setup.validate().err().ok_or("the two rules tie")?;
/// assert_eq!(err.problems[0].code(), "ambiguous_priority");
///
/// setup.pricing.rules[1].priority = Some(6);            // loyalty first
/// assert!(setup.validate().is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Strategy {
    /// Business Central: a currency-specific rule replaces blank-currency
    /// ones, then the lowest net unit price wins, then the more specific
    /// scope, then declaration order.
    #[default]
    BestPrice,
    /// ERPNext: the highest priority wins (a rule without one ranks below
    /// every rule with one), then the more specific scope. Rules that could
    /// still tie are a setup error.
    Priority,
    /// Odoo, Magento: the first applicable rule in declaration order.
    FirstMatch,
}

/// How stackable discounts combine with the chosen rule and each other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stacking {
    /// Percentages add up (10 % + 5 % = 15 % off), amounts add up.
    #[default]
    Additive,
    /// Each discount applies to the price the previous one left, in
    /// declaration order (10 % then 5 % = 14.5 % off).
    Compounded,
}

/// Rounding of amounts to the currency's minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rounding {
    /// Halves round away from zero (0.125 → 0.13), as on invoices.
    #[default]
    HalfUp,
    /// Halves round to the even neighbour (0.125 → 0.12), banker's rounding.
    HalfEven,
}

/// A node of the item-group tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemGroup {
    /// The code request lines carry.
    pub code: String,
    /// The group this one belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A price rule: who, what, when, how many, which currency, and the price or
/// discount that follows.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, PriceRequest, PriceRule, Setup};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.pricing.item_groups = serde_json::from_str(r#"[{"code": "OILS"}]"#)?;
/// setup.pricing.rules.push(serde_json::from_str::<PriceRule>(r#"{
///     "id": "winter-oil",
///     "customers": {"group": "WEBSHOP"},
///     "items": {"item_group": "OILS"},
///     "valid_from": "2026-11-01", "valid_to": "2027-02-28", "currency": "EUR",
///     "action": {"discount_amount": "2.50"}
/// }"#)?);
/// let engine = Engine::new(setup)?;
///
/// let shopper = Customer::from_json(r#"{"id": "1", "billing_address": {"country": "NL"},
///     "channel": "webshop"}"#)?;
/// let oil = |date: &str| PriceRequest::from_json(&format!(r#"{{"item": "OIL-5L",
///     "item_group": "OILS", "list_price": "39.95", "quantity": "1", "date": "{date}",
///     "currency": "EUR"}}"#));
/// let winter = engine.price(&shopper, &oil("2026-12-01")?)?;
/// assert_eq!((winter.net_price.to_string(), winter.rule.as_deref()), ("37.45".to_owned(), Some("winter-oil")));
///
/// let summer = engine.price(&shopper, &oil("2026-07-01")?)?;
/// assert_eq!((summer.net_price.to_string(), summer.rule), ("39.95".to_owned(), None));
/// let why = summer.explanation.iter().flatten().next().ok_or("one rule")?;
/// assert_eq!(why.verdict.to_string(), "outside its dates 2026-11-01 to 2027-02-28");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PriceRule {
    /// Named in quotes and explanations.
    pub id: String,
    /// The customers it is for; all when missing.
    #[serde(default)]
    pub customers: CustomerScope,
    /// The items it is for; all when missing.
    #[serde(default)]
    pub items: ItemScope,
    /// Smallest quantity it applies to (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_decimal"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub min_quantity: Option<Decimal>,
    /// Largest quantity it applies to (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_decimal"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub max_quantity: Option<Decimal>,
    /// First day it applies (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub valid_from: Option<Date>,
    /// Last day it applies (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub valid_to: Option<Date>,
    /// The currency it applies to; any when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub currency: Option<CurrencyCode>,
    /// The price or discount.
    pub action: PriceAction,
    /// Rank under the `priority` strategy; higher wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// Applies on top of the chosen rule instead of competing with it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stackable: bool,
    /// Kept for history; never applies.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
}

/// The customers a price rule is for, from the most to the least specific:
/// one customer, a price group, a group, a type, a segment, everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustomerScope {
    /// Every customer.
    #[default]
    All,
    /// Customers of one type.
    Type(String),
    /// Customers of one group.
    Group(String),
    /// Customers of one price group.
    PriceGroup(String),
    /// One customer, by id.
    Customer(String),
    /// Customers matching a segment expression.
    Segment(String),
}

/// The items a price rule is for: one item, an item group with its
/// subgroups, or every item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemScope {
    /// Every item.
    #[default]
    All,
    /// Items of a group or of any of its subgroups.
    ItemGroup(String),
    /// One item, by its code.
    Item(String),
}

/// What a price rule does to the list price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PriceAction {
    /// This unit price, whatever the list price.
    FixedPrice(
        #[serde(deserialize_with = "deserialize_required_decimal")]
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        Decimal,
    ),
    /// This percentage (0 to 100) off the list price.
    DiscountPercent(
        #[serde(deserialize_with = "deserialize_required_decimal")]
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        Decimal,
    ),
    /// This amount off each unit.
    DiscountAmount(
        #[serde(deserialize_with = "deserialize_required_decimal")]
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        Decimal,
    ),
}

impl std::fmt::Display for PriceAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PriceAction::FixedPrice(price) => write!(f, "fixed price {price}"),
            PriceAction::DiscountPercent(percent) => write!(f, "{percent}% off"),
            PriceAction::DiscountAmount(amount) => write!(f, "{amount} off per unit"),
        }
    }
}

impl std::fmt::Display for CustomerScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CustomerScope::All => f.write_str("all customers"),
            CustomerScope::Type(code) => write!(f, "type {code}"),
            CustomerScope::Group(code) => write!(f, "group {code}"),
            CustomerScope::PriceGroup(code) => write!(f, "price group {code}"),
            CustomerScope::Customer(id) => write!(f, "customer {id}"),
            CustomerScope::Segment(expression) => write!(f, "segment {expression}"),
        }
    }
}

impl std::fmt::Display for ItemScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ItemScope::All => f.write_str("all items"),
            ItemScope::ItemGroup(code) => write!(f, "item group {code}"),
            ItemScope::Item(code) => write!(f, "item {code}"),
        }
    }
}

impl std::fmt::Display for PriceRule {
    /// `15% off for price group TRADE, item group PARTS`: the short reason
    /// a priced line gives.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} for {}, {}", self.action, self.customers, self.items)
    }
}
