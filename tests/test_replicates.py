"""Replicates as a dimension of the DAG: real snakemake and TensorFlow on tiny generated data.

The project here has three configurations (the architectures at the defaults), trained with
two seeds each, once per session.
"""

import json
import shutil

import pandas as pd
import pytest
from scipy import stats

COMPARISONS = [
    "results/claims.md",
    "results/experiments_summary.csv",
    "results/fig_architectures.png",
    "results/fig_sweep_n.png",
]


@pytest.fixture(scope="session")
def replicated(finished_tiny, tmp_path_factory):
    """The finished tiny project with two replicates of three configurations: its runs are
    their first seeds, so the second seeds alone are trained."""
    workflow = finished_tiny.copy(tmp_path_factory.mktemp("replicated") / "wf")
    config = workflow.config
    config["replicates"] = 2
    config["sweeps"] = {"n": [100], "l1": [0.0001], "deep": [{"n": 100, "epochs": 1}]}
    workflow.write_config(config)
    workflow.snakemake(*COMPARISONS)
    return workflow


def metrics(workflow, run):
    return json.loads(workflow.path(f"results/runs/{run}/metrics.json").read_text())


def test_replicates_multiply_the_planned_trainings(tiny_workflow):
    one = tiny_workflow.planned_jobs(options=("--config", "replicates=1"))
    two = tiny_workflow.planned_jobs(options=("--config", "replicates=2"))
    assert one["train"] == 7 and two["train"] == 14
    # The first replicate's history figures: the assignment's six and fig_deep (the deep net at
    # the defaults, which no sweep draws in the tiny config).
    assert one["plot_history"] == two["plot_history"] == 7


def test_raising_the_count_trains_only_the_new_seed_and_lowering_it_trains_nothing(replicated):
    more = replicated.snakemake("-n", "--config", "replicates=3", "--", *COMPARISONS)
    planned = [
        line.split(": ", 1)[1]
        for line in more.stdout.splitlines()
        if line.strip().startswith("output:") and "/runs/" in line
    ]
    assert len(planned) == 3 and all("_s2/" in line for line in planned), planned
    fewer = replicated.planned_jobs(*COMPARISONS, options=("--config", "replicates=1"))
    assert "train" not in fewer and fewer["experiments_table"] == 1


def test_replicates_differ_and_a_retrained_seed_is_identical(replicated, tmp_path):
    first, second = (metrics(replicated, f"maxpool_n100_w0.0001_e1_s{seed}") for seed in (0, 1))
    assert first["seed"] == 0 and second["seed"] == 1
    assert first["train_loss"] != second["train_loss"]
    project = replicated.copy(tmp_path / "wf")
    target = "results/runs/maxpool_n100_w0.0001_e1_s1/metrics.json"
    # Else it resumes from its last epoch, kept in the run's folder and results/checkpoints/.
    project.path(target).with_name("state.npz").unlink()
    shutil.rmtree(project.path("results/checkpoints/maxpool_n100_w0.0001_e1_s1"))
    # On the thread count it had (the last digits can differ with another).
    config = project.config
    config["training"]["cpu_threads"] = second["threads"]
    project.write_config(config)
    project.snakemake(target, "--forcerun", "train")
    again = metrics(project, "maxpool_n100_w0.0001_e1_s1")
    for key in (
        "fit_seconds",
        "fit_seconds_this_job",
        "job_start",
        "fit_start",
        "fit_end",
        "last_epoch_end",
        "job_end",
    ):
        again.pop(key), second.pop(key)
    assert again == second


def test_summary_matches_scipy_on_the_runs_table(replicated):
    table = pd.read_csv(replicated.path("results/experiments.csv"))
    assert len(table) == 6 and sorted(table["seed"].unique()) == [0, 1]
    summary = pd.read_csv(replicated.path("results/experiments_summary.csv"))
    assert len(summary) == 3 and (summary["replicates"] == 2).all()
    for row in summary.itertuples():
        runs = table[
            (table["arch"] == row.arch) & (table["n"] == row.n) & (table["epochs"] == row.epochs)
        ]
        for column in ("test_accuracy", "val_accuracy", "train_val_gap", "fit_seconds"):
            values = runs[column]
            assert getattr(row, f"{column}_mean") == pytest.approx(values.mean())
            assert getattr(row, f"{column}_std") == pytest.approx(values.std(ddof=1))
            if values.std() > 0:
                low, high = stats.t.interval(0.95, 1, loc=values.mean(), scale=stats.sem(values))
                assert getattr(row, f"{column}_ci_low") == pytest.approx(low)
                assert getattr(row, f"{column}_ci_high") == pytest.approx(high)


def test_claims_give_an_interval_and_a_verdict_per_claim(replicated):
    text = replicated.path("results/claims.md").read_text()
    effects = [line for line in text.splitlines() if line.count("|") == 11 and line[2].isdigit()]
    verdicts = {line.split("|")[-3].strip().strip("*") for line in effects}
    assert verdicts <= {"holds", "does not hold", "inconclusive", "cannot be checked"}
    checked = [line for line in effects if "cannot be checked" not in line]
    assert len(checked) == 3  # the dummy, max-pooling's accuracy and fit time
    assert all(
        " [" in line and ("2 vs 2 | paired t |" in line or "none (no spread)" in line)
        for line in checked
    )


def test_any_replicate_has_its_history_figure(replicated):
    jobs = replicated.planned_jobs("results/fig_maxpool_s1.png", "results/fig_n_100_s1.png")
    assert jobs == {"plot_history": 2}  # both runs are trained already


@pytest.mark.parametrize(
    "value, message",
    [
        ("0", "config key replicates: 0 is less than the minimum of 1"),
        ("-1", "config key replicates: -1 is less than the minimum of 1"),
        ("2.5", "config key replicates: 2.5 is not valid; expected random seeds per"),
        ("three", "config key replicates: 'three' is not valid; expected random seeds per"),
    ],
)
def test_bad_replicates_is_one_line_before_any_job(tiny_workflow, value, message):
    result = tiny_workflow.snakemake("--config", f"replicates={value}", check=False)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert result.returncode != 0 and len(errors) == 1, result.stderr[-1500:]
    assert errors[0].startswith(f"Error: {message}")
    assert "Traceback" not in result.stderr and not tiny_workflow.path("results").exists()


def test_adaptive_replicates_train_only_what_open_claims_compare(replicated, tmp_path):
    """From the two-replicate project, `replicates: {start: 2, max: 3, looks: 2}`: looks at 2
    and 3 seeds. The dummy margin is set far below (-100 points) so that its claim can be
    decided at once; seeds go only to the configurations of effects left open, and the deep
    net, which no claim compares here (one deep run), keeps its two."""
    project = replicated.copy(tmp_path / "adaptive")
    config = project.config
    config["replicates"] = {"start": 2, "max": 3, "looks": 2}
    config["claims"]["dummy_margin"] = -100.0
    project.write_config(config)
    before = {p.name for p in project.path("results/runs").iterdir()}
    project.snakemake("results/claims.md", "results/experiments.csv")
    trained = {p.name for p in project.path("results/runs").iterdir()} - before

    first = json.loads(project.path("results/claims/look0.json").read_text())
    # The effects here: the dummy (the baseline alone), max-pooling's accuracy and fit time.
    base, pool = "baseline_n100_w0.0001_e1", "maxpool_n100_w0.0001_e1"
    compared = [{base}, {base, pool}, {base, pool}]
    verdicts = [result["verdict"] for result in first["results"] if result["effect"]]
    open_configurations = set().union(
        *(names for names, v in zip(compared, verdicts) if v == "inconclusive")
    )
    assert open_configurations  # an open claim, so the look asks for more
    assert trained == {f"{name}_s2" for name in open_configurations}
    last = json.loads(project.path("results/claims/look1.json").read_text())
    assert last["next"] == {}  # the cap: no third look
    for kept, now in zip(first["results"], last["results"]):
        if kept["verdict"] in ("holds", "does not hold"):
            assert now == kept  # a decided verdict is kept as it was
    text = project.path("results/claims.md").read_text()
    assert "looks at 2, 3 replicates" in text and " of 2) |" in text
    table = pd.read_csv(project.path("results/experiments.csv"))
    counts = table.groupby("arch")["seed"].count().to_dict()
    assert counts["deep"] == 2
    assert project.planned_jobs("results/claims.md", "results/experiments.csv") == {}
