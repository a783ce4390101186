"""Which CIFAR-10 source the prepared data file came from, and whether the configured one is
the same data.

The prepared file (``results/data/cifar10.npz``) is written with a small record beside it:
the source's path as configured, and a fingerprint of its content. Snakemake does not track
the source path itself, so the same data moved elsewhere (another disk, a cluster's scratch
space, a colleague's machine) is recognised by content and nothing is prepared or trained
again. Other data under ``cifar10.path`` is a one-line error before anything is deleted.
"""

import functools
import hashlib
import json
import os
from pathlib import Path

from convlab.errors import UserError
from convlab.files import file_digest, write_json
from convlab.prepared import prepared_damage

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
    """What changes when a source's content does, found without reading it: a file's size
    and modification time; a folder's number of files, their total size and latest time.
    None for the download."""
    if path is None:
        return None
    if not Path(path).is_dir():
        stat = Path(path).stat()
        return [stat.st_size, stat.st_mtime_ns]
    stats = [
        os.stat(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names
    ]
    return [
        len(stats),
        sum(s.st_size for s in stats),
        max((s.st_mtime_ns for s in stats), default=0),
    ]


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


def check_same_source(configured, record: dict, prepared: str, seen_path) -> None:
    """Raise SourceChanged, naming both sources, unless ``configured`` holds the recorded data.

    Same path and, for a file, the same size and time as recorded: the same data, at no
    cost. Otherwise the configured source's fingerprint is compared with the record's: read
    once, then known while its size and time stay (``remembered``).
    """
    if configured == record["path"] and _stat(configured) == record["stat"]:
        return
    if remembered(configured, seen_path, "sha256", fingerprint) == record["sha256"]:
        return
    before = repr(record["path"]) if record["path"] else f"null ({KERAS})"
    shown = repr(configured) if configured else f"null ({KERAS})"
    what = "whose content has changed since" if configured == record["path"] else "other data"
    raise SourceChanged(
        f"cifar10.path is {shown}, but {prepared} was prepared from {before}, {what}; "
        f"set cifar10.path back (in local.yaml, or give the --configfile the results were "
        f"built with, if it was left out), or delete {prepared} to prepare the "
        "configured data: a run trains again only if the content differs"
    )


def remembered(path, seen_path, name: str, compute):
    """``compute(path)`` for a source (its fingerprint, its training set's size), read from it
    once and then known, while its size and time stay, from the ``seen_path`` file: planning
    before the first run does not read the source again. The download is never read."""
    if path is None:
        return compute(None)
    now = {"path": path, "stat": _stat(path)}
    seen = read_record(seen_path) or {}
    if {key: seen.get(key) for key in now} != now:
        seen = now
    if name not in seen:
        seen = {**seen, name: compute(path)}
        Path(seen_path).parent.mkdir(parents=True, exist_ok=True)
        write_json(seen_path, seen)
    return seen[name]


# The prepared file, its content record (the runs' input) and its source record.
PREPARED = {
    "data": "results/data/cifar10.npz",
    "content": "results/data/cifar10.content.json",
    "record": "results/data/cifar10.source.json",
}
# The configured source as last read (size, time, fingerprint, training-set size), beside
# Snakemake's own records: a dry run writes nothing in results/.
SOURCE_SEEN = ".snakemake/convlab/cifar10.seen.json"


class Planned:
    """The prepared data as a plan sees it: its source record once the configured source
    (``path``) is checked to hold the same data, the source's facts, and damage."""

    def __init__(self, path):
        self.path = path

    @functools.cached_property
    def record(self) -> dict | None:
        """None when nothing is prepared yet; SourceChanged for other data. A source that is
        not on this host (a cluster node's job, a source removed after it was prepared)
        cannot be other data: the prepared file is what the runs read."""
        record = read_record(PREPARED["record"]) if Path(PREPARED["data"]).exists() else None
        if record is not None and (self.path is None or Path(self.path).exists()):
            check_same_source(self.path, record, PREPARED["data"], SOURCE_SEEN)
        return record

    def fact(self, name: str, compute):
        """A fact of the source: from the record, else read once and known by size and time.
        Asked only where a job needs the data, so that a plan of Part 1, ``--unlock`` or
        ``--lint`` never looks at ``cifar10.path``."""
        if self.record:
            return self.record[name]
        if self.path is not None and not Path(self.path).exists():
            raise UserError(f"config key cifar10.path: {self.path!r} does not exist")
        return remembered(self.path, SOURCE_SEEN, name, compute)

    @functools.cached_property
    def damage_line(self) -> str | None:
        """One line for a damaged prepared file (a copy cut short), saying what to do."""
        if self.record and (
            damage := prepared_damage(PREPARED["data"], self.record.get("prepared_bytes"))
        ):
            return (
                f"{PREPARED['data']} is damaged ({damage}); prepare it again from its source "
                "with `snakemake --cores 1 repair_data` (no run is trained again), then run "
                "this again"
            )
        return None
