"""Every test vector under vectors/ as its own case, compared byte for byte."""

from __future__ import annotations

import pytest

from vector_runner import Case, answer, canonical, cases

CASES = list(cases())


def test_the_vectors_are_all_there() -> None:
    areas = {case.area for case in CASES}
    assert areas == {"bulk", "classify", "connect", "csv", "expr", "masterdata", "pricing", "setup-errors"}
    assert len(CASES) >= 267


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_vector(case: Case) -> None:
    got = answer(case.area, case.setup, case.input)
    assert got.key in case.case, f"the binding answered {got.key}: {got.json}"
    assert got.json == canonical(case.case[got.key])
