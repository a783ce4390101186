"""Interrupted training leaves nothing that looks finished; reruns are exact; one writer at a time.

Real snakemake and TensorFlow on tiny generated data; a long run (many 1-batch epochs) gives
time to interrupt it mid-epoch.
"""

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

LONG_RUN = "results/runs/baseline_n200_w0_e150_s0"
RUN_FILES = ["model.keras", "history.csv", "metrics.json", "summary.txt", "report_train.txt",
             "report_test.txt", "confusion_train.csv", "confusion_test.csv"]


def start(workflow, target):
    """Start snakemake in its own process group, after removing the last attempt's log."""
    run = target.split("/")[2]
    workflow.path(f"results/logs/train/{run}.log").unlink(missing_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2", target],
        cwd=workflow.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )


def wait_for_epoch(workflow, process, epoch, timeout=120):
    """Wait until the job's log shows the epoch; meanwhile, no output may look complete."""
    log = workflow.path(f"results/logs/train/{LONG_RUN.split('/')[-1]}.log")
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, process.stdout.read()
        assert not any(workflow.path(f"{LONG_RUN}/{name}").exists() for name in RUN_FILES)
        if log.exists() and f"epoch {epoch}/" in log.read_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"no epoch {epoch} within {timeout} s")


def training_process(process):
    for child in psutil.Process(process.pid).children(recursive=True):
        if any("train.py" in part for part in child.cmdline()):
            return child
    raise AssertionError("no training process found")


def assert_nothing_looks_finished(workflow):
    folder = workflow.path(LONG_RUN)
    leftovers = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert not [name for name in leftovers if name in RUN_FILES or ".partial" in name], leftovers


@pytest.mark.parametrize("how", ["SIGTERM to the job", "SIGKILL to the job", "Ctrl-C to snakemake"])
def test_interrupted_training_leaves_no_output(tiny_workflow, how):
    process = start(tiny_workflow, f"{LONG_RUN}/metrics.json")
    wait_for_epoch(tiny_workflow, process, 3)
    if how == "Ctrl-C to snakemake":
        os.killpg(process.pid, signal.SIGINT)
    else:
        training_process(process).send_signal(signal.SIGTERM if "TERM" in how else signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert_nothing_looks_finished(tiny_workflow)
    assert tiny_workflow.planned_jobs(f"{LONG_RUN}/metrics.json").get("train") == 1


def test_crash_of_everything_then_rerun_trains_from_the_start(tiny_workflow):
    process = start(tiny_workflow, f"{LONG_RUN}/metrics.json")
    wait_for_epoch(tiny_workflow, process, 5)
    os.killpg(process.pid, signal.SIGKILL)  # snakemake and its job die at once, no clean-up
    process.wait(timeout=60)
    time.sleep(0.5)
    assert_nothing_looks_finished(tiny_workflow)
    # Snakemake's own bookkeeping marks the job incomplete, and its lock stays: the next
    # run says how to remove it, then trains the run again.
    assert list(tiny_workflow.path(".snakemake/incomplete").iterdir())
    refused = tiny_workflow.snakemake(f"{LONG_RUN}/metrics.json", check=False)
    assert refused.returncode != 0 and "--unlock" in refused.stderr
    tiny_workflow.snakemake("--unlock")
    tiny_workflow.snakemake(f"{LONG_RUN}/metrics.json", timeout=300)
    metrics = json.loads(tiny_workflow.path(f"{LONG_RUN}/metrics.json").read_text())
    assert metrics["epochs"] == 150
    history = tiny_workflow.path(f"{LONG_RUN}/history.csv").read_text().splitlines()
    assert len(history) == 1 + 150


def test_second_invocation_is_refused_while_the_first_runs(tiny_workflow):
    target = "results/runs/baseline_n200_w0.001_e150_s0/metrics.json"
    first = start(tiny_workflow, target)
    log = tiny_workflow.path("results/logs/train/baseline_n200_w0.001_e150_s0.log")
    deadline = time.time() + 120
    while not (log.exists() and "epoch 2/" in log.read_text()):
        assert time.time() < deadline and first.poll() is None
        time.sleep(0.05)
    second = tiny_workflow.snakemake(target, check=False)
    assert second.returncode != 0
    assert "Directory cannot be locked" in second.stdout + second.stderr
    assert first.wait(timeout=300) == 0, first.stdout.read()
    metrics = json.loads(tiny_workflow.path(target).read_text())
    assert metrics["epochs"] == 150 and metrics["n"] == 200


def test_same_run_twice_gives_identical_history_and_metrics(tiny_workflow):
    target = "results/runs/maxpool_n200_w0.0001_e3_s0/metrics.json"
    folder = tiny_workflow.path(target).parent
    tiny_workflow.snakemake(target)
    first_history = (folder / "history.csv").read_bytes()
    first = json.loads((folder / "metrics.json").read_text())
    tiny_workflow.snakemake("--forcerun", "train", "--", target)
    second = json.loads((folder / "metrics.json").read_text())
    assert (folder / "history.csv").read_bytes() == first_history
    assert (folder / "confusion_test.csv").exists()
    for key in ("fit_seconds", "fit_start", "fit_end"):
        first.pop(key), second.pop(key)
    assert first == second
