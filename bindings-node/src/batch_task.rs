//! The native half of `Engine#classifyManyAsync` and `#priceManyAsync`.
//!
//! Reading JS objects needs the event loop, so the JS half (`async.js`)
//! makes a batch into UTF-8 JSON text in slices, yielding to the loop
//! between them, and hands the slices over as byte arrays: a reference each,
//! no copy on the loop. This task joins them, reads and classifies or prices
//! off the loop, and resolves with the result's columns still compact (each
//! distinct value once and an `Int32Array` of keys), for the JS half to
//! expand one column per turn of the loop. Building 200,000-row arrays of
//! thirty columns at once would stall the loop again.

use std::sync::Arc;

use custclass::batch::{self, Batch, BatchError, Classified, Column};
use custclass::{Engine, InternalError};
use napi::bindgen_prelude::{Array, Int32Array, JsObjectValue, Null, Object, ToNapiValue, Unknown};
use napi::{Env, JsValue, Result, ScopedTask};

use crate::errors;

/// JSON text in slices, as the JS half encoded it (or as the caller gave it).
pub type Slices = Vec<napi::bindgen_prelude::Uint8Array>;

/// What the task does with its text.
enum Job {
    Classify(Slices),
    Price(Slices, Option<Slices>),
}

impl std::fmt::Debug for Job {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (job, slices) = match self {
            Job::Classify(text) => ("Classify", text.len()),
            Job::Price(lines, _) => ("Price", lines.len()),
        };
        write!(formatter, "{job}({slices} slices)")
    }
}

/// What went wrong before the core had a batch to read.
#[derive(Debug)]
pub enum Failure {
    /// The core refused the batch.
    Batch(BatchError),
    /// The text is not UTF-8 (only bytes a caller gave can be).
    NotUtf8(&'static str),
}

/// Classifies or prices a batch of JSON text off the event loop.
#[derive(Debug)]
pub struct BatchTask {
    engine: Arc<Engine>,
    job: Option<Job>,
    panicked: Option<InternalError>,
}

impl BatchTask {
    /// Classifies the customers in `text` (`__classifyManyText`).
    pub fn classify(engine: Arc<Engine>, text: Slices) -> BatchTask {
        BatchTask {
            engine,
            job: Some(Job::Classify(text)),
            panicked: None,
        }
    }

    /// Prices the order lines in `lines` (`__priceManyText`).
    pub fn price(engine: Arc<Engine>, lines: Slices, customers: Option<Slices>) -> BatchTask {
        BatchTask {
            engine,
            job: Some(Job::Price(lines, customers)),
            panicked: None,
        }
    }
}

/// A batch read and classified or priced, in the form the event loop can
/// turn into JS values fastest, all made off the loop: per result column its
/// distinct values and per row a key, or JSON texts of a few thousand rows
/// each; the rows' problems as JSON texts of a few hundred each (a message
/// can be long: writing and parsing 200,000 at once would stall the loop).
#[derive(Debug)]
pub struct Done {
    columns: Vec<(String, Owned)>,
    errors: Vec<String>,
}

/// A result column of [`Done`].
#[derive(Debug)]
enum Owned {
    Keys {
        values: Vec<Option<String>>,
        keys: Vec<i32>,
    },
    Flags(Vec<i32>),
    Json(Vec<String>),
}

impl Done {
    fn of(classified: Classified) -> Done {
        let schema = classified.result.schema();
        let columns = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(at, field)| {
                let column = match batch::column(&classified.result, at) {
                    Column::Dictionary { values, keys } => Owned::Keys {
                        values: values.into_iter().map(|v| v.map(str::to_owned)).collect(),
                        keys,
                    },
                    Column::Flags(keys) => Owned::Flags(keys),
                    Column::Json(text) => Owned::Json(json_chunks(&text)),
                };
                (field.name().clone(), column)
            })
            .collect();
        let errors = classified
            .errors
            .chunks(ERRORS_PER_TEXT)
            .map(custclass::canonical::to_string)
            .collect();
        Done { columns, errors }
    }
}

/// A JSON array's text as the texts of arrays of `ROWS_PER_TEXT` items.
fn json_chunks(text: &str) -> Vec<String> {
    match serde_json::from_str::<Vec<serde_json::Value>>(text) {
        Ok(items) => items
            .chunks(ROWS_PER_TEXT)
            .map(|chunk| serde_json::Value::from(chunk.to_vec()).to_string())
            .collect(),
        Err(_) => vec![text.to_owned()],
    }
}

impl<'task> ScopedTask<'task> for BatchTask {
    type Output = std::result::Result<Done, Failure>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        let (engine, job) = (&self.engine, self.job.take());
        errors::guard_compute(&mut self.panicked, || {
            let Some(job) = job else {
                return Err(napi::Error::from_reason("the batch was read already"));
            };
            Ok(run(engine, job).map(Done::of))
        })
    }

    fn reject(&mut self, env: &'task Env, err: napi::Error) -> Result<Unknown<'task>> {
        Err(errors::rejected(env, &mut self.panicked, err))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Unknown<'task>> {
        match output {
            Ok(done) => compact(env, done),
            Err(Failure::Batch(BatchError::Table(err))) => Err(errors::table(env, &err)),
            Err(Failure::Batch(BatchError::Customer(err))) => Err(errors::customer(env, &err)),
            Err(Failure::NotUtf8(what)) => Err(errors::type_error(
                env,
                format!("{what} must be JSON text in UTF-8; these bytes are not UTF-8"),
            )),
        }
    }
}

fn run(engine: &Engine, job: Job) -> std::result::Result<Classified, Failure> {
    match job {
        Job::Classify(text) => {
            let text = joined(&text, "batch")?;
            batch::classify(engine, Batch::from_text(text)).map_err(Failure::Batch)
        }
        Job::Price(lines, customers) => {
            let lines = joined(&lines, "lines")?;
            let customers = customers
                .map(|text| joined(&text, "customers").map(Batch::from_text))
                .transpose()?;
            batch::price(engine, Batch::from_text(lines), customers).map_err(Failure::Batch)
        }
    }
}

/// The slices as one text. A slice may end inside a character (the JS half
/// cuts a caller's text at character boundaries, a caller's bytes are one
/// slice), so the bytes are joined before they are checked.
fn joined(slices: &Slices, what: &'static str) -> std::result::Result<String, Failure> {
    let mut bytes = Vec::with_capacity(slices.iter().map(|slice| slice.len()).sum());
    for slice in slices {
        bytes.extend_from_slice(slice);
    }
    String::from_utf8(bytes).map_err(|_| Failure::NotUtf8(what))
}

/// Row problems per JSON text of `errors` in the compact result.
const ERRORS_PER_TEXT: usize = 500;

/// Rows per JSON text of a column the core has no compact form for.
const ROWS_PER_TEXT: usize = 5000;

/// `{columns: [[name, values, keys] | [name, [jsonText]]], errors: [jsonText]}`:
/// the result in as few JS values as it takes (`async.js` expands it).
fn compact(env: &Env, done: Done) -> Result<Unknown<'_>> {
    let texts = |texts: &[String]| -> Result<Unknown<'_>> {
        let texts = texts
            .iter()
            .map(|text| text.as_str().into_unknown(env))
            .collect::<Result<Vec<_>>>()?;
        Ok(Array::from_vec(env, texts)?.to_unknown())
    };
    let mut columns = Vec::with_capacity(done.columns.len());
    for (name, column) in done.columns {
        let name = name.into_unknown(env)?;
        let entry = match column {
            Owned::Keys { values, keys } => {
                let values = values
                    .into_iter()
                    .map(|text| match text {
                        Some(text) => text.into_unknown(env),
                        None => Null.into_unknown(env),
                    })
                    .collect::<Result<Vec<_>>>()?;
                vec![
                    name,
                    Array::from_vec(env, values)?.to_unknown(),
                    typed(env, keys)?,
                ]
            }
            Owned::Flags(keys) => {
                let values = vec![false.into_unknown(env)?, true.into_unknown(env)?];
                vec![
                    name,
                    Array::from_vec(env, values)?.to_unknown(),
                    typed(env, keys)?,
                ]
            }
            Owned::Json(chunks) => vec![name, texts(&chunks)?],
        };
        columns.push(Array::from_vec(env, entry)?.to_unknown());
    }
    let mut result = Object::new(env)?;
    result.set_named_property("columns", Array::from_vec(env, columns)?)?;
    result.set_named_property("errors", texts(&done.errors)?)?;
    Ok(result.to_unknown())
}

fn typed(env: &Env, keys: Vec<i32>) -> Result<Unknown<'_>> {
    Int32Array::new(keys).into_unknown(env)
}
