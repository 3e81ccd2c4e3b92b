"""Type stubs of the native module; import ``custclass`` instead."""

import datetime
import decimal
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Literal, Union, final, overload

from typing_extensions import TypeAlias

_JsonObject: TypeAlias = dict[str, Any]
_SetupSource: TypeAlias = Union["Setup", _JsonObject, str, os.PathLike[str]]
_CustomerSource: TypeAlias = Union["Customer", _JsonObject, str]
_RequestSource: TypeAlias = Union[_JsonObject, str]
_RequestsSource: TypeAlias = Union[list[_JsonObject], tuple[_JsonObject, ...], str]
_Like: TypeAlias = Literal["pyarrow", "polars", "pandas"]
_Payload: TypeAlias = Union[_JsonObject, str, bytes]
_ImportOptions: TypeAlias = Union[_JsonObject, str]

__all__ = [
    "ArrowResult",
    "Classification",
    "ConnectError",
    "Customer",
    "CustomerError",
    "CustomerTable",
    "DuplicateIndex",
    "Engine",
    "Error",
    "Exported",
    "ExpressionError",
    "Imported",
    "InternalError",
    "PricingError",
    "Quote",
    "Reclassification",
    "Segment",
    "SegmentSet",
    "Setup",
    "SetupError",
    "TableError",
    "__version__",
    "find_duplicates",
    "error_codes",
    "format_expression",
    "format_phone",
    "from_magento",
    "from_shopify",
    "from_woocommerce",
    "read_csv",
    "read_json_lines",
    "verify_shopify_webhook",
    "verify_woocommerce_webhook",
]

__version__: str

@final
class Engine:
    """A validated, compiled setup that classifies customers."""

    def __new__(cls, setup: _SetupSource) -> Engine: ...
    @property
    def setup(self) -> Setup:
        """The setup this engine was built from."""
    def slot_label(self, slot: int) -> str | None:
        """The label of slot `slot` (1..8), or None when the setup doesn't define it."""
    def classify(
        self, customer: _CustomerSource, on: datetime.date | str | None = None
    ) -> Classification:
        """Classifies a new customer (a `Customer`, a dict or JSON text)."""
    def reclassify(
        self, customer: _CustomerSource, previous: Classification | dict[str, Any] | str | None = None
    ) -> Reclassification:
        """Re-runs the rules on an existing customer and lists what changes; with `previous` (the
        classification it had, as stored), an audit log with values and sources before and after."""
    @property
    def fingerprint(self) -> str:
        """The setup's fingerprint (64 hex digits), which every classification and change carries."""
    def price(self, customer: _CustomerSource, request: _RequestSource) -> Quote:
        """Prices one order line for a customer, with an explanation."""
    @overload
    def price_lines(self, customer: _CustomerSource, requests: _RequestsSource) -> list[Quote]:
        """Prices the lines of one order for one customer, without explanations."""
    @overload
    def price_lines(
        self,
        customer: Any,
        requests: None = None,
        *,
        customers: Any = None,
        like: _Like | None = None,
        explain: Sequence[int] | None = None,
    ) -> ArrowResult:
        """Prices many order lines given as Arrow data, each with its customer; `explain` (0-based lines) fills `explanations`."""
    def classify_table(
        self,
        data: Any,
        like: _Like | None = None,
        columns: Sequence[str] | None = None,
        labels: bool = False,
    ) -> ArrowResult:
        """Classifies Arrow data (or a `CustomerTable`) column by column: one result row per input row,
        lined up with the input (a pandas frame's index, else `id` first); only the result `columns`
        named, when given; `labels=True` names slot columns by their labels (`class.Region`)."""
    def check(self, customer: _CustomerSource) -> list[_JsonObject]:
        """Every problem on the card, with the setup's payment terms checked too."""
    def to_exact(self, customer: _CustomerSource) -> Exported:
        """The customer, classified, as the body of Exact Online's `crm/Accounts`."""
    def to_economic(self, customer: _CustomerSource) -> Exported:
        """The customer, classified, as the body of e-conomic's `POST /customers`."""
    def to_reviso(self, customer: _CustomerSource) -> Exported:
        """The customer, classified, as the body of Reviso's `POST /customers`."""
    def segment(self, expression: str, stored: bool = False) -> Segment:
        """Compiles a segment query (the language of rule conditions); targets are tested classified unless `stored`."""
    def segment_set(
        self, segments: Mapping[str, str] | Iterable[tuple[str, str]], stored: bool = False
    ) -> SegmentSet:
        """Compiles named segments (at most 64) evaluated together in one pass."""

@final
class Segment:
    """A compiled segment query."""

    @property
    def expression(self) -> str:
        """The expression as written."""
    def matches(self, customer: _CustomerSource) -> bool:
        """Whether the customer belongs to the segment."""
    def filter(self, data: Any, like: _Like | None = None) -> ArrowResult:
        """The rows of Arrow data (or a `CustomerTable`) in the segment, all their columns."""
    def rows(self, data: Any) -> Any:
        """The numbers of the rows in the segment, ascending, as a pyarrow Int64Array."""

@final
class SegmentSet:
    """Named segments evaluated together; bit i of a row's mask is segment i."""

    @property
    def names(self) -> list[str]:
        """The segments' names, in order."""
    @property
    def expressions(self) -> list[str]:
        """The segments' expressions as written, in order."""
    def __len__(self) -> int: ...
    def mask(self, customer: _CustomerSource) -> int:
        """The customer's mask: bit i set when it is in segment i."""
    def names_in(self, mask: int) -> list[str]:
        """The names of the segments whose bits `mask` sets."""
    def masks(self, data: Any, like: _Like | None = None) -> ArrowResult:
        """`id` and a `mask` column (UInt64), one row per input row (a pandas frame's index
        instead of `id`), and the rows without an answer."""
    def counts(self, data: Any) -> dict[str, int]:
        """Per segment name, how many rows of `data` it holds."""
    def filter(self, data: Any, name: str, like: _Like | None = None) -> ArrowResult:
        """The rows of `data` in the segment named `name`, all their columns."""

@final
class CustomerTable:
    """Customers read from Arrow data once, for repeated segment queries."""

    def __new__(cls, data: Any) -> CustomerTable: ...
    @property
    def errors(self) -> Any:
        """The rows that could not be read, as a pyarrow Table."""
    def index(self) -> None:
        """Indexes every column for many repeated segment queries."""
    @property
    def indexed(self) -> bool:
        """Whether `index()` was called."""
    def __len__(self) -> int: ...

@final
class ArrowResult:
    """A bulk result: `table` and `errors` (pyarrow Tables, or frames of the kind `like` named)."""

    def _repr_html_(self) -> str:
        """In a notebook: the counts, the first rows and the first errors."""

    @property
    def table(self) -> Any:
        """The result rows."""
    @property
    def errors(self) -> Any:
        """The rows without a result: `row`, `id`, `column`, `code`, `message`."""
    @property
    def warnings(self) -> list[_JsonObject]:
        """A segment's columns empty in every row: `code`, `column`, `message`."""
    @property
    def explanations(self) -> dict[int, Quote]:
        """From `price_lines(..., explain=[...])`: each asked-for line that has a price → its `Quote` with every verdict."""
    def __iter__(self) -> Iterator[Any]: ...

@final
class Setup:
    """A company's classification setup."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __new__(cls, source: _JsonObject | str | os.PathLike[str]) -> Setup: ...
    @staticmethod
    def validate(source: _SetupSource) -> list[_JsonObject]:
        """Every problem of a setup; an empty list when it is valid."""
    @staticmethod
    def standard(home_country: str) -> Setup:
        """The setup most companies start from."""
    def to_dict(self) -> _JsonObject:
        """The setup as plain Python data."""
    def to_json(self) -> str:
        """The setup as canonical JSON (keys sorted, no whitespace)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Customer:
    """A customer's master data."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __new__(cls, source: _CustomerSource) -> Customer: ...
    @property
    def id(self) -> str:
        """The customer number."""
    def anonymise(self) -> Customer:
        """The customer with the person erased and what the books need kept."""
    def check(self) -> list[_JsonObject]:
        """Every problem on the card: `{"field", "code", "message"}` dicts."""
    def vat_valid(self) -> bool | None:
        """Whether the VAT number passes the offline check for its country
        (None: no number, or no rule to check it by)."""
    def normalised(self) -> Customer:
        """The customer with e-mail addresses and EAN written one way."""
    def to_dict(self) -> _JsonObject:
        """The customer as plain Python data (decimals as strings)."""
    def to_json(self) -> str:
        """The customer as canonical JSON (keys sorted, no whitespace)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class DuplicateIndex:
    """The customers on file, to check new ones against as they are entered."""

    def __new__(cls, customers: list[_JsonObject] | str) -> DuplicateIndex: ...
    def check(self, customer: _CustomerSource) -> list[_JsonObject]:
        """The customers on file that `customer` may be, as findings."""

def error_codes() -> list[tuple[str, str]]:
    """Every error code the core can raise, as (concern, code) pairs."""

def format_expression(text: str) -> str:
    """An expression in its canonical form, which parses to the same
    expression; raises `ExpressionError` for text that doesn't parse."""

def format_phone(number: str, country: str | None = None) -> _JsonObject:
    """A phone number's E.164, national and international forms, read in `country`."""

def find_duplicates(
    customers: list[_JsonObject] | str, similar_names: float | None = None
) -> list[_JsonObject]:
    """Groups of customers that look like one: `{"reason", "key", "rows"}`."""

@final
class Classification:
    """Everything the engine decided about one customer, with provenance."""

    def _repr_html_(self) -> str:
        """In a notebook: each value with where it came from."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def customer(self) -> str:
        """The customer's id."""
    @property
    def fingerprint(self) -> str:
        """The fingerprint of the setup that decided it."""
    def get(self, name: str) -> _JsonObject | None:
        """One assigned value as ``{"value": …, "source": {…}}``, or None."""
    def apply(self, customer: _CustomerSource) -> Customer:
        """The customer with the assigned values written onto it."""
    def to_dict(self) -> _JsonObject:
        """The classification as plain Python data."""
    def to_json(self) -> str:
        """The classification as canonical JSON (keys sorted, no whitespace)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Reclassification:
    """What re-running the rules would change on an existing customer."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def customer(self) -> str:
        """The customer's id."""
    @property
    def changes(self) -> list[_JsonObject]:
        """The values that change: dicts with target, from and to (each ``{"value", "source"}`` or
        None), setup and, when the earlier classification was given, from_setup."""
    @property
    def classification(self) -> Classification:
        """The full new classification."""
    def to_dict(self) -> _JsonObject:
        """The reclassification as plain Python data."""
    def to_json(self) -> str:
        """The reclassification as canonical JSON (keys sorted, no whitespace)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Quote:
    """The price of one order line, and why."""

    def _repr_html_(self) -> str:
        """In a notebook: the price, and each rule with its verdict."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def net_price(self) -> decimal.Decimal:
        """The unit price after the rules."""
    @property
    def line_total(self) -> decimal.Decimal:
        """The net price times the quantity, rounded."""
    @property
    def rule(self) -> str | None:
        """The id of the rule that set the price, or None when no rule applied."""
    @property
    def list_price(self) -> decimal.Decimal:
        """The unit price before any rule."""
    @property
    def quantity(self) -> decimal.Decimal:
        """How many units."""
    @property
    def discount_amount(self) -> decimal.Decimal:
        """`list_price - net_price` per unit."""
    @property
    def discount_percent(self) -> decimal.Decimal:
        """The discount as a percentage of the list price, to two decimals."""
    @property
    def currency(self) -> str:
        """The currency of every amount."""
    @property
    def stacked(self) -> list[str]:
        """The stackable rules applied on top, in declaration order."""
    @property
    def reason(self) -> str:
        """Why, in words: `15% off for price group TRADE, item group PARTS`, or `no price rule applies: list price`."""
    @property
    def explanation(self) -> list[_JsonObject] | None:
        """From `Engine.price`: every rule with `description`, `verdict` and `text` (the verdict in words)."""
    def to_dict(self) -> _JsonObject:
        """The quote as plain Python data (decimals as strings)."""
    def to_json(self) -> str:
        """The quote as canonical JSON (keys sorted, no whitespace)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Imported:
    """A webshop customer read from its platform's payload, with the findings on it."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def customer(self) -> Customer:
        """The customer: channel `webshop`, connector the platform, the platform's id as `external_id`."""
    @property
    def findings(self) -> list[_JsonObject]:
        """What the master-data checks find on it: `{"field", "code", "message"}` dicts."""
    @property
    def profile(self) -> str:
        """The profile that read the payload (`shopify/2025-01`)."""
    def to_dict(self) -> _JsonObject:
        """The import as plain Python data (`customer`, `findings`, `profile`)."""
    def to_json(self) -> str:
        """The import as canonical JSON (keys sorted, no whitespace)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Exported:
    """The body an ERP's API takes for one customer."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def system(self) -> str:
        """The ERP: `exact`, `economic` or `reviso`."""
    @property
    def body(self) -> _JsonObject:
        """The JSON body for the ERP's API, as a plain dict."""
    @property
    def findings(self) -> list[_JsonObject]:
        """What the ERP will do differently from what the customer says."""
    def to_dict(self) -> _JsonObject:
        """The export as plain Python data (`system`, `body`, `findings`)."""
    def to_json(self) -> str:
        """The export as canonical JSON (keys sorted, no whitespace)."""
    def __eq__(self, value: object, /) -> bool: ...

def from_shopify(payload: _Payload, options: _ImportOptions | None = None) -> Imported:
    """A Shopify `customers/create` or `customers/update` webhook body (API 2025-01 and later):
    JSON text, the raw bytes of the request, or the dict; `options` may give the `id`."""

def from_woocommerce(payload: _Payload, options: _ImportOptions | None = None) -> Imported:
    """A WooCommerce REST `wc/v3` customer; `options` may give the `id` and the
    `vat_meta_keys` that hold the VAT number."""

def from_magento(payload: _Payload, options: _ImportOptions | None = None) -> Imported:
    """A Magento 2 REST customer; `options` may give the `id`."""

def verify_shopify_webhook(body: str | bytes, secret: str | bytes, signature: str | None) -> None:
    """Checks the `X-Shopify-Hmac-Sha256` header against the raw body in constant time;
    raises `ConnectError` (`missing_signature`, `invalid_signature`)."""

def verify_woocommerce_webhook(body: str | bytes, secret: str | bytes, signature: str | None) -> None:
    """Checks the `X-WC-Webhook-Signature` header against the raw body in constant time;
    raises `ConnectError` (`missing_signature`, `invalid_signature`)."""

def read_csv(data: str | bytes, *, encoding: str | None = None) -> list[_JsonObject]:
    """Reads a CSV customer file: one dict per row (``line`` and ``customer`` or ``errors``).

    ``encoding`` names the encoding of a file without a byte-order mark
    (``"windows-1252"``, ``"latin1"``, ``"utf-16le"``, …; UTF-8 when not given).
    """

def read_json_lines(data: str | bytes) -> list[_JsonObject]:
    """Reads JSON lines: one dict per row, as `read_csv`."""

def _panic(message: str) -> None:
    """Panics inside the guard every function has, for the tests: raises
    `InternalError`. Not part of the API."""

class Error(ValueError):
    """Base class of every custclass error."""

    code: str
    data: _JsonObject
    message: str
    # The other keys of `data` (`problems`, `field`, `offset`, …) are set on
    # each instance; which ones depends on the code. Stub only: see
    # stubtest-allowlist.txt.
    def __getattr__(self, name: str) -> Any: ...

class SetupError(Error):
    """A setup with problems."""

    problems: list[_JsonObject]

class ExpressionError(Error):
    """An expression that can't be parsed or doesn't fit the setup."""

    offset: int

class CustomerError(Error):
    """A customer that can't be read or doesn't fit the setup."""

class PricingError(Error):
    """An order line that can't be read or priced."""

class TableError(Error):
    """A customer file that can't be read as a whole (a bad header, an unknown encoding)."""

class ConnectError(Error):
    """A webshop payload that can't be read as the platform's customer, an ERP body that
    can't be made, or a webhook whose signature doesn't hold."""

class InternalError(Error):
    """A bug in custclass (code ``internal``), caught before it became a
    ``PanicException``; ``detail`` says what went wrong. Please report it."""

    detail: str
