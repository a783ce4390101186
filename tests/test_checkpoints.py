"""Saved training states: the newest usable one is chosen, a damaged one is skipped with one
line, and the segments of a resumed training say where each stretch of epochs ran."""

from types import SimpleNamespace

import numpy as np
import pytest

from convlab.checkpoints import (
    Resumption,
    latest_state,
    read_state,
    resume_note,
    save_state,
    state_key,
    with_segment,
)


class Variable:
    def __init__(self, value):
        self.value = np.asarray(value, dtype="float32")

    def numpy(self):
        return self.value


def saved(path, key, epoch):
    """A state as a training job writes it, of a model with two variables."""
    model = SimpleNamespace(
        variables=[Variable([epoch, 1.0]), Variable([[2.0]])],
        optimizer=SimpleNamespace(variables=[Variable(epoch)]),
    )
    history = {"loss": [1.0 / e for e in range(1, epoch + 1)]}
    save_state(path, key, epoch, model, history, 1.5 * epoch, [])
    return path


def test_the_state_with_the_most_epochs_of_this_run_is_chosen(tmp_path):
    states = [
        saved(tmp_path / "a.npz", "run", 3),
        saved(tmp_path / "b.npz", "run", 5),
        saved(tmp_path / "c.npz", "other run", 7),
        saved(tmp_path / "d.npz", "run", 9),  # more epochs than the run has
    ]
    state = latest_state([*states, tmp_path / "missing.npz"], "run", 8)
    assert state.path == str(tmp_path / "b.npz") and state.meta["epoch"] == 5
    assert state.meta["fit_seconds"] == 7.5 and len(state.meta["history"]["loss"]) == 5
    assert np.array_equal(state.arrays["model_0"], [5.0, 1.0])
    assert latest_state(states, "no such run", 8) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # a copy cut short
        lambda data: data[:100],
        lambda data: b"",
        lambda data: b"not a state at all",
        lambda data: data[:-30],  # the end of the zip directory lost
    ],
    ids=["half", "100 bytes", "empty", "text", "tail lost"],
)
def test_a_damaged_state_is_skipped_with_one_line(tmp_path, damage):
    good = saved(tmp_path / "good.npz", "run", 2)
    bad = saved(tmp_path / "bad.npz", "run", 4)
    bad.write_bytes(damage(bad.read_bytes()))
    said = []
    state = latest_state([bad, good], "run", 10, say=said.append)
    assert state.path == str(good) and state.meta["epoch"] == 2
    assert len(said) == 1 and said[0].startswith(f"skipping the damaged state {bad} ("), said
    assert latest_state([bad], "run", 10, say=said.append) is None


def test_a_state_reads_back_whole(tmp_path):
    state = read_state(saved(tmp_path / "s.npz", "k", 3))
    assert state.meta["key"] == "k" and set(state.arrays) == {"model_0", "model_1", "optimizer_0"}


def test_the_key_leaves_out_the_epochs_only():
    run = {"arch": "deep", "n": 100, "l1": 0.0001, "epochs": 2, "seed": 0, "layers": []}

    def key(run, settings, code=("a.py",), data="data.json"):
        return state_key(run, settings, code, data, digest=lambda path: f"sha of {path}")

    same = key(run, {"batch_size": 128})
    assert key({**run, "epochs": 60}, {"batch_size": 128}) == same
    assert key({**run, "seed": 1}, {"batch_size": 128}) != same
    assert key(run, {"batch_size": 64}) != same
    assert key(run, {"batch_size": 128}, code=("b.py",)) != same
    assert key(run, {"batch_size": 128}, data="other.json") != same


CPU1 = {"device": "CPU", "backend": "tensorflow", "threads": 1, "host": "a"}


def test_segments_record_where_each_stretch_of_epochs_ran():
    first = with_segment([], 0, 3, CPU1)
    assert first == [{"from_epoch": 1, "to_epoch": 3, **CPU1}]
    gpu = {"device": "GPU (H200)", "threads": 2, "host": "b"}
    assert with_segment(first, 3, 5, gpu) == [*first, {"from_epoch": 4, "to_epoch": 5, **gpu}]
    assert with_segment(first, 3, 3, gpu) == first  # finished before: nothing trained here


def test_a_resume_elsewhere_is_said():
    before = with_segment([], 0, 3, CPU1)
    assert resume_note(before, {**CPU1, "host": "other"}) is None
    assert resume_note([], CPU1) is None
    assert resume_note(before, {**CPU1, "threads": 4}) == (
        "resumed on 4 threads; 1 before: the last digits may differ from an uninterrupted run"
    )
    note = resume_note(before, {**CPU1, "device": "GPU (H200)"})
    assert note.startswith("resumed on GPU (H200); CPU before:")
    assert resume_note(before, {**CPU1, "backend": "jax"}).startswith(
        "resumed on jax; tensorflow before:"
    )
    saved_before_backends = [{key: v for key, v in before[0].items() if key != "backend"}]
    assert resume_note(saved_before_backends, CPU1) is None


def test_a_resumption_continues_the_longest_shorter_run_and_keeps_its_final_state(tmp_path):
    runs = tmp_path / "runs"
    for epochs in (1, 2, 9):
        (runs / f"deep_e{epochs}_s0").mkdir(parents=True)
        saved(runs / f"deep_e{epochs}_s0" / "state.npz", "run", epochs)
    saved(runs / "deep_e2_s0" / "other.npz", "run", 2)
    checkpoint = tmp_path / "checkpoints" / "deep_e4_s0" / "state.npz"
    where = {"device": "cpu", "gpu": None, "threads": 1, "host": "h"}
    pattern = str(runs / "deep_e*_s0" / "state.npz")
    resumption = Resumption.find(checkpoint, pattern, "run", 4, where)
    assert resumption.first == 2 and resumption.start.path == str(runs / "deep_e2_s0/state.npz")
    assert resumption.opening_lines(4) == [f"resuming from epoch 2 of {resumption.start.path}"]
    model = SimpleNamespace(
        variables=[Variable([4, 1.0]), Variable([[2.0]])],
        optimizer=SimpleNamespace(variables=[Variable(4)]),
    )
    resumption.save(4, model, {"loss": [1, 2, 3, 4]}, 6.0)
    final = tmp_path / "final.npz"
    resumption.keep_final(4, model, {"loss": [1, 2, 3, 4]}, 6.0, final)
    assert final.samefile(checkpoint)
    assert read_state(final).meta["segments"] == [{"from_epoch": 3, "to_epoch": 4, **where}]
    # Finished, and on other threads: nothing trains, so no word of different last digits.
    done = Resumption.find(checkpoint, pattern, "run", 4, {**where, "threads": 2})
    assert done.opening_lines(4) == [
        f"finished in {checkpoint}: no epoch to train, its outputs written again"
    ]
    fresh = Resumption.find(tmp_path / "none.npz", str(tmp_path / "no*/state.npz"), "run", 4, where)
    assert fresh.start is None and fresh.first == 0
    assert fresh.opening_lines(4) == ["training from scratch (no saved state of this run)"]
