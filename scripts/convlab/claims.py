"""The assignment's conclusions, declared as effects between configurations, and the
schedule of looks: rounds that add replicates only to the configurations of effects that are
still open. Read at planning time (no SciPy here); the verdicts are convlab.verdicts'.

``declare(runs, limits)`` says what each claim compares: ``runs`` names the configurations
(``default``, the ``n`` and ``l1`` sweeps, ``maxpool``, ``deep``), ``limits`` holds the
thresholds of ``claims`` in config.yaml.
"""

from dataclasses import dataclass

from convlab.runs import configuration_name

CANNOT = "cannot be checked"


@dataclass(frozen=True)
class Comparison:
    """``a``'s ``column`` minus ``b``'s (``other_column`` when given: the baseline against its
    own dummy), claimed to lie ``claimed`` ("above" or "below") ``threshold``."""

    label: str
    a: dict
    b: dict
    column: str
    threshold: float
    claimed: str
    other_column: str | None = None

    @property
    def unit(self) -> str:
        return "s" if self.column == "fit_seconds" else "points"

    @property
    def configurations(self) -> list[dict]:
        return [self.a, self.b]


@dataclass(frozen=True)
class Claim:
    statement: str
    comparisons: tuple = ()  # none: the runs it compares are not configured


def _ends(runs, key):
    """The first and last of ``runs`` by ``key``, or None when fewer than two."""
    ordered = sorted(runs, key=key)
    return (ordered[0], ordered[-1]) if len(ordered) >= 2 else None


def declare(runs: dict, limits: dict) -> list[Claim]:
    """The six claims of the assignment, each as the comparisons that check it."""
    base, pool, deep = runs["default"], runs["maxpool"], runs["deep"]
    claims = [
        Claim(
            "The baseline beats the most-frequent dummy by a wide margin.",
            (
                Comparison(
                    "test accuracy, baseline minus its dummy",
                    base,
                    base,
                    "test_accuracy",
                    limits["dummy_margin"],
                    "above",
                    other_column="dummy_test_accuracy",
                ),
            ),
        )
    ]
    n_ends = _ends(runs["n"], key=lambda run: run["n"])
    small, large = n_ends or (None, None)
    claims.append(
        Claim(
            "The train-validation gap narrows as n grows.",
            n_ends
            and (
                Comparison(
                    f"gap at n = {small['n']} minus gap at n = {large['n']}",
                    small,
                    large,
                    "train_val_gap",
                    limits["gap_narrowing"],
                    "above",
                ),
            )
            or (),
        )
    )
    claims.append(
        Claim(
            "Test accuracy rises with n.",
            n_ends
            and (
                Comparison(
                    f"test accuracy at n = {large['n']} minus at n = {small['n']}",
                    large,
                    small,
                    "test_accuracy",
                    limits["n_gain"],
                    "above",
                ),
            )
            or (),
        )
    )
    l1_ends = _ends(runs["l1"], key=lambda run: float(run["l1"]))
    low, high = l1_ends or (None, None)
    claims.append(
        Claim(
            "A larger L1 weight narrows the train-validation gap and lowers accuracy.",
            l1_ends
            and (
                Comparison(
                    f"gap at L1 = {low['l1']} minus gap at L1 = {high['l1']}",
                    low,
                    high,
                    "train_val_gap",
                    limits["l1_gap_narrowing"],
                    "above",
                ),
                Comparison(
                    f"test accuracy at L1 = {low['l1']} minus at L1 = {high['l1']}",
                    low,
                    high,
                    "test_accuracy",
                    limits["l1_accuracy_drop"],
                    "above",
                ),
            )
            or (),
        )
    )
    claims.append(
        Claim(
            f"Max-pooling does not beat striding at n = {pool['n']} and takes longer.",
            (
                Comparison(
                    "test accuracy, max-pooling minus striding",
                    pool,
                    base,
                    "test_accuracy",
                    limits["maxpool_tolerance"],
                    "below",
                ),
                Comparison(
                    "fit time, max-pooling minus striding", pool, base, "fit_seconds", 0.0, "above"
                ),
            ),
        )
    )
    more_data = [
        Comparison(
            f"test accuracy at n = {b['n']} minus at n = {a['n']} ({a['epochs']} epochs)",
            b,
            a,
            "test_accuracy",
            limits["deep_data_gain"],
            "above",
        )
        for a in deep
        for b in deep
        if a["epochs"] == b["epochs"] and a["n"] < b["n"]
    ]
    more_epochs = [
        Comparison(
            f"test accuracy at {b['epochs']} minus at {a['epochs']} epochs (n = {a['n']})",
            b,
            a,
            "test_accuracy",
            limits["deep_epochs_gain"],
            "above",
        )
        for a in deep
        for b in deep
        if a["n"] == b["n"] and a["epochs"] < b["epochs"]
    ]
    # It needs runs that differ only in n and runs that differ only in epochs.
    claims.append(
        Claim(
            "The deep net gains from the full data set and from more epochs.",
            tuple(more_data + more_epochs) if more_data and more_epochs else (),
        )
    )
    return claims


def comparisons(claims) -> list[Comparison]:
    return [comparison for claim in claims for comparison in claim.comparisons]


def claim_configurations(claims) -> dict:
    """{name: configuration} of every configuration some claim compares, in order."""
    return {configuration_name(run): run for c in comparisons(claims) for run in c.configurations}


def schedule(replicates) -> list[int]:
    """The replicate counts at each look: ``replicates: 3`` is one look at 3;
    ``{start: 3, max: 10, looks: 3}`` looks at 3, 6 and 10 (evenly spaced, rounded)."""
    if isinstance(replicates, int):
        return [replicates]
    start, most, looks = replicates["start"], replicates["max"], replicates.get("looks", 3)
    counts = [round(start + (most - start) * i / (looks - 1)) for i in range(looks)]
    return sorted(set(counts))


def look_share(counts: list[int], index: int) -> float:
    """The share of the table's error rate that look ``index`` spends: in proportion to its
    replicates (3, 6, 10: 16 %, 32 %, 53 %), more where more is known. The shares of the
    fixed schedule sum to one, so over all looks the error rate stays FAMILY_ERROR."""
    return counts[index] / sum(counts)


def first_counts(claims, counts: list[int]) -> dict:
    """{configuration name: replicates} at the first look."""
    return {name: counts[0] for name in claim_configurations(claims)}
