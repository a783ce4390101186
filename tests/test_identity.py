"""A trained run stands for exactly its inputs: the prepared data's content, the code its
job runs, its canonical parameters. Whatever changes one retrains it, nothing else does;
a damaged saved state never stops a run; a longer run continues from the shorter one.

Real snakemake on copies of the session's finished tiny project; the tests that train say so.
"""

import io
import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO, edit, tiny_config, tiny_project
from convlab.imports import library_closure
from convlab.project import WORKFLOW_FILES, copy_workflow

DEEP = "results/runs/deep_n100_w0.0001_e{epochs}_s0"
MAXPOOL = "results/runs/maxpool_n100_w0.0001_e1_s0"
LOG = "results/runs/deep_n100_w0.0001_e2_s0/train.log"


def set_local(project, **cifar10):
    local = yaml.safe_load(project.path("local.yaml").read_text())
    local["cifar10"].update(cifar10)
    project.write_config(local, name="local.yaml")


def test_data_prepared_again_retrains_exactly_when_its_content_differs(finished_tiny, tmp_path):
    project = finished_tiny.copy(tmp_path / "wf")
    # Another shuffle of the image tree, and only the data target built: the runs trained on
    # the first shuffle are stale.
    set_local(project, seed=7)
    project.snakemake("results/data/cifar10.npz")
    assert project.planned_jobs()["train"] == 7
    # The first shuffle again: the content the runs were trained on, so nothing to train.
    set_local(project, seed=0)
    project.snakemake("results/data/cifar10.npz")
    assert project.planned_jobs() == {}


def test_the_same_data_prepared_from_elsewhere_retrains_nothing(finished_tiny, tmp_path):
    project = finished_tiny.copy(tmp_path / "wf")
    data = yaml.safe_load(project.path("local.yaml").read_text())["cifar10"]["path"]
    elsewhere = shutil.copytree(data, tmp_path / "scratch" / "cifar")
    shutil.rmtree(project.path("results/data"))
    set_local(project, path=str(elsewhere))
    project.snakemake("results/data/cifar10.npz")
    assert project.planned_jobs() == {}


@pytest.fixture(scope="module")
def rule_scripts(finished_inputs) -> dict[str, str]:
    """Each rule of the finished project and the script its jobs ran, from Snakemake's records."""
    return {
        # A training's code is its copy under results/code/ (rules/train.smk).
        rule: "scripts/"
        + next(p.name for p in map(Path, inputs) if p.parent.name in ("scripts", "code"))
        for rule, inputs in finished_inputs.items()
        if rule != "training_code"  # a job per file: the copies a training reads
    }


@pytest.mark.parametrize("module", ["prepared", "experiments", "checkpoints"])
def test_an_edit_of_a_module_reruns_the_rules_that_run_it(
    finished_tiny, rule_scripts, tmp_path, module
):
    project = finished_tiny.copy(tmp_path / "wf")
    runs_it = {
        rule
        for rule, script in rule_scripts.items()
        if module in {p.stem for p in library_closure(REPO / script, REPO / "scripts/convlab")}
    }
    assert runs_it, module
    edit(project.path(f"scripts/convlab/{module}.py"))
    planned = set(project.planned_jobs())
    # Each rule that runs it reruns (a job after one of them reruns with it); and a run is
    # trained again only for code that its training runs.
    assert runs_it <= planned and ("train" in planned) == ("train" in runs_it), planned


def rewritten(layers):
    """The same layers as another user would write them: options in reverse order, kernel
    sizes as pairs, the default strides written out."""
    again = []
    for spec in layers:
        ((kind, options),) = spec.items()
        options = dict(reversed(list((options or {}).items())))
        if kind == "Conv2D":
            options = {"strides": 1, **options, "kernel_size": [3, 3]}
        again.append({kind: options})
    return again


def test_the_same_net_written_differently_is_the_same_run(finished_tiny, tmp_path):
    project = finished_tiny.copy(tmp_path / "wf")
    config = project.config
    config["architectures"] = {a: rewritten(ls) for a, ls in config["architectures"].items()}
    project.write_config(config)
    assert project.planned_jobs() == {}
    config["architectures"]["maxpool"][0]["Conv2D"]["filters"] = 8  # another net
    project.write_config(config)
    jobs = project.planned_jobs()
    assert jobs["train"] == 1 and jobs["model_summary"] == 1


def test_damaged_states_are_skipped_and_the_run_finishes(finished_tiny, tmp_path):
    """Trains the 2-epoch deep run from scratch."""
    project = finished_tiny.copy(tmp_path / "wf")
    for name in ("metrics.json", "model.keras"):
        project.path(f"{DEEP.format(epochs=2)}/{name}").unlink()
    (project.path(f"{DEEP.format(epochs=2)}/state.npz")).unlink()
    shorter = project.path(f"{DEEP.format(epochs=1)}/state.npz")
    shorter.write_bytes(shorter.read_bytes()[:1000])  # a copy cut short
    checkpoint = project.path("results/checkpoints/deep_n100_w0.0001_e2_s0/state.npz")
    checkpoint.write_bytes(b"\0" * 4096)  # a disk error
    result = project.snakemake(f"{DEEP.format(epochs=2)}/metrics.json")
    assert "Error" not in result.stderr
    log = project.path(LOG).read_text().splitlines()
    skipped = [line for line in log if line.startswith("skipping the damaged state")]
    assert len(skipped) == 2, log
    assert {line.split()[4] for line in skipped} == {
        "results/checkpoints/deep_n100_w0.0001_e2_s0/state.npz",
        f"{DEEP.format(epochs=1)}/state.npz",
    }
    assert "training from scratch (no saved state of this run)" in log
    metrics = json.loads(project.path(f"{DEEP.format(epochs=2)}/metrics.json").read_text())
    assert metrics["resumed_from_epoch"] == 0 and metrics["epochs"] == 2
    assert checkpoint.samefile(project.path(f"{DEEP.format(epochs=2)}/state.npz"))


def test_a_continuation_on_other_threads_is_recorded_and_said(finished_tiny, tmp_path):
    """Trains the second epoch of the 2-epoch deep run on another thread count than its
    first epoch had (1 or 2, as the finished project's job chose it)."""
    project = finished_tiny.copy(tmp_path / "wf")
    first = json.loads(project.path(f"{DEEP.format(epochs=1)}/metrics.json").read_text())
    before = first["threads"]
    other = 2 if before == 1 else 1
    for name in ("metrics.json", "run.json", "state.npz"):
        project.path(f"{DEEP.format(epochs=2)}/{name}").unlink()
    shutil.rmtree(project.path("results/checkpoints/deep_n100_w0.0001_e2_s0"))
    config = project.config
    config["training"]["cpu_threads"] = other
    project.write_config(config)
    project.snakemake(f"{DEEP.format(epochs=2)}/metrics.json")
    log = project.path(LOG).read_text()
    assert f"resuming from epoch 1 of {DEEP.format(epochs=1)}/state.npz" in log
    assert (
        f"resumed on {other} threads; {before} before: the last digits may differ from an "
        "uninterrupted run"
    ) in log
    record = json.loads(project.path(f"{DEEP.format(epochs=2)}/run.json").read_text())
    segments = [(s["from_epoch"], s["to_epoch"], s["threads"]) for s in record["segments"]]
    assert segments == [(1, 1, before), (2, 2, other)]


def test_lost_outputs_are_rebuilt_from_the_final_states_without_training(finished_tiny, tmp_path):
    """Snakemake deletes a job's outputs before it runs it again; the final state kept in
    results/checkpoints/ is the same file as the run's state.npz, so nothing trained is lost.
    A longer run is planned after the shorter one it depends on, and neither trains."""
    project = finished_tiny.copy(tmp_path / "wf")
    shutil.rmtree(project.path(DEEP.format(epochs=1)))  # a whole run folder removed
    project.path(f"{DEEP.format(epochs=2)}/history.csv").unlink()  # one file of another
    before = json.loads(project.path(f"{DEEP.format(epochs=2)}/metrics.json").read_text())
    both = [f"{DEEP.format(epochs=e)}/metrics.json" for e in (1, 2)]
    assert project.planned_jobs(*both) == {"train": 2}
    project.snakemake(*both)
    for epochs in (1, 2):
        log = project.path(f"{DEEP.format(epochs=epochs)}/train.log").read_text()
        checkpoint = f"results/checkpoints/deep_n100_w0.0001_e{epochs}_s0/state.npz"
        assert f"finished in {checkpoint}: no epoch to train" in log, log
        assert "last digits" not in log, log
        assert re.search(r"^\d\d:\d\d:\d\d  epoch ", log, re.MULTILINE) is None, log
    after = json.loads(project.path(f"{DEEP.format(epochs=2)}/metrics.json").read_text())
    for key in ("train_loss", "val_loss", "test_accuracy", "params"):
        assert after[key] == before[key], key


def test_a_config_file_that_is_not_yaml_is_one_line(workflow):
    workflow.path("local.yaml").write_text("cifar10:\n  path: data\n  seed: [1\n")
    result = workflow.snakemake("-n", check=False)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert errors == [
        "Error: local.yaml line 4, column 1 is not valid YAML: expected ',' or ']', but got "
        "'<stream end>'"
    ], result.stderr[-2000:]


# The last commit that changed what a run is (its state key, or the code its training runs).
# A project finished there trains nothing after any later commit; a commit that retrains every
# run says so in the CHANGELOG and moves this to itself.
IDENTITY_COMMIT = "abe664d56bc8007fae0fdff2b5307fbb40817c49"


def test_a_project_finished_at_the_last_identity_change_trains_nothing_now(tmp_path):
    """Trains one run with the workflow as it was at IDENTITY_COMMIT, then plans it with the
    workflow as it is: a refactor of names, rules or planning must not retrain it. Trained
    again from scratch, at the same thread count, its weights are the same bit for bit."""
    import keras
    import numpy as np

    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", IDENTITY_COMMIT, "--", *WORKFLOW_FILES],
        capture_output=True,
    )
    if archive.returncode:
        pytest.skip(f"commit {IDENTITY_COMMIT[:7]} is not in this clone's history")
    project = tiny_project(tmp_path)

    def workflow_of(files: tarfile.TarFile | None):
        for name in WORKFLOW_FILES:
            path = project.path(name)
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        if files is None:
            copy_workflow(REPO, project.root)
        else:
            files.extractall(project.root, filter="data")
        project.write_config(tiny_config(yaml.safe_load((REPO / "config.yaml").read_text()), None))

    def weights():
        model = keras.models.load_model(project.path(f"{MAXPOOL}/model.keras"))
        return model.get_weights()

    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as files:
        workflow_of(files)
    project.snakemake("results/fig_maxpool.png")
    before = weights()
    workflow_of(None)
    assert "train" not in project.planned_jobs("results/fig_maxpool.png")
    shutil.rmtree(project.path(MAXPOOL))
    shutil.rmtree(project.path(MAXPOOL.replace("runs", "checkpoints")))
    project.snakemake(f"{MAXPOOL}/metrics.json")
    assert all(np.array_equal(a, b) for a, b in zip(weights(), before, strict=True))
