"""What a copy of this workflow holds: the files a user's clone needs to run it (no results,
environment or tests), copied in one way by the tests, the benchmarks and scripts/tiny_run.py."""

import shutil
import sys
from pathlib import Path

WORKFLOW_FILES = (
    "Snakefile",
    "config.yaml",
    "rules",
    "scripts",
    "schemas",
    "envs",
    "profiles",
    "report",
)


def merged(config: dict, overrides: dict) -> dict:
    """``config`` with the keys of ``overrides`` replaced, nested mappings key by key, as
    Snakemake reads one config file over another."""
    result = dict(config)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            value = merged(result[key], value)
        result[key] = value
    return result


def copy_workflow(source: Path, destination: Path) -> None:
    """The workflow's files of ``source`` (a checkout) into ``destination``, made if need be."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        if (source / name).is_dir():
            shutil.copytree(
                source / name, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source / name, destination / name)


def python_path_mistake(python: str = sys.executable) -> str | None:
    """Why Snakemake cannot run this workflow's scripts with ``python`` (None: it can).
    Snakemake 9.27 runs a `script:` job as `<python> <script>` with the path unquoted
    (snakemake/snakemake#2645): a venv in a folder whose path has a space fails every job."""
    if any(character.isspace() for character in python):
        return (
            f"this Python's path has a space ({python!r}), which Snakemake cannot run the "
            "workflow's scripts with (snakemake/snakemake#2645); make the venv in a folder "
            "whose path has none"
        )
    return None
