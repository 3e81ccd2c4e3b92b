"""The binding offers every name of vectors/surface.json, and the vector run
raises every error code with its concern's class."""

from __future__ import annotations

import inspect
import json
from collections import Counter
from typing import Any

import pytest

import custclass
from vector_runner import VECTORS, answer, cases

SURFACE: dict[str, Any] = json.loads((VECTORS / "surface.json").read_text(encoding="utf-8"))
OPERATIONS = sorted({op["python"] for op in SURFACE["operations"]})
RESULTS = [(cls, method) for cls in SURFACE["results"]["classes"] for method in SURFACE["results"]["python"]]
CONCERNS = SURFACE["errors"]


def resolve(name: str) -> Any:
    """`Engine.classify` → custclass.Engine.classify; raises AttributeError."""
    value: Any = custclass
    for part in name.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.parametrize("name", OPERATIONS)
def test_operation_exists(name: str) -> None:
    assert resolve(name) is not None


@pytest.mark.parametrize(("cls", "method"), RESULTS, ids=[f"{c}.{m}" for c, m in RESULTS])
def test_result_class_converts(cls: str, method: str) -> None:
    assert callable(getattr(resolve(cls), method))


@pytest.mark.parametrize("concern", CONCERNS, ids=[c["python"] for c in CONCERNS])
def test_exception_class(concern: dict[str, Any]) -> None:
    cls = resolve(concern["python"])
    assert issubclass(cls, custclass.Error)
    assert issubclass(cls, ValueError)
    assert cls.__module__ == "custclass"


def test_every_public_name_is_listed_and_documented() -> None:
    assert sorted(custclass.__all__) == sorted(custclass._custclass.__all__)
    for name in custclass.__all__:
        value = getattr(custclass, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(value), f"{name} has no docstring"
        if inspect.isclass(value) and not issubclass(value, BaseException):
            for member, attr in vars(value).items():
                if not member.startswith("_"):
                    assert inspect.getdoc(attr), f"{name}.{member} has no docstring"


def raised_codes() -> Counter[tuple[str, str]]:
    """(exception class, code) for every error the vector run raised; a
    setup error counts its own code and each problem's."""
    raised: Counter[tuple[str, str]] = Counter()
    for case in cases():
        err = answer(case.area, case.setup, case.input).error
        if err is None:
            continue
        cls = type(err).__name__
        raised[(cls, err.code)] += 1
        for problem in err.data.get("problems", []):
            raised[(cls, problem["code"])] += 1
    return raised


RAISED = raised_codes()
SKIPPED = set(SURFACE["not_in_vectors"]["codes"])
# The binding's own error catalogue, each concern's class from surface.json.
CLASS_OF = {concern["concern"]: concern["python"] for concern in CONCERNS}
EXPECTED_RAISES = [
    (CLASS_OF[concern], code) for concern, code in custclass.error_codes() if code not in SKIPPED
]


@pytest.mark.parametrize(("cls", "code"), EXPECTED_RAISES, ids=[f"{c}:{k}" for c, k in EXPECTED_RAISES])
def test_vectors_raise_code_with_its_class(cls: str, code: str) -> None:
    assert RAISED[(cls, code)] > 0, f"no vector raised {cls} with code {code}"


def test_no_code_is_raised_with_another_concern() -> None:
    listed = {(CLASS_OF[concern], code) for concern, code in custclass.error_codes()}
    assert set(RAISED) <= listed
