//! Connectors: a webshop's own customer payload in, the body an ERP's API
//! takes out, and the webhook signature checked before either. Pure
//! functions over text and values: no network, no clock, no files, so a
//! plugin calls them from whatever server or queue it already runs.
//!
//! A platform's payload is read by a versioned *profile* (`shopify/2025-01`,
//! `woocommerce/wc-v3`, `magento/2`): the fields the platform documents for
//! that version, mapped onto the customer model; extra fields are ignored,
//! a value of the wrong JSON type is an error naming its path.

mod erp;
mod shop;
mod text;
#[cfg(feature = "webhooks")]
mod webhook;

pub use erp::Exported;
pub use shop::{ImportOptions, Imported, from_magento, from_shopify, from_woocommerce};
pub use text::payload_text;
#[cfg(feature = "webhooks")]
pub use webhook::{verify_shopify_webhook, verify_woocommerce_webhook};
