"""README's "An analyst's first hour": its Python blocks, run one after the
other as one script in a directory holding the bundled example files (as
the guide asks), print exactly the guide's output blocks, and leave the
marketing list (semicolon CSV) and the plot the guide says they make."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from test_readme import section
from vector_runner import ROOT

HEADING = "## An analyst's first hour (Python)"


def blocks(text: str, language: str) -> list[str]:
    """Every fenced block of `language`, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


def test_the_analyst_guide_runs_as_written(tmp_path: Path) -> None:
    guide = section((ROOT / "README.md").read_text(encoding="utf-8"), HEADING)
    code = "".join(blocks(guide, "python"))
    expected = "".join(blocks(guide, "text"))
    assert "import custclass" in code and expected
    for name in ("setup.json", "customers.csv", "order-lines.csv"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    env = {**os.environ, "MPLBACKEND": "Agg", "COLUMNS": "100"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected

    made = {path.name for path in tmp_path.iterdir()} - {"setup.json", "customers.csv", "order-lines.csv"}
    lists = [name for name in made if name.endswith(".csv")]
    plots = [name for name in made if name.endswith(".png")]
    assert lists and plots, made
    for name in lists:
        header = (tmp_path / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert ";" in header, f"{name} is not semicolon-separated: {header}"
    for name in plots:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG"), name
