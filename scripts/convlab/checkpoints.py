"""The full training state of a run, saved at every epoch end, so that training resumes
exactly: after a kill at its last finished epoch, and for a longer run from the final state of
the same run trained for fewer epochs.

A state holds the model's variables (weights and the dropout layers' seed-generator states),
the optimizer's variables (step count and moments), the history so far, the fit time spent
and the segments it was trained in (device and threads of each job that trained it). The
shuffle order of each epoch is a function of (seed, epoch) (see convlab.training), so
nothing else is needed. Each state carries a key, a hash of everything that defines the run
but its epochs: its parameters, the training settings, the training code and the prepared
data's content record. A state whose key differs (the config, the code or the data changed
since) is never used, and neither is one that cannot be read (a copy cut short): it is
skipped with one line, and the run resumes from the next usable state or from scratch.
"""

import glob
import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convlab.files import atomic_path, file_digest, link_or_copy

# What reading a truncated, overwritten or otherwise damaged state raises.
DAMAGED = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error)


def state_key(run: dict, settings: dict, code, data_content, digest=file_digest) -> str:
    """sha256 of the run's parameters but its epochs, the settings and the sha256 (by
    ``digest``) of each file that shapes it: its code files, then the data's content record."""
    defining = {key: value for key, value in run.items() if key != "epochs"}
    digests = [digest(path) for path in [*code, data_content]]
    content = json.dumps([defining, settings, digests], sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()


def save_state(path, key: str, epoch: int, model, history: dict, fit_seconds: float, segments):
    """Write the state after ``epoch`` epochs, atomically: a kill never leaves half a state."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"model_{i}": v.numpy() for i, v in enumerate(model.variables)}
    arrays |= {f"optimizer_{i}": v.numpy() for i, v in enumerate(model.optimizer.variables)}
    meta = {
        "key": key,
        "epoch": epoch,
        "history": history,
        "fit_seconds": fit_seconds,
        "segments": segments,
    }
    with atomic_path(path) as partial:
        with open(partial, "wb") as file:
            np.savez(file, meta=np.array(json.dumps(meta)), **arrays)


@dataclass
class State:
    path: str
    meta: dict  # key, epoch, history, fit_seconds, segments
    arrays: dict  # model_<i>, optimizer_<i>


def read_state(path) -> State:
    """The whole state, read into memory (a few hundred kB for these nets); raises one of
    DAMAGED when the file cannot be read whole."""
    with np.load(path) as state:
        arrays = {name: state[name] for name in state.files}
    meta = json.loads(str(arrays.pop("meta")))
    return State(str(path), meta, arrays)


def read_meta(path) -> dict | None:
    """The state's key, epoch, history and fit time; None if it is missing or unreadable."""
    try:
        return read_state(path).meta
    except DAMAGED:
        return None


def latest_state(candidates, key: str, epochs: int, say=print) -> State | None:
    """The candidate state with this key and the most epochs, at most ``epochs``; None when
    there is none (the run trains from scratch). A candidate that exists but cannot be read
    is skipped, with one line through ``say`` that names it."""
    usable = []
    for path in candidates:
        if not Path(path).exists():
            continue
        try:
            state = read_state(path)
        except DAMAGED as error:
            say(f"skipping the damaged state {path} ({type(error).__name__}: {error})")
            continue
        if state.meta["key"] == key and state.meta["epoch"] <= epochs:
            usable.append(state)
    return max(usable, key=lambda state: state.meta["epoch"], default=None)


def restore(model, state: State) -> None:
    """Load a saved state into a compiled model of the same run."""
    model.optimizer.build(model.trainable_variables)
    for i, variable in enumerate(model.variables):
        variable.assign(state.arrays[f"model_{i}"])
    for i, variable in enumerate(model.optimizer.variables):
        variable.assign(state.arrays[f"optimizer_{i}"])


def with_segment(earlier: list, first: int, last: int, where: dict) -> list:
    """The segments of a training after epochs ``first + 1 .. last`` trained ``where``
    (device, backend, threads, host) in this job, following the ``earlier`` ones."""
    if last <= first:
        return list(earlier)
    return [*earlier, {"from_epoch": first + 1, "to_epoch": last, **where}]


def resume_note(earlier: list, where: dict) -> str | None:
    """One line when this job trains on another backend, device or thread count than the job
    before it did: results are bit-exact only on the same ones."""
    if not earlier:
        return None
    before = {"backend": "tensorflow", **earlier[-1]}  # states saved before backends were
    changes = [
        f"on {where[what]}{unit}; {before[what]} before"
        for what, unit in (("backend", ""), ("device", ""), ("threads", " threads"))
        if before[what] != where[what]
    ]
    if not changes:
        return None
    return f"resumed {', '.join(changes)}: the last digits may differ from an uninterrupted run"


@dataclass
class Resumption:
    """One job's training of a run: the state it starts from (None: from scratch), and the
    checkpoint where it saves the state at every epoch end, which the rule places beside
    the run folders (so that no file in a run's folder looks finished, and Snakemake, which
    deletes a job's outputs before it runs the job again, leaves it)."""

    checkpoint: Path
    key: str
    where: dict  # device, backend, gpu, threads, host of this job
    start: State | None

    @classmethod
    def find(cls, checkpoint, finished, key: str, epochs: int, where: dict, say=print):
        """The latest usable state of the run: its checkpoint, or the final state of the
        same run with fewer epochs (``finished``, a glob pattern of their state files)."""
        candidates = [checkpoint, *sorted(glob.glob(finished))]
        return cls(Path(checkpoint), key, where, latest_state(candidates, key, epochs, say))

    @property
    def first(self) -> int:
        """The epochs trained before this job."""
        return self.start.meta["epoch"] if self.start else 0

    def opening_lines(self, epochs: int) -> list[str]:
        """What the log says before the first epoch: from where the training of ``epochs``
        starts, and whether it continues elsewhere than it began."""
        if not self.start:
            return ["training from scratch (no saved state of this run)"]
        if self.first == epochs:
            return [f"finished in {self.start.path}: no epoch to train, its outputs written again"]
        note = resume_note(self.start.meta.get("segments", []), self.where)
        return [f"resuming from epoch {self.first} of {self.start.path}", *filter(None, [note])]

    def segments(self, last: int) -> list:
        """Where each stretch of epochs up to ``last`` was trained, this job's included."""
        earlier = self.start.meta.get("segments", []) if self.start else []
        return with_segment(earlier, self.first, last, self.where)

    def save(self, epoch: int, model, history: dict, fit_seconds: float) -> None:
        """The state at an epoch end: a killed job resumes here."""
        segments = self.segments(epoch)
        save_state(self.checkpoint, self.key, epoch, model, history, fit_seconds, segments)

    def keep_final(self, epochs: int, model, history: dict, fit_seconds: float, path) -> None:
        """The final state as the run's own state file at ``path`` too, where a longer run of
        the same net (or the store) finds it: the same file, no extra space. A run that had
        finished before (its outputs lost) trained nothing in this job, so its state is
        written again first."""
        if self.first == epochs:
            self.save(epochs, model, history, fit_seconds)
        link_or_copy(self.checkpoint, path)
