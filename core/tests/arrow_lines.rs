//! Order lines priced through Arrow get the quote each line gets on its
//! own, whether the customer comes from a customer table by id or from
//! the line's own columns; a line that can't be priced is a problem of
//! its row.
#![cfg(feature = "arrow")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use custclass::arrow::{ArrowCustomers, batch_json};
use custclass::{CustomerTable, Engine, PriceRequest};
use serde_json::json;

mod common;

use common::{read, text_batch};

fn engine() -> Engine {
    common::example_engine()
}

#[test]
fn lines_joined_to_customers_price_as_one_by_one() {
    let engine = engine();
    let customers_batch = text_batch("../examples/customers.csv");
    let customers =
        ArrowCustomers::read(&customers_batch.schema(), &[customers_batch], None).unwrap();
    let lines = text_batch("../examples/order-lines.csv");
    let (result, problems) = engine
        .price_batches(
            &lines.schema(),
            std::slice::from_ref(&lines),
            Some(&customers),
        )
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(result.num_rows(), lines.num_rows());

    let (table, _) = CustomerTable::from_csv(read("../examples/customers.csv").as_bytes()).unwrap();
    let got = batch_json(&result);
    let column = |name: &str| {
        lines
            .column_by_name(name)
            .unwrap()
            .as_string::<i32>()
            .clone()
    };
    for row in 0..lines.num_rows() {
        let id = column("customer").value(row).to_owned();
        let customer = (0..table.len())
            .map(|r| table.customer(r).unwrap())
            .find(|c| c.id.0 == id)
            .unwrap();
        let groups = column("item_group");
        let item_group = groups.is_valid(row).then(|| groups.value(row));
        let request = PriceRequest::from_json(
            &json!({
                "item": column("item").value(row),
                "item_group": item_group,
                "list_price": column("list_price").value(row),
                "quantity": column("quantity").value(row),
                "date": column("date").value(row),
                "currency": column("currency").value(row),
            })
            .to_string(),
        )
        .unwrap();
        let quote = engine.price(&customer, &request).unwrap();
        assert_eq!(
            got["net_price"][row],
            json!(quote.net_price.to_string()),
            "line {row}"
        );
        assert_eq!(
            got["line_total"][row],
            json!(quote.line_total.to_string()),
            "line {row}"
        );
        assert_eq!(got["rule"][row], json!(quote.rule.as_deref()), "line {row}");
    }
}

#[test]
fn the_lines_own_customer_columns_and_bad_lines() {
    let engine = engine();
    let text = |cells: Vec<Option<&str>>| Arc::new(StringArray::from(cells)) as ArrayRef;
    let lines = RecordBatch::try_from_iter([
        (
            "customer",
            text(vec![Some("a"), Some("b"), Some("a"), Some("c"), Some("d")]),
        ),
        (
            "country",
            text(vec![
                Some("NL"),
                Some("DE"),
                Some("NL"),
                Some("XX"),
                Some("NL"),
            ]),
        ),
        (
            "item",
            text(vec![
                Some("OIL"),
                Some("OIL"),
                Some("OIL"),
                Some("OIL"),
                None,
            ]),
        ),
        (
            "item_group",
            text(vec![
                Some("OILS"),
                Some("OILS"),
                Some("NOPE"),
                Some("OILS"),
                None,
            ]),
        ),
        (
            "list_price",
            text(vec![
                Some("10.00"),
                Some("10.00"),
                Some("10.00"),
                Some("10"),
                Some("1"),
            ]),
        ),
        (
            "quantity",
            text(vec![Some("2"), Some("0"), Some("1"), Some("1"), Some("1")]),
        ),
        ("date", text(vec![Some("2026-11-20"); 5])),
        ("currency", text(vec![Some("EUR"); 5])),
    ])
    .unwrap();
    let (result, problems) = engine
        .price_batches(&lines.schema(), std::slice::from_ref(&lines), None)
        .unwrap();
    let codes: Vec<(usize, &str, Option<&str>)> = problems
        .iter()
        .map(|p| (p.row, p.code.as_str(), p.column.as_deref()))
        .collect();
    assert_eq!(
        codes,
        [
            (1, "invalid_quantity", Some("quantity")),
            (2, "unknown_item_group", Some("item_group")),
            (3, "invalid_field", Some("country")),
            (4, "invalid_field", Some("item")),
        ]
    );
    let rule = result
        .column_by_name("rule")
        .unwrap()
        .as_dictionary::<Int32Type>()
        .clone();
    assert!(result.column_by_name("net_price").unwrap().is_valid(0));
    assert!((1..5).all(|row| result.column_by_name("net_price").unwrap().is_null(row)));
    assert_eq!(rule.len(), 5);

    let missing = RecordBatch::try_from_iter([("item", text(vec![Some("OIL")]))]).unwrap();
    let err = engine
        .price_batches(&missing.schema(), &[missing], None)
        .unwrap_err();
    assert_eq!(
        (err.code(), err.to_string().contains("list_price")),
        ("missing_column", true)
    );
}

/// A line without a date is a problem of its own row, also when no line of
/// the batch has a date (then no span of dates has keys to price with).
#[test]
fn lines_without_a_date_are_problems_not_dropped() {
    let engine = engine();
    let customers_batch = text_batch("../examples/customers.csv");
    let customers =
        ArrowCustomers::read(&customers_batch.schema(), &[customers_batch], None).unwrap();
    let id = customers.table().customer(0).unwrap().id.0;
    let text = |cells: Vec<Option<&str>>| Arc::new(StringArray::from(cells)) as ArrayRef;
    for dates in [vec![None, None], vec![None, Some("2026-11-20")]] {
        let lines = RecordBatch::try_from_iter([
            ("customer", text(vec![Some(id.as_str()); 2])),
            ("item", text(vec![Some("OIL"); 2])),
            ("list_price", text(vec![Some("10.00"); 2])),
            ("quantity", text(vec![Some("1"); 2])),
            ("date", text(dates.clone())),
            ("currency", text(vec![Some("EUR"); 2])),
        ])
        .unwrap();
        let (result, problems) = engine
            .price_batches(
                &lines.schema(),
                std::slice::from_ref(&lines),
                Some(&customers),
            )
            .unwrap();
        let got = batch_json(&result);
        for (row, date) in dates.iter().enumerate() {
            let mine: Vec<_> = problems.iter().filter(|p| p.row == row).collect();
            match date {
                None => {
                    assert_eq!(mine.len(), 1, "{dates:?}: {problems:?}");
                    assert_eq!(mine[0].column.as_deref(), Some("date"));
                    assert_eq!(mine[0].message, "date: a line needs a date");
                }
                Some(_) => {
                    assert!(mine.is_empty(), "{problems:?}");
                    assert!(got["net_price"][row].is_string(), "{got}");
                }
            }
        }
    }
}
