"""Replicates summarised and effects tested against a threshold, with the family of
verdicts controlled. Every distribution comes from scipy.stats, the multiple-testing and power
calculations from statsmodels.

- The interval of a mean is Student's t interval: mean ± t(0.975, k - 1) · s / √k.
- An effect between two configurations whose replicates share their seeds is paired by seed
  (the t test of the differences, as ``scipy.stats.ttest_1samp``); otherwise Welch's t test
  (as ``scipy.stats.ttest_ind(equal_var=False)``, which the tests use as the oracle). The
  95 % interval is that of the effect alone.
- Each effect is tested against its threshold τ on both sides, one-sided: "above"
  (H0: effect <= τ) and "below" (H0: effect >= τ). A claim that an effect is above τ holds
  when "above" is rejected and does not hold when "below" is rejected.
- ``decide`` rejects by Holm's step-down procedure over every one-sided test of the table
  (two per effect), at a look's share of FAMILY_ERROR (the shares of a fixed schedule of
  looks sum to one): the chance that any decisive verdict in the table is wrong is at most
  FAMILY_ERROR, whatever the effects, their dependence, or after how many looks (a union
  bound over the looks).
- An effect with no spread (every replicate alike) or one replicate is not tested.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower, TTestPower

LEVEL = 0.95
FAMILY_ERROR = 0.05
POWER = 0.8
MOST_REPLICATES = 1000  # "replicates to decide" beyond this is said as "more than"


@dataclass(frozen=True)
class Interval:
    """A mean over replicates with its standard deviation and 95 % interval (NaN for k < 2)."""

    mean: float
    std: float
    low: float
    high: float
    count: int


def mean_interval(values) -> Interval:
    values = np.asarray(values, dtype=float)
    count = len(values)
    mean = float(values.mean()) if count else math.nan
    if count < 2:
        return Interval(mean, math.nan, math.nan, math.nan, count)
    std = float(values.std(ddof=1))
    if std == 0:  # equal replicates: the interval is the point
        return Interval(mean, 0.0, mean, mean, count)
    low, high = stats.t.interval(LEVEL, count - 1, loc=mean, scale=std / math.sqrt(count))
    return Interval(mean, std, float(low), float(high), count)


PAIRED, WELCH, ONE_REPLICATE, NO_SPREAD = (
    "paired t",
    "Welch t",
    "none (one replicate)",
    "none (no spread)",
)


@dataclass(frozen=True)
class Effect:
    """``a - b`` against a threshold: its estimate, 95 % interval, the one-sided p-values of
    "above the threshold" and "below it" (None where untested), the spread of the
    differences (paired) or each side's standard deviation (Welch)."""

    estimate: float
    threshold: float
    test: str
    count_a: int
    count_b: int
    low: float | None = None
    high: float | None = None
    p_above: float | None = None
    p_below: float | None = None
    spread: tuple = ()

    @property
    def tested(self) -> bool:
        return self.p_above is not None


def _t_test(difference: float, se: float, df: float, threshold: float):
    """Student's t against ``threshold``: the 95 % interval of the difference and the
    one-sided p-values of "above" and "below", from scipy.special's t distribution. The
    same numbers as scipy.stats.ttest_1samp and ttest_ind (tests/test_stats.py), which
    took 12x as long: the simulations of tests/test_verdicts.py and test_stats.py ran in
    94.5 s with them against 7.9 s (2026-12-06)."""
    half = special.stdtrit(df, 0.5 + LEVEL / 2) * se
    statistic = (difference - threshold) / se
    below = float(special.stdtr(df, statistic))
    return difference - half, difference + half, 1.0 - below, below


def effect(a: dict, b: dict, threshold: float) -> Effect:
    """The difference between two configurations, given as {seed: value} each, tested
    against ``threshold``.

    Paired by seed when both have the same seeds (at least two); Welch's test when each side
    has at least two replicates but the seeds differ; untested otherwise, or when the
    replicates have no spread (a point is not evidence of an effect).
    """
    estimate = float(np.mean(list(a.values())) - np.mean(list(b.values())))
    plain = dict(estimate=estimate, threshold=threshold, count_a=len(a), count_b=len(b))
    if set(a) == set(b) and len(a) >= 2:
        seeds = sorted(a)
        differences = np.array([a[s] for s in seeds], float) - [b[s] for s in seeds]
        if np.ptp(differences) <= 1e-12:
            return Effect(**plain, test=NO_SPREAD, low=estimate, high=estimate)
        test, spread = PAIRED, (float(differences.std(ddof=1)),)
        k = len(differences)
        tested = _t_test(estimate, spread[0] / math.sqrt(k), k - 1, threshold)
    elif len(a) >= 2 and len(b) >= 2:
        x, y = np.array(list(a.values()), float), np.array(list(b.values()), float)
        if np.ptp(x) <= 1e-12 and np.ptp(y) <= 1e-12:
            return Effect(**plain, test=NO_SPREAD, low=estimate, high=estimate)
        test, spread = WELCH, (float(x.std(ddof=1)), float(y.std(ddof=1)))
        vx, vy = spread[0] ** 2 / len(x), spread[1] ** 2 / len(y)
        df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
        tested = _t_test(estimate, math.sqrt(vx + vy), df, threshold)
    else:
        return Effect(**plain, test=ONE_REPLICATE)
    low, high, p_above, p_below = map(float, tested)
    return Effect(
        **plain, test=test, low=low, high=high, p_above=p_above, p_below=p_below, spread=spread
    )


HOLDS, DOES_NOT_HOLD, INCONCLUSIVE = "holds", "does not hold", "inconclusive"
NO_VERDICT = "no verdict (one replicate)"
DECISIVE = (HOLDS, DOES_NOT_HOLD)


def sides(claimed: str) -> tuple[str, str]:
    """The p-value fields that decide "holds" and "does not hold" for a claimed side."""
    if claimed not in ("above", "below"):
        raise ValueError(f"claimed must be 'above' or 'below', not {claimed!r}")
    return ("p_above", "p_below") if claimed == "above" else ("p_below", "p_above")


@dataclass(frozen=True)
class Decision:
    verdict: str
    adjusted: float | None  # Holm-adjusted p of the side the data favour, over the share


def decide(effects, share: float = 1.0, error: float = FAMILY_ERROR) -> list[Decision]:
    """Verdicts of a family of (Effect, claimed side), by Holm's procedure over every
    one-sided test of a tested effect at ``share`` of ``error`` (a look's share of the
    table's error rate). A claim holds when its claimed side is rejected, does not hold when
    the other is, and is inconclusive otherwise. The adjusted p is Holm's divided by the
    share: decisive where it is at most ``error``."""
    effects = list(effects)
    tests = []  # (index in effects, holds or not) of each one-sided p-value
    for index, (measured, claimed) in enumerate(effects):
        if measured.tested:
            for field, outcome in zip(sides(claimed), DECISIVE):
                tests.append((index, outcome, getattr(measured, field)))
    rejected, adjusted = set(), {}
    if tests:
        reject, corrected, _, _ = multipletests(
            [p for _, _, p in tests], alpha=error * share, method="holm"
        )
        for (index, outcome, _), hit, value in zip(tests, reject, corrected):
            if hit:
                rejected.add((index, outcome))
            adjusted[index] = min(adjusted.get(index, 1.0), min(1.0, float(value) / share))
    decisions = []
    for index, (measured, _) in enumerate(effects):
        if measured.test == ONE_REPLICATE:
            decisions.append(Decision(NO_VERDICT, None))
            continue
        outcome = [o for o in DECISIVE if (index, o) in rejected]
        decisions.append(Decision(outcome[0] if outcome else INCONCLUSIVE, adjusted.get(index)))
    return decisions


def family_size(effects) -> int:
    """The number of one-sided tests in a family of effects (two per tested effect)."""
    return 2 * sum(1 for measured in effects if measured.tested)


def replicates_to_decide(measured: Effect, alpha: float, power: float = POWER):
    """The replicates per configuration that would decide this effect with ``power`` at a
    one-sided level ``alpha``, were its true effect and spread those observed (statsmodels'
    t-test power); None when it cannot be said (untested, or an effect at its threshold)."""
    if not measured.tested:
        return None
    distance = abs(measured.estimate - measured.threshold)
    if len(measured.spread) == 1:
        size, solver, extra = distance / measured.spread[0], TTestPower(), {}
    else:
        pooled = math.sqrt(sum(s * s for s in measured.spread) / 2)
        size, solver, extra = distance / pooled, TTestIndPower(), {"ratio": 1.0}
    if size == 0:
        return None
    try:
        needed = solver.solve_power(
            effect_size=size, alpha=alpha, power=power, alternative="larger", **extra
        )
    except (ValueError, RuntimeError):
        return MOST_REPLICATES + 1
    needed = float(np.ravel(needed)[0])
    if not math.isfinite(needed) or needed > MOST_REPLICATES:
        return MOST_REPLICATES + 1
    return max(2, math.ceil(needed))
