"""Interrupted training leaves nothing that looks finished and resumes exactly where it stopped;
a longer run continues from a shorter one. (That a state of other code or settings is never
used is checked without training, in test_checkpoints.)

Real snakemake and TensorFlow on tiny generated data. A run of many short epochs gives time to
interrupt it mid-way; its uninterrupted twin, trained once in a copy of the project, is what
every resumed run must equal, bit for bit (the times aside).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import psutil
import pytest

EPOCHS = 24
RUN = f"results/runs/baseline_n200_w0_e{EPOCHS}_s0"
CHECKPOINT = f"results/checkpoints/baseline_n200_w0_e{EPOCHS}_s0/state.npz"
LOG = f"{RUN}/train.log"
RUN_FILES = [
    "model.keras",
    "history.csv",
    "metrics.json",
    "summary.txt",
    "report_train.txt",
    "report_test.txt",
    "confusion_train.csv",
    "confusion_test.csv",
    "run.json",
]
TIMES = (
    "fit_seconds",
    "fit_seconds_this_job",
    "job_start",
    "fit_start",
    "fit_end",
    "last_epoch_end",
    "job_end",
    "resumed_from_epoch",
)


def start(workflow, target):
    """Start snakemake in its own process group, after removing the last attempt's log."""
    run = target.split("/")[2]
    workflow.path(f"results/runs/{run}/train.log").unlink(missing_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2", target],
        cwd=workflow.root,
        env=workflow.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # As from a terminal: a test run in the background (`pytest &`) inherits SIGINT
        # ignored, and so would snakemake and its job.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def checkpoint_epoch(workflow) -> int:
    from convlab.checkpoints import read_meta

    meta = read_meta(workflow.path(CHECKPOINT))
    return meta["epoch"] if meta else 0


def wait_for_checkpoint(workflow, process, epoch, timeout=120):
    """Wait until the saved state reaches the epoch; meanwhile, no output may look complete."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, process.stdout.read()
        assert not any(workflow.path(f"{RUN}/{name}").exists() for name in RUN_FILES)
        if checkpoint_epoch(workflow) >= epoch:
            return
        time.sleep(0.05)
    raise AssertionError(f"no state of epoch {epoch} within {timeout} s")


def status(workflow) -> str:
    """What `python scripts/status.py` prints in the project."""
    command = [sys.executable, "scripts/status.py"]
    return subprocess.run(
        command,
        cwd=workflow.root,
        env=workflow.environment(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def training_process(process):
    for child in psutil.Process(process.pid).children(recursive=True):
        if any("train.py" in part for part in child.cmdline()):
            return child
    raise AssertionError("no training process found")


def assert_nothing_looks_finished(workflow):
    folder = workflow.path(RUN)
    leftovers = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert not [name for name in leftovers if name in RUN_FILES or ".partial" in name], leftovers


def fresh_start(workflow):
    """No trace of the run: not its folder, nor its saved states."""
    shutil.rmtree(workflow.path(RUN), ignore_errors=True)
    shutil.rmtree(workflow.path("results/checkpoints"), ignore_errors=True)


def metrics(folder):
    return json.loads((folder / "metrics.json").read_text())


def assert_same_run(folder, reference):
    """Bit-identical history, confusion matrices, reports and weights; equal metrics but times."""
    import keras

    for name in ("history.csv", "confusion_train.csv", "confusion_test.csv", "report_test.txt"):
        assert (folder / name).read_bytes() == (reference / name).read_bytes(), name
    ours, theirs = metrics(folder), metrics(reference)
    assert {k: v for k, v in ours.items() if k not in TIMES} == {
        k: v for k, v in theirs.items() if k not in TIMES
    }
    ours = keras.models.load_model(folder / "model.keras").get_weights()
    theirs = keras.models.load_model(reference / "model.keras").get_weights()
    assert len(ours) == len(theirs) and all(np.array_equal(a, b) for a, b in zip(ours, theirs))


@pytest.fixture(scope="module")
def uninterrupted(tiny_workflow, tmp_path_factory):
    """The run trained once without a stop, in a copy of the project."""
    twin = tiny_workflow.copy(tmp_path_factory.mktemp("twin") / "wf")
    twin.snakemake(f"{RUN}/metrics.json", timeout=300)
    assert metrics(twin.path(RUN))["resumed_from_epoch"] == 0
    return twin.path(RUN)


def stop(workflow, process, how):
    if how == "Ctrl-C":  # a terminal sends SIGINT to snakemake and its job
        os.killpg(process.pid, signal.SIGINT)
    else:
        training_process(process).send_signal(
            signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL
        )
    process.wait(timeout=60)
    assert process.returncode != 0
    assert_nothing_looks_finished(workflow)
    return checkpoint_epoch(workflow)


def test_training_stopped_three_ways_resumes_exactly(tiny_workflow, uninterrupted):
    fresh_start(tiny_workflow)
    log = tiny_workflow.path(LOG)
    stopped_at = 0
    for how in ("Ctrl-C", "SIGTERM", "SIGKILL"):
        process = start(tiny_workflow, f"{RUN}/metrics.json")
        wait_for_checkpoint(tiny_workflow, process, stopped_at + 3)
        previous, stopped_at = stopped_at, stop(tiny_workflow, process, how)
        assert previous + 3 <= stopped_at < EPOCHS, how
        if previous:
            assert f"resuming from epoch {previous} of {CHECKPOINT}" in log.read_text()
    tiny_workflow.snakemake(f"{RUN}/metrics.json", timeout=300)
    assert metrics(tiny_workflow.path(RUN))["resumed_from_epoch"] == stopped_at
    assert f"resuming from epoch {stopped_at} of {CHECKPOINT}" in log.read_text()
    assert_same_run(tiny_workflow.path(RUN), uninterrupted)
    # The final state is the run's, and stays where a rerun after lost outputs finds it.
    assert tiny_workflow.path(CHECKPOINT).samefile(tiny_workflow.path(f"{RUN}/state.npz"))


def test_sigint_to_snakemake_alone_loses_no_finished_training(tiny_workflow, uninterrupted):
    fresh_start(tiny_workflow)
    process = start(tiny_workflow, f"{RUN}/metrics.json")
    wait_for_checkpoint(tiny_workflow, process, 2)
    process.send_signal(signal.SIGINT)  # Snakemake lets the job finish, then marks it incomplete
    process.wait(timeout=120)
    tiny_workflow.snakemake(f"{RUN}/metrics.json", timeout=300)
    resumed = metrics(tiny_workflow.path(RUN))["resumed_from_epoch"]
    assert resumed >= 2  # whatever had been trained, nothing is trained twice
    assert_same_run(tiny_workflow.path(RUN), uninterrupted)


def test_crash_of_everything_then_rerun_resumes(tiny_workflow, uninterrupted):
    fresh_start(tiny_workflow)
    process = start(tiny_workflow, f"{RUN}/metrics.json")
    wait_for_checkpoint(tiny_workflow, process, 5)
    # While it trains: its log gives each epoch's time and expected end, and the status
    # command lists it with its epoch.
    epoch_line = re.compile(
        r"\d\d:\d\d:\d\d  epoch (\d+)/24  .* s/epoch, ends ~\d\d:\d\d:\d\d \(in "
    )
    epochs = [
        int(m[1])
        for m in map(epoch_line.match, tiny_workflow.path(LOG).read_text().splitlines())
        if m
    ]
    assert epochs[:5] == [1, 2, 3, 4, 5]
    # Its lines about the trainings come first, then (after a dry run) the build's end.
    reading = subprocess.Popen(
        [sys.executable, "scripts/status.py"],
        cwd=tiny_workflow.root,
        env=tiny_workflow.environment(),
        stdout=subprocess.PIPE,
        text=True,
    )
    running = reading.stdout.readline() + reading.stdout.readline()
    os.killpg(process.pid, signal.SIGKILL)  # snakemake and its job die at once, no clean-up
    process.wait(timeout=60)
    build = reading.communicate(timeout=120)[0].splitlines()[-1]
    assert running.startswith("1 training(s) running"), running
    assert re.search(
        rf"baseline_n200_w0_e{EPOCHS}_s0  epoch ([5-9]|1\d)/24  [\d.]+ s/epoch", running
    )
    assert build.startswith("The build: 1 training(s) running, "), build
    time.sleep(0.5)
    assert status(tiny_workflow).startswith("No training is running")  # its record stays, stale
    assert_nothing_looks_finished(tiny_workflow)
    stopped_at = checkpoint_epoch(tiny_workflow)
    # Snakemake's own bookkeeping marks the job incomplete, and its lock stays: the next
    # run says how to remove it, then resumes the run.
    assert list(tiny_workflow.path(".snakemake/incomplete").iterdir())
    refused = tiny_workflow.snakemake(f"{RUN}/metrics.json", check=False)
    assert refused.returncode != 0 and "--unlock" in refused.stderr
    tiny_workflow.snakemake("--unlock")
    tiny_workflow.snakemake(f"{RUN}/metrics.json", timeout=300)
    assert metrics(tiny_workflow.path(RUN))["resumed_from_epoch"] == stopped_at
    assert_same_run(tiny_workflow.path(RUN), uninterrupted)


def test_longer_run_continues_from_the_shorter_one_the_config_has(tiny_workflow, tmp_path):
    short, long = (f"results/runs/deep_n200_w0.0001_e{e}_s0" for e in (3, 6))
    continued = tiny_workflow.copy(tmp_path / "continued")
    config = continued.config
    config["sweeps"]["deep"] = [{"n": 200, "epochs": 3}, {"n": 200, "epochs": 6}]
    continued.write_config(config)
    assert continued.planned_jobs(f"{long}/metrics.json") == {"train": 2}  # short first
    continued.snakemake(f"{long}/metrics.json")
    resumed = metrics(continued.path(long))
    assert resumed["resumed_from_epoch"] == 3
    assert resumed["fit_seconds"] > resumed["fit_seconds_this_job"]
    assert (continued.path(short) / "state.npz").exists()

    # Where the config has no shorter run of its net, a run trains from scratch, whatever
    # else is on disk (here the shorter run): a run continues only what its plan names.
    scratch = continued.copy(tmp_path / "scratch")
    scratch.write_config(tiny_workflow.config)
    shutil.rmtree(scratch.path(long))
    shutil.rmtree(scratch.path(long.replace("/runs/", "/checkpoints/")))
    assert scratch.planned_jobs(f"{long}/metrics.json") == {"train": 1}
    scratch.snakemake(f"{long}/metrics.json")
    assert metrics(scratch.path(long))["resumed_from_epoch"] == 0
    assert_same_run(continued.path(long), scratch.path(long))
