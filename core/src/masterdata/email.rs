//! E-mail addresses on the customer card: checked with the `email_address`
//! crate (RFC 5321/5322 syntax), then normalised so that one mailbox is
//! always written one way.

use email_address::{EmailAddress, Options};

/// `text` as one mailbox, trimmed and with its domain in lower case (the
/// local part keeps its case: RFC 5321 leaves it to the receiving host).
///
/// # Errors
///
/// What is wrong with the address, in the crate's words.
pub(crate) fn normalise_email(text: &str) -> Result<String, String> {
    // A customer's address has a domain with a dot, and no display name or
    // IP literal: those are typing mistakes on a customer card.
    let options = Options::default()
        .with_required_tld()
        .without_domain_literal()
        .without_display_text();
    let address = EmailAddress::parse_with_options(text.trim(), options)
        .map_err(|err| format!("`{text}` is not an e-mail address: {err}"))?;
    Ok(format!(
        "{}@{}",
        address.local_part(),
        address.domain().to_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_its_domain_lowered() {
        assert_eq!(
            normalise_email(" Piet.Jansen@Example.NL ").unwrap(),
            "Piet.Jansen@example.nl"
        );
        assert_eq!(
            normalise_email("a+tag@sub.example.co.uk").unwrap(),
            "a+tag@sub.example.co.uk"
        );
        for bad in [
            "",
            "piet",
            "piet@",
            "@example.nl",
            "piet@localhost",
            "Piet <piet@example.nl>",
            "piet@[10.0.0.1]",
            "pi et@example.nl",
            "piet@@example.nl",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad:?} passed");
        }
    }
}
