"""Errors: the documented class, code, data and attributes for each concern,
and the host-side conversion errors."""

from __future__ import annotations

import datetime
import enum
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import custclass

BAD_SETUP: dict[str, Any] = {
    "home_country": "NL",
    "types": [{"code": "B2B", "default": True}],
    "groups": [{"code": "DOMESTIC", "type": "B2C"}],
}
BAD_SETUP_PROBLEM = {
    "code": "unknown_type",
    "message": "type 'B2C' is not defined",
    "path": "$.groups[0].type",
    "value": "B2C",
}
SETUP = {
    "home_country": "NL",
    "types": [{"code": "B2B", "default": True}],
    "groups": [{"code": "DOMESTIC", "type": "B2B", "default": True, "receivables_account": "1300"}],
    "slots": [{"slot": 2, "label": "Size", "values": [{"code": "BIG"}, {"code": "SMALL"}]}],
    "attributes": [{"name": "turnover", "kind": "number"}],
    "rules": [{"id": "big", "when": "attr.turnover > 1500.49", "set": {"class.Size": "BIG"}}],
}


def check_error(err: custclass.Error, cls: type, code: str) -> None:
    """What every custclass error carries."""
    assert type(err) is cls
    assert isinstance(err, custclass.Error) and isinstance(err, ValueError)
    assert err.code == code == err.data["code"]
    assert err.message == err.data["message"] == str(err)
    for key, value in err.data.items():
        assert getattr(err, key) == value


@pytest.mark.parametrize("form", ["dict", "json", "path", "pathlike"])
def test_a_bad_setup_raises_setup_error(form: str, tmp_path: Path) -> None:
    text = json.dumps(BAD_SETUP, indent=2)
    (tmp_path / "setup.json").write_text(text, encoding="utf-8")
    source: Any = {
        "dict": BAD_SETUP,
        "json": text,
        "path": str(tmp_path / "setup.json"),
        "pathlike": tmp_path / "setup.json",
    }[form]
    with pytest.raises(custclass.SetupError) as caught:
        custclass.Engine(source)
    err = caught.value
    check_error(err, custclass.SetupError, "invalid_setup")
    assert err.problems == [BAD_SETUP_PROBLEM]
    assert err.message == "the setup has 1 problem(s); first: $.groups[0].type: type 'B2C' is not defined"


def test_setup_json_errors_carry_line_and_column() -> None:
    with pytest.raises(custclass.SetupError) as caught:
        custclass.Setup('{"home_country": "NL",\n "grups": []}')
    (problem,) = caught.value.problems
    assert (problem["code"], problem["path"], problem["line"], problem["column"]) == (
        "json_unknown_field",
        "$.grups",
        2,
        8,
    )


def test_an_unreadable_setup_file_is_an_os_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(FileNotFoundError) as caught:
        custclass.Engine(str(missing))
    assert caught.value.filename == str(missing)
    (tmp_path / "latin1.json").write_bytes(b'{"home_country": "NL", "x": "\xe9"}')
    with pytest.raises(OSError, match="latin1.json"):
        custclass.Setup(tmp_path / "latin1.json")


def test_validate_lists_every_problem_and_raises_none() -> None:
    setup = {
        "home_country": "NL",
        "types": [{"code": ""}, {"code": "A", "default": True}, {"code": "B", "default": True}],
        "groups": [{"code": "G", "type": "C"}],
        "rules": [{"id": "r", "when": "contry = 'NL'", "set": {}}],
    }
    problems = custclass.Setup.validate(setup)
    codes = [problem["code"] for problem in problems]
    assert codes == [
        "empty_code",
        "multiple_default_types",
        "unknown_type",
        "invalid_condition",
        "empty_rule",
    ], problems
    with pytest.raises(custclass.SetupError) as caught:
        custclass.Engine(setup)
    assert caught.value.problems == problems
    assert custclass.Setup.validate(json.dumps(setup)) == problems
    assert custclass.Setup.validate(SETUP) == []
    assert custclass.Setup.validate(custclass.Setup(SETUP)) == []
    # JSON that doesn't fit the format is one problem, not an exception.
    assert [p["code"] for p in custclass.Setup.validate("{")] == ["json_syntax"]


def test_a_bad_country_code_for_the_standard_setup_is_a_value_error() -> None:
    # The core's CountryCode has no error code, so this is a plain ValueError.
    with pytest.raises(ValueError, match="`XX` is not an ISO 3166-1 alpha-2 country code") as caught:
        custclass.Setup.standard("XX")
    assert not isinstance(caught.value, custclass.Error)
    assert custclass.Setup.standard("nl") == custclass.Setup.standard("NL")


@pytest.mark.parametrize("form", ["dict", "json"])
def test_a_bad_customer_raises_customer_error(form: str) -> None:
    engine = custclass.Engine(SETUP)
    customer: Any = {"id": "1", "billing_address": {"country": "XX"}}
    if form == "json":
        customer = json.dumps(customer)
    with pytest.raises(custclass.CustomerError) as caught:
        engine.classify(customer)
    err = caught.value
    check_error(err, custclass.CustomerError, "invalid_field")
    assert err.field == "$.billing_address.country"
    assert err.detail == "`XX` is not an ISO 3166-1 alpha-2 country code"


def test_a_customer_that_does_not_fit_the_setup() -> None:
    engine = custclass.Engine(SETUP)
    with pytest.raises(custclass.CustomerError) as caught:
        engine.classify({"id": "1", "classes": {"class2": "HUGE"}})
    check_error(caught.value, custclass.CustomerError, "unknown_slot_value")
    assert (caught.value.field, caught.value.value) == ("class2", "HUGE")
    with pytest.raises(custclass.CustomerError) as caught:
        custclass.Customer('{"id": "1", "nmae": "x"}')
    check_error(caught.value, custclass.CustomerError, "json_unknown_field")
    assert caught.value.field == "$.nmae"


def test_a_bad_expression_raises_expression_error() -> None:
    engine = custclass.Engine(SETUP)
    with pytest.raises(custclass.ExpressionError) as caught:
        engine.segment("contry = 'NL'")
    err = caught.value
    check_error(err, custclass.ExpressionError, "unknown_field")
    assert (err.offset, err.name, err.suggestion) == (0, "contry", "country")
    with pytest.raises(custclass.ExpressionError) as caught:
        engine.segment("country = 'NL' and")
    check_error(caught.value, custclass.ExpressionError, "unexpected_end")
    assert caught.value.offset == 18


def test_a_bad_csv_header_raises_table_error() -> None:
    with pytest.raises(custclass.TableError) as caught:
        custclass.read_csv("id;nmae\n1;x\n")
    err = caught.value
    check_error(err, custclass.TableError, "unknown_column")
    assert (err.column, err.position) == ("nmae", 2)
    with pytest.raises(custclass.TableError) as caught:
        custclass.read_csv(b"name\nx\n")
    check_error(caught.value, custclass.TableError, "missing_column")


def test_invalid_utf8_in_the_header_is_unreadable() -> None:
    with pytest.raises(custclass.TableError) as caught:
        custclass.read_csv(b"id;n\xffame\n1;x\n")
    check_error(caught.value, custclass.TableError, "unreadable_header")
    assert "column 2 is not UTF-8 text" in caught.value.detail
    assert "windows-1252" in caught.value.detail


def test_bad_rows_do_not_stop_a_file() -> None:
    rows = custclass.read_csv(b"id,name,credit_limit\n1,A,10.50\n2,B\n3,\xff,x\n")
    assert rows[0] == {"line": 2, "customer": {"id": "1", "name": "A", "credit_limit": "10.50"}}
    assert [e["code"] for e in rows[1]["errors"]] == ["field_count"]
    assert [(e["code"], e["column"]) for e in rows[2]["errors"]] == [
        ("invalid_utf8", "name"),
        ("invalid_field", "credit_limit"),
    ]
    lines = custclass.read_json_lines('{"id": "1"}\n\n{"id": "2", "billing_address": {"country": "XX"}}\n')
    assert lines[0] == {"line": 1, "customer": {"id": "1"}}
    assert (lines[1]["line"], lines[1]["errors"][0]["column"]) == (3, "$.billing_address.country")


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"id": "1", "attributes": {"tags": {"a", "b"}}}, "$.attributes.tags"),
        ({"id": "1", "attributes": {"card": [object()]}}, "$.attributes.card[0]"),
        ({"id": "1", 2: "x"}, "$"),
    ],
)
def test_a_value_json_cannot_hold_is_a_type_error(value: Any, where: str) -> None:
    with pytest.raises(TypeError, match=f"^{re.escape(where)}: "):
        custclass.Customer(value)


def test_self_containing_values_are_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="nested deeper"):
        custclass.Customer({"id": "1", "attributes": {"x": loop}})


def test_a_decimal_keeps_its_exact_value() -> None:
    customer = custclass.Customer({"id": "1", "attributes": {"turnover": Decimal("1500.50")}})
    assert '"turnover":"1500.50"' in customer.to_json()
    assert customer.to_dict()["attributes"]["turnover"] == "1500.50"
    engine = custclass.Engine(SETUP)
    assert engine.classify(customer).get("class2") == {"value": "BIG", "source": {"kind": "rule", "rule": "big"}}
    assert engine.classify({"id": "2", "attributes": {"turnover": Decimal("1500.49")}}).get("class2") is None
    wide = Decimal("123456789012345678901234.5")
    assert custclass.Customer({"id": "3", "credit_limit": wide}).to_dict()["credit_limit"] == str(wide)
    # Too many digits for the core's decimal: refused, not turned into a float.
    with pytest.raises(custclass.CustomerError) as caught:
        custclass.Customer({"id": "3", "attributes": {"turnover": Decimal("1" * 40)}})
    assert (caught.value.code, caught.value.field) == ("invalid_field", "$.attributes.turnover")
    with pytest.raises(ValueError, match=r"\$.attributes.x: NaN is not a JSON number"):
        custclass.Customer({"id": "3", "attributes": {"x": Decimal("NaN")}})
    # Beyond a float's range is still a JSON number: the core refuses it by its own rule.
    with pytest.raises(custclass.CustomerError) as caught:
        custclass.Customer({"id": "3", "attributes": {"x": Decimal("1E+400")}})
    assert (caught.value.code, caught.value.field) == ("invalid_field", "$.attributes.x")
    assert custclass.Customer({"id": "3", "attributes": {"x": Decimal("-1.5E+3")}}).to_dict()["attributes"]["x"] == "-1500"


def test_the_day_of_classification() -> None:
    engine = custclass.Engine(custclass.Setup.standard("NL"))
    customer = {"id": "1", "billing_address": {"country": "GB"}}
    assert engine.classify(customer, on="2020-12-31").get("vat_zone")["value"] == "eu"  # type: ignore[index]
    assert engine.classify(customer, on=datetime.date(2021, 1, 1)).get("vat_zone")["value"] == "abroad"  # type: ignore[index]
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        engine.classify(customer, on="2021-01-01T10:00")
    with pytest.raises(TypeError, match="datetime"):
        engine.classify(customer, on=datetime.datetime(2021, 1, 1))


def test_host_numbers_keep_their_text() -> None:
    class Size(enum.IntEnum):
        BIG = 7

    customer = custclass.Customer({"id": "1", "attributes": {"a": 1.5, "b": 10**20, "c": Size.BIG, "d": 1e-6}})
    assert customer.to_dict()["attributes"] == {"a": "1.5", "b": "100000000000000000000", "c": "7", "d": "0.000001"}
    # More places than a float may carry (issue 19): refused with the decimal meant.
    with pytest.raises(custclass.CustomerError, match=r"0\.0000001 is a float with more than 6 decimal places"):
        custclass.Customer({"id": "1", "attributes": {"d": 1e-7}})
    with pytest.raises(ValueError, match=r"^\$.attributes.a: inf is not a JSON number$"):
        custclass.Customer({"id": "1", "attributes": {"a": float("inf")}})


@pytest.mark.parametrize("value", [None, [1], 3])
def test_a_setup_of_another_kind_is_a_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="expected a Setup, a dict, JSON text or a path"):
        custclass.Engine(value)


PRICING_SETUP: dict[str, Any] = {
    "home_country": "NL",
    "types": [{"code": "B2B", "default": True}],
    "groups": [{"code": "DOMESTIC", "type": "B2B", "default": True, "price_group": "DEALER"}],
    "price_groups": [{"code": "DEALER"}],
    "pricing": {
        "item_groups": [{"code": "TOOLS"}],
        "rules": [
            {
                "id": "dealer-tools-10",
                "customers": {"price_group": "DEALER"},
                "items": {"item_group": "TOOLS"},
                "action": {"discount_percent": "10"},
            }
        ],
    },
}
PRICING_CUSTOMER = {"id": "D1", "billing_address": {"country": "NL"}}
LINE = {
    "item": "HAMMER-1",
    "item_group": "TOOLS",
    "list_price": "19.99",
    "quantity": "3",
    "date": "2026-03-01",
    "currency": "EUR",
}


@pytest.mark.parametrize(
    ("change", "code", "context"),
    [
        ({"quantity": "-1"}, "invalid_quantity", {"quantity": "-1"}),
        ({"quantity": Decimal("0")}, "invalid_quantity", {"quantity": "0"}),
        ({"list_price": "-0.01"}, "negative_list_price", {"list_price": "-0.01"}),
        ({"date": "2026-02-30"}, "invalid_field", {"field": "$.date"}),
        ({"currency": "XYZ"}, "invalid_field", {"field": "$.currency"}),
        ({"item_group": "GARDEN"}, "unknown_item_group", {"value": "GARDEN"}),
        ({"qty": 1}, "json_unknown_field", {"field": "$.qty"}),
    ],
)
@pytest.mark.parametrize("form", ["dict", "json"])
def test_a_bad_line_raises_pricing_error(change: dict[str, Any], code: str, context: dict[str, Any], form: str) -> None:
    engine = custclass.Engine(PRICING_SETUP)
    line: Any = {**LINE, **change}
    if form == "json":
        line = json.dumps(line, default=str)
    with pytest.raises(custclass.PricingError) as caught:
        engine.price(PRICING_CUSTOMER, line)
    err = caught.value
    check_error(err, custclass.PricingError, code)
    for key, value in context.items():
        assert getattr(err, key) == value, key
    assert "line" not in err.data


def test_a_bad_line_in_an_order_names_the_line() -> None:
    engine = custclass.Engine(PRICING_SETUP)
    with pytest.raises(custclass.PricingError) as caught:
        engine.price_lines(PRICING_CUSTOMER, [LINE, LINE, {**LINE, "quantity": "-2"}])
    check_error(caught.value, custclass.PricingError, "invalid_quantity")
    assert caught.value.line == 2
    assert caught.value.message == "line 2: quantity: -2 is not more than zero"
    # Lines that can't be read: the whole list is read as one array.
    for requests in ([LINE, {**LINE, "date": "2026-13-01"}], json.dumps([LINE, {**LINE, "date": "2026-13-01"}])):
        with pytest.raises(custclass.PricingError) as caught:
            engine.price_lines(PRICING_CUSTOMER, requests)
        check_error(caught.value, custclass.PricingError, "invalid_field")
        assert (caught.value.line, caught.value.field) == (1, "$[1].date")
    # One line where a list belongs: not an array.
    with pytest.raises(custclass.PricingError) as caught:
        engine.price_lines(PRICING_CUSTOMER, LINE)  # type: ignore[call-overload]
    check_error(caught.value, custclass.PricingError, "invalid_field")
    assert (caught.value.field, "line" in caught.value.data) == ("$", False)
    with pytest.raises(custclass.PricingError) as caught:
        engine.price(PRICING_CUSTOMER, '{"item": "X",,}')
    check_error(caught.value, custclass.PricingError, "json_syntax")
    assert (caught.value.line_number, caught.value.column) == (1, 14)


def test_a_customer_that_does_not_fit_the_prices() -> None:
    engine = custclass.Engine(PRICING_SETUP)
    with pytest.raises(custclass.PricingError) as caught:
        engine.price({**PRICING_CUSTOMER, "price_group": "GOLD"}, LINE)
    check_error(caught.value, custclass.PricingError, "invalid_customer")
    assert caught.value.error == {"code": "unknown_price_group", "field": "price_group", "value": "GOLD"}
    with pytest.raises(custclass.PricingError) as caught:
        engine.price_lines({**PRICING_CUSTOMER, "price_group": "GOLD"}, [LINE])
    check_error(caught.value, custclass.PricingError, "invalid_customer")
    assert caught.value.line == 0
    # A customer that can't be read at all is the customer's error.
    with pytest.raises(custclass.CustomerError) as customer_caught:
        engine.price({"id": "D1", "nmae": "x"}, LINE)
    check_error(customer_caught.value, custclass.CustomerError, "json_unknown_field")
    with pytest.raises(custclass.CustomerError):
        engine.price_lines({"id": "D1", "nmae": "x"}, [LINE])


@pytest.mark.parametrize(
    ("rule", "code", "path"),
    [
        ({"action": {"discount_percent": "150"}}, "invalid_percent", "$.pricing.rules[0].action.discount_percent"),
        (
            {"action": {"discount_percent": "10"}, "customers": {"price_group": "GOLD"}},
            "unknown_price_group",
            "$.pricing.rules[0].customers.price_group",
        ),
    ],
)
def test_a_bad_price_rule_raises_setup_error(rule: dict[str, Any], code: str, path: str) -> None:
    setup = {**PRICING_SETUP, "pricing": {"rules": [{"id": "r", **rule}]}}
    with pytest.raises(custclass.SetupError) as caught:
        custclass.Engine(setup)
    check_error(caught.value, custclass.SetupError, "invalid_setup")
    assert [(p["code"], p["path"]) for p in caught.value.problems] == [(code, path)]


@pytest.mark.parametrize("requests", [{"a"}, [LINE, {"quantity": object()}]])
def test_lines_json_cannot_hold_are_a_type_error(requests: Any) -> None:
    engine = custclass.Engine(PRICING_SETUP)
    with pytest.raises(TypeError):
        engine.price_lines(PRICING_CUSTOMER, requests)


def test_a_panic_becomes_an_internal_error_and_the_process_goes_on() -> None:
    """Every exported function runs inside a guard that turns a panic into
    `InternalError` (code `internal`), which `except Exception` catches,
    instead of pyo3's `PanicException`, a `BaseException`."""
    with pytest.raises(custclass.InternalError) as caught:
        custclass._custclass._panic("the engine lost its rules")
    check_error(caught.value, custclass.InternalError, "internal")
    assert caught.value.detail == "the engine lost its rules"
    assert "please report it" in caught.value.message
    try:
        custclass._custclass._panic("again")
    except Exception as err:  # noqa: BLE001 - the point: an ordinary exception
        assert isinstance(err, custclass.Error)
    group = custclass.Engine(SETUP).classify({"id": "1"}).get("group")
    assert group is not None and group["value"] == "DOMESTIC"


def test_limits_end_in_typed_errors() -> None:
    engine = custclass.Engine(SETUP)
    deep = "(" * 100_000 + "country = 'NL'" + ")" * 100_000
    with pytest.raises(custclass.ExpressionError) as caught:
        engine.segment(deep)
    check_error(caught.value, custclass.ExpressionError, "too_deep")
    assert caught.value.limit == 64
    long = "id in (" + ", ".join(f"'{n:06}'" for n in range(120_000)) + ")"
    with pytest.raises(custclass.ExpressionError) as caught:
        engine.segment(long)
    check_error(caught.value, custclass.ExpressionError, "too_long")
    assert (caught.value.limit, caught.value.length) == (1 << 20, len(long))

    rows = custclass.read_csv(b"id;name\n1;Ada\n2;" + b"x" * (100 << 20) + b"\n3;Grace\n")
    assert [row["line"] for row in rows] == [2, 3, 4]
    assert rows[1]["errors"][0]["code"] == "row_too_long"
    assert rows[2]["customer"]["name"] == "Grace"

    too_many = dict(SETUP, rules=[SETUP["rules"][0]] * 10_001)
    with pytest.raises(custclass.SetupError) as refused:
        custclass.Engine(too_many)
    assert refused.value.problems[0]["code"] == "too_many"
    assert refused.value.problems[0]["path"] == "$.rules"
