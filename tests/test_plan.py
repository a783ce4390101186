"""The plan of a project, built from its config alone, without Snakemake: its runs, their
names and folders, the shorter run each continues, the runs behind figures, every target,
and one line for a bad target value."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, TINY, merged
from convlab.config import ConfigError
from convlab.plan import Plan, build
from convlab.runs import RUN_FIELDS, RUN_FOLDER, Run
from convlab.targets import TargetError

CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())
SCHEMA = REPO / "schemas" / "config.schema.yaml"


def plan_of(config, train_size=lambda: 50_000) -> Plan:
    # The Snakefile's own record of the nets that passed Keras's check: once the suite's
    # workflows (or another worker) filled it with these configs' nets, no Keras starts here.
    passed = Path.home() / ".cache" / "convlab" / "architectures-passed.json"
    return build(config, SCHEMA, passed, train_size)


@pytest.fixture(scope="module")
def default() -> Plan:
    return plan_of(CONFIG)


def test_the_default_plan_has_the_assignment_s_runs_with_three_seeds(default):
    runs = default.replicates(default.configured)
    assert len(runs) == 36 and len(set(runs)) == 36
    assert {run.seed for run in runs} == {0, 1, 2}
    assert {(run.n, run.l1) for run in runs if run.arch == "baseline"} == {
        *((n, 0.0001) for n in (5000, 10000, 20000, 40000)),
        *((5000, l1) for l1 in (0, 0.00001, 0.001, 0.01)),
    }
    assert {(r.n, r.epochs) for r in runs if r.arch == "deep"} == {
        (5000, 20),
        (50000, 20),
        (50000, 60),
    }


def test_every_run_owns_its_name_and_folder(default):
    for run in default.replicates(default.configured, default.all_seeds):
        assert Run.parse(run.name) == run
        assert run.folder == RUN_FOLDER.format(
            **{**run.fields, "l1": run.name.split("_w")[1].split("_")[0]}
        )
        assert run.file("metrics.json") == f"{run.folder}/metrics.json"


@given(
    st.builds(
        Run,
        st.from_regex(RUN_FIELDS["arch"], fullmatch=True),
        st.integers(1, 10**6),
        st.floats(0, 10, allow_nan=False),
        st.integers(1, 10**4),
        st.sampled_from(["", "_v0123abcd"]),
        st.integers(0, 10**6),
    )
)
def test_a_run_name_reads_back_as_its_run(run):
    assert Run.parse(run.name) == run


def test_the_longest_deep_run_continues_the_shorter_one_of_its_net(default):
    (long,) = [r for r in default.replicates(default.configured, [1]) if r.epochs == 60]
    assert default.shorter(long) == long.but(epochs=20)
    assert default.shorter(long.but(epochs=20)) is None
    assert default.shorter(long.but(n=5000)) == long.but(n=5000, epochs=20)


def test_figures_name_the_runs_they_draw(default):
    one = {"replicate": ""}
    assert default.history_run("l1", one | {"l1": "0.01"}) == Run("baseline", 5000, 0.01, 20, "", 0)
    second = {"arch": "maxpool", "replicate": "_s2"}
    assert default.history_run("arch", second) == Run("maxpool", 5000, 0.0001, 20, "", 2)
    deep = one | {"n": "50000", "epochs": "60"}
    assert default.history_run("deep", deep) == Run("deep", 50000, 0.0001, 60, "", 0)
    assert default.sweep_values("l1") == [0, 0.00001, 0.0001, 0.001, 0.01]
    assert len(default.curve_histories("n")) == 4 * 3
    targets = default.targets
    assert len(targets) == len(set(targets))
    assert {"results/fig_l1_0.01.png", "results/fig_heart.png", "results/claims.md"} <= set(targets)
    assert sum(t.startswith("results/fig_confusion_") for t in targets) == 12


def test_the_targets_are_planned_without_reading_the_data():
    def unread():
        raise AssertionError("the training set was read")

    plan = plan_of(merged(CONFIG, {**TINY, "cifar10": {"path": None}}), train_size=unread)
    assert "results/fig_n_100.png" in plan.targets
    assert len(plan.replicates(plan.configured)) == 7  # the tiny project's trainings


@pytest.mark.parametrize(
    "fields, said",
    [
        (dict(l1="1e-4"), "write the L1 weight as 0.0001, its canonical spelling"),
        (
            dict(arch="wide"),
            "unknown architecture 'wide'; expected one of: baseline, deep, maxpool",
        ),
        (dict(n="60000"), "n = 60000 is larger than the training set (50000 images)"),
        (dict(n="4"), "n = 4 leaves no validation images"),
        (dict(variant="_v0123abcd"), "baseline has no variant '_v0123abcd' in this config"),
        (dict(seed="01"), "seed '01' is not a non-negative integer without leading zeros"),
    ],
)
def test_a_bad_run_target_is_one_line_naming_it(default, fields, said):
    wildcards = {"arch": "baseline", "n": "5000", "l1": "0.0001", "epochs": "20", "variant": ""}
    wildcards |= {"seed": "0", **fields}
    with pytest.raises(TargetError) as error:
        default.trained(wildcards)
    message = str(error.value)
    assert message.startswith(RUN_FOLDER.format(**wildcards) + ": ") and said in message
    assert "\n" not in message


def test_a_bad_config_is_one_line_before_any_plan():
    with pytest.raises(ConfigError, match=r"^config key defaults\.n"):
        plan_of(merged(CONFIG, {"defaults": {"n": -1}}))


def test_a_run_s_files_are_named_by_its_canonical_name():
    run = Run("baseline", 200, 0.0, 24, "", 0)
    assert run.folder == "results/runs/baseline_n200_w0_e24_s0"
    assert run.checkpoint == "results/checkpoints/baseline_n200_w0_e24_s0/state.npz"


def test_the_plan_knows_what_a_rule_makes_for_a_misspelt_target(default):
    """What the misspelt-target line checks a target's slips against."""
    run = default.replicates(default.configured, default.seeds[:1])[0]
    assert default.makes("results/fig_l1_0.3.png")  # any value, configured or not
    assert default.makes(run.file("metrics.json")) and default.makes("results/claims.md")
    assert not default.makes("results/fig_n5000.png") and not default.makes("results/x.png")
    assert not default.makes(run.file("metrics.json").replace("runs/", "run/"))


def test_a_run_s_fields_are_declared_once_and_read_everywhere():
    """convlab.runs.Run declares the fields; the name, the rules' constraints, the columns of
    results/runs.csv, TensorBoard's hyperparameters and the figures' words come from it."""
    import pandas as pd

    from convlab.experiments import COLUMNS, IDENTITY
    from convlab.plots import _fixed_parameters, history_caption
    from convlab.runs import CONFIGURATION, FIELDS, RUN_NAME, described
    from convlab.tensorboard_runs import hyperparameters

    run = Run("baseline", 5000, 0.0001, 20, "_v0123abcd", 2)
    assert list(FIELDS) == list(run.fields) and CONFIGURATION == tuple(FIELDS)[:-1]
    assert RUN_NAME.format(**run.fields) == run.name and set(RUN_FIELDS) == set(FIELDS)
    assert COLUMNS[: len(FIELDS)] == list(FIELDS)
    row = dict.fromkeys(COLUMNS, 1.0) | dict.fromkeys(["run", "configured", *IDENTITY], "x")
    assert set(hyperparameters(row | {"optimizer": "adam"})) == {*FIELDS, "optimizer"}
    table = pd.DataFrame([run.fields, run.but(n=10000, seed=3).fields])
    assert _fixed_parameters(table, "n") == ", ".join(described(run.fields, ["n", "seed"]))
    words = described(run.fields)
    assert len(words) == len(FIELDS) and words[1:3] == ["n = 5000", "L1 = 0.0001"]
    metrics = dict.fromkeys(["fit_seconds", "test_accuracy", "dummy_test_accuracy"], 0.5)
    caption = history_caption({**run.fields, **metrics, "device": "CPU"})
    assert caption.startswith("; ".join(words) + "\n")
