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


def test_every_rule_of_top_level_files_with_wildcards_comes_before_the_catch_all():
    """Rule unknown_target takes any top-level file that no other rule makes; a rule whose
    output there has a wildcard must come first in rule order (Snakefile), else its own
    targets would get the misspelt-target line. (A rule without wildcards comes first by
    Snakemake's own order.)"""
    text = "\n".join(p.read_text() for p in [REPO / "Snakefile", *sorted(REPO.glob("rules/*.smk"))])
    makers = set()
    for name, body in re.findall(r"^(?:rule|checkpoint) (\w+):\n((?:[ \t]+.*\n|\n)*)", text, re.M):
        output = body.split("output:", 1)[1] if "output:" in body else ""
        output = re.split(r"\n    \w+:", output, maxsplit=1)[0]
        paths = re.findall(r'f?"(results/[^"/]*)"', output)
        if name != "unknown_target" and any("{" in path for path in paths):
            makers.add(name)
    ordered = set(re.findall(r"^ruleorder: (\w+) > unknown_target$", text, re.M))
    assert makers and makers == ordered, (makers, ordered)
