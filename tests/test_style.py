"""Formatting and lint as a gate, as the README's test command runs them: ruff (lint and
format) for Python and snakefmt for the Snakefile and rules (configured in pyproject.toml);
`snakemake --lint` is in test_workflow_conv.py."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

TOOLS = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["snakefmt", "--check", "."],
    ],
    ids=" ".join,
)
def test_the_code_is_formatted_and_lint_free(command):
    result = subprocess.run(
        [str(TOOLS / command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_a_private_helper_defined_twice_is_caught(tmp_path):
    # Ruff's default dummy-variable-rgx took `_stem` for a throwaway name, so F811 let a dead
    # second definition of it stand (pyproject.toml narrows the pattern).
    source = tmp_path / "twice.py"
    source.write_text("def _stem():\n    return 1\n\n\ndef _stem():\n    return 2\n")
    result = subprocess.run(
        [str(TOOLS / "ruff"), "check", "--config", str(REPO / "pyproject.toml"), str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "F811" in result.stdout, result.stdout


def test_snakemake_alone_decides_which_rule_makes_a_file():
    """Wildcard constraints keep the rules' names apart: no rule order, and no rule that takes
    any file (a misspelt target gets its line from Snakemake's own missing-rule error)."""
    text = "\n".join(p.read_text() for p in [REPO / "Snakefile", *sorted(REPO.glob("rules/*.smk"))])
    assert "ruleorder" not in text
    assert not re.search(r'output:\s+"(results/)?\{\w+\}"', text)


def test_the_snakefile_and_rules_say_what_depends_on_what_in_at_most_700_lines():
    """Issue 46: what a newcomer reads first stays short (it grew from 695 lines to 807 once);
    logic belongs in the library, where it is tested."""
    files = [REPO / "Snakefile", *sorted(REPO.glob("rules/*.smk"))]
    lines = sum(len(path.read_text().splitlines()) for path in files)
    assert lines <= 700, f"Snakefile and rules/ hold {lines} lines"
