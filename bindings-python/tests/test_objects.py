"""The objects themselves: properties, get/apply, conversions, equality and repr."""

from __future__ import annotations

import json
import threading
from typing import Any

import custclass

CUSTOMER = {
    "id": "10001",
    "name": "Kfz-Technik Schmidt GmbH",
    "billing_address": {"city": "Köln", "country": "DE"},
    "vat_number": "DE123456789",
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
    # Segments read the values stored on the record, so a new customer isn't in it yet.
    assert segment.matches(CUSTOMER) is False
    stored = eng.classify(CUSTOMER).apply(CUSTOMER)
    assert segment.matches(stored) is True
    assert segment.matches(stored.to_json()) is True
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
        "from": "EU",
        "to": "OVERSEAS",
        "source": {"kind": "zone_default", "zone": "abroad"},
    }
    assert moved.to_dict()["changes"] == moved.changes


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


def test_to_json_is_canonical() -> None:
    for value in (
        custclass.Setup.standard("NL"),
        custclass.Customer(CUSTOMER),
        engine().classify(CUSTOMER),
        engine().reclassify(CUSTOMER),
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
