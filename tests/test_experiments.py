"""The runs' table, its summary per configuration, and the assignment's claims checked on
hand-made tables of replicates whose verdicts are known."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convlab.claims import declare
from convlab.experiments import COLUMNS, by_seed, collect, jobs_at_once, summarise
from convlab.verdicts import claims_markdown, look, verdicts

LIMITS = {
    "dummy_margin": 0.2,
    "gap_narrowing": 0.02,
    "n_gain": 0.05,
    "l1_gap_narrowing": 0.0,
    "l1_accuracy_drop": 0.0,
    "maxpool_tolerance": 0.01,
    "deep_data_gain": 0.05,
    "deep_epochs_gain": 0.0,
}


def run(arch="baseline", n=5000, l1=0.0001, epochs=20):
    return {"arch": arch, "n": n, "l1": l1, "epochs": epochs, "variant": ""}


RUNS = {
    "default": run(),
    "n": [run(n=5000), run(n=40000)],
    "l1": [run(l1=0.0), run(l1=0.0001), run(l1=0.01)],
    "maxpool": run(arch="maxpool"),
    "deep": [
        run("deep", 5000, epochs=20),
        run("deep", 50000, epochs=20),
        run("deep", 50000, epochs=60),
    ],
}
SEEDS = (0, 1, 2)
NOISE = (-0.0004, 0.0001, 0.0003)  # a small spread around each mean, seed by seed


def rows(
    arch="baseline",
    n=5000,
    l1=0.0001,
    epochs=20,
    train=0.55,
    val=0.50,
    test=0.49,
    fit=20.0,
    seeds=SEEDS,
):
    scale = 1 + epochs / 20 + n / 50000 + (l1 > 0.001) + (arch == "maxpool")  # differs by run
    return [
        {
            "arch": arch,
            "n": n,
            "l1": l1,
            "epochs": epochs,
            "variant": "",
            "seed": seed,
            "train_accuracy": train + scale * NOISE[seed],
            "val_accuracy": val + NOISE[seed],
            "train_val_gap": train - val + (scale - 1) * NOISE[seed],
            "test_accuracy": test + scale * NOISE[seed],
            "dummy_test_accuracy": 0.1,
            "fit_seconds": fit + 10 * scale * NOISE[seed],
            "jobs_at_once": 2,
        }
        for seed in seeds
    ]


def assignment_like_table(**changes):
    """Numbers shaped as the assignment reports them (every claim holds), three replicates."""
    specs = {
        "default": {},
        "n40000": dict(n=40000, train=0.68, val=0.67, test=0.66, fit=180),
        "l1_0": dict(l1=0, train=0.60, val=0.50, test=0.50),
        "l1_0.01": dict(l1=0.01, train=0.40, val=0.39, test=0.38),
        "maxpool": dict(arch="maxpool", test=0.49, fit=45),
        "deep": dict(arch="deep", test=0.45, fit=25),
        "deep_n50000": dict(arch="deep", n=50000, test=0.62, fit=250),
        "deep_e60": dict(arch="deep", n=50000, epochs=60, test=0.66, fit=750),
    }
    for name, change in changes.items():
        specs[name] = {**specs[name], **change}
    return pd.DataFrame([row for spec in specs.values() for row in rows(**spec)])


NAMES = ["dummy", "gap_n", "accuracy_n", "l1", "maxpool", "deep"]


def checked(table, limits=LIMITS):
    """The claims and one look at them on ``table``, as the look job makes it."""
    claims = declare(RUNS, limits)
    record = look(claims, lambda run, column: by_seed(table, run, column), 0, [3], {})
    return claims, record


def claim_verdicts(table, limits=LIMITS) -> dict:
    claims, record = checked(table, limits)
    return dict(zip(NAMES, (verdict for verdict, _ in verdicts(claims, record))))


ALL_HOLD = dict.fromkeys(NAMES, "holds")


def test_every_claim_holds_on_assignment_like_numbers():
    assert claim_verdicts(assignment_like_table()) == ALL_HOLD


def test_a_clear_failure_does_not_hold_and_a_close_call_is_inconclusive():
    table = assignment_like_table(maxpool=dict(test=0.53))  # max-pooling wins by 4 points
    table.loc[(table["n"] == 40000) & (table["seed"] == 0), "test_accuracy"] = 0.40
    # n = 40000 gains 17, 17 and -9 points: the interval straddles the 5-point threshold.
    assert claim_verdicts(table) == {
        **ALL_HOLD,
        "accuracy_n": "inconclusive",
        "maxpool": "does not hold",
    }


def test_a_claim_lists_its_comparisons_and_their_units():
    claims = declare(RUNS, LIMITS)
    accuracy, fit = claims[4].comparisons
    assert (accuracy.a, accuracy.b, accuracy.claimed) == (RUNS["maxpool"], RUNS["default"], "below")
    assert fit.unit == "s" and accuracy.unit == "points"
    _, record = checked(assignment_like_table())
    accuracy_result, fit_result = record["results"][5:7]
    assert accuracy_result["effect"]["estimate"] == pytest.approx(0.0)
    assert fit_result["effect"]["estimate"] == pytest.approx(25.0, abs=0.1)
    assert fit_result["note"] == "fit times measured with 2 training job(s) at once"


def test_two_part_claim_has_an_interval_per_part():
    table = assignment_like_table(**{"l1_0.01": dict(test=0.52)})  # gap narrows, accuracy rises
    claims, record = checked(table)
    verdict, parts = verdicts(claims, record)[3]
    assert parts == ["holds", "does not hold"] and verdict == "does not hold"
    assert all(result["effect"]["low"] is not None for result in record["results"][3:5])


def test_seeds_that_differ_are_compared_unpaired():
    table = pd.concat(
        [
            assignment_like_table().query("arch != 'maxpool'"),
            pd.DataFrame(rows(arch="maxpool", test=0.49, fit=45, seeds=(1, 2))),
        ]
    )
    accuracy = checked(table)[1]["results"][5]["effect"]
    assert accuracy["test"] == "Welch t" and (accuracy["count_a"], accuracy["count_b"]) == (2, 3)


def test_thresholds_decide_the_verdict():
    table = assignment_like_table()
    stricter = claim_verdicts(table, limits={**LIMITS, "dummy_margin": 0.5, "n_gain": 0.2})
    assert stricter == {**ALL_HOLD, "dummy": "does not hold", "accuracy_n": "does not hold"}


def test_missing_runs_cannot_be_checked():
    table = assignment_like_table().query("arch != 'deep'")
    assert claim_verdicts(table)["deep"] == "cannot be checked"
    text = claims_markdown(*checked(table))
    assert "a configuration it compares has no run" in text


def test_one_replicate_is_no_verdict():
    table = assignment_like_table().query("seed == 0")
    claims, record = checked(table)
    text = claims_markdown(claims, record)
    parts = sum(len(claim.comparisons) for claim in claims)
    assert text.count("no interval (one replicate)") == parts
    assert claim_verdicts(table) == dict.fromkeys(NAMES, "no verdict (one replicate)")
    assert "**" not in text.split("| # | claim")[1]  # no bold verdict anywhere


def test_markdown_states_effects_intervals_tests_and_thresholds():
    claims, record = checked(assignment_like_table())
    text = claims_markdown(claims, record)
    assert "| 1 | test accuracy, baseline minus its dummy | +39.0 points [" in text
    assert (
        "| 5 | fit time, max-pooling minus striding (fit times measured with 2 training job(s) "
        "at once) | +25.0 s" in text
    )
    assert "> +20.0 points" in text and "< +1.0 points" in text
    assert "Holm's procedure over all 18 one-sided tests" in text
    assert "at most 0.05" in text and "One look" in text
    rows = len(claims) + sum(len(c.comparisons) for c in claims)  # a verdict per claim and part
    assert text.count("| **holds** |") == rows


def test_an_open_effect_says_how_many_replicates_would_decide_it():
    table = assignment_like_table()
    table.loc[(table["n"] == 40000) & (table["seed"] == 0), "test_accuracy"] = 0.40
    claims, record = checked(table)
    row = next(
        line for line in claims_markdown(claims, record).splitlines() if "n = 40000 minus" in line
    )
    assert row.split("|")[-3].strip() == "inconclusive"
    needed = int(row.split("|")[-2])
    assert 3 < needed < 1000


def metrics_file(path, **values):
    metrics = {
        **rows(seeds=(0,))[0],
        "train_accuracy": 0.55,
        "val_accuracy": 0.5,
        "train_loss": 1.0,
        "val_loss": 1.1,
        "test_loss": 1.2,
        "params": 37146,
        "device": "CPU",
        "extra": "ignored",
        **values,
    }
    metrics.pop("train_val_gap"), metrics.pop("jobs_at_once")
    path.write_text(json.dumps(metrics))
    return path


def test_collect_reads_metrics_in_order_and_counts_jobs_at_once(tmp_path):
    paths = [
        metrics_file(tmp_path / "a.json", n=100, test_accuracy=0.4, fit_start=0, fit_end=10),
        metrics_file(tmp_path / "b.json", n=200, test_accuracy=0.6, fit_start=5, fit_end=20),
        metrics_file(tmp_path / "c.json", n=300, test_accuracy=0.5, fit_start=20, fit_end=30),
    ]
    table = collect(paths)
    assert list(table.columns) == COLUMNS
    assert table["n"].tolist() == [100, 200, 300] and table["test_accuracy"].tolist() == [
        0.4,
        0.6,
        0.5,
    ]
    assert table["train_val_gap"].tolist() == pytest.approx([0.05] * 3)
    assert table["jobs_at_once"].tolist() == [2, 2, 1]


def test_jobs_at_once_counts_the_most_at_one_instant():
    # a: 0-10 overlaps b (1-3) and c (5-8), which do not overlap each other: 2 at most.
    assert jobs_at_once([0, 1, 5], [10, 3, 8]) == [2, 2, 2]
    assert jobs_at_once([0, 1, 2], [10, 9, 8]) == [3, 3, 3]


def test_summary_gives_mean_std_and_interval_per_configuration():
    from scipy import stats

    table = assignment_like_table()
    summary = summarise(table)
    assert len(summary) == 8 and (summary["replicates"] == 3).all()
    maxpool = summary[summary["arch"] == "maxpool"].iloc[0]
    values = table[table["arch"] == "maxpool"]["test_accuracy"]
    low, high = stats.t.interval(0.95, 2, loc=values.mean(), scale=stats.sem(values))
    assert maxpool["test_accuracy_mean"] == pytest.approx(values.mean())
    assert maxpool["test_accuracy_std"] == pytest.approx(values.std(ddof=1))
    assert (maxpool["test_accuracy_ci_low"], maxpool["test_accuracy_ci_high"]) == pytest.approx(
        (low, high)
    )
    assert maxpool["seeds"] == "0 1 2"


def jobs_at_once_by_every_instant(starts, ends):
    """The oracle: at every interval's start within each interval, count them all."""
    intervals = list(zip(starts, ends))
    counts = []
    for start, end in intervals:
        instants = [s for s, _ in intervals if start <= s < end] or [start]
        counts.append(max(sum(s <= t < e for s, e in intervals) for t in instants))
    return counts


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 15)), max_size=40))
def test_jobs_at_once_equals_counting_at_every_instant(runs):
    starts = [a for a, _ in runs]
    ends = [a + length for a, length in runs]
    assert jobs_at_once(starts, ends) == jobs_at_once_by_every_instant(starts, ends)


def test_jobs_at_once_of_ten_thousand_runs_is_quick():
    rng = np.random.default_rng(0)
    starts = rng.uniform(0, 1e5, 10_000)
    counts = jobs_at_once(starts, starts + rng.uniform(10, 500, 10_000))
    assert len(counts) == 10_000 and min(counts) >= 1
