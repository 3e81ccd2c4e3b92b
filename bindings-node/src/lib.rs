//! Node.js binding of custclass (napi-rs): the exported surface, one call
//! into the core each. Conversions live in `conv`, errors in `errors`.

// Library code indexes only through `get`: an index out of bounds would be a
// panic in the host. (Tests index freely: a failed index is a failed test.)
#![deny(clippy::indexing_slicing)]

use custclass::customer_file::{CsvCustomers, JsonLinesCustomers, row_json};
use custclass::{
    Classification, Customer, CustomerTable, DuplicateIndex, Engine, ErrorJson, InternalError,
    Quote, Reclassification, ResultField, Segment, SegmentSet, Setup, SetupError, TableError,
    UnknownEncoding, canonical,
};
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, BigInt, BigUint64Array, JsObjectValue, Object, Unknown};
use napi::{Env, JsValue, Result, ScopedTask, ValueType};
use napi_derive::napi;

mod conv;
mod errors;

use conv::Given;
use custclass::batch::{self, Batch, BatchError, Classified};
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
    /// `stacked`, `net_price` and `line_total` (decimal strings) per line;
    /// `errors` lists the lines that could not be priced. Throws a
    /// `TableError` for a batch that can't be read as a whole.
    #[napi(ts_return_type = "BatchResult")]
    pub fn price_many<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "LineBatch")] lines: Unknown,
        #[napi(ts_arg_type = "CustomerBatch")] customers: Option<Unknown>,
    ) -> Result<Unknown<'env>> {
        guard(env, || {
            let lines = conv::batch(env, lines)?;
            let customers = customers.map(|batch| conv::batch(env, batch)).transpose()?;
            batch_result(env, batch::price(&self.inner, lines, customers))
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

    /// As `classifyMany`, classifying on a libuv thread: the batch is made
    /// into JSON text first, on the event loop; reading and classifying it
    /// run off it, and the result's arrays are made on the event loop again.
    /// Rejects as `classifyMany` throws.
    #[napi(ts_return_type = "Promise<BatchResult>")]
    pub fn classify_many_async(
        &self,
        env: Env,
        #[napi(ts_arg_type = "CustomerBatch")] batch: Unknown,
    ) -> Result<AsyncTask<ClassifyMany>> {
        guard(&env, || {
            Ok(AsyncTask::new(ClassifyMany {
                engine: Arc::clone(&self.inner),
                batch: Some(conv::batch(&env, batch)),
                panicked: None,
            }))
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

    /// Compiles a segment query (the language of rule conditions). Throws an
    /// `ExpressionError` with the offset of the problem.
    #[napi(ts_return_type = "Segment")]
    pub fn segment(&self, env: Env, expression: String) -> Result<JsSegment> {
        guard(&env, || {
            let inner = self
                .inner
                .segment(&expression)
                .map_err(|err| errors::expression(&env, &err))?;
            Ok(JsSegment { inner })
        })
    }

    /// Compiles named segments evaluated together, in one pass over a
    /// batch: an object of name → expression (in its key order) or an
    /// array of `[name, expression]` pairs; segment *i* is bit *i* of a
    /// row's mask. At most 64. Throws an `ExpressionError`
    /// (`invalid_segment`, with the `segment` and the expression's own
    /// `error`; `duplicate_segment`; `too_many_segments`).
    #[napi(ts_return_type = "SegmentSet")]
    pub fn segment_set(
        &self,
        env: Env,
        #[napi(ts_arg_type = "SegmentDefinitions")] segments: Unknown,
    ) -> Result<JsSegmentSet> {
        guard(&env, || {
            let segments = conv::segments(&env, segments)?;
            let inner = self
                .inner
                .segment_set(segments)
                .map_err(|err| errors::expression(&env, &err))?;
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

/// Classifies a batch off the event loop (`Engine#classifyManyAsync`).
#[derive(Debug)]
pub struct ClassifyMany {
    engine: Arc<Engine>,
    /// The batch, or the `TypeError` reading it gave (the promise rejects
    /// with it); taken by `compute`.
    batch: Option<Result<Batch>>,
    panicked: Option<InternalError>,
}

impl<'task> ScopedTask<'task> for ClassifyMany {
    type Output = std::result::Result<Classified, BatchError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        let (engine, batch) = (&self.engine, self.batch.take());
        errors::guard_compute(&mut self.panicked, || match batch {
            Some(batch) => Ok(batch::classify(engine, batch?)),
            None => Err(napi::Error::from_reason("the batch was classified already")),
        })
    }

    fn reject(&mut self, env: &'task Env, err: napi::Error) -> Result<Unknown<'task>> {
        Err(errors::rejected(env, &mut self.panicked, err))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Unknown<'task>> {
        batch_result(env, output)
    }
}

/// `{columns: {name: values}, errors}` of a classified batch, or the error
/// of a batch that can't be read.
fn batch_result(
    env: &Env,
    result: std::result::Result<Classified, BatchError>,
) -> Result<Unknown<'_>> {
    let classified = result.map_err(|err| batch_error(env, &err))?;
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
    Ok(result.to_unknown())
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
    /// read are in no segment and listed in `errors`. Throws as
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

/// Groups of customers (an array of plain objects, or its JSON text) that
/// look like one: `{reason, key, rows}`, `reason` being `email`,
/// `vat_number`, `address` or, when `similarNames` (Jaro-Winkler, 0 to 1)
/// is given, `name`; `rows` are places in the array. Throws a
/// `CustomerError` naming the customer's place (`$[3].email`).
#[napi(ts_return_type = "DuplicateGroup[]")]
pub fn find_duplicates<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Record<string, unknown>[] | string")] customers: Unknown,
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
/// `expression`, `customer`, `pricing`, `table`): the catalogue tests iterate.
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
        #[napi(ts_arg_type = "Record<string, unknown>[] | string")] customers: Unknown,
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
    "Record<string, unknown>",
    "The setup as plain data (`JSON.parse` of `toJson()`).",
    "The setup as canonical JSON: keys sorted, no whitespace, decimals as strings."
);
plain_forms!(
    JsCustomer,
    "Record<string, unknown>",
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
