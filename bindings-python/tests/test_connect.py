"""Connectors beyond the vectors: a payload as text, bytes or dict reads the
same; webhook signatures computed here with the standard library's `hmac`
verify, and fail for a tampered body; ERP bodies are plain dicts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Callable

import pytest

import custclass
from vector_runner import VECTORS, canonical


def _cases(file: str) -> tuple[Any, list[dict[str, Any]]]:
    doc = json.loads((VECTORS / "connect" / file).read_text(encoding="utf-8"))
    return doc.get("setup"), doc["cases"]


def _payload_case(file: str) -> dict[str, Any]:
    """The first case of `file` that reads a payload given as an object."""
    for case in _cases(file)[1]:
        if "expected" in case and isinstance(case["input"].get("payload"), dict) and "pad" not in case["input"]:
            return case
    raise AssertionError(f"connect/{file} has no payload given as an object")


READERS: list[tuple[str, Callable[..., custclass.Imported]]] = [
    ("shopify.json", custclass.from_shopify),
    ("woocommerce.json", custclass.from_woocommerce),
    ("magento.json", custclass.from_magento),
]


@pytest.mark.parametrize(("file", "read"), READERS, ids=[file for file, _ in READERS])
def test_a_payload_as_text_bytes_or_dict_reads_the_same(file: str, read: Callable[..., custclass.Imported]) -> None:
    case = _payload_case(file)
    payload = case["input"]["payload"]
    options = case["input"].get("options")
    imported = read(payload, options)
    assert isinstance(imported, custclass.Imported)
    assert imported.to_json() == canonical(case["expected"])
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    for form in (text, text.encode("utf-8"), bytearray(text.encode("utf-8"))):
        assert read(form, options) == imported
    assert isinstance(imported.customer, custclass.Customer)
    assert imported.customer.to_dict() == case["expected"]["customer"]
    assert imported.findings == case["expected"]["findings"]
    assert imported.profile == case["expected"]["profile"]
    assert imported.to_dict() == case["expected"]
    assert repr(imported).startswith("<Imported {")


def test_a_payload_that_is_not_utf8_or_json_is_refused() -> None:
    with pytest.raises(custclass.ConnectError) as not_text:
        custclass.from_shopify(b'{"id": "\xff"}')
    assert not_text.value.code == "json_syntax"
    assert str(not_text.value) == "not UTF-8 text (line 1, column 9)"
    with pytest.raises(TypeError, match="can't be converted to JSON"):
        custclass.from_shopify({"id": object()})
    with pytest.raises(custclass.ConnectError) as shape:
        custclass.from_shopify([1, 2])  # type: ignore[arg-type]
    assert shape.value.code == "wrong_shape"
    with pytest.raises(custclass.ConnectError) as raised:
        custclass.from_shopify('{"id": ')
    assert raised.value.code == "json_syntax"
    assert isinstance(raised.value, custclass.Error)
    assert isinstance(raised.value, ValueError)
    assert raised.value.data["code"] == "json_syntax"


def test_import_options_are_a_dict_and_checked() -> None:
    payload = _payload_case("shopify.json")["input"]["payload"]
    imported = custclass.from_shopify(payload, {"id": "C-1"})
    assert imported.customer.id == "C-1"
    assert custclass.from_shopify(payload, '{"id": "C-1"}') == imported
    assert custclass.from_shopify(payload, None) == custclass.from_shopify(payload)
    with pytest.raises(custclass.ConnectError) as raised:
        custclass.from_shopify(payload, {"idd": "C-1"})
    assert raised.value.code in {"invalid_field", "json_syntax"}


def _signature(body: bytes, secret: bytes) -> str:
    """The header value as Shopify and WooCommerce send it: base64 of the
    body's HMAC-SHA256 under the secret, computed here independently."""
    return base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode("ascii")


VERIFIERS: list[tuple[str, Callable[[Any, Any, Any], None]]] = [
    ("shopify", custclass.verify_shopify_webhook),
    ("woocommerce", custclass.verify_woocommerce_webhook),
]


@pytest.mark.parametrize(("name", "verify"), VERIFIERS, ids=[name for name, _ in VERIFIERS])
def test_a_signed_webhook_verifies_and_a_tampered_one_does_not(
    name: str, verify: Callable[[Any, Any, Any], None]
) -> None:
    body = json.dumps({"id": 706405506930370084, "email": "zoë@example.nl", "note": name}, ensure_ascii=False).encode()
    secret = b"hush-hush-" + name.encode()
    signature = _signature(body, secret)
    # Each returns None, and raises for a body the signature isn't of.
    verify(body, secret, signature)
    verify(body.decode("utf-8"), secret.decode("ascii"), signature)
    verify(bytearray(body), secret, signature)
    tampered = body.replace(b"example.nl", b"example.com")
    with pytest.raises(custclass.ConnectError) as raised:
        verify(tampered, secret, signature)
    assert raised.value.code == "invalid_signature"
    with pytest.raises(custclass.ConnectError) as raised:
        verify(body, b"another secret", signature)
    assert raised.value.code == "invalid_signature"
    with pytest.raises(custclass.ConnectError) as raised:
        verify(body, secret, None)
    assert raised.value.code == "missing_signature"


EXPORTS = [("exact.json", "to_exact"), ("economic.json", "to_economic"), ("reviso.json", "to_reviso")]


@pytest.mark.parametrize(("file", "method"), EXPORTS, ids=[method for _, method in EXPORTS])
def test_an_erp_body_is_a_plain_dict(file: str, method: str) -> None:
    setup, cases = _cases(file)
    case = next(c for c in cases if "expected" in c and c["input"]["op"] == method)
    engine = custclass.Engine(case.get("setup", setup))
    exported = getattr(engine, method)(case["input"]["customer"])
    assert isinstance(exported, custclass.Exported)
    assert type(exported.body) is dict
    assert exported.body == case["expected"]["body"]
    assert exported.system == case["expected"]["system"]
    assert exported.findings == case["expected"]["findings"]
    assert exported.to_dict() == case["expected"]
    assert json.loads(exported.to_json()) == case["expected"]
    # A Customer object gives the same body as its dict.
    assert getattr(engine, method)(custclass.Customer(case["input"]["customer"])) == exported
