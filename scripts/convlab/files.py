"""Writing a file so that no reader ever sees half of it, and the sha256 of a file's content.

Used where a file is read while its job runs or outlives a failed job: a training's
state (resumed from after a kill) and outputs, the prepared data, the progress and the
records other jobs and commands read. A figure's or table's job writes its outputs
directly: Snakemake deletes the outputs of a job that fails and reruns those of a killed
one (the profile's `rerun-incomplete`), so none of them is ever taken for finished.
"""

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path):
    """A temporary name beside ``path`` that becomes ``path`` only if the block succeeds.

    A reader never sees a half-written model or metrics file, even after a crash.
    """
    path = Path(path)
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def link_or_copy(source, target) -> None:
    """``target`` as the same file as ``source`` (a hard link), or a copy where the file
    system has no hard links."""
    Path(target).unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_json(path, content: dict) -> None:
    with atomic_path(path) as partial:
        partial.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")


def file_digest(path) -> str:
    """sha256 of a file's content, read in blocks (a data archive can be large)."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def machine_cache(name: str) -> Path:
    """Where this workflow keeps ``name`` for this machine, whatever the project:
    ``~/.cache/convlab/<name>``, under ``$XDG_CACHE_HOME`` where that is set."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "convlab", name)
