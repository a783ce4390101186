"""Every command the README shows in its code blocks is run here on the tiny config, or said
why not: a README that gains a command fails this test until one or the other is done."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

SET_UP = "python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt && "
NOT_RUN = {  # a command not run here, and why
    SET_UP + ".venv/bin/snakemake": "makes the venv the suite runs in; its snakemake, the "
    "default target, is the finished tiny project's build (conftest.finished_tiny)",
    SET_UP + ".venv/bin/python -m pytest": "is the suite itself, run so by .ci/run",
    ".venv/bin/snakemake --report results/report.html": "needs finished runs: the report "
    "test of test_workflow_cifar builds it from the finished tiny project",
}
RUN = [
    "printf 'cifar10:\\n  path: ../shared/data/cifar10-images.tar.gz\\n' > local.yaml",
    "git clone . ../tiny && cd ../tiny",
    "../main/.venv/bin/python tests/cifar_fixtures.py tiny-cifar10",
    "../main/.venv/bin/snakemake --configfile tests/tiny.yaml",
    ".venv/bin/python scripts/status.py",
    ".venv/bin/python scripts/estimate.py",
]
OUTPUT = (
    "2 training(s) running",
    "  baseline_",
    "  maxpool_",
    "Estimate: ",
)  # a command's output shown


def code_block_lines() -> list[str]:
    """The lines of the README's indented code blocks (not list continuations)."""
    lines, previous_blank, in_block = [], True, False
    for line in (REPO / "README.md").read_text().splitlines():
        if line.startswith("    ") and (previous_blank or in_block):
            lines.append(line[4:])
            in_block = True
        elif line.strip():
            in_block = False
        previous_blank = not line.strip()
    return lines


def shell(command: str, cwd: Path, **replace) -> subprocess.CompletedProcess:
    """A README command as a user types it, with this suite's Python for .venv/bin/."""
    venv = Path(sys.executable).parent
    command = re.sub(r"(\.\./main/)?\.venv/bin/", f"{venv}/", command)
    for old, new in replace.items():
        command = command.replace(old, new)
    env = dict(os.environ, CONVLAB_SLOTS=str(cwd.parent / "slots"))
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def test_every_code_block_line_is_run_or_said_why_not():
    lines = code_block_lines()
    unknown = [
        line for line in lines if line not in {*NOT_RUN, *RUN} and not line.startswith(OUTPUT)
    ]
    assert not unknown, f"README commands neither run here nor said why not: {unknown}"
    assert {*NOT_RUN, *RUN} <= set(lines), "a command listed here left the README"


def test_local_yaml_as_the_readme_writes_it(tmp_path):
    assert shell(RUN[0], tmp_path).returncode == 0
    config = yaml.safe_load((tmp_path / "local.yaml").read_text())
    assert config == {"cifar10": {"path": "../shared/data/cifar10-images.tar.gz"}}


def test_the_tiny_build_as_the_readme_runs_it_plans_and_reports_its_status(tmp_path):
    """The clone (of what is committed), its data, the build's plan (the build itself is the
    finished tiny project's), and the status command in it."""
    if not (REPO / ".git").exists():
        pytest.skip("this copy of the project is not a git clone")
    tiny = tmp_path / "tiny"
    clone = shell(RUN[1].replace(" && cd ../tiny", ""), REPO, **{"../tiny": str(tiny)})
    assert clone.returncode == 0, clone.stderr
    assert shell(RUN[2], tiny).returncode == 0 and (tiny / "tiny-cifar10" / "train").is_dir()
    planned = shell(RUN[3], tiny, **{"snakemake ": "snakemake -n "})
    assert planned.returncode == 0, planned.stderr[-2000:]
    estimate = shell(RUN[5] + " --configfile tests/tiny.yaml", tiny)
    assert estimate.stdout.startswith("Estimate: 7 training(s) to run, "), estimate
    status = shell(RUN[4], tiny)
    assert status.stdout.startswith("No training is running; 0 run(s) finished"), status
