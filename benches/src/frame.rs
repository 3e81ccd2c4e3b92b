//! The customers of [`customers`](crate::customers) as one Arrow record
//! batch shaped like `benches/compare`'s `make_customers` (what pyarrow,
//! polars or pandas hand over): 16 columns, ids, names and e-mail
//! addresses as plain distinct strings, the coded fields as dictionaries
//! of `int32` keys, the VAT number as a mostly null string, the creation
//! day as `date32` and the turnover as `decimal128(12, 2)`.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{Date32Builder, Decimal128Builder, StringBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};

use crate::customer_stream;

/// A dictionary column built in order of first appearance.
#[derive(Default)]
struct Coded {
    values: Vec<String>,
    places: HashMap<String, i32>,
    keys: Vec<Option<i32>>,
}

impl Coded {
    fn push(&mut self, value: Option<&str>) {
        let key = value.map(|value| match self.places.get(value) {
            Some(&key) => key,
            None => {
                let key = self.values.len() as i32;
                self.values.push(value.to_owned());
                self.places.insert(value.to_owned(), key);
                key
            }
        });
        self.keys.push(key);
    }

    fn finish(self) -> ArrayRef {
        let keys = Int32Array::from(self.keys);
        let values: ArrayRef = Arc::new(StringArray::from(self.values));
        Arc::new(
            DictionaryArray::<Int32Type>::try_new(keys, values).expect("keys within the values"),
        )
    }
}

/// The first `n` customers of `customer_stream(seed)` as one record batch
/// of the 16 columns `make_customers` has, in its order.
pub fn customer_batch(n: usize, seed: u64) -> RecordBatch {
    let (mut id, mut name, mut email, mut vat) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    let (mut city, mut country, mut channel, mut connector) = (
        Coded::default(),
        Coded::default(),
        Coded::default(),
        Coded::default(),
    );
    let mut slots: Vec<Coded> = (0..8).map(|_| Coded::default()).collect();
    let mut created = Date32Builder::with_capacity(n);
    let mut turnover = Decimal128Builder::with_capacity(n)
        .with_precision_and_scale(12, 2)
        .expect("a valid decimal type");
    let epoch = jiff::civil::Date::new(1970, 1, 1).expect("a day");
    for customer in customer_stream(seed).take(n) {
        id.append_value(&customer.id.0);
        name.append_option(customer.name.as_deref());
        email.append_option(customer.email.as_deref());
        city.push(customer.billing_address.city.as_deref());
        country.push(
            customer
                .billing_address
                .country
                .as_ref()
                .map(|c| c.as_str()),
        );
        channel.push(customer.channel.as_ref().map(|c| c.as_str()));
        connector.push(customer.connector.as_deref());
        vat.append_option(customer.vat_number.as_deref());
        for (slot, value) in slots.iter_mut().zip(&customer.classes.0) {
            slot.push(value.as_deref());
        }
        created.append_option(
            customer
                .created_at
                .map(|day| epoch.until(day).expect("a span").get_days()),
        );
        turnover.append_option(customer.attributes.get("turnover_12m").and_then(
            |value| match value {
                custclass::AttrValue::Number(number) => {
                    let mut number = *number;
                    number.rescale(2);
                    Some(number.mantissa())
                }
                custclass::AttrValue::Text(_) => None,
            },
        ));
    }
    let mut columns: Vec<(String, ArrayRef)> = vec![
        ("id".into(), Arc::new(id.finish())),
        ("name".into(), Arc::new(name.finish())),
        ("email".into(), Arc::new(email.finish())),
        ("city".into(), city.finish()),
        ("country".into(), country.finish()),
        ("channel".into(), channel.finish()),
        ("connector".into(), connector.finish()),
        ("vat_number".into(), Arc::new(vat.finish())),
    ];
    for (slot, coded) in slots.into_iter().enumerate() {
        columns.push((format!("class{}", slot + 1), coded.finish()));
    }
    columns.push(("created_at".into(), Arc::new(created.finish())));
    columns.push(("attr.turnover_12m".into(), Arc::new(turnover.finish())));
    RecordBatch::try_from_iter(columns).expect("columns of one length")
}
