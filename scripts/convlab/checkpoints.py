"""The full training state of a run, saved at every epoch end, so that training resumes
exactly: after a kill at its last finished epoch, and for a longer run from the final state of
the same run trained for fewer epochs.

A state holds the model's variables (weights and the dropout layers' seed-generator states),
the optimizer's variables (step count and moments), the history so far and the fit time spent.
The shuffle order of each epoch is a function of (seed, epoch) (see convlab.training), so
nothing else is needed. Each state carries a key, a hash of everything that defines the run
but its epochs: its parameters, the training settings, the training code and the data record.
A state whose key differs (the config, the code or the data changed since) is never used.
"""

import hashlib
import json
from pathlib import Path

import numpy as np

from convlab.files import atomic_path

STATE_FILE = "state.npz"


def state_key(run: dict, settings: dict, files) -> str:
    """sha256 of the run's parameters but its epochs, the settings and the files' content."""
    defining = {key: value for key, value in run.items() if key != "epochs"}
    digest = hashlib.sha256(json.dumps([defining, settings], sort_keys=True).encode())
    for file in files:
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()


def save_state(path, key: str, epoch: int, model, history: dict, fit_seconds: float) -> None:
    """Write the state after ``epoch`` epochs, atomically: a kill never leaves half a state."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"model_{i}": v.numpy() for i, v in enumerate(model.variables)}
    arrays |= {f"optimizer_{i}": v.numpy() for i, v in enumerate(model.optimizer.variables)}
    meta = {"key": key, "epoch": epoch, "history": history, "fit_seconds": fit_seconds}
    with atomic_path(path) as partial:
        with open(partial, "wb") as file:
            np.savez(file, meta=np.array(json.dumps(meta)), **arrays)


def read_meta(path) -> dict | None:
    """The state's key, epoch, history and fit time; None if it is missing or unreadable."""
    try:
        with np.load(path) as state:
            return json.loads(str(state["meta"]))
    except (OSError, ValueError, KeyError, EOFError):
        return None


def latest_state(candidates, key: str, epochs: int):
    """(path, meta) of the candidate state with this key and the most epochs, at most
    ``epochs``; None when there is none (the run trains from scratch)."""
    usable = []
    for path in candidates:
        meta = read_meta(path)
        if meta is not None and meta["key"] == key and meta["epoch"] <= epochs:
            usable.append((meta["epoch"], str(path), meta))
    if not usable:
        return None
    _, path, meta = max(usable)
    return path, meta


def restore(model, path) -> None:
    """Load a saved state into a compiled model of the same run."""
    model.optimizer.build(model.trainable_variables)
    with np.load(path) as state:
        for i, variable in enumerate(model.variables):
            variable.assign(state[f"model_{i}"])
        for i, variable in enumerate(model.optimizer.variables):
            variable.assign(state[f"optimizer_{i}"])
