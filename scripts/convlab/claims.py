"""The assignment's conclusions, declared as effects between configurations, and the
schedule of looks: rounds that add replicates only to the configurations of effects that are
still open. Read at planning time (no SciPy here); the verdicts are convlab.verdicts'.

``CLAIMS`` declares them; ``declare(runs, limits)`` finds what each compares: ``runs`` names
the configurations (``default``, the ``n`` and ``l1`` sweeps, ``maxpool``, ``deep``),
``limits`` holds the thresholds of ``claims`` in config.yaml.
"""

from dataclasses import dataclass

from convlab.runs import canonical_number, configuration_name

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


@dataclass(frozen=True)
class Declared:
    """One comparison of a claim: the configurations it pairs (``pairs``, a name of
    PAIRINGS, each pair (a, b)), its label (a format of ``a`` and ``b``), the column, the
    threshold's key in ``claims`` (None: 0) and the side claimed."""

    pairs: str
    label: str
    column: str
    threshold: str | None
    claimed: str
    other_column: str | None = None


# The assignment's six conclusions, each as the comparisons that check it; a claim whose
# comparisons do not all find runs to pair (a sweep of one value) cannot be checked.
CLAIMS = (
    (
        "The baseline beats the most-frequent dummy by a wide margin.",
        Declared(
            "baseline",
            "test accuracy, baseline minus its dummy",
            "test_accuracy",
            "dummy_margin",
            "above",
            other_column="dummy_test_accuracy",
        ),
    ),
    (
        "The train-validation gap narrows as n grows.",
        Declared(
            "smallest n, largest n",
            "gap at n = {a[n]} minus gap at n = {b[n]}",
            "train_val_gap",
            "gap_narrowing",
            "above",
        ),
    ),
    (
        "Test accuracy rises with n.",
        Declared(
            "largest n, smallest n",
            "test accuracy at n = {a[n]} minus at n = {b[n]}",
            "test_accuracy",
            "n_gain",
            "above",
        ),
    ),
    (
        "A larger L1 weight narrows the train-validation gap and lowers accuracy.",
        Declared(
            "smallest L1, largest L1",
            "gap at L1 = {a[l1]} minus gap at L1 = {b[l1]}",
            "train_val_gap",
            "l1_gap_narrowing",
            "above",
        ),
        Declared(
            "smallest L1, largest L1",
            "test accuracy at L1 = {a[l1]} minus at L1 = {b[l1]}",
            "test_accuracy",
            "l1_accuracy_drop",
            "above",
        ),
    ),
    (
        "Max-pooling does not beat striding at n = {maxpool[n]} and takes longer.",
        Declared(
            "maxpool, baseline",
            "test accuracy, max-pooling minus striding",
            "test_accuracy",
            "maxpool_tolerance",
            "below",
        ),
        Declared(
            "maxpool, baseline",
            "fit time, max-pooling minus striding",
            "fit_seconds",
            None,
            "above",
        ),
    ),
    (
        "The deep net gains from the full data set and from more epochs.",
        Declared(
            "deep: more data",
            "test accuracy at n = {a[n]} minus at n = {b[n]} ({b[epochs]} epochs)",
            "test_accuracy",
            "deep_data_gain",
            "above",
        ),
        Declared(
            "deep: more epochs",
            "test accuracy at {a[epochs]} minus at {b[epochs]} epochs (n = {b[n]})",
            "test_accuracy",
            "deep_epochs_gain",
            "above",
        ),
    ),
)


def _ends(runs, key, reverse=False):
    """[(first, last)] of ``runs`` by ``key`` (or [(last, first)]); [] when fewer than two."""
    ordered = sorted(runs, key=key)
    if len(ordered) < 2:
        return []
    return [(ordered[-1], ordered[0])] if reverse else [(ordered[0], ordered[-1])]


def _gains(runs, same, more):
    """Every (b, a) of ``runs`` equal in ``same`` where b has more ``more`` than a."""
    return [(b, a) for a in runs for b in runs if a[same] == b[same] and a[more] < b[more]]


# Which configurations each kind of comparison pairs, from the claims' runs.
PAIRINGS = {
    "baseline": lambda runs: [(runs["default"], runs["default"])],
    "smallest n, largest n": lambda runs: _ends(runs["n"], lambda run: run["n"]),
    "largest n, smallest n": lambda runs: _ends(runs["n"], lambda run: run["n"], reverse=True),
    "smallest L1, largest L1": lambda runs: _ends(runs["l1"], lambda run: run["l1"]),
    "maxpool, baseline": lambda runs: [(runs["maxpool"], runs["default"])],
    "deep: more data": lambda runs: _gains(runs["deep"], "epochs", "n"),
    "deep: more epochs": lambda runs: _gains(runs["deep"], "n", "epochs"),
}


def _shown(run: dict) -> dict:
    """A configuration as a label writes it: the L1 weight in its canonical spelling."""
    return {**run, "l1": canonical_number(run["l1"])}


def declare(runs: dict, limits: dict, table=CLAIMS) -> list[Claim]:
    """Each claim of ``table`` with its comparisons between the configurations ``runs``."""
    claims = []
    for statement, *declared in table:
        pairs = [(d, PAIRINGS[d.pairs](runs)) for d in declared]
        found = tuple(
            Comparison(
                d.label.format(a=_shown(a), b=_shown(b)),
                a,
                b,
                d.column,
                limits[d.threshold] if d.threshold else 0.0,
                d.claimed,
                d.other_column,
            )
            for d, pairs_of_d in pairs
            for a, b in pairs_of_d
        )
        checkable = all(pairs_of_d for _, pairs_of_d in pairs)
        claims.append(Claim(statement.format(**runs), found if checkable else ()))
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
