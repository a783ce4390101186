"""Intervals, effects and verdicts on numbers worked out by hand here, and the t tests against
scipy.stats' own as the oracle."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests

from convlab.stats import (
    DOES_NOT_HOLD,
    HOLDS,
    INCONCLUSIVE,
    NO_SPREAD,
    NO_VERDICT,
    decide,
    effect,
    mean_interval,
    replicates_to_decide,
)


def test_mean_interval_by_hand():
    # 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.302653, half width 4.302653 / sqrt(3) = 2.484138.
    interval = mean_interval([1, 2, 3])
    assert (interval.mean, interval.std, interval.count) == (2, 1, 3)
    assert interval.low == pytest.approx(2 - 2.484138, abs=1e-6)
    assert interval.high == pytest.approx(2 + 2.484138, abs=1e-6)


def test_one_replicate_has_no_interval_and_equal_ones_a_point():
    single = mean_interval([0.4])
    assert single.mean == 0.4 and math.isnan(single.std) and math.isnan(single.low)
    same = mean_interval([0.3, 0.3])
    assert (same.low, same.high, same.std) == (0.3, 0.3, 0)


def test_paired_effect_by_hand():
    # Differences 0.02, 0.03, 0.04: mean 0.03, s = 0.01, se = 0.01 / sqrt(3) = 0.0057735;
    # t(0.975, 2) = 4.302653 gives a half width of 0.0248414. Against 0: t = 5.196152 on 2
    # degrees of freedom, whose CDF is 1/2 + t / (2 sqrt(2 + t^2)) = 0.9824506, so p of
    # "above 0" is 0.0175494; against 0.03 (the estimate) t = 0 and both sides are 1/2.
    a = {0: 0.50, 1: 0.52, 2: 0.54}
    b = {0: 0.48, 1: 0.49, 2: 0.50}
    result = effect(a, b, 0.0)
    assert result.test == "paired t"
    assert result.estimate == pytest.approx(0.03)
    assert result.low == pytest.approx(0.03 - 0.0248414, abs=1e-6)
    assert result.high == pytest.approx(0.03 + 0.0248414, abs=1e-6)
    assert result.p_above == pytest.approx(0.0175494, abs=1e-6)
    assert result.p_below == pytest.approx(1 - 0.0175494, abs=1e-6)
    at_estimate = effect(a, b, 0.03)
    assert (at_estimate.p_above, at_estimate.p_below) == pytest.approx((0.5, 0.5))


def test_unpaired_effect_by_hand():
    # Other seeds on each side: Welch. 1, 2, 3 against 4, 5, 6: both variances 1, so
    # se = sqrt(1/3 + 1/3) = 0.8164966 and df = (2/3)^2 / (2 (1/3)^2 / 2) = 4;
    # t(0.975, 4) = 2.776445 gives a half width of 2.2669579 around -3.
    # t = -3 / 0.8164966 = -3.674235 on 4 degrees of freedom: one-sided p 0.0106558.
    result = effect({0: 1, 1: 2, 2: 3}, {3: 4, 4: 5, 5: 6}, 0.0)
    assert result.test == "Welch t"
    assert result.estimate == -3
    assert result.low == pytest.approx(-3 - 2.2669579, abs=1e-6)
    assert result.high == pytest.approx(-3 + 2.2669579, abs=1e-6)
    assert result.p_below == pytest.approx(0.0106558, abs=1e-6)


replicate = st.floats(0.0, 1.0, allow_nan=False, width=32)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(replicate, replicate), min_size=2, max_size=10),
    st.floats(-0.5, 0.5, allow_nan=False),
)
def test_paired_test_is_scipys(pairs, threshold):
    a = {seed: x for seed, (x, _) in enumerate(pairs)}
    b = {seed: y for seed, (_, y) in enumerate(pairs)}
    result = effect(a, b, threshold)
    differences = np.subtract(*zip(*pairs))
    if np.ptp(differences) <= 1e-12:
        assert result.test == NO_SPREAD and result.p_above is None
        return
    oracle = stats.ttest_1samp(differences, threshold, alternative="greater")
    interval = stats.ttest_1samp(differences, 0).confidence_interval(0.95)
    assert result.p_above == pytest.approx(oracle.pvalue, abs=1e-9)
    assert result.p_above + result.p_below == pytest.approx(1.0)
    assert (result.low, result.high) == pytest.approx((interval.low, interval.high), abs=1e-9)


@pytest.mark.filterwarnings("ignore:Precision loss")  # scipy's, on nearly equal values
@settings(max_examples=60, deadline=None)
@given(
    st.lists(replicate, min_size=2, max_size=10),
    st.lists(replicate, min_size=2, max_size=10),
    st.floats(-0.5, 0.5, allow_nan=False),
)
def test_welch_test_is_scipys(left, right, threshold):
    a = dict(enumerate(left))
    b = {100 + seed: value for seed, value in enumerate(right)}
    result = effect(a, b, threshold)
    if np.ptp(left) <= 1e-12 and np.ptp(right) <= 1e-12:
        assert result.test == NO_SPREAD
        return
    shifted = np.subtract(left, threshold)
    oracle = stats.ttest_ind(shifted, right, equal_var=False, alternative="less")
    assert result.p_below == pytest.approx(oracle.pvalue, abs=1e-9)


def test_one_replicate_is_no_verdict():
    result = effect({0: 0.5}, {0: 0.4}, 0.0)
    assert result.estimate == pytest.approx(0.1) and not result.tested and result.low is None
    assert decide([(result, "above")])[0].verdict == NO_VERDICT


def test_no_spread_is_not_evidence():
    # Every seed alike (a collapsed net): +0 at a threshold of 0 holds nothing.
    same = effect({0: 0.1, 1: 0.1}, {0: 0.1, 1: 0.1}, 0.0)
    assert same.test == NO_SPREAD and (same.low, same.high) == (0.0, 0.0)
    assert decide([(same, "above")])[0].verdict == INCONCLUSIVE


def paired(mean, threshold, spread=0.01, k=5):
    offsets = np.linspace(-1, 1, k) * spread
    return effect(
        {s: 0.5 + mean + o for s, o in enumerate(offsets)}, dict.fromkeys(range(k), 0.5), threshold
    )


def test_the_verdict_is_the_test_on_the_claimed_side():
    clear_gain, clear_loss, close = paired(0.05, 0.0), paired(-0.05, 0.0), paired(0.004, 0.0)
    family = [(clear_gain, "above"), (clear_loss, "above"), (close, "above")]
    assert [d.verdict for d in decide(family)] == [HOLDS, DOES_NOT_HOLD, INCONCLUSIVE]
    # "below": max-pooling is no more than a point better.
    assert decide([(clear_loss, "below")])[0].verdict == HOLDS


def test_holm_over_both_sides_of_every_effect():
    family = [(paired(m, 0.0, spread=0.002, k=3), "above") for m in (0.03, 0.01, 0.008, 0.0)]
    ps = [p for m, _ in family for p in (m.p_above, m.p_below)]
    reject = multipletests(ps, alpha=0.05, method="holm")[0]
    expected = [
        HOLDS if reject[2 * i] else DOES_NOT_HOLD if reject[2 * i + 1] else INCONCLUSIVE
        for i in range(len(family))
    ]
    decisions = decide(family)
    assert [d.verdict for d in decisions] == expected
    # Alone, the 0.8-point effect is decided; in a family of four it is not.
    assert decide(family[2:3])[0].verdict == HOLDS and decisions[2].verdict == INCONCLUSIVE
    # A look with a third of the error rate: the adjusted p three times Holm's.
    third = decide(family, share=1 / 3)
    assert third[0].adjusted == pytest.approx(min(1, 3 * decisions[0].adjusted))


def test_unknown_side_is_refused():
    with pytest.raises(ValueError, match="'above' or 'below'"):
        decide([(paired(0.1, 0.0), "sideways")])


def test_replicates_to_decide_by_power():
    # A paired effect one spread of the differences past its threshold, one-sided at 5 %:
    # 80 % power needs 8 pairs (statsmodels; scipy's noncentral t checks it here).
    close = paired(0.01, 0.0, spread=0.01 / np.std(np.linspace(-1, 1, 5), ddof=1))
    assert close.spread[0] == pytest.approx(0.01)
    k = replicates_to_decide(close, 0.05)
    assert k == 8
    power = lambda k: stats.nct.sf(stats.t.ppf(0.95, k - 1), k - 1, np.sqrt(k))  # noqa: E731
    assert power(k) >= 0.8 > power(k - 1)
    # A stricter level needs more; an effect at its threshold, none.
    assert replicates_to_decide(close, 0.001) > k
    assert replicates_to_decide(paired(0.0, 0.0), 0.05) is None
