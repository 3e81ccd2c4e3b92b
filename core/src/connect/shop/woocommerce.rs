//! Profile `woocommerce/wc-v3`: a customer of WooCommerce's REST API
//! `wc/v3` (`GET /wp-json/wc/v3/customers/<id>`, and the body of its
//! `customer.created` / `customer.updated` webhooks), as
//! `WC_REST_Customers_Controller` writes it.
//!
//! Read: `id`, `email`, `first_name`, `last_name`, `date_created` (else
//! `date_created_gmt`), the `billing` block (`company`, `first_name`,
//! `last_name`, `address_1`, `address_2`, `postcode`, `city`, `country`,
//! `email`, `phone`), the `shipping` block (the same, without `email`) and
//! `meta_data[{key, value}]` for the VAT number, which WooCommerce itself
//! has no field for: plugins file it under keys of their own
//! ([`ImportOptions::vat_meta_keys`], else `DEFAULT_VAT_META_KEYS`). Ignored:
//! `role`, `username`, `is_paying_customer`, `avatar_url`, `state`, and
//! every other meta key.

use crate::customer::{Address, Customer};
use crate::error::ConnectError;

use super::json::{self, Object};
use super::{DEFAULT_VAT_META_KEYS, Foreign, ImportOptions, Imported};

/// The profile's name.
const PROFILE: &str = "woocommerce/wc-v3";
/// The connector and the platform errors name.
const PLATFORM: &str = "woocommerce";

/// Fields no WooCommerce customer has: another platform's customer, or a
/// WooCommerce order (`customer_id`, `line_items`).
const FOREIGN: [Foreign; 8] = [
    ("default_address", "a Shopify customer"),
    ("admin_graphql_api_id", "a Shopify customer"),
    ("firstname", "a Magento customer"),
    ("lastname", "a Magento customer"),
    ("taxvat", "a Magento customer"),
    ("customer", "an order or an envelope around the customer"),
    ("customer_id", "an order"),
    ("line_items", "an order"),
];

/// A WooCommerce REST `wc/v3` customer as a customer: the billing company
/// is the name and the person (the account's first and last name, else
/// the billing block's) the attention; the billing e-mail, when it is
/// another address than the account's, becomes `document_emails.invoice`;
/// the shipping block the delivery address when it is another address;
/// the VAT number the first non-blank meta value under the configured keys.
///
/// # Errors
///
/// As [`from_shopify`](crate::from_shopify); `wrong_shape` also for a VAT
/// meta value that isn't text.
///
/// ```
/// use custclass::{ImportOptions, from_woocommerce};
///
/// let payload = r#"{"id": 318, "email": "jan@bakkerij-smit.example",
///     "billing": {"company": "Bakkerij Smit", "first_name": "Jan", "last_name": "Smit",
///         "address_1": "Kerkstraat 12", "postcode": "8011 AA", "city": "Zwolle",
///         "country": "NL", "email": "facturen@bakkerij-smit.example"},
///     "meta_data": [{"id": 91, "key": "billing_eu_vat_number", "value": "NL123456789B01"}]}"#;
/// let imported = from_woocommerce(payload, &ImportOptions::default())?;
/// let customer = &imported.customer;
/// assert_eq!(customer.name.as_deref(), Some("Bakkerij Smit"));
/// assert_eq!(customer.vat_number.as_deref(), Some("NL123456789B01"));
/// assert_eq!(customer.document_emails.invoice.as_deref(), Some("facturen@bakkerij-smit.example"));
/// # Ok::<(), custclass::ConnectError>(())
/// ```
pub fn from_woocommerce(payload: &str, options: &ImportOptions) -> Result<Imported, ConnectError> {
    let payload = json::payload(payload)?;
    super::refuse_foreign(&payload, "WooCommerce", &FOREIGN)?;
    let id = super::platform_id(&payload, PLATFORM)?;
    let mut customer = Customer::default();
    let billing = payload.object("billing")?;
    let shipping = payload.object("shipping")?;

    let (company, billing_person) = match &billing {
        Some(block) => (
            block.text("company")?,
            super::person([block.text("first_name")?, block.text("last_name")?]),
        ),
        None => (None, None),
    };
    let person = super::person([payload.text("first_name")?, payload.text("last_name")?]);
    (customer.name, customer.attention) =
        super::name_and_attention(company, person.or(billing_person));

    customer.email = payload.text("email")?;
    if let Some(block) = &billing {
        let billing_email = block.text("email")?;
        match &customer.email {
            None => customer.email = billing_email,
            Some(email) => {
                customer.document_emails.invoice =
                    billing_email.filter(|other| !other.trim().eq_ignore_ascii_case(email.trim()));
            }
        }
        customer.phone = block.text("phone")?;
        customer.billing_address = address(block)?;
    }
    if let Some(block) = &shipping {
        let phone = block.text("phone")?;
        match customer.phone {
            None => customer.phone = phone,
            Some(_) => customer.phone2 = super::other_phone(customer.phone.as_ref(), phone),
        }
        customer.delivery_address = super::address(address(block)?)
            .filter(|delivery| *delivery != customer.billing_address);
    }
    customer.vat_number = vat_number(&payload, options)?;
    customer.created_at = match super::day(&payload, "date_created")? {
        Some(day) => Some(day),
        None => super::day(&payload, "date_created_gmt")?,
    };
    Ok(super::finish(customer, id, PLATFORM, PROFILE, options))
}

/// A `billing` or `shipping` block's address.
fn address(block: &Object<'_>) -> Result<Address, ConnectError> {
    Ok(Address {
        street: super::street([block.text("address_1")?, block.text("address_2")?]),
        postcode: block.text("postcode")?,
        city: block.text("city")?,
        country: super::country(block, "country")?,
    })
}

/// The first non-blank value under the configured keys, in the keys'
/// order (not the meta list's): a shop that moved from one VAT plugin to
/// another may carry both, and the options say which one counts. Meta
/// under other keys is never looked at, whatever its type.
fn vat_number(
    payload: &Object<'_>,
    options: &ImportOptions,
) -> Result<Option<String>, ConnectError> {
    let meta = payload.array("meta_data")?;
    let mut entries = Vec::with_capacity(meta.len());
    for item in meta {
        let Some(entry) = item.object()? else {
            continue;
        };
        if let Some(key) = entry.text("key")? {
            entries.push((key, entry));
        }
    }
    let wanted: Vec<&str> = match &options.vat_meta_keys {
        Some(keys) => keys.iter().map(String::as_str).collect(),
        None => DEFAULT_VAT_META_KEYS.to_vec(),
    };
    for want in wanted {
        for (key, entry) in &entries {
            if key == want
                && let Some(number) = entry.text("value")?
            {
                return Ok(Some(number));
            }
        }
    }
    Ok(None)
}
