//! Reading Arrow from its own buffers (dictionaries code to code, strings
//! a chunk at a time, numbers and days in one pass over the values) gives
//! the very table `CustomerTable::from_customers` builds from the same
//! customers, whatever the Arrow types: plain, large and view strings,
//! dictionaries with any key width, unused and repeated values and null
//! values, arrays sliced at any offset and split over batches, null slots
//! holding junk.
#![cfg(feature = "arrow")]
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

use std::sync::Arc;

use arrow_array::types::{ArrowDictionaryKeyType, Int8Type, Int32Type, UInt16Type};
use arrow_array::{
    ArrayRef, Date32Array, Decimal128Array, DictionaryArray, LargeStringArray, PrimitiveArray,
    RecordBatch, StringArray, StringViewArray,
};
use arrow_buffer::NullBuffer;
use custclass::arrow::ArrowCustomers;
use custclass::{AttrValue, Customer, CustomerTable};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// How a text column comes in.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Plain,
    Large,
    View,
    /// `int32` keys into strings, each value twice and unused ones between.
    Dict32,
    /// `int8` keys into large strings.
    Dict8Large,
    /// `uint16` keys into string views.
    Dict16View,
}

const ENCODINGS: [Encoding; 6] = [
    Encoding::Plain,
    Encoding::Large,
    Encoding::View,
    Encoding::Dict32,
    Encoding::Dict8Large,
    Encoding::Dict16View,
];

/// A text column: each cell's text, or null. Null slots hold junk text or a
/// key to a value no row has, which must not count.
fn text_array(cells: &[Option<String>], encoding: Encoding) -> ArrayRef {
    let nulls = NullBuffer::from(cells.iter().map(Option::is_some).collect::<Vec<_>>());
    let junk: Vec<&str> = cells
        .iter()
        .map(|cell| cell.as_deref().unwrap_or("junk"))
        .collect();
    let mut distinct: Vec<&str> = junk.clone();
    distinct.sort_unstable();
    distinct.dedup();
    // Values: "unused", then each distinct text twice, then a null value.
    let mut values: Vec<Option<&str>> = vec![Some("unused")];
    for text in &distinct {
        values.push(Some(text));
        values.push(Some(text));
    }
    values.push(None);
    let null_value = values.len() - 1;
    let keys: Vec<usize> = junk
        .iter()
        .enumerate()
        .map(|(row, text)| {
            let at = distinct.binary_search(text).unwrap();
            1 + 2 * at + row % 2
        })
        .collect();
    // A null row: its key points at "unused" or at the null value.
    let key_of = |row: usize| match cells[row] {
        Some(_) => keys[row],
        None if row.is_multiple_of(3) => null_value,
        None => 0,
    };
    fn dictionary<K: ArrowDictionaryKeyType>(
        keys: Vec<K::Native>,
        nulls: &NullBuffer,
        values: ArrayRef,
    ) -> ArrayRef {
        let keys = PrimitiveArray::<K>::new(keys.into(), Some(nulls.clone()));
        Arc::new(DictionaryArray::<K>::try_new(keys, values).unwrap())
    }
    let rows = cells.len();
    match encoding {
        Encoding::Plain => {
            let (offsets, bytes, _) = StringArray::from(junk.clone()).into_parts();
            Arc::new(StringArray::new(offsets, bytes, Some(nulls)))
        }
        Encoding::Large => {
            let plain: LargeStringArray = junk.iter().map(|t| Some(*t)).collect();
            let (offsets, bytes, _) = plain.into_parts();
            Arc::new(LargeStringArray::new(offsets, bytes, Some(nulls)))
        }
        Encoding::View => {
            let plain: StringViewArray = junk.iter().map(|t| Some(*t)).collect();
            let (views, buffers, _) = plain.into_parts();
            Arc::new(StringViewArray::new(views, buffers, Some(nulls)))
        }
        Encoding::Dict32 => dictionary::<Int32Type>(
            (0..rows).map(|row| key_of(row) as i32).collect(),
            &nulls,
            Arc::new(StringArray::from(values)),
        ),
        Encoding::Dict8Large if values.len() <= 127 => dictionary::<Int8Type>(
            (0..rows).map(|row| key_of(row) as i8).collect(),
            &nulls,
            Arc::new(LargeStringArray::from(values)),
        ),
        Encoding::Dict8Large | Encoding::Dict16View => dictionary::<UInt16Type>(
            (0..rows).map(|row| key_of(row) as u16).collect(),
            &nulls,
            Arc::new(StringViewArray::from(values)),
        ),
    }
}

/// One customer's cells.
#[derive(Debug, Clone)]
struct Row {
    name: Option<String>,
    country: Option<&'static str>,
    class1: Option<String>,
    vat_number: Option<String>,
    day: Option<i32>,
    cents: Option<i64>,
}

fn row() -> impl Strategy<Value = Row> {
    let text = prop::option::weighted(0.7, "[ A-Za-zØé]{0,6}");
    (
        text.clone(),
        prop::option::weighted(0.7, prop::sample::select(&["NL", "DE", "BE", " "][..])),
        prop::option::weighted(0.7, "V[0-9]{1,2}| "),
        text,
        prop::option::weighted(0.8, 18_000..21_000i32),
        prop::option::weighted(0.8, -10_000_000..10_000_000i64),
    )
        .prop_map(|(name, country, class1, vat_number, day, cents)| Row {
            name,
            country,
            class1,
            vat_number,
            day,
            cents,
        })
}

/// Customer `i`'s id: ascending with `i`, or scrambled (distinct still).
fn label(i: usize, scrambled: bool) -> String {
    match scrambled {
        true => format!("C{:07}", i * 7919 % 1_000_003),
        false => format!("C{i:07}"),
    }
}

fn customer(id: String, row: &Row) -> Customer {
    let mut customer = Customer::new(id);
    customer.name = row.name.clone();
    customer.billing_address.country = row
        .country
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.to_owned().try_into().unwrap());
    customer.classes.0[0] = row.class1.clone();
    customer.vat_number = row.vat_number.clone();
    customer.created_at = row.day.map(|days| {
        let epoch = jiff::civil::Date::new(1970, 1, 1).unwrap();
        epoch.checked_add(jiff::Span::new().days(days)).unwrap()
    });
    if let Some(cents) = row.cents {
        customer.attributes.insert(
            "turnover_12m".to_owned(),
            AttrValue::Number(Decimal::new(cents, 2)),
        );
    }
    customer
}

/// The customers' columns, `pad` junk rows before and after them, in the
/// encodings given; ids in an order that is not ascending.
fn batch(
    rows: &[Row],
    pad: usize,
    encodings: [Encoding; 4],
    ids: Encoding,
    scrambled: bool,
) -> RecordBatch {
    let junk = Row {
        name: Some("pad".into()),
        country: Some("XX"),
        class1: Some("pad".into()),
        vat_number: None,
        day: Some(i32::MAX),
        cents: Some(i64::MAX),
    };
    let all: Vec<(Option<usize>, &Row)> = std::iter::repeat_n((None, &junk), pad)
        .chain(rows.iter().enumerate().map(|(i, row)| (Some(i), row)))
        .chain(std::iter::repeat_n((None, &junk), pad))
        .collect();
    let column = |get: &dyn Fn(&Row) -> Option<String>, encoding| {
        let cells: Vec<Option<String>> = all.iter().map(|(_, row)| get(row)).collect();
        text_array(&cells, encoding)
    };
    let id_cells: Vec<Option<String>> = all
        .iter()
        .map(|(i, _)| Some(i.map_or("pad".to_owned(), |i| label(i, scrambled))))
        .collect();
    let days: Date32Array = all
        .iter()
        .map(|(i, row)| if i.is_some() { row.day } else { None })
        .collect();
    // Null slots of decimals hold the widest value there is.
    let cents: Vec<i128> = all
        .iter()
        .map(|(_, row)| row.cents.map_or(i128::MAX, i128::from))
        .collect();
    let valid: Vec<bool> = all
        .iter()
        .map(|(i, row)| i.is_some() && row.cents.is_some())
        .collect();
    let decimals = Decimal128Array::new(cents.into(), Some(NullBuffer::from(valid)))
        .with_precision_and_scale(38, 2)
        .unwrap();
    RecordBatch::try_from_iter([
        ("id", text_array(&id_cells, ids)),
        ("name", column(&|r| r.name.clone(), encodings[0])),
        (
            "country",
            column(&|r| r.country.map(str::to_owned), encodings[1]),
        ),
        ("class1", column(&|r| r.class1.clone(), encodings[2])),
        (
            "vat_number",
            column(&|r| r.vat_number.clone(), encodings[3]),
        ),
        ("created_at", Arc::new(days) as ArrayRef),
        ("attr.turnover_12m", Arc::new(decimals) as ArrayRef),
    ])
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn every_encoding_reads_as_the_customers_built_in_code(
        rows in prop::collection::vec(row(), 0..40),
        pad in 0usize..70,
        encodings in prop::array::uniform4(prop::sample::select(&ENCODINGS[..])),
        ids in prop::sample::select(&ENCODINGS[..]),
        split in 0usize..40,
        scrambled in any::<bool>(),
    ) {
        let customers: Vec<Customer> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| customer(label(i, scrambled), row))
            .collect();
        let expected = CustomerTable::from_customers(&customers);
        let whole = batch(&rows, pad, encodings, ids, scrambled).slice(pad, rows.len());
        let at = split.min(rows.len());
        let batches = [whole.slice(0, at), whole.slice(at, rows.len() - at)];
        let read = ArrowCustomers::read(&whole.schema(), &batches, None).unwrap();
        prop_assert!(read.problems().is_empty(), "{:?}", read.problems());
        prop_assert_eq!(read.table(), &expected);
    }
}

/// Mostly distinct text (70,000 rows) is kept in row order, a chunk of
/// strings copied at a time, and small dictionaries over many rows drop
/// the values no row has after mapping the keys; both read back row by row
/// as built in code, sliced and split too, with ids out of order.
#[test]
fn mostly_distinct_text_in_row_order_reads_back_row_by_row() {
    let n = 70_000;
    let rows: Vec<Row> = (0..n)
        .map(|i| Row {
            name: (i % 5 != 0).then(|| {
                if i % 11 == 0 {
                    "  ".into()
                } else {
                    format!("Ø{i}")
                }
            }),
            country: (i % 4 != 0).then_some(["NL", "DE", " "][i % 3]),
            class1: (i % 5 != 1).then(|| format!("V{}", i % 7)),
            vat_number: (i % 3 == 0).then(|| format!("NL{i:09}B01")),
            day: None,
            cents: None,
        })
        .collect();
    let customers: Vec<Customer> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| customer(label(i, true), row))
        .collect();
    let expected = CustomerTable::from_customers(&customers);
    for encodings in [
        [Encoding::Plain; 4],
        [Encoding::Large; 4],
        [Encoding::View; 4],
        // Small dictionaries over many rows, with values no row has.
        [
            Encoding::Plain,
            Encoding::Dict32,
            Encoding::Dict8Large,
            Encoding::Plain,
        ],
        [
            Encoding::View,
            Encoding::Dict16View,
            Encoding::Dict32,
            Encoding::Large,
        ],
    ] {
        let whole = batch(&rows, 13, encodings, Encoding::Large, true).slice(13, n);
        let batches = [whole.slice(0, 30_001), whole.slice(30_001, n - 30_001)];
        let read = ArrowCustomers::read(&whole.schema(), &batches, None).unwrap();
        assert!(read.problems().is_empty(), "{:?}", &read.problems()[..1]);
        if read.table() != &expected {
            let row = (0..n)
                .find(|&row| read.table().customer(row) != expected.customer(row))
                .unwrap_or(n);
            panic!(
                "{encodings:?} row {row}: {:?} != {:?}; columns {:?} and {:?}",
                read.table().customer(row),
                expected.customer(row),
                read.table().column_names().collect::<Vec<_>>(),
                expected.column_names().collect::<Vec<_>>(),
            );
        }
    }
}
