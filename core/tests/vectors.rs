//! Runs every JSON test vector under `vectors/` and compares canonical JSON
//! byte for byte. `BLESS=1 cargo test --test vectors` rewrites the
//! expectations from what the core answers now; review the diff.
//!
//! File format (see `vectors/README.md`):
//! `{"description", "setup"?, "cases": [{"name", "setup"?, "input", "expected" | "expected_error"}]}`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};

use custclass::customer_file::{CsvCustomers, CsvOptions, row_json};
use custclass::{
    Classification, Customer, CustomerTable, Encoding, Engine, ErrorJson, ImportOptions,
    PriceRequest, Setup, UnknownEncoding, canonical,
};
use serde_json::{Value, json};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

/// The text of a setup given as an object or as raw JSON text (raw text
/// keeps line and column numbers the same in every language).
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn engine(setup: &Value) -> Result<Engine, Value> {
    let setup = Setup::from_json(&text_of(setup)).map_err(|err| err.to_json())?;
    Engine::new(setup).map_err(|err| err.to_json())
}

/// What the core answers for one case: `Ok(expected)` or `Err(expected_error)`.
fn answer(area: &str, setup: &Value, input: &Value) -> Result<Value, Value> {
    match area {
        "setup-errors" => engine(input).map(|_| json!({"valid": true})),
        "classify" => {
            let engine = engine(setup)?;
            let customer =
                Customer::from_json(&text_of(&input["customer"])).map_err(|e| e.to_json())?;
            let op = input
                .get("op")
                .and_then(Value::as_str)
                .unwrap_or("classify");
            let on = input.get("on").and_then(Value::as_str);
            let result = match (op, on) {
                ("classify", None) => engine.classify(&customer).map(serde_json::to_value),
                ("classify", Some(day)) => {
                    let day = day
                        .parse()
                        .map_err(|e| json!({"code": "bad_vector", "message": format!("{e}")}))?;
                    engine.classify_on(&customer, day).map(serde_json::to_value)
                }
                ("reclassify", None) => match input.get("previous") {
                    Some(previous) => {
                        let previous = Classification::from_json(&text_of(previous))
                            .map_err(|e| e.to_json())?;
                        engine.reclassify_since(&customer, &previous)
                    }
                    None => engine.reclassify(&customer),
                }
                .map(serde_json::to_value),
                _ => {
                    return Err(
                        json!({"code": "bad_vector", "message": format!("unknown op {op}")}),
                    );
                }
            };
            result
                .map_err(|err| err.to_json())?
                .map_err(|err| json!({"code": "internal", "message": err.to_string()}))
        }
        "expr" => {
            let expr = input["expr"].as_str().unwrap_or_default();
            if input["op"] == "format" {
                let canonical = custclass::format_expression(expr).map_err(|err| err.to_json())?;
                return Ok(json!({"canonical": canonical}));
            }
            let engine = engine(setup)?;
            let segment = match input["stored"].as_bool() {
                Some(true) => engine.segment_stored(expr),
                _ => engine.segment(expr),
            }
            .map_err(|err| err.to_json())?;
            let customer =
                Customer::from_json(&text_of(&input["customer"])).map_err(|e| e.to_json())?;
            let matches = segment.matches(&customer).map_err(|err| err.to_json())?;
            Ok(json!({"matches": matches}))
        }
        "pricing" => {
            let engine = engine(setup)?;
            let customer =
                Customer::from_json(&text_of(&input["customer"])).map_err(|e| e.to_json())?;
            match input.get("requests") {
                Some(lines) => {
                    let requests = PriceRequest::list_from_json(&text_of(lines))
                        .map_err(|err| err.to_json())?;
                    let quotes = engine
                        .price_lines(&customer, &requests)
                        .map_err(|err| err.to_json())?;
                    Ok(json!({"quotes": quotes}))
                }
                None => {
                    let request = PriceRequest::from_json(&text_of(&input["request"]))
                        .map_err(|err| err.to_json())?;
                    let quote = engine
                        .price(&customer, &request)
                        .map_err(|err| err.to_json())?;
                    Ok(serde_json::to_value(quote).unwrap())
                }
            }
        }
        "masterdata" if input["op"] == "duplicates" => {
            let customers =
                Customer::list_from_json(&text_of(&input["customers"])).map_err(|e| e.to_json())?;
            let table = CustomerTable::from_customers(&customers);
            Ok(json!({"groups": table.duplicates(input["similar_names"].as_f64())}))
        }
        #[cfg(not(feature = "phones"))]
        "masterdata" if input["op"] == "phone" => {
            panic!("the phone vectors need the phones feature (on by default)")
        }
        #[cfg(feature = "phones")]
        "masterdata" if input["op"] == "phone" => {
            let number = input["number"].as_str().unwrap_or_default();
            let formats = custclass::PhoneFormats::of(number, input["country"].as_str());
            Ok(serde_json::to_value(formats.map_err(|err| err.to_json())?).unwrap())
        }
        "masterdata" if input["op"] == "vat" => {
            let numbers = input["numbers"].as_array().cloned().unwrap_or_default();
            let answers: Result<Vec<Value>, Value> = numbers
                .iter()
                .map(|number| {
                    let mut card = json!({"id": "1", "vat_number": number});
                    if let Some(country) = input["country"].as_str() {
                        card["billing_address"] = json!({"country": country});
                    }
                    let customer =
                        Customer::from_json(&card.to_string()).map_err(|e| e.to_json())?;
                    Ok(json!({
                        "number": number,
                        "vat_valid": customer.vat_valid(),
                        "vat_number": customer.normalised().vat_number,
                        "findings": customer.check(),
                    }))
                })
                .collect();
            Ok(json!({"numbers": answers?}))
        }
        "masterdata" if input["op"] == "engine_check" => {
            let engine = engine(setup)?;
            let customer =
                Customer::from_json(&text_of(&input["customer"])).map_err(|e| e.to_json())?;
            Ok(json!({"findings": engine.check(&customer)}))
        }
        "masterdata" if input["op"] == "check_new" => {
            let customers =
                Customer::list_from_json(&text_of(&input["customers"])).map_err(|e| e.to_json())?;
            let index = CustomerTable::from_customers(&customers).duplicate_index();
            let customer =
                Customer::from_json(&text_of(&input["customer"])).map_err(|e| e.to_json())?;
            Ok(json!({"findings": index.check(&customer)}))
        }
        "masterdata" => {
            let customer =
                Customer::from_json(&text_of(&input["customer"])).map_err(|e| e.to_json())?;
            match input["op"].as_str() {
                Some("anonymise") => serde_json::to_value(customer.anonymise())
                    .map_err(|err| json!({"code": "internal", "message": err.to_string()})),
                Some("check") => Ok(json!({"findings": customer.check()})),
                Some("normalise") => serde_json::to_value(customer.normalised())
                    .map_err(|err| json!({"code": "internal", "message": err.to_string()})),
                op => Err(json!({"code": "bad_vector", "message": format!("unknown op {op:?}")})),
            }
        }
        "csv" => {
            let text = input["text"].as_str().unwrap_or_default();
            let mut options = CsvOptions::default();
            if let Some(label) = input.get("encoding").and_then(Value::as_str) {
                let encoding: Encoding = label
                    .parse()
                    .map_err(|err: UnknownEncoding| err.to_json())?;
                options = options.encoding(encoding);
            }
            let reader = CsvCustomers::with_options(text.as_bytes(), &options)
                .map_err(|err| err.to_json())?;
            let rows: Vec<Value> = reader.map(|row| row_json(&row)).collect();
            Ok(json!({"rows": rows}))
        }
        "bulk" => bulk(setup, input),
        "connect" => connect(setup, input),
        other => Err(json!({"code": "bad_vector", "message": format!("unknown area {other}")})),
    }
}

/// The Arrow path, from JSON columns: `classify_table`, `segment_rows`,
/// `segment_set` or `price_lines`.
#[cfg(feature = "arrow")]
fn bulk(setup: &Value, input: &Value) -> Result<Value, Value> {
    use custclass::arrow::{ArrowCustomers, batch_from_columns, batch_json};
    let engine = engine(setup)?;
    let columns = || {
        let columns = input["columns"].as_object().cloned().unwrap_or_default();
        let batch = batch_from_columns(&columns).map_err(|err| err.to_json())?;
        Ok::<_, Value>((batch.schema(), batch))
    };
    match input["op"].as_str() {
        Some("classify_table") => {
            let (schema, batch) = columns()?;
            let wanted = engine.input_columns();
            let customers = ArrowCustomers::read(&schema, &[batch], Some(&wanted))
                .map_err(|err| err.to_json())?;
            engine
                .check_columns(names(&schema), custclass::UnknownColumns::Refuse)
                .map_err(|err| err.to_json())?;
            let (table, errors) = customers.classify_with_problems(&engine);
            Ok(json!({"columns": batch_json(&table), "errors": errors}))
        }
        Some("segment_rows") => {
            let (schema, batch) = columns()?;
            let expression = input["expression"].as_str().unwrap_or_default();
            let segment = match input["stored"].as_bool() {
                Some(true) => engine.segment_stored(expression),
                _ => engine.segment(expression),
            }
            .map_err(|err| err.to_json())?;
            let customers = ArrowCustomers::read(&schema, &[batch], Some(&segment.input_columns()))
                .map_err(|err| err.to_json())?;
            segment
                .check_columns(names(&schema), custclass::UnknownColumns::Refuse)
                .map_err(|err| err.to_json())?;
            let (rows, errors, warnings) = customers.select(&segment, None);
            Ok(json!({"rows": rows, "errors": errors, "warnings": warnings}))
        }
        Some("segment_set") => {
            let segments: Vec<(String, String)> =
                serde_json::from_value(input["segments"].clone()).unwrap_or_default();
            let set = match input["stored"].as_bool() {
                Some(true) => engine.segment_set_stored(segments),
                _ => engine.segment_set(segments),
            }
            .map_err(|err| err.to_json())?;
            let (schema, batch) = columns()?;
            let customers = ArrowCustomers::read(&schema, &[batch], Some(&set.input_columns()))
                .map_err(|err| err.to_json())?;
            set.check_columns(names(&schema), custclass::UnknownColumns::Refuse)
                .map_err(|err| err.to_json())?;
            let answer = customers.segment_masks(&set, None);
            let counts: serde_json::Map<String, Value> = set
                .names()
                .map(str::to_owned)
                .zip(answer.counts.into_iter().map(Value::from))
                .collect();
            Ok(json!({
                "masks": answer.masks,
                "counts": counts,
                "errors": answer.problems,
                "warnings": answer.warnings
            }))
        }
        Some("price_lines") => {
            let lines = input["lines"].as_object().cloned().unwrap_or_default();
            let lines = batch_from_columns(&lines).map_err(|err| err.to_json())?;
            let customers = match input.get("customers").and_then(Value::as_object) {
                Some(columns) => {
                    let batch = batch_from_columns(columns).map_err(|err| err.to_json())?;
                    let schema = batch.schema();
                    let read = ArrowCustomers::read(&schema, &[batch], None);
                    let customers = read.map_err(|err| err.to_json())?;
                    engine
                        .check_columns(names(&schema), custclass::UnknownColumns::Refuse)
                        .map_err(|err| err.to_json())?;
                    Some(customers)
                }
                None => None,
            };
            let explain: Vec<usize> =
                serde_json::from_value(input["explain"].clone()).unwrap_or_default();
            if explain.is_empty() {
                let (table, errors) = engine
                    .price_batches(&lines.schema(), &[lines], customers.as_ref())
                    .map_err(|err| err.to_json())?;
                return Ok(json!({"columns": batch_json(&table), "errors": errors}));
            }
            let priced = engine
                .price_batches_explained(&lines.schema(), &[lines], customers.as_ref(), &explain)
                .map_err(|err| err.to_json())?;
            let explanations: serde_json::Map<String, Value> = (priced.explanations.iter())
                .map(|(row, quote)| (row.to_string(), serde_json::to_value(quote).unwrap()))
                .collect();
            Ok(
                json!({"columns": batch_json(&priced.result), "errors": priced.problems,
                      "explanations": explanations}),
            )
        }
        op => Err(json!({"code": "bad_vector", "message": format!("unknown op {op:?}")})),
    }
}

/// The column names of an input schema, as the engine checks them.
#[cfg(feature = "arrow")]
fn names(schema: &arrow_schema::Schema) -> impl Iterator<Item = &str> {
    schema.fields().iter().map(|field| field.name().as_str())
}

#[cfg(not(feature = "arrow"))]
fn bulk(_: &Value, _: &Value) -> Result<Value, Value> {
    panic!("the bulk vectors need the arrow feature: cargo test --workspace, or --features arrow")
}

/// A payload given as an object or as text, with `pad` spaces after it
/// (an oversized payload without a megabyte in the vector file).
fn payload_of(input: &Value) -> String {
    let pad = input["pad"].as_u64().unwrap_or(0);
    text_of(&input["payload"]) + &" ".repeat(usize::try_from(pad).unwrap())
}

fn connect(setup: &Value, input: &Value) -> Result<Value, Value> {
    let op = input["op"].as_str().unwrap_or_default();
    let options = match input.get("options") {
        Some(options) => ImportOptions::from_json(&text_of(options)).map_err(|e| e.to_json())?,
        None => ImportOptions::default(),
    };
    let imported = match op {
        "from_shopify" => Some(custclass::from_shopify(&payload_of(input), &options)),
        "from_woocommerce" => Some(custclass::from_woocommerce(&payload_of(input), &options)),
        "from_magento" => Some(custclass::from_magento(&payload_of(input), &options)),
        _ => None,
    };
    if let Some(imported) = imported {
        return Ok(serde_json::to_value(imported.map_err(|e| e.to_json())?).unwrap());
    }
    if op.starts_with("verify_") {
        return verify(op, input);
    }
    let engine = engine(setup)?;
    let customer = Customer::from_json(&text_of(&input["customer"])).map_err(|e| e.to_json())?;
    let exported = match op {
        "to_exact" => engine.to_exact(&customer),
        "to_economic" => engine.to_economic(&customer),
        "to_reviso" => engine.to_reviso(&customer),
        op => return Err(json!({"code": "bad_vector", "message": format!("unknown op {op}")})),
    };
    Ok(serde_json::to_value(exported.map_err(|e| e.to_json())?).unwrap())
}

#[cfg(feature = "webhooks")]
fn verify(op: &str, input: &Value) -> Result<Value, Value> {
    let body = input["body"].as_str().unwrap_or_default().as_bytes();
    let secret = input["secret"].as_str().unwrap_or_default().as_bytes();
    let signature = input["signature"].as_str();
    match op {
        "verify_shopify_webhook" => custclass::verify_shopify_webhook(body, secret, signature),
        "verify_woocommerce_webhook" => {
            custclass::verify_woocommerce_webhook(body, secret, signature)
        }
        op => return Err(json!({"code": "bad_vector", "message": format!("unknown op {op}")})),
    }
    .map_err(|e| e.to_json())?;
    Ok(json!({"verified": true}))
}

#[cfg(not(feature = "webhooks"))]
fn verify(_: &str, _: &Value) -> Result<Value, Value> {
    panic!(
        "the webhook vectors need the webhooks feature: cargo test --workspace, or --features webhooks"
    )
}

#[test]
fn vectors() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    let mut areas: Vec<_> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    areas.sort();
    for area_dir in areas {
        let area = area_dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&area_dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let mut doc: Value = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            let default_setup = doc.get("setup").cloned().unwrap_or(Value::Null);
            let cases = doc["cases"]
                .as_array_mut()
                .unwrap_or_else(|| panic!("{}: no cases", file.display()));
            for case in cases.iter_mut() {
                count += 1;
                let name = case["name"].as_str().unwrap_or("?").to_owned();
                let setup = case
                    .get("setup")
                    .cloned()
                    .unwrap_or_else(|| default_setup.clone());
                let got = answer(&area, &setup, &case["input"]);
                let case = case.as_object_mut().unwrap();
                let (key, value) = match &got {
                    Ok(value) => ("expected", value),
                    Err(value) => ("expected_error", value),
                };
                let want = case.get(key).map(canonical::to_string);
                let got_text = canonical::to_string(value);
                if bless {
                    case.remove("expected");
                    case.remove("expected_error");
                    case.insert(key.to_owned(), value.clone());
                } else if want.as_deref() != Some(got_text.as_str()) {
                    failures.push(format!(
                        "{}: {name}\n  want {key}: {}\n  got: {got_text}",
                        file.display(),
                        want.unwrap_or_else(|| "(no such key in the case)".into())
                    ));
                }
            }
            if bless {
                let pretty = serde_json::to_string_pretty(&doc).unwrap() + "\n";
                if pretty != text {
                    std::fs::write(&file, pretty).unwrap();
                }
            }
        }
    }
    assert!(count >= 40, "only {count} vector cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{count} vector cases passed");
}

/// Every error code of the core is the expected code of at least one vector.
#[test]
fn every_error_code_has_a_vector() {
    let mut text = String::new();
    for area in std::fs::read_dir(vectors_dir()).unwrap() {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(area).unwrap() {
            text.push_str(&std::fs::read_to_string(file.unwrap().path()).unwrap());
        }
    }
    let codes: Vec<&str> = custclass::all_codes()
        .into_iter()
        .map(|entry| entry.code)
        .collect();
    assert!(codes.len() > 30, "found only {} codes", codes.len());
    let missing: Vec<&&str> = codes
        .iter()
        // `io` and `unreadable_header` need a failing reader or invalid UTF-8
        // in a header, which JSON text can't carry; `column_length` columns
        // of different lengths, which Arrow tables can't be; `too_long` an
        // expression over 1 MiB; `unknown_order_column` an order-line file,
        // which only the core and the command line read (bindings price
        // batches). Unit, limit and CLI tests cover them.
        .filter(|code| {
            ![
                "io",
                "unreadable_header",
                "column_length",
                "too_long",
                "unknown_order_column",
            ]
            .contains(*code)
        })
        .filter(|code| !text.contains(&format!("\"code\": \"{code}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "error codes without a vector: {missing:?}"
    );
}
