#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

use super::*;
use crate::customer::AttrValue;

/// One of the three readers, with the default options.
type Reader = fn(&str) -> Result<Imported, ConnectError>;

fn shopify(payload: &str) -> Result<Imported, ConnectError> {
    from_shopify(payload, &ImportOptions::default())
}

fn woo(payload: &str) -> Result<Imported, ConnectError> {
    from_woocommerce(payload, &ImportOptions::default())
}

fn magento(payload: &str) -> Result<Imported, ConnectError> {
    from_magento(payload, &ImportOptions::default())
}

fn text(customer: &Customer, name: &str) -> Option<String> {
    match customer.attributes.get(name)? {
        AttrValue::Text(text) => Some(text.clone()),
        AttrValue::Number(number) => Some(number.to_string()),
    }
}

#[test]
fn shopify_maps_every_field_it_carries() {
    let imported = shopify(
        r#"{"id": 9007199254740993, "email": "mia@kaffeerad.example",
            "first_name": "Mia", "last_name": "Brandt", "phone": "+4930901820",
            "currency": "eur", "created_at": "2025-03-04T23:30:00-05:00",
            "tax_exempt": true, "tax_exemptions": ["EU_REVERSE_CHARGE_EXEMPTION_RULE", ""],
            "note": null, "state": "enabled", "verified_email": true,
            "default_address": {"company": "Kaffeerad GmbH", "address1": "Torstraße 5",
                "address2": "Hinterhaus", "zip": "10119", "city": "Berlin",
                "country_code": "de", "country": "Germany", "phone": "+49 30 1234567"}}"#,
    )
    .unwrap();
    let c = &imported.customer;
    assert_eq!(imported.profile, "shopify/2025-01");
    // Past 2^53: the digits as sent, never through a float.
    assert_eq!(c.id.as_str(), "9007199254740993");
    assert_eq!(c.external_id.as_deref(), Some("9007199254740993"));
    assert_eq!(c.name.as_deref(), Some("Kaffeerad GmbH"));
    assert_eq!(c.attention.as_deref(), Some("Mia Brandt"));
    assert_eq!(c.phone.as_deref(), Some("+4930901820"));
    assert_eq!(c.phone2.as_deref(), Some("+49 30 1234567"));
    assert_eq!(
        c.billing_address.street.as_deref(),
        Some("Torstraße 5, Hinterhaus")
    );
    assert_eq!(c.billing_address.postcode.as_deref(), Some("10119"));
    assert_eq!(c.country().unwrap().as_str(), "DE");
    assert_eq!(c.currency.as_ref().unwrap().as_str(), "EUR");
    assert_eq!(c.created_at.unwrap().to_string(), "2025-03-04");
    assert_eq!(c.channel, Some(Channel::Webshop));
    assert_eq!(c.connector.as_deref(), Some("shopify"));
    assert_eq!(text(c, "tax_exempt").as_deref(), Some("true"));
    assert_eq!(
        text(c, "tax_exemptions").as_deref(),
        Some("EU_REVERSE_CHARGE_EXEMPTION_RULE")
    );
    assert_eq!(c.delivery_address, None);
    assert!(imported.findings.is_empty(), "{:?}", imported.findings);
}

#[test]
fn shopify_person_without_company_is_the_name_and_old_tags_are_ignored() {
    let imported = shopify(
        r#"{"id": 12, "first_name": "Łukasz", "last_name": "Wąsowicz", "tags": "vip, b2b",
            "email_marketing_consent": {"state": "subscribed"},
            "addresses": [{"address1": "ul. Długa 1", "default": false, "country_code": "PL"},
                          {"address1": "ul. Krótka 2", "default": true, "country_code": "PL"}]}"#,
    )
    .unwrap();
    let c = &imported.customer;
    assert_eq!(c.name.as_deref(), Some("Łukasz Wąsowicz"));
    assert_eq!(c.attention, None);
    assert_eq!(c.billing_address.street.as_deref(), Some("ul. Krótka 2"));
    assert!(c.attributes.is_empty());
}

#[test]
fn options_give_our_number_and_keep_the_platform_id() {
    let options = ImportOptions::from_json(r#"{"id": "C-100"}"#).unwrap();
    let imported = from_shopify(r#"{"id": 55}"#, &options).unwrap();
    assert_eq!(imported.customer.id.as_str(), "C-100");
    assert_eq!(imported.customer.external_id.as_deref(), Some("55"));
    let blank = ImportOptions::from_json(r#"{"id": "  ", "vat_meta_keys": null}"#).unwrap();
    assert_eq!(blank, ImportOptions::default());
}

#[test]
fn options_are_refused_naming_the_option() {
    for (text, path) in [
        (r#"{"vat_keys": []}"#, "$.vat_keys"),
        (r#"{"id": 5}"#, "$.id"),
        (r#"{"vat_meta_keys": "vat"}"#, "$.vat_meta_keys"),
        (r#"{"vat_meta_keys": ["vat", " "]}"#, "$.vat_meta_keys[1]"),
        ("[]", "$"),
    ] {
        match ImportOptions::from_json(text).unwrap_err() {
            ConnectError::InvalidField { path: got, .. } => assert_eq!(got, path, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    assert_eq!(
        ImportOptions::from_json("{").unwrap_err().code(),
        "json_syntax"
    );
}

#[test]
fn errors_name_the_path() {
    let cases: [(Reader, &str, &str, &str); 11] = [
        (
            shopify,
            r#"{"email": "a@b.example"}"#,
            "missing_field",
            "$.id",
        ),
        (shopify, r#"{"id": ""}"#, "missing_field", "$.id"),
        (shopify, r#"{"id": 1.5}"#, "invalid_field", "$.id"),
        (shopify, r#"{"id": true}"#, "wrong_shape", "$.id"),
        (
            shopify,
            r#"{"id": 1, "default_address": {"country_code": "XX"}}"#,
            "invalid_field",
            "$.default_address.country_code",
        ),
        (
            shopify,
            r#"{"id": 1, "currency": "EURO"}"#,
            "invalid_field",
            "$.currency",
        ),
        (
            shopify,
            r#"{"id": 1, "default_address": []}"#,
            "wrong_shape",
            "$.default_address",
        ),
        (
            shopify,
            r#"{"id": 1, "billing": {}}"#,
            "wrong_shape",
            "$.billing",
        ),
        (
            woo,
            r#"{"id": 1, "billing": {"phone": 31612345678}}"#,
            "wrong_shape",
            "$.billing.phone",
        ),
        (
            magento,
            r#"{"id": 1, "addresses": [{"default_billing": true, "street": "Dorpsstraat 1"}]}"#,
            "wrong_shape",
            "$.addresses[0].street",
        ),
        (
            magento,
            r#"{"id": 1, "created_at": "gisteren"}"#,
            "invalid_field",
            "$.created_at",
        ),
    ];
    for (read, payload, code, path) in cases {
        let err = read(payload).unwrap_err();
        assert_eq!(err.code(), code, "{payload}: {err}");
        let json = crate::ErrorJson::to_json(&err);
        assert_eq!(json["path"], path, "{payload}: {err}");
    }
}

#[test]
fn not_json_too_large_and_not_an_object() {
    match shopify("{\n  \"id\": 1,\n}").unwrap_err() {
        ConnectError::JsonSyntax {
            line_number,
            column,
            ..
        } => assert_eq!((line_number, column), (3, 1)),
        other => panic!("{other:?}"),
    }
    let big = format!(
        "{{\"id\": 1}}{}",
        " ".repeat(crate::limits::MAX_PAYLOAD_BYTES)
    );
    assert_eq!(woo(&big).unwrap_err().code(), "payload_too_large");
    // Too large is refused before parsing: broken JSON that big says so too.
    let broken = "[".repeat(crate::limits::MAX_PAYLOAD_BYTES + 1);
    assert_eq!(magento(&broken).unwrap_err().code(), "payload_too_large");
    let err = magento("[1]").unwrap_err();
    assert_eq!(
        err,
        ConnectError::WrongShape {
            path: "$".into(),
            expected: "an object".into(),
            found: "an array".into()
        }
    );
    // Deep nesting is skipped over without recursion where nothing reads
    // it, and is the wrong shape where something does: never a stack overflow.
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let ignored = format!("{{\"id\": 1, \"x\": {deep}}}");
    assert_eq!(shopify(&ignored).unwrap().customer.id.as_str(), "1");
    let read = format!("{{\"id\": 1, \"addresses\": {deep}}}");
    let err = shopify(&read).unwrap_err();
    assert_eq!(crate::ErrorJson::to_json(&err)["path"], "$.addresses[0]");
}

#[test]
fn woocommerce_maps_blocks_meta_and_emails() {
    let imported = woo(
        r#"{"id": 318, "date_created": "2024-11-30T23:59:59", "date_created_gmt": "2024-12-01T00:59:59",
            "email": "Jan@Smit.example", "first_name": "Jan", "last_name": "Smit",
            "role": "customer", "username": "jsmit", "is_paying_customer": true,
            "billing": {"first_name": "J.", "last_name": "Smit", "company": "Bakkerij Smit",
                "address_1": "Kerkstraat 12", "address_2": "", "city": "Zwolle", "state": "OV",
                "postcode": "8011 AA", "country": "NL", "email": "jan@smit.example",
                "phone": "038 421 1234"},
            "shipping": {"first_name": "", "last_name": "", "company": "", "address_1": "Industrieweg 4",
                "address_2": "Hal 2", "city": "Kampen", "state": "", "postcode": "8263 AB",
                "country": "NL", "phone": ""},
            "meta_data": [{"id": 1, "key": "_wc_points", "value": {"a": [1, 2]}},
                          {"id": 2, "key": "_vat_number", "value": "NL000099998B57"},
                          {"id": 3, "key": "vat_number", "value": " "}]}"#,
    )
    .unwrap();
    let c = &imported.customer;
    assert_eq!(imported.profile, "woocommerce/wc-v3");
    assert_eq!(c.name.as_deref(), Some("Bakkerij Smit"));
    assert_eq!(c.attention.as_deref(), Some("Jan Smit"));
    assert_eq!(c.email.as_deref(), Some("Jan@Smit.example"));
    // The same mailbox in other case is not a separate invoice address.
    assert_eq!(c.document_emails.invoice, None);
    assert_eq!(c.phone.as_deref(), Some("038 421 1234"));
    assert_eq!(c.billing_address.street.as_deref(), Some("Kerkstraat 12"));
    let delivery = c.delivery_address.as_ref().unwrap();
    assert_eq!(delivery.street.as_deref(), Some("Industrieweg 4, Hal 2"));
    assert_eq!(delivery.city.as_deref(), Some("Kampen"));
    // A blank value under an earlier key gives way to the next key's.
    assert_eq!(c.vat_number.as_deref(), Some("NL000099998B57"));
    assert_eq!(c.created_at.unwrap().to_string(), "2024-11-30");
    assert_eq!(c.connector.as_deref(), Some("woocommerce"));
}

#[test]
fn woocommerce_custom_meta_keys_and_same_shipping() {
    let options = ImportOptions::from_json(r#"{"vat_meta_keys": ["btw_nummer"]}"#).unwrap();
    let payload = r#"{"id": 4, "email": "a@b.example",
        "billing": {"address_1": "Markt 1", "city": "Gouda", "country": "NL", "email": "boekhouding@b.example"},
        "shipping": {"address_1": "Markt 1", "city": "Gouda", "country": "NL"},
        "meta_data": [{"key": "vat_number", "value": "NL1"}, {"key": "btw_nummer", "value": "NL2"}]}"#;
    let imported = from_woocommerce(payload, &options).unwrap();
    let c = &imported.customer;
    assert_eq!(c.vat_number.as_deref(), Some("NL2"));
    assert_eq!(c.delivery_address, None);
    assert_eq!(
        c.document_emails.invoice.as_deref(),
        Some("boekhouding@b.example")
    );
    // The sent number is kept; the check says what is wrong with it.
    assert_eq!(imported.findings.len(), 1);
    assert_eq!(imported.findings[0].field, "$.vat_number");
    // A VAT key whose value isn't text can't be read as a number.
    let err =
        woo(r#"{"id": 4, "meta_data": [{"key": "vat_number", "value": ["NL1"]}]}"#).unwrap_err();
    assert_eq!(err.code(), "wrong_shape");
    assert_eq!(
        crate::ErrorJson::to_json(&err)["path"],
        "$.meta_data[0].value"
    );
}

#[test]
fn magento_maps_defaults_taxvat_and_group() {
    let imported = magento(
        r#"{"id": 52, "group_id": 3, "default_billing": "10", "default_shipping": "11",
            "email": "info@aero.example", "prefix": "Dr.", "firstname": "Emre", "lastname": "Şahin",
            "created_at": "2025-02-11 08:15:00", "store_id": 1, "website_id": 1,
            "addresses": [
              {"id": 11, "company": "Ærø Trading ApS", "street": ["Vestergade 2"], "postcode": "5970",
               "city": "Ærøskøbing", "country_id": "DK", "telephone": "+4562521234",
               "region": {"region_code": null, "region": null, "region_id": 0}},
              {"id": 10, "company": "Ærø Trading ApS", "street": ["Havnen 1", "1. sal"],
               "postcode": "5970", "city": "Ærøskøbing", "country_id": "DK",
               "telephone": "+4562520000", "fax": "+4562520001", "vat_id": "DK13585628"}]}"#,
    )
    .unwrap();
    let c = &imported.customer;
    assert_eq!(imported.profile, "magento/2");
    assert_eq!(c.name.as_deref(), Some("Ærø Trading ApS"));
    assert_eq!(c.attention.as_deref(), Some("Dr. Emre Şahin"));
    assert_eq!(
        c.billing_address.street.as_deref(),
        Some("Havnen 1, 1. sal")
    );
    assert_eq!(c.vat_number.as_deref(), Some("DK13585628"));
    assert_eq!(c.phone.as_deref(), Some("+4562520000"));
    assert_eq!(c.phone2.as_deref(), Some("+4562521234"));
    assert_eq!(c.fax.as_deref(), Some("+4562520001"));
    assert_eq!(
        c.delivery_address.as_ref().unwrap().street.as_deref(),
        Some("Vestergade 2")
    );
    assert_eq!(text(c, "group_id").as_deref(), Some("3"));
    assert_eq!(c.created_at.unwrap().to_string(), "2025-02-11");
    assert!(imported.findings.is_empty(), "{:?}", imported.findings);
}

#[test]
fn magento_taxvat_wins_and_address_flags_count() {
    let imported = magento(
        r#"{"id": 7, "taxvat": "BE0403019261", "firstname": "Els", "lastname": "Peeters",
            "addresses": [{"id": 1, "street": ["Meir 1"], "country_id": "BE", "vat_id": "BE999",
                           "default_billing": true, "default_shipping": true}]}"#,
    )
    .unwrap();
    let c = &imported.customer;
    assert_eq!(c.vat_number.as_deref(), Some("BE0403019261"));
    assert_eq!(c.name.as_deref(), Some("Els Peeters"));
    assert_eq!(c.country().unwrap().as_str(), "BE");
    assert_eq!(c.delivery_address, None);
}

#[test]
fn another_platforms_payload_or_an_order_is_refused() {
    let woo_payload = r#"{"id": 1, "email": "x@y.example", "billing": {"city": "Gouda"}}"#;
    let shopify_payload = r#"{"id": 1, "default_address": {"city": "Gouda"}}"#;
    let magento_payload = r#"{"id": 1, "firstname": "A", "lastname": "B"}"#;
    let order = r#"{"id": 1, "customer_id": 4, "line_items": []}"#;
    for (result, path) in [
        (shopify(woo_payload), "$.billing"),
        (woo(shopify_payload), "$.default_address"),
        (woo(magento_payload), "$.firstname"),
        (magento(shopify_payload), "$.default_address"),
        (shopify(magento_payload), "$.firstname"),
        (woo(order), "$.customer_id"),
    ] {
        let err = result.unwrap_err();
        assert_eq!(err.code(), "wrong_shape");
        assert_eq!(crate::ErrorJson::to_json(&err)["path"], path);
    }
}

#[test]
fn findings_keep_the_values_as_sent() {
    let imported =
        woo(r#"{"id": 2, "email": "piet@jansen", "billing": {"country": "NL", "phone": "12"}}"#)
            .unwrap();
    assert_eq!(imported.customer.email.as_deref(), Some("piet@jansen"));
    let codes: Vec<&str> = imported.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"invalid_email"), "{codes:?}");
    assert_eq!(imported.findings, imported.customer.check());
}

#[test]
fn missing_addresses_give_an_empty_customer_with_its_ids() {
    for imported in [
        shopify(r#"{"id": 3, "default_address": null, "addresses": []}"#).unwrap(),
        woo(r#"{"id": 3, "billing": null, "shipping": null, "meta_data": []}"#).unwrap(),
        magento(r#"{"id": 3, "addresses": []}"#).unwrap(),
    ] {
        let c = &imported.customer;
        assert_eq!(c.id.as_str(), "3");
        assert_eq!(c.billing_address, Address::default());
        assert_eq!(c.delivery_address, None);
        assert_eq!(c.name, None);
    }
}

#[test]
fn the_customer_round_trips_through_its_own_json() {
    let imported = shopify(
        r#"{"id": 8, "first_name": "Ana", "tax_exempt": false, "default_address": {"country_code": "PT"}}"#,
    )
    .unwrap();
    let json = serde_json::to_string(&imported.customer).unwrap();
    assert_eq!(Customer::from_json(&json).unwrap(), imported.customer);
}
