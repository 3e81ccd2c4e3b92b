"""VAT numbers checked against the reference validator, python-stdnum: every
number in the vectors, and numbers generated here for every country (random
bodies of each country's shapes, half of them completed with the check
character python-stdnum accepts, some written the way people type them).

Where the two read a number differently on purpose, the reference is asked
about the number with our separators dropped: we take space, dot, comma,
slash, colon, dashes of any kind, their full-width forms and invisible
characters (zero-width spaces, soft hyphens, direction marks) anywhere,
where python-stdnum takes a few per country. Nothing else differs.
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Optional

import pytest
import stdnum.ch.vat
import stdnum.eu.vat
import stdnum.gb.vat
import stdnum.no.mva

import custclass

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "masterdata"

SEPARATORS = re.compile(
    r"[\s.,/:\-\u00ad\u00b7\u200b-\u200f\u2010-\u2015\u2022\u2027\u202a-\u202e\u2060\u2066-\u2069"
    r"\u2212\ufe63\ufeff\uff0c\uff0d\uff0e\uff0f\uff1a]"
)
PREFIXES = (
    "CHE AT BE BG CY CZ DE DK EE EL GR ES FI FR GB HR HU IE IT LT LU LV MT NL NO PL PT RO SE SI SK XI"
).split()
# The prefix of a number written without one, by billing country (ISO).
HOME = {"GR": "EL", "CH": "CHE", "MC": "FR", "IM": "GB"}


def reference(number: str, country: Optional[str]) -> Optional[bool]:
    """python-stdnum's verdict on `number` for a customer in `country`: the
    prefix written, or the country's; None where there is nothing to check
    it by."""
    compact = SEPARATORS.sub("", number).upper()
    if not any(compact.startswith(prefix) for prefix in PREFIXES):
        home = HOME.get(country or "", country)
        if home is None or home not in PREFIXES:
            return None if country else False
        compact = home + compact
    if compact.startswith("CHE"):
        return bool(stdnum.ch.vat.is_valid(compact))
    if compact.startswith("NO"):
        return bool(stdnum.no.mva.is_valid(compact))
    if compact.startswith("GB"):
        return bool(stdnum.gb.vat.is_valid(compact))
    return bool(stdnum.eu.vat.is_valid(compact))


def ours(number: str, country: Optional[str]) -> Optional[bool]:
    card: dict[str, object] = {"id": "1", "vat_number": number}
    if country is not None:
        card["billing_address"] = {"country": country}
    return custclass.Customer(card).vat_valid()


def vector_numbers() -> Iterator[tuple[str, Optional[str]]]:
    for case in json.loads((VECTORS / "vat.json").read_text(encoding="utf-8"))["cases"]:
        for number in case["input"]["numbers"]:
            yield number, case["input"]["country"]


def test_every_vector_number_agrees_with_python_stdnum() -> None:
    numbers = list(vector_numbers())
    assert len(numbers) >= 300
    disagree = [
        (number, country, ours(number, country), reference(number, country))
        for number, country in numbers
        if reference(number, country) is not None and ours(number, country) != reference(number, country)
    ]
    assert disagree == []
    valid = sum(ours(number, country) is True for number, country in numbers)
    assert valid >= 100 and len(numbers) - valid >= 60, "both verdicts are well represented"


# --- generated numbers --------------------------------------------------------

Shape = Callable[[random.Random], str]


def digits(r: random.Random, n: int) -> str:
    return "".join(r.choice(string.digits) for _ in range(n))


def letter(r: random.Random, alphabet: str = string.ascii_uppercase) -> str:
    return r.choice(alphabet)


def birth(r: random.Random, order: str = "ymd", month_plus: tuple[int, ...] = (0,)) -> str:
    """Six digits of a date, real or not, in `order`."""
    parts = {
        "y": f"{r.randrange(100):02d}",
        "m": f"{r.randrange(1, 13) + r.choice(month_plus):02d}",
        "d": f"{r.randrange(1, 32):02d}",
    }
    return "".join(parts[c] for c in order)


SHAPES: dict[str, list[Shape]] = {
    "AT": [lambda r: "U" + digits(r, 8)],
    "BE": [lambda r: letter(r, "01") + digits(r, 9), lambda r: digits(r, 9), lambda r: "(0)" + digits(r, 9)],
    "BG": [lambda r: digits(r, 9), lambda r: digits(r, 10), lambda r: birth(r, "ymd", (0, 20, 40)) + digits(r, 4)],
    "CHE": [lambda r: digits(r, 9) + r.choice(["MWST", "TVA", "IVA", "TPV", "MVA", ""])],
    "CY": [lambda r: digits(r, 8) + letter(r), lambda r: "12" + digits(r, 6) + letter(r)],
    "CZ": [
        lambda r: digits(r, 8),
        lambda r: "6" + digits(r, 8),
        lambda r: birth(r, "ymd", (0, 20, 50, 70)) + digits(r, 4),
        lambda r: birth(r, "ymd", (0, 50)) + digits(r, 3),
    ],
    "DE": [lambda r: digits(r, 9)],
    "DK": [lambda r: digits(r, 8)],
    "EE": [lambda r: digits(r, 9)],
    "EL": [lambda r: digits(r, 9), lambda r: digits(r, 8)],
    "ES": [
        lambda r: letter(r, string.digits + string.ascii_uppercase) + digits(r, 7) + letter(r, string.digits + string.ascii_uppercase),
        lambda r: digits(r, 8) + letter(r),
        lambda r: letter(r, "XYZKLM") + digits(r, 7) + letter(r),
        lambda r: letter(r, "ABCDEFGHJNPQRSUVW") + digits(r, 8),
    ],
    "FI": [lambda r: digits(r, 8)],
    "FR": [
        lambda r: digits(r, 11),
        lambda r: letter(r, string.digits + string.ascii_uppercase) + letter(r) + digits(r, 9),
        lambda r: digits(r, 2) + "000" + digits(r, 6),
    ],
    "GB": [
        lambda r: digits(r, 9),
        lambda r: digits(r, 12),
        lambda r: r.choice(["GD", "HA"]) + digits(r, 3),
        lambda r: r.choice(["GD", "HA"]) + "8888" + digits(r, 5),
        lambda r: "0" + digits(r, 8),
    ],
    "HR": [lambda r: digits(r, 11)],
    "HU": [lambda r: digits(r, 8)],
    "IE": [
        lambda r: digits(r, 7) + letter(r),
        lambda r: digits(r, 7) + letter(r) + letter(r),
        lambda r: digits(r, 1) + letter(r, string.ascii_uppercase + "+*") + digits(r, 5) + letter(r),
        lambda r: digits(r, 1) + letter(r, string.ascii_uppercase + "+*") + digits(r, 5) + letter(r) + letter(r),
    ],
    "IT": [lambda r: digits(r, 7) + r.choice(["001", "050", "100", "101", "120", "121", "888", "999", "000"]) + digits(r, 1)],
    "LT": [lambda r: digits(r, 7) + "1" + digits(r, 1), lambda r: digits(r, 10) + "1" + digits(r, 1), lambda r: digits(r, 9)],
    "LU": [lambda r: digits(r, 8)],
    "LV": [lambda r: letter(r, "456789") + digits(r, 10), lambda r: birth(r, "dmy") + digits(r, 5), lambda r: "32" + digits(r, 9)],
    "MT": [lambda r: digits(r, 8)],
    "NL": [lambda r: digits(r, 9) + "B" + digits(r, 2), lambda r: digits(r, r.randrange(1, 9)) + "B" + digits(r, 2)],
    "NO": [lambda r: digits(r, 9) + r.choice(["MVA", "", "MV"])],
    "PL": [lambda r: digits(r, 10)],
    "PT": [lambda r: digits(r, 9)],
    "RO": [
        lambda r: digits(r, r.randrange(2, 11)),
        lambda r: letter(r, "123456789") + birth(r) + r.choice(["01", "40", "47", "49", "51", "70", "80", "84"]) + digits(r, 4),
    ],
    "SE": [lambda r: digits(r, 10) + "01", lambda r: digits(r, 12)],
    "SI": [lambda r: digits(r, 8)],
    "SK": [lambda r: digits(r, 10), lambda r: birth(r, "ymd", (0, 50)) + digits(r, 4)],
    "XI": [lambda r: digits(r, 9), lambda r: r.choice(["GD", "HA"]) + digits(r, 3)],
}
SUFFIXES = ("MWST", "TVA", "IVA", "TPV", "MVA")


def completed(prefix: str, body: str) -> str:
    """`body` with its last check character (before a VAT suffix) replaced
    by one python-stdnum accepts, when there is one."""
    suffix = next((s for s in SUFFIXES if body.endswith(s)), "")
    at = len(body) - len(suffix) - 1
    for c in string.digits + string.ascii_uppercase:
        candidate = body[:at] + c + body[at + 1 :]
        if reference(prefix + candidate, None):
            return candidate
    return body


def written(r: random.Random, number: str) -> str:
    """`number` the way a person might type it."""
    sep = r.choice([" ", ".", "-", "\u00a0", "\u2013", ""])
    text = sep.join(number[i : i + 3] for i in range(0, len(number), 3))
    return text.lower() if r.random() < 0.3 else text


def generated(seed: int, per_country: int) -> Iterator[str]:
    r = random.Random(seed)
    for prefix, shapes in sorted(SHAPES.items()):
        for i in range(per_country):
            body = r.choice(shapes)(r)
            if i % 2 == 0:
                body = completed(prefix, body)
            number = prefix + body
            yield written(r, number) if i % 3 == 0 else number


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_numbers_agree_with_python_stdnum(seed: int) -> None:
    numbers = list(generated(seed, 120))
    disagree = [(n, ours(n, None), reference(n, None)) for n in numbers if ours(n, None) != reference(n, None)]
    assert disagree == []
    valid = sum(bool(reference(n, None)) for n in numbers)
    assert len(numbers) * 0.25 < valid < len(numbers) * 0.75


def test_the_readmes_example_vat_numbers_pass_their_check_digits() -> None:
    """A newcomer copies the README's VAT numbers: each must be valid,
    unless the README says it is not (a line naming a wrong check digit)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    pattern = re.compile(r"\b(?:AT|BE|DE|DK|FR|NL|ES|IT|SE|FI|PL)U?[0-9][0-9A-Z]{7,11}\b")
    numbers = {
        number
        for line in readme.splitlines()
        if "check digit" not in line
        for number in pattern.findall(line)
    }
    assert len(numbers) >= 3, numbers
    wrong = sorted(number for number in numbers if not stdnum.eu.vat.is_valid(number))
    assert wrong == [], f"README VAT numbers that fail python-stdnum: {wrong}"
