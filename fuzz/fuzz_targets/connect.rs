//! What every webshop payload target checks: an answer or a typed error,
//! never a panic; an answer is a customer its own JSON reads back, with the
//! platform's id kept, the findings `check()` gives, and one the example
//! setup classifies or refuses with an error.

use custclass::{Channel, ConnectError, Customer, ErrorJson, ImportOptions, Imported};

use crate::example::ENGINE;

/// The options a payload is read with: none, our own number, VAT meta keys.
pub fn options(data: &[u8]) -> ImportOptions {
    let text = match data.first().map(|b| b % 3) {
        Some(1) => r#"{"id": "WEB-1"}"#,
        Some(2) => r#"{"vat_meta_keys": ["nip", "vat_number"]}"#,
        _ => "{}",
    };
    ImportOptions::from_json(text).unwrap_or_default()
}

pub fn check(result: Result<Imported, ConnectError>) {
    let imported = match result {
        Ok(imported) => imported,
        Err(err) => {
            let _ = err.to_json();
            return;
        }
    };
    let customer = &imported.customer;
    assert!(!customer.id.as_str().trim().is_empty(), "{customer:?}");
    assert!(customer.external_id.is_some(), "{customer:?}");
    assert_eq!(customer.channel, Some(Channel::Webshop));
    assert_eq!(imported.findings, customer.check());
    let json = serde_json::to_string(customer).unwrap_or_default();
    let back = Customer::from_json(&json);
    assert_eq!(back.as_ref().ok(), Some(customer), "{json} → {back:?}");
    if let Some(engine) = ENGINE.as_ref() {
        let _ = engine.classify(customer);
    }
    let _ = serde_json::to_string(&imported);
}
