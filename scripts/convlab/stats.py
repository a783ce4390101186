"""Replicates summarised: means with 95 % confidence intervals, effects between two
configurations with their interval and p-value, and verdicts that say "inconclusive"
rather than force one. Every distribution comes from scipy.stats.

- The interval of a mean is Student's t interval: mean ± t(0.975, k - 1) · s / √k.
- An effect between two configurations whose replicates share their seeds is paired by seed:
  a paired t-test (``scipy.stats.ttest_rel``) and the t interval of the mean difference.
  Otherwise: Welch's t-test (``scipy.stats.ttest_ind(equal_var=False)``) and its interval.
- p is two-sided, for "no difference".
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95


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


@dataclass(frozen=True)
class Effect:
    """``a - b``: its estimate, 95 % interval and p-value (None where there is no interval)."""

    estimate: float
    low: float | None
    high: float | None
    p: float | None
    test: str
    count_a: int
    count_b: int

    @property
    def has_interval(self) -> bool:
        return self.low is not None


def effect(a: dict, b: dict) -> Effect:
    """The difference between two configurations, given as {seed: value} each.

    Paired by seed when both have the same seeds (at least two); Welch's test when each side
    has at least two replicates but the seeds differ; no interval otherwise.
    """
    estimate = float(np.mean(list(a.values())) - np.mean(list(b.values())))
    if set(a) == set(b) and len(a) >= 2:
        seeds = sorted(a)
        x, y = [a[s] for s in seeds], [b[s] for s in seeds]
        if np.ptp(np.subtract(x, y)) <= 1e-12:  # equal differences: no spread, a point interval
            return Effect(estimate, estimate, estimate, math.nan, "paired t", len(x), len(y))
        result = stats.ttest_rel(x, y)
        test = "paired t"
    elif len(a) >= 2 and len(b) >= 2:
        result = stats.ttest_ind(list(a.values()), list(b.values()), equal_var=False)
        test = "Welch t"
    else:
        return Effect(estimate, None, None, None, "none (one replicate)", len(a), len(b))
    interval = result.confidence_interval(LEVEL)
    return Effect(
        estimate,
        float(interval.low),
        float(interval.high),
        float(result.pvalue),
        test,
        len(a),
        len(b),
    )


HOLDS, DOES_NOT_HOLD, INCONCLUSIVE = "holds", "does not hold", "inconclusive"


def verdict(effect: Effect, threshold: float, claimed: str) -> str:
    """Whether the effect lies on the claimed side of the threshold.

    ``claimed`` is "above" (the claim says effect >= threshold) or "below" (effect <=
    threshold). With an interval: **holds** when it lies wholly on the claimed side,
    **does not hold** when wholly on the other, **inconclusive** when it straddles the
    threshold. Without one (a single replicate), the estimate alone decides.
    """
    if claimed not in ("above", "below"):
        raise ValueError(f"claimed must be 'above' or 'below', not {claimed!r}")
    sign = 1 if claimed == "above" else -1
    if not effect.has_interval:
        return HOLDS if sign * (effect.estimate - threshold) >= 0 else DOES_NOT_HOLD
    near, far = (effect.low, effect.high) if claimed == "above" else (effect.high, effect.low)
    if sign * (near - threshold) >= 0:
        return HOLDS
    if sign * (far - threshold) < 0:
        return DOES_NOT_HOLD
    return INCONCLUSIVE


def combined(verdicts) -> str:
    """A claim of several parts holds when every part holds, does not hold when any part does
    not, and is inconclusive otherwise."""
    verdicts = list(verdicts)
    if DOES_NOT_HOLD in verdicts:
        return DOES_NOT_HOLD
    if all(v == HOLDS for v in verdicts):
        return HOLDS
    return INCONCLUSIVE
