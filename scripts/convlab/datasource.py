"""Which CIFAR-10 source the prepared data file came from, and whether the configured one is
the same data.

The prepared file (``results/data/cifar10.npz``) is written with a small record beside it:
the source's path as configured, and a fingerprint of its content. Snakemake does not track
the source path itself, so the same data moved elsewhere (another disk, a cluster's scratch
space, a colleague's machine) is recognised by content and nothing is prepared or trained
again. Other data under ``cifar10.path`` is a one-line error before anything is deleted.
"""

import hashlib
import json
from pathlib import Path

from convlab.files import file_digest
from convlab.jobs import UserError

KERAS = "keras.datasets.cifar10"


class SourceChanged(UserError):
    """The configured source is not the data that the prepared file was made from."""


def fingerprint(path) -> str:
    """A sha256 of the source's content: of the file, or of every file below a folder
    (relative names and bytes, in sorted order). The Keras download has a fixed name."""
    if path is None:
        return KERAS
    path = Path(path)
    digest = hashlib.sha256()
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
            digest.update(file_digest(file).encode())
        return digest.hexdigest()
    return file_digest(path)


def _stat(path) -> list | None:
    """Size and modification time of a source file (None for a folder or the download)."""
    if path is None or Path(path).is_dir():
        return None
    stat = Path(path).stat()
    return [stat.st_size, stat.st_mtime_ns]


def source_record(path, train_images: int, prepared_bytes: int | None = None) -> dict:
    """What the prepared file's record holds: the source as configured and its fingerprint,
    and the prepared file's size (a truncated copy of it is then told at planning time)."""
    return {
        "path": path,
        "sha256": fingerprint(path),
        "stat": _stat(path),
        "train_images": train_images,
        "prepared_bytes": prepared_bytes,
    }


def read_record(record_path) -> dict | None:
    """The record of the prepared file, or None when there is none (nothing prepared yet)."""
    try:
        return json.loads(Path(record_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def check_same_source(configured, record: dict, prepared: str) -> None:
    """Raise SourceChanged, naming both sources, unless ``configured`` holds the recorded data.

    Same path and, for a file, the same size and time: the same data, at no cost. Otherwise
    the configured source is fingerprinted (read once) and compared with the record.
    """
    if configured == record["path"] and _stat(configured) == record["stat"]:
        return
    if fingerprint(configured) == record["sha256"]:
        return
    before = repr(record["path"]) if record["path"] else f"null ({KERAS})"
    now = repr(configured) if configured else f"null ({KERAS})"
    what = "whose content has changed since" if configured == record["path"] else "other data"
    raise SourceChanged(
        f"cifar10.path is {now}, but {prepared} was prepared from {before}, {what}; "
        f"set cifar10.path back (in local.yaml, or give the --configfile the results were "
        f"built with, if it was left out), or delete {prepared} to prepare the "
        "new data, after which every run is trained again"
    )
