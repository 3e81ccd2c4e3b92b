//! Python binding of custclass: the exported surface, each method a call
//! into the core. Conversions live in `conv`, error mapping in `errors`.

// Library code indexes only through `get`: an index out of bounds would be a
// panic in the host. (Tests index freely: a failed index is a failed test.)
#![deny(clippy::indexing_slicing)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod arrow;
mod conv;
mod errors;
mod html;

use errors::guard;

use custclass::customer_file::{CsvCustomers, CsvOptions, JsonLinesCustomers, row_json};
use custclass::{
    Classification, ConnectError, CountryCode, Customer, CustomerTable, DuplicateIndex, Engine,
    ErrorJson, Exported, ImportOptions, Imported, Quote, Reclassification, ResultField, Segment,
    SegmentSet, Setup, TableError, canonical,
};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// `Name('<canonical JSON>')`: what the constructor reads back.
fn repr(py: Python<'_>, name: &str, json: &str) -> PyResult<String> {
    Ok(format!("{name}({})", PyString::new(py, json).repr()?))
}

/// A validated, compiled setup that classifies customers.
///
/// `Engine(setup)` takes a `Setup`, a dict, JSON text, or the path of a JSON
/// file (an `os.PathLike`, or a `str` that does not start with `{`).
/// Raises `SetupError` listing every problem of the setup, `OSError` when the
/// file can't be read, `TypeError` for a value that is not JSON.
#[pyclass(name = "Engine", module = "custclass", frozen)]
#[derive(Debug)]
struct PyEngine(Engine);

#[pymethods]
impl PyEngine {
    #[new]
    fn new(setup: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| {
            let setup = conv::setup(setup)?.map_err(errors::setup)?;
            Engine::new(setup).map(PyEngine).map_err(errors::setup)
        })
    }

    /// The setup this engine was built from.
    #[getter]
    fn setup(&self) -> PyResult<PySetup> {
        guard(|| Ok(PySetup(self.0.setup().clone())))
    }

    /// The setup's fingerprint (64 hex digits), which every classification
    /// and change carries.
    #[getter]
    fn fingerprint(&self) -> PyResult<String> {
        guard(|| Ok(self.0.fingerprint().to_string()))
    }

    /// The label of slot `slot` (1..8), or None when the setup doesn't define it.
    fn slot_label(&self, slot: usize) -> PyResult<Option<&str>> {
        guard(|| Ok(self.0.slot_label(slot)))
    }

    /// Classifies a new customer (a `Customer`, a dict or JSON text).
    ///
    /// `on` (a `datetime.date` or `"YYYY-MM-DD"`) is the day EU membership is
    /// judged on; without it, the customer's `created_at` day, or current
    /// membership. Raises `CustomerError` (`unknown_group`, `inactive_value`,
    /// `group_type_mismatch`, …).
    #[pyo3(signature = (customer, on = None))]
    fn classify(
        &self,
        customer: &Bound<'_, PyAny>,
        on: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyClassification> {
        guard(|| {
            let customer = conv::customer(customer)?;
            let result = match on {
                None => self.0.classify(&customer),
                Some(day) => self.0.classify_on(&customer, conv::day(day)?),
            };
            result.map(PyClassification).map_err(errors::customer)
        })
    }

    /// Re-runs the rules on an existing customer and lists what changes.
    ///
    /// Values named in the customer's `manual` list are kept unless an
    /// `override` rule applies. With `previous`, the classification the
    /// customer had (a `Classification`, its dict or JSON text, as stored),
    /// every value that changes is listed with its value and source before
    /// and after, and stored values the engine computed follow the new
    /// setup. Raises `CustomerError`.
    #[pyo3(signature = (customer, previous = None))]
    fn reclassify(
        &self,
        customer: &Bound<'_, PyAny>,
        previous: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReclassification> {
        guard(|| {
            let customer = conv::customer(customer)?;
            let result = match previous {
                None => self.0.reclassify(&customer),
                Some(previous) => {
                    let previous = conv::classification(previous)?;
                    self.0.reclassify_since(&customer, &previous)
                }
            };
            result.map(PyReclassification).map_err(errors::customer)
        })
    }

    /// Prices one order line (a dict or JSON text) for a customer (a
    /// `Customer`, a dict or JSON text), with an `explanation`: every price
    /// rule with its verdict, so the price can be checked.
    ///
    /// Raises `PricingError` (`invalid_quantity`, `invalid_field`,
    /// `unknown_item_group`, …) and `CustomerError` for a customer that
    /// can't be read.
    fn price(&self, customer: &Bound<'_, PyAny>, request: &Bound<'_, PyAny>) -> PyResult<PyQuote> {
        guard(|| {
            let customer = conv::customer(customer)?;
            let request = conv::request(request)?;
            let quote = self.0.price(&customer, &request);
            quote.map(PyQuote).map_err(errors::pricing)
        })
    }

    /// Prices order lines without explanations, run without holding the
    /// GIL, in one of two ways:
    ///
    /// - `price_lines(customer, requests)`: the lines of one order (a list
    ///   of dicts, or JSON text of an array) for one customer, as a list of
    ///   `Quote`. Raises `PricingError` whose `line` is the 0-based position
    ///   of the first bad line, and `CustomerError` for a customer that
    ///   can't be read.
    /// - `price_lines(lines, customers=None, like=None)`: many lines as Arrow
    ///   data (columns `customer`, `item`, `item_group`, `list_price`,
    ///   `quantity`, `date`, `currency`), each line's customer the row of
    ///   `customers` (Arrow data or a `CustomerTable`) with that id, or,
    ///   without `customers`, what the line's other columns say of it
    ///   (`price_group`, `group`, `country`, …). Returns an `ArrowResult`
    ///   (`rule`, `stacked`, `list_price`, `net_price`, `discount_percent`,
    ///   `discount_amount`, `line_total` and `reason` per line; `errors`).
    ///   `explain=[rows]` (0-based lines) fills its `explanations`: each of
    ///   those lines that has a price → its `Quote` with every rule's
    ///   verdict, as `Engine.price` gives it.
    #[pyo3(signature = (customer, requests = None, *, customers = None, like = None, explain = None))]
    fn price_lines<'py>(
        &self,
        py: Python<'py>,
        customer: &Bound<'py, PyAny>,
        requests: Option<&Bound<'py, PyAny>>,
        customers: Option<&Bound<'py, PyAny>>,
        like: Option<&str>,
        explain: Option<Vec<usize>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let Some(requests) = requests else {
                let explain = explain.unwrap_or_default();
                let result = arrow::price_lines(&self.0, customer, customers, like, &explain)?;
                return Ok(Bound::new(py, result)?.into_any());
            };
            if customers.is_some() || like.is_some() || explain.is_some() {
                return Err(PyTypeError::new_err(
                    "customers=, like= and explain= go with Arrow lines: price_lines(lines, customers=..., like=..., explain=[...]); \
                     Engine.price explains one line",
                ));
            }
            let customer = conv::customer(customer)?;
            let requests = conv::requests(requests)?;
            let quotes = py.detach(|| self.0.price_lines(&customer, &requests));
            let quotes = quotes.map_err(errors::pricing)?;
            let quotes: Vec<PyQuote> = quotes.into_iter().map(PyQuote).collect();
            Ok(quotes.into_pyobject(py)?.into_any())
        })
    }

    /// Classifies many customers at once, column by column: `data` is Arrow
    /// data (a pyarrow Table, a polars or pandas DataFrame, anything with
    /// `__arrow_c_stream__`) or a `CustomerTable`, with columns named as in
    /// the customer file. Only the columns the setup reads are read.
    ///
    /// Returns an `ArrowResult`: `table` has one row per input row, in
    /// order (each defined slot, `type`, `group`, `price_group`, `vat_zone`,
    /// the accounts and `layout`, each beside its `<name>_source`, then
    /// `b2b`); `errors` lists the rows without a result (`row`, `id`,
    /// `column`, `code`, `message`). `like="polars"` or `"pandas"` hands
    /// both back as that kind of frame. Runs without holding the GIL.
    ///
    /// Results line up with the input: from a pandas DataFrame with
    /// `like="pandas"`, `table` and `errors` keep its index (`df.join(result)`);
    /// otherwise `table` starts with the input's `id` (`df.join(result,
    /// on="id")`). A pandas index named `id` is the id.
    ///
    /// `columns=["group", "b2b"]` writes only those result columns, in
    /// that order; the others are not worked out (`ValueError` for a name
    /// that is no result column). `labels=True` names slot columns by their
    /// labels, as segments do: `class.Region`, `class.Region_source`.
    ///
    /// Raises `TableError` for input that can't be read as a whole: an
    /// unknown or missing column, or one of the wrong type (`column_type`).
    #[pyo3(signature = (data, like = None, columns = None, labels = false))]
    fn classify_table(
        &self,
        data: &Bound<'_, PyAny>,
        like: Option<&str>,
        columns: Option<Vec<String>>,
        labels: bool,
    ) -> PyResult<arrow::PyArrowResult> {
        guard(|| arrow::classify_table(&self.0, data, like, columns.as_deref(), labels))
    }

    /// Every problem on the customer's card (a `Customer`, a dict or JSON
    /// text), as `Customer.check` finds them, plus payment terms the setup
    /// doesn't list (`unknown_payment_terms`) or keeps only for history
    /// (`inactive_payment_terms`): a list of `{"field", "code", "message"}`.
    ///
    /// Raises `CustomerError` for a customer that can't be read.
    fn check<'py>(
        &self,
        py: Python<'py>,
        customer: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let customer = conv::customer(customer)?;
            conv::to_py(py, &self.0.check(&customer))
        })
    }

    /// The customer (a `Customer`, a dict or JSON text), classified, as the
    /// body of Exact Online's `crm/Accounts`: an `Exported` whose `body`
    /// is a dict. Raises `ConnectError` (`unmapped_value` naming the setup's
    /// `erp` path that lacks a mapping, `missing_value`, `value_too_long`,
    /// `invalid_customer`) and `CustomerError` for a customer that can't be
    /// read.
    fn to_exact(&self, customer: &Bound<'_, PyAny>) -> PyResult<PyExported> {
        guard(|| export(customer, |customer| self.0.to_exact(customer)))
    }

    /// The customer, classified, as the body of e-conomic's `POST
    /// /customers`. Raises as `to_exact`.
    fn to_economic(&self, customer: &Bound<'_, PyAny>) -> PyResult<PyExported> {
        guard(|| export(customer, |customer| self.0.to_economic(customer)))
    }

    /// The customer, classified, as the body of Reviso's `POST /customers`.
    /// Raises as `to_exact`.
    fn to_reviso(&self, customer: &Bound<'_, PyAny>) -> PyResult<PyExported> {
        guard(|| export(customer, |customer| self.0.to_reviso(customer)))
    }

    /// Compiles a segment query (the language of rule conditions).
    ///
    /// For the classification targets (`class.<label>`, `type`, `group`,
    /// `price_group`, accounts) the segment tests the values a customer has
    /// once classified (given, or assigned by the rules and defaults);
    /// `stored=True` tests the values on the record only.
    ///
    /// Raises `ExpressionError` with the byte `offset` of the problem.
    #[pyo3(signature = (expression, stored = false))]
    fn segment(&self, expression: String, stored: bool) -> PyResult<PySegment> {
        guard(|| {
            let segment = match stored {
                true => self.0.segment_stored(&expression),
                false => self.0.segment(&expression),
            };
            segment.map(PySegment).map_err(errors::expression)
        })
    }

    /// Compiles named segments evaluated together, in one pass over a
    /// table: a dict of name → expression, or (name, expression) pairs;
    /// segment *i* (in that order) is bit *i* of a row's mask. At most 64.
    /// Targets are tested classified, as in `segment`, unless `stored=True`.
    ///
    /// Raises `ExpressionError`: `invalid_segment` (with the `segment` and
    /// the expression's own `error`), `duplicate_segment`,
    /// `too_many_segments`.
    #[pyo3(signature = (segments, stored = false))]
    fn segment_set(&self, segments: &Bound<'_, PyAny>, stored: bool) -> PyResult<PySegmentSet> {
        guard(|| {
            let pairs = segment_pairs(segments).map_err(|err| {
                PyTypeError::new_err(format!(
                    "segment_set takes a dict of name to expression, or (name, expression) pairs: {err}"
                ))
            })?;
            let set = match stored {
                true => self.0.segment_set_stored(pairs),
                false => self.0.segment_set(pairs),
            };
            set.map(PySegmentSet).map_err(errors::expression)
        })
    }

    /// Pickles as the setup's JSON: a process that unpickles an engine
    /// (a Dask or Spark worker) compiles it again from its setup, so no
    /// compiled state crosses, only the setup.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        guard(|| {
            let json = custclass::canonical::to_string(slf.get().0.setup());
            Ok((slf.get_type().into_any(), (json,)))
        })
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| {
            Ok(format!(
                "<Engine home_country={}>",
                self.0.setup().home_country
            ))
        })
    }
}

/// An ERP body of the customer in `customer` (a `Customer`, a dict or JSON
/// text).
fn export(
    customer: &Bound<'_, PyAny>,
    body: impl FnOnce(&Customer) -> Result<Exported, ConnectError>,
) -> PyResult<PyExported> {
    let customer = conv::customer(customer)?;
    body(&customer).map(PyExported).map_err(errors::connect)
}

/// A compiled segment query: `engine.segment("country in ('NL', 'BE')")`.
#[pyclass(name = "Segment", module = "custclass", frozen)]
#[derive(Debug)]
struct PySegment(Segment);

#[pymethods]
impl PySegment {
    /// The expression as written.
    #[getter]
    fn expression(&self) -> PyResult<&str> {
        guard(|| Ok(self.0.expression()))
    }

    /// Whether the customer (a `Customer`, a dict or JSON text) belongs to
    /// the segment. Raises `CustomerError` (`invalid_attribute`, when the
    /// customer can't be read, or, for a segment testing classified values,
    /// can't be classified).
    fn matches(&self, customer: &Bound<'_, PyAny>) -> PyResult<bool> {
        guard(|| {
            let customer = conv::customer(customer)?;
            self.0.matches(&customer).map_err(errors::customer)
        })
    }

    /// The rows of `data` in the segment, all its columns, as an
    /// `ArrowResult` (`table`; `errors`: the rows that could not be read or
    /// classified, which are in no segment; `warnings`: each column the
    /// segment tests that is empty in every row). `data` is Arrow data or a
    /// `CustomerTable` (read once for repeated queries; see `CustomerTable.index`).
    #[pyo3(signature = (data, like = None))]
    fn filter(
        &self,
        data: &Bound<'_, PyAny>,
        like: Option<&str>,
    ) -> PyResult<arrow::PyArrowResult> {
        guard(|| arrow::segment_filter(&self.0, data, like))
    }

    /// The numbers (0-based, ascending) of the rows of `data` in the
    /// segment, as a pyarrow Int64Array.
    fn rows<'py>(&self, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| arrow::segment_rows(&self.0, data))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| repr(py, "Segment", self.0.expression()))
    }
}

/// `(name, expression)` pairs from a dict (in its order) or an iterable of
/// pairs.
fn segment_pairs(segments: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if let Ok(dict) = segments.cast::<PyDict>() {
        return dict
            .iter()
            .map(|(name, expression)| Ok((name.extract()?, expression.extract()?)))
            .collect();
    }
    if segments.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err("got a str"));
    }
    segments
        .try_iter()?
        .map(|pair| pair?.extract::<(String, String)>())
        .collect()
}

/// Named segments evaluated together: `engine.segment_set({"dutch":
/// "country = 'NL'", "all": "true"})`. Over a table in one pass, with the
/// tests the segments share answered once; each row's answer is a mask,
/// bit *i* set when the row is in segment *i*.
#[pyclass(name = "SegmentSet", module = "custclass", frozen)]
#[derive(Debug)]
struct PySegmentSet(SegmentSet);

impl PySegmentSet {
    /// The position of the segment named `name`.
    fn position(&self, name: &str) -> PyResult<usize> {
        self.0
            .names()
            .position(|known| known == name)
            .ok_or_else(|| PyKeyError::new_err(format!("no segment of the set is named '{name}'")))
    }
}

#[pymethods]
impl PySegmentSet {
    /// The segments' names, in order (name *i* is bit *i*).
    #[getter]
    fn names(&self) -> PyResult<Vec<&str>> {
        guard(|| Ok(self.0.names().collect()))
    }

    /// The segments' expressions as written, in order.
    #[getter]
    fn expressions(&self) -> PyResult<Vec<&str>> {
        guard(|| Ok(self.0.expressions().collect()))
    }

    fn __len__(&self) -> PyResult<usize> {
        guard(|| Ok(self.0.len()))
    }

    /// The customer's mask (a `Customer`, a dict or JSON text): bit *i* set
    /// when it is in segment *i*. Raises `CustomerError` (`invalid_attribute`,
    /// or when the customer can't be read).
    fn mask(&self, customer: &Bound<'_, PyAny>) -> PyResult<u64> {
        guard(|| {
            let customer = conv::customer(customer)?;
            self.0.mask(&customer).map_err(errors::customer)
        })
    }

    /// The names of the segments whose bits `mask` sets, in order.
    fn names_in(&self, mask: u64) -> PyResult<Vec<&str>> {
        guard(|| Ok(self.0.names_in(mask).collect()))
    }

    /// Every row of `data` (Arrow data or a `CustomerTable`) against every
    /// segment, in one pass: an `ArrowResult` whose `table` has the input's
    /// `id` and `mask` (UInt64), one row per input row (a pandas frame's
    /// index instead of `id` with `like="pandas"`), and whose `errors` are
    /// the rows without an answer (mask 0).
    #[pyo3(signature = (data, like = None))]
    fn masks(&self, data: &Bound<'_, PyAny>, like: Option<&str>) -> PyResult<arrow::PyArrowResult> {
        guard(|| arrow::segment_set_masks(&self.0, data, like))
    }

    /// How many rows of `data` each segment holds: a dict of name → count,
    /// in the set's order, from one pass.
    fn counts<'py>(&self, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let counts = arrow::segment_set_counts(&self.0, data)?;
            let dict = PyDict::new(data.py());
            for (name, count) in self.0.names().zip(counts) {
                dict.set_item(name, count)?;
            }
            Ok(dict)
        })
    }

    /// The rows of `data` in the segment named `name`, all their columns,
    /// as `Segment.filter` gives them. Raises `KeyError` for a name the set
    /// lacks.
    #[pyo3(signature = (data, name, like = None))]
    fn filter(
        &self,
        data: &Bound<'_, PyAny>,
        name: &str,
        like: Option<&str>,
    ) -> PyResult<arrow::PyArrowResult> {
        guard(|| arrow::segment_set_filter(&self.0, self.position(name)?, data, like))
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| {
            let names: Vec<String> = self.0.names().map(|name| format!("{name:?}")).collect();
            Ok(format!("SegmentSet([{}])", names.join(", ")))
        })
    }
}

/// A company's classification setup, read (not yet validated) from a dict,
/// JSON text, or the path of a JSON file.
///
/// Raises `SetupError` when the JSON doesn't fit the setup format
/// (`json_syntax`, `json_unknown_field`, …); `Engine(setup)` and
/// `Setup.validate` check the rest.
#[pyclass(name = "Setup", module = "custclass", frozen)]
#[derive(Debug)]
struct PySetup(Setup);

#[pymethods]
impl PySetup {
    #[new]
    fn new(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| conv::setup(source)?.map(PySetup).map_err(errors::setup))
    }

    /// Every problem of a setup (a `Setup`, dict, JSON text or path), as the
    /// dicts of `SetupError.problems`; an empty list when it is valid.
    #[staticmethod]
    fn validate<'py>(source: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let found = match conv::setup(source)? {
                Ok(setup) => setup.validate().err(),
                Err(err) => Some(err),
            };
            let problems = found.map_or_else(Vec::new, |err| err.problems);
            let problems: Vec<_> = problems.iter().map(ErrorJson::to_json).collect();
            conv::to_py(source.py(), &problems)
        })
    }

    /// The setup most companies start from, for a company in `home_country`
    /// (ISO 3166-1 alpha-2). Raises `ValueError` for an unknown country code.
    #[staticmethod]
    fn standard(home_country: String) -> PyResult<Self> {
        guard(|| {
            let country = CountryCode::try_from(home_country)
                .map_err(|err| PyValueError::new_err(err.to_string()))?;
            Ok(PySetup(Setup::standard(country)))
        })
    }

    /// The setup as plain Python data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0))
    }

    /// The setup as canonical JSON (keys sorted, no whitespace).
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(canonical::to_string(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, Self>) -> PyResult<bool> {
        guard(|| Ok(self.to_json()? == other.get().to_json()?))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| repr(py, "Setup", &self.to_json()?))
    }
}

/// A customer's master data, read from a dict or JSON text.
///
/// Raises `CustomerError` naming the field (`json_unknown_field`,
/// `invalid_field`, …).
#[pyclass(name = "Customer", module = "custclass", frozen)]
#[derive(Debug)]
struct PyCustomer(Customer);

#[pymethods]
impl PyCustomer {
    #[new]
    fn new(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| conv::customer(source).map(|customer| PyCustomer(customer.into_owned())))
    }

    /// The customer number.
    #[getter]
    fn id(&self) -> PyResult<&str> {
        guard(|| Ok(self.0.id.0.as_str()))
    }

    /// The customer with the person erased (name, contacts, street, phones,
    /// VAT number, EAN, text attributes) and what the books need kept.
    fn anonymise(&self) -> PyResult<PyCustomer> {
        guard(|| Ok(PyCustomer(self.0.anonymise())))
    }

    /// Every problem on the card, as a list of `{"field", "code",
    /// "message"}` dicts (`invalid_email`, `invalid_vat_number`,
    /// `vat_country_mismatch`, `invalid_ean`, `negative_credit_limit`);
    /// empty for a clean card.
    fn check<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0.check()))
    }

    /// Whether the VAT number passes the offline check for its country:
    /// None without a number, or for one with no rule to check it by.
    fn vat_valid(&self) -> PyResult<Option<bool>> {
        guard(|| Ok(self.0.vat_valid()))
    }

    /// The customer with its e-mail addresses trimmed and their domains in
    /// lower case, and its EAN without spaces.
    fn normalised(&self) -> PyResult<PyCustomer> {
        guard(|| Ok(PyCustomer(self.0.normalised())))
    }

    /// The customer as plain Python data (decimals as strings).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0))
    }

    /// The customer as canonical JSON (keys sorted, no whitespace).
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(canonical::to_string(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, Self>) -> PyResult<bool> {
        guard(|| Ok(self.to_json()? == other.get().to_json()?))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| repr(py, "Customer", &self.to_json()?))
    }
}

/// Everything the engine decided about one customer, each value with its
/// provenance (`{"value": …, "source": {"kind": …}}`).
#[pyclass(name = "Classification", module = "custclass", frozen)]
#[derive(Debug)]
struct PyClassification(Classification);

#[pymethods]
impl PyClassification {
    /// The customer's id.
    #[getter]
    fn customer(&self) -> PyResult<&str> {
        guard(|| Ok(self.0.customer.0.as_str()))
    }

    /// The fingerprint of the setup that decided it.
    #[getter]
    fn fingerprint(&self) -> PyResult<String> {
        guard(|| Ok(self.0.fingerprint.to_string()))
    }

    /// One assigned value as `{"value": …, "source": {…}}`, or None:
    /// `class1`..`class8`, `type`, `group`, `price_group`, `vat_zone`, `b2b`,
    /// `receivables_account`, `revenue_account` or `layout`.
    fn get<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let value = ResultField::parse(name).and_then(|field| self.0.field(field));
            conv::to_py(py, &value)
        })
    }

    /// The customer with the assigned slots, type, group and price group
    /// written onto it.
    fn apply(&self, customer: &Bound<'_, PyAny>) -> PyResult<PyCustomer> {
        guard(|| {
            let customer = conv::customer(customer)?;
            Ok(PyCustomer(self.0.apply(&customer)))
        })
    }

    /// The classification as plain Python data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0))
    }

    /// The classification as canonical JSON (keys sorted, no whitespace).
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(canonical::to_string(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, Self>) -> PyResult<bool> {
        guard(|| Ok(self.to_json()? == other.get().to_json()?))
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| Ok(format!("<Classification {}>", self.to_json()?)))
    }

    /// In a notebook: each value with where it came from.
    fn _repr_html_(&self) -> PyResult<String> {
        guard(|| Ok(html::classification(&self.0)))
    }
}

/// What re-running the rules would change on an existing customer.
#[pyclass(name = "Reclassification", module = "custclass", frozen)]
#[derive(Debug)]
struct PyReclassification(Reclassification);

#[pymethods]
impl PyReclassification {
    /// The customer's id.
    #[getter]
    fn customer(&self) -> PyResult<&str> {
        guard(|| Ok(self.0.customer.0.as_str()))
    }

    /// The values that change, in result order: dicts with `target`, `from`
    /// and `to` (each `{"value", "source"}` or None), `setup` and, when the
    /// earlier classification was given, `from_setup`; empty when none.
    #[getter]
    fn changes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0.changes))
    }

    /// The full new classification.
    #[getter]
    fn classification(&self) -> PyResult<PyClassification> {
        guard(|| Ok(PyClassification(self.0.classification.clone())))
    }

    /// The reclassification as plain Python data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0))
    }

    /// The reclassification as canonical JSON (keys sorted, no whitespace).
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(canonical::to_string(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, Self>) -> PyResult<bool> {
        guard(|| Ok(self.to_json()? == other.get().to_json()?))
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| Ok(format!("<Reclassification {}>", self.to_json()?)))
    }
}

/// The price of one order line, and why: amounts rounded to the currency's
/// minor units, the rule that set the price, the stacked rules and (from
/// `Engine.price`) the explanation.
#[pyclass(name = "Quote", module = "custclass", frozen)]
#[derive(Debug)]
pub(crate) struct PyQuote(pub(crate) Quote);

#[pymethods]
impl PyQuote {
    /// The unit price after the rules, as a `decimal.Decimal`.
    #[getter]
    fn net_price<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::decimal(py, &self.0.net_price))
    }

    /// The net price times the quantity, rounded, as a `decimal.Decimal`.
    #[getter]
    fn line_total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::decimal(py, &self.0.line_total))
    }

    /// The id of the rule that set the price, or None when no rule applied.
    #[getter]
    fn rule(&self) -> PyResult<Option<&str>> {
        guard(|| Ok(self.0.rule.as_deref()))
    }

    /// The unit price before any rule, as a `decimal.Decimal`.
    #[getter]
    fn list_price<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::decimal(py, &self.0.list_price))
    }

    /// How many units, as a `decimal.Decimal`.
    #[getter]
    fn quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::decimal(py, &self.0.quantity))
    }

    /// `list_price - net_price` per unit, as a `decimal.Decimal`.
    #[getter]
    fn discount_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::decimal(py, &self.0.discount_amount()))
    }

    /// The discount as a percentage of the list price, to two decimals, as
    /// a `decimal.Decimal`.
    #[getter]
    fn discount_percent<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::decimal(py, &self.0.discount_percent()))
    }

    /// The currency of every amount (`'EUR'`).
    #[getter]
    fn currency(&self) -> PyResult<&str> {
        guard(|| Ok(self.0.currency.as_str()))
    }

    /// The stackable rules applied on top, in declaration order.
    #[getter]
    fn stacked(&self) -> PyResult<Vec<&str>> {
        guard(|| Ok(self.0.stacked.iter().map(|id| id.as_str()).collect()))
    }

    /// Why, in words: the chosen rule's description and the stacked ones',
    /// joined by ` + ` (`15% off for price group TRADE, item group PARTS`),
    /// or `no price rule applies: list price`.
    #[getter]
    fn reason(&self) -> PyResult<&str> {
        guard(|| Ok(&*self.0.reason))
    }

    /// From `Engine.price`: every price rule with its verdict, as dicts
    /// (`rule`, `description`, `verdict`, `text`: the verdict in words, and
    /// the verdict's figures); None from `price_lines`.
    #[getter]
    fn explanation<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0.explanation))
    }

    /// The quote as plain Python data (decimals as strings).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0))
    }

    /// The quote as canonical JSON (keys sorted, no whitespace).
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(canonical::to_string(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, Self>) -> PyResult<bool> {
        guard(|| Ok(self.to_json()? == other.get().to_json()?))
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| Ok(format!("<Quote {}>", self.to_json()?)))
    }

    /// In a notebook: the price, and each rule with its verdict.
    fn _repr_html_(&self) -> PyResult<String> {
        guard(|| Ok(html::quote(&self.0)))
    }
}

/// A webshop customer read from its platform's payload: the `customer`
/// (channel `webshop`, connector the platform, the platform's id as
/// `external_id`), the master-data `findings` on it (values are kept as the
/// shop sent them) and the `profile` that read it (`shopify/2025-01`).
#[pyclass(name = "Imported", module = "custclass", frozen)]
#[derive(Debug)]
struct PyImported(Imported);

#[pymethods]
impl PyImported {
    /// The customer, ready for `Engine.classify` or an ERP body.
    #[getter]
    fn customer(&self) -> PyResult<PyCustomer> {
        guard(|| Ok(PyCustomer(self.0.customer.clone())))
    }

    /// What the master-data checks find on it: `{"field", "code",
    /// "message"}` dicts (`invalid_email`, `invalid_vat_number`, …).
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0.findings))
    }

    /// The profile that read the payload (`shopify/2025-01`,
    /// `woocommerce/wc-v3`, `magento/2`).
    #[getter]
    fn profile(&self) -> PyResult<&'static str> {
        guard(|| Ok(self.0.profile))
    }

    /// The import as plain Python data (`customer`, `findings`, `profile`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0))
    }

    /// The import as canonical JSON (keys sorted, no whitespace).
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(canonical::to_string(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, Self>) -> PyResult<bool> {
        guard(|| Ok(self.to_json()? == other.get().to_json()?))
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| Ok(format!("<Imported {}>", self.to_json()?)))
    }
}

/// The body an ERP's API takes for one customer: `system` (`exact`,
/// `economic`, `reviso`), `body` (a dict, as the ERP documents it) and the
/// `findings` (what the ERP will do differently from what the customer says).
#[pyclass(name = "Exported", module = "custclass", frozen)]
#[derive(Debug)]
struct PyExported(Exported);

#[pymethods]
impl PyExported {
    /// The ERP: `exact`, `economic` or `reviso`.
    #[getter]
    fn system(&self) -> PyResult<&'static str> {
        guard(|| Ok(self.0.system))
    }

    /// The JSON body for the ERP's API, as a plain dict (send it with
    /// `json.dumps`).
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0.body))
    }

    /// What the ERP will do differently from what the customer says, as
    /// `{"field", "code", "message"}` dicts.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0.findings))
    }

    /// The export as plain Python data (`system`, `body`, `findings`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| conv::to_py(py, &self.0))
    }

    /// The export as canonical JSON (keys sorted, no whitespace).
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(canonical::to_string(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, Self>) -> PyResult<bool> {
        guard(|| Ok(self.to_json()? == other.get().to_json()?))
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| Ok(format!("<Exported {}>", self.to_json()?)))
    }
}

/// A platform's payload (`str` JSON text, the raw `bytes` of the request
/// body, or the parsed dict) read by `read` with the options (a dict or
/// None).
fn import(
    payload: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
    read: fn(&str, &ImportOptions) -> Result<Imported, ConnectError>,
) -> PyResult<PyImported> {
    let options = conv::import_options(options)?;
    let payload = conv::payload(payload)?;
    read(&payload, &options)
        .map(PyImported)
        .map_err(errors::connect)
}

/// A Shopify `customers/create` or `customers/update` webhook body (API
/// 2025-01 and later) as an `Imported`: `payload` is JSON text, the raw
/// `bytes` of the request body or the parsed dict; `options` a dict with
/// `id` (the customer number to give it; the platform's id when missing).
/// Raises `ConnectError` naming the payload's path (`wrong_shape`,
/// `missing_field`, `invalid_field`, `json_syntax`, `payload_too_large`).
#[pyfunction]
#[pyo3(signature = (payload, options = None))]
fn from_shopify(
    payload: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyImported> {
    guard(|| import(payload, options, custclass::from_shopify))
}

/// A WooCommerce REST `wc/v3` customer as an `Imported`, as
/// `from_shopify`; `options` may also name `vat_meta_keys`, the
/// `meta_data` keys that hold the VAT number, in order of preference
/// (without it, the keys the common EU VAT plugins use).
#[pyfunction]
#[pyo3(signature = (payload, options = None))]
fn from_woocommerce(
    payload: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyImported> {
    guard(|| import(payload, options, custclass::from_woocommerce))
}

/// A Magento 2 REST customer as an `Imported`, as `from_shopify`.
#[pyfunction]
#[pyo3(signature = (payload, options = None))]
fn from_magento(
    payload: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyImported> {
    guard(|| import(payload, options, custclass::from_magento))
}

/// Checks Shopify's `X-Shopify-Hmac-Sha256` header (`signature`; None when
/// the request has none) against the raw request body under the app's
/// secret (each `bytes`, or a `str` as UTF-8), in constant time. Returns
/// None; raises `ConnectError` (`missing_signature`, `invalid_signature`).
/// Verify the bytes as received, before parsing them.
#[pyfunction]
fn verify_shopify_webhook(
    body: conv::Data,
    secret: conv::Data,
    signature: Option<&str>,
) -> PyResult<()> {
    guard(|| {
        custclass::verify_shopify_webhook(body.as_bytes(), secret.as_bytes(), signature)
            .map_err(errors::connect)
    })
}

/// Checks WooCommerce's `X-WC-Webhook-Signature` header against the raw
/// request body under the webhook's secret, as `verify_shopify_webhook`.
#[pyfunction]
fn verify_woocommerce_webhook(
    body: conv::Data,
    secret: conv::Data,
    signature: Option<&str>,
) -> PyResult<()> {
    guard(|| {
        custclass::verify_woocommerce_webhook(body.as_bytes(), secret.as_bytes(), signature)
            .map_err(errors::connect)
    })
}

/// Groups of customers (a list of dicts, or JSON text of an array) that look
/// like one: `{"reason", "key", "rows"}` dicts, `reason` being `email`,
/// `vat_number`, `address` or, when `similar_names` (Jaro-Winkler, 0 to 1)
/// is given, `name`; `rows` are places in the list. Raises `CustomerError`
/// naming the customer's place (`$[3].email`).
#[pyfunction]
#[pyo3(signature = (customers, similar_names=None))]
fn find_duplicates<'py>(
    py: Python<'py>,
    customers: &Bound<'py, PyAny>,
    similar_names: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(|| {
        let table = CustomerTable::from_customers(&conv::customers(customers)?);
        conv::to_py(py, &table.duplicates(similar_names))
    })
}

/// The customers on file (a list of dicts, or JSON text of an array), to
/// check new ones against as they are entered.
#[pyclass(name = "DuplicateIndex", module = "custclass", frozen)]
#[derive(Debug)]
struct PyDuplicateIndex(DuplicateIndex);

#[pymethods]
impl PyDuplicateIndex {
    #[new]
    fn new(customers: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| {
            let table = CustomerTable::from_customers(&conv::customers(customers)?);
            Ok(PyDuplicateIndex(table.duplicate_index()))
        })
    }

    /// The customers on file that `customer` may be: `{"field", "code",
    /// "message"}` dicts (`duplicate_email`, `duplicate_vat_number`,
    /// `duplicate_address`); a customer with the same id doesn't count.
    fn check<'py>(
        &self,
        py: Python<'py>,
        customer: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let customer = conv::customer(customer)?;
            conv::to_py(py, &self.0.check(&customer))
        })
    }
}

/// Reads a CSV customer file (`;`, `,` or tab, found from the header)
/// without holding the GIL: one dict per row, `{"line", "customer"}` for a
/// good row, `{"line", "errors"}` for a bad one. `encoding` names the
/// encoding of a file without a byte-order mark (`"windows-1252"`,
/// `"latin1"`, `"utf-16le"`, …; UTF-8 when not given). Raises `TableError`
/// for a bad header or an unknown encoding (`unknown_encoding`).
#[pyfunction]
#[pyo3(signature = (data, *, encoding = None))]
fn read_csv<'py>(
    py: Python<'py>,
    data: conv::Data,
    encoding: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(|| {
        let mut options = CsvOptions::default();
        if let Some(label) = encoding {
            options = options.encoding(label.parse().map_err(errors::encoding)?);
        }
        let rows = py.detach(|| -> Result<String, TableError> {
            let rows = CsvCustomers::with_options(data.as_bytes(), &options)?;
            Ok(canonical::to_string(
                &rows.map(|row| row_json(&row)).collect::<Vec<_>>(),
            ))
        });
        conv::loads(py, &rows.map_err(errors::table)?)
    })
}

/// Reads JSON lines (one customer object per line, blank lines skipped)
/// without holding the GIL: one dict per row, as `read_csv`.
#[pyfunction]
fn read_json_lines<'py>(py: Python<'py>, data: conv::Data) -> PyResult<Bound<'py, PyAny>> {
    guard(|| {
        let rows = py.detach(|| {
            let rows = JsonLinesCustomers::new(data.as_bytes()).map(|row| row_json(&row));
            canonical::to_string(&rows.collect::<Vec<_>>())
        });
        conv::loads(py, &rows)
    })
}

/// A phone number's forms, read as dialled in `country` (an ISO code such
/// as `"NL"`; any country when the number starts with `+`): a dict with
/// `e164` (`"+31201234567"`, for storage), `national`, `international`
/// and the number's `country`.
///
/// Raises `CustomerError`: `invalid_phone` saying what is wrong with the
/// number, `invalid_field` for a country that is no ISO code.
#[pyfunction]
#[pyo3(signature = (number, country = None))]
fn format_phone<'py>(
    py: Python<'py>,
    number: &str,
    country: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(|| {
        let formats = custclass::PhoneFormats::of(number, country).map_err(errors::customer)?;
        conv::to_py(py, &formats)
    })
}

/// An expression (a rule's condition or a segment) in its canonical form:
/// keywords in lower case, one space between tokens, parentheses only where
/// the grouping needs them. The result parses to the same expression.
/// Raises `ExpressionError` for text that doesn't parse; the setup isn't
/// consulted, so field names aren't checked.
#[pyfunction]
fn format_expression(text: &str) -> PyResult<String> {
    guard(|| custclass::format_expression(text).map_err(errors::expression))
}

/// Every error code the core can raise, as `(concern, code)` pairs (`setup`,
/// `expression`, `customer`, `pricing`, `table`, `connect`): the catalogue
/// tests iterate.
#[pyfunction]
fn error_codes() -> PyResult<Vec<(&'static str, &'static str)>> {
    guard(|| {
        let codes = custclass::all_codes().into_iter();
        Ok(codes.map(|entry| (entry.concern, entry.code)).collect())
    })
}

/// Panics with `message`, inside the guard every exported function has: how
/// the tests see a bug reach Python as an `InternalError`, since the core
/// has no panic left to trigger. Not part of the API.
#[pyfunction]
#[allow(clippy::panic, reason = "the one deliberate panic, for the tests")]
fn _panic(message: String) -> PyResult<()> {
    guard(|| std::panic::panic_any(message))
}

/// The native part of custclass; import `custclass` instead.
#[pymodule]
fn _custclass(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyEngine>()?;
    m.add_class::<arrow::PyCustomerTable>()?;
    m.add_class::<arrow::PyArrowResult>()?;
    m.add_class::<PySegment>()?;
    m.add_class::<PySegmentSet>()?;
    m.add_class::<PySetup>()?;
    m.add_class::<PyCustomer>()?;
    m.add_class::<PyDuplicateIndex>()?;
    m.add_function(wrap_pyfunction!(find_duplicates, m)?)?;
    m.add_function(wrap_pyfunction!(format_phone, m)?)?;
    m.add_function(wrap_pyfunction!(format_expression, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_class::<PyClassification>()?;
    m.add_class::<PyReclassification>()?;
    m.add_class::<PyQuote>()?;
    m.add_class::<PyImported>()?;
    m.add_class::<PyExported>()?;
    m.add_function(wrap_pyfunction!(from_shopify, m)?)?;
    m.add_function(wrap_pyfunction!(from_woocommerce, m)?)?;
    m.add_function(wrap_pyfunction!(from_magento, m)?)?;
    m.add_function(wrap_pyfunction!(verify_shopify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(verify_woocommerce_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(read_csv, m)?)?;
    m.add_function(wrap_pyfunction!(read_json_lines, m)?)?;
    m.add("Error", py.get_type::<errors::Error>())?;
    m.add("SetupError", py.get_type::<errors::SetupError>())?;
    m.add("ExpressionError", py.get_type::<errors::ExpressionError>())?;
    m.add("CustomerError", py.get_type::<errors::CustomerError>())?;
    m.add("PricingError", py.get_type::<errors::PricingError>())?;
    m.add("TableError", py.get_type::<errors::TableError>())?;
    m.add("ConnectError", py.get_type::<errors::ConnectError>())?;
    m.add("InternalError", py.get_type::<errors::InternalError>())?;
    // Beside `__all__`, which `add_function` would extend: not part of the API.
    m.setattr("_panic", wrap_pyfunction!(_panic, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
