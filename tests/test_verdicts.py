"""The decision procedure of results/claims.md checked by simulation, with no training: effects
drawn from normal distributions at and beyond each threshold of the assignment's claims, run
through the very code that writes claims.md (convlab.verdicts.look, as the look jobs call it)."""

import gc
import math

import numpy as np
import pytest
from test_experiments import LIMITS, run

from convlab.claims import Comparison, comparisons, declare, first_counts
from convlab.runs import configuration_name
from convlab.stats import DECISIVE, DOES_NOT_HOLD, FAMILY_ERROR, HOLDS
from convlab.verdicts import look

# The default config's claims: nine effects over eleven configurations.
RUNS = {
    "default": run(),
    "n": [run(n=5000), run(n=10000), run(n=40000)],
    "l1": [run(l1=0.0), run(l1=0.0001), run(l1=0.01)],
    "maxpool": run(arch="maxpool"),
    "deep": [run("deep", 5000), run("deep", 50000), run("deep", 50000, epochs=60)],
}
CLAIMS = declare(RUNS, LIMITS)
SPREAD = 0.01  # sd of one replicate's value; the paired differences have SPREAD * sqrt(2)


def run_looks(claims, values_at, counts: list[int]) -> dict:
    """Every look in turn, as the workflow's look jobs make them: ``values_at(at)`` gives
    the ``values`` function for the replicates ``at``."""
    at, record = first_counts(claims, counts), None
    for index in range(len(counts)):
        record = look(claims, values_at(at), index, counts, at, record)
        if not record["next"]:
            return record
        at = record["next"]
    return record


def node(comparison: Comparison, side: str):
    run = comparison.a if side == "a" else comparison.b
    column = comparison.column if side == "a" else comparison.other_column or comparison.column
    return configuration_name(run), column


def true_means(offsets) -> dict:
    """Means of each (configuration, column) such that every comparison's true effect is
    its offset: the comparisons join these into trees, walked from an arbitrary root."""
    means, pending = {}, list(zip(comparisons(CLAIMS), offsets))
    while pending:
        left = []
        for comparison, offset in pending:
            a, b = node(comparison, "a"), node(comparison, "b")
            if a in means and b not in means:
                means[b] = means[a] - offset
            elif b in means and a not in means:
                means[a] = means[b] + offset
            elif a not in means and b not in means:
                left.append((comparison, offset))
        if len(left) == len(pending):
            means[node(left[0][0], "a")] = 0.5
        pending = left
    for comparison, offset in zip(comparisons(CLAIMS), offsets):
        assert means[node(comparison, "a")] - means[node(comparison, "b")] == pytest.approx(offset)
    return means


@pytest.fixture(autouse=True)
def no_garbage_collection_per_holm(monkeypatch):
    """statsmodels' multipletests(method="holm") calls gc.collect() each time (tens of ms
    with a large heap): harmless once per look job, the whole cost of thousands of looks."""
    monkeypatch.setattr(gc, "collect", lambda *args: 0)


def simulate(trials: int, offsets, counts, seed: int):
    """Per trial: the last look's verdicts and the replicates it trained."""
    means = true_means(offsets)
    rng = np.random.default_rng(seed)
    outcomes = []
    for _ in range(trials):
        noise = {key: rng.normal(0, SPREAD, counts[-1]) for key in means}

        def values_at(at, noise=noise):
            def values(run, column):
                key = (configuration_name(run), column)
                if key not in means:  # jobs_at_once: not simulated
                    return {}
                k = at[key[0]]
                return dict(enumerate(means[key] + noise[key][:k]))

            return values

        record = run_looks(CLAIMS, values_at, counts)
        outcomes.append(([r["verdict"] for r in record["results"]], record["at"]))
    return outcomes


def at_thresholds():
    return [c.threshold for c in comparisons(CLAIMS)]


def beyond(spreads: float):
    """Each effect ``spreads`` sds of its paired differences past its threshold, claimed side."""
    step = spreads * SPREAD * math.sqrt(2)
    return [c.threshold + (step if c.claimed == "above" else -step) for c in comparisons(CLAIMS)]


def margin(rate: float, trials: int) -> float:
    """Three Monte-Carlo standard errors of a rate near ``rate``."""
    return 3 * math.sqrt(rate * (1 - rate) / trials)


@pytest.mark.parametrize("counts", [[3], [10], [3, 6, 10]], ids=["3", "10", "adaptive 3-10"])
def test_family_error_at_most_five_percent_with_every_effect_at_its_threshold(counts):
    trials = 1500
    outcomes = simulate(trials, at_thresholds(), counts, seed=1)
    # At its threshold every decisive verdict is wrong.
    wrong = sum(any(v in DECISIVE for v in verdicts) for verdicts, _ in outcomes) / trials
    print(
        f"\nlooks at {counts}: family-wise rate of wrong decisive verdicts {wrong:.4f} "
        f"(Monte-Carlo se {math.sqrt(FAMILY_ERROR * (1 - FAMILY_ERROR) / trials):.4f}, "
        f"{trials} trials, {len(at_thresholds())} effects)"
    )
    assert wrong <= FAMILY_ERROR + margin(FAMILY_ERROR, trials)


def test_adaptive_mode_decides_effects_two_spreads_past_their_threshold():
    trials, counts = 400, [3, 6, 10]
    outcomes = simulate(trials, beyond(2), counts, seed=2)
    effects = len(at_thresholds())
    right = sum(v == HOLDS for verdicts, _ in outcomes for v in verdicts) / (trials * effects)
    wrong = sum(v == DOES_NOT_HOLD for verdicts, _ in outcomes for v in verdicts)
    every = sum(all(v == HOLDS for v in verdicts) for verdicts, _ in outcomes) / trials
    trained = np.mean([sum(at.values()) for _, at in outcomes]) / (counts[-1] * len(outcomes[0][1]))
    print(
        f"\neffects 2 spreads past their thresholds, looks at {counts}: {right:.3f} of effects "
        f"decided (right), every effect in {every:.3f} of trials, "
        f"{trained:.2f} of the replicates of training every configuration {counts[-1]} times"
    )
    assert wrong == 0
    assert right >= 0.8 - margin(0.8, trials * effects)
    assert every >= 0.8 - margin(0.8, trials)


def test_schedule_of_looks_and_the_share_of_the_error_each_spends():
    from convlab.claims import look_share, schedule

    assert [look_share([3, 6, 10], i) for i in range(3)] == [3 / 19, 6 / 19, 10 / 19]
    assert look_share([3], 0) == 1
    assert schedule(3) == [3]
    assert schedule({"start": 3, "max": 10}) == [3, 6, 10]
    assert schedule({"start": 2, "max": 3, "looks": 5}) == [2, 3]


def test_seeds_go_only_to_configurations_of_open_effects_and_verdicts_are_kept():
    # The dummy margin far below: claim 1 holds at once; the others stay open.
    claims = declare(RUNS, {**LIMITS, "dummy_margin": -100})
    counts = [3, 6, 10]
    means = true_means(at_thresholds())
    rng = np.random.default_rng(0)
    noise = {key: rng.normal(0, SPREAD, 10) for key in means}
    means[node(comparisons(claims)[0], "b")] = means[node(comparisons(claims)[0], "a")] - 5

    def values_at(at):
        def values(run, column):
            key = (configuration_name(run), column)
            return dict(enumerate(means[key] + noise[key][: at[key[0]]])) if key in means else {}

        return values

    at = first_counts(claims, counts)
    first = look(claims, values_at(at), 0, counts, at)
    assert first["results"][0]["verdict"] == HOLDS
    opened = {
        configuration_name(run)
        for c, r in zip(comparisons(claims), first["results"])
        if r["verdict"] == "inconclusive"
        for run in c.configurations
    }
    assert {name for name, k in first["next"].items() if k == 6} == opened
    assert all(k == 3 for name, k in first["next"].items() if name not in opened)
    # The dummy is far below: were it decided again, it would be the same; kept as it was.
    second = look(claims, values_at(first["next"]), 1, counts, first["next"], first)
    assert second["results"][0] == first["results"][0]
