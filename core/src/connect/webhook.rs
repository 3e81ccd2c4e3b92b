//! Webhook signatures: HMAC-SHA256 of the raw body under the shared secret,
//! base64 in a header, compared in constant time before anything is parsed.
//!
//! Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce
//! (`X-WC-Webhook-Signature`, `WC_Webhook::generate_signature`: base64 of
//! the raw `hash_hmac('sha256', …)`) sign the same way; only the header
//! differs, and it is named in the error so a log says which one to look at.
//!
//! The check runs on the bytes as they came off the wire: a body parsed
//! and serialised again has other bytes (key order, spaces, escapes) and
//! would never verify, and a body parsed before it is verified has already
//! let an unknown sender's bytes into the parser.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::ConnectError;

/// Shopify's signature header.
const SHOPIFY_HEADER: &str = "X-Shopify-Hmac-Sha256";
/// WooCommerce's signature header.
const WOOCOMMERCE_HEADER: &str = "X-WC-Webhook-Signature";

/// Checks Shopify's `X-Shopify-Hmac-Sha256` header against the raw body.
///
/// `body` is the request body as received, before any parsing; `secret` the
/// app's client secret (or the secret shown with webhooks made in the shop's
/// admin); `signature` the header's value, `None` when the request has none.
///
/// # Examples
///
/// ```
/// let body = br#"{"id":1}"#;
/// let err = custclass::verify_shopify_webhook(body, b"secret", Some("AAAA")).unwrap_err();
/// assert_eq!(err.code(), "invalid_signature");
/// ```
///
/// # Errors
///
/// `missing_signature` without a header (or a blank one), `invalid_signature`
/// when it isn't the body's under the secret: another body, another secret,
/// or no base64 of a SHA-256 MAC at all, told apart by nothing, so a forger
/// learns nothing from the answer. An empty secret verifies nothing.
pub fn verify_shopify_webhook(
    body: &[u8],
    secret: &[u8],
    signature: Option<&str>,
) -> Result<(), ConnectError> {
    verify(SHOPIFY_HEADER, body, secret, signature)
}

/// Checks WooCommerce's `X-WC-Webhook-Signature` header against the raw body.
///
/// `secret` is the webhook's secret as typed in WooCommerce's webhook
/// settings (WooCommerce signs with it as typed, HTML entities decoded).
///
/// # Errors
///
/// As [`verify_shopify_webhook`].
pub fn verify_woocommerce_webhook(
    body: &[u8],
    secret: &[u8],
    signature: Option<&str>,
) -> Result<(), ConnectError> {
    verify(WOOCOMMERCE_HEADER, body, secret, signature)
}

/// The check both platforms share.
fn verify(
    header: &str,
    body: &[u8],
    secret: &[u8],
    signature: Option<&str>,
) -> Result<(), ConnectError> {
    let signature = signature
        .map(str::trim)
        .filter(|signature| !signature.is_empty())
        .ok_or_else(|| ConnectError::MissingSignature {
            header: header.to_owned(),
        })?;
    let invalid = || ConnectError::InvalidSignature {
        header: header.to_owned(),
    };
    // A receiver whose secret didn't load (an unset variable) must not
    // accept what anyone can sign with the empty key.
    if secret.is_empty() {
        return Err(invalid());
    }
    // The header is no secret (it travels with the body), so decoding it in
    // variable time tells nothing; only the MAC comparison must not.
    let claimed = STANDARD.decode(signature).map_err(|_| invalid())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| invalid())?;
    mac.update(body);
    // Constant time over the 32 bytes; a tag of another length is refused
    // on its length, which the header already shows.
    mac.verify_slice(&claimed).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(&text[at..at + 2], 16).unwrap())
            .collect()
    }

    fn base64_of_hex(text: &str) -> String {
        STANDARD.encode(hex(text))
    }

    /// RFC 4231's HMAC-SHA256 test cases (key, data, MAC), all but case 5,
    /// whose MAC is truncated to 128 bits: a truncated MAC is no signature
    /// either platform sends.
    const RFC_4231: &[(&str, &str, &str)] = &[
        (
            "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
            "4869205468657265",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            "4a656665",
            "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\
             dddddddddddddddddddddddddddddddddddd",
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        ),
        (
            "0102030405060708090a0b0c0d0e0f10111213141516171819",
            "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\
             cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        ),
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaa",
            "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a\
             65204b6579202d2048617368204b6579204669727374",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaa",
            "5468697320697320612074657374207573696e672061206c6172676572207468\
             616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074\
             68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565\
             647320746f20626520686173686564206265666f7265206265696e6720757365\
             642062792074686520484d414320616c676f726974686d2e",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];

    /// The continuation lines of the table above, without their indentation.
    fn unwrapped(text: &str) -> String {
        text.split_whitespace().collect()
    }

    #[test]
    fn rfc_4231_macs_verify_under_both_headers() {
        for (key, data, mac) in RFC_4231 {
            let (key, data) = (hex(&unwrapped(key)), hex(&unwrapped(data)));
            let signature = base64_of_hex(mac);
            verify_shopify_webhook(&data, &key, Some(&signature)).unwrap();
            verify_woocommerce_webhook(&data, &key, Some(&signature)).unwrap();
        }
    }

    #[test]
    fn rfc_4231_macs_fail_for_a_changed_byte_or_key() {
        for (key, data, mac) in RFC_4231 {
            let (key, mut data) = (hex(&unwrapped(key)), hex(&unwrapped(data)));
            let signature = base64_of_hex(mac);
            let mut other_key = key.clone();
            other_key[0] ^= 1;
            let err = verify_shopify_webhook(&data, &other_key, Some(&signature)).unwrap_err();
            assert_eq!(err.code(), "invalid_signature");
            data[0] ^= 0x80;
            let err = verify_shopify_webhook(&data, &key, Some(&signature)).unwrap_err();
            assert_eq!(err.code(), "invalid_signature");
        }
    }

    /// Case 2 of RFC 4231: key "Jefe".
    fn jefe() -> (&'static [u8], &'static [u8], String) {
        let mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        (b"Jefe", b"what do ya want for nothing?", base64_of_hex(mac))
    }

    #[test]
    fn surrounding_white_space_of_the_header_is_not_part_of_it() {
        let (key, data, signature) = jefe();
        let padded = format!(" \t{signature}\r\n");
        verify_woocommerce_webhook(data, key, Some(&padded)).unwrap();
        // …but white space inside it is.
        let split = format!("{} {}", &signature[..10], &signature[10..]);
        let err = verify_woocommerce_webhook(data, key, Some(&split)).unwrap_err();
        assert_eq!(err.code(), "invalid_signature");
    }

    #[test]
    fn a_missing_or_blank_header_names_the_header() {
        let (key, data, _) = jefe();
        for signature in [None, Some(""), Some("  \t")] {
            let err = verify_shopify_webhook(data, key, signature).unwrap_err();
            assert_eq!(
                err,
                ConnectError::MissingSignature {
                    header: "X-Shopify-Hmac-Sha256".into()
                }
            );
            let err = verify_woocommerce_webhook(data, key, signature).unwrap_err();
            assert_eq!(
                err,
                ConnectError::MissingSignature {
                    header: "X-WC-Webhook-Signature".into()
                }
            );
        }
    }

    #[test]
    fn every_wrong_signature_is_the_same_error() {
        let (key, data, signature) = jefe();
        let hex_mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let unpadded = signature.trim_end_matches('=').to_owned();
        let truncated = STANDARD.encode(&hex(hex_mac)[..16]);
        let longer = STANDARD.encode([hex(hex_mac), vec![0]].concat());
        for wrong in [
            "not base64 at all!",
            hex_mac,
            &unpadded,
            &truncated,
            &longer,
            "====",
        ] {
            let err = verify_woocommerce_webhook(data, key, Some(wrong)).unwrap_err();
            assert_eq!(
                err,
                ConnectError::InvalidSignature {
                    header: "X-WC-Webhook-Signature".into()
                },
                "{wrong}"
            );
        }
    }

    #[test]
    fn an_empty_secret_verifies_nothing() {
        let body = b"{}";
        let mut mac = Hmac::<Sha256>::new_from_slice(b"").unwrap();
        mac.update(body);
        let signature = STANDARD.encode(mac.finalize().into_bytes());
        let err = verify_shopify_webhook(body, b"", Some(&signature)).unwrap_err();
        assert_eq!(err.code(), "invalid_signature");
    }

    #[test]
    fn the_signature_is_of_the_bytes_not_of_the_json() {
        let key = b"k";
        let sign = |body: &[u8]| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
            mac.update(body);
            STANDARD.encode(mac.finalize().into_bytes())
        };
        let signature = sign(br#"{"id":1}"#);
        verify_shopify_webhook(br#"{"id":1}"#, key, Some(&signature)).unwrap();
        // The same JSON with a space: other bytes, so not the signed body.
        let err = verify_shopify_webhook(br#"{"id": 1}"#, key, Some(&signature)).unwrap_err();
        assert_eq!(err.code(), "invalid_signature");
    }
}
