//! `custclass connect`: webshop payloads in, customers or ERP bodies out,
//! signatures checked before anything is read.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{custclass, scratch, text};

/// A Shopify `customers/create` body (our own values, Shopify's shape).
const SHOPIFY: &str = r#"{"id":7301009911,"email":"inkoop@fietsenmaker-vos.example","first_name":"Marieke","last_name":"Vos","phone":"+31612345678","tax_exempt":false,"tax_exemptions":[],"currency":"EUR","default_address":{"company":"Fietsenmaker Vos","city":"Zwolle","zip":"8011 AB","country_code":"NL"}}"#;
const SECRET: &str = "shpss_vectors_only_4f9c2a7e";
/// base64(HMAC-SHA256(SECRET, SHOPIFY)), computed with Python's hmac
/// (scripts/gen-webhook-vectors.py, the vectors' first case).
const SIGNATURE: &str = "aWhE91esGr4znuDSRXIB1jGxQ058Z7wCCy2dclcldaU=";

/// Runs the binary in `dir` with `SHOP_SECRET` set to `secret`.
fn with_secret(args: &[&str], dir: &Path, secret: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custclass"))
        .args(args)
        .current_dir(dir)
        .env("SHOP_SECRET", secret)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_tampered_webhook_is_refused_before_it_is_read() {
    let dir = scratch("connect-tampered");
    // Not even JSON: had it been parsed first, the error would be json_syntax.
    let tampered = SHOPIFY.replace("7301009911", "7301009912") + "}}}";
    std::fs::write(dir.join("hook.json"), tampered).unwrap();
    let args = [
        "connect",
        "--from",
        "shopify",
        "--secret-env",
        "SHOP_SECRET",
        "--signature",
        SIGNATURE,
        "--out",
        "out.json",
        "hook.json",
    ];
    let out = with_secret(&args, &dir, SECRET);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "rejected: hook.json: [invalid_signature] the X-Shopify-Hmac-Sha256 signature does not match the body"
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert!(!dir.join("out.json").exists(), "nothing is written");

    // Another secret, the right body: refused the same way.
    std::fs::write(dir.join("hook.json"), SHOPIFY).unwrap();
    let out = with_secret(&args, &dir, "another secret");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[invalid_signature]"));
}

#[test]
fn an_unsigned_webhook_is_refused_naming_the_header() {
    let dir = scratch("connect-unsigned");
    std::fs::write(dir.join("hook.json"), "not json").unwrap();
    for (from, header) in [
        ("shopify", "X-Shopify-Hmac-Sha256"),
        ("woocommerce", "X-WC-Webhook-Signature"),
    ] {
        for signature in [None, Some(" ")] {
            let mut args = vec!["connect", "--from", from, "--secret-env", "SHOP_SECRET"];
            if let Some(signature) = signature {
                args.extend(["--signature", signature]);
            }
            args.push("hook.json");
            let out = with_secret(&args, &dir, SECRET);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            assert!(
                stderr.contains(&format!(
                    "[missing_signature] the webhook has no {header} header"
                )),
                "{stderr}"
            );
        }
    }
}

#[test]
fn a_secret_that_did_not_load_stops_the_command() {
    let dir = scratch("connect-no-secret");
    std::fs::write(dir.join("hook.json"), SHOPIFY).unwrap();
    let args = [
        "connect",
        "--from",
        "shopify",
        "--secret-env",
        "SHOP_SECRET",
        "--signature",
        SIGNATURE,
        "hook.json",
    ];
    let out = with_secret(&args, &dir, "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--secret-env SHOP_SECRET: the variable is not set or empty"),
        "{stderr}"
    );
    let args = [
        "connect",
        "--from",
        "shopify",
        "--secret-env",
        "CUSTCLASS_TEST_UNSET_VARIABLE",
        "hook.json",
    ];
    let out = custclass(&args, &dir);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn options_that_do_not_apply_are_refused_not_ignored() {
    let dir = scratch("connect-options");
    std::fs::write(dir.join("hook.json"), SHOPIFY).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--from", "magento", "--secret-env", "SHOP_SECRET"],
            "Magento sends no signed webhooks",
        ),
        (
            &["--from", "shopify", "--vat-meta-key", "vat"],
            "only WooCommerce keeps VAT numbers in meta data",
        ),
        (&["--from", "shopify", "--to", "economic"], "--setup"),
        (&["--from", "shopify", "--setup", "setup.json"], "--to"),
        (
            &[
                "--from",
                "shopify",
                "--lines",
                "--secret-env",
                "SHOP_SECRET",
            ],
            "--secret-env",
        ),
    ];
    for (options, said) in cases {
        let mut args = vec!["connect"];
        args.extend(options);
        args.push("hook.json");
        let out = with_secret(&args, &dir, SECRET);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
}

#[test]
fn an_oversized_payload_is_refused_with_its_size_without_holding_it() {
    let dir = scratch("connect-large");
    // Three mebibytes of spaces after the JSON.
    let payload = format!("{SHOPIFY}{}", " ".repeat(3 << 20));
    std::fs::write(dir.join("big.json"), &payload).unwrap();
    let out = custclass(&["connect", "--from", "shopify", "big.json"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "[payload_too_large] the payload has {} bytes; a customer payload has at most 1048576",
            payload.len()
        )),
        "{stderr}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_place() {
    let dir = scratch("connect-latin1");
    std::fs::write(
        dir.join("hook.json"),
        b"{\"id\": 1,\n \"first_name\": \"Zo\xEB\"}",
    )
    .unwrap();
    let out = custclass(&["connect", "--from", "shopify", "hook.json"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("[json_syntax] not UTF-8 text (line 2, column 19)"),
        "{stderr}"
    );
}

#[test]
fn a_missing_input_stops_the_command() {
    let dir = scratch("connect-missing");
    let out = custclass(&["connect", "--from", "shopify", "nothing.json"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nothing.json"), "{stderr}");
}
