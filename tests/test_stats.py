"""Intervals, effects and verdicts on numbers whose answers are worked out by hand here."""

import math

import pytest

from convlab.stats import (
    DOES_NOT_HOLD,
    HOLDS,
    INCONCLUSIVE,
    Effect,
    combined,
    effect,
    mean_interval,
    verdict,
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
    # t(0.975, 2) = 4.302653 gives a half width of 0.0248414. t = 5.196152 on 2 degrees of
    # freedom, whose CDF is 1/2 + t / (2 sqrt(2 + t^2)) = 0.9824506: p = 0.0350989.
    a = {0: 0.50, 1: 0.52, 2: 0.54}
    b = {0: 0.48, 1: 0.49, 2: 0.50}
    result = effect(a, b)
    assert result.test == "paired t"
    assert result.estimate == pytest.approx(0.03)
    assert result.low == pytest.approx(0.03 - 0.0248414, abs=1e-6)
    assert result.high == pytest.approx(0.03 + 0.0248414, abs=1e-6)
    assert result.p == pytest.approx(0.0350989, abs=1e-6)


def test_unpaired_effect_by_hand():
    # Other seeds on each side: Welch. 1, 2, 3 against 4, 5, 6: both variances 1, so
    # se = sqrt(1/3 + 1/3) = 0.8164966 and df = (2/3)^2 / (2 (1/3)^2 / 2) = 4;
    # t(0.975, 4) = 2.776445 gives a half width of 2.2669579 around -3.
    # t = -3 / 0.8164966 = -3.674235 on 4 degrees of freedom: p = 0.0213116.
    result = effect({0: 1, 1: 2, 2: 3}, {3: 4, 4: 5, 5: 6})
    assert result.test == "Welch t"
    assert result.estimate == -3
    assert result.low == pytest.approx(-3 - 2.2669579, abs=1e-6)
    assert result.high == pytest.approx(-3 + 2.2669579, abs=1e-6)
    assert result.p == pytest.approx(0.0213116, abs=1e-6)


def test_one_replicate_effect_has_no_interval():
    result = effect({0: 0.5}, {0: 0.4})
    assert result.estimate == pytest.approx(0.1) and not result.has_interval and result.p is None


def interval(low, high):
    return Effect((low + high) / 2, low, high, 0.01, "paired t", 3, 3)


@pytest.mark.parametrize(
    "threshold, claimed, expected",
    [
        (0.1, "above", HOLDS),  # the lower end on the threshold: wholly at or above it
        (0.09, "above", HOLDS),
        (0.2, "above", INCONCLUSIVE),  # straddles
        (0.3, "above", INCONCLUSIVE),  # the upper end on the threshold: not wholly below it
        (0.31, "above", DOES_NOT_HOLD),
        (0.3, "below", HOLDS),  # the upper end on the threshold
        (0.2, "below", INCONCLUSIVE),
        (0.1, "below", INCONCLUSIVE),
        (0.09, "below", DOES_NOT_HOLD),
    ],
)
def test_verdict_boundaries(threshold, claimed, expected):
    assert verdict(interval(0.1, 0.3), threshold, claimed) == expected


@pytest.mark.parametrize(
    "estimate, threshold, claimed, expected",
    [
        (0.05, 0.05, "above", HOLDS),
        (0.04, 0.05, "above", DOES_NOT_HOLD),
        (0.05, 0.05, "below", HOLDS),
        (0.06, 0.05, "below", DOES_NOT_HOLD),
    ],
)
def test_one_replicate_gives_the_point_verdict(estimate, threshold, claimed, expected):
    point = Effect(estimate, None, None, None, "none (one replicate)", 1, 1)
    assert verdict(point, threshold, claimed) == expected


def test_parts_combine():
    assert combined([HOLDS, HOLDS]) == HOLDS
    assert combined([HOLDS, INCONCLUSIVE]) == INCONCLUSIVE
    assert combined([INCONCLUSIVE, DOES_NOT_HOLD]) == DOES_NOT_HOLD


def test_unknown_side_is_refused():
    with pytest.raises(ValueError, match="'above' or 'below'"):
        verdict(interval(0.1, 0.3), 0.0, "sideways")
