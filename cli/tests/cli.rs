//! The command line as a user runs it: real files in a temporary folder.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{custclass, repo, scratch, text};

#[test]
fn demo_classifies_the_bundled_customers_and_writes_the_report() {
    let dir = scratch("demo");
    let out = custclass(&["demo"], &dir);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("1000 customers read: 1000 classified, 0 rejected"),
        "{stdout}"
    );
    for heading in [
        "Group",
        "Receivables account",
        "Region (class1)",
        "Loyalty (class5)",
    ] {
        assert!(stdout.contains(heading), "{heading} missing:\n{stdout}");
    }
    let report = std::fs::read_to_string(dir.join("custclass-demo.csv")).unwrap();
    assert_eq!(report.lines().count(), 1001);
    assert!(report.starts_with("id;name;country;channel;connector;class1;class1_source;"));
}

#[test]
fn check_setup_lists_every_problem_and_fails() {
    let dir = scratch("check");
    let mut setup: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("examples/setup.json")).unwrap())
            .unwrap();
    setup["rules"][3]["when"] = "contry in ('DE')".into();
    setup["rules"][0]["set"]["group"] = "WEBSHOPP".into();
    std::fs::write(dir.join("bad.json"), setup.to_string()).unwrap();
    let out = custclass(&["check-setup", "bad.json"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("$.rules[0].set.group  [unknown_group]"),
        "{stderr}"
    );
    assert!(stderr.contains("$.rules[3].when  [invalid_condition]  condition: unknown field 'contry' at offset 0; did you mean 'country'?"), "{stderr}");

    std::fs::write(
        dir.join("cut.json"),
        "{\"home_country\": \"NL\", \"types\": [",
    )
    .unwrap();
    let out = custclass(&["check-setup", "cut.json"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[json_syntax]"));

    let good = repo().join("examples/setup.json");
    let out = custclass(&["check-setup", good.to_str().unwrap()], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn broken_rows_are_reported_and_the_good_ones_still_written() {
    let dir = scratch("broken");
    let customers = std::fs::read_to_string(repo().join("examples/customers.csv")).unwrap();
    let mut lines: Vec<String> = customers.lines().take(11).map(str::to_owned).collect();
    lines[3] = "10003;Broken;;x@example.com".into();
    let mut cells: Vec<&str> = lines[5].split(';').collect();
    cells[12] = "XX"; // country
    lines[5] = cells.join(";");
    std::fs::write(dir.join("in.csv"), lines.join("\n") + "\n").unwrap();
    let setup = repo().join("examples/setup.json");
    let out = custclass(
        &[
            "classify",
            "--setup",
            setup.to_str().unwrap(),
            "in.csv",
            "--out",
            "out.csv",
        ],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("10 customers read: 8 classified, 2 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: [field_count] expected 51 fields, found 4"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 6, column country: [invalid_field]"),
        "{stderr}"
    );
    let report = std::fs::read_to_string(dir.join("out.csv")).unwrap();
    assert_eq!(report.lines().count(), 9);
}

#[test]
fn json_lines_in_and_out() {
    let dir = scratch("jsonl");
    let input = concat!(
        "{\"id\": \"1\", \"billing_address\": {\"country\": \"DE\"}, \"vat_number\": \"DE123456788\", \"channel\": \"webshop\"}\n",
        "{\"id\": \"2\", \"nmae\": \"typo\"}\n",
        "{\"id\": \"3\", \"billing_address\": {\"country\": \"GB\"}, \"vat_number\": \"GB1\", \"created_at\": \"2020-06-01\"}\n",
    );
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    let setup = repo().join("examples/setup.json");
    let out = custclass(
        &[
            "classify",
            "--setup",
            setup.to_str().unwrap(),
            "in.jsonl",
            "--out",
            "out.jsonl",
        ],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 2, column $.nmae: [json_unknown_field]"),
        "{stderr}"
    );
    let output = std::fs::read_to_string(dir.join("out.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = output
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["customer"]["group"], "EU");
    assert_eq!(
        rows[0]["classification"]["group"]["source"]["kind"],
        "zone_default"
    );
    assert_eq!(
        rows[1]["classification"]["vat_zone"]["value"], "eu",
        "GB before 2021 is EU"
    );
}

#[test]
fn the_committed_json_schema_is_current() {
    let out = custclass(&["schema"], &repo());
    assert!(out.status.success());
    let committed = std::fs::read_to_string(repo().join("schema/setup.schema.json")).unwrap();
    assert_eq!(
        text(&out.stdout),
        committed,
        "schema/setup.schema.json is stale: run `cargo run -p custclass-cli -- schema > schema/setup.schema.json`"
    );
}

#[test]
fn price_writes_each_line_with_its_rule_and_reason() {
    let dir = scratch("price");
    let (setup, customers, lines) = (
        repo().join("examples/setup.json"),
        repo().join("examples/customers.csv"),
        repo().join("examples/order-lines.csv"),
    );
    let args = [
        "price",
        "--setup",
        setup.to_str().unwrap(),
        "--customers",
        customers.to_str().unwrap(),
        lines.to_str().unwrap(),
    ];
    let out = custclass(&args, &dir);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains("10 line(s) priced, 0 rejected"), "{stderr}");
    let rows: Vec<&str> = stdout.lines().collect();
    assert!(rows[0].starts_with("line;customer;item;quantity;currency;list_price;net_price;"));
    // 12 brake pads for a trade customer reach the quantity break.
    assert!(
        rows.contains(&"7;10018;BRAKE-PAD-F;12;EUR;54.00;43.20;20.00;10.80;518.40;trade-brakes-20-from-10;;20% off for price group TRADE, item group BRAKES"),
        "{stdout}"
    );

    let explained = custclass(&[&args[..], &["--explain"]].concat(), &dir);
    let report = text(&explained.stdout);
    assert!(explained.status.success(), "{report}");
    assert!(
        report.contains("trade-brakes-20-from-10      below the minimum quantity 10: buy 1 more"),
        "{report}"
    );
    assert!(
        report.contains("staff-prices                 inactive"),
        "{report}"
    );
}

#[test]
fn price_rejects_bad_lines_and_keeps_the_good_ones() {
    let dir = scratch("price-bad");
    std::fs::write(
        dir.join("lines.csv"),
        "customer,item,item_group,list_price,quantity,date,currency\n\
         10018,BRAKE-PAD-F,BRAKES,54.00,-1,2026-11-22,EUR\n\
         10018,BRAKE-PAD-F,BRAKES,54.00,2,2026-02-30,EUR\n\
         10018,BRAKE-PAD-F,GARDEN,54.00,2,2026-11-22,EUR\n\
         99999,BRAKE-PAD-F,BRAKES,54.00,2,2026-11-22,EUR\n\
         10018,BRAKE-PAD-F,BRAKES,54.00,2,2026-11-22,XYZ\n\
         10018,BRAKE-PAD-F,BRAKES,54.00,2,2026-11-22,EUR\n",
    )
    .unwrap();
    let setup = repo().join("examples/setup.json");
    let customers = repo().join("examples/customers.csv");
    let out = custclass(
        &[
            "price",
            "--setup",
            setup.to_str().unwrap(),
            "--customers",
            customers.to_str().unwrap(),
            "lines.csv",
        ],
        &dir,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("1 line(s) priced, 5 rejected"), "{stderr}");
    for expected in [
        "line 2: quantity: -1 is not more than zero (invalid_quantity)",
        "line 3: date: `2026-02-30` is not a date like 2026-01-31 (invalid_field)",
        "line 4: item_group: 'GARDEN' is not defined in the setup (unknown_item_group)",
        "line 5: customer '99999' is not in the customer file",
        "line 6: currency: `XYZ` is not an ISO 4217 currency code (invalid_field)",
    ] {
        assert!(stderr.contains(expected), "{expected} missing:\n{stderr}");
    }
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}

#[test]
fn filter_writes_a_segment_of_a_customer_file() {
    let dir = scratch("filter");
    let setup = repo().join("examples/setup.json");
    let customers = repo().join("examples/customers.csv");
    let args = |segment: &str| {
        vec![
            "filter".to_owned(),
            "--setup".to_owned(),
            setup.to_str().unwrap().to_owned(),
            "--where".to_owned(),
            segment.to_owned(),
            "--columns".to_owned(),
            "id,country,channel".to_owned(),
            customers.to_str().unwrap().to_owned(),
        ]
    };
    let run = |segment: &str| {
        let args = args(segment);
        custclass(&args.iter().map(String::as_str).collect::<Vec<_>>(), &dir)
    };
    let out = run("country = 'DK' and channel = 'webshop'");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows[0], "id;country;channel");
    assert!(
        rows[1..].iter().all(|row| row.ends_with(";DK;webshop")),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!(
            "1000 customers read: {} in the segment",
            rows.len() - 1
        )),
        "{stderr}"
    );

    let bad = run("country = 'DK' and chanel = 'webshop'");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("did you mean 'channel'? (unknown_field)"));
}

#[test]
fn filter_and_segments_see_the_classification_unless_stored() {
    let dir = scratch("filter-classified");
    let setup = repo().join("examples/setup.json");
    let customers = repo().join("examples/customers.csv");
    let (setup, customers) = (setup.to_str().unwrap(), customers.to_str().unwrap());
    let run = |extra: &[&str], expression: &str| {
        let mut args = vec!["filter", "--setup", setup, "--where", expression];
        args.extend(extra);
        args.extend(["--columns", "id,country", customers]);
        let out = custclass(&args, &dir);
        assert!(out.status.success(), "{}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    // The raw file has no region; the rules label DE, AT and CH as DACH.
    let (dach, _) = run(&[], "class.Region = 'DACH'");
    let (by_country, _) = run(&[], "country in ('DE', 'AT', 'CH')");
    assert!(dach.lines().count() > 1, "{dach}");
    assert_eq!(dach, by_country);
    let (stored, stderr) = run(&["--stored"], "class.Region = 'DACH'");
    assert_eq!(stored.lines().count(), 1, "{stored}");
    assert!(
        stderr.contains("warning: column 'class1' has no value in any row")
            && stderr.contains("(empty_column)"),
        "{stderr}"
    );
    let (_, stderr) = run(&[], "class.Region = 'DACH' and channel = 'pos'");
    assert!(
        !stderr.contains("warning"),
        "classified, never empty: {stderr}"
    );

    let count = |extra: &[&str]| {
        let mut args = vec![
            "segments",
            "--setup",
            setup,
            "--segment",
            "dach=class.Region = 'DACH'",
        ];
        args.extend(extra);
        args.push(customers);
        let out = custclass(&args, &dir);
        (text(&out.stdout), text(&out.stderr))
    };
    let (classified, _) = count(&[]);
    let expected = format!("dach;class.Region = 'DACH';{}", dach.lines().count() - 1);
    assert!(classified.contains(&expected), "{classified}");
    let (stored, stderr) = count(&["--stored"]);
    assert!(stored.contains("dach;class.Region = 'DACH';0"), "{stored}");
    assert!(stderr.contains("(empty_column)"), "{stderr}");
}

#[test]
fn segments_counts_many_segments_as_filter_selects_each() {
    let dir = scratch("segments");
    let setup = repo().join("examples/setup.json");
    let customers = repo().join("examples/customers.csv");
    let (setup, customers) = (setup.to_str().unwrap(), customers.to_str().unwrap());
    let segments = [
        ("all", "true"),
        ("danes", "country = 'DK'"),
        ("danish-shoppers", "country = 'DK' and channel = 'webshop'"),
        ("eu.b2b", "vat_zone = 'eu' and b2b = true"),
        ("none", "false"),
    ];
    let mut args = vec!["segments", "--setup", setup];
    let given: Vec<String> = segments.iter().map(|(n, e)| format!("{n}={e}")).collect();
    for segment in &given {
        args.extend(["--segment", segment.as_str()]);
    }
    args.push(customers);
    let out = custclass(&args, &dir);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows[0], "segment;expression;customers");
    assert_eq!(rows.len(), segments.len() + 1, "{stdout}");
    for ((name, expression), row) in segments.iter().zip(&rows[1..]) {
        let alone = custclass(
            &["filter", "--setup", setup, "--where", expression, customers],
            &dir,
        );
        let selected = text(&alone.stdout).lines().count() - 1;
        assert_eq!(*row, format!("{name};{expression};{selected}"));
    }
    assert!(
        rows[1].ends_with(";1000") && rows[5].ends_with(";0"),
        "{stdout}"
    );
    assert!(
        stderr.contains("1000 customers read: 5 segments counted, 0 rows rejected"),
        "{stderr}"
    );

    let bad = custclass(
        &[
            "segments",
            "--setup",
            setup,
            "--segment",
            "all=true",
            "--segment",
            "typo=chanel = 'pos'",
            customers,
        ],
        &dir,
    );
    assert_eq!(bad.status.code(), Some(2));
    let stderr = text(&bad.stderr);
    assert!(
        stderr.contains("--segment typo: unknown field 'chanel' at offset 0; did you mean 'channel'? (unknown_field)\n  chanel = 'pos'\n  ^"),
        "{stderr}"
    );
    let twice = custclass(
        &[
            "segments",
            "--setup",
            setup,
            "--segment",
            "a=true",
            "--segment",
            "a=false",
            customers,
        ],
        &dir,
    );
    assert!(text(&twice.stderr).contains("two segments are named 'a' (duplicate_segment)"));
    let unnamed = custclass(
        &[
            "segments",
            "--setup",
            setup,
            "--segment",
            "country = 'DK'",
            customers,
        ],
        &dir,
    );
    assert_eq!(unnamed.status.code(), Some(2));
    assert!(text(&unnamed.stderr).contains("expected NAME=EXPRESSION"));
}

#[test]
fn filter_reports_bad_rows_and_keeps_the_good_ones() {
    let dir = scratch("filter-bad");
    std::fs::write(
        dir.join("customers.csv"),
        "id;country;channel\n1;DK;webshop\n2;XX;webshop\n3;DK;pos\n4;DK;webshop\n",
    )
    .unwrap();
    let setup = repo().join("examples/setup.json");
    let out = custclass(
        &[
            "filter",
            "--setup",
            setup.to_str().unwrap(),
            "--where",
            "country = 'DK' and channel = 'webshop'",
            "customers.csv",
        ],
        &dir,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(
        stderr.contains("rejected: line 3, column country: [invalid_field]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 customers read: 2 in the segment, 1 rows rejected"),
        "{stderr}"
    );
}

/// Every kind of bad row at once: each is reported with its line, column
/// and code, the good rows are classified and written, none is lost.
#[test]
fn classify_reports_each_kind_of_bad_row_and_keeps_the_good_ones() {
    let dir = scratch("bad-rows");
    let customers = std::fs::read(repo().join("examples/customers.csv")).unwrap();
    let mut lines: Vec<Vec<u8>> = customers
        .split(|&b| b == b'\n')
        .take(11)
        .map(<[u8]>::to_vec)
        .collect();
    let header: Vec<String> = String::from_utf8(lines[0].clone())
        .unwrap()
        .split(';')
        .map(str::to_owned)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let set = |line: &mut Vec<u8>, column: usize, value: &[u8]| {
        let mut cells: Vec<Vec<u8>> = line.split(|&b| b == b';').map(<[u8]>::to_vec).collect();
        cells[column] = value.to_vec();
        *line = cells.join(&b';');
    };
    lines[2].truncate(20); // a row cut short: fields missing
    set(&mut lines[3], at("credit_limit"), b"12,5x"); // not a decimal
    set(&mut lines[4], at("class1"), b"MOON"); // not a value of the Region slot
    set(&mut lines[5], at("name"), &vec![b'a'; 10 << 20]); // a 10 MB line
    set(&mut lines[6], at("name"), b"M\xfcller"); // Latin-1, not UTF-8
    std::fs::write(dir.join("in.csv"), lines.join(&b'\n')).unwrap();
    let setup = repo().join("examples/setup.json");
    let setup = setup.to_str().unwrap();
    let out = custclass(
        &["classify", "--setup", setup, "in.csv", "--out", "out.csv"],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("10 customers read: 5 classified, 5 rejected"),
        "{stderr}"
    );
    for expected in [
        "line 3: [field_count] expected 51 fields, found",
        "line 4, column credit_limit: [invalid_field] credit_limit: `12,5x` is not a decimal number",
        "line 5, column class1: [unknown_slot_value] class1: 'MOON' is not a value of this slot",
        "line 6: [row_too_long] a line of the row is longer than 1048576 bytes; the rest of that line was skipped",
        "line 7, column name: [invalid_utf8]",
    ] {
        assert!(stderr.contains(expected), "{expected} missing:\n{stderr}");
    }
    let report = std::fs::read_to_string(dir.join("out.csv")).unwrap();
    assert_eq!(report.lines().count(), 6, "{report}");

    // `filter` reads the same file alike: the same rows rejected, exit 1.
    let out = custclass(
        &[
            "filter",
            "--setup",
            setup,
            "--where",
            "country is not null",
            "in.csv",
            "--out",
            "list.csv",
        ],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("line 6: [row_too_long]"), "{stderr}");
    assert!(stderr.contains("rows rejected"), "{stderr}");

    // A file without the id column can't be read at all: exit 2.
    std::fs::write(dir.join("no-id.csv"), "name;country\nJansen;NL\n").unwrap();
    let out = custclass(&["classify", "--setup", setup, "no-id.csv"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no-id.csv") && stderr.contains("missing_column"),
        "{stderr}"
    );
    // The 10 MB file isn't left behind in the temporary folder.
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The files in `dir` whose names start with `prefix`.
fn files_starting(dir: &Path, prefix: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix))
        .collect()
}

/// A report appears whole or not at all: a run killed while writing leaves
/// no file under the report's name (only its temporary one), a run that
/// stops with an error leaves nothing, a finished run leaves the report.
#[test]
fn outputs_appear_whole_or_not_at_all() {
    let dir = scratch("atomic");
    // 100,000 customers: the example file's rows with ids of their own.
    let example = std::fs::read_to_string(repo().join("examples/customers.csv")).unwrap();
    let (header, rows) = example.split_once('\n').unwrap();
    let mut big = String::from(header);
    big.push('\n');
    for copy in 0..100 {
        for row in rows.lines() {
            let (id, rest) = row.split_once(';').unwrap();
            big.push_str(&format!("{copy}-{id};{rest}\n"));
        }
    }
    std::fs::write(dir.join("big.csv"), big).unwrap();
    let setup = repo().join("examples/setup.json");
    let setup = setup.to_str().unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_custclass"))
        .args([
            "classify",
            "--setup",
            setup,
            "--out",
            "report.csv",
            "big.csv",
        ])
        .current_dir(&dir)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has started writing.
    let started = std::time::Instant::now();
    while files_starting(&dir, ".report.csv.partial").is_empty() {
        assert!(
            started.elapsed().as_secs() < 120,
            "the run never started writing"
        );
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run ended before it could be killed");
    assert!(
        !dir.join("report.csv").exists(),
        "a killed run left report.csv"
    );
    assert_eq!(files_starting(&dir, ".report.csv.partial").len(), 1);

    // An error after the output was opened (the lines file's header has
    // no `item`) leaves nothing behind.
    std::fs::write(dir.join("lines.csv"), "customer;colour\n1;red\n").unwrap();
    let out = custclass(
        &[
            "price",
            "--setup",
            setup,
            "--customers",
            "big.csv",
            "--out",
            "quotes.csv",
            "lines.csv",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(files_starting(&dir, "quotes.csv").is_empty());
    assert!(files_starting(&dir, ".quotes.csv").is_empty());

    // A finished run puts the whole report in place and nothing else.
    let out = custclass(
        &["classify", "--setup", setup, "--out", "done.csv", "big.csv"],
        &dir,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = std::fs::read_to_string(dir.join("done.csv")).unwrap();
    assert_eq!(report.lines().count(), 100_001);
    assert!(files_starting(&dir, ".done.csv").is_empty());
}

/// A misspelt attribute column would leave every customer unlabelled by
/// the rules that test it: refused, naming the declared one, unless
/// `--allow-unknown-columns` makes it a warning (issue 19).
#[test]
fn classify_refuses_an_undeclared_attribute_column_unless_allowed() {
    let dir = scratch("undeclared-attribute");
    let customers = std::fs::read_to_string(repo().join("examples/customers.csv")).unwrap();
    let file: String = customers
        .lines()
        .take(6)
        .collect::<Vec<_>>()
        .join("\n")
        .replacen("attr.turnover_12m", "attr.turnover", 1);
    std::fs::write(dir.join("in.csv"), file).unwrap();
    let setup = repo().join("examples/setup.json");
    let setup = setup.to_str().unwrap();
    let out = custclass(
        &["classify", "--setup", setup, "in.csv", "--out", "out.csv"],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr
            .contains("is not an attribute the setup declares (did you mean 'attr.turnover_12m'?)")
            && stderr.contains("(undeclared_attribute)"),
        "{stderr}"
    );
    assert!(
        !dir.join("out.csv").exists(),
        "no output for a refused file"
    );
    let out = custclass(
        &[
            "classify",
            "--setup",
            setup,
            "in.csv",
            "--out",
            "out.csv",
            "--allow-unknown-columns",
        ],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning: in.csv: column"), "{stderr}");
    assert!(stderr.contains("(missing_attribute)"), "{stderr}");
    assert!(dir.join("out.csv").exists(), "{stderr}");
}
