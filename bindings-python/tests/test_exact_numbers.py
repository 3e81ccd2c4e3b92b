"""Floats for money and quantities: accepted with at most six places in
their shortest form, refused otherwise with the decimal meant (issue 19)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

import custclass

SETUP: dict[str, Any] = {
    "home_country": "NL",
    "types": [{"code": "B2B", "default": True}],
    "groups": [{"code": "DOMESTIC", "type": "B2B", "default": True, "price_group": "DEALER"}],
    "price_groups": [{"code": "DEALER"}],
    "attributes": [{"name": "turnover", "kind": "number"}],
    "pricing": {"item_groups": [{"code": "TOOLS"}], "rules": []},
}
CUSTOMER = {"id": "D1", "billing_address": {"country": "NL"}}
LINE: dict[str, Any] = {
    "item": "HAMMER-1",
    "item_group": "TOOLS",
    "list_price": "19.99",
    "quantity": "3",
    "date": "2026-03-01",
    "currency": "EUR",
}


def test_a_float_quantity_of_point_one_plus_point_two_is_refused() -> None:
    engine = custclass.Engine(SETUP)
    with pytest.raises(custclass.PricingError) as caught:
        engine.price(CUSTOMER, {**LINE, "quantity": 0.1 + 0.2})
    assert caught.value.code == "invalid_field"
    assert str(caught.value) == (
        "$.quantity: 0.30000000000000004 is a float with more than 6 decimal places; "
        "pass a decimal or a string such as '0.3'"
    )


def test_a_float_list_price_with_too_many_places_is_refused() -> None:
    engine = custclass.Engine(SETUP)
    with pytest.raises(custclass.PricingError, match="such as '43.945'"):
        engine.price(CUSTOMER, {**LINE, "list_price": 43.94500000000001})


def test_floats_with_few_places_decimals_and_strings_are_exact() -> None:
    engine = custclass.Engine(SETUP)
    assert engine.price(CUSTOMER, {**LINE, "list_price": 43.945125}).to_dict()["list_price"] == "43.945125"
    for price in (Decimal("43.94500000000001"), "43.94500000000001"):
        quote = engine.price(CUSTOMER, {**LINE, "list_price": price})
        assert quote.to_dict()["list_price"] == "43.94500000000001"


def test_a_decimal_attribute_with_many_places_is_kept_and_a_float_refused() -> None:
    engine = custclass.Engine(SETUP)
    engine.classify({**CUSTOMER, "attributes": {"turnover": Decimal("0.30000000000000004")}})
    with pytest.raises(custclass.CustomerError, match=r"\$\.attributes\.turnover: 0\.30000000000000004 is a float"):
        engine.classify({**CUSTOMER, "attributes": {"turnover": 0.1 + 0.2}})


def test_a_float64_column_refuses_the_cell_naming_its_row() -> None:
    engine = custclass.Engine(SETUP)
    lines = pa.table(
        {
            "customer": ["D1", "D1"],
            "item": ["H", "H"],
            "item_group": ["TOOLS", "TOOLS"],
            "list_price": [19.99, 43.94500000000001],
            "quantity": [0.1 + 0.2, 2.0],
            "date": ["2026-03-01", "2026-03-01"],
            "currency": ["EUR", "EUR"],
        }
    )
    result = engine.price_lines(lines)
    errors = result.errors.to_pylist()
    assert [(e["row"], e["column"]) for e in errors] == [(0, "quantity"), (1, "list_price")]
    assert errors[0]["message"] == (
        "quantity: 0.30000000000000004 is a float with more than 6 decimal places; "
        "pass a decimal or a string such as '0.3'"
    )
