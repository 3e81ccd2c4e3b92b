//! `custclass pg install` and `pg classify` against a real server
//! (run by scripts/suite-postgres). Every test asserts what the database
//! holds afterwards, not only what the command says.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;
#[path = "pg/server.rs"]
mod server;

use std::path::Path;
use std::process::Output;

use postgres::Client;
use postgres::types::FromSqlOwned;
use server::Db;

#[test]
fn install_then_classify_twice_changes_nothing_the_second_time() {
    let db = Db::new("twice");
    db.example_customers("customers");
    let dir = tempfile::tempdir().unwrap();
    let setup = common::example("setup.json");
    let install = server::pg(
        &["install", "--setup", &setup, "--url", &db.url],
        dir.path(),
    );
    assert!(
        install.status.success(),
        "{}",
        common::text(&install.stderr)
    );
    let first = server::pg(
        &["classify", "--setup", &setup, "--url", &db.url],
        dir.path(),
    );
    assert!(first.status.success(), "{}", common::text(&first.stderr));
    assert!(common::text(&first.stdout).starts_with("1000 read, 1000 classified, 0 rejected"));
    let labels: i64 = db
        .client()
        .query_one("SELECT count(*) FROM custclass_labels", &[])
        .unwrap()
        .get(0);
    assert!(labels > 10_000, "{labels}");
    let second = server::pg(
        &["classify", "--setup", &setup, "--url", &db.url],
        dir.path(),
    );
    assert!(
        common::text(&second.stdout).contains("0 label(s) written, 0 removed"),
        "{}",
        common::text(&second.stdout)
    );
}

#[test]
fn rejected_rows_are_recorded_with_the_tables_column_and_the_rest_labelled() {
    let db = Db::new("rejects");
    db.example_customers("customers");
    let mut c = db.client();
    c.batch_execute(
        "ALTER TABLE customers RENAME country TO land;\n\
         ALTER TABLE customers RENAME \"attr.orders_12m\" TO bestellingen;\n\
         UPDATE customers SET \"group\" = 'GOLD' WHERE id = '10001';\n\
         UPDATE customers SET land = 'Netherlands' WHERE id = '10002';\n\
         UPDATE customers SET \"attr.turnover_12m\" = 'lots' WHERE id = '10003';\n\
         UPDATE customers SET bestellingen = 'many' WHERE id = '10005';",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        dir.path(),
        "mapping.json",
        r#"{"columns": {"land": "country", "bestellingen": "attr.orders_12m"}}"#,
    );
    let args = |command: &'static str| -> Vec<String> {
        let mut args = base_args(command, &db);
        args.extend(["--mapping".to_owned(), mapping.clone()]);
        args
    };
    succeeds(&run(&args("install"), dir.path()));
    let first = run(&args("classify"), dir.path());
    assert_eq!(first.status.code(), Some(1), "{}", both(&first));
    assert!(
        stdout(&first).starts_with("1000 read, 996 classified, 4 rejected;"),
        "{}",
        both(&first)
    );
    assert!(stdout(&first).ends_with("rejects: 4 added, 0 removed\n"));
    let found_rejects = rejects(&mut c);
    let found: Vec<(&str, &str, &str)> = found_rejects
        .iter()
        .map(|(id, column, code, _)| (id.as_str(), column.as_str(), code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("10001", "group", "unknown_group"),
            ("10002", "land", "invalid_field"),
            ("10003", "attr.turnover_12m", "invalid_attribute"),
            ("10005", "bestellingen", "invalid_attribute"),
        ]
    );
    assert!(
        found_rejects[0].3.contains("GOLD"),
        "{:?}",
        found_rejects[0]
    );
    assert!(
        found_rejects[1].3.contains("Netherlands"),
        "{:?}",
        found_rejects[1]
    );
    assert!(
        found_rejects[2].3.contains("lots"),
        "{:?}",
        found_rejects[2]
    );
    let labelled: i64 = one(
        &mut c,
        "SELECT count(DISTINCT customer_id) FROM custclass_labels",
    );
    assert_eq!(labelled, 996);
    let bad_labelled: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE customer_id IN ('10001', '10002', '10003', '10005')",
    );
    assert_eq!(bad_labelled, 0);

    // Again: the same rejects, the very same rows.
    let before = rejects_checksum(&mut c);
    let labels_before = labels_checksum(&mut c);
    let second = run(&args("classify"), dir.path());
    assert_eq!(second.status.code(), Some(1));
    assert!(
        stdout(&second).ends_with("0 label(s) written, 0 removed; rejects: 0 added, 0 removed\n"),
        "{}",
        both(&second)
    );
    assert_eq!(rejects_checksum(&mut c), before);
    assert_eq!(labels_checksum(&mut c), labels_before);

    // A fixed row loses its reject and gets its labels; a row that breaks
    // loses the labels it had.
    c.batch_execute(
        "UPDATE customers SET \"group\" = NULL WHERE id = '10001';\n\
         UPDATE customers SET land = 'Holland' WHERE id = '10004';",
    )
    .unwrap();
    let had: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE customer_id = '10004'",
    );
    assert!(had > 0);
    let third = run(&args("classify"), dir.path());
    assert_eq!(third.status.code(), Some(1));
    assert!(
        stdout(&third).contains("; rejects: 1 added, 1 removed"),
        "{}",
        both(&third)
    );
    let ids: Vec<String> = rejects(&mut c).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["10002", "10003", "10004", "10005"]);
    let fixed: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE customer_id = '10001' AND target = 'group'",
    );
    assert_eq!(fixed, 1);
    let broken: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE customer_id = '10004'",
    );
    assert_eq!(broken, 0);
}

#[test]
fn a_mapping_file_reads_a_typed_table_of_another_shape() {
    let db = Db::new("mapping");
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE klanten (customer_no bigint PRIMARY KEY, naam text, land char(2), \
         kanaal varchar(20), soort text, omzet numeric(12,2), bestellingen integer, \
         anoniem boolean, aangemaakt timestamptz, branche json);\n\
         INSERT INTO klanten VALUES \
         (9007199254740993, 'Groot BV', 'NL', 'webshop', 'company', 60000.50, 25, true, \
          '2026-03-01 12:00:00+00', NULL),\n\
         (2, 'Klein', 'DE', 'pos', NULL, 49999.99, 3, false, '2020-05-01 12:00:00+00', NULL);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let setup = setup_with(dir.path(), "typed.json", |setup| {
        let rules = setup["rules"].as_array_mut().unwrap();
        rules.insert(
            0,
            serde_json::json!({"id": "t-big", "when": "attr.turnover_12m >= 50000",
                               "set": {"class.Segment": "KEY"}}),
        );
        rules.insert(
            0,
            serde_json::json!({"id": "t-anon", "when": "anonymised = true",
                               "set": {"class.Sector": "HORECA"}}),
        );
    });
    let mapping = write(
        dir.path(),
        "mapping.json",
        r#"{"columns": {"customer_no": "id", "land": "country", "kanaal": "channel",
            "soort": "business_type", "omzet": "attr.turnover_12m",
            "bestellingen": "attr.orders_12m", "anoniem": "anonymised",
            "aangemaakt": "created_at", "branche": "sector"}}"#,
    );
    let typo = write(
        dir.path(),
        "typo.json",
        r#"{"columns": {"customer_nr": "id", "land": "country"}}"#,
    );
    let args = |command: &str, mapping: &str| {
        let mut args = base_args(command, &db);
        args[2] = setup.clone();
        args.extend(
            ["--table", "klanten", "--mapping", mapping]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        args
    };

    // A typo: exit 2, a suggestion, and nothing created.
    let failed = run(&args("install", &typo), dir.path());
    assert_eq!(failed.status.code(), Some(2), "{}", both(&failed));
    assert!(
        stderr(&failed).contains("did you mean customer_no?"),
        "{}",
        both(&failed)
    );
    let installed: bool = one(&mut c, "SELECT to_regclass('custclass_labels') IS NOT NULL");
    assert!(!installed);

    succeeds(&run(&args("install", &mapping), dir.path()));
    let first = run(&args("classify", &mapping), dir.path());
    succeeds(&first);
    assert!(stdout(&first).starts_with("2 read, 2 classified, 0 rejected"));
    let big = labels_of(&mut c, "9007199254740993");
    let small = labels_of(&mut c, "2");
    assert_eq!(label(&big, "class1"), ("BENELUX", "rule:region-benelux"));
    assert_eq!(label(&big, "class2"), ("KEY", "rule:t-big"), "numeric");
    assert_eq!(label(&big, "class3"), ("WEB", "rule:channel-web"));
    assert_eq!(label(&big, "class4"), ("HORECA", "rule:t-anon"), "boolean");
    assert_eq!(
        label(&big, "class5"),
        ("GOLD", "rule:loyalty-gold"),
        "integer"
    );
    assert_eq!(label(&big, "type"), ("BUSINESS", "rule:business"));
    assert_eq!(label(&small, "class1"), ("DACH", "rule:region-dach"));
    assert_eq!(label(&small, "class2"), ("RETAIL", "rule:consumer"));
    assert_eq!(label(&small, "class4"), ("PRIVATE", "rule:private"));
    assert!(small.iter().all(|(target, _, _)| target != "class5"));

    // The timestamp is read as its day: a customer created this year is new.
    c.batch_execute(
        "UPDATE klanten SET bestellingen = 0, omzet = 50000 WHERE customer_no = 9007199254740993",
    )
    .unwrap();
    succeeds(&run(&args("classify", &mapping), dir.path()));
    let big = labels_of(&mut c, "9007199254740993");
    assert_eq!(
        label(&big, "class5"),
        ("NEW", "rule:loyalty-new"),
        "timestamptz"
    );
    assert_eq!(
        label(&big, "class2"),
        ("KEY", "rule:t-big"),
        "50000 >= 50000"
    );

    // The trigger watches a json column too (json has no `=`): a change
    // of it is queued.
    c.batch_execute(
        "DELETE FROM custclass_outbox;\n\
         UPDATE klanten SET branche = '\"trade\"' WHERE customer_no = 2;\n\
         UPDATE klanten SET naam = 'not read' WHERE customer_no = 2;",
    )
    .unwrap();
    let queued: Vec<String> = c
        .query("SELECT customer_id FROM custclass_outbox", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(queued, ["2"]);
    c.batch_execute("DELETE FROM custclass_outbox").unwrap();
    c.batch_execute("UPDATE klanten SET naam = 'still not read' WHERE customer_no = 2")
        .unwrap();
    let queued: i64 = one(&mut c, "SELECT count(*) FROM custclass_outbox");
    assert_eq!(queued, 0, "a column the setup doesn't read queues nothing");

    // A typo in the mapping of an installed table writes nothing either.
    let before = labels_checksum(&mut c);
    let failed = run(&args("classify", &typo), dir.path());
    assert_eq!(failed.status.code(), Some(2), "{}", both(&failed));
    assert!(stderr(&failed).contains("did you mean customer_no?"));
    assert_eq!(labels_checksum(&mut c), before);
}

#[test]
fn columns_are_written_into_the_customer_table_once() {
    let db = Db::new("columns");
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE shop (id integer PRIMARY KEY, country text, channel text, \
         layout text, price_group_source text, cust_group text, cust_group_why text, \
         zone varchar(20));\n\
         INSERT INTO shop (id, country, channel, layout, cust_group, zone) VALUES \
         (1, 'NL', 'webshop', NULL, NULL, NULL), (2, 'DE', 'pos', 'old', 'old', 'old'), \
         (3, 'Holland', 'pos', 'keep', 'keep', 'keep');\n\
         CREATE SCHEMA s2; CREATE TABLE s2.shop2 AS SELECT * FROM shop;\n\
         ALTER TABLE s2.shop2 ADD PRIMARY KEY (id);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        dir.path(),
        "labels.json",
        r#"{"labels": {"group": {"value": "cust_group", "source": "cust_group_why"},
                       "vat_zone": "zone"}}"#,
    );
    let args = |command: &str, table: &str, mapping: Option<&str>| {
        let mut args = base_args(command, &db);
        args.extend(["--table".to_owned(), table.to_owned()]);
        if table == "shop2" {
            args.extend(["--schema".to_owned(), "s2".to_owned()]);
        }
        if let Some(mapping) = mapping {
            args.extend(["--mapping".to_owned(), mapping.to_owned()]);
        }
        if command == "classify" {
            args.push("--columns".to_owned());
        }
        args
    };
    succeeds(&run(&args("install", "shop", None), dir.path()));

    // Same-named columns: layout (no source column of its own), and a
    // source column alone is not a target.
    let first = run(&args("classify", "shop", None), dir.path());
    assert_eq!(first.status.code(), Some(1), "{}", both(&first));
    assert!(
        stdout(&first).contains("2 customer row(s) updated"),
        "{}",
        both(&first)
    );
    let rows = c
        .query(
            "SELECT id, layout, cust_group, zone FROM shop ORDER BY id",
            &[],
        )
        .unwrap();
    let rows: Vec<(i32, [Option<String>; 3])> = rows
        .iter()
        .map(|r| (r.get(0), [r.get(1), r.get(2), r.get(3)]))
        .collect();
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        rows,
        [
            (1, [s("receipt-web"), None, None]),
            (2, [s("receipt-pos"), s("old"), s("old")]),
            (3, [s("keep"), s("keep"), s("keep")]),
        ]
    );
    let labels: i64 = one(&mut c, "SELECT count(*) FROM custclass_labels");
    assert_eq!(labels, 0, "--columns leaves the labels table alone");
    let rejected: Vec<String> = rejects(&mut c).into_iter().map(|r| r.1).collect();
    assert_eq!(rejected, ["country"]);
    let second = run(&args("classify", "shop", None), dir.path());
    assert!(
        stdout(&second).contains("0 customer row(s) updated; rejects: 0 added, 0 removed"),
        "{}",
        both(&second)
    );
    // --stale finds stale labels in custclass_labels, which --columns
    // doesn't write: together they would quietly do nothing.
    let mut stale = args("classify", "shop", None);
    stale.push("--stale".to_owned());
    let refused = run(&stale, dir.path());
    assert_eq!(refused.status.code(), Some(2), "{}", both(&refused));
    assert!(stderr(&refused).contains("--stale"), "{}", both(&refused));

    // Mapped columns, a source column among them, a typed one.
    succeeds(&run(&args("install", "shop2", None), dir.path()));
    let first = run(&args("classify", "shop2", Some(&mapping)), dir.path());
    assert_eq!(first.status.code(), Some(1), "{}", both(&first));
    let rows = c
        .query(
            "SELECT id, layout, cust_group, cust_group_why, zone FROM s2.shop2 ORDER BY id",
            &[],
        )
        .unwrap();
    let rows: Vec<[Option<String>; 4]> = rows
        .iter()
        .map(|r| [r.get(1), r.get(2), r.get(3), r.get(4)])
        .collect();
    assert_eq!(
        rows,
        [
            [
                None,
                s("WEBSHOP"),
                s("channel_default:webshop"),
                s("domestic")
            ],
            [s("old"), s("STANDARD"), s("channel_default:pos"), s("eu")],
            [s("keep"), s("keep"), None, s("keep")],
        ]
    );
    let second = run(&args("classify", "shop2", Some(&mapping)), dir.path());
    assert!(
        stdout(&second).contains("0 customer row(s) updated"),
        "{}",
        both(&second)
    );
}

#[test]
fn a_column_both_read_and_written_keeps_only_what_was_set_by_hand() {
    let db = Db::new("readwrite");
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE erp (id integer PRIMARY KEY, country text, channel text, \
         business_type text, \"group\" text, group_source text);\n\
         INSERT INTO erp VALUES (1, 'NL', 'webshop', NULL, NULL, NULL), \
         (2, 'NL', 'webshop', 'company', 'EU', NULL), (3, 'DE', 'pos', NULL, NULL, NULL);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let args = |setup: &str| {
        let mut args = base_args("classify", &db);
        args[2] = setup.to_owned();
        args.extend(
            ["--table", "erp", "--columns"]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        args
    };
    let groups = |c: &mut Client| -> Vec<(Option<String>, Option<String>)> {
        c.query("SELECT \"group\", group_source FROM erp ORDER BY id", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let s = |v: &str| Some(v.to_owned());
    let mut install = base_args("install", &db);
    install.extend(["--table".to_owned(), "erp".to_owned()]);
    succeeds(&run(&install, dir.path()));
    succeeds(&run(&args(&common::example("setup.json")), dir.path()));
    assert_eq!(
        groups(&mut c),
        [
            (s("WEBSHOP"), s("channel_default:webshop")),
            (s("EU"), s("manual")),
            (s("STANDARD"), s("channel_default:pos")),
        ]
    );
    let again = run(&args(&common::example("setup.json")), dir.path());
    assert!(
        stdout(&again).contains("0 customer row(s) updated"),
        "{}",
        both(&again)
    );

    // A setup change reaches the values custclass wrote, not those set by
    // hand: a written value isn't read back as if a person had chosen it.
    let new = setup_with(dir.path(), "new.json", |setup| {
        setup["channel_groups"]["webshop"] = "STANDARD".into();
    });
    let changed = run(&args(&new), dir.path());
    succeeds(&changed);
    assert!(
        stdout(&changed).contains("1 customer row(s) updated"),
        "{}",
        both(&changed)
    );
    assert_eq!(
        groups(&mut c),
        [
            (s("STANDARD"), s("channel_default:webshop")),
            (s("EU"), s("manual")),
            (s("STANDARD"), s("channel_default:pos")),
        ]
    );

    // Without a source column custclass can't tell its values from a
    // person's: it refuses, and says what to add.
    c.batch_execute("ALTER TABLE erp ADD class1 text").unwrap();
    let before = groups(&mut c);
    let refused = run(&args(&new), dir.path());
    assert_eq!(refused.status.code(), Some(2), "{}", both(&refused));
    assert!(
        stderr(&refused).contains("class1_source"),
        "{}",
        both(&refused)
    );
    assert_eq!(groups(&mut c), before);
    let class1: i64 = one(&mut c, "SELECT count(class1) FROM erp");
    assert_eq!(class1, 0);
}

#[test]
fn a_schema_serves_the_one_table_custclass_was_installed_for() {
    let db = Db::new("onetable");
    db.example_customers("customers");
    let mut c = db.client();
    c.batch_execute("CREATE TABLE other (nr text PRIMARY KEY, country text)")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    succeeds(&run(&base_args("classify", &db), dir.path()));
    let labels = labels_checksum(&mut c);
    let mapping = write(dir.path(), "other.json", r#"{"columns": {"nr": "id"}}"#);
    let other = |command: &str| {
        let mut args = base_args(command, &db);
        args.extend(
            ["--table", "other", "--mapping", &mapping]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        args
    };
    for command in ["install", "classify"] {
        let out = run(&other(command), dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", both(&out));
        assert!(
            stderr(&out).contains("labels \"public\".\"customers\", not \"public\".\"other\""),
            "{}",
            both(&out)
        );
    }
    assert_eq!(labels_checksum(&mut c), labels, "the labels stand");
    // The trigger still reads the customers' id: an insert is queued.
    c.batch_execute("INSERT INTO customers (id, country) VALUES ('n1', 'NL')")
        .unwrap();
    let queued: Vec<String> = c
        .query("SELECT customer_id FROM custclass_outbox", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(queued, ["n1"]);
    // A renamed table is taken over by installing again.
    c.batch_execute("ALTER TABLE customers RENAME TO clients")
        .unwrap();
    let mut renamed = base_args("install", &db);
    renamed.extend(["--table".to_owned(), "clients".to_owned()]);
    succeeds(&run(&renamed, dir.path()));
    renamed[0] = "classify".to_owned();
    let out = run(&renamed, dir.path());
    succeeds(&out);
    assert!(stdout(&out).starts_with("1001 read"), "{}", both(&out));
}

#[test]
fn an_id_on_two_rows_labels_neither() {
    let db = Db::new("duplicate");
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE customers (id text, country text, channel text);\n\
         INSERT INTO customers VALUES ('a', 'NL', 'pos'), ('b', 'NL', 'pos'), \
         ('a', 'DE', 'webshop');",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    let first = run(&base_args("classify", &db), dir.path());
    assert_eq!(first.status.code(), Some(1), "{}", both(&first));
    assert!(
        stdout(&first).starts_with("3 read, 1 classified, 2 rejected"),
        "{}",
        both(&first)
    );
    let labelled: Vec<String> = c
        .query("SELECT DISTINCT customer_id FROM custclass_labels", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(labelled, ["b"]);
    let found: Vec<(String, String)> = rejects(&mut c).into_iter().map(|r| (r.0, r.2)).collect();
    assert_eq!(found, [("a".to_owned(), "duplicate_id".to_owned())]);
    // The server moves an updated row: still neither is labelled.
    c.batch_execute("UPDATE customers SET channel = 'pos' WHERE country = 'NL' AND id = 'a'")
        .unwrap();
    let again = run(&base_args("classify", &db), dir.path());
    assert!(
        stdout(&again).contains("0 label(s) written, 0 removed"),
        "{}",
        both(&again)
    );
}

#[test]
fn labels_carry_the_tables_own_id_text() {
    let db = Db::new("spaces");
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE customers (id text PRIMARY KEY, country text, channel text, layout text);\n\
         INSERT INTO customers VALUES (' a ', 'NL', 'pos', NULL), (E'b\\t', 'Holland', 'pos', NULL), \
         ('c', 'DE', 'webshop', NULL), (E'\\u00a0d\\u2003', 'NL', 'pos', NULL), \
         ('é', 'NL', 'pos', NULL);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    let out = run(&base_args("classify", &db), dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let unjoined: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels l \
         WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = l.customer_id)",
    );
    assert_eq!(unjoined, 0, "every label joins back to its row");
    let spaced = labels_of(&mut c, " a ");
    assert_eq!(label(&spaced, "class1"), ("BENELUX", "rule:region-benelux"));
    let unicode = labels_of(&mut c, "\u{a0}d\u{2003}");
    assert_eq!(
        label(&unicode, "class1"),
        ("BENELUX", "rule:region-benelux")
    );
    let rejected: Vec<String> = rejects(&mut c).into_iter().map(|r| r.0).collect();
    assert_eq!(rejected, ["b\t"]);
    let again = run(&base_args("classify", &db), dir.path());
    assert!(
        stdout(&again).contains("0 label(s) written, 0 removed; rejects: 0 added, 0 removed"),
        "{}",
        both(&again)
    );

    // The watcher finds them by the same text: a change, a deletion.
    c.batch_execute(
        "UPDATE customers SET channel = 'webshop' WHERE id = ' a ';\n\
         DELETE FROM customers WHERE id = E'b\\t';",
    )
    .unwrap();
    let mut watch = base_args("watch", &db);
    watch.push("--once".to_owned());
    succeeds(&run(&watch, dir.path()));
    let spaced = labels_of(&mut c, " a ");
    assert_eq!(label(&spaced, "class3"), ("WEB", "rule:channel-web"));
    let left: i64 = one(&mut c, "SELECT count(*) FROM custclass_rejects");
    assert_eq!(left, 0);

    // --columns updates the row by its own id.
    let mut columns = base_args("classify", &db);
    columns.push("--columns".to_owned());
    succeeds(&run(&columns, dir.path()));
    let layout: Option<String> = one(&mut c, "SELECT layout FROM customers WHERE id = ' a '");
    assert_eq!(layout.as_deref(), Some("receipt-web"));
}

#[test]
fn the_trigger_never_fails_the_applications_write_of_a_row_without_id() {
    let db = Db::new("nullid");
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE customers (id text, country text, channel text);\n\
         INSERT INTO customers VALUES (NULL, 'NL', 'pos'), ('x', 'NL', 'pos');",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    let out = run(&base_args("classify", &db), dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    c.batch_execute(
        "UPDATE customers SET country = 'DE' WHERE id IS NULL;\n\
         UPDATE customers SET id = NULL WHERE id = 'x';\n\
         INSERT INTO customers VALUES (NULL, 'BE', 'pos');",
    )
    .unwrap_or_else(|err| panic!("the application's write failed: {err:?}"));
    let queued: Vec<String> = c
        .query("SELECT customer_id FROM custclass_outbox", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(queued, ["x"], "the id that went");
    let mut watch = base_args("watch", &db);
    watch.push("--once".to_owned());
    succeeds(&run(&watch, dir.path()));
    let labels: i64 = one(&mut c, "SELECT count(*) FROM custclass_labels");
    assert_eq!(labels, 0);
}

#[test]
fn a_result_too_long_for_its_column_is_refused_not_cut_short() {
    let db = Db::new("narrow");
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE customers (id integer PRIMARY KEY, country text, channel text, \
         layout varchar(5), vat_zone char(8), revenue_account numeric(6, 0));\n\
         INSERT INTO customers VALUES (1, 'NL', 'pos', NULL, NULL, NULL);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    let labels = write(
        dir.path(),
        "labels.json",
        r#"{"labels": {"layout": "layout", "vat_zone": "vat_zone_copy",
                       "revenue_account": "revenue_account_copy"}}"#,
    );
    c.batch_execute(
        "ALTER TABLE customers ADD vat_zone_copy char(8), ADD revenue_account_copy numeric(6, 0)",
    )
    .unwrap();
    let mut args = base_args("classify", &db);
    args.extend(["--columns".to_owned(), "--mapping".to_owned(), labels]);
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("value too long for type character varying(5)"),
        "{}",
        both(&out)
    );
    let layout: Option<String> = one(&mut c, "SELECT layout FROM customers");
    assert_eq!(layout, None, "nothing written");
    c.batch_execute("ALTER TABLE customers ALTER layout TYPE varchar(20)")
        .unwrap();
    succeeds(&run(&args, dir.path()));
    let row = c
        .query_one(
            "SELECT layout, vat_zone_copy, revenue_account_copy::text FROM customers",
            &[],
        )
        .unwrap();
    let row: (String, String, String) = (row.get(0), row.get(1), row.get(2));
    assert_eq!(
        row,
        (
            "receipt-pos".to_owned(),
            "domestic".to_owned(),
            "8400".to_owned()
        )
    );
    let again = run(&args, dir.path());
    assert!(
        stdout(&again).contains("0 customer row(s) updated"),
        "{}",
        both(&again)
    );
}

#[test]
fn stale_relabels_what_the_old_setup_labelled_and_nothing_else() {
    let db = Db::new("stale");
    db.example_customers("customers");
    let mut c = db.client();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    succeeds(&run(&base_args("classify", &db), dir.path()));
    let old_hash: String = one(&mut c, "SELECT min(setup_hash) FROM custclass_labels");
    let hashes: i64 = one(
        &mut c,
        "SELECT count(DISTINCT setup_hash) FROM custclass_labels",
    );
    assert_eq!(hashes, 1);
    // Customers labelled since under the new setup (here: one the watcher
    // would have done) are not stale.
    let new = setup_with(dir.path(), "new.json", |setup| {
        for rule in setup["rules"].as_array_mut().unwrap() {
            if rule["id"] == "region-benelux" {
                rule["set"]["class.Region"] = "OTHER".into();
            }
        }
    });
    c.batch_execute("UPDATE customers SET channel = 'pos' WHERE id = '10002'")
        .unwrap();
    let mut watch = base_args("watch", &db);
    watch[2] = new.clone();
    watch.push("--once".to_owned());
    succeeds(&run(&watch, dir.path()));
    let old_customers: i64 = c
        .query_one(
            "SELECT count(DISTINCT customer_id) FROM custclass_labels WHERE setup_hash = $1",
            &[&old_hash],
        )
        .unwrap()
        .get(0);
    assert_eq!(old_customers, 999);
    let nl: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE target = 'class1' AND value = 'BENELUX'",
    );
    assert!(nl > 0);
    let mut stale = base_args("classify", &db);
    stale[2] = new.clone();
    stale.push("--stale".to_owned());
    let first = run(&stale, dir.path());
    succeeds(&first);
    assert!(
        stdout(&first).starts_with(&format!("{old_customers} read, {old_customers} classified")),
        "{}",
        both(&first)
    );
    let left: i64 = c
        .query_one(
            "SELECT count(*) FROM custclass_labels WHERE setup_hash = $1",
            &[&old_hash],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    let benelux: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE target = 'class1' AND value = 'BENELUX'",
    );
    assert_eq!(benelux, 0);
    let second = run(&stale, dir.path());
    succeeds(&second);
    assert!(
        stdout(&second)
            .starts_with("0 read, 0 classified, 0 rejected; 0 label(s) written, 0 removed"),
        "{}",
        both(&second)
    );
    // The stale run left what a full run with the new setup would.
    let mut full = base_args("classify", &db);
    full[2] = new;
    let full = run(&full, dir.path());
    assert!(
        stdout(&full).contains("0 label(s) written, 0 removed"),
        "{}",
        both(&full)
    );
}

#[test]
fn labels_of_deleted_customers_and_lost_values_go() {
    let db = Db::new("deleted");
    db.example_customers("customers");
    let mut c = db.client();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    succeeds(&run(&base_args("classify", &db), dir.path()));
    let gone: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE customer_id = '10001'",
    );
    assert!(gone > 0);
    let web = labels_of(&mut c, "10002");
    assert_eq!(label(&web, "class3"), ("WEB", "rule:channel-web"));
    c.batch_execute(
        "DELETE FROM customers WHERE id = '10001';\n\
         UPDATE customers SET channel = NULL WHERE id = '10002';",
    )
    .unwrap();
    let out = run(&base_args("classify", &db), dir.path());
    succeeds(&out);
    assert!(
        stdout(&out).starts_with("999 read, 999 classified, 0 rejected"),
        "{}",
        both(&out)
    );
    let left: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE customer_id = '10001'",
    );
    assert_eq!(left, 0);
    let web = labels_of(&mut c, "10002");
    assert!(
        web.iter().all(|(target, _, _)| target != "class3"),
        "{web:?}"
    );
    assert!(web.iter().any(|(target, _, _)| target == "class1"));
    let removed: u64 = stdout(&out)
        .split("written, ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(removed > u64::try_from(gone).unwrap(), "{}", stdout(&out));
}

#[test]
fn hostile_names_are_just_names() {
    let db = Db::new("hostile");
    let mut c = db.client();
    let schema = "we\"ird'; drop table x; --";
    let table = "cust\"; drop table x; --";
    let column = "land\"$custclass0$; drop table x; --$$";
    let q = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    c.batch_execute(&format!(
        "CREATE TABLE x (n int); CREATE SCHEMA {s}; CREATE TABLE {s}.x (n int);\n\
         CREATE TABLE {s}.{t} (id text PRIMARY KEY, {col} text, channel text);\n\
         INSERT INTO {s}.{t} VALUES ('a\"b', 'NL', 'webshop'), ('c''d', 'XX!', 'pos');",
        s = q(schema),
        t = q(table),
        col = q(column),
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mapping = write(
        dir.path(),
        "mapping.json",
        &serde_json::json!({"columns": {column: "country"}}).to_string(),
    );
    let args = |command: &str| {
        let mut args = base_args(command, &db);
        args.extend(
            ["--schema", schema, "--table", table, "--mapping", &mapping]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        args
    };
    succeeds(&run(&args("install"), dir.path()));
    let out = run(&args("classify"), dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(stdout(&out).starts_with("2 read, 1 classified, 1 rejected"));
    let own = |name: &str| format!("{}.{name}", q(schema));
    let labelled: Vec<String> = c
        .query(
            &format!(
                "SELECT DISTINCT customer_id FROM {}",
                own("custclass_labels")
            ),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(labelled, ["a\"b"]);
    let reject: (String, String) = c
        .query_one(
            &format!(
                "SELECT customer_id, \"column\" FROM {}",
                own("custclass_rejects")
            ),
            &[],
        )
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!(reject, ("c'd".to_owned(), column.to_owned()));

    // The trigger queues inserted and changed rows of the hostile table.
    c.batch_execute(&format!(
        "DELETE FROM {outbox};\n\
         INSERT INTO {s}.{t} VALUES ('e$$f', 'DE', 'pos');\n\
         UPDATE {s}.{t} SET {col} = 'BE' WHERE id = 'c''d';",
        outbox = own("custclass_outbox"),
        s = q(schema),
        t = q(table),
        col = q(column),
    ))
    .unwrap();
    let queued: Vec<String> = c
        .query(
            &format!(
                "SELECT customer_id FROM {} ORDER BY customer_id",
                own("custclass_outbox")
            ),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(queued, ["c'd", "e$$f"]);
    let mut watch = args("watch");
    watch.push("--once".to_owned());
    succeeds(&run(&watch, dir.path()));
    let labelled: i64 = one(
        &mut c,
        &format!(
            "SELECT count(DISTINCT customer_id) FROM {}",
            own("custclass_labels")
        ),
    );
    assert_eq!(labelled, 3);
    let canaries: i64 = one(
        &mut c,
        &format!(
            "SELECT count(*) FROM pg_class WHERE relname = 'x' AND relnamespace IN \
             ('public'::regnamespace, to_regnamespace({}))",
            quote_literal(&q(schema))
        ),
    );
    assert_eq!(canaries, 2, "the canaries survive");
}

#[test]
fn a_least_privilege_role_classifies_and_watches() {
    let roles = Roles::new(&["worker", "writer"]);
    let db = Db::new("privilege");
    db.example_customers("customers");
    let mut c = db.client();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    let (worker, writer) = (&roles.names[0], &roles.names[1]);
    // The least the worker needs (PUBLIC's defaults revoked): TEMPORARY
    // for the staging tables; UPDATE on the outbox because the watcher
    // claims with FOR UPDATE; no UPDATE on the rejects (they are deleted
    // and inserted, never changed). The README's wider list (SELECT,
    // INSERT, UPDATE, DELETE on all three) holds this one.
    c.batch_execute(&format!(
        "REVOKE ALL ON DATABASE \"{db}\" FROM PUBLIC;\n\
         REVOKE ALL ON SCHEMA public FROM PUBLIC;\n\
         GRANT CONNECT, TEMPORARY ON DATABASE \"{db}\" TO {worker};\n\
         GRANT USAGE ON SCHEMA public TO {worker};\n\
         GRANT SELECT ON customers TO {worker};\n\
         GRANT SELECT, INSERT, UPDATE, DELETE ON custclass_labels TO {worker};\n\
         GRANT SELECT, INSERT, DELETE ON custclass_rejects TO {worker};\n\
         GRANT SELECT, UPDATE, DELETE ON custclass_outbox TO {worker};\n\
         GRANT CONNECT ON DATABASE \"{db}\" TO {writer};\n\
         GRANT USAGE ON SCHEMA public TO {writer};\n\
         GRANT INSERT, UPDATE ON customers TO {writer};",
        db = db.name,
    ))
    .unwrap();
    let as_worker = roles.url(&db, 0);
    let args = |command: &str| {
        let mut args = base_args(command, &db);
        args[4] = as_worker.clone();
        args
    };
    let out = run(&args("classify"), dir.path());
    succeeds(&out);
    assert!(stdout(&out).starts_with("1000 read, 1000 classified"));
    let labelled: i64 = one(
        &mut c,
        "SELECT count(DISTINCT customer_id) FROM custclass_labels",
    );
    assert_eq!(labelled, 1000);

    // An ordinary application role inserts and updates customers: the
    // trigger queues them with its owner's rights, the worker labels them.
    let mut app = postgres::Client::connect(&roles.url(&db, 1), postgres::NoTls).unwrap();
    app.batch_execute(
        "INSERT INTO customers (id, country, channel) \
         VALUES ('new-1', 'DK', 'webshop'), ('new-2', 'NL', 'pos')",
    )
    .unwrap_or_else(|err| panic!("{err:?}"));
    // An UPDATE with a WHERE would need SELECT: this one changes every
    // row not at the counter yet, and the row trigger queues just those.
    let moved: i64 = one(
        &mut c,
        "SELECT count(*) FROM customers WHERE channel IS DISTINCT FROM 'pos'",
    );
    assert!(moved > 100);
    app.batch_execute("UPDATE customers SET channel = 'pos'")
        .unwrap_or_else(|err| panic!("{err:?}"));
    let queued: i64 = one(&mut c, "SELECT count(*) FROM custclass_outbox");
    assert_eq!(
        queued,
        1 + moved,
        "new-2, and the rows moved (new-1 among them)"
    );
    let mut watch = args("watch");
    watch.push("--once".to_owned());
    let out = run(&watch, dir.path());
    succeeds(&out);
    let queued: i64 = one(&mut c, "SELECT count(*) FROM custclass_outbox");
    assert_eq!(queued, 0);
    let new = labels_of(&mut c, "new-1");
    assert_eq!(label(&new, "class1"), ("NORDIC", "rule:region-nordic"));
    assert_eq!(label(&new, "class3"), ("STORE", "rule:channel-store"));
    let web: i64 = one(
        &mut c,
        "SELECT count(*) FROM custclass_labels WHERE target = 'class3' AND value <> 'STORE'",
    );
    assert_eq!(web, 0, "every moved customer relabelled");
    let other = labels_of(&mut c, "new-2");
    assert_eq!(label(&other, "class3"), ("STORE", "rule:channel-store"));

    // Installing is the owner's work: the worker is told so, and nothing
    // changes.
    let out = run(&args("install"), dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("installing: permission denied for schema public"),
        "{}",
        both(&out)
    );
    assert!(
        stderr(&out).contains("install as the customer table's owner"),
        "{}",
        both(&out)
    );
    let triggers: i64 = one(
        &mut c,
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'customers'::regclass",
    );
    assert_eq!(triggers, 3, "the admin's installation stands");
}

#[test]
fn passwords_come_from_the_url_the_environment_or_pgpass_and_are_never_printed() {
    let roles = Roles::new(&["secret"]);
    let db = Db::new("secrets");
    db.example_customers("customers");
    let mut c = db.client();
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    let role = &roles.names[0];
    c.batch_execute(&format!(
        "GRANT SELECT ON customers TO {role};\n\
         GRANT SELECT, INSERT, UPDATE, DELETE ON custclass_labels, custclass_rejects, \
         custclass_outbox TO {role};"
    ))
    .unwrap();
    let password = roles.password(0);
    let (host, port) = host_port();
    let bare = format!("postgresql://{role}@{host}:{port}/{}", db.name);
    let mut outputs: Vec<Output> = Vec::new();
    let with_url = |url: &str| {
        let mut args = base_args("classify", &db);
        args[4] = url.to_owned();
        args
    };

    // A wrong password in the URL; the right one for a server that isn't there.
    let wrong = format!("postgresql://{role}:{password}x@{host}:{port}/{}", db.name);
    let out = run_env(&with_url(&wrong), dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("password authentication failed"),
        "{}",
        both(&out)
    );
    outputs.push(out);
    let nowhere = format!("postgresql://{role}:{password}@{host}:1/{}", db.name);
    let out = run_env(&with_url(&nowhere), dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(stderr(&out).contains("refused"), "{}", both(&out));
    outputs.push(out);
    let out = run_env(&with_url(&bare), dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("password missing: the server wants a password"),
        "{}",
        both(&out)
    );
    outputs.push(out);
    let broken = format!("postgresql://{role}:{password}@{host}:port/{}", db.name);
    let out = run_env(&with_url(&broken), dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    outputs.push(out);
    let kv = format!("host={host} port={port} user={role} password={password} dbname=");
    let out = run_env(&with_url(&format!("{kv}'unclosed")), dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    outputs.push(out);

    // PGPASSWORD, and the environment alone.
    let out = run_env(&with_url(&bare), dir.path(), &[("PGPASSWORD", &password)]);
    succeeds(&out);
    outputs.push(out);
    let out = run_env(
        &base_args("classify", &db)[..3],
        dir.path(),
        &[
            ("PGHOST", &host),
            ("PGPORT", &port),
            ("PGUSER", role),
            ("PGDATABASE", &db.name),
            ("PGPASSWORD", &password),
        ],
    );
    succeeds(&out);
    outputs.push(out);
    let out = run_env(
        &with_url(&bare),
        dir.path(),
        &[("PGPASSWORD", &format!("{password}x"))],
    );
    assert_eq!(out.status.code(), Some(2));
    outputs.push(out);

    // ~/.pgpass: used when private, ignored (with a warning) when not.
    let home = tempfile::tempdir().unwrap();
    let pgpass = home.path().join(".pgpass");
    std::fs::write(
        &pgpass,
        format!("# test\n{host}:{port}:{}:{role}:{password}\n", db.name),
    )
    .unwrap();
    let home_path = home.path().display().to_string();
    set_mode(&pgpass, 0o600);
    let out = run_env(&with_url(&bare), dir.path(), &[("HOME", &home_path)]);
    succeeds(&out);
    outputs.push(out);
    set_mode(&pgpass, 0o644);
    let out = run_env(&with_url(&bare), dir.path(), &[("HOME", &home_path)]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("group or world access"),
        "{}",
        both(&out)
    );
    outputs.push(out);

    for out in &outputs {
        let text = both(out);
        assert!(!text.contains(&password), "the password is printed: {text}");
    }
}

#[test]
fn a_second_run_over_thousands_of_mixed_rows_writes_nothing() {
    let db = Db::new("idempotent");
    db.example_customers("customers");
    let mut c = db.client();
    // 4000 rows: the examples four times over, every 97th with a group the
    // setup doesn't know, every 89th with a country that isn't one.
    c.batch_execute(
        "INSERT INTO customers SELECT * FROM (\n\
         SELECT (id::int + 1000 * n)::text AS id, name, attention, email, email_quote, \
         email_order, email_invoice, email_credit_note, email_statement, street, postcode, \
         city, country, delivery_street, delivery_postcode, delivery_city, delivery_country, \
         phone, phone2, mobile, fax, vat_number, ean, currency, vat_zone, payment_terms, \
         credit_limit, channel, connector, sector, subsector, company_size, business_type, \
         source, class1, class2, class3, class4, class5, class6, class7, class8, type, \
         \"group\", price_group, receivables_account, revenue_account, created_at, anonymised, \
         \"attr.turnover_12m\", \"attr.orders_12m\" \
         FROM customers, generate_series(1, 3) AS n) AS more;\n\
         UPDATE customers SET \"group\" = 'GOLD' WHERE id::int % 97 = 0;\n\
         UPDATE customers SET country = 'Nederland' WHERE id::int % 89 = 0;",
    )
    .unwrap();
    let rejected: i64 = one(
        &mut c,
        "SELECT count(*) FROM customers WHERE id::int % 97 = 0 OR id::int % 89 = 0",
    );
    let dir = tempfile::tempdir().unwrap();
    succeeds(&run(&base_args("install", &db), dir.path()));
    let first = run(&base_args("classify", &db), dir.path());
    assert_eq!(first.status.code(), Some(1), "{}", both(&first));
    assert!(
        stdout(&first).starts_with(&format!(
            "4000 read, {} classified, {rejected} rejected",
            4000 - rejected
        )),
        "{}",
        both(&first)
    );
    let labels = labels_checksum(&mut c);
    let rejects = rejects_checksum(&mut c);
    let second = run(&base_args("classify", &db), dir.path());
    assert_eq!(second.status.code(), Some(1), "{}", both(&second));
    assert!(
        stdout(&second).ends_with("0 label(s) written, 0 removed; rejects: 0 added, 0 removed\n"),
        "{}",
        both(&second)
    );
    assert_eq!(labels_checksum(&mut c), labels);
    assert_eq!(rejects_checksum(&mut c), rejects);
}

// ---- helpers ----

/// `custclass pg <command> --setup examples/setup.json --url <db>`: the
/// setup is argument 2, the URL argument 4.
fn base_args(command: &str, db: &Db) -> Vec<String> {
    vec![
        command.to_owned(),
        "--setup".to_owned(),
        common::example("setup.json"),
        "--url".to_owned(),
        db.url.clone(),
    ]
}

fn run(args: &[String], dir: &Path) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    server::pg(&args, dir)
}

/// [`server::pg`] with these PG* variables (and `HOME`) set, and no
/// others of the caller's.
fn run_env(args: &[String], dir: &Path, env: &[(&str, &str)]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // No password file of the caller's.
    let empty_home = tempfile::tempdir().unwrap();
    let home = empty_home.path().display().to_string();
    let mut env = env.to_vec();
    if !env.iter().any(|(name, _)| *name == "HOME") {
        env.push(("HOME", &home));
    }
    server::pg_with(&args, dir, &env)
}

fn succeeds(out: &Output) {
    assert!(out.status.success(), "{}", both(out));
}

fn stdout(out: &Output) -> String {
    common::text(&out.stdout)
}

fn stderr(out: &Output) -> String {
    common::text(&out.stderr)
}

fn both(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        stdout(out),
        stderr(out)
    )
}

fn one<T: FromSqlOwned>(c: &mut Client, sql: &str) -> T {
    c.query_one(sql, &[]).unwrap().get(0)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A copy of examples/setup.json, changed by `change`.
fn setup_with(dir: &Path, name: &str, change: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(common::example("setup.json")).unwrap();
    let mut setup: serde_json::Value = serde_json::from_str(&text).unwrap();
    change(&mut setup);
    write(dir, name, &setup.to_string())
}

/// The rejects as (customer_id, column, code, message), by id.
fn rejects(c: &mut Client) -> Vec<(String, String, String, String)> {
    c.query(
        "SELECT customer_id, \"column\", code, message FROM custclass_rejects \
         ORDER BY customer_id, \"column\"",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
    .collect()
}

/// Every column of every label row, timestamps included.
fn labels_checksum(c: &mut Client) -> String {
    one(
        c,
        "SELECT coalesce(md5(string_agg(l::text, '|' ORDER BY customer_id, target)), '') || \
         count(*) FROM custclass_labels l",
    )
}

/// Every column of every reject row, and where it lies on disk: a row
/// deleted and inserted again is not the same row.
fn rejects_checksum(c: &mut Client) -> String {
    one(
        c,
        "SELECT coalesce(md5(string_agg(r::text || ctid::text, '|' ORDER BY ctid)), '') \
         FROM custclass_rejects r",
    )
}

/// A customer's labels as (target, value, source).
fn labels_of(c: &mut Client, id: &str) -> Vec<(String, String, String)> {
    c.query(
        "SELECT target, value, source FROM custclass_labels WHERE customer_id = $1 ORDER BY target",
        &[&id],
    )
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect()
}

fn label<'a>(labels: &'a [(String, String, String)], target: &str) -> (&'a str, &'a str) {
    labels
        .iter()
        .find(|(t, _, _)| t == target)
        .map(|(_, v, s)| (v.as_str(), s.as_str()))
        .unwrap_or_else(|| panic!("no {target} in {labels:?}"))
}

fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The test server's host and port.
fn host_port() -> (String, String) {
    let url = server::admin_url();
    let after_at = url.rsplit_once('@').unwrap().1;
    let host_port = after_at.split('/').next().unwrap();
    let (host, port) = host_port.rsplit_once(':').unwrap();
    (host.to_owned(), port.to_owned())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Login roles of the cluster for one test, dropped after its database.
struct Roles {
    names: Vec<String>,
}

impl Roles {
    fn new(kinds: &[&str]) -> Roles {
        static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let names: Vec<String> = kinds
            .iter()
            .map(|kind| format!("cc_{kind}_{}_{seq}", std::process::id()))
            .collect();
        let roles = Roles { names };
        let mut admin = postgres::Client::connect(&server::admin_url(), postgres::NoTls).unwrap();
        for n in 0..roles.names.len() {
            admin
                .batch_execute(&format!(
                    "CREATE ROLE {} LOGIN PASSWORD {}",
                    roles.names[n],
                    quote_literal(&roles.password(n))
                ))
                .unwrap();
        }
        roles
    }

    /// A password no output may show.
    fn password(&self, n: usize) -> String {
        format!("Pw-{}-s3cr3t", self.names[n])
    }

    /// The URL of role `n` for `db`.
    fn url(&self, db: &Db, n: usize) -> String {
        let (host, port) = host_port();
        format!(
            "postgresql://{}:{}@{host}:{port}/{}",
            self.names[n],
            self.password(n),
            db.name
        )
    }
}

impl Drop for Roles {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&server::admin_url(), postgres::NoTls) {
            for name in &self.names {
                let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {name}"));
            }
        }
    }
}
