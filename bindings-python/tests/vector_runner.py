"""The vector runner shared by test_vectors.py and test_parity.py.

The area rules are those of core/tests/vectors.rs (and vectors/runner.mjs):
each case's answer is serialised canonically and compared byte for byte with
the canonical form of its `expected` or `expected_error`.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, Optional

import pyarrow as pa

import custclass

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "vectors"


def canonical(value: Any) -> str:
    """Canonical JSON: keys sorted, no whitespace, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Case(NamedTuple):
    area: str
    file: str
    name: str
    setup: Any
    input: Any
    case: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.area}/{self.file}: {self.name}"


class Answer(NamedTuple):
    key: str  # "expected" or "expected_error"
    json: str  # the canonical answer
    error: Optional[custclass.Error]


def cases() -> Iterator[Case]:
    """Every case of every vectors/<area>/*.json file, in file order."""
    for area_dir in sorted(p for p in VECTORS.iterdir() if p.is_dir()):
        for path in sorted(area_dir.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            for case in doc["cases"]:
                setup = case.get("setup", doc.get("setup"))
                yield Case(area_dir.name, path.name, case["name"], setup, case["input"], case)


def answer(area: str, setup: Any, input: Any) -> Answer:
    """The binding's answer to one case."""
    try:
        return Answer("expected", _compute(area, setup, input), None)
    except custclass.Error as err:
        return Answer("expected_error", canonical(err.data), err)


def _compute(area: str, setup: Any, input: Any) -> str:
    if area == "setup-errors":
        # Setup.validate lists what Engine() refuses; both must agree.
        try:
            custclass.Engine(input)
        except custclass.SetupError as err:
            listed = custclass.Setup.validate(input)
            if canonical(listed) != canonical(err.data["problems"]):
                raise AssertionError(
                    f"Setup.validate gave {canonical(listed)}, Engine raised {canonical(err.data)}"
                ) from err
            raise
        listed = custclass.Setup.validate(input)
        if listed != []:
            raise AssertionError(f"Setup.validate found {canonical(listed)} in a valid setup")
        return canonical({"valid": True})
    if area == "classify":
        engine = custclass.Engine(setup)
        op = input.get("op", "classify")
        if op == "classify" and "on" in input:
            return engine.classify(input["customer"], on=input["on"]).to_json()
        if op == "classify":
            return engine.classify(input["customer"]).to_json()
        if op == "reclassify":
            return engine.reclassify(input["customer"], input.get("previous")).to_json()
        raise AssertionError(f"unknown op {op}")
    if area == "expr":
        if input.get("op") == "format":
            return canonical({"canonical": custclass.format_expression(input["expr"])})
        segment = custclass.Engine(setup).segment(input["expr"], stored=input.get("stored", False))
        return canonical({"matches": segment.matches(input["customer"])})
    if area == "pricing":
        engine = custclass.Engine(setup)
        if "requests" in input:
            quotes = engine.price_lines(input["customer"], input["requests"])
            return canonical({"quotes": [_readable(quote) for quote in quotes]})
        quote = engine.price(input["customer"], input["request"])
        if canonical(_readable(quote)) != quote.to_json():
            raise AssertionError(f"the Quote's attributes differ from to_json(): {_readable(quote)}")
        return quote.to_json()
    if area == "csv":
        return canonical({"rows": custclass.read_csv(input["text"], encoding=input.get("encoding"))})
    if area == "masterdata" and input["op"] == "duplicates":
        groups = custclass.find_duplicates(input["customers"], input.get("similar_names"))
        return canonical({"groups": groups})
    if area == "masterdata" and input["op"] == "phone":
        return canonical(custclass.format_phone(input["number"], input.get("country")))
    if area == "masterdata" and input["op"] == "vat":
        answers = []
        for number in input["numbers"]:
            card: dict[str, Any] = {"id": "1", "vat_number": number}
            if input["country"] is not None:
                card["billing_address"] = {"country": input["country"]}
            customer = custclass.Customer(card)
            answers.append({
                "number": number,
                "vat_valid": customer.vat_valid(),
                "vat_number": customer.normalised().to_dict().get("vat_number"),
                "findings": customer.check(),
            })
        return canonical({"numbers": answers})
    if area == "masterdata" and input["op"] == "engine_check":
        return canonical({"findings": custclass.Engine(setup).check(input["customer"])})
    if area == "masterdata" and input["op"] == "check_new":
        index = custclass.DuplicateIndex(input["customers"])
        return canonical({"findings": index.check(input["customer"])})
    if area == "masterdata":
        customer = custclass.Customer(input["customer"])
        if input["op"] == "anonymise":
            return customer.anonymise().to_json()
        if input["op"] == "check":
            return canonical({"findings": customer.check()})
        if input["op"] == "normalise":
            return customer.normalised().to_json()
        raise AssertionError(f"unknown op {input['op']}")
    if area == "bulk":
        return _bulk(custclass.Engine(setup), input)
    if area == "connect":
        return _connect(setup, input)
    raise AssertionError(f"unknown area {area}")


_IMPORTS = {
    "from_shopify": custclass.from_shopify,
    "from_woocommerce": custclass.from_woocommerce,
    "from_magento": custclass.from_magento,
}
_VERIFIES = {
    "verify_shopify_webhook": custclass.verify_shopify_webhook,
    "verify_woocommerce_webhook": custclass.verify_woocommerce_webhook,
}


def _connect(setup: Any, input: Any) -> str:
    """A payload in (as an object → the dict; as text → the text, with `pad`
    spaces after it), an ERP body out, or a webhook verified."""
    op = input["op"]
    if op in _IMPORTS:
        payload = input["payload"]
        if "pad" in input:
            text = payload if isinstance(payload, str) else canonical(payload)
            payload = text + " " * input["pad"]
        options = input.get("options")
        if options is None and "options" in input:
            options = "null"  # as the Rust runner reads it: JSON null
        return _IMPORTS[op](payload, options).to_json()
    if op in _VERIFIES:
        body, secret, signature = (input.get(key) for key in ("body", "secret", "signature"))
        _VERIFIES[op](
            body if isinstance(body, str) else "",
            secret if isinstance(secret, str) else "",
            signature if isinstance(signature, str) else None,
        )
        return canonical({"verified": True})
    engine = custclass.Engine(setup)
    if op == "to_exact":
        return engine.to_exact(input["customer"]).to_json()
    if op == "to_economic":
        return engine.to_economic(input["customer"]).to_json()
    if op == "to_reviso":
        return engine.to_reviso(input["customer"]).to_json()
    raise AssertionError(f"unknown op {op}")


def _readable(quote: Any) -> dict[str, Any]:
    """A quote's dict form read through its attributes (`quote.net_price`,
    …): what `to_dict()` gives, `rule`, `stacked` and `explanation` left out
    when there are none, as the dict form leaves them out."""
    form: dict[str, Any] = {
        name: str(getattr(quote, name))
        for name in ("list_price", "net_price", "discount_amount", "discount_percent", "quantity", "line_total")
    }
    form.update(currency=quote.currency, reason=quote.reason)
    if quote.rule is not None:
        form["rule"] = quote.rule
    if quote.stacked:
        form["stacked"] = quote.stacked
    if quote.explanation is not None:
        form["explanation"] = quote.explanation
    return form


def _bulk(engine: custclass.Engine, input: Any) -> str:
    """The Arrow path on pyarrow tables built from the JSON columns (in
    file order, types as pyarrow infers them)."""
    if input["op"] == "price_lines":
        customers = pa.table(input["customers"]) if "customers" in input else None
        result = engine.price_lines(pa.table(input["lines"]), customers=customers, explain=input.get("explain"))
        table, errors = result
        columns = {name: [_plain(v) for v in values] for name, values in table.to_pydict().items()}
        answer = {"columns": columns, "errors": errors.to_pylist()}
        if "explain" in input:
            answer["explanations"] = {str(row): quote.to_dict() for row, quote in result.explanations.items()}
        return canonical(answer)
    data = pa.table(input["columns"])
    if input["op"] == "classify_table":
        table, errors = engine.classify_table(data)
        # The input's id comes first, to join on; the vectors hold the core's columns.
        assert table.column("id").equals(data.column("id"))
        columns = table.drop_columns(["id"]).to_pydict()
        return canonical({"columns": columns, "errors": errors.to_pylist()})
    if input["op"] == "segment_set":
        segments = engine.segment_set(
            [(name, expression) for name, expression in input["segments"]],
            stored=input.get("stored", False),
        )
        masked = segments.masks(data)
        masks, errors = masked
        return canonical({
            "masks": masks.column("mask").to_pylist(),
            "counts": segments.counts(data),
            "errors": errors.to_pylist(),
            "warnings": masked.warnings,
        })
    if input["op"] == "segment_rows":
        segment = engine.segment(input["expression"], stored=input.get("stored", False))
        rows = segment.rows(data).to_pylist()
        filtered = segment.filter(data)
        return canonical({"rows": rows, "errors": filtered.errors.to_pylist(), "warnings": filtered.warnings})
    raise AssertionError(f"unknown op {input['op']}")


def _plain(value: Any) -> Any:
    """Decimals as the core's JSON writes them: exact text."""
    return str(value) if isinstance(value, decimal.Decimal) else value
