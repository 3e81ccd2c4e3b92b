//! Webhook signatures: HMAC-SHA256 of the raw body under the shared secret,
//! base64 in a header, compared in constant time before anything is parsed.

use crate::error::ConnectError;

/// Checks Shopify's `X-Shopify-Hmac-Sha256` header against the raw body.
///
/// # Errors
///
/// `missing_signature` without a header, `invalid_signature` when it isn't
/// the body's.
pub fn verify_shopify_webhook(
    body: &[u8],
    secret: &[u8],
    signature: Option<&str>,
) -> Result<(), ConnectError> {
    let _ = (body, secret, signature);
    todo!("webhook helper")
}

/// Checks WooCommerce's `X-WC-Webhook-Signature` header against the raw body.
///
/// # Errors
///
/// As [`verify_shopify_webhook`].
pub fn verify_woocommerce_webhook(
    body: &[u8],
    secret: &[u8],
    signature: Option<&str>,
) -> Result<(), ConnectError> {
    let _ = (body, secret, signature);
    todo!("webhook helper")
}
