"""Customer classification for ERP and webshop software.

A company describes its classification once in a :class:`Setup` (labelled
slots, types, groups, price groups, accounts and ordered auto-labelling
rules); the :class:`Engine` compiled from it labels every customer and says
why each value was chosen, and prices order lines for them
(:meth:`Engine.price` gives a :class:`Quote` with its explanation)::

    import custclass

    engine = custclass.Engine(custclass.Setup.standard("NL"))
    result = engine.classify({"id": "10001", "billing_address": {"country": "DE"},
                              "vat_number": "DE123456788"})
    result.get("group")   # {'source': {'kind': 'zone_default', 'zone': 'eu'}, 'value': 'EU'}

Setups and customers may be given as objects, dicts or JSON text (a setup
also as the path of a JSON file). Results convert with ``to_dict()`` (decimals
as strings) and ``to_json()`` (canonical JSON). Every error is a
:class:`Error` (a ``ValueError``) with a stable ``code`` and its ``data``; one
subclass per concern: :class:`SetupError`, :class:`ExpressionError`,
:class:`CustomerError`, :class:`PricingError`, :class:`TableError`,
:class:`ConnectError`; and :class:`InternalError` (code ``internal``) for a
bug in custclass.

Many customers at once go column by column: :meth:`Engine.classify_table`
and :meth:`Segment.filter` take Arrow data (a pyarrow Table, a polars or
pandas DataFrame) with columns named as in the customer file, and return
pyarrow Tables (``like="polars"`` or ``"pandas"`` for frames) that line up
with the input: a pandas frame's index is kept, other results start with
the input's ``id``; rows that can't be read or classified come back in an
errors table, not as an exception. The Arrow path needs pyarrow
(``pip install custclass[arrow]``). :class:`CustomerTable` reads such data once for repeated
segment queries; :meth:`Engine.segment_set` evaluates many segments in one
pass (a bit mask per row, a count per segment).

Connectors: :func:`from_shopify`, :func:`from_woocommerce` and
:func:`from_magento` read a webshop's own customer payload (JSON text, the
raw bytes of a webhook, or the dict) into an :class:`Imported`;
:meth:`Engine.to_exact`, :meth:`Engine.to_economic` and
:meth:`Engine.to_reviso` make the body an ERP's API takes (an
:class:`Exported`); :func:`verify_shopify_webhook` and
:func:`verify_woocommerce_webhook` check a webhook's signature before
anything is parsed. Pure functions: no network, no files.
"""

from ._custclass import (
    ArrowResult,
    Classification,
    ConnectError,
    Customer,
    CustomerError,
    CustomerTable,
    DuplicateIndex,
    Engine,
    Error,
    Exported,
    ExpressionError,
    Imported,
    InternalError,
    PricingError,
    Quote,
    Reclassification,
    Segment,
    SegmentSet,
    Setup,
    SetupError,
    TableError,
    __version__,
    error_codes,
    find_duplicates,
    format_expression,
    format_phone,
    from_magento,
    from_shopify,
    from_woocommerce,
    read_csv,
    read_json_lines,
    verify_shopify_webhook,
    verify_woocommerce_webhook,
)

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
    "error_codes",
    "find_duplicates",
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
