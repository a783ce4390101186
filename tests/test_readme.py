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

INSTALL = "python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt"
NOT_RUN = {  # a command not run here, and why
    "git clone <this repository's address> convlab && cd convlab": "the address is the "
    "reader's; the tiny run's test below runs from a clone in a folder of another name",
    INSTALL: "makes the venv the suite runs in",
    INSTALL + " && .venv/bin/snakemake": "makes the venv the suite runs in; its snakemake, the "
    "default target, is the finished tiny project's build (conftest.finished_tiny)",
    INSTALL + " && .venv/bin/python -m pytest": "is the suite itself, run so by .ci/run",
}
RUN = [
    "printf 'cifar10:\\n  path: data/cifar-10-python.tar.gz\\n' > local.yaml",
    ".venv/bin/python scripts/tiny_run.py",
    ".venv/bin/python scripts/status.py",
    ".venv/bin/python scripts/estimate.py",
]
WORDS = 2500  # the most the README may have
OUTPUT = (
    "2 training(s) running",
    "The build: ",
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


def test_the_readme_is_at_most_its_length():
    words = len((REPO / "README.md").read_text().split())
    assert words <= WORDS, f"README.md has {words} words; at most {WORDS}"


def test_local_yaml_as_the_readme_writes_it(tmp_path):
    assert shell(RUN[0], tmp_path).returncode == 0
    config = yaml.safe_load((tmp_path / "local.yaml").read_text())
    assert config == {"cifar10": {"path": "data/cifar-10-python.tar.gz"}}


def clone_with_venv(folder: Path) -> Path:
    """A clone of what is committed in ``folder``, with this suite's venv as its .venv."""
    made = subprocess.run(["git", "clone", "-q", str(REPO), str(folder)], capture_output=True)
    assert made.returncode == 0, made.stderr
    (folder / ".venv").symlink_to(Path(sys.executable).parents[1], target_is_directory=True)
    return folder


def test_the_tiny_run_as_the_readme_runs_it_from_a_clone_of_any_name(tmp_path):
    """From a clone (of what is committed) in a folder not named as this checkout: the tiny
    project beside it, its plan (the build itself is the finished tiny project's), and the
    estimate and status commands in it. A venv whose path has a space is one line."""
    if not (REPO / ".git").exists():
        pytest.skip("this copy of the project is not a git clone")
    spaced = clone_with_venv(tmp_path / "a checkout")
    said = subprocess.run(
        ["bash", "-c", RUN[1] + " ../spaced-tiny -n"],
        cwd=spaced,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in said.stderr.splitlines() if line.startswith("Error: ")]
    assert said.returncode != 0 and len(lines) == 1 and "snakemake#2645" in lines[0], said
    assert "Traceback" not in said.stderr
    clone = clone_with_venv(tmp_path / "my-checkout")
    planned = shell(RUN[1] + " -n", clone)
    tiny = tmp_path / "convlab-tiny"
    assert planned.returncode == 0, planned.stdout[-2000:] + planned.stderr[-2000:]
    assert f"made the tiny project in {tiny}" in planned.stdout
    assert (tiny / "tiny-cifar10" / "train").is_dir() and not (tiny / "results").exists()
    again = shell(RUN[1] + " -n", clone)  # the same folder: the project is reused
    assert again.returncode == 0 and "made the tiny project" not in again.stdout
    # Nothing trained there yet: the estimate probes this machine first (each architecture).
    estimate = shell(RUN[3], tiny)
    lines = estimate.stdout.splitlines()
    assert lines[0].startswith("measuring this machine's pace: 3 architecture(s)"), estimate
    assert lines[-1].startswith("Estimate: 7 training(s) to run, 2 at a time, and "), estimate
    assert "from this machine's probed pace (none finished here yet)" in lines[-1], estimate
    status = shell(RUN[2], tiny).stdout.splitlines()
    assert status[0].startswith("No training is running; 0 run(s) finished"), status
    assert status[-1].startswith("The build: 0 training(s) running, 7 waiting, "), status
