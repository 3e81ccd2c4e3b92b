"""The objects themselves: properties, get/apply, conversions, equality and repr."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from typing import Any

import custclass
import pytest

CUSTOMER = {
    "id": "10001",
    "name": "Kfz-Technik Schmidt GmbH",
    "billing_address": {"city": "Köln", "country": "DE"},
    "vat_number": "DE123456788",
    "channel": "webshop",
}


def engine() -> custclass.Engine:
    setup = custclass.Setup.standard("NL").to_dict()
    setup["slots"] = [{"slot": 3, "label": "Region", "values": [{"code": "DACH"}]}]
    setup["rules"].append({"id": "dach", "when": "country in ('DE', 'AT', 'CH')", "set": {"class.Region": "DACH"}})
    return custclass.Engine(setup)


def test_engine_and_segment() -> None:
    eng = engine()
    assert isinstance(eng.setup, custclass.Setup)
    assert eng.setup.to_dict()["home_country"] == "NL"
    assert (eng.slot_label(3), eng.slot_label(1), eng.slot_label(0), eng.slot_label(9)) == ("Region", None, None, None)
    segment = eng.segment("class.Region = 'DACH' and vat_number is not null")
    assert segment.expression == "class.Region = 'DACH' and vat_number is not null"
    # Segments see the classification: the rules put the new customer in DACH.
    assert segment.matches(CUSTOMER) is True
    # Asked for stored values only, it isn't in it until the labels are on the record.
    on_record = eng.segment(segment.expression, stored=True)
    assert on_record.matches(CUSTOMER) is False
    stored = eng.classify(CUSTOMER).apply(CUSTOMER)
    assert on_record.matches(stored) is True
    assert on_record.matches(stored.to_json()) is True
    assert segment.matches(stored.to_dict()) is True
    assert repr(segment) == "Segment(\"class.Region = 'DACH' and vat_number is not null\")"


def test_classification_get_matches_to_dict() -> None:
    result = engine().classify(CUSTOMER)
    as_dict = result.to_dict()
    assert result.customer == as_dict["customer"] == "10001"
    assert result.get("class3") == as_dict["classes"]["class3"] == {
        "value": "DACH",
        "source": {"kind": "rule", "rule": "dach"},
    }
    for name in ("type", "group", "price_group", "vat_zone", "b2b", "receivables_account", "revenue_account", "layout"):
        assert result.get(name) == as_dict[name], name
    for name in ("class1", "class9", "customer", "classes", "Region", "class.Region", ""):
        assert result.get(name) is None, name
    assert result.get("vat_zone") == {"value": "eu", "source": {"kind": "country", "country": "DE"}}
    assert json.loads(result.to_json()) == as_dict


def test_apply_and_reclassify() -> None:
    eng = engine()
    result = eng.classify(CUSTOMER)
    stored = result.apply(CUSTOMER)
    assert isinstance(stored, custclass.Customer)
    assert stored.to_dict()["classes"] == {"class3": "DACH"}
    assert (stored.to_dict()["type"], stored.to_dict()["group"]) == ("BUSINESS", "EU")
    again = eng.reclassify(stored)
    assert (again.customer, again.changes) == ("10001", [])
    assert again.classification == result
    moved = eng.reclassify({**stored.to_dict(), "billing_address": {"country": "US"}})
    assert [change["target"] for change in moved.changes] == ["class3", "group"]
    assert moved.changes[1] == {
        "target": "group",
        "from": {"value": "EU", "source": {"kind": "stored"}},
        "to": {"value": "OVERSEAS", "source": {"kind": "zone_default", "zone": "abroad"}},
        "setup": eng.fingerprint,
    }
    assert moved.to_dict()["changes"] == moved.changes


def test_reclassify_since_a_stored_classification() -> None:
    eng = engine()
    result = eng.classify(CUSTOMER)
    assert result.fingerprint == eng.fingerprint and len(eng.fingerprint) == 64
    account = result.get("receivables_account")
    assert account is not None
    record = {**result.apply(CUSTOMER).to_dict(), "receivables_account": account["value"]}
    record["billing_address"] = {"country": "US"}
    # The earlier classification as the host has it: the object, its dict, its JSON text.
    for previous in (result, result.to_dict(), result.to_json()):
        audit = eng.reclassify(record, previous)
        targets = [change["target"] for change in audit.changes]
        assert "receivables_account" in targets and "group" in targets, targets
        account = audit.changes[targets.index("receivables_account")]
        assert account["from"]["source"] == {"kind": "group", "group": "EU"}
        assert account["from_setup"] == account["setup"] == eng.fingerprint
        assert account["to"]["source"] == {"kind": "group", "group": "OVERSEAS"}
    with pytest.raises(custclass.CustomerError) as caught:
        eng.reclassify(record, {**result.to_dict(), "fingerprint": "abc"})
    assert caught.value.code == "invalid_field" and caught.value.data["field"] == "$.fingerprint"


def test_equality_and_repr() -> None:
    customer = custclass.Customer(CUSTOMER)
    assert customer == custclass.Customer(json.dumps(CUSTOMER)) == custclass.Customer(customer)
    assert customer != custclass.Customer({**CUSTOMER, "name": "x"})
    assert customer != CUSTOMER  # a dict is not a Customer
    assert eval(repr(customer), {"Customer": custclass.Customer}) == customer
    setup = custclass.Setup.standard("NL")
    assert eval(repr(setup), {"Setup": custclass.Setup}) == setup
    assert repr(engine()) == "<Engine home_country=NL>"
    result = engine().classify(CUSTOMER)
    assert repr(result) == f"<Classification {result.to_json()}>"
    assert result == engine().classify(CUSTOMER) and result != engine().classify({"id": "2"})
    assert repr(engine().reclassify(CUSTOMER)).startswith('<Reclassification {"changes":[')


PRICED_SETUP: dict[str, Any] = {
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
            },
            {"id": "sale-5", "items": {"item": "SAW-1"}, "action": {"discount_percent": "5"}},
        ],
    },
}
DEALER = {"id": "D1", "billing_address": {"country": "NL"}}
HAMMER = {
    "item": "HAMMER-1",
    "item_group": "TOOLS",
    "list_price": Decimal("19.99"),
    "quantity": 3,
    "date": "2026-03-01",
    "currency": "EUR",
}


def test_quote() -> None:
    eng = custclass.Engine(PRICED_SETUP)
    quote = eng.price(DEALER, HAMMER)
    assert isinstance(quote, custclass.Quote)
    assert (quote.net_price, quote.line_total, quote.rule) == (Decimal("17.99"), Decimal("53.97"), "dealer-tools-10")
    assert str(quote.net_price) == "17.99"
    as_dict = quote.to_dict()
    assert {k: v for k, v in as_dict.items() if k != "explanation"} == {
        "list_price": "19.99",
        "net_price": "17.99",
        "discount_amount": "2.00",
        "discount_percent": "10.01",
        "quantity": "3",
        "line_total": "53.97",
        "currency": "EUR",
        "rule": "dealer-tools-10",
        "reason": "10% off for price group DEALER, item group TOOLS",
    }
    assert [{k: c[k] for k in ("rule", "verdict", "text")} for c in as_dict["explanation"]] == [
        {"rule": "dealer-tools-10", "verdict": "applied", "text": "applied: 17.99"},
        {"rule": "sale-5", "verdict": "item_out_of_scope", "text": "for other items"},
    ]
    # Every field of the dict form is an attribute too, in words where it is words.
    assert (quote.list_price, quote.quantity, quote.discount_amount, quote.discount_percent) == (
        Decimal("19.99"), Decimal("3"), Decimal("2.00"), Decimal("10.01"))
    assert (quote.currency, quote.stacked, quote.reason) == ("EUR", [], as_dict["reason"])
    assert quote.explanation == as_dict["explanation"]
    assert as_dict["explanation"][0]["description"] == quote.reason
    assert json.loads(quote.to_json()) == as_dict
    # The same line as a Customer and as JSON text gives the same quote.
    assert eng.price(custclass.Customer(DEALER), json.dumps({**HAMMER, "list_price": "19.99"})) == quote
    assert quote != eng.price(DEALER, {**HAMMER, "quantity": 4})
    assert quote != as_dict  # a dict is not a Quote
    assert repr(quote) == f"<Quote {quote.to_json()}>"
    # No rule applies: no rule, the list price stands.
    plain = eng.price(DEALER, {**HAMMER, "item": "NAIL", "item_group": None})
    assert (plain.rule, plain.net_price, "rule" in plain.to_dict()) == (None, Decimal("19.99"), False)
    assert plain.reason == "no price rule applies: list price"
    assert eng.price_lines(DEALER, [HAMMER])[0].explanation is None


def test_price_lines() -> None:
    eng = custclass.Engine(PRICED_SETUP)
    saw = {**HAMMER, "item": "SAW-1", "list_price": "10", "quantity": "2"}
    quotes = eng.price_lines(DEALER, [HAMMER, saw])
    assert [(q.rule, q.line_total) for q in quotes] == [("dealer-tools-10", Decimal("53.97")), ("dealer-tools-10", Decimal("18.00"))]
    # Lines of an order come without explanations; otherwise as price().
    for quote, line in zip(quotes, [HAMMER, saw]):
        single = eng.price(DEALER, line).to_dict()
        del single["explanation"]
        assert quote.to_dict() == single
    assert eng.price_lines(DEALER, json.dumps([{**HAMMER, "list_price": "19.99"}, saw])) == quotes
    assert eng.price_lines(DEALER, (HAMMER, saw)) == quotes
    assert eng.price_lines(DEALER, []) == []


def test_to_json_is_canonical() -> None:
    for value in (
        custclass.Setup.standard("NL"),
        custclass.Customer(CUSTOMER),
        engine().classify(CUSTOMER),
        engine().reclassify(CUSTOMER),
        custclass.Engine(PRICED_SETUP).price(DEALER, HAMMER),
    ):
        text = value.to_json()
        assert text == json.dumps(value.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_engines_are_shared_across_threads_and_files_read_without_the_gil() -> None:
    eng = engine()
    rows = "id;country;vat_number\n" + "".join(f"{i};DE;DE{i:09d}\n" for i in range(2000))
    results: list[Any] = []

    def work() -> None:
        customers = [row["customer"] for row in custclass.read_csv(rows)]
        results.append({eng.classify(c).get("group")["value"] for c in customers})  # type: ignore[index]

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{"EU"}] * 4


def test_one_engine_in_a_thread_pool_answers_as_one_thread() -> None:
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "examples"
    eng = custclass.Engine(examples / "setup.json")
    customers = [row["customer"] for row in custclass.read_csv((examples / "customers.csv").read_bytes())]
    line = {"item": "BRAKE-PAD-F", "item_group": "BRAKES", "list_price": "54.00", "quantity": "12",
            "date": "2026-11-22", "currency": "EUR"}

    def work(_: int) -> list[str]:
        labels = [eng.classify(c).to_json() for c in customers]
        quotes = [q.to_json() for q in eng.price_lines(customers[17], [line] * 50)]
        return labels + quotes

    alone = work(0)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(work, range(8)))
    assert all(answer == alone for answer in answers)
