//! The limits of `custclass::limits`: hostile input ends in a typed error,
//! never a stack overflow, and the rest of the input is still read. What
//! the long lines cost in memory is measured in limits_memory.rs, a test
//! binary of its own.

#![allow(clippy::unwrap_used)]

use custclass::customer_file::{CsvCustomers, JsonLinesCustomers};
use custclass::limits::{
    MAX_EXPRESSION_BYTES, MAX_PRICE_RULES_PER_BUCKET, MAX_RULES, MAX_SLOT_VALUES,
};
use custclass::{CustomerTable, Engine, ExprError, Setup, SetupError};
use hostile::generated;
use serde_json::{Value, json};

mod hostile;

#[test]
fn a_100_mb_csv_line_is_reported_and_the_rows_after_it_read() {
    let input = generated("id;name\n1;Ada\n2;", 0, "\n3;Grace\n");
    let rows = CsvCustomers::new(input).unwrap().collect::<Vec<_>>();
    let lines: Vec<_> = rows
        .iter()
        .map(|(line, row)| (*line, row.is_ok()))
        .collect();
    assert_eq!(lines, [(2, true), (3, false), (4, true)]);
    let problem = &rows[1].1.as_ref().unwrap_err()[0];
    assert_eq!(
        (problem.code.as_str(), problem.id.as_deref()),
        ("row_too_long", Some("2"))
    );
    assert!(
        problem.message.contains("longer than 1048576 bytes"),
        "{}",
        problem.message
    );
}

#[test]
fn a_100_mb_json_line_is_reported_and_the_lines_after_it_read() {
    let input = generated(
        "{\"id\": \"1\"}\n{\"id\": \"2\", \"name\": \"",
        0,
        "\"}\n{\"id\": \"3\"}\n",
    );
    let rows = JsonLinesCustomers::new(input).collect::<Vec<_>>();
    let lines: Vec<_> = rows
        .iter()
        .map(|(line, row)| (*line, row.is_ok()))
        .collect();
    assert_eq!(lines, [(1, true), (2, false), (3, true)]);
    assert_eq!(rows[1].1.as_ref().unwrap_err()[0].code, "row_too_long");
}

#[test]
fn a_table_from_a_file_with_a_100_mb_line_keeps_the_other_rows() {
    let input = generated("id;name\n1;Ada\n2;", 0, "\n3;Grace\n");
    let (table, problems) = CustomerTable::from_csv(input).unwrap();
    assert_eq!(table.len(), 2);
    assert_eq!(
        (problems[0].line, problems[0].code.as_str()),
        (Some(3), "row_too_long")
    );
}

#[test]
fn a_quote_never_closed_costs_its_row_and_the_lines_after_it_are_read() {
    // 100 MB of short lines after a quote that nothing closes.
    let input = generated("id;name\n1;\"open", 80, "\n2;Ada\n");
    let mut rows = CsvCustomers::new(input).unwrap();
    let (line, first) = rows.next().unwrap();
    let problem = &first.unwrap_err()[0];
    assert_eq!((line, problem.code.as_str()), (2, "unclosed_quote"));
    assert!(
        problem.message.contains("never closed"),
        "{}",
        problem.message
    );
    // Each line inside is a row of its own (one field, not two), and the
    // last row is read as it should be.
    let (mut count, mut last) = (1, None);
    for row in rows.by_ref() {
        count += 1;
        last = Some(row);
    }
    let (last_line, last) = last.unwrap();
    assert_eq!(last.unwrap().name.as_deref(), Some("Ada"));
    assert_eq!(last_line, rows.lines_read());
    assert_eq!(count as u64, rows.lines_read() - 1 - rows.blank_lines());
}

#[test]
fn a_header_longer_than_a_row_may_be_is_unreadable() {
    let input = generated("id;", 0, "\n1;Ada\n");
    let Err(err) = CsvCustomers::new(input) else {
        panic!("a header of 100 MB was read");
    };
    assert_eq!(err.code(), "unreadable_header", "{err}");
}

#[test]
fn a_hundred_thousand_nested_parentheses_are_refused_in_segments_and_rules() {
    let engine = example_engine();
    let deep = "(".repeat(100_000) + "country = 'NL'" + &")".repeat(100_000);
    let err = engine.segment(&deep).unwrap_err();
    assert!(matches!(err, ExprError::TooDeep { limit: 64, .. }), "{err}");
    let nots = "not ".repeat(100_000) + "country = 'NL'";
    assert_eq!(engine.segment(&nots).unwrap_err().code(), "too_deep");

    let mut setup = setup_json();
    setup["rules"][0]["when"] = json!(deep);
    let problems = problems(setup);
    assert_eq!(problems[0].0, "$.rules[0].when");
    assert!(
        problems[0].1.contains("nests deeper than 64"),
        "{problems:?}"
    );
}

#[test]
fn an_expression_over_a_mib_is_refused_before_it_is_read() {
    let engine = example_engine();
    let ids: Vec<String> = (0..120_000).map(|n| format!("'{n:06}'")).collect();
    let long = format!("id in ({})", ids.join(", "));
    assert!(long.len() > MAX_EXPRESSION_BYTES);
    let err = engine.segment(&long).unwrap_err();
    assert_eq!(
        (err.code(), err.offset()),
        ("too_long", MAX_EXPRESSION_BYTES)
    );
    // Just under the limit, the same list is read.
    let short = format!("id in ({})", ids[..100_000].join(", "));
    assert!(short.len() < MAX_EXPRESSION_BYTES);
    assert!(engine.segment(&short).is_ok());
}

fn example_engine() -> Engine {
    Engine::new(Setup::from_json(&setup_json().to_string()).unwrap()).unwrap()
}

fn setup_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string("../examples/setup.json").unwrap()).unwrap()
}

/// The problems' paths and messages of a setup that must be refused.
fn problems(setup: Value) -> Vec<(String, String)> {
    let err: SetupError = Engine::new(Setup::from_json(&setup.to_string()).unwrap()).unwrap_err();
    err.problems
        .iter()
        .map(|p| (p.path.clone(), p.kind.to_string()))
        .collect()
}

#[test]
fn setups_over_a_size_limit_are_refused_with_the_list_named() {
    let mut setup = setup_json();
    let rule = setup["rules"][0].clone();
    setup["rules"] = Value::Array(vec![rule; MAX_RULES + 1]);
    assert_eq!(
        problems(setup),
        [(
            "$.rules".to_owned(),
            "10001 rules; the limit is 10000".to_owned()
        )]
    );

    let mut setup = setup_json();
    let values: Vec<Value> = (0..=MAX_SLOT_VALUES)
        .map(|n| json!({"code": format!("V{n}")}))
        .collect();
    setup["slots"][0]["values"] = Value::Array(values);
    assert_eq!(
        problems(setup),
        [(
            "$.slots[0].values".to_owned(),
            "100001 values; the limit is 100000".to_owned()
        )]
    );
}

#[test]
fn price_rules_past_the_bucket_limit_are_refused_at_the_rule() {
    let mut setup = setup_json();
    let rules: Vec<Value> = (0..=MAX_PRICE_RULES_PER_BUCKET)
        .map(|n| {
            json!({
                "id": format!("r{n}"),
                "action": {"discount_percent": "1"},
                "stackable": true,
            })
        })
        .collect();
    setup["pricing"]["rules"] = Value::Array(rules);
    let problems = problems(setup);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "$.pricing.rules[10000]");
    assert!(
        problems[0]
            .1
            .starts_with("10001 active price rules for the same customers"),
        "{problems:?}"
    );
}
