//! A host's own serde code, built with custclass as a dependency: custclass
//! must not change how the host's serde_json reads and writes its types
//! (Cargo unifies features, so a feature custclass turned on would be on
//! here too), and custclass must still read decimals exactly.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// An internally tagged enum with floats, as API messages are shaped.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event {
    Payment { amount: f64, rate: f64 },
    Refund { amount: f64 },
}

/// An untagged enum: tried shape by shape through serde's buffer.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Amount {
    Plain(f64),
    Priced { value: f64, currency: String },
}

/// Common fields flattened into a request.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Meta {
    weight: f64,
    count: u32,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Request {
    id: String,
    #[serde(flatten)]
    meta: Meta,
}

#[test]
fn internally_tagged_enums_with_floats_read() {
    let event: Event = serde_json::from_str(r#"{"type": "payment", "amount": 12.5, "rate": 0.1}"#)
        .expect("an internally tagged enum with f64 fields");
    assert_eq!(
        event,
        Event::Payment {
            amount: 12.5,
            rate: 0.1
        }
    );
    let refund: Event = serde_json::from_value(json!({"type": "refund", "amount": 3.25}))
        .expect("from a Value too");
    assert_eq!(refund, Event::Refund { amount: 3.25 });
}

#[test]
fn untagged_enums_with_floats_read() {
    let plain: Amount = serde_json::from_str("9.99").expect("a plain float");
    assert_eq!(plain, Amount::Plain(9.99));
    let priced: Amount = serde_json::from_str(r#"{"value": 1.5, "currency": "EUR"}"#)
        .expect("an untagged struct with an f64");
    assert_eq!(
        priced,
        Amount::Priced {
            value: 1.5,
            currency: "EUR".to_owned()
        }
    );
}

#[test]
fn flattened_floats_read() {
    let request: Request = serde_json::from_str(r#"{"id": "r1", "weight": 2.75, "count": 3}"#)
        .expect("a flattened struct with an f64");
    assert_eq!(request.meta.weight, 2.75);
    assert_eq!(request.meta.count, 3);
}

#[test]
fn floats_round_trip() {
    for value in [0.1, 1e-5, 123456.789, f64::MAX, -0.0] {
        let text = serde_json::to_string(&value).expect("a float as JSON");
        let back: f64 = serde_json::from_str(&text).expect("and back");
        assert_eq!(back.to_bits(), value.to_bits(), "{text}");
    }
    let event = Event::Payment {
        amount: 0.1 + 0.2,
        rate: 1.0 / 3.0,
    };
    let text = serde_json::to_string(&event).expect("an enum as JSON");
    assert_eq!(
        serde_json::from_str::<Event>(&text).expect("and back"),
        event
    );
}

#[test]
fn plain_values_hold_numbers_as_serde_json_does_by_default() {
    let value: Value = serde_json::from_str(r#"{"a": 0.1, "b": 10, "c": 1.50}"#).expect("JSON");
    assert_eq!(value["a"].as_f64(), Some(0.1));
    assert_eq!(value["b"].as_u64(), Some(10));
    assert!(value["a"].is_f64());
    // Without `arbitrary_precision` a float is a float: `1.50` prints `1.5`.
    assert_eq!(value["c"].to_string(), "1.5");
    assert_eq!(value, json!({"a": 0.1, "b": 10, "c": 1.5}));
}

const EXACT: &str = "12345678901234567890.12345678";

fn customer_json() -> String {
    format!(
        r#"{{"id": "10001", "billing_address": {{"country": "DE"}},
            "vat_number": "DE123456788", "channel": "webshop",
            "credit_limit": {EXACT},
            "attributes": {{"turnover_12m": {EXACT}, "loyalty_card": "gold"}}}}"#
    )
}

#[test]
fn custclass_reads_decimals_exactly() {
    let customer = custclass::Customer::from_json(&customer_json()).expect("a customer");
    assert_eq!(
        customer
            .credit_limit
            .map(|limit| limit.to_string())
            .as_deref(),
        Some(EXACT)
    );
    match customer.attributes.get("turnover_12m") {
        Some(custclass::AttrValue::Number(number)) => assert_eq!(number.to_string(), EXACT),
        other => panic!("turnover_12m: {other:?}"),
    }
    // Also as part of the host's own document, read by serde directly.
    #[derive(Deserialize)]
    struct Envelope {
        customer: custclass::Customer,
        weight: f64,
    }
    let text = format!(r#"{{"customer": {}, "weight": 0.5}}"#, customer_json());
    let envelope: Envelope = serde_json::from_str(&text).expect("an envelope");
    assert_eq!(envelope.weight, 0.5);
    assert_eq!(
        envelope
            .customer
            .credit_limit
            .map(|limit| limit.to_string())
            .as_deref(),
        Some(EXACT)
    );
}

/// Inside a host's `flatten` or internally tagged enum, serde buffers the
/// document, and serde_json (without `arbitrary_precision`) hands a number
/// to that buffer as a float: there a decimal is exact only as text.
#[test]
fn custclass_reads_decimal_text_exactly_inside_a_hosts_flatten() {
    #[derive(Deserialize)]
    struct Envelope {
        customer: custclass::Customer,
        #[serde(flatten)]
        meta: Meta,
    }
    let text = format!(
        r#"{{"customer": {{"id": "1", "credit_limit": "{EXACT}"}}, "weight": 0.5, "count": 1}}"#
    );
    let envelope: Envelope = serde_json::from_str(&text).expect("an envelope");
    assert_eq!(envelope.meta.weight, 0.5);
    assert_eq!(
        envelope
            .customer
            .credit_limit
            .map(|limit| limit.to_string())
            .as_deref(),
        Some(EXACT)
    );
}

#[test]
fn custclass_classifies_a_customer_with_an_exact_decimal() {
    let setup = custclass::Setup::standard("NL".to_owned().try_into().expect("a country"));
    let engine = custclass::Engine::new(setup).expect("the standard setup");
    let customer = custclass::Customer::from_json(&customer_json()).expect("a customer");
    let result = engine.classify(&customer).expect("classified");
    assert_eq!(result.group.as_ref().map(|g| g.value.as_str()), Some("EU"));
    let segment = engine
        .segment(&format!("credit_limit = {EXACT}"))
        .expect("a segment on the exact limit");
    assert!(segment.matches(&customer).expect("evaluated"));
    let near = engine
        .segment("credit_limit = 12345678901234567890.12345679")
        .expect("a segment one digit off");
    assert!(!near.matches(&customer).expect("evaluated"));
}
