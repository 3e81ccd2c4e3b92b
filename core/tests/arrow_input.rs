//! Customers from Arrow: the table read from Arrow columns is the table
//! the CSV reader builds, whatever the Arrow types (strings, dictionaries
//! over several batches, decimals, dates, booleans); bad cells leave their
//! row out with a problem; reading only the engine's columns classifies
//! exactly as reading them all.
#![cfg(feature = "arrow")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, DictionaryArray, Float64Array,
    Int64Array, LargeStringArray, NullArray, RecordBatch, StringArray, StringViewArray,
};
use arrow_schema::{DataType, Field, Schema};
use custclass::CustomerTable;
use custclass::arrow::ArrowCustomers;

mod common;

use common::{example_engine, read};

/// The example customer file as Arrow: every column text, empty cells null.
fn example_batch() -> RecordBatch {
    common::text_batch("../examples/customers.csv")
}

fn read_all(batches: &[RecordBatch]) -> ArrowCustomers {
    ArrowCustomers::read(&batches[0].schema(), batches, None).unwrap()
}

#[test]
fn text_columns_read_as_the_customer_file_reads_them() {
    let (expected, problems) =
        CustomerTable::from_csv(read("../examples/customers.csv").as_bytes()).unwrap();
    assert!(problems.is_empty());
    let customers = read_all(&[example_batch()]);
    assert!(
        customers.problems().is_empty(),
        "{:?}",
        customers.problems()
    );
    assert_eq!(customers.table(), &expected);
}

/// Splits a batch in two at `at`, with each text column dictionary-encoded
/// per half (so the halves have different dictionaries).
fn as_dictionaries(batch: &RecordBatch, at: usize) -> Vec<RecordBatch> {
    let halves = [batch.slice(0, at), batch.slice(at, batch.num_rows() - at)];
    halves
        .iter()
        .map(|half| {
            let schema = half.schema();
            let columns = schema
                .fields()
                .iter()
                .zip(half.columns())
                .map(|(field, column)| {
                    let texts: Vec<Option<&str>> = column
                        .as_any()
                        .downcast_ref::<StringArray>()
                        .unwrap()
                        .iter()
                        .collect();
                    let array: DictionaryArray<Int32Type> = texts.into_iter().collect();
                    (field.name().clone(), Arc::new(array) as ArrayRef)
                });
            RecordBatch::try_from_iter(columns).unwrap()
        })
        .collect()
}

#[test]
fn dictionaries_over_several_batches_read_as_plain_text() {
    let batch = example_batch();
    let plain = read_all(std::slice::from_ref(&batch));
    let split = read_all(&as_dictionaries(&batch, 7));
    assert_eq!(split.table(), plain.table());
    assert_eq!(split.input_rows(), batch.num_rows());
}

#[test]
fn typed_columns_hold_the_same_values_as_their_text() {
    let schema = |types: [DataType; 6]| {
        let names = [
            "id",
            "credit_limit",
            "created_at",
            "anonymised",
            "attr.turnover_12m",
            "name",
        ];
        Arc::new(Schema::new(
            names
                .iter()
                .zip(types)
                .map(|(n, t)| Field::new(*n, t, true))
                .collect::<Vec<_>>(),
        ))
    };
    let text = |cells: [Option<&str>; 3]| Arc::new(StringArray::from(cells.to_vec())) as ArrayRef;
    let as_text = RecordBatch::try_new(
        schema([
            DataType::Utf8,
            DataType::Utf8,
            DataType::Utf8,
            DataType::Utf8,
            DataType::Utf8,
            DataType::Utf8,
        ]),
        vec![
            text([Some("1"), Some("2"), Some("3")]),
            text([Some("1500.50"), None, Some("-2.25")]),
            text([Some("2026-01-31"), Some("1969-12-31"), None]),
            text([Some("true"), None, Some("false")]),
            text([Some("12"), Some("0.10"), None]),
            text([Some("Ada"), None, Some("Bob")]),
        ],
    )
    .unwrap();
    let typed = RecordBatch::try_new(
        schema([
            DataType::Int64,
            DataType::Decimal128(12, 2),
            DataType::Date32,
            DataType::Boolean,
            DataType::Float64,
            DataType::LargeUtf8,
        ]),
        vec![
            Arc::new(Int64Array::from(vec![1, 2, 3])),
            Arc::new(
                Decimal128Array::from(vec![Some(150_050), None, Some(-225)])
                    .with_precision_and_scale(12, 2)
                    .unwrap(),
            ),
            Arc::new(Date32Array::from(vec![Some(20_484), Some(-1), None])),
            Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
            Arc::new(Float64Array::from(vec![Some(12.0), Some(0.1), None])),
            Arc::new(LargeStringArray::from(vec![Some("Ada"), None, Some("Bob")])),
        ],
    )
    .unwrap();
    let from_text = read_all(&[as_text]);
    let from_types = read_all(&[typed]);
    assert!(
        from_types.problems().is_empty(),
        "{:?}",
        from_types.problems()
    );
    for row in 0..3 {
        let (a, b) = (
            from_text.table().customer(row),
            from_types.table().customer(row),
        );
        // 12.0 as a float is the decimal 12, 0.1 is 0.1: compare numbers.
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.credit_limit, b.credit_limit, "row {row}");
        assert_eq!(a.created_at, b.created_at, "row {row}");
        assert_eq!(a.anonymised, b.anonymised, "row {row}");
        assert_eq!(a.name, b.name, "row {row}");
        assert_eq!(a.id, b.id, "row {row}");
        assert_eq!(
            serde_json::to_value(&a.attributes)
                .unwrap()
                .to_string()
                .replace(".10", ".1"),
            serde_json::to_value(&b.attributes).unwrap().to_string(),
        );
    }
}

#[test]
fn bad_cells_leave_their_rows_out_and_say_where() {
    let batch = RecordBatch::try_from_iter([
        (
            "id",
            Arc::new(StringViewArray::from(vec![
                Some("1"),
                Some("2"),
                None,
                Some("4"),
                Some("5"),
            ])) as ArrayRef,
        ),
        (
            "country",
            Arc::new(StringArray::from(vec![
                Some("NL"),
                Some("XX"),
                Some("DE"),
                Some("BE"),
                Some("nl"),
            ])) as ArrayRef,
        ),
        (
            "credit_limit",
            Arc::new(StringArray::from(vec![
                Some("10"),
                Some("1"),
                None,
                Some("1,5x"),
                None,
            ])) as ArrayRef,
        ),
        ("created_at", Arc::new(NullArray::new(5)) as ArrayRef),
    ])
    .unwrap();
    let customers = read_all(&[batch]);
    let problems: Vec<(usize, Option<&str>, &str)> = customers
        .problems()
        .iter()
        .map(|p| (p.row, p.column.as_deref(), p.code.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (1, Some("country"), "invalid_field"),
            (2, Some("id"), "invalid_field"),
            (3, Some("credit_limit"), "invalid_field"),
        ]
    );
    assert_eq!(customers.problems()[0].id.as_deref(), Some("2"));
    assert!(
        customers.problems()[0].message.contains("XX"),
        "{}",
        customers.problems()[0].message
    );
    assert_eq!(customers.table().len(), 2);
    assert_eq!(customers.input_row(1), 4);
    // `nl` is written as the customer file writes it.
    let country = customers
        .table()
        .customer(1)
        .unwrap()
        .billing_address
        .country;
    assert_eq!(country.unwrap().as_str(), "NL");
    // One result row per input row: the rows left out have nulls.
    let result = customers.classify(&example_engine());
    assert_eq!(result.num_rows(), 5);
    let zone = result.column_by_name("vat_zone").unwrap();
    assert_eq!(
        (0..5).map(|r| zone.is_valid(r)).collect::<Vec<_>>(),
        [true, false, false, false, true]
    );
}

#[test]
fn a_column_of_the_wrong_type_is_named() {
    let batch = RecordBatch::try_from_iter([
        ("id", Arc::new(StringArray::from(vec!["1"])) as ArrayRef),
        (
            "country",
            Arc::new(Float64Array::from(vec![1.5])) as ArrayRef,
        ),
    ])
    .unwrap();
    let err = ArrowCustomers::read(&batch.schema(), &[batch], None).unwrap_err();
    assert_eq!(err.code(), "column_type");
    assert!(err.to_string().contains("'country'"), "{err}");
    assert!(err.to_string().contains("Float64"), "{err}");

    let unknown = RecordBatch::try_from_iter([
        ("id", Arc::new(StringArray::from(vec!["1"])) as ArrayRef),
        (
            "colour",
            Arc::new(StringArray::from(vec!["red"])) as ArrayRef,
        ),
        (
            "__index_level_0__",
            Arc::new(Int64Array::from(vec![7])) as ArrayRef,
        ),
    ])
    .unwrap();
    let err = ArrowCustomers::read(&unknown.schema(), &[unknown], None).unwrap_err();
    assert_eq!(
        (err.code(), err.to_string().contains("colour")),
        ("unknown_column", true)
    );

    let no_id = RecordBatch::try_from_iter([(
        "country",
        Arc::new(StringArray::from(vec!["NL"])) as ArrayRef,
    )])
    .unwrap();
    let err = ArrowCustomers::read(&no_id.schema(), &[no_id], None).unwrap_err();
    assert_eq!(err.code(), "missing_column");
    // A table is named as one, not as a file.
    assert_eq!(err.to_string(), "the table has no 'id' column");
}

#[test]
fn floats_as_pandas_reads_gaps_are_text() {
    // pandas reads `;;` in every row of a CSV as floats, all NaN.
    let empty = || Arc::new(Float64Array::from(vec![Some(f64::NAN), None])) as ArrayRef;
    let batch = RecordBatch::try_from_iter([
        (
            "id",
            Arc::new(StringArray::from(vec!["1", "2"])) as ArrayRef,
        ),
        ("country", empty()),
        ("name", empty()),
        ("vat_number", empty()),
        ("created_at", empty()),
        ("anonymised", empty()),
        (
            "credit_limit",
            Arc::new(Float64Array::from(vec![None, None])) as ArrayRef,
        ),
    ])
    .unwrap();
    let customers = read_all(&[batch]);
    assert_eq!(customers.problems(), &[]);
    assert_eq!(customers.table().len(), 2);
    let result = customers.classify(&example_engine());
    assert_eq!(result.num_rows(), 2);

    // Whole numbers with gaps are pandas' integers: text as integers are.
    let ids = || Arc::new(StringArray::from(vec!["1", "2"])) as ArrayRef;
    let accounts = |values: Vec<Option<f64>>| Arc::new(Float64Array::from(values)) as ArrayRef;
    let batch = RecordBatch::try_from_iter([
        ("id", ids()),
        (
            "receivables_account",
            accounts(vec![Some(f64::NAN), Some(1400.0)]),
        ),
    ])
    .unwrap();
    let customers = read_all(&[batch]);
    assert_eq!(customers.problems(), &[]);
    let as_integers = RecordBatch::try_from_iter([
        ("id", ids()),
        (
            "receivables_account",
            Arc::new(Int64Array::from(vec![None, Some(1400)])) as ArrayRef,
        ),
    ])
    .unwrap();
    assert_eq!(customers.table(), read_all(&[as_integers]).table());

    // A fraction is no text: the column is refused, not rounded.
    let batch = RecordBatch::try_from_iter([
        ("id", ids()),
        ("receivables_account", accounts(vec![None, Some(1400.5)])),
    ])
    .unwrap();
    let err = ArrowCustomers::read(&batch.schema(), &[batch], None).unwrap_err();
    assert_eq!(err.code(), "column_type");
}

#[test]
fn an_empty_input_gives_an_empty_result_with_the_columns() {
    let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Utf8, true)]));
    let customers = ArrowCustomers::read(&schema, &[], None).unwrap();
    assert_eq!(customers.input_rows(), 0);
    let result = customers.classify(&example_engine());
    assert_eq!(result.num_rows(), 0);
    assert!(result.column_by_name("group").is_some());
}

/// The engine's columns alone classify as every column does, row for row,
/// and as `Engine::classify_table` on the CSV table.
#[test]
fn the_engines_columns_classify_as_all_columns() {
    let engine = example_engine();
    let batch = example_batch();
    let all = read_all(std::slice::from_ref(&batch));
    let columns = engine.input_columns();
    let some = ArrowCustomers::read(&batch.schema(), &[batch], Some(&columns)).unwrap();
    assert!(some.table().column_names().count() < all.table().column_names().count());
    assert_eq!(some.classify(&engine), all.classify(&engine));
    assert_eq!(
        some.classify_problems(&engine),
        all.classify_problems(&engine)
    );

    let result = all.classify(&engine);
    let by_table = engine.classify_table(all.table());
    for row in 0..all.table().len() {
        let expected = by_table.row(row).unwrap().unwrap();
        let group = result.column_by_name("group").unwrap();
        let group = group
            .as_any()
            .downcast_ref::<DictionaryArray<Int32Type>>()
            .unwrap();
        let values = group
            .values()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        let got = group.key(row).map(|k| values.value(k));
        assert_eq!(
            got,
            expected.group.as_ref().map(|g| g.value.as_str()),
            "row {row}"
        );
    }
}

/// Segment rows through Arrow are the rows `Segment::filter` selects, and
/// a segment's own columns are enough.
#[test]
fn segments_select_input_rows() {
    let engine = example_engine();
    let batch = example_batch();
    let all = read_all(std::slice::from_ref(&batch));
    for expression in [
        "country = 'NL'",
        "vat_zone = 'eu' and b2b = true",
        "class1 is null or credit_limit > 1000",
    ] {
        let segment = engine.segment(expression).unwrap();
        let expected: Vec<usize> = segment.filter(all.table()).rows().collect();
        let some = ArrowCustomers::read(
            &batch.schema(),
            std::slice::from_ref(&batch),
            Some(&segment.input_columns()),
        )
        .unwrap();
        assert_eq!(some.select(&segment, None).0, expected, "{expression}");
        let index = all.table().index();
        assert_eq!(
            all.select(&segment, Some(&index)).0,
            expected,
            "{expression}"
        );
    }
}

/// A JSON array of customer objects takes the same path: each customer
/// read on its own, a bad one a problem of its row.
#[test]
fn customer_objects_classify_as_columns_do() {
    let engine = example_engine();
    let json = r#"[
        {"id": "1", "billing_address": {"country": "NL"}, "channel": "webshop"},
        {"id": "2", "billing_address": {"country": "XX"}},
        {"id": "3", "billing_address": {"country": "DE"}, "vat_number": "DE123456788"}
    ]"#;
    let objects = ArrowCustomers::from_json_customers(json).unwrap();
    let problems = objects.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].row, problems[0].id.as_deref()), (1, Some("2")));
    assert_eq!(
        problems[0].column.as_deref(),
        Some("$.billing_address.country")
    );
    let columns = RecordBatch::try_from_iter([
        (
            "id",
            Arc::new(StringArray::from(vec!["1", "2", "3"])) as ArrayRef,
        ),
        (
            "country",
            Arc::new(StringArray::from(vec![Some("NL"), None, Some("DE")])) as ArrayRef,
        ),
        (
            "channel",
            Arc::new(StringArray::from(vec![Some("webshop"), None, None])) as ArrayRef,
        ),
        (
            "vat_number",
            Arc::new(StringArray::from(vec![None, None, Some("DE123456788")])) as ArrayRef,
        ),
    ])
    .unwrap();
    let by_columns = read_all(&[columns]).classify(&engine);
    let by_objects = objects.classify(&engine);
    for name in ["group", "type", "vat_zone", "b2b"] {
        let (a, b) = (
            by_objects.column_by_name(name).unwrap(),
            by_columns.column_by_name(name).unwrap(),
        );
        assert!(a.is_null(1), "{name}");
        assert_eq!(a.slice(0, 1).as_ref(), b.slice(0, 1).as_ref(), "{name}");
        assert_eq!(a.slice(2, 1).as_ref(), b.slice(2, 1).as_ref(), "{name}");
    }
    let err = ArrowCustomers::from_json_customers("{\"id\": 1}").unwrap_err();
    assert_eq!(err.code(), "invalid_field");
    let err = ArrowCustomers::from_json_customers("[{\"id\": ").unwrap_err();
    assert_eq!(err.code(), "json_syntax");
}

/// A column of mostly distinct text (here 70,000 ids, e-mail addresses
/// and names) keeps its values in row order; every test on it, indexed or
/// not, and classification answer as on the sorted dictionary the same
/// customers get from `CustomerTable::from_customers`.
#[test]
fn mostly_distinct_text_answers_as_a_sorted_dictionary() {
    let engine = example_engine();
    let rows = 70_000;
    let text = |f: &dyn Fn(usize) -> Option<String>| {
        Arc::new(StringArray::from((0..rows).map(f).collect::<Vec<_>>())) as ArrayRef
    };
    let batch = RecordBatch::try_from_iter([
        ("id", text(&|i| Some(format!("{:07}", 70_000 - i)))),
        (
            "email",
            text(&|i| {
                (i % 7 != 0).then(|| {
                    format!(
                        "c{}@{}.com",
                        i * 7919 % 100_003,
                        ["example", "shop", "mail"][i % 3]
                    )
                })
            }),
        ),
        (
            "name",
            text(&|i| {
                Some(format!(
                    "{} {}",
                    ["Jansen", "Müller", "Ørsted", " "][i % 4],
                    i
                ))
            }),
        ),
        (
            "vat_number",
            text(&|i| {
                (i % 3 == 0).then(|| {
                    if i % 9 == 0 {
                        "  ".to_owned()
                    } else {
                        format!("NL{i:09}B01")
                    }
                })
            }),
        ),
        (
            "country",
            text(&|i| Some(["NL", "DE", "BE"][i % 3].to_owned())),
        ),
    ])
    .unwrap();
    let read = read_all(&[batch]);
    let customers: Vec<_> = (0..rows)
        .map(|row| read.table().customer(row).unwrap())
        .collect();
    let sorted = CustomerTable::from_customers(&customers);
    assert_eq!(read.table(), &sorted); // the same texts row by row
    let index = read.table().index();
    let sorted_index = sorted.index();
    for expression in [
        "email = 'c7919@shop.com'",
        "email < 'c5'",
        "email between 'c1' and 'c2'",
        "email starts_with 'c99'",
        "email ends_with '@example.com'",
        "email in ('c0@example.com', 'c15838@mail.com')",
        "email is null",
        "name starts_with 'Ø'",
        "id >= '0069990'",
        "b2b = true and country = 'NL'",
        "not (email contains '1')",
    ] {
        let segment = engine.segment(expression).unwrap();
        let expected: Vec<usize> = segment.filter(&sorted).rows().collect();
        assert!(
            !expected.is_empty() || expression == "name starts_with 'Ø'",
            "{expression}"
        );
        assert_eq!(read.select(&segment, None).0, expected, "{expression}");
        assert_eq!(
            read.select(&segment, Some(&index)).0,
            expected,
            "{expression}"
        );
        assert_eq!(
            segment
                .filter_indexed(&sorted, &sorted_index)
                .rows()
                .collect::<Vec<_>>(),
            expected
        );
    }
    let by_rows = engine.classify_table(read.table());
    let by_sorted = engine.classify_table(&sorted);
    for row in (0..rows).step_by(97) {
        assert_eq!(by_rows.row(row), by_sorted.row(row), "row {row}");
    }
}

/// Asking for some result columns gives exactly those columns of the whole
/// result, in the order asked, and the same problems; a name that is no
/// result column is left out.
#[test]
fn chosen_result_columns_are_those_of_the_whole_result() {
    let engine = example_engine();
    let batch = example_batch();
    let customers = read_all(std::slice::from_ref(&batch));
    let (all, problems) = customers.classify_with_problems(&engine);
    let names = ArrowCustomers::result_columns(&engine);
    let schema = all.schema();
    let written: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, written);
    let asked = ["b2b", "group_source", "nope", "group", "vat_zone"];
    let (some, some_problems) = customers.classify_columns(&engine, &asked);
    assert_eq!(some_problems, problems);
    let some_schema = some.schema();
    let got: Vec<&str> = some_schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(got, ["b2b", "group_source", "group", "vat_zone"]);
    for name in got {
        assert_eq!(
            some.column_by_name(name).unwrap(),
            all.column_by_name(name).unwrap(),
            "{name}"
        );
    }
    let (none, _) = customers.classify_columns(&engine, &[]);
    assert_eq!(none.num_columns(), 0);
    assert_eq!(none.num_rows(), all.num_rows());
}
