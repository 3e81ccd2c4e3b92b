"""The example notebook runs clean: its code cells, in order, as one
script (the way a fresh kernel runs them), with a non-interactive plot
backend; and the notebook reprs are HTML tables with every text escaped."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow as pa

import custclass
from vector_runner import ROOT


def test_the_example_notebook_runs() -> None:
    notebook = json.loads((ROOT / "examples" / "custclass.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert len(cells) >= 6
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, "-c", "\n\n".join(cells)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr


def test_notebook_reprs_are_escaped_html_tables() -> None:
    setup = custclass.Setup.standard("NL").to_dict()
    setup["rules"].append({"id": "<b>web</b>", "when": "channel = 'webshop'", "set": {"group": "WEBSHOP"}})
    engine = custclass.Engine(setup)
    html = engine.classify({"id": "1", "channel": "webshop"})._repr_html_()
    assert html.startswith("<table>") and "rule:&lt;b&gt;web&lt;/b&gt;" in html and "<b>" not in html
    result = engine.classify_table(pa.table({"id": ["1", "2"], "country": ["NL", "XX"]}), like="polars")
    html = result._repr_html_()
    assert "2 rows, 1 without a result" in html and "invalid_field" in html
    quote = engine.price({"id": "1"}, {"item": "A", "list_price": "10", "quantity": "2", "date": "2026-01-01", "currency": "EUR"})
    assert "no rule applied" in quote._repr_html_()
