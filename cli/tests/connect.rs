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

/// Runs the binary in `dir` with `SHOP_SECRET` set to `secret` (when
/// given) and `stdin` on standard input (nothing when `None`).
fn run(args: &[&str], dir: &Path, secret: Option<&str>, stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_custclass"));
    command.args(args).current_dir(dir);
    if let Some(secret) = secret {
        command.env("SHOP_SECRET", secret);
    }
    let Some(input) = stdin else {
        return command.stdin(Stdio::null()).output().unwrap();
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn with_secret(args: &[&str], dir: &Path, secret: &str) -> Output {
    run(args, dir, Some(secret), None)
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

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|err| panic!("{err}: {}", text(bytes)))
}

#[test]
fn a_shopify_webhook_becomes_the_customer_with_its_findings() {
    let dir = scratch("connect-shopify");
    let payload = SHOPIFY.replace("inkoop@fietsenmaker-vos.example", "inkoop at vos");
    std::fs::write(dir.join("hook.json"), payload).unwrap();
    let out = custclass(&["connect", "--from", "shopify", "hook.json"], &dir);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let imported = json(&out.stdout);
    assert_eq!(imported["profile"], "shopify/2025-01");
    let customer = &imported["customer"];
    assert_eq!(customer["external_id"], "7301009911");
    assert_eq!(customer["connector"], "shopify");
    assert_eq!(customer["name"], "Fietsenmaker Vos");
    assert_eq!(customer["email"], "inkoop at vos", "kept as sent");
    assert_eq!(imported["findings"][0]["code"], "invalid_email");
    assert!(
        stderr.contains("warning: hook.json: $.email: [invalid_email]"),
        "{stderr}"
    );
}

#[test]
fn a_signed_webhook_from_stdin_becomes_an_economic_body() {
    let dir = scratch("connect-economic");
    let setup = common::example("setup.json");
    let args = [
        "connect",
        "--from",
        "shopify",
        "--to",
        "economic",
        "--setup",
        &setup,
        "--secret-env",
        "SHOP_SECRET",
        "--signature",
        &format!(" {SIGNATURE}\r\n"),
        "--out",
        "body.json",
        "-",
    ];
    let out = run(&args, &dir, Some(SECRET), Some(SHOPIFY.as_bytes()));
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(out.stdout.is_empty());
    let files: Vec<_> = std::fs::read_dir(&*dir).unwrap().collect();
    assert_eq!(files.len(), 1, "no temporary file left behind");
    let exported = json(&std::fs::read(dir.join("body.json")).unwrap());
    assert_eq!(exported["system"], "economic");
    let body = &exported["body"];
    assert_eq!(body["name"], "Fietsenmaker Vos");
    assert_eq!(body["currency"], "EUR");
    for number in [
        "/customerGroup/customerGroupNumber",
        "/vatZone/vatZoneNumber",
        "/paymentTerms/paymentTermsNumber",
    ] {
        assert!(body.pointer(number).unwrap().is_u64(), "{number}: {body}");
    }
    // e-conomic can't take a ten-digit customer number: a finding, told.
    assert!(
        stderr.contains("warning: standard input: $.id: [customer_number_assigned]"),
        "{stderr}"
    );
}

#[test]
fn json_lines_keep_the_good_lines_and_name_the_bad_ones() {
    let dir = scratch("connect-lines");
    let second = SHOPIFY.replace("7301009911", "7301009913");
    let too_long = format!("{{\"id\": 1, \"note\": \"{}\"}}", "x".repeat(1 << 20));
    let input = [
        SHOPIFY,
        "",
        "{\"id\": 12, \"email\": ",
        "{\"id\": {\"nested\": true}}",
        &too_long,
        "   ",
        &format!("{second}\r"),
    ]
    .join("\n");
    let out = run(
        &[
            "connect",
            "--from",
            "shopify",
            "--to",
            "exact",
            "--setup",
            &common::example("setup.json"),
            "--lines",
            "-",
        ],
        &dir,
        None,
        Some(input.as_bytes()),
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let bodies: Vec<serde_json::Value> = stdout.lines().map(|l| json(l.as_bytes())).collect();
    assert_eq!(bodies.len(), 2, "{stdout}");
    assert_eq!(bodies[0]["body"]["Code"], "7301009911");
    assert_eq!(bodies[1]["body"]["Code"], "7301009913");
    assert!(bodies.iter().all(|body| body["system"] == "exact"));
    assert!(
        stderr.contains("rejected: line 3: [json_syntax]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("rejected: line 4: [wrong_shape] $.id"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "rejected: line 5: [payload_too_large] the payload has {} bytes",
            too_long.len()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("5 payload(s) read: 2 converted, 3 rejected"),
        "{stderr}"
    );
}

#[test]
fn woocommerce_vat_numbers_come_from_the_meta_keys_given() {
    let dir = scratch("connect-woo");
    let payload = r#"{"id":418,"email":"achats@atelier-brun.example","first_name":"Lucie","last_name":"Brun","billing":{"company":"Atelier Brun","city":"Lyon","postcode":"69002","country":"FR"},"meta_data":[{"id":1,"key":"_vat_number","value":"FR00000000000"},{"id":2,"key":"tva_intracom","value":"FR40303265045"}]}"#;
    std::fs::write(dir.join("customer.json"), payload).unwrap();
    let read = |keys: &[&str]| {
        let mut args = vec!["connect", "--from", "woocommerce"];
        for key in keys {
            args.extend(["--vat-meta-key", key]);
        }
        args.push("customer.json");
        custclass(&args, &dir)
    };
    let out = read(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(json(&out.stdout)["customer"]["vat_number"], "FR00000000000");
    let out = read(&["tva_intracom"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(json(&out.stdout)["customer"]["vat_number"], "FR40303265045");
    // A blank key is refused as the options' JSON door refuses it.
    let out = read(&["tva_intracom", " "]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--vat-meta-key: "), "{stderr}");
    assert!(stderr.contains("(invalid_field)"), "{stderr}");
}

#[test]
fn an_erp_value_the_setup_does_not_map_refuses_the_payload() {
    let dir = scratch("connect-unmapped");
    let mut setup: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("examples/setup.json")).unwrap(),
    )
    .unwrap();
    setup["erp"]["economic"]["vat_zones"] = serde_json::json!({});
    std::fs::write(dir.join("setup.json"), setup.to_string()).unwrap();
    std::fs::write(dir.join("hook.json"), SHOPIFY).unwrap();
    let out = custclass(
        &[
            "connect",
            "--from",
            "shopify",
            "--to",
            "economic",
            "--setup",
            "setup.json",
            "--out",
            "body.json",
            "hook.json",
        ],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("rejected: hook.json: [unmapped_value]"),
        "{stderr}"
    );
    assert!(!dir.join("body.json").exists());
}
