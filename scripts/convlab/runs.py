"""The names of runs: one rule, read by the rules (folders, logs, figures) and by training.

A *configuration* is (architecture, n, L1 weight, epochs, variant); a *run* is one
configuration trained with one random seed. The *variant* stands for the run's shape, its
canonical layers and training settings: empty for the assignment's own net and settings, so
that its runs keep their plain names, else ``_v`` and 8 hex digits of the shape's sha256, so
that a run with other settings (a batch size, a learning rate, a dropout rate) lies beside
the assignment's and neither replaces the other. Kept apart from convlab.targets (how users'
target names are parsed) so that a new kind of figure name is no change to the code a
training imports.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace

import numpy as np

CONFIGURATION = ("arch", "n", "l1", "epochs", "variant")


def canonical_number(value: float) -> str:
    """Shortest positional spelling that reads back the same: 0, 0.00001, 0.0001, 2.5."""
    return np.format_float_positional(float(value), trim="-")


# The name of a configuration, and of a run (one replicate of it): its folder
# results/runs/{RUN_NAME}/, its log and its figures are named by this rule alone.
CONFIGURATION_NAME = "{arch}_n{n}_w{l1}_e{epochs}{variant}"
RUN_NAME = CONFIGURATION_NAME + "_s{seed}"
# What each field of a run's name may hold (the rules' wildcard constraints).
RUN_FIELDS = {
    "arch": "[A-Za-z0-9-]+",
    "n": "[0-9]+",
    "l1": "[0-9.]+",
    "epochs": "[0-9]+",
    "variant": "(_v[0-9a-f]{8})?",
    "seed": "[0-9]+",
}


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
_NAME = re.compile(
    re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m[1]}>{RUN_FIELDS[m[1]]})", RUN_NAME.replace(".", r"\."))
)


@dataclass(frozen=True)
class Run:
    """One run: a configuration trained with one seed. The only place that writes or reads
    a run's name and folder."""

    arch: str
    n: int
    l1: float
    epochs: int
    variant: str
    seed: int

    @classmethod
    def of(cls, configuration: dict, seed: int) -> "Run":
        return cls(**{key: configuration[key] for key in CONFIGURATION}, seed=seed)

    @classmethod
    def parse(cls, name: str) -> "Run | None":
        """The run a folder name names, or None when it names none."""
        if not (match := _NAME.fullmatch(name)):
            return None
        fields = match.groupdict()
        return cls(
            fields["arch"],
            int(fields["n"]),
            float(fields["l1"]),
            int(fields["epochs"]),
            fields["variant"],
            int(fields["seed"]),
        )

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


def run_name(arch: str, n: int, l1: float, epochs, seed, variant: str) -> str:
    """The name of a run given by its fields (convlab.runs.Run.name)."""
    return Run(arch, n, l1, epochs, variant, seed).name


def optimizer_parts(optimizer) -> tuple[str, dict]:
    """An optimizer as a shape or the config writes it, ``adam`` or ``{Adam: {learning_rate:
    0.01}}``: its name and options."""
    if isinstance(optimizer, str):
        return optimizer, {}
    ((name, options),) = optimizer.items()
    return name, dict(options or {})
