//! What a caller asks (a [`PriceRequest`]: one order line) and what the
//! engine answers (a [`Quote`], with its explanation when asked for).

use std::ops::Deref;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use crate::customer::CurrencyCode;
use crate::error::{PricingError, PricingErrorKind, json_path};
use crate::scalar::{deserialize_decimal, deserialize_required_decimal};

/// One line to price: the item, its list price, how many, when and in
/// which currency. The customer is given beside it, once per order.
///
/// # Examples
///
/// An order's lines read from JSON and priced in one call
/// ([`Engine::price_lines`](crate::Engine::price_lines), without
/// explanations):
///
/// ```
/// use custclass::{Customer, Engine, PriceRequest, Setup};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.pricing = serde_json::from_str(r#"{
///     "rules": [{"id": "business-10", "customers": {"type": "BUSINESS"},
///                "action": {"discount_percent": "10"}}]
/// }"#)?;
/// let engine = Engine::new(setup)?;
/// let garage = Customer::from_json(r#"{"id": "10018", "billing_address": {"country": "NL"},
///                                      "vat_number": "NL123456782B01"}"#)?;
/// let lines = PriceRequest::list_from_json(r#"[
///     {"item": "OIL-5L", "list_price": "39.95", "quantity": "2", "date": "2026-11-22", "currency": "EUR"},
///     {"item": "WIPER", "list_price": "12.00", "quantity": "1", "date": "2026-11-22", "currency": "EUR"}
/// ]"#)?;
/// let totals: Vec<String> = engine
///     .price_lines(&garage, &lines)?
///     .iter()
///     .map(|quote| quote.line_total.to_string())
///     .collect();
/// assert_eq!(totals, ["71.92", "10.80"]);   // 10 % off: 35.955 a unit, rounded to 35.96
///
/// // A line that can't be read names its place in the order and the field:
/// let err = PriceRequest::list_from_json(r#"[{"item": "WIPER", "list_price": "12.00",
///     "quantity": "1", "date": "2026-02-30", "currency": "EUR"}]"#).err().ok_or("refused")?;
/// assert_eq!((err.code(), err.line, err.kind.field()), ("invalid_field", Some(0), Some("$[0].date")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PriceRequest {
    /// The item code.
    pub item: String,
    /// The item's group in the setup's item-group tree, if it has one
    /// (blank text is none).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::scalar::deserialize_text"
    )]
    pub item_group: Option<String>,
    /// The unit price before any rule.
    #[serde(deserialize_with = "deserialize_required_decimal")]
    pub list_price: Decimal,
    /// How many units; more than zero.
    #[serde(deserialize_with = "deserialize_required_decimal")]
    pub quantity: Decimal,
    /// The day the price is for (order or delivery date).
    #[serde(deserialize_with = "crate::scalar::deserialize_required_day")]
    pub date: Date,
    /// The currency of the list price and of the quote.
    pub currency: CurrencyCode,
}

impl PriceRequest {
    /// A line without an item group (set `item_group` afterwards if it has
    /// one).
    ///
    /// ```
    /// use custclass::{Date, Decimal, PriceRequest};
    ///
    /// let mut line = PriceRequest::new(
    ///     "SKU-1",
    ///     Decimal::new(1999, 2),
    ///     Decimal::from(3),
    ///     Date::constant(2026, 3, 1),
    ///     "EUR".parse()?,
    /// );
    /// line.item_group = Some("TYRES".into());
    /// # Ok::<(), custclass::CodeError>(())
    /// ```
    pub fn new(
        item: impl Into<String>,
        list_price: Decimal,
        quantity: Decimal,
        date: Date,
        currency: CurrencyCode,
    ) -> PriceRequest {
        PriceRequest {
            item: item.into(),
            item_group: None,
            list_price,
            quantity,
            date,
            currency,
        }
    }

    /// The columns of order lines in a file or a batch: the customer's id,
    /// then the request's fields.
    pub const COLUMNS: [&'static str; 7] = [
        "customer",
        "item",
        "item_group",
        "list_price",
        "quantity",
        "date",
        "currency",
    ];

    /// Reads a request from JSON.
    ///
    /// # Errors
    ///
    /// A [`PricingError`]: `json_syntax`, `json_unknown_field`,
    /// `json_missing_field` or `invalid_field` (a date like 2026-02-30, an
    /// unknown currency, a decimal that isn't one), with the field's path.
    pub fn from_json(json: &str) -> Result<PriceRequest, PricingError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let field = json_path(err.path());
            PricingError::new(PricingErrorKind::from_json(field, err.inner()))
        })
    }

    /// Reads the lines of an order from a JSON array.
    ///
    /// # Errors
    ///
    /// As [`PriceRequest::from_json`]; the error names the line (`line`)
    /// and the path within the array (`$[3].date`).
    pub fn list_from_json(json: &str) -> Result<Vec<PriceRequest>, PricingError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let line = match err.path().iter().next() {
                Some(serde_path_to_error::Segment::Seq { index }) => Some(*index),
                _ => None,
            };
            let field = json_path(err.path());
            let error = PricingError::new(PricingErrorKind::from_json(field, err.inner()));
            match line {
                Some(line) => error.at_line(line),
                None => error,
            }
        })
    }
}

/// A price rule's id as quotes carry it. Ids of up to 23 bytes are stored
/// inline, so pricing a line copies the winner's id from the index it has
/// just read instead of reaching for the rule elsewhere in memory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleId(SmolStr);

impl RuleId {
    pub(crate) fn new(id: &str) -> RuleId {
        RuleId(SmolStr::new(id))
    }
}

impl RuleId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for RuleId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for RuleId {
    fn from(id: &str) -> Self {
        RuleId::new(id)
    }
}

impl From<String> for RuleId {
    fn from(id: String) -> Self {
        RuleId(SmolStr::from(id))
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> Self {
        id.0.into()
    }
}

crate::text_newtype::compares_as_text!(RuleId);

impl Deref for RuleId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&self.0)
    }
}

/// The price of one line, and why.
///
/// Its JSON form adds the derived `discount_amount` and `discount_percent`,
/// which are computed when read rather than for every line of a batch.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, PriceRequest, Setup, Verdict};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.pricing = serde_json::from_str(r#"{
///     "item_groups": [{"code": "PARTS"}, {"code": "BRAKES", "parent": "PARTS"}],
///     "rules": [
///         {"id": "business-parts-15", "customers": {"type": "BUSINESS"},
///          "items": {"item_group": "PARTS"}, "action": {"discount_percent": "15"}},
///         {"id": "brakes-20-from-10", "customers": {"type": "BUSINESS"},
///          "items": {"item_group": "BRAKES"}, "min_quantity": "10",
///          "action": {"discount_percent": "20"}}
///     ]
/// }"#)?;
/// let engine = Engine::new(setup)?;
/// // A Dutch garage with a valid VAT number: type BUSINESS.
/// let garage = Customer::from_json(r#"{"id": "10018", "billing_address": {"country": "NL"},
///                                      "vat_number": "NL123456782B01"}"#)?;
/// let line = PriceRequest::from_json(r#"{"item": "BRAKE-DISC-R", "item_group": "BRAKES",
///     "list_price": "72.50", "quantity": "9", "date": "2026-11-22", "currency": "EUR"}"#)?;
///
/// let quote = engine.price(&garage, &line)?;
/// assert_eq!(quote.net_price.to_string(), "61.63");      // 72.50 less 15 %, to cents
/// assert_eq!(quote.line_total.to_string(), "554.67");    // 61.63 × 9
/// assert_eq!(quote.discount_percent().to_string(), "14.99");
/// assert_eq!(quote.rule.as_deref(), Some("business-parts-15"));
///
/// // The explanation gives every rule of the setup its verdict, in order:
/// let why: Vec<String> = quote
///     .explanation
///     .iter()
///     .flatten()
///     .map(|candidate| format!("{}: {}", candidate.rule, candidate.verdict))
///     .collect();
/// assert_eq!(why, [
///     "business-parts-15: applied: 61.63",
///     "brakes-20-from-10: below the minimum quantity 10: buy 1 more",
/// ]);
/// let brakes = quote.explanation.iter().flatten().nth(1).ok_or("two verdicts")?;
/// assert!(matches!(&brakes.verdict, Verdict::BelowMinQuantity { .. }));
/// // The same in words, as every binding shows it:
/// assert_eq!(brakes.text, "below the minimum quantity 10: buy 1 more");
/// assert_eq!(&*quote.reason, "15% off for type BUSINESS, item group PARTS");
///
/// // The JSON form the bindings return: decimals as strings, the discount added.
/// let json = serde_json::to_value(&quote)?;
/// assert_eq!((&json["net_price"], &json["discount_percent"]), (&"61.63".into(), &"14.99".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Quote {
    /// The unit price before any rule, as requested.
    pub list_price: Decimal,
    /// The unit price after the rules, rounded to the currency's minor
    /// units; never below zero.
    pub net_price: Decimal,
    /// How many units.
    pub quantity: Decimal,
    /// `net_price × quantity`, rounded to the currency's minor units.
    pub line_total: Decimal,
    /// The currency of every amount.
    pub currency: CurrencyCode,
    /// The rule that set the price, if any rule applied.
    pub rule: Option<RuleId>,
    /// Stackable rules applied on top, in declaration order.
    pub stacked: Vec<RuleId>,
    /// Why, for people: the chosen rule's description and those of the
    /// stacked ones, joined by ` + ` (`15% off for price group TRADE, item
    /// group PARTS`), or `no price rule applies: list price`. Shared with
    /// the engine, which writes each rule's description once.
    pub reason: Arc<str>,
    /// Every price rule of the setup with its verdict, in declaration order
    /// ([`Engine::price`](crate::Engine::price) fills it;
    /// [`Engine::price_lines`](crate::Engine::price_lines) leaves it out).
    pub explanation: Option<Vec<Candidate>>,
}

impl Quote {
    /// `list_price - net_price` per unit (negative when a fixed price is
    /// above the list price).
    pub fn discount_amount(&self) -> Decimal {
        discount_amount(self.list_price, self.net_price)
    }

    /// The discount as a percentage of the list price, to two decimals
    /// (half-up); zero for a list price of zero.
    pub fn discount_percent(&self) -> Decimal {
        discount_percent(self.list_price, self.net_price)
    }
}

/// `list - net`, as [`Quote::discount_amount`]; the bulk results share it.
pub(crate) fn discount_amount(list: Decimal, net: Decimal) -> Decimal {
    // Saturating: a quote's prices are 0 or more, so only a hand-made
    // one could overflow.
    list.saturating_sub(net)
}

/// As [`Quote::discount_percent`]; the bulk results share it.
pub(crate) fn discount_percent(list: Decimal, net: Decimal) -> Decimal {
    let amount = discount_amount(list, net);
    let mut percent = if list.is_zero() || amount.is_zero() {
        Decimal::ZERO
    } else {
        // The net price is at most 28 digits like the list price, so the
        // ratio only overflows for a list price near the smallest
        // decimal; such a line shows no percentage rather than failing.
        amount
            .checked_div(list)
            .and_then(|ratio| ratio.checked_mul(Decimal::ONE_HUNDRED))
            .unwrap_or_default()
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    percent.rescale(2);
    percent
}

impl Serialize for Quote {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Form<'q> {
            list_price: Decimal,
            net_price: Decimal,
            discount_amount: Decimal,
            discount_percent: Decimal,
            quantity: Decimal,
            line_total: Decimal,
            currency: CurrencyCode,
            #[serde(skip_serializing_if = "Option::is_none")]
            rule: &'q Option<RuleId>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            stacked: &'q [RuleId],
            reason: &'q str,
            #[serde(skip_serializing_if = "Option::is_none")]
            explanation: &'q Option<Vec<Candidate>>,
        }
        Form {
            list_price: self.list_price,
            net_price: self.net_price,
            discount_amount: self.discount_amount(),
            discount_percent: self.discount_percent(),
            quantity: self.quantity,
            line_total: self.line_total,
            currency: self.currency,
            rule: &self.rule,
            stacked: &self.stacked,
            reason: &self.reason,
            explanation: &self.explanation,
        }
        .serialize(serializer)
    }
}

/// A quote as its JSON form has it, stored by a caller and read back: the
/// derived `discount_amount` and `discount_percent` may be left out, and
/// when given must be what the prices make them, so that no figure read is
/// silently replaced. The `reason` is kept as written (empty when left
/// out): without the setup there is nothing to check it against.
impl<'de> Deserialize<'de> for Quote {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Form {
            #[serde(deserialize_with = "deserialize_required_decimal")]
            list_price: Decimal,
            #[serde(deserialize_with = "deserialize_required_decimal")]
            net_price: Decimal,
            #[serde(default, deserialize_with = "deserialize_decimal")]
            discount_amount: Option<Decimal>,
            #[serde(default, deserialize_with = "deserialize_decimal")]
            discount_percent: Option<Decimal>,
            #[serde(deserialize_with = "deserialize_required_decimal")]
            quantity: Decimal,
            #[serde(deserialize_with = "deserialize_required_decimal")]
            line_total: Decimal,
            currency: CurrencyCode,
            #[serde(default)]
            rule: Option<RuleId>,
            #[serde(default)]
            stacked: Vec<RuleId>,
            #[serde(default)]
            reason: Option<Arc<str>>,
            #[serde(default)]
            explanation: Option<Vec<Candidate>>,
        }
        let form = Form::deserialize(deserializer)?;
        let quote = Quote {
            list_price: form.list_price,
            net_price: form.net_price,
            quantity: form.quantity,
            line_total: form.line_total,
            currency: form.currency,
            rule: form.rule,
            stacked: form.stacked,
            reason: form.reason.unwrap_or_default(),
            explanation: form.explanation,
        };
        let derived = [
            (
                "discount_amount",
                form.discount_amount,
                quote.discount_amount(),
            ),
            (
                "discount_percent",
                form.discount_percent,
                quote.discount_percent(),
            ),
        ];
        for (field, given, made) in derived {
            if let Some(given) = given.filter(|given| *given != made) {
                return Err(serde::de::Error::custom(format!(
                    "{field} is {given}, but the list and net prices make it {made}"
                )));
            }
        }
        Ok(quote)
    }
}

/// One price rule's verdict on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Candidate {
    /// The rule's id.
    pub rule: RuleId,
    /// The rule for people, as a quote's `reason` gives it (`15% off for
    /// price group TRADE, item group PARTS`); empty when read from JSON
    /// without it.
    #[serde(default)]
    pub description: Arc<str>,
    /// What became of it.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The verdict for people (`below the minimum quantity 10: buy 1
    /// more`), its `Display`; written when the explanation is, so every
    /// host shows the same words.
    #[serde(default)]
    pub text: String,
}

/// Why a rule did or did not set the price. Rules that apply carry the net
/// unit price they alone would give, so a loss on price can be checked.
///
/// # Examples
///
/// A hint for the shopper's cart: what a few more units would save.
///
/// ```
/// use custclass::{Customer, Engine, PriceRequest, Setup, Verdict};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.pricing = serde_json::from_str(r#"{"rules": [
///     {"id": "six-pack", "items": {"item": "WIPER"}, "min_quantity": "6",
///      "action": {"discount_percent": "10"}}
/// ]}"#)?;
/// let engine = Engine::new(setup)?;
/// let shopper = Customer::from_json(r#"{"id": "1", "billing_address": {"country": "NL"}}"#)?;
/// let line = PriceRequest::from_json(r#"{"item": "WIPER", "list_price": "12.00",
///     "quantity": "4", "date": "2026-11-22", "currency": "EUR"}"#)?;
///
/// let quote = engine.price(&shopper, &line)?;
/// let hint = quote.explanation.iter().flatten().find_map(|candidate| match &candidate.verdict {
///     Verdict::BelowMinQuantity { buy_more, .. } => Some(format!("buy {buy_more} more: {}", candidate.rule)),
///     _ => None,
/// });
/// assert_eq!(hint.as_deref(), Some("buy 2 more: six-pack"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// It set the price.
    Applied {
        /// The unit price it alone gives.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        net_price: Decimal,
    },
    /// Stackable: it applied on top of the chosen price.
    Stacked {
        /// The unit price it alone would give.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        net_price: Decimal,
    },
    /// It applied, but another rule gave a lower price (`best_price`).
    LostOnPrice {
        /// The unit price it would have given.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        net_price: Decimal,
        /// The rule that won.
        winner: RuleId,
    },
    /// It has no currency, and a rule for the line's currency applied
    /// (`best_price`).
    BlankCurrency {
        /// The unit price it would have given.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        net_price: Decimal,
        /// The rule that won.
        winner: RuleId,
    },
    /// It applied, but a rule of higher priority won (`priority`).
    LowerPriority {
        /// The unit price it would have given.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        net_price: Decimal,
        /// The rule that won.
        winner: RuleId,
    },
    /// It applied and tied, but the winner's scope is more specific.
    LessSpecific {
        /// The unit price it would have given.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        net_price: Decimal,
        /// The rule that won.
        winner: RuleId,
    },
    /// It applied and tied, but the winner comes first in the setup (and
    /// under `first_match`, coming first is all that counts).
    DeclaredLater {
        /// The unit price it would have given.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        net_price: Decimal,
        /// The rule that won.
        winner: RuleId,
    },
    /// The line's date is outside the rule's period.
    OutsideDates {
        /// First day, if bounded.
        #[serde(skip_serializing_if = "Option::is_none")]
        valid_from: Option<Date>,
        /// Last day, if bounded.
        #[serde(skip_serializing_if = "Option::is_none")]
        valid_to: Option<Date>,
    },
    /// The quantity is below the rule's minimum.
    BelowMinQuantity {
        /// The minimum.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        min_quantity: Decimal,
        /// How many more units would qualify ("buy N more").
        #[serde(deserialize_with = "deserialize_required_decimal")]
        buy_more: Decimal,
    },
    /// The quantity is above the rule's maximum.
    AboveMaxQuantity {
        /// The maximum.
        #[serde(deserialize_with = "deserialize_required_decimal")]
        max_quantity: Decimal,
    },
    /// The rule is for another currency.
    CurrencyMismatch {
        /// The rule's currency.
        currency: CurrencyCode,
    },
    /// The rule is for other customers.
    CustomerOutOfScope,
    /// The rule is for other items.
    ItemOutOfScope,
    /// The rule is inactive.
    Inactive,
}

impl std::fmt::Display for Verdict {
    /// One line for people: `below the minimum quantity 10: buy 1 more`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Applied { net_price } => write!(f, "applied: {net_price}"),
            Verdict::Stacked { net_price } => {
                write!(f, "stacked on top (alone: {net_price})")
            }
            Verdict::LostOnPrice { net_price, winner } => {
                write!(f, "lost on price: {net_price} against {winner}")
            }
            Verdict::BlankCurrency { net_price, winner } => write!(
                f,
                "replaced by {winner}, a rule for the line's currency (would give {net_price})"
            ),
            Verdict::LowerPriority { net_price, winner } => {
                write!(f, "lower priority than {winner} (would give {net_price})")
            }
            Verdict::LessSpecific { net_price, winner } => {
                write!(f, "less specific than {winner} (would give {net_price})")
            }
            Verdict::DeclaredLater { net_price, winner } => {
                write!(f, "declared after {winner} (would give {net_price})")
            }
            Verdict::OutsideDates {
                valid_from,
                valid_to,
            } => {
                let day = |d: &Option<Date>| d.map_or_else(|| "…".to_owned(), |d| d.to_string());
                write!(
                    f,
                    "outside its dates {} to {}",
                    day(valid_from),
                    day(valid_to)
                )
            }
            Verdict::BelowMinQuantity {
                min_quantity,
                buy_more,
            } => write!(
                f,
                "below the minimum quantity {min_quantity}: buy {buy_more} more"
            ),
            Verdict::AboveMaxQuantity { max_quantity } => {
                write!(f, "above the maximum quantity {max_quantity}")
            }
            Verdict::CurrencyMismatch { currency } => write!(f, "for {currency} only"),
            Verdict::CustomerOutOfScope => f.write_str("for other customers"),
            Verdict::ItemOutOfScope => f.write_str("for other items"),
            Verdict::Inactive => f.write_str("inactive"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_compare_with_text() {
        let id = RuleId::new("dealer-10");
        assert_eq!(id, "dealer-10");
        assert_eq!(id, *"dealer-10");
        assert_eq!(id, "dealer-10".to_owned());
        assert!("dealer-10" == id);
        assert_eq!(RuleId::from("dealer-10"), id);
        assert_eq!(id.as_str(), "dealer-10");
    }
}
