//! Node.js binding of custclass (napi-rs): the exported surface, one call
//! into the core each. Conversions live in `conv`, errors in `errors`.

// Library code indexes only through `get`: an index out of bounds would be a
// panic in the host. (Tests index freely: a failed index is a failed test.)
#![deny(clippy::indexing_slicing)]

use custclass::customer_file::{CsvCustomers, JsonLinesCustomers, row_json};
use custclass::{
    Classification, ConnectError, Customer, CustomerTable, DuplicateIndex, Engine, ErrorJson,
    Exported, ImportOptions, Imported, InternalError, Quote, Reclassification, ResultField,
    Segment, SegmentSet, Setup, SetupError, TableError, UnknownEncoding, canonical,
};
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, BigInt, BigUint64Array, JsObjectValue, Object, Unknown};
use napi::{Env, JsValue, Result, ScopedTask, ValueType};
use napi_derive::napi;

mod batch_task;
mod conv;
mod errors;

use batch_task::{BatchTask, Slices};
use conv::Given;
use custclass::batch::{self, BatchError, Classified};
use errors::guard;

/// `toObject()`, `toJson()` and `toJSON()` of a class around a core value.
/// Used at the end of the file: napi must have seen the class (its JS name)
/// before an `impl` of it.
macro_rules! plain_forms {
    ($class:ident, $object:tt, $doc_object:tt, $doc_json:tt) => {
        #[napi]
        impl $class {
            #[doc = $doc_object]
            #[napi(ts_return_type = $object)]
            pub fn to_object<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
                guard(env, || conv::to_object(env, &self.inner))
            }

            #[doc = $doc_json]
            #[napi]
            pub fn to_json(&self, env: &Env) -> Result<String> {
                guard(env, || Ok(canonical::to_string(&self.inner)))
            }

            /// `toObject()`, so that `JSON.stringify` works.
            #[napi(js_name = "toJSON", ts_return_type = $object)]
            pub fn to_json_value<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
                guard(env, || conv::to_object(env, &self.inner))
            }
        }
    };
}

/// A validated, compiled setup that classifies customers and says why each
/// value was chosen. Cheap to share; compile it once.
#[napi(js_name = "Engine")]
#[derive(Debug)]
pub struct JsEngine {
    /// Shared with the batches classified off the event loop.
    inner: Arc<Engine>,
}

#[napi]
impl JsEngine {
    /// Validates and compiles a setup (a `Setup`, a plain object or a JSON
    /// string). Throws a `SetupError` listing every problem.
    #[napi(constructor)]
    pub fn new(env: Env, #[napi(ts_arg_type = "SetupInput")] setup: Unknown) -> Result<JsEngine> {
        guard(&env, || {
            let setup = conv::setup(&env, setup)?;
            let inner = Engine::new(setup).map_err(|err| errors::setup(&env, &err))?;
            Ok(JsEngine {
                inner: Arc::new(inner),
            })
        })
    }

    /// As `new Engine(setup)`, but parses and compiles the setup off the
    /// event loop. Rejects with a `SetupError` (or a `TypeError` for input
    /// JSON can't hold).
    #[napi(ts_return_type = "Promise<Engine>")]
    pub fn create_async(
        env: Env,
        #[napi(ts_arg_type = "SetupInput")] setup: Unknown,
    ) -> Result<AsyncTask<CreateEngine>> {
        guard(&env, || {
            Ok(AsyncTask::new(CreateEngine {
                setup: Some(conv::given_setup(&env, setup)),
                panicked: None,
            }))
        })
    }

    /// The setup this engine was built from.
    #[napi(getter, ts_return_type = "Setup")]
    pub fn setup(&self, env: &Env) -> Result<JsSetup> {
        guard(env, || {
            Ok(JsSetup {
                inner: self.inner.setup().clone(),
            })
        })
    }

    /// The label of slot `slot` (1..8), or `null` when the setup doesn't
    /// define that slot.
    #[napi]
    pub fn slot_label(&self, env: &Env, slot: u32) -> Result<Option<String>> {
        guard(env, || {
            Ok(self.inner.slot_label(slot as usize).map(str::to_owned))
        })
    }

    /// Classifies a new customer (a `Customer`, a plain object or a JSON
    /// string). With `on` (`YYYY-MM-DD`), date-dependent facts such as EU
    /// membership are judged as of that day. Throws a `CustomerError`.
    #[napi(ts_return_type = "Classification")]
    pub fn classify(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
        on: Option<String>,
    ) -> Result<JsClassification> {
        guard(&env, || {
            let customer = conv::customer(&env, customer)?;
            let result = match on {
                None => self.inner.classify(&customer),
                Some(day) => {
                    let day = day.parse().map_err(|err| {
                        errors::range_error(
                            &env,
                            format!("on: '{day}' is not a YYYY-MM-DD day: {err}"),
                        )
                    })?;
                    self.inner.classify_on(&customer, day)
                }
            };
            let inner = result.map_err(|err| errors::customer(&env, &err))?;
            Ok(JsClassification { inner })
        })
    }

    /// Re-runs the rules on an existing customer and lists what changes.
    /// With `previous`, the classification the customer had (a
    /// `Classification`, its plain object or JSON text, as stored), every
    /// value that changes is listed with its value and source before and
    /// after, and stored values the engine computed follow the new setup.
    /// Throws a `CustomerError`.
    #[napi(ts_return_type = "Reclassification")]
    pub fn reclassify(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
        #[napi(ts_arg_type = "Classification | ClassificationObject | string")] previous: Option<
            Unknown,
        >,
    ) -> Result<JsReclassification> {
        guard(&env, || {
            let customer = conv::customer(&env, customer)?;
            let result = match previous {
                Some(previous) if previous.get_type()? != ValueType::Undefined => {
                    let previous = conv::classification(&env, previous)?;
                    self.inner.reclassify_since(&customer, &previous)
                }
                _ => self.inner.reclassify(&customer),
            };
            let inner = result.map_err(|err| errors::customer(&env, &err))?;
            Ok(JsReclassification { inner })
        })
    }

    /// The setup's fingerprint (64 hex digits), which every classification
    /// and change carries.
    #[napi(getter)]
    pub fn fingerprint(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.fingerprint().to_string()))
    }

    /// Prices one order line (a plain object or a JSON string) for a
    /// customer, with every price rule's verdict in `explanation`, so a price
    /// can be traced to its rule. Throws a `PricingError` (a `CustomerError`
    /// when the customer can't be read).
    #[napi(ts_return_type = "Quote")]
    pub fn price(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
        #[napi(ts_arg_type = "PriceRequestInput")] request: Unknown,
    ) -> Result<JsQuote> {
        guard(&env, || {
            let customer = conv::customer(&env, customer)?;
            let request = conv::price_request(&env, request)?;
            let inner = self
                .inner
                .price(&customer, &request)
                .map_err(|err| errors::pricing(&env, &err))?;
            Ok(JsQuote { inner })
        })
    }

    /// Prices an order's lines (an array of plain objects or its JSON text)
    /// for one customer in one call, without explanations: cheaper than a
    /// `price` per line. Throws a `PricingError` whose `data.line` names the
    /// bad line (a `CustomerError` when the customer can't be read).
    #[napi(ts_return_type = "Quote[]")]
    pub fn price_lines(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
        #[napi(ts_arg_type = "PriceRequestsInput")] requests: Unknown,
    ) -> Result<Vec<JsQuote>> {
        guard(&env, || {
            let customer = conv::customer(&env, customer)?;
            let requests = conv::price_requests(&env, requests)?;
            let quotes = self
                .inner
                .price_lines(&customer, &requests)
                .map_err(|err| errors::pricing(&env, &err))?;
            Ok(quotes.into_iter().map(|inner| JsQuote { inner }).collect())
        })
    }

    /// Prices a batch of order lines in one call: an object of equally long
    /// column arrays (`customer`, `item`, `item_group`, `list_price`,
    /// `quantity`, `date`, `currency`), an array of flat line objects, or
    /// the JSON text of either. Each line's customer is the row of
    /// `customers` (a batch as `classifyMany` takes it) with its id, or,
    /// without `customers`, what the line's own customer columns say
    /// (`price_group`, `group`, `country`, …). `columns` has `rule`,
    /// `stacked`, `list_price`, `net_price`, `discount_percent`,
    /// `discount_amount`, `line_total` (decimal strings) and `reason` (in
    /// words) per line; `errors` lists the lines that could not be priced.
    /// With `options.explain` (0-based line numbers), `explanations` maps
    /// each of those lines that has a price to its quote's object form
    /// with every rule's verdict, as `price` gives it. Throws a
    /// `TableError` for a batch that can't be read as a whole.
    #[napi(ts_return_type = "PricedBatch")]
    pub fn price_many<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "LineBatch")] lines: Unknown,
        #[napi(ts_arg_type = "CustomerBatch | null")] customers: Option<Unknown>,
        #[napi(ts_arg_type = "PriceManyOptions")] options: Option<Unknown>,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let lines = conv::batch(env, lines)?;
            let customers = match customers {
                Some(batch)
                    if !matches!(batch.get_type()?, ValueType::Null | ValueType::Undefined) =>
                {
                    Some(conv::batch(env, batch)?)
                }
                _ => None,
            };
            let explain = conv::explain(env, options)?;
            let priced = batch::price_explained(&self.inner, lines, customers, &explain)
                .map_err(|err| batch_error(env, &err))?;
            let explanations = priced.explanations;
            let classified = Classified {
                result: priced.result,
                errors: priced.errors,
            };
            let mut object = batch_object(env, classified)?;
            if explain.is_empty() {
                return Ok(object.to_unknown());
            }
            let by_row: serde_json::Map<String, serde_json::Value> = explanations
                .iter()
                .map(|(row, quote)| {
                    let quote = serde_json::to_value(quote).unwrap_or_default();
                    (row.to_string(), quote)
                })
                .collect();
            object.set_named_property("explanations", conv::to_object(env, &by_row)?)?;
            Ok(object.to_unknown())
        })
    }

    /// Classifies a batch of customers in one call: an array of customer
    /// objects, an object of equally long column arrays named as in the
    /// customer file (`id`, `country`, `class1`, `attr.turnover`, …), or
    /// the JSON text of either. `columns` has one value per input row, in
    /// order (`null` where a row has no result); `errors` lists the rows
    /// that could not be read or classified, the others go on. Throws a
    /// `TableError` for columns that can't be read as a whole
    /// (`unknown_column`, `missing_column`, `column_type`, `column_length`,
    /// …) and a `CustomerError` (`json_syntax`) for an array that isn't JSON.
    #[napi(ts_return_type = "BatchResult")]
    pub fn classify_many<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "CustomerBatch")] batch: Unknown,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let batch = conv::batch(env, batch)?;
            batch_result(env, batch::classify(&self.inner, batch))
        })
    }

    /// The native half of `classifyManyAsync` (bindings-node/async.js):
    /// classifies the batch in `text`, JSON in UTF-8 slices, on a libuv
    /// thread, resolving with the result's columns compact.
    #[napi(js_name = "__classifyManyText", skip_typescript)]
    pub fn classify_many_text(&self, env: Env, text: Slices) -> Result<AsyncTask<BatchTask>> {
        guard(&env, || {
            Ok(AsyncTask::new(BatchTask::classify(
                Arc::clone(&self.inner),
                text,
            )))
        })
    }

    /// The native half of `priceManyAsync` (bindings-node/async.js), as
    /// `__classifyManyText` for order lines and their customers.
    #[napi(js_name = "__priceManyText", skip_typescript)]
    pub fn price_many_text(
        &self,
        env: Env,
        lines: Slices,
        customers: Option<Slices>,
    ) -> Result<AsyncTask<BatchTask>> {
        guard(&env, || {
            Ok(AsyncTask::new(BatchTask::price(
                Arc::clone(&self.inner),
                lines,
                customers,
            )))
        })
    }

    /// Every problem on the customer's card, as `Customer#check` finds them,
    /// plus payment terms the setup doesn't list (`unknown_payment_terms`)
    /// or keeps only for history (`inactive_payment_terms`). Throws a
    /// `CustomerError` for a customer that can't be read.
    #[napi(ts_return_type = "Finding[]")]
    pub fn check<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let customer = conv::customer(env, customer)?;
            conv::to_object(env, &self.inner.check(&customer))
        })
    }

    /// The customer (a `Customer`, a plain object or a JSON string),
    /// classified, as the body of Exact Online's `crm/Accounts`: an
    /// `Exported` whose `body` is a plain object. Throws a `ConnectError`
    /// (`unmapped_value` naming the setup's `erp` path that lacks a
    /// mapping, `missing_value`, `value_too_long`, `invalid_customer`), a
    /// `CustomerError` for a customer that can't be read.
    #[napi(ts_return_type = "Exported")]
    pub fn to_exact(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<JsExported> {
        guard(&env, || {
            export(&env, customer, |customer| self.inner.to_exact(customer))
        })
    }

    /// The customer, classified, as the body of e-conomic's `POST
    /// /customers`. Throws as `toExact`.
    #[napi(ts_return_type = "Exported")]
    pub fn to_economic(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<JsExported> {
        guard(&env, || {
            export(&env, customer, |customer| self.inner.to_economic(customer))
        })
    }

    /// The customer, classified, as the body of Reviso's `POST /customers`.
    /// Throws as `toExact`.
    #[napi(ts_return_type = "Exported")]
    pub fn to_reviso(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<JsExported> {
        guard(&env, || {
            export(&env, customer, |customer| self.inner.to_reviso(customer))
        })
    }

    /// Compiles a segment query (the language of rule conditions). For the
    /// classification targets (`class.<label>`, `type`, `group`,
    /// `price_group`, accounts) it tests the values a customer has once
    /// classified, given or assigned by the rules and defaults;
    /// `{stored: true}` tests the values on the record only. Throws an
    /// `ExpressionError` with the offset of the problem.
    #[napi(ts_return_type = "Segment")]
    pub fn segment(
        &self,
        env: Env,
        expression: String,
        #[napi(ts_arg_type = "SegmentOptions | null")] options: Option<Unknown>,
    ) -> Result<JsSegment> {
        guard(&env, || {
            let compiled = match conv::stored(&env, options)? {
                true => self.inner.segment_stored(&expression),
                false => self.inner.segment(&expression),
            };
            let inner = compiled.map_err(|err| errors::expression(&env, &err))?;
            Ok(JsSegment { inner })
        })
    }

    /// Compiles named segments evaluated together, in one pass over a
    /// batch: an object of name → expression (in its key order) or an
    /// array of `[name, expression]` pairs; segment *i* is bit *i* of a
    /// row's mask. At most 64. Targets are tested classified, as in
    /// `Engine#segment`, unless `{stored: true}`. Throws an `ExpressionError`
    /// (`invalid_segment`, with the `segment` and the expression's own
    /// `error`; `duplicate_segment`; `too_many_segments`).
    #[napi(ts_return_type = "SegmentSet")]
    pub fn segment_set(
        &self,
        env: Env,
        #[napi(ts_arg_type = "SegmentDefinitions")] segments: Unknown,
        #[napi(ts_arg_type = "SegmentOptions | null")] options: Option<Unknown>,
    ) -> Result<JsSegmentSet> {
        guard(&env, || {
            let segments = conv::segments(&env, segments)?;
            let compiled = match conv::stored(&env, options)? {
                true => self.inner.segment_set_stored(segments),
                false => self.inner.segment_set(segments),
            };
            let inner = compiled.map_err(|err| errors::expression(&env, &err))?;
            Ok(JsSegmentSet { inner })
        })
    }
}

/// Compiles a setup off the event loop (`Engine.createAsync`).
#[derive(Debug)]
pub struct CreateEngine {
    /// The setup, or the `TypeError` reading it gave (the promise rejects
    /// with it); taken by `compute`.
    setup: Option<Result<Given<Setup>>>,
    panicked: Option<InternalError>,
}

impl<'task> ScopedTask<'task> for CreateEngine {
    type Output = std::result::Result<Engine, SetupError>;
    type JsValue = JsEngine;

    fn compute(&mut self) -> Result<Self::Output> {
        let given = self.setup.take();
        errors::guard_compute(&mut self.panicked, || {
            let setup = match given {
                Some(Ok(Given::Native(setup))) => Ok(setup),
                Some(Ok(Given::Text(text))) => Setup::from_json(&text),
                Some(Err(err)) => return Err(err),
                None => return Err(napi::Error::from_reason("the setup was compiled already")),
            };
            Ok(setup.and_then(Engine::new))
        })
    }

    fn reject(&mut self, env: &'task Env, err: napi::Error) -> Result<JsEngine> {
        Err(errors::rejected(env, &mut self.panicked, err))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<JsEngine> {
        let inner = output.map_err(|err| errors::setup(env, &err))?;
        Ok(JsEngine {
            inner: Arc::new(inner),
        })
    }
}

/// `{columns: {name: values}, errors}` of a classified batch, or the error
/// of a batch that can't be read.
fn batch_result(
    env: &Env,
    result: std::result::Result<Classified, BatchError>,
) -> Result<Unknown<'_>> {
    let classified = result.map_err(|err| batch_error(env, &err))?;
    Ok(batch_object(env, classified)?.to_unknown())
}

/// `{columns, errors}` of a batch's result.
fn batch_object(env: &Env, classified: Classified) -> Result<Object<'_>> {
    let mut columns = Object::new(env)?;
    let schema = classified.result.schema();
    let expand = conv::Expand::new(env)?;
    for (at, field) in schema.fields().iter().enumerate() {
        let values = expand.column(batch::column(&classified.result, at))?;
        columns.set_named_property(field.name(), values)?;
    }
    let mut result = Object::new(env)?;
    result.set_named_property("columns", columns)?;
    result.set_named_property("errors", conv::to_object(env, &classified.errors)?)?;
    Ok(result)
}

/// The JS error of a batch that can't be read.
fn batch_error(env: &Env, err: &BatchError) -> napi::Error {
    match err {
        BatchError::Table(err) => errors::table(env, err),
        BatchError::Customer(err) => errors::customer(env, err),
    }
}

/// A compiled segment query.
#[napi(js_name = "Segment")]
#[derive(Debug)]
pub struct JsSegment {
    inner: Segment,
}

#[napi]
impl JsSegment {
    /// The expression as written.
    #[napi(getter)]
    pub fn expression(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.expression().to_owned()))
    }

    /// Whether the customer belongs to the segment. Throws a `CustomerError`.
    #[napi]
    pub fn matches(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<bool> {
        guard(&env, || {
            let customer = conv::customer(&env, customer)?;
            self.inner
                .matches(&customer)
                .map_err(|err| errors::customer(&env, &err))
        })
    }

    /// The rows of a batch (as `Engine#classifyMany` takes it) in the
    /// segment: `rows` are 0-based input rows, ascending; rows that can't be
    /// read or classified are in no segment and listed in `errors`;
    /// `warnings` names each column the segment tests that is empty in
    /// every row. Throws as
    /// `Engine#classifyMany` does.
    #[napi(ts_return_type = "SegmentRows")]
    pub fn filter<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "CustomerBatch")] batch: Unknown,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let batch = conv::batch(env, batch)?;
            let rows = batch::filter(&self.inner, batch).map_err(|err| batch_error(env, &err))?;
            conv::to_object(env, &rows)
        })
    }
}

/// Named segments evaluated together: `engine.segmentSet({dutch: "country
/// = 'NL'", all: 'true'})`. Over a batch in one pass, with the tests the
/// segments share answered once; each row's answer is a mask, bit *i* set
/// when the row is in segment *i*.
#[napi(js_name = "SegmentSet")]
#[derive(Debug)]
pub struct JsSegmentSet {
    inner: SegmentSet,
}

impl JsSegmentSet {
    /// The masks of a batch, or the error it throws.
    fn answer(&self, env: &Env, batch: Unknown) -> Result<batch::SetMasks> {
        let batch = conv::batch(env, batch)?;
        batch::segment_masks(&self.inner, batch).map_err(|err| batch_error(env, &err))
    }

    /// `{counts: {name: count}, errors}`, the counts in the set's order.
    fn counts_object<'env>(env: &'env Env, answer: &batch::SetMasks) -> Result<Object<'env>> {
        let mut counts = Object::new(env)?;
        for (name, count) in &answer.counts {
            counts.set_named_property(name, *count as f64)?;
        }
        let mut result = Object::new(env)?;
        result.set_named_property("counts", counts)?;
        result.set_named_property("errors", conv::to_object(env, &answer.errors)?)?;
        result.set_named_property("warnings", conv::to_object(env, &answer.warnings)?)?;
        Ok(result)
    }
}

#[napi]
impl JsSegmentSet {
    /// The segments' names, in order (name *i* is bit *i*).
    #[napi(getter)]
    pub fn names(&self, env: &Env) -> Result<Vec<String>> {
        guard(env, || Ok(self.inner.names().map(str::to_owned).collect()))
    }

    /// The segments' expressions as written, in order.
    #[napi(getter)]
    pub fn expressions(&self, env: &Env) -> Result<Vec<String>> {
        guard(env, || {
            Ok(self.inner.expressions().map(str::to_owned).collect())
        })
    }

    /// How many segments the set holds.
    #[napi(getter)]
    pub fn length(&self, env: &Env) -> Result<u32> {
        guard(env, || Ok(self.inner.len() as u32))
    }

    /// The customer's mask: bit *i* set when it is in segment *i*. Throws a
    /// `CustomerError`.
    #[napi(ts_return_type = "bigint")]
    pub fn mask(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<u64> {
        guard(&env, || {
            let customer = conv::customer(&env, customer)?;
            self.inner
                .mask(&customer)
                .map_err(|err| errors::customer(&env, &err))
        })
    }

    /// The names of the segments whose bits `mask` (a bigint) sets, in
    /// order. Throws a `RangeError` for a mask below 0 or past 64 bits.
    #[napi]
    pub fn names_in(&self, env: Env, mask: BigInt) -> Result<Vec<String>> {
        guard(&env, || {
            let (negative, value, lossless) = match mask.words.first() {
                Some(_) => mask.get_u64(),
                None => (false, 0, true),
            };
            if negative || !lossless {
                return Err(errors::range_error(
                    &env,
                    "a mask is a bigint from 0 to 2n ** 64n - 1n".to_owned(),
                ));
            }
            Ok(self.inner.names_in(value).map(str::to_owned).collect())
        })
    }

    /// Every row of a batch (as `Engine#classifyMany` takes it) against
    /// every segment, in one pass: `masks` (a `BigUint64Array`, one per
    /// input row, 0 for a row that can't be read), `counts` (name → rows)
    /// and `errors`. Throws as `Engine#classifyMany` does.
    #[napi(ts_return_type = "SegmentMasks")]
    pub fn masks<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "CustomerBatch")] batch: Unknown,
    ) -> Result<Object<'env>> {
        guard(env, || {
            let answer = self.answer(env, batch)?;
            let mut result = JsSegmentSet::counts_object(env, &answer)?;
            result.set_named_property("masks", BigUint64Array::new(answer.masks))?;
            Ok(result)
        })
    }

    /// How many rows of a batch each segment holds: `counts` (name → rows,
    /// in the set's order) and `errors`, from one pass.
    #[napi(ts_return_type = "SegmentCounts")]
    pub fn counts<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "CustomerBatch")] batch: Unknown,
    ) -> Result<Object<'env>> {
        guard(env, || {
            let answer = self.answer(env, batch)?;
            JsSegmentSet::counts_object(env, &answer)
        })
    }

    /// The rows of a batch in the segment named `name`, as `Segment#filter`
    /// gives them. Throws a `RangeError` for a name the set lacks.
    #[napi(ts_return_type = "SegmentRows")]
    pub fn filter<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "CustomerBatch")] batch: Unknown,
        name: String,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let segment = self
                .inner
                .names()
                .position(|known| known == name)
                .ok_or_else(|| {
                    errors::range_error(env, format!("no segment of the set is named '{name}'"))
                })?;
            let answer = self.answer(env, batch)?;
            conv::to_object(
                env,
                &batch::SegmentRows {
                    rows: answer.rows(segment),
                    errors: answer.errors,
                    warnings: answer.warnings,
                },
            )
        })
    }
}

/// A company's classification setup: slots, types, groups, price groups,
/// accounts and rules.
#[napi(js_name = "Setup")]
#[derive(Debug)]
pub struct JsSetup {
    inner: Setup,
}

#[napi]
impl JsSetup {
    /// Reads a setup from a plain object or a JSON string. Throws a
    /// `SetupError` when it can't be read; the whole setup is checked by
    /// `new Engine` and `Setup.validate`.
    #[napi(constructor)]
    pub fn new(env: Env, #[napi(ts_arg_type = "SetupInput")] source: Unknown) -> Result<JsSetup> {
        guard(&env, || {
            Ok(JsSetup {
                inner: conv::setup(&env, source)?,
            })
        })
    }

    /// Every problem of a setup, as the plain objects of a `SetupError`'s
    /// `data.problems`; `[]` when the setup is valid. Never throws for an
    /// invalid setup.
    #[napi(ts_return_type = "SetupProblem[]")]
    pub fn validate<'env>(
        env: &'env Env,
        #[napi(ts_arg_type = "SetupInput")] source: Unknown,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let checked = match conv::given_setup(env, source)? {
                Given::Native(setup) => setup.validate(),
                Given::Text(text) => Setup::from_json(&text).and_then(|setup| setup.validate()),
            };
            let problems = checked.err().map(|err| err.problems).unwrap_or_default();
            let problems: Vec<_> = problems.iter().map(ErrorJson::to_json).collect();
            conv::to_object(env, &problems)
        })
    }

    /// The setup most companies start from, for a company in `homeCountry`
    /// (ISO 3166-1 alpha-2). Throws a `RangeError` for an unknown country.
    #[napi]
    pub fn standard(env: Env, home_country: String) -> Result<JsSetup> {
        guard(&env, || {
            let country = custclass::CountryCode::try_from(home_country)
                .map_err(|err| errors::range_error(&env, err.to_string()))?;
            Ok(JsSetup {
                inner: Setup::standard(country),
            })
        })
    }
}

/// A customer record, checked on the way in.
#[napi(js_name = "Customer")]
#[derive(Debug)]
pub struct JsCustomer {
    inner: Customer,
}

#[napi]
impl JsCustomer {
    /// Reads a customer from a plain object or a JSON string. Throws a
    /// `CustomerError`.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] source: Unknown,
    ) -> Result<JsCustomer> {
        guard(&env, || {
            Ok(JsCustomer {
                inner: conv::customer(&env, source)?,
            })
        })
    }

    /// The customer's id.
    #[napi(getter)]
    pub fn id(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.id.0.clone()))
    }

    /// The customer with the person erased (name, contacts, street, phones,
    /// VAT number, EAN, text attributes) and what the books need kept.
    #[napi]
    pub fn anonymise(&self, env: &Env) -> Result<JsCustomer> {
        guard(env, || {
            Ok(JsCustomer {
                inner: self.inner.anonymise(),
            })
        })
    }

    /// Every problem on the card (`{field, code, message}`: `invalid_email`,
    /// `invalid_vat_number`, `vat_country_mismatch`, `invalid_ean`,
    /// `negative_credit_limit`); empty for a clean card.
    #[napi(ts_return_type = "Finding[]")]
    pub fn check<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::to_object(env, &self.inner.check()))
    }

    /// Whether the VAT number passes the offline check for its country:
    /// null without a number, or for one with no rule to check it by.
    #[napi]
    pub fn vat_valid(&self, env: &Env) -> Result<Option<bool>> {
        guard(env, || Ok(self.inner.vat_valid()))
    }

    /// The customer with its e-mail addresses trimmed and their domains in
    /// lower case, and its EAN without spaces.
    #[napi]
    pub fn normalised(&self, env: &Env) -> Result<JsCustomer> {
        guard(env, || {
            Ok(JsCustomer {
                inner: self.inner.normalised(),
            })
        })
    }
}

/// Everything the engine decided about one customer, each value with its
/// provenance.
#[napi(js_name = "Classification")]
#[derive(Debug)]
pub struct JsClassification {
    inner: Classification,
}

#[napi]
impl JsClassification {
    /// The customer's id.
    #[napi(getter)]
    pub fn customer(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.customer.0.clone()))
    }

    /// The fingerprint of the setup that decided it.
    #[napi(getter)]
    pub fn fingerprint(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.fingerprint.to_string()))
    }

    /// The slots assigned, `class1`..`class8`, each with its source.
    #[napi(
        getter,
        js_name = "classes",
        ts_return_type = "ClassificationObject['classes']"
    )]
    pub fn classes<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "classes"))
    }

    /// The customer type with its source.
    #[napi(getter, js_name = "type", ts_return_type = "Assigned<string> | null")]
    pub fn customer_type<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "type"))
    }

    /// The customer group with its source.
    #[napi(getter, js_name = "group", ts_return_type = "Assigned<string> | null")]
    pub fn group<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "group"))
    }

    /// The price group with its source.
    #[napi(
        getter,
        js_name = "price_group",
        ts_return_type = "Assigned<string> | null"
    )]
    pub fn price_group<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "price_group"))
    }

    /// The VAT zone with its source.
    #[napi(
        getter,
        js_name = "vat_zone",
        ts_return_type = "Assigned<VatZone> | null"
    )]
    pub fn vat_zone<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "vat_zone"))
    }

    /// Whether the customer is a business, with its source.
    #[napi(getter, js_name = "b2b", ts_return_type = "Assigned<boolean>")]
    pub fn b2b<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "b2b"))
    }

    /// The receivables account with its source.
    #[napi(
        getter,
        js_name = "receivables_account",
        ts_return_type = "Assigned<string> | null"
    )]
    pub fn receivables_account<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "receivables_account"))
    }

    /// The revenue account with its source.
    #[napi(
        getter,
        js_name = "revenue_account",
        ts_return_type = "Assigned<string> | null"
    )]
    pub fn revenue_account<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "revenue_account"))
    }

    /// The document layout with its source.
    #[napi(getter, js_name = "layout", ts_return_type = "Assigned<string> | null")]
    pub fn layout<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "layout"))
    }

    /// The value assigned to `name` with its source (`{value, source}`), or
    /// `null`: `class1`..`class8`, `type`, `group`, `price_group`,
    /// `vat_zone`, `b2b`, `receivables_account`, `revenue_account`, `layout`.
    #[napi(ts_return_type = "Assigned | null")]
    pub fn get<'env>(&self, env: &'env Env, name: String) -> Result<Unknown<'env>> {
        guard(env, || {
            let value = ResultField::parse(&name).and_then(|field| self.inner.field(field));
            conv::to_object(env, &value)
        })
    }

    /// The customer with the assigned slots, type, group and price group
    /// written onto it.
    #[napi(ts_return_type = "Customer")]
    pub fn apply(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<JsCustomer> {
        guard(&env, || {
            let customer = conv::customer(&env, customer)?;
            Ok(JsCustomer {
                inner: self.inner.apply(&customer),
            })
        })
    }
}

/// What re-running the rules would change on a customer.
#[napi(js_name = "Reclassification")]
#[derive(Debug)]
pub struct JsReclassification {
    inner: Reclassification,
}

#[napi]
impl JsReclassification {
    /// The customer's id.
    #[napi(getter)]
    pub fn customer(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.customer.0.clone()))
    }

    /// The values that change, in result order; empty when none.
    #[napi(getter, ts_return_type = "Change[]")]
    pub fn changes<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::to_object(env, &self.inner.changes))
    }

    /// The full new classification.
    #[napi(getter)]
    pub fn classification(&self, env: &Env) -> Result<JsClassification> {
        guard(env, || {
            Ok(JsClassification {
                inner: self.inner.classification.clone(),
            })
        })
    }
}

/// The price of one order line, and why: net unit price, discount, line
/// total (decimals as strings), the rule that set it and, from
/// `Engine#price`, every price rule's verdict.
#[napi(js_name = "Quote")]
#[derive(Debug)]
pub struct JsQuote {
    inner: Quote,
}

/// Every field of the object form as a property, named as there, so that
/// `quote.net_price` reads like `quote.toObject().net_price`.
#[napi]
impl JsQuote {
    /// The unit price before any rule (a decimal string).
    #[napi(getter, js_name = "list_price", ts_return_type = "string")]
    pub fn list_price<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "list_price"))
    }

    /// The unit price after the rules, rounded to the currency's minor units.
    #[napi(getter, js_name = "net_price", ts_return_type = "string")]
    pub fn net_price<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "net_price"))
    }

    /// `list_price - net_price` per unit.
    #[napi(getter, js_name = "discount_amount", ts_return_type = "string")]
    pub fn discount_amount<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "discount_amount"))
    }

    /// The discount as a percentage of the list price, to two decimals.
    #[napi(getter, js_name = "discount_percent", ts_return_type = "string")]
    pub fn discount_percent<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "discount_percent"))
    }

    /// How many units.
    #[napi(getter, js_name = "quantity", ts_return_type = "string")]
    pub fn quantity<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "quantity"))
    }

    /// `net_price × quantity`, rounded.
    #[napi(getter, js_name = "line_total", ts_return_type = "string")]
    pub fn line_total<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "line_total"))
    }

    /// The currency of every amount.
    #[napi(getter, js_name = "currency", ts_return_type = "string")]
    pub fn currency<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "currency"))
    }

    /// The rule that set the price, or `null` when none applied.
    #[napi(getter, js_name = "rule", ts_return_type = "string | null")]
    pub fn rule<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "rule"))
    }

    /// The stackable rules applied on top, in declaration order.
    #[napi(getter, js_name = "stacked", ts_return_type = "string[]")]
    pub fn stacked<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "stacked"))
    }

    /// Why, in words: the chosen rule's description and the stacked ones' (`15% off for price group TRADE, item group PARTS`), or `no price rule applies: list price`.
    #[napi(getter, js_name = "reason", ts_return_type = "string")]
    pub fn reason<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "reason"))
    }

    /// Every price rule with its verdict and the verdict in words (`Engine#price`), else `null`.
    #[napi(
        getter,
        js_name = "explanation",
        ts_return_type = "PriceVerdict[] | null"
    )]
    pub fn explanation<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::field(env, &self.inner, "explanation"))
    }
}

/// An ERP body of the customer in `customer`.
fn export(
    env: &Env,
    customer: Unknown,
    body: impl FnOnce(&Customer) -> std::result::Result<Exported, ConnectError>,
) -> Result<JsExported> {
    let customer = conv::customer(env, customer)?;
    let inner = body(&customer).map_err(|err| errors::connect(env, &err))?;
    Ok(JsExported { inner })
}

/// A webshop customer read from its platform's payload: the `customer`
/// (channel `webshop`, connector the platform, the platform's id as
/// `external_id`), the master-data `findings` on it (values are kept as the
/// shop sent them) and the `profile` that read it (`shopify/2025-01`).
#[napi(js_name = "Imported")]
#[derive(Debug)]
pub struct JsImported {
    inner: Imported,
}

#[napi]
impl JsImported {
    /// The customer, ready for `Engine#classify` or an ERP body.
    #[napi(getter, ts_return_type = "Customer")]
    pub fn customer(&self, env: &Env) -> Result<JsCustomer> {
        guard(env, || {
            Ok(JsCustomer {
                inner: self.inner.customer.clone(),
            })
        })
    }

    /// What the master-data checks find on it (`{field, code, message}`:
    /// `invalid_email`, `invalid_vat_number`, …).
    #[napi(getter, ts_return_type = "Finding[]")]
    pub fn findings<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::to_object(env, &self.inner.findings))
    }

    /// The profile that read the payload (`shopify/2025-01`,
    /// `woocommerce/wc-v3`, `magento/2`).
    #[napi(getter)]
    pub fn profile(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.profile.to_owned()))
    }
}

/// The body an ERP's API takes for one customer: `system`, `body` (a plain
/// object, as the ERP documents it) and `findings`.
#[napi(js_name = "Exported")]
#[derive(Debug)]
pub struct JsExported {
    inner: Exported,
}

#[napi]
impl JsExported {
    /// The ERP: `exact`, `economic` or `reviso`.
    #[napi(getter, ts_return_type = "ErpSystem")]
    pub fn system(&self, env: &Env) -> Result<String> {
        guard(env, || Ok(self.inner.system.to_owned()))
    }

    /// The JSON body for the ERP's API, as a plain object (send it with
    /// `JSON.stringify`).
    #[napi(getter, ts_return_type = "Record<string, unknown>")]
    pub fn body<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::to_object(env, &self.inner.body))
    }

    /// What the ERP will do differently from what the customer says.
    #[napi(getter, ts_return_type = "Finding[]")]
    pub fn findings<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        guard(env, || conv::to_object(env, &self.inner.findings))
    }
}

/// A platform's payload read by `read` with the options.
fn import(
    env: &Env,
    payload: Unknown,
    options: Option<Unknown>,
    read: fn(&str, &ImportOptions) -> std::result::Result<Imported, ConnectError>,
) -> Result<JsImported> {
    let options = conv::import_options(env, options)?;
    let payload = conv::payload(env, payload)?;
    let inner = read(&payload, &options).map_err(|err| errors::connect(env, &err))?;
    Ok(JsImported { inner })
}

/// A Shopify `customers/create` or `customers/update` webhook body (API
/// 2025-01 and later) as an `Imported`: `payload` is JSON text, the raw
/// body (a `Uint8Array` or `Buffer`) or the parsed object; `options.id` the
/// customer number to give it (the platform's id when missing). Throws a
/// `ConnectError` naming the payload's path (`wrong_shape`,
/// `missing_field`, `invalid_field`, `json_syntax`, `payload_too_large`).
#[napi(ts_return_type = "Imported")]
pub fn from_shopify(
    env: &Env,
    #[napi(ts_arg_type = "ShopPayload")] payload: Unknown,
    #[napi(ts_arg_type = "ImportOptions | null")] options: Option<Unknown>,
) -> Result<JsImported> {
    guard(env, || {
        import(env, payload, options, custclass::from_shopify)
    })
}

/// A WooCommerce REST `wc/v3` customer as an `Imported`, as `fromShopify`;
/// `options.vat_meta_keys` names the `meta_data` keys that hold the VAT
/// number, in order of preference (without it, the keys the common EU VAT
/// plugins use).
#[napi(js_name = "fromWooCommerce", ts_return_type = "Imported")]
pub fn from_woocommerce(
    env: &Env,
    #[napi(ts_arg_type = "ShopPayload")] payload: Unknown,
    #[napi(ts_arg_type = "ImportOptions | null")] options: Option<Unknown>,
) -> Result<JsImported> {
    guard(env, || {
        import(env, payload, options, custclass::from_woocommerce)
    })
}

/// A Magento 2 REST customer as an `Imported`, as `fromShopify`.
#[napi(ts_return_type = "Imported")]
pub fn from_magento(
    env: &Env,
    #[napi(ts_arg_type = "ShopPayload")] payload: Unknown,
    #[napi(ts_arg_type = "ImportOptions | null")] options: Option<Unknown>,
) -> Result<JsImported> {
    guard(env, || {
        import(env, payload, options, custclass::from_magento)
    })
}

/// Checks Shopify's `X-Shopify-Hmac-Sha256` header (`signature`; `null` or
/// `undefined` when the request has none) against the raw request body
/// under the app's secret (each a `Uint8Array`/`Buffer`, or a string as
/// UTF-8), in constant time. Throws a `ConnectError` (`missing_signature`,
/// `invalid_signature`). Verify the bytes as received, before parsing them.
#[napi]
pub fn verify_shopify_webhook(
    env: &Env,
    #[napi(ts_arg_type = "string | Uint8Array")] body: conv::Data,
    #[napi(ts_arg_type = "string | Uint8Array")] secret: conv::Data,
    signature: Option<String>,
) -> Result<()> {
    guard(env, || {
        let (body, secret) = (conv::bytes(body), conv::bytes(secret));
        custclass::verify_shopify_webhook(&body, &secret, signature.as_deref())
            .map_err(|err| errors::connect(env, &err))
    })
}

/// Checks WooCommerce's `X-WC-Webhook-Signature` header against the raw
/// request body under the webhook's secret, as `verifyShopifyWebhook`.
#[napi(js_name = "verifyWooCommerceWebhook")]
pub fn verify_woocommerce_webhook(
    env: &Env,
    #[napi(ts_arg_type = "string | Uint8Array")] body: conv::Data,
    #[napi(ts_arg_type = "string | Uint8Array")] secret: conv::Data,
    signature: Option<String>,
) -> Result<()> {
    guard(env, || {
        let (body, secret) = (conv::bytes(body), conv::bytes(secret));
        custclass::verify_woocommerce_webhook(&body, &secret, signature.as_deref())
            .map_err(|err| errors::connect(env, &err))
    })
}

/// Groups of customers (an array of plain objects, or its JSON text) that
/// look like one: `{reason, key, rows}`, `reason` being `email`,
/// `vat_number`, `address` or, when `similarNames` (Jaro-Winkler, 0 to 1)
/// is given, `name`; `rows` are places in the array. Throws a
/// `CustomerError` naming the customer's place (`$[3].email`).
#[napi(ts_return_type = "DuplicateGroup[]")]
pub fn find_duplicates<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "CustomerObject[] | string")] customers: Unknown,
    similar_names: Option<f64>,
) -> Result<Unknown<'env>> {
    guard(env, || {
        let table = CustomerTable::from_customers(&conv::customers(env, customers)?);
        conv::to_object(env, &table.duplicates(similar_names))
    })
}

/// A phone number's forms, read as dialled in `country` (an ISO code such
/// as `'NL'`; any country when the number starts with `+`): `e164`
/// (`'+31201234567'`, for storage), `national`, `international` and the
/// number's `country`. Throws a `CustomerError`: `invalid_phone` saying
/// what is wrong with the number, `invalid_field` for a country that is
/// no ISO code.
#[napi(ts_return_type = "PhoneFormats")]
pub fn format_phone<'env>(
    env: &'env Env,
    number: String,
    country: Option<String>,
) -> Result<Unknown<'env>> {
    guard(env, || {
        let formats = custclass::PhoneFormats::of(&number, country.as_deref())
            .map_err(|err| errors::customer(env, &err))?;
        conv::to_object(env, &formats)
    })
}

/// Every error code the core can raise, each with its concern (`setup`,
/// `expression`, `customer`, `pricing`, `table`, `connect`): the catalogue
/// tests iterate.
#[napi(ts_return_type = "{ concern: string; code: string }[]")]
pub fn error_codes<'env>(env: &'env Env) -> Result<Unknown<'env>> {
    guard(env, || conv::to_object(env, &custclass::all_codes()))
}

/// An expression (a rule's condition or a segment) in its canonical form:
/// keywords in lower case, one space between tokens, parentheses only where
/// the grouping needs them. The result parses to the same expression.
/// Throws an `ExpressionError` for text that doesn't parse; the setup isn't
/// consulted, so field names aren't checked.
#[napi]
pub fn format_expression(env: &Env, text: String) -> Result<String> {
    guard(env, || {
        custclass::format_expression(&text).map_err(|err| errors::expression(env, &err))
    })
}

/// The customers on file (an array of plain objects, or its JSON text), to
/// check new ones against as they are entered.
#[napi(js_name = "DuplicateIndex")]
#[derive(Debug)]
pub struct JsDuplicateIndex {
    inner: DuplicateIndex,
}

#[napi]
impl JsDuplicateIndex {
    /// Indexes the customers on file. Throws a `CustomerError`.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        #[napi(ts_arg_type = "CustomerObject[] | string")] customers: Unknown,
    ) -> Result<JsDuplicateIndex> {
        guard(&env, || {
            let table = CustomerTable::from_customers(&conv::customers(&env, customers)?);
            Ok(JsDuplicateIndex {
                inner: table.duplicate_index(),
            })
        })
    }

    /// The customers on file that `customer` may be (`duplicate_email`,
    /// `duplicate_vat_number`, `duplicate_address` findings); a customer
    /// with the same id doesn't count.
    #[napi(ts_return_type = "Finding[]")]
    pub fn check<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "CustomerInput")] customer: Unknown,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let customer = conv::customer(env, customer)?;
            conv::to_object(env, &self.inner.check(&customer))
        })
    }
}

/// The core's options for `readCsv`'s `options` (`{encoding}`), or the
/// encoding they name that is none.
fn csv_options(
    env: &Env,
    options: Option<Unknown>,
) -> Result<std::result::Result<custclass::customer_file::CsvOptions, UnknownEncoding>> {
    let mut core = custclass::customer_file::CsvOptions::default();
    if let Some(label) = conv::encoding(env, options)? {
        match label.parse() {
            Ok(encoding) => core = core.encoding(encoding),
            Err(err) => return Ok(Err(err)),
        }
    }
    Ok(Ok(core))
}

/// Reads customers from CSV (`;`, `,` or tab, sniffed from the header): one
/// row object per data row, `{line, customer}` or `{line, errors}`.
/// `options.encoding` names the encoding of a file without a byte-order
/// mark (`'windows-1252'`, `'latin1'`, `'utf-16le'`, …; UTF-8 when not
/// given). A bad header or an unknown encoding throws a `TableError`.
#[napi(ts_return_type = "Row[]")]
pub fn read_csv<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "string | Uint8Array")] data: conv::Data,
    #[napi(ts_arg_type = "CsvOptions | null")] options: Option<Unknown>,
) -> Result<Unknown<'env>> {
    guard(env, || {
        let options = csv_options(env, options)?.map_err(|err| errors::encoding(env, &err))?;
        let rows = read_rows(&conv::bytes(data), Some(&options)).map_err(FileError::Table);
        ReadRows::rows(env, rows)
    })
}

/// Reads customers from JSON lines (one object per line; blank lines are
/// skipped): one row object per customer, `{line, customer}` or
/// `{line, errors}`.
#[napi(ts_return_type = "Row[]")]
pub fn read_json_lines<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "string | Uint8Array")] data: conv::Data,
) -> Result<Unknown<'env>> {
    guard(env, || {
        let rows = read_rows(&conv::bytes(data), None).map_err(FileError::Table);
        ReadRows::rows(env, rows)
    })
}

/// As `readCsv`, reading off the event loop. Rejects with a `TableError`
/// (an unknown encoding too); throws a `TypeError` for options that are no
/// object.
#[napi(ts_return_type = "Promise<Row[]>")]
pub fn read_csv_async(
    env: &Env,
    #[napi(ts_arg_type = "string | Uint8Array")] data: conv::Data,
    #[napi(ts_arg_type = "CsvOptions | null")] options: Option<Unknown>,
) -> Result<AsyncTask<ReadRows>> {
    guard(env, || {
        let options = csv_options(env, options)?;
        Ok(AsyncTask::new(ReadRows::csv(conv::bytes(data), options)))
    })
}

/// As `readJsonLines`, reading off the event loop.
#[napi(ts_return_type = "Promise<Row[]>")]
pub fn read_json_lines_async(
    env: &Env,
    #[napi(ts_arg_type = "string | Uint8Array")] data: conv::Data,
) -> Result<AsyncTask<ReadRows>> {
    guard(env, || {
        Ok(AsyncTask::new(ReadRows::json_lines(conv::bytes(data))))
    })
}

/// Why a customer file can't be read as a whole: both are `TableError`s
/// in JS.
#[derive(Debug)]
pub enum FileError {
    /// A bad header, a failing read.
    Table(TableError),
    /// The encoding option names none.
    Encoding(UnknownEncoding),
}

/// Reads a customer file into the canonical JSON of its rows
/// (`readCsvAsync`, `readJsonLinesAsync`).
#[derive(Debug)]
pub struct ReadRows {
    bytes: Vec<u8>,
    /// CSV's options, or the encoding they name that is none (the promise
    /// rejects with it); `None` for JSON lines.
    csv: Option<std::result::Result<custclass::customer_file::CsvOptions, UnknownEncoding>>,
    panicked: Option<InternalError>,
}

impl ReadRows {
    fn csv(
        bytes: Vec<u8>,
        options: std::result::Result<custclass::customer_file::CsvOptions, UnknownEncoding>,
    ) -> ReadRows {
        ReadRows {
            bytes,
            csv: Some(options),
            panicked: None,
        }
    }

    fn json_lines(bytes: Vec<u8>) -> ReadRows {
        ReadRows {
            bytes,
            csv: None,
            panicked: None,
        }
    }

    fn rows(env: &Env, rows: std::result::Result<String, FileError>) -> Result<Unknown<'_>> {
        let text = rows.map_err(|err| match err {
            FileError::Table(err) => errors::table(env, &err),
            FileError::Encoding(err) => errors::encoding(env, &err),
        })?;
        conv::parse_json(env, &text)
    }
}

/// The canonical JSON array of a customer file's rows (CSV with `csv`'s
/// options, or JSON lines), or the table error.
fn read_rows(
    input: &[u8],
    csv: Option<&custclass::customer_file::CsvOptions>,
) -> std::result::Result<String, TableError> {
    let rows: Vec<_> = match csv {
        Some(options) => CsvCustomers::with_options(input, options)?
            .map(|row| row_json(&row))
            .collect(),
        None => JsonLinesCustomers::new(input)
            .map(|row| row_json(&row))
            .collect(),
    };
    // Canonical already: a `Value`'s keys are sorted (what
    // `canonical::to_string` would do, without copying every row again).
    Ok(serde_json::Value::Array(rows).to_string())
}

impl<'task> ScopedTask<'task> for ReadRows {
    type Output = std::result::Result<String, FileError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        let (bytes, csv) = (&self.bytes, &self.csv);
        errors::guard_compute(&mut self.panicked, || {
            Ok(match csv {
                Some(Err(err)) => Err(FileError::Encoding(err.clone())),
                Some(Ok(options)) => read_rows(bytes, Some(options)).map_err(FileError::Table),
                None => read_rows(bytes, None).map_err(FileError::Table),
            })
        })
    }

    fn reject(&mut self, env: &'task Env, err: napi::Error) -> Result<Unknown<'task>> {
        Err(errors::rejected(env, &mut self.panicked, err))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Unknown<'task>> {
        ReadRows::rows(env, output)
    }
}

/// Panics with `message` inside the guard every exported function has: how
/// the tests see a bug reach JS as an `InternalError` and the process go
/// on, since the core has no panic left to trigger. Not part of the API.
#[napi(js_name = "__panic", skip_typescript)]
#[allow(clippy::panic, reason = "the one deliberate panic, for the tests")]
pub fn panic_for_tests(env: &Env, message: String) -> Result<()> {
    guard(env, || std::panic::panic_any(message))
}

/// `{CustclassError, SetupError, …}`: the error classes of types/errors.js,
/// which the package exports (bindings-node/main.js) and the addon throws.
#[napi(js_name = "__errorClasses", skip_typescript)]
pub fn error_classes(env: &Env) -> Result<Object<'_>> {
    guard(env, || errors::classes(env))
}

/// As `__panic`, in a task's `compute` off the event loop: the promise
/// rejects with an `InternalError`.
#[napi(js_name = "__panicAsync", skip_typescript)]
pub fn panic_async_for_tests(env: &Env, message: String) -> Result<AsyncTask<PanicForTests>> {
    guard(env, || {
        Ok(AsyncTask::new(PanicForTests {
            message: Some(message),
            panicked: None,
        }))
    })
}

/// The task of `__panicAsync`.
#[derive(Debug)]
pub struct PanicForTests {
    message: Option<String>,
    panicked: Option<InternalError>,
}

impl<'task> ScopedTask<'task> for PanicForTests {
    type Output = ();
    type JsValue = ();

    #[allow(clippy::panic, reason = "the one deliberate panic, for the tests")]
    fn compute(&mut self) -> Result<()> {
        let message = self.message.take().unwrap_or_default();
        errors::guard_compute(&mut self.panicked, || std::panic::panic_any(message))
    }

    fn resolve(&mut self, _env: &'task Env, output: ()) -> Result<()> {
        Ok(output)
    }

    fn reject(&mut self, env: &'task Env, err: napi::Error) -> Result<()> {
        Err(errors::rejected(env, &mut self.panicked, err))
    }
}

plain_forms!(
    JsSetup,
    "SetupObject",
    "The setup as plain data (`JSON.parse` of `toJson()`).",
    "The setup as canonical JSON: keys sorted, no whitespace, decimals as strings."
);
plain_forms!(
    JsCustomer,
    "CustomerObject",
    "The customer as plain data (`JSON.parse` of `toJson()`).",
    "The customer as canonical JSON: keys sorted, no whitespace, decimals as strings."
);
plain_forms!(
    JsClassification,
    "ClassificationObject",
    "The classification as plain data (`JSON.parse` of `toJson()`).",
    "The classification as canonical JSON: keys sorted, no whitespace."
);
plain_forms!(
    JsReclassification,
    "ReclassificationObject",
    "The reclassification as plain data (`JSON.parse` of `toJson()`).",
    "The reclassification as canonical JSON: keys sorted, no whitespace."
);
plain_forms!(
    JsQuote,
    "QuoteObject",
    "The quote as plain data (`JSON.parse` of `toJson()`; decimals as strings).",
    "The quote as canonical JSON: keys sorted, no whitespace, decimals as strings."
);
plain_forms!(
    JsImported,
    "ImportedObject",
    "The import as plain data (`JSON.parse` of `toJson()`).",
    "The import as canonical JSON: keys sorted, no whitespace."
);
plain_forms!(
    JsExported,
    "ExportedObject",
    "The export as plain data (`JSON.parse` of `toJson()`).",
    "The export as canonical JSON: keys sorted, no whitespace."
);
