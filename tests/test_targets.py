"""Target names: canonical run names, the runs behind the history figures' names (as
Snakemake matches them, by each kind's wildcard constraints) and the misspelt-target line."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convlab.plan import HISTORY, Plan, history_path
from convlab.runs import Run, canonical_number
from convlab.studies import Point, Shapes
from convlab.targets import (
    TargetError,
    edits,
    l1_weight,
    pattern_regex,
    unknown_target,
)

DEFAULTS = {"arch": "baseline", "n": 5000, "l1": 0.0001, "epochs": 20}
ARCHITECTURES = ["baseline", "maxpool", "deep", "wide"]
LR = Point("learning_rate", 0.01, "0.01", "baseline", {})
DROPOUT = Point("dropout", 0.25, "0.25", "maxpool", {})


def shapes(architectures=ARCHITECTURES):
    """Shapes of a config with these architectures (each the assignment's, but wide) and
    two sweeps over a setting."""
    base = {arch: "_v0000aaaa" if arch == "wide" else "" for arch in architectures}
    points = {"learning_rate": [(LR, "_v0001beef")], "dropout": [(DROPOUT, "_v0002cafe")]}
    runs = [*base.items(), *((p.arch, v) for values in points.values() for p, v in values)]
    return Shapes({run: SHAPE for run in runs}, base, points)


SHAPE = {"layers": [], "settings": {"validation_split": 0.1}}
SHAPES = shapes()


def plan(shapes=SHAPES, defaults=DEFAULTS, seed=7) -> Plan:
    sweeps = {"n": [5000], "l1": [0.0001], "deep": [{"n": 5000, "epochs": 20}]}
    config = {
        "defaults": defaults,
        "architectures": dict.fromkeys(shapes.base),
        "sweeps": sweeps,
        "training": {"seed": seed},
        "replicates": 1,
    }
    return Plan(config, shapes, lambda: 50_000)


def figure_run(plan: Plan, name: str) -> Run | None:
    """The run that results/fig_<name>.png draws, matched as Snakemake matches the history
    figures' rules (None: no rule's name); never more than one rule's name."""
    path = f"results/fig_{name}.png"
    kinds = [
        (kind, match.groupdict())
        for kind in HISTORY
        if (
            match := re.fullmatch(
                pattern_regex(history_path(kind), plan.history_constraints(kind)), path
            )
        )
    ]
    assert len(kinds) <= 1, kinds
    return plan.history_run(*kinds[0]) if kinds else None


@pytest.mark.parametrize(
    "spellings, canonical",
    [
        (["0.00001", "1e-05", "1e-5", "1.0e-5", "0.000010"], "0.00001"),
        (["0", "0.0", "0e0"], "0"),
        (["0.0001", "1e-4"], "0.0001"),
        (["0.05", "5e-2"], "0.05"),
    ],
)
def test_spellings_of_one_weight_are_one_run(spellings, canonical):
    assert {l1_weight(s, "t") for s in spellings} == {float(canonical)}
    assert {canonical_number(l1_weight(s, "t")) for s in spellings} == {canonical}


@given(st.floats(min_value=0, max_value=1e3, allow_nan=False))
def test_canonical_number_round_trips(value):
    assert float(canonical_number(value)) == value


@pytest.mark.parametrize("text", ["abc", "-0.1", "nan", "inf", ""])
def test_bad_weights(text):
    with pytest.raises(TargetError, match="is not a non-negative number"):
        l1_weight(text, "results/fig_l1_x.png")


def test_run_name():
    assert Run("baseline", 5000, 1e-5, 20, "", 2).name == "baseline_n5000_w0.00001_e20_s2"
    named = Run("baseline", 5000, 0, 20, "_v0001beef", 2).name
    assert named == "baseline_n5000_w0_e20_v0001beef_s2"


def test_a_variant_names_a_shape_unless_it_is_the_reference():
    from convlab.runs import variant

    shape = {"layers": [{"Dropout": {"rate": 0.5}}], "settings": {"batch_size": 128}}
    other = {**shape, "settings": {"batch_size": 64}}
    assert variant(shape, shape) == ""
    assert re.fullmatch("_v[0-9a-f]{8}", variant(other, shape))
    assert variant(other, shape) == variant(other, None) != variant(shape, None)


def test_replicate_seeds_start_at_the_training_seed():
    from convlab.targets import replicate_seeds

    assert replicate_seeds({"training": {"seed": 4}}, 3) == [4, 5, 6]


@pytest.mark.parametrize(
    "name, run",
    [
        ("n_10000", {"n": 10000}),
        ("l1_1e-05", {"l1": 0.00001}),
        ("l1_0.0001", {}),
        ("maxpool", {"arch": "maxpool"}),
        ("deep_n50000_e60", {"arch": "deep", "n": 50000, "epochs": 60}),
        ("wide", {"arch": "wide", "variant": "_v0000aaaa"}),
        ("deep", {"arch": "deep"}),
        (
            "wide_n300_w1e-3_e4_v0000aaaa",
            {"arch": "wide", "n": 300, "l1": 0.001, "epochs": 4, "variant": "_v0000aaaa"},
        ),
        ("learning_rate_0.01", {"variant": "_v0001beef"}),
        ("dropout_0.25", {"arch": "maxpool", "variant": "_v0002cafe"}),
        (
            "baseline_n100_w0_e1_v0001beef",
            {"n": 100, "l1": 0.0, "epochs": 1, "variant": "_v0001beef"},
        ),
    ],
)
def test_history_figure_runs(name, run):
    expected = Run(**{**DEFAULTS, "l1": 0.0001, "variant": "", "seed": 7, **run})
    assert figure_run(plan(), name) == expected


@pytest.mark.parametrize(
    "name, run",
    [("maxpool_s2", {"arch": "maxpool", "seed": 2}), ("n_10000_s0", {"n": 10000, "seed": 0})],
)
def test_history_figure_of_any_replicate(name, run):
    assert figure_run(plan(), name) == Run(**{**DEFAULTS, "variant": "", "seed": 7, **run})


def test_n_5000_and_default_l1_are_the_same_run():
    assert figure_run(plan(), "n_5000") == figure_run(plan(), "l1_0.0001")


@pytest.mark.parametrize(
    "name, message",
    [
        ("n_0", "n '0' is not a positive integer"),
        ("l1_1.2.3", "L1 weight '1.2.3' is not a non-negative number"),
        ("deep_n100_e0", "epochs '0' is not a positive integer"),
        ("maxpool_s01", "seed '01' is not a non-negative integer without leading zeros"),
        (
            "learning_rate_0.1",
            "'0.1' is not a value of sweep 'learning_rate'; expected one of: 0.01",
        ),
        ("maxpool_n100_w0_e1_v0001beef", "maxpool has no variant '_v0001beef' in this config"),
    ],
)
def test_bad_figure_names(name, message):
    with pytest.raises(TargetError, match=message) as error:
        figure_run(plan(), name)
    assert str(error.value).startswith(f"results/fig_{name}.png: ")


@pytest.mark.parametrize("name", ["n_-5", "l1_abc", "deep_foo", "maxpool_sx", "resnet"])
def test_names_no_rule_matches(name):
    assert figure_run(plan(), name) is None


def test_configured_runs_are_unique_and_ordered():
    three = shapes(["baseline", "maxpool", "deep"])
    config = plan(three).config | {
        "sweeps": {"n": [5000, 10000], "l1": [0, 0.0001], "deep": [{"n": 5000, "epochs": 20}]}
    }
    names = [Run.of(run, 0).name for run in Plan(config, three, lambda: 50_000).configured]
    assert names == [
        "baseline_n5000_w0.0001_e20_s0",
        "baseline_n10000_w0.0001_e20_s0",
        "baseline_n5000_w0_e20_s0",
        "maxpool_n5000_w0.0001_e20_s0",
        "deep_n5000_w0.0001_e20_s0",
        "baseline_n5000_w0.0001_e20_v0001beef_s0",
        "maxpool_n5000_w0.0001_e20_v0002cafe_s0",
    ]


@pytest.mark.parametrize(
    "arch, n, l1, epochs, seed",
    [
        ("baseline", 5000, 0.0001, 20, 0),
        ("wide", 100, 0, 1, 12),
        ("a-b2", 17, 1e-5, 3, 1),
    ],
)
@pytest.mark.parametrize("variant", ["", "_v0123abcd"])
def test_every_run_has_a_figure_named_as_its_folder(arch, n, l1, epochs, seed, variant):
    name = Run(arch, n, l1, epochs, variant, seed).name
    one = Shapes({(arch, variant): SHAPE}, {arch: variant}, {})
    defaults = {**DEFAULTS, "arch": arch}
    assert figure_run(plan(one, defaults, 99), name) == Run(arch, n, l1, epochs, variant, seed)


@pytest.mark.parametrize(
    "name",
    [
        "heart",
        "architectures",
        "sweep_n",
        "sweep_l1",
        "sweep_learning_rate",
        "curves_dropout",
        "conv_kernel1",
        "confusion_baseline_n100_w0_e1_s0",
    ],
)
def test_other_figures_are_not_history_figures(name):
    assert figure_run(plan(), name) is None


# What a few of this workflow's rules make, as a regular expression: the oracle of "a rule
# makes it" for the suggestions below (the end-to-end test asks Snakemake's rules).
MADE = re.compile(
    r"results/(fig_n_\d+|fig_l1_[\d.]+|fig_sweep_(n|l1)|fig_heart|fig_(baseline|maxpool|deep)"
    r"|fig_deep_n\d+_e\d+)\.png|results/summary_(baseline|maxpool|deep)\.txt"
)
KNOWN = [
    "results/fig_n_5000.png",
    "results/fig_l1_0.01.png",
    "results/fig_heart.png",
    "results/fig_maxpool.png",
    "results/fig_deep_n5000_e20.png",
    "results/fig_confusion_maxpool_n5000_w0.0001_e20_s0.png",
    "results/summary_maxpool.txt",
]


@pytest.mark.parametrize(
    "target, line",
    [
        (
            "results/fig_l1_0.01.pgn",
            "no target results/fig_l1_0.01.pgn; did you mean results/fig_l1_0.01.png?",
        ),
        ("results/fig_l1_0.3.png.", "did you mean results/fig_l1_0.3.png?"),
        ("fig_n_300.png", "did you mean results/fig_n_300.png"),
        ("results/fig_n300.png", "did you mean results/fig_n_300.png?"),
        ("results/fig_sweep_n.pdf", "did you mean results/fig_sweep_n.png?"),
        ("results/fig_mxapool.png", "did you mean results/fig_maxpool.png?"),
        ("results/fig_deep_n100.png", "did you mean results/fig_deep_n5000_e20.png"),
        (
            "results/fig_confusion_maxpool.png",
            "did you mean results/fig_confusion_maxpool_n5000_w0.0001_e20_s0.png",
        ),
        ("results/fig_hart.png", "did you mean results/fig_heart.png?"),
        (
            "results/fig_resnet.png",
            "results/fig_resnet.png: unknown architecture 'resnet'; expected one of: baseline, "
            "deep, maxpool",
        ),
        ("results/fig_maxpol_s2.png", "unknown architecture 'maxpol'"),
        ("results/zzzzzzzzzzzz.txt", "no target results/zzzzzzzzzzzz.txt: no rule makes it"),
    ],
)
def test_a_target_no_rule_makes_gets_what_was_meant(target, line):
    said = unknown_target(target, KNOWN, ["baseline", "maxpool", "deep"], MADE.fullmatch)
    assert line in said


@given(st.from_regex(r"results/fig_[a-z0-9_.]{1,20}\.png", fullmatch=True))
def test_every_suggested_slip_is_one_edit_away(target):
    for edited in edits(target):
        assert edited != target
        assert edited.startswith("results/fig_") or edited.startswith("results/")
