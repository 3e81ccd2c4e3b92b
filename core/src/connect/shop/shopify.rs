//! Profile `shopify/2025-01`: the body of Shopify's `customers/create` and
//! `customers/update` webhooks (the Admin REST customer), API version
//! 2025-01 and later.
//!
//! Read: `id`, `email`, `first_name`, `last_name`, `phone`, `currency`,
//! `created_at`, `tax_exempt`, `tax_exemptions`, and the billing address
//! from `default_address` (else the entry of `addresses` marked `default`):
//! `company`, `address1`, `address2`, `zip`, `city`, `country_code`,
//! `phone`. Since 2025-01 the webhook no longer carries `tags` or the
//! marketing consents; an older payload that still has them is read the
//! same, those fields ignored like every field the customer model has no
//! place for (`note`, `state`, `verified_email`, …).
//!
//! Shopify's customer has no VAT number and no delivery address of its
//! own (`addresses` is an address book, not "ship here"). Its tax
//! exemption has no customer field either: it becomes the text attributes
//! `tax_exempt` (`"true"` or `"false"`) and `tax_exemptions` (the codes
//! joined with `,`), under Shopify's own names, for rules to test.

use crate::customer::{Address, AttrValue, Customer};
use crate::error::ConnectError;

use super::json::{self, Object};
use super::{Foreign, ImportOptions, Imported};

/// The profile's name.
const PROFILE: &str = "shopify/2025-01";
/// The connector and the platform errors name.
const PLATFORM: &str = "shopify";

/// Fields no Shopify customer has: another platform's customer, or a
/// Shopify order (its `customer`, `line_items`).
const FOREIGN: [Foreign; 9] = [
    ("billing", "a WooCommerce customer"),
    ("shipping", "a WooCommerce customer"),
    ("meta_data", "a WooCommerce customer"),
    ("date_created", "a WooCommerce customer"),
    ("firstname", "a Magento customer"),
    ("lastname", "a Magento customer"),
    ("taxvat", "a Magento customer"),
    ("customer", "an order or an envelope around the customer"),
    ("line_items", "an order"),
];

/// A Shopify `customers/create` or `customers/update` webhook body (API
/// 2025-01 and later) as a customer: the company of its default address is
/// the name and the person the attention (else the person is the name);
/// the customer's phone first, the address's as `phone2` when it is
/// another number.
///
/// # Errors
///
/// A [`ConnectError`] naming the payload's path: `payload_too_large`,
/// `json_syntax`, `wrong_shape` (a value of another type than Shopify
/// sends, or a field another platform's customer or an order has),
/// `missing_field` (`$.id`), `invalid_field` (an unknown country or
/// currency, an id with a fraction, a timestamp that doesn't start with a
/// date).
///
/// ```
/// use custclass::{ImportOptions, from_shopify};
///
/// let payload = r#"{"id": 7408591044, "email": "anna@verhoeven.example",
///     "first_name": "Anna", "last_name": "Verhoeven", "tax_exempt": false,
///     "default_address": {"company": "Verhoeven Tegels", "address1": "Molenweg 3",
///         "zip": "3512 AB", "city": "Utrecht", "country_code": "NL"}}"#;
/// let imported = from_shopify(payload, &ImportOptions::default())?;
/// let customer = &imported.customer;
/// assert_eq!(customer.id.as_str(), "7408591044");
/// assert_eq!(customer.name.as_deref(), Some("Verhoeven Tegels"));
/// assert_eq!(customer.attention.as_deref(), Some("Anna Verhoeven"));
/// assert_eq!(customer.country().map(|c| c.as_str()), Some("NL"));
/// assert_eq!(imported.profile, "shopify/2025-01");
/// # Ok::<(), custclass::ConnectError>(())
/// ```
pub fn from_shopify(payload: &str, options: &ImportOptions) -> Result<Imported, ConnectError> {
    let payload = json::payload(payload)?;
    super::refuse_foreign(&payload, "Shopify", &FOREIGN)?;
    let id = super::platform_id(&payload, PLATFORM)?;
    let mut customer = Customer::default();
    let billing = billing_address(&payload)?;
    let company = match &billing {
        Some(address) => address.text("company")?,
        None => None,
    };
    let person = super::person([payload.text("first_name")?, payload.text("last_name")?]);
    (customer.name, customer.attention) = super::name_and_attention(company, person);
    customer.email = payload.text("email")?;
    customer.phone = payload.text("phone")?;
    if let Some(address) = &billing {
        let phone = address.text("phone")?;
        match customer.phone {
            None => customer.phone = phone,
            Some(_) => customer.phone2 = super::other_phone(customer.phone.as_ref(), phone),
        }
        customer.billing_address = Address {
            street: super::street([address.text("address1")?, address.text("address2")?]),
            postcode: address.text("zip")?,
            city: address.text("city")?,
            country: super::country(address, "country_code")?,
        };
    }
    customer.currency = super::currency(&payload, "currency")?;
    customer.created_at = super::day(&payload, "created_at")?;
    if let Some(exempt) = payload.flag("tax_exempt")? {
        customer
            .attributes
            .insert("tax_exempt".to_owned(), AttrValue::Text(exempt.to_string()));
    }
    let mut exemptions = Vec::new();
    for code in payload.array("tax_exemptions")? {
        exemptions.extend(code.text()?);
    }
    if !exemptions.is_empty() {
        customer.attributes.insert(
            "tax_exemptions".to_owned(),
            AttrValue::Text(exemptions.join(",")),
        );
    }
    Ok(super::finish(customer, id, PLATFORM, PROFILE, options))
}

/// `default_address`, else the entry of `addresses` marked `default`: the
/// same address, which a payload trimmed by a plugin may carry in only one
/// of the two places.
fn billing_address<'a>(payload: &Object<'a>) -> Result<Option<Object<'a>>, ConnectError> {
    if let Some(address) = payload.object("default_address")? {
        return Ok(Some(address));
    }
    for entry in payload.array("addresses")? {
        if let Some(address) = entry.object()?
            && address.flag("default")? == Some(true)
        {
            return Ok(Some(address));
        }
    }
    Ok(None)
}
