//! Helpers the Arrow tests share.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use custclass::{Engine, Setup};

pub fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

pub fn example_engine() -> Engine {
    Engine::new(Setup::from_json(&read("../examples/setup.json")).unwrap()).unwrap()
}

/// A semicolon file as Arrow: every column text, empty cells null.
pub fn text_batch(path: &str) -> RecordBatch {
    let text = read(path);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    RecordBatch::try_from_iter(headers.iter().enumerate().map(|(at, name)| {
        let cells: Vec<Option<&str>> = records
            .iter()
            .map(|r| r.get(at).map(str::trim).filter(|c| !c.is_empty()))
            .collect();
        (name.clone(), Arc::new(StringArray::from(cells)) as ArrayRef)
    }))
    .unwrap()
}
