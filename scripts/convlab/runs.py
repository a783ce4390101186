"""A run's fields, declared once (``Run``), and the names of runs: one rule, read by the rules
(folders, logs, figures) and the tables. No training imports it, so that renaming retrains
nothing.

A *configuration* is (architecture, n, L1 weight, epochs, variant); a *run* is one
configuration trained with one random seed. The *variant* stands for the run's shape, its
canonical layers and training settings: empty for the assignment's own net and settings, so
that its runs keep their plain names, else ``_v`` and 8 hex digits of the shape's sha256, so
that a run with other settings (a batch size, a learning rate, a dropout rate) lies beside
the assignment's and neither replaces the other.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

from convlab.targets import pattern_regex


def canonical_number(value: float) -> str:
    """Shortest positional spelling that reads back the same: 0, 0.00001, 0.0001, 2.5."""
    return np.format_float_positional(float(value), trim="-")


def _field(part: str, pattern: str, said: str):
    """A run's field: its ``part`` of the run's name, what its text there may be (``pattern``,
    the rules' wildcard constraint) and how titles and captions say its value (``said``)."""
    return field(metadata={"part": part, "pattern": pattern, "said": said})


@dataclass(frozen=True)
class Run:
    """One run: a configuration trained with one seed. Its fields, declared here alone, make
    its name (the parts in order), the rules' wildcard constraints, the first columns of
    results/runs.csv and TensorBoard's hyperparameters, and the words of its figures."""

    arch: str = _field("{arch}", "[A-Za-z0-9-]+", "{}")
    n: int = _field("_n{n}", "[0-9]+", "n = {}")
    l1: float = _field("_w{l1}", "[0-9.]+", "L1 = {:g}")
    epochs: int = _field("_e{epochs}", "[0-9]+", "{} epochs")
    variant: str = _field("{variant}", "(_v[0-9a-f]{8})?", "{}")
    seed: int = _field("_s{seed}", "[0-9]+", "seed {}")

    @classmethod
    def of(cls, configuration: dict, seed: int) -> "Run":
        return cls(**{key: configuration[key] for key in CONFIGURATION}, seed=seed)

    @classmethod
    def parse(cls, name: str) -> "Run | None":
        """The run a folder name names, or None when it names none."""
        if not (match := _NAME.fullmatch(name)):
            return None
        return cls(**{f.name: f.type(match[f.name]) for f in fields(cls)})

    @property
    def name(self) -> str:
        """``RUN_NAME`` filled in, with the L1 weight in its canonical spelling."""
        return RUN_NAME.format(**{**asdict(self), "l1": canonical_number(self.l1)})

    @property
    def folder(self) -> str:
        return f"{RUNS}/{self.name}"

    def file(self, name: str) -> str:
        return f"{self.folder}/{name}"

    @property
    def checkpoint(self) -> str:
        """Where its state is saved at every epoch end, and its final state kept."""
        return f"{CHECKPOINTS}/{self.name}/state.npz"

    @property
    def fields(self) -> dict:
        return asdict(self)

    @property
    def configuration_name(self) -> str:
        return configuration_name(self.fields)

    @property
    def configuration(self) -> dict:
        return {key: getattr(self, key) for key in CONFIGURATION}

    def but(self, **changes) -> "Run":
        return replace(self, **changes)


FIELDS = {f.name: f.metadata for f in fields(Run)}
# A *configuration* is a run but its seed.
CONFIGURATION = tuple(FIELDS)[:-1]
# The name of a configuration, and of a run (one replicate of it): its folder
# results/runs/{RUN_NAME}/, its log and its figures are named by this rule alone.
CONFIGURATION_NAME = "".join(FIELDS[key]["part"] for key in CONFIGURATION)
RUN_NAME = "".join(field["part"] for field in FIELDS.values())
# What each field of a run's name may hold (the rules' wildcard constraints).
RUN_FIELDS = {key: field["pattern"] for key, field in FIELDS.items()}
_NAME = re.compile(pattern_regex(RUN_NAME, RUN_FIELDS))


def described(values: dict, leave_out=()) -> list[str]:
    """The fields among ``values`` (a run, or part of one) in words, in the fields' order:
    ``["baseline", "n = 5000", "L1 = 0.0001", "20 epochs", "seed 0"]``; an empty variant
    (the assignment's own net) says nothing."""
    return [
        field["said"].format(values[key])
        for key, field in FIELDS.items()
        if key in values and key not in leave_out and values[key] != ""
    ]


def variant(shape: dict, reference: dict | None) -> str:
    """The variant of a run of this shape ({"layers": ..., "settings": ...}): "" when it is
    the reference (the assignment's net of that name and its settings), else ``_v`` and the
    first 8 hex digits of the shape's sha256."""
    if shape == reference:
        return ""
    text = json.dumps(shape, sort_keys=True)
    return "_v" + hashlib.sha256(text.encode()).hexdigest()[:8]


def configuration_name(run: dict) -> str:
    """``CONFIGURATION_NAME`` of a configuration, with the L1 weight in its canonical spelling."""
    return CONFIGURATION_NAME.format(**{**run, "l1": canonical_number(run["l1"])})


# Every trained run's folder lies here, named RUN_NAME (the train rule's output pattern).
RUNS = "results/runs"
RUN_FOLDER = f"{RUNS}/{RUN_NAME}"
# What a finished run's folder holds, by the train rule's names for them.
RUN_FILES = {
    "model": "model.keras",
    "history": "history.csv",
    "metrics": "metrics.json",
    "summary": "summary.txt",
    "report_train": "report_train.txt",
    "report_test": "report_test.txt",
    "confusion_train": "confusion_train.csv",
    "confusion_test": "confusion_test.csv",
    "provenance": "run.json",
    "state": "state.npz",
}
# Its training state, saved at every epoch end beside (not in) its folder: Snakemake, which
# deletes a job's outputs before it runs the job again, leaves it (convlab.checkpoints).
CHECKPOINTS = "results/checkpoints"
