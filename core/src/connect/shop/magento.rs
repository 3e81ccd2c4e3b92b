//! Profile `magento/2`: a customer of Magento 2's (Adobe Commerce's) REST
//! API (`GET /V1/customers/<id>`), as `Magento\Customer\Api\Data\
//! CustomerInterface` and `AddressInterface` define it.
//!
//! Read: `id`, `email`, `prefix`, `firstname`, `middlename`, `lastname`,
//! `suffix`, `taxvat`, `group_id`, `created_at`, `default_billing` and
//! `default_shipping` (address ids, text in Magento's interface), and from
//! `addresses[]`: `id`, `company`, `street[]`, `postcode`, `city`,
//! `country_id`, `telephone`, `fax`, `vat_id`, `default_billing`,
//! `default_shipping`. Ignored: `region`, `store_id`, `website_id`, `dob`,
//! `gender`, `extension_attributes`, `custom_attributes`, ….
//!
//! The customer group has no field in our model (our `group` is a code of
//! the setup, decided by its rules): Magento's `group_id` becomes the text
//! attribute `group_id`, under Magento's own name, for rules to test.

use crate::customer::{Address, AttrValue, Customer};
use crate::error::ConnectError;

use super::json::{self, Object};
use super::{Foreign, ImportOptions, Imported};

/// The profile's name.
const PROFILE: &str = "magento/2";
/// The connector and the platform errors name.
const PLATFORM: &str = "magento";

/// Fields no Magento customer has: another platform's customer, the
/// `{"customer": …}` envelope of Magento's own request bodies, or an order
/// (`items`, `customer_id`).
const FOREIGN: [Foreign; 10] = [
    ("first_name", "a Shopify or WooCommerce customer"),
    ("last_name", "a Shopify or WooCommerce customer"),
    ("default_address", "a Shopify customer"),
    ("admin_graphql_api_id", "a Shopify customer"),
    ("billing", "a WooCommerce customer"),
    ("meta_data", "a WooCommerce customer"),
    ("customer", "an order or an envelope around the customer"),
    ("customer_id", "an order"),
    ("items", "an order"),
    ("line_items", "an order"),
];

/// A Magento 2 REST customer as a customer: the default billing address
/// (the one flagged `default_billing`, else the one whose id the customer's
/// `default_billing` names) is the billing address, its company the name
/// and the person the attention; the default shipping address the delivery
/// address when it is another address; `taxvat`, else the billing
/// address's `vat_id`, the VAT number.
///
/// # Errors
///
/// As [`from_shopify`](crate::from_shopify).
///
/// ```
/// use custclass::{ImportOptions, from_magento};
///
/// let payload = r#"{"id": 52, "group_id": 2, "email": "ops@nordlicht.example",
///     "firstname": "Lena", "lastname": "Kraus", "created_at": "2025-02-11 08:15:00",
///     "addresses": [{"id": 9, "company": "Nordlicht GmbH", "street": ["Hafenstraße 4"],
///         "postcode": "20457", "city": "Hamburg", "country_id": "DE",
///         "vat_id": "DE136695976", "default_billing": true}]}"#;
/// let imported = from_magento(payload, &ImportOptions::default())?;
/// let customer = &imported.customer;
/// assert_eq!(customer.name.as_deref(), Some("Nordlicht GmbH"));
/// assert_eq!(customer.vat_number.as_deref(), Some("DE136695976"));
/// assert_eq!(customer.created_at.map(|day| day.to_string()).as_deref(), Some("2025-02-11"));
/// # Ok::<(), custclass::ConnectError>(())
/// ```
pub fn from_magento(payload: &str, options: &ImportOptions) -> Result<Imported, ConnectError> {
    let payload = json::payload(payload)?;
    super::refuse_foreign(&payload, "Magento", &FOREIGN)?;
    let id = super::platform_id(&payload, PLATFORM)?;
    let mut customer = Customer::default();
    let addresses = addresses(&payload)?;
    let billing = default_address(&payload, &addresses, "default_billing")?;
    let shipping = default_address(&payload, &addresses, "default_shipping")?;

    let person = super::person([
        payload.text("prefix")?,
        payload.text("firstname")?,
        payload.text("middlename")?,
        payload.text("lastname")?,
        payload.text("suffix")?,
    ]);
    let company = match billing {
        Some(address) => address.text("company")?,
        None => None,
    };
    (customer.name, customer.attention) = super::name_and_attention(company, person);
    customer.email = payload.text("email")?;
    customer.vat_number = payload.text("taxvat")?;
    if let Some(block) = billing {
        customer.billing_address = address(block)?;
        customer.phone = block.text("telephone")?;
        customer.fax = block.text("fax")?;
        if customer.vat_number.is_none() {
            customer.vat_number = block.text("vat_id")?;
        }
    }
    if let Some(block) = shipping {
        let phone = block.text("telephone")?;
        match customer.phone {
            None => customer.phone = phone,
            Some(_) => customer.phone2 = super::other_phone(customer.phone.as_ref(), phone),
        }
        customer.delivery_address = super::address(address(block)?)
            .filter(|delivery| *delivery != customer.billing_address);
    }
    if let Some(group) = payload.id("group_id")? {
        customer
            .attributes
            .insert("group_id".to_owned(), AttrValue::Text(group));
    }
    customer.created_at = super::day(&payload, "created_at")?;
    Ok(super::finish(customer, id, PLATFORM, PROFILE, options))
}

/// The address book, each entry an object (`null` entries left out).
fn addresses<'a>(payload: &Object<'a>) -> Result<Vec<Object<'a>>, ConnectError> {
    let mut addresses = Vec::new();
    for entry in payload.array("addresses")? {
        addresses.extend(entry.object()?);
    }
    Ok(addresses)
}

/// The address flagged `flag` (`default_billing`), else the one whose id
/// the customer's own `flag` names: Magento writes both, and a plugin's
/// trimmed payload may keep only one.
fn default_address<'b, 'a>(
    payload: &Object<'a>,
    addresses: &'b [Object<'a>],
    flag: &str,
) -> Result<Option<&'b Object<'a>>, ConnectError> {
    for address in addresses {
        if address.flag(flag)? == Some(true) {
            return Ok(Some(address));
        }
    }
    let Some(wanted) = payload.id(flag)? else {
        return Ok(None);
    };
    for address in addresses {
        if address.id("id")?.as_deref() == Some(wanted.as_str()) {
            return Ok(Some(address));
        }
    }
    Ok(None)
}

/// An address of the address book.
fn address(block: &Object<'_>) -> Result<Address, ConnectError> {
    let mut lines = Vec::new();
    for line in block.array("street")? {
        lines.push(line.text()?);
    }
    Ok(Address {
        street: super::street(lines),
        postcode: block.text("postcode")?,
        city: block.text("city")?,
        country: super::country(block, "country_id")?,
    })
}
