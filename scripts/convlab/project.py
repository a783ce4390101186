"""What a copy of this workflow holds: the files a user's clone needs to run it (no results,
environment or tests), copied in one way by the tests, the benchmarks and scripts/tiny_run.py."""

import shutil
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
