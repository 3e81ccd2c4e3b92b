"""The README's Python Quick start prints exactly the README's output block."""

from __future__ import annotations

import re
import subprocess
import sys

from vector_runner import ROOT


def section(text: str, heading: str) -> str:
    """The lines under `heading` up to the next heading of the same or a
    higher level, outside fenced blocks (a Rust block has `# ` lines)."""
    level = len(heading.split(" ")[0])
    lines = text.split("\n")
    start = lines.index(heading) + 1
    fenced = False
    for end in range(start, len(lines)):
        line = lines[end]
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(rf"#{{1,{level}}} ", line):
            return "\n".join(lines[start:end])
    return "\n".join(lines[start:])


def block(text: str, language: str) -> str:
    """The first fenced block of `language`."""
    match = re.search(rf"^```{language}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    assert match, f"no ```{language} block"
    return match.group(1)


def test_the_quick_start_prints_the_readme_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = section(readme, "## Quick start")
    code = block(section(quick_start, "### Python"), "python")
    expected = block(section(quick_start, "### Output (the same in every language)"), "text")
    assert "custclass.Engine" in code
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected


def test_the_data_frame_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = block(section(readme, "## Data frames and clusters (Python)"), "python")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "shape: (3, 2)" in run.stdout, run.stdout


def test_the_connectors_example_prints_the_readme_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    connectors = section(readme, "## From the webshop to the books (connectors)")
    code = block(connectors, "python")
    expected = block(connectors, "text")
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected
