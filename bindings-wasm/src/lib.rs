//! WebAssembly binding of custclass for browsers, bundlers and Node
//! (wasm-bindgen; npm package `custclass-wasm`).
//!
//! Every export is a one-line call into the core: `conv` turns JS values
//! into core values and back, `errors` turns core errors into JS `Error`s
//! whose `name` is the concern, with `code` and `data`.

// Library code indexes only through `get`: an index out of bounds would be a
// panic in the host. (Tests index freely: a failed index is a failed test.)
#![deny(clippy::indexing_slicing)]

mod bulk;
mod conv;
mod errors;

use custclass::customer_file::{CsvCustomers, CsvOptions, JsonLinesCustomers, row_json};
use custclass::{
    Classification, ConnectError, Customer, CustomerTable, DuplicateIndex, Engine, ErrorJson,
    Exported, ImportOptions, Imported, Quote, Reclassification, ResultField, Segment, SegmentSet,
    Setup,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The data shapes both JavaScript packages share (`types/data.d.ts`).
#[wasm_bindgen(typescript_custom_section)]
const DATA_TYPES: &'static str = include_str!("../../types/data.d.ts");

/// A validated, compiled setup that classifies customers.
#[wasm_bindgen(js_name = Engine)]
#[derive(Debug)]
pub struct JsEngine {
    inner: Engine,
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// Validates and compiles a setup. Throws a `SetupError` listing every
    /// problem.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SetupInput")] setup: &JsValue,
    ) -> Result<JsEngine, JsValue> {
        let setup = conv::setup(setup, "setup")?.map_err(errors::setup)?;
        Engine::new(setup)
            .map(|inner| JsEngine { inner })
            .map_err(errors::setup)
    }

    /// The setup this engine was built from.
    #[wasm_bindgen(getter)]
    pub fn setup(&self) -> JsSetup {
        JsSetup {
            inner: self.inner.setup().clone(),
        }
    }

    /// The label of slot `slot` (1 to 8), or `null` when the setup
    /// doesn't define it (as in Node).
    #[wasm_bindgen(js_name = slotLabel, unchecked_return_type = "string | null")]
    pub fn slot_label(&self, slot: usize) -> JsValue {
        self.inner
            .slot_label(slot)
            .map_or(JsValue::NULL, JsValue::from_str)
    }

    /// Classifies a new customer, as of its `created_at` day, or as of `on`
    /// (`YYYY-MM-DD`). Throws a `CustomerError`.
    pub fn classify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
        on: Option<String>,
    ) -> Result<JsClassification, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        let result = match on {
            None => self.inner.classify(&customer),
            Some(day) => self.inner.classify_on(&customer, conv::day(&day)?),
        };
        result
            .map(|inner| JsClassification { inner })
            .map_err(errors::customer)
    }

    /// Re-runs the rules on an existing customer and lists what changes.
    /// With `previous`, the classification the customer had (a
    /// `Classification`, its plain object or JSON text, as stored), every
    /// value that changes is listed with its value and source before and
    /// after, and stored values the engine computed follow the new setup.
    /// Throws a `CustomerError`.
    pub fn reclassify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Classification | ClassificationObject | string")]
        previous: Option<JsValue>,
    ) -> Result<JsReclassification, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        let result = match previous.filter(|p| !p.is_undefined()) {
            Some(previous) => {
                let previous =
                    conv::classification(&previous, "previous")?.map_err(errors::customer)?;
                self.inner.reclassify_since(&customer, &previous)
            }
            None => self.inner.reclassify(&customer),
        };
        let inner = result.map_err(errors::customer)?;
        Ok(JsReclassification { inner })
    }

    /// The setup's fingerprint (64 hex digits), which every classification
    /// and change carries.
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_string()
    }

    /// Prices one line for a customer, with the verdict of every price rule
    /// (`explanation`), so a shop can say why. Throws a `CustomerError`
    /// (the customer can't be read) or a `PricingError`.
    pub fn price(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "PriceRequestInput")] request: &JsValue,
    ) -> Result<JsQuote, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        let request = conv::request(request, "request")?.map_err(errors::pricing)?;
        let inner = self
            .inner
            .price(&customer, &request)
            .map_err(errors::pricing)?;
        Ok(JsQuote { inner })
    }

    /// Prices the lines of one order for a customer, in order and without
    /// explanations (cheaper than `price` per line). Throws a
    /// `CustomerError` or a `PricingError` whose `data.line` is the bad line.
    #[wasm_bindgen(js_name = priceLines)]
    pub fn price_lines(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "PriceRequestsInput")] requests: &JsValue,
    ) -> Result<Vec<JsQuote>, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        let requests = conv::requests(requests, "requests")?.map_err(errors::pricing)?;
        let quotes = self
            .inner
            .price_lines(&customer, &requests)
            .map_err(errors::pricing)?;
        Ok(quotes.into_iter().map(|inner| JsQuote { inner }).collect())
    }

    /// Classifies a batch of customers in one call: an array of customer
    /// objects, an object of equally long column arrays named as in the
    /// customer file (`id`, `country`, `class1`, `attr.turnover`, …), or
    /// the JSON text of either. `columns` has one value per input row, in
    /// order (`null` where a row has no result); `errors` lists the rows
    /// that could not be read or classified, the others go on. Throws a
    /// `TableError` for columns that can't be read as a whole
    /// (`unknown_column`, `missing_column`, `column_type`, `column_length`,
    /// …) and a `CustomerError` (`json_syntax`) for an array that isn't
    /// JSON.
    #[wasm_bindgen(js_name = classifyMany, unchecked_return_type = "BatchResult")]
    pub fn classify_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerBatch")] batch: &JsValue,
    ) -> Result<JsValue, JsValue> {
        bulk::classify(&self.inner, conv::batch(batch, "batch")?)
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
    #[wasm_bindgen(js_name = priceMany, unchecked_return_type = "PricedBatch")]
    pub fn price_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LineBatch")] lines: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "CustomerBatch | null")] customers: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "PriceManyOptions | null")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let lines = conv::batch(lines, "lines")?;
        let customers = match customers.filter(|batch| !batch.is_null()) {
            None => None,
            Some(batch) => Some(conv::batch(&batch, "customers")?),
        };
        let options = options.unwrap_or(JsValue::UNDEFINED);
        bulk::price(&self.inner, lines, customers, &conv::explain(&options)?)
    }

    /// Every problem on the customer's card, as `Customer#check` finds them,
    /// plus payment terms the setup doesn't list (`unknown_payment_terms`)
    /// or keeps only for history (`inactive_payment_terms`). Throws a
    /// `CustomerError` for a customer that can't be read.
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        conv::to_object(&self.inner.check(&customer))
    }

    /// The customer (a `Customer`, a plain object or a JSON string),
    /// classified, as the body of Exact Online's `crm/Accounts`: an
    /// `Exported` whose `body` is a plain object. Throws a `ConnectError`
    /// (`unmapped_value` naming the setup's `erp` path that lacks a
    /// mapping, `missing_value`, `value_too_long`, `invalid_customer`), a
    /// `CustomerError` for a customer that can't be read.
    #[wasm_bindgen(js_name = toExact)]
    pub fn to_exact(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<JsExported, JsValue> {
        export(customer, |customer| self.inner.to_exact(customer))
    }

    /// The customer, classified, as the body of e-conomic's `POST
    /// /customers`. Throws as `toExact`.
    #[wasm_bindgen(js_name = toEconomic)]
    pub fn to_economic(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<JsExported, JsValue> {
        export(customer, |customer| self.inner.to_economic(customer))
    }

    /// The customer, classified, as the body of Reviso's `POST /customers`.
    /// Throws as `toExact`.
    #[wasm_bindgen(js_name = toReviso)]
    pub fn to_reviso(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<JsExported, JsValue> {
        export(customer, |customer| self.inner.to_reviso(customer))
    }

    /// Compiles a segment query (the language of rule conditions). For the
    /// classification targets (`class.<label>`, `type`, `group`,
    /// `price_group`, accounts) it tests the values a customer has once
    /// classified, given or assigned by the rules and defaults;
    /// `{stored: true}` tests the values on the record only. Throws an
    /// `ExpressionError`.
    pub fn segment(
        &self,
        expression: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "SegmentOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<JsSegment, JsValue> {
        let compiled = match conv::stored(options)? {
            true => self.inner.segment_stored(expression),
            false => self.inner.segment(expression),
        };
        let inner = compiled.map_err(errors::expression)?;
        Ok(JsSegment { inner })
    }

    /// Compiles named segments evaluated together, in one pass over a
    /// batch: an object of name → expression (in its key order) or an
    /// array of `[name, expression]` pairs; segment *i* is bit *i* of a
    /// row's mask. At most 64. Targets are tested classified, as in
    /// `Engine#segment`, unless `{stored: true}`. Throws an `ExpressionError`
    /// (`invalid_segment`, with the `segment` and the expression's own
    /// `error`; `duplicate_segment`; `too_many_segments`).
    #[wasm_bindgen(js_name = segmentSet)]
    pub fn segment_set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SegmentDefinitions")] segments: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SegmentOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<JsSegmentSet, JsValue> {
        let segments = conv::segments(segments)?;
        let compiled = match conv::stored(options)? {
            true => self.inner.segment_set_stored(segments),
            false => self.inner.segment_set(segments),
        };
        let inner = compiled.map_err(errors::expression)?;
        Ok(JsSegmentSet { inner })
    }
}

/// Named segments evaluated together: `engine.segmentSet({dutch: "country
/// = 'NL'", all: 'true'})`. Over a batch in one pass, with the tests the
/// segments share answered once; each row's answer is a mask, bit *i* set
/// when the row is in segment *i*.
#[wasm_bindgen(js_name = SegmentSet)]
#[derive(Debug)]
pub struct JsSegmentSet {
    inner: SegmentSet,
}

#[wasm_bindgen(js_class = SegmentSet)]
impl JsSegmentSet {
    /// The segments' names, in order (name *i* is bit *i*).
    #[wasm_bindgen(getter)]
    pub fn names(&self) -> Vec<String> {
        self.inner.names().map(str::to_owned).collect()
    }

    /// The segments' expressions as written, in order.
    #[wasm_bindgen(getter)]
    pub fn expressions(&self) -> Vec<String> {
        self.inner.expressions().map(str::to_owned).collect()
    }

    /// How many segments the set holds.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// The customer's mask (a bigint): bit *i* set when it is in segment
    /// *i*. Throws a `CustomerError`.
    pub fn mask(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<u64, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        self.inner.mask(&customer).map_err(errors::customer)
    }

    /// The names of the segments whose bits `mask` (a bigint) sets, in
    /// order. Throws a `RangeError` for a mask below 0 or past 64 bits.
    #[wasm_bindgen(js_name = namesIn)]
    pub fn names_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "bigint")] mask: &JsValue,
    ) -> Result<Vec<String>, JsValue> {
        if !mask.is_bigint() {
            return Err(errors::type_error("mask must be a bigint"));
        }
        let mask = u64::try_from(mask.clone())
            .map_err(|_| errors::range_error("a mask is a bigint from 0 to 2n ** 64n - 1n"))?;
        Ok(self.inner.names_in(mask).map(str::to_owned).collect())
    }

    /// Every row of a batch (as `Engine#classifyMany` takes it) against
    /// every segment, in one pass: `masks` (a `BigUint64Array`, one per
    /// input row, 0 for a row that can't be read), `counts` (name → rows)
    /// and `errors`. Throws as `Engine#classifyMany` does.
    #[wasm_bindgen(unchecked_return_type = "SegmentMasks")]
    pub fn masks(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerBatch")] batch: &JsValue,
    ) -> Result<JsValue, JsValue> {
        bulk::segment_masks(&self.inner, conv::batch(batch, "batch")?, true)
    }

    /// How many rows of a batch each segment holds: `counts` (name → rows,
    /// in the set's order) and `errors`, from one pass.
    #[wasm_bindgen(unchecked_return_type = "SegmentCounts")]
    pub fn counts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerBatch")] batch: &JsValue,
    ) -> Result<JsValue, JsValue> {
        bulk::segment_masks(&self.inner, conv::batch(batch, "batch")?, false)
    }

    /// The rows of a batch in the segment named `name`, as `Segment#filter`
    /// gives them. Throws a `RangeError` for a name the set lacks.
    #[wasm_bindgen(unchecked_return_type = "SegmentRows")]
    pub fn filter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerBatch")] batch: &JsValue,
        name: &str,
    ) -> Result<JsValue, JsValue> {
        let segment = self
            .inner
            .names()
            .position(|known| known == name)
            .ok_or_else(|| {
                errors::range_error(&format!("no segment of the set is named '{name}'"))
            })?;
        bulk::segment_rows(&self.inner, segment, conv::batch(batch, "batch")?)
    }
}

/// A compiled segment query.
#[wasm_bindgen(js_name = Segment)]
#[derive(Debug)]
pub struct JsSegment {
    inner: Segment,
}

#[wasm_bindgen(js_class = Segment)]
impl JsSegment {
    /// The expression as written.
    #[wasm_bindgen(getter)]
    pub fn expression(&self) -> String {
        self.inner.expression().to_owned()
    }

    /// Whether the customer belongs to the segment. Throws a `CustomerError`.
    pub fn matches(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<bool, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        self.inner.matches(&customer).map_err(errors::customer)
    }

    /// The rows of a batch (as `Engine#classifyMany` takes it) in the
    /// segment: `rows` are 0-based input rows, ascending; rows that can't be
    /// read or classified are in no segment and listed in `errors`;
    /// `warnings` names each column the segment tests that is empty in
    /// every row. Throws as
    /// `Engine#classifyMany` does.
    #[wasm_bindgen(unchecked_return_type = "SegmentRows")]
    pub fn filter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerBatch")] batch: &JsValue,
    ) -> Result<JsValue, JsValue> {
        bulk::filter(&self.inner, conv::batch(batch, "batch")?)
    }
}

/// A company's classification setup, read but not yet validated.
#[wasm_bindgen(js_name = Setup)]
#[derive(Debug)]
pub struct JsSetup {
    inner: Setup,
}

#[wasm_bindgen(js_class = Setup)]
impl JsSetup {
    /// Reads a setup from plain data or JSON text. Throws a `SetupError`
    /// (`json_syntax`, `json_unknown_field`, …) with the JSON path.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SetupInput")] source: &JsValue,
    ) -> Result<JsSetup, JsValue> {
        let inner = conv::setup(source, "source")?.map_err(errors::setup)?;
        Ok(JsSetup { inner })
    }

    /// Every problem of a setup (as in a thrown `SetupError`'s
    /// `data.problems`); `[]` when it is valid.
    #[wasm_bindgen(unchecked_return_type = "SetupProblem[]")]
    pub fn validate(
        #[wasm_bindgen(unchecked_param_type = "SetupInput")] source: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let checked = conv::setup(source, "source")?.and_then(|setup| setup.validate());
        let problems = checked.err().map(|err| err.problems).unwrap_or_default();
        conv::to_object(&problems.iter().map(ErrorJson::to_json).collect::<Value>())
    }

    /// The setup most companies start from, for a company in `homeCountry`
    /// (ISO 3166-1 alpha-2).
    pub fn standard(
        #[wasm_bindgen(js_name = homeCountry)] home_country: String,
    ) -> Result<JsSetup, JsValue> {
        Ok(JsSetup {
            inner: Setup::standard(conv::country(home_country)?),
        })
    }

    /// The setup as plain data.
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "SetupObject")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner)
    }

    /// The setup as canonical JSON text (keys sorted, no whitespace).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        custclass::canonical::to_string(&self.inner)
    }

    /// `JSON.stringify` support: the plain data.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SetupObject")]
    pub fn to_json_value(&self) -> Result<JsValue, JsValue> {
        self.to_object()
    }
}

/// One customer's master data.
#[wasm_bindgen(js_name = Customer)]
#[derive(Debug)]
pub struct JsCustomer {
    inner: Customer,
}

#[wasm_bindgen(js_class = Customer)]
impl JsCustomer {
    /// Reads a customer from plain data or JSON text. Throws a
    /// `CustomerError` naming the field.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] source: &JsValue,
    ) -> Result<JsCustomer, JsValue> {
        let inner = conv::customer(source, "source")?.map_err(errors::customer)?;
        Ok(JsCustomer { inner })
    }

    /// The customer number.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id.0.clone()
    }

    /// The customer with the person erased (name, contacts, street, phones,
    /// VAT number, EAN, text attributes) and what the books need kept.
    pub fn anonymise(&self) -> JsCustomer {
        JsCustomer {
            inner: self.inner.anonymise(),
        }
    }

    /// Every problem on the card (`{field, code, message}`: `invalid_email`,
    /// `invalid_vat_number`, `vat_country_mismatch`, `invalid_ean`,
    /// `negative_credit_limit`); empty for a clean card.
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn check(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner.check())
    }

    /// Whether the VAT number passes the offline check for its country:
    /// null without a number, or for one with no rule to check it by.
    #[wasm_bindgen(js_name = vatValid, unchecked_return_type = "boolean | null")]
    pub fn vat_valid(&self) -> JsValue {
        self.inner
            .vat_valid()
            .map_or(JsValue::NULL, JsValue::from_bool)
    }

    /// The customer with its e-mail addresses trimmed and their domains in
    /// lower case, and its EAN without spaces.
    pub fn normalised(&self) -> JsCustomer {
        JsCustomer {
            inner: self.inner.normalised(),
        }
    }

    /// The customer as plain data.
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "CustomerObject")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner)
    }

    /// The customer as canonical JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        custclass::canonical::to_string(&self.inner)
    }

    /// `JSON.stringify` support: the plain data.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "CustomerObject")]
    pub fn to_json_value(&self) -> Result<JsValue, JsValue> {
        self.to_object()
    }
}

/// Everything the engine decided about one customer, each value with its
/// provenance.
#[wasm_bindgen(js_name = Classification)]
#[derive(Debug)]
pub struct JsClassification {
    inner: Classification,
}

#[wasm_bindgen(js_class = Classification)]
impl JsClassification {
    /// The customer's id.
    #[wasm_bindgen(getter)]
    pub fn customer(&self) -> String {
        self.inner.customer.0.clone()
    }

    /// The fingerprint of the setup that decided it.
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint.to_string()
    }

    /// The slots assigned, `class1`..`class8`, each with its source.
    #[wasm_bindgen(getter = classes, unchecked_return_type = "ClassificationObject['classes']")]
    pub fn classes(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "classes")
    }

    /// The customer type with its source.
    #[wasm_bindgen(
        getter,
        js_name = "type",
        unchecked_return_type = "Assigned<string> | null"
    )]
    pub fn customer_type(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "type")
    }

    /// The customer group with its source.
    #[wasm_bindgen(getter = group, unchecked_return_type = "Assigned<string> | null")]
    pub fn group(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "group")
    }

    /// The price group with its source.
    #[wasm_bindgen(getter = price_group, unchecked_return_type = "Assigned<string> | null")]
    pub fn price_group(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "price_group")
    }

    /// The VAT zone with its source.
    #[wasm_bindgen(getter = vat_zone, unchecked_return_type = "Assigned<VatZone> | null")]
    pub fn vat_zone(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "vat_zone")
    }

    /// Whether the customer is a business, with its source.
    #[wasm_bindgen(getter = b2b, unchecked_return_type = "Assigned<boolean>")]
    pub fn b2b(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "b2b")
    }

    /// The receivables account with its source.
    #[wasm_bindgen(getter = receivables_account, unchecked_return_type = "Assigned<string> | null")]
    pub fn receivables_account(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "receivables_account")
    }

    /// The revenue account with its source.
    #[wasm_bindgen(getter = revenue_account, unchecked_return_type = "Assigned<string> | null")]
    pub fn revenue_account(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "revenue_account")
    }

    /// The document layout with its source.
    #[wasm_bindgen(getter = layout, unchecked_return_type = "Assigned<string> | null")]
    pub fn layout(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "layout")
    }

    /// The value assigned to `name` (`class1`..`class8`, `type`, `group`,
    /// `price_group`, `vat_zone`, `b2b`, `receivables_account`,
    /// `revenue_account`, `layout`) with its source, or `null` when none
    /// was, and for any other name.
    #[wasm_bindgen(unchecked_return_type = "Assigned | null")]
    pub fn get(&self, name: &str) -> Result<JsValue, JsValue> {
        conv::to_object(&ResultField::parse(name).and_then(|field| self.inner.field(field)))
    }

    /// The customer with the assigned slots, type, group and price group
    /// written onto it.
    pub fn apply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<JsCustomer, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        Ok(JsCustomer {
            inner: self.inner.apply(&customer),
        })
    }

    /// The classification as plain data.
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "ClassificationObject")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner)
    }

    /// The classification as canonical JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        custclass::canonical::to_string(&self.inner)
    }

    /// `JSON.stringify` support: the plain data.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ClassificationObject")]
    pub fn to_json_value(&self) -> Result<JsValue, JsValue> {
        self.to_object()
    }
}

/// What re-running the rules would change on a customer.
#[wasm_bindgen(js_name = Reclassification)]
#[derive(Debug)]
pub struct JsReclassification {
    inner: Reclassification,
}

#[wasm_bindgen(js_class = Reclassification)]
impl JsReclassification {
    /// The customer's id.
    #[wasm_bindgen(getter)]
    pub fn customer(&self) -> String {
        self.inner.customer.0.clone()
    }

    /// The values that would change, in target order; empty when none.
    #[wasm_bindgen(getter, unchecked_return_type = "Change[]")]
    pub fn changes(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner.changes)
    }

    /// The full new classification.
    #[wasm_bindgen(getter)]
    pub fn classification(&self) -> JsClassification {
        JsClassification {
            inner: self.inner.classification.clone(),
        }
    }

    /// The re-classification as plain data.
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "ReclassificationObject")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner)
    }

    /// The re-classification as canonical JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        custclass::canonical::to_string(&self.inner)
    }

    /// `JSON.stringify` support: the plain data.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ReclassificationObject")]
    pub fn to_json_value(&self) -> Result<JsValue, JsValue> {
        self.to_object()
    }
}

/// The price of one order line for one customer: net unit price, discount,
/// line total, the winning and stacked rules, and (from `Engine#price`)
/// every rule's verdict.
#[wasm_bindgen(js_name = Quote)]
#[derive(Debug)]
pub struct JsQuote {
    inner: Quote,
}

#[wasm_bindgen(js_class = Quote)]
impl JsQuote {
    /// The unit price before any rule (a decimal string).
    #[wasm_bindgen(getter = list_price, unchecked_return_type = "string")]
    pub fn list_price(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "list_price")
    }

    /// The unit price after the rules, rounded to the currency's minor units.
    #[wasm_bindgen(getter = net_price, unchecked_return_type = "string")]
    pub fn net_price(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "net_price")
    }

    /// `list_price - net_price` per unit.
    #[wasm_bindgen(getter = discount_amount, unchecked_return_type = "string")]
    pub fn discount_amount(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "discount_amount")
    }

    /// The discount as a percentage of the list price, to two decimals.
    #[wasm_bindgen(getter = discount_percent, unchecked_return_type = "string")]
    pub fn discount_percent(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "discount_percent")
    }

    /// How many units.
    #[wasm_bindgen(getter = quantity, unchecked_return_type = "string")]
    pub fn quantity(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "quantity")
    }

    /// `net_price × quantity`, rounded.
    #[wasm_bindgen(getter = line_total, unchecked_return_type = "string")]
    pub fn line_total(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "line_total")
    }

    /// The currency of every amount.
    #[wasm_bindgen(getter = currency, unchecked_return_type = "string")]
    pub fn currency(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "currency")
    }

    /// The rule that set the price, or `null` when none applied.
    #[wasm_bindgen(getter = rule, unchecked_return_type = "string | null")]
    pub fn rule(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "rule")
    }

    /// The stackable rules applied on top, in declaration order.
    #[wasm_bindgen(getter = stacked, unchecked_return_type = "string[]")]
    pub fn stacked(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "stacked")
    }

    /// Why, in words: the chosen rule's description and the stacked ones' (`15% off for price group TRADE, item group PARTS`), or `no price rule applies: list price`.
    #[wasm_bindgen(getter = reason, unchecked_return_type = "string")]
    pub fn reason(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "reason")
    }

    /// Every price rule with its verdict and the verdict in words (`Engine#price`), else `null`.
    #[wasm_bindgen(getter = explanation, unchecked_return_type = "PriceVerdict[] | null")]
    pub fn explanation(&self) -> Result<JsValue, JsValue> {
        conv::field(&self.inner, "explanation")
    }

    /// The quote as plain data (amounts as decimal strings).
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "QuoteObject")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner)
    }

    /// The quote as canonical JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        custclass::canonical::to_string(&self.inner)
    }

    /// `JSON.stringify` support: the plain data.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "QuoteObject")]
    pub fn to_json_value(&self) -> Result<JsValue, JsValue> {
        self.to_object()
    }
}

/// An ERP body of the customer in `customer`.
fn export(
    customer: &JsValue,
    body: impl FnOnce(&Customer) -> Result<Exported, ConnectError>,
) -> Result<JsExported, JsValue> {
    let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
    let inner = body(&customer).map_err(errors::connect)?;
    Ok(JsExported { inner })
}

/// A webshop customer read from its platform's payload: the `customer`
/// (channel `webshop`, connector the platform, the platform's id as
/// `external_id`), the master-data `findings` on it (values are kept as the
/// shop sent them) and the `profile` that read it (`shopify/2025-01`).
#[wasm_bindgen(js_name = Imported)]
#[derive(Debug)]
pub struct JsImported {
    inner: Imported,
}

#[wasm_bindgen(js_class = Imported)]
impl JsImported {
    /// The customer, ready for `Engine#classify` or an ERP body.
    #[wasm_bindgen(getter)]
    pub fn customer(&self) -> JsCustomer {
        JsCustomer {
            inner: self.inner.customer.clone(),
        }
    }

    /// What the master-data checks find on it (`{field, code, message}`:
    /// `invalid_email`, `invalid_vat_number`, …).
    #[wasm_bindgen(getter, unchecked_return_type = "Finding[]")]
    pub fn findings(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner.findings)
    }

    /// The profile that read the payload (`shopify/2025-01`,
    /// `woocommerce/wc-v3`, `magento/2`).
    #[wasm_bindgen(getter)]
    pub fn profile(&self) -> String {
        self.inner.profile.to_owned()
    }

    /// The import as plain data (`JSON.parse` of `toJson()`).
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "ImportedObject")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner)
    }

    /// The import as canonical JSON: keys sorted, no whitespace.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        custclass::canonical::to_string(&self.inner)
    }

    /// `toObject()`, so that `JSON.stringify` works.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ImportedObject")]
    pub fn to_json_value(&self) -> Result<JsValue, JsValue> {
        self.to_object()
    }
}

/// The body an ERP's API takes for one customer: `system`, `body` (a plain
/// object, as the ERP documents it) and `findings`.
#[wasm_bindgen(js_name = Exported)]
#[derive(Debug)]
pub struct JsExported {
    inner: Exported,
}

#[wasm_bindgen(js_class = Exported)]
impl JsExported {
    /// The ERP: `exact`, `economic` or `reviso`.
    #[wasm_bindgen(getter, unchecked_return_type = "ErpSystem")]
    pub fn system(&self) -> String {
        self.inner.system.to_owned()
    }

    /// The JSON body for the ERP's API, as a plain object (send it with
    /// `JSON.stringify`).
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, unknown>")]
    pub fn body(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner.body)
    }

    /// What the ERP will do differently from what the customer says.
    #[wasm_bindgen(getter, unchecked_return_type = "Finding[]")]
    pub fn findings(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner.findings)
    }

    /// The export as plain data (`JSON.parse` of `toJson()`).
    #[wasm_bindgen(js_name = toObject, unchecked_return_type = "ExportedObject")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        conv::to_object(&self.inner)
    }

    /// The export as canonical JSON: keys sorted, no whitespace.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        custclass::canonical::to_string(&self.inner)
    }

    /// `toObject()`, so that `JSON.stringify` works.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ExportedObject")]
    pub fn to_json_value(&self) -> Result<JsValue, JsValue> {
        self.to_object()
    }
}

/// A platform's payload read by `read` with the options.
fn import(
    payload: &JsValue,
    options: Option<JsValue>,
    read: fn(&str, &ImportOptions) -> Result<Imported, ConnectError>,
) -> Result<JsImported, JsValue> {
    let options = conv::import_options(options)?.map_err(errors::connect)?;
    let payload = conv::payload(payload)?;
    let inner = read(&payload, &options).map_err(errors::connect)?;
    Ok(JsImported { inner })
}

/// A Shopify `customers/create` or `customers/update` webhook body (API
/// 2025-01 and later) as an `Imported`: `payload` is JSON text, the raw
/// body (a `Uint8Array`) or the parsed object; `options.id` the customer
/// number to give it (the platform's id when missing). Throws a
/// `ConnectError` naming the payload's path (`wrong_shape`,
/// `missing_field`, `invalid_field`, `json_syntax`, `payload_too_large`).
#[wasm_bindgen(js_name = fromShopify)]
pub fn from_shopify(
    #[wasm_bindgen(unchecked_param_type = "ShopPayload")] payload: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ImportOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsImported, JsValue> {
    import(payload, options, custclass::from_shopify)
}

/// A WooCommerce REST `wc/v3` customer as an `Imported`, as `fromShopify`;
/// `options.vat_meta_keys` names the `meta_data` keys that hold the VAT
/// number, in order of preference (without it, the keys the common EU VAT
/// plugins use).
#[wasm_bindgen(js_name = fromWooCommerce)]
pub fn from_woocommerce(
    #[wasm_bindgen(unchecked_param_type = "ShopPayload")] payload: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ImportOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsImported, JsValue> {
    import(payload, options, custclass::from_woocommerce)
}

/// A Magento 2 REST customer as an `Imported`, as `fromShopify`.
#[wasm_bindgen(js_name = fromMagento)]
pub fn from_magento(
    #[wasm_bindgen(unchecked_param_type = "ShopPayload")] payload: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ImportOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsImported, JsValue> {
    import(payload, options, custclass::from_magento)
}

/// Checks Shopify's `X-Shopify-Hmac-Sha256` header (`signature`; `null` or
/// `undefined` when the request has none) against the raw request body
/// under the app's secret (each a `Uint8Array`, or a string as UTF-8), in
/// constant time. Throws a `ConnectError` (`missing_signature`,
/// `invalid_signature`). Verify the bytes as received, before parsing them.
#[wasm_bindgen(js_name = verifyShopifyWebhook)]
pub fn verify_shopify_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] body: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] secret: &JsValue,
    signature: Option<String>,
) -> Result<(), JsValue> {
    let (body, secret) = (conv::bytes(body)?, conv::bytes(secret)?);
    custclass::verify_shopify_webhook(&body, &secret, signature.as_deref()).map_err(errors::connect)
}

/// Checks WooCommerce's `X-WC-Webhook-Signature` header against the raw
/// request body under the webhook's secret, as `verifyShopifyWebhook`.
#[wasm_bindgen(js_name = verifyWooCommerceWebhook)]
pub fn verify_woocommerce_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] body: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] secret: &JsValue,
    signature: Option<String>,
) -> Result<(), JsValue> {
    let (body, secret) = (conv::bytes(body)?, conv::bytes(secret)?);
    custclass::verify_woocommerce_webhook(&body, &secret, signature.as_deref())
        .map_err(errors::connect)
}

/// Groups of customers (an array of plain objects, or its JSON text) that
/// look like one: `{reason, key, rows}`, `reason` being `email`,
/// `vat_number`, `address` or, when `similarNames` (Jaro-Winkler, 0 to 1)
/// is given, `name`; `rows` are places in the array. Throws a
/// `CustomerError` naming the customer's place (`$[3].email`).
#[wasm_bindgen(js_name = findDuplicates, unchecked_return_type = "DuplicateGroup[]")]
pub fn find_duplicates(
    #[wasm_bindgen(unchecked_param_type = "CustomerObject[] | string")] customers: &JsValue,
    #[wasm_bindgen(js_name = similarNames)] similar_names: Option<f64>,
) -> Result<JsValue, JsValue> {
    let customers = conv::customers(customers, "customers")?.map_err(errors::customer)?;
    conv::to_object(&CustomerTable::from_customers(&customers).duplicates(similar_names))
}

/// A phone number's forms, read as dialled in `country` (an ISO code such
/// as `'NL'`; any country when the number starts with `+`): `e164`
/// (`'+31201234567'`, for storage), `national`, `international` and the
/// number's `country`. Throws a `CustomerError`: `invalid_phone` saying
/// what is wrong with the number, `invalid_field` for a country that is
/// no ISO code.
#[wasm_bindgen(js_name = formatPhone, unchecked_return_type = "PhoneFormats")]
pub fn format_phone(number: &str, country: Option<String>) -> Result<JsValue, JsValue> {
    let formats =
        custclass::PhoneFormats::of(number, country.as_deref()).map_err(errors::customer)?;
    conv::to_object(&formats)
}

/// Every error code the core can raise, each with its concern (`setup`,
/// `expression`, `customer`, `pricing`, `table`, `connect`): the catalogue
/// tests iterate.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "{ concern: string; code: string }[]")]
pub fn error_codes() -> Result<JsValue, JsValue> {
    conv::to_object(&custclass::all_codes())
}

/// An expression (a rule's condition or a segment) in its canonical form:
/// keywords in lower case, one space between tokens, parentheses only where
/// the grouping needs them. The result parses to the same expression.
/// Throws an `ExpressionError` for text that doesn't parse; the setup isn't
/// consulted, so field names aren't checked.
#[wasm_bindgen(js_name = formatExpression)]
pub fn format_expression(text: &str) -> Result<String, JsValue> {
    custclass::format_expression(text).map_err(errors::expression)
}

/// The customers on file (an array of plain objects, or its JSON text), to
/// check new ones against as they are entered.
#[wasm_bindgen(js_name = DuplicateIndex)]
#[derive(Debug)]
pub struct JsDuplicateIndex {
    inner: DuplicateIndex,
}

#[wasm_bindgen(js_class = DuplicateIndex)]
impl JsDuplicateIndex {
    /// Indexes the customers on file. Throws a `CustomerError`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CustomerObject[] | string")] customers: &JsValue,
    ) -> Result<JsDuplicateIndex, JsValue> {
        let customers = conv::customers(customers, "customers")?.map_err(errors::customer)?;
        Ok(JsDuplicateIndex {
            inner: CustomerTable::from_customers(&customers).duplicate_index(),
        })
    }

    /// The customers on file that `customer` may be (`duplicate_email`,
    /// `duplicate_vat_number`, `duplicate_address` findings); a customer
    /// with the same id doesn't count.
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerInput")] customer: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let customer = conv::customer(customer, "customer")?.map_err(errors::customer)?;
        conv::to_object(&self.inner.check(&customer))
    }
}

/// Reads a customer CSV file (`;`, `,` or tab, sniffed from the header):
/// one row object per record, good or bad. `options.encoding` names the
/// encoding of a file without a byte-order mark (`'windows-1252'`,
/// `'latin1'`, `'utf-16le'`, …; UTF-8 when not given). Throws a
/// `TableError` for a bad header or an unknown encoding.
#[wasm_bindgen(js_name = readCsv, unchecked_return_type = "Row[]")]
pub fn read_csv(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CsvOptions | null")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes = conv::bytes(data)?;
    let mut csv = CsvOptions::default();
    if let Some(label) = conv::encoding(options)? {
        csv = csv.encoding(label.parse().map_err(errors::encoding)?);
    }
    let rows = CsvCustomers::with_options(bytes.as_slice(), &csv).map_err(errors::table)?;
    conv::to_object(&rows.map(|row| row_json(&row)).collect::<Value>())
}

/// Reads customers from JSON lines (one object per line; blank lines are
/// skipped): one row object per customer, good or bad.
#[wasm_bindgen(js_name = readJsonLines, unchecked_return_type = "Row[]")]
pub fn read_json_lines(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: &JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = conv::bytes(data)?;
    let rows = JsonLinesCustomers::new(bytes.as_slice());
    conv::to_object(&rows.map(|row| row_json(&row)).collect::<Value>())
}
