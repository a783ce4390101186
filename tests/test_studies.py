"""Studies past the assignment, end to end on the tiny project: a setting changed is a run
of its own beside the first, sweeps over any setting, and a store of trained runs shared by
clones (Snakemake's between-workflow cache)."""

import json
import re

import pandas as pd
import yaml

from cifar_fixtures import write_image_tree
from conftest import REPO, Workflow, edit, tiny_config
from convlab.studies import RESERVED

MAXPOOL = "results/runs/maxpool_n100_w0.0001_e1_s0"


def set_local(project, **sections):
    """Add sections to the project's local.yaml (its data path stays)."""
    local = yaml.safe_load(project.path("local.yaml").read_text())
    project.write_config({**local, **sections}, name="local.yaml")


def trained(project) -> set[str]:
    """The runs whose training job fitted a model, by their logs."""
    return {
        log.parent.name
        for log in project.path("results/runs").glob("*/train.log")
        if "fit: " in log.read_text()
    }


def run_folders(project) -> set[str]:
    return {path.name for path in project.path("results/runs").iterdir()}


def test_a_batch_size_is_a_run_beside_the_first_and_setting_it_back_trains_nothing(
    finished_tiny, tmp_path
):
    project = finished_tiny.copy(tmp_path / "p")
    before = {name: project.path(f"{MAXPOOL}/{name}").read_bytes() for name in ("metrics.json",)}
    figure = project.path("results/fig_maxpool.png").read_bytes()
    for log in project.path("results/runs").glob("*/train.log"):
        log.unlink()

    set_local(project, training={"batch_size": 64})
    project.snakemake("results/fig_maxpool.png")
    (variant,) = run_folders(project) - run_folders(finished_tiny)
    assert variant.startswith("maxpool_n100_w0.0001_e1_v") and trained(project) == {variant}
    assert project.path(f"{MAXPOOL}/metrics.json").read_bytes() == before["metrics.json"]

    set_local(project, training={})
    assert "train" not in project.planned_jobs("results/fig_maxpool.png")
    project.snakemake("results/fig_maxpool.png", "results/runs.csv")
    assert trained(project) == {variant}  # the batch-128 run came back without training
    assert project.path("results/fig_maxpool.png").read_bytes() == figure

    runs = pd.read_csv(project.path("results/runs.csv"), dtype={"variant": str}).set_index("run")
    assert runs.loc[MAXPOOL.split("/")[-1], "batch_size"] == 128
    assert runs.loc[variant, "batch_size"] == 64 and not runs.loc[variant, "configured"]


SWEEPS = {
    "learning_rate": {"setting": "training.optimizer.learning_rate", "values": [0.0001, 0.01]},
    "dropout": {"setting": "architectures.baseline.Dropout.rate", "values": [0.25, 0.75]},
}


def test_sweeps_of_a_learning_rate_and_a_dropout_rate_train_four_runs_side_by_side(
    finished_tiny, tmp_path
):
    project = finished_tiny.copy(tmp_path / "p")
    sweeps = {**yaml.safe_load(project.path("config.yaml").read_text())["sweeps"], **SWEEPS}
    set_local(project, sweeps=sweeps)
    figures = [f"results/fig_{kind}_{name}.png" for kind in ("sweep", "curves") for name in SWEEPS]
    figures += ["results/fig_learning_rate_0.01.png", "results/fig_dropout_0.25.png"]
    jobs = project.planned_jobs(*figures, "results/experiments.csv")
    assert jobs["train"] == 4, jobs
    project.snakemake(*figures, "results/experiments.csv")

    new = sorted(run_folders(project) - run_folders(finished_tiny))
    assert len(new) == 4 and all(name.startswith("baseline_n100_w0.0001_e1_v") for name in new)
    records = [
        json.loads(project.path(f"results/runs/{name}/run.json").read_text()) for name in new
    ]
    rates = sorted(
        str(r["settings"]["optimizer"]["Adam"].get("learning_rate", "default")) for r in records
    )
    assert rates == ["0.0001", "0.01", "default", "default"]
    dropouts = sorted(
        next(layer["Dropout"]["rate"] for layer in r["layers"] if "Dropout" in layer)
        for r in records
    )
    assert dropouts == [0.25, 0.5, 0.5, 0.75]
    table = pd.read_csv(project.path("results/experiments.csv"), dtype={"variant": str})
    assert len(table) == 7 + 4 and table["variant"].fillna("").str.len().gt(0).sum() == 4
    for figure in figures:
        assert project.path(figure).stat().st_size > 10_000, figure


def tiny_clone(root, data_seed=0):
    """A fresh clone of the tiny project with its own copy of the data (same content), the
    images shuffled with ``data_seed``."""
    data = write_image_tree(root / "data")
    project = Workflow(root / "wf")
    project.write_config(tiny_config(project.config, None))
    project.write_config({"cifar10": {"path": str(data), "seed": data_seed}}, name="local.yaml")
    return project


# The deep net's 2-epoch run continues from its 1-epoch run, which it needs first.
DEEP = "results/fig_deep_n100_e2.png"
DEEP_RUNS = {"deep_n100_w0.0001_e1_s0", "deep_n100_w0.0001_e2_s0"}


def test_clones_sharing_a_store_train_each_run_once(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    env = {"SNAKEMAKE_OUTPUT_CACHE": str(store)}
    first = tiny_clone(tmp_path / "first")
    first.snakemake(DEEP, "--cache", env=env)
    assert trained(first) == DEEP_RUNS

    second = tiny_clone(tmp_path / "second")
    second.snakemake(DEEP, "--cache", env=env)
    assert trained(second) == set()
    assert second.path(DEEP).read_bytes() == first.path(DEEP).read_bytes()
    continued = "results/runs/deep_n100_w0.0001_e2_s0/metrics.json"
    assert json.loads(second.path(continued).read_text())["resumed_from_epoch"] == 1

    # Code in the training closure, or other data, misses the store.
    edit(second.path("scripts/convlab/training.py"))
    shorter = "results/runs/deep_n100_w0.0001_e1_s0/metrics.json"
    second.snakemake(shorter, "--cache", env=env)
    assert trained(second) == {"deep_n100_w0.0001_e1_s0"}
    other = tiny_clone(tmp_path / "other", data_seed=7)
    other.snakemake("results/fig_n_100.png", "--cache", env=env)
    assert trained(other) == {"baseline_n100_w0.0001_e1_s0"}


def test_run_images_are_the_first_n_or_a_sample_drawn_by_the_seed():
    import numpy as np

    from convlab.studies import SEEDED_SAMPLE
    from convlab.training import run_images

    x = np.arange(1000).reshape(1000, 1)
    data = ((x, x[:, 0] % 10), (x[:10], x[:10, 0] % 10))
    first, labels = run_images(data, 100, 0, {})
    assert first[:, 0].tolist() == list(range(100)) and labels.tolist() == [
        i % 10 for i in range(100)
    ]
    drawn = {"sample": SEEDED_SAMPLE}
    small, large = (
        run_images(data, 100, 3, drawn)[0][:, 0],
        run_images(data, 400, 3, drawn)[0][:, 0],
    )
    assert len(set(small)) == 100 and small.tolist() == large[:100].tolist()  # nested by n
    assert small.tolist() != run_images(data, 100, 4, drawn)[0][:, 0].tolist()  # its own seed
    assert small.tolist() == run_images(data, 100, 3, drawn)[0][:, 0].tolist()  # and repeatable


def test_replicates_that_vary_the_sample_are_runs_of_their_own(finished_tiny, tmp_path):
    project = finished_tiny.copy(tmp_path / "p")
    set_local(project, replicates_vary=["seed", "sample"])
    project.snakemake("results/fig_maxpool.png")
    (drawn,) = run_folders(project) - run_folders(finished_tiny)
    assert drawn.startswith("maxpool_n100_w0.0001_e1_v") and drawn.endswith("_s0")
    record = json.loads(project.path(f"results/runs/{drawn}/run.json").read_text())
    assert record["settings"]["sample"] == "drawn by seed"
    first_n = json.loads(project.path(f"{MAXPOOL}/run.json").read_text())
    assert "sample" not in first_n["settings"]
    set_local(project, replicates_vary=["seed"])  # back: the first-n run is there, untouched
    assert "train" not in project.planned_jobs("results/fig_maxpool.png")


def test_the_reserved_names_are_the_figures_the_rules_name_in_words():
    """A sweep's figures, results/fig_{sweep}_{value}.png, must not take the name of another
    kind of figure: the rules' figure outputs that begin with a word, not a wildcard."""
    named = set()
    for rules in (REPO / "rules").glob("*.smk"):
        named |= set(re.findall(r"results/fig_([a-z]+)[_.]", rules.read_text()))
    assert named == set(RESERVED)
