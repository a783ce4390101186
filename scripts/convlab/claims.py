"""The assignment's conclusions, each checked as effects between configurations with their
95 % confidence intervals over replicates (see convlab.stats for the tests and intervals).

Each claim is one small function of (table, runs, limits) in ``CLAIMS``: ``table`` is
experiments.csv (one row per run and replicate), ``runs`` names the configurations each claim
compares (``default``, ``n`` and ``l1`` sweeps, ``maxpool``, ``deep``), ``limits`` holds the
thresholds of ``claims`` in config.yaml. A claim has one or more parts, each an effect with a
threshold and the side of it that the assignment claims.
"""

from dataclasses import dataclass, field

import pandas as pd

from convlab.experiments import by_seed, span
from convlab.stats import Effect, combined, effect, verdict

CANNOT = "cannot be checked"


@dataclass(frozen=True)
class Part:
    label: str
    effect: Effect | None  # None: a configuration it compares has no run in the table
    threshold: float
    claimed: str  # "above": effect >= threshold; "below": effect <= threshold
    unit: str = "points"
    note: str = ""

    @property
    def verdict(self) -> str:
        return CANNOT if self.effect is None else verdict(self.effect, self.threshold, self.claimed)


@dataclass(frozen=True)
class Claim:
    statement: str
    parts: list[Part] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        verdicts = [part.verdict for part in self.parts]
        return CANNOT if not verdicts or CANNOT in verdicts else combined(verdicts)


def part(
    table, label, a: dict, b: dict, column: str, threshold, claimed, other_column=None
) -> Part:
    """The effect of ``a`` minus ``b`` on ``column``; with ``other_column``, of ``a``'s
    ``column`` minus ``b``'s ``other_column`` (the baseline against its own dummy)."""
    left = by_seed(table, a, column)
    right = by_seed(table, b, other_column or column)
    measured = effect(left, right) if left and right else None
    if column == "fit_seconds":
        return Part(label, measured, threshold, claimed, "s", jobs_note(table, [a, b]))
    return Part(label, measured, threshold, claimed)


def jobs_note(table, runs) -> str:
    counts = [c for run in runs for c in by_seed(table, run, "jobs_at_once").values()]
    return f"fit times measured with {span(counts)} training job(s) at once" if counts else ""


def _ends(runs, key):
    """The first and last of ``runs`` by ``key``, or None when fewer than two."""
    ordered = sorted(runs, key=key)
    return (ordered[0], ordered[-1]) if len(ordered) >= 2 else None


def baseline_beats_dummy(table, runs, limits) -> Claim:
    base = runs["default"]
    return Claim(
        "The baseline beats the most-frequent dummy by a wide margin.",
        [
            part(
                table,
                "test accuracy, baseline minus its dummy",
                base,
                base,
                "test_accuracy",
                limits["dummy_margin"],
                "above",
                other_column="dummy_test_accuracy",
            ),
        ],
    )


def gap_narrows_with_n(table, runs, limits) -> Claim:
    claim = Claim("The train-validation gap narrows as n grows.")
    if ends := _ends(runs["n"], key=lambda run: run["n"]):
        small, large = ends
        claim.parts.append(
            part(
                table,
                f"gap at n = {small['n']} minus gap at n = {large['n']}",
                small,
                large,
                "train_val_gap",
                limits["gap_narrowing"],
                "above",
            )
        )
    return claim


def accuracy_rises_with_n(table, runs, limits) -> Claim:
    claim = Claim("Test accuracy rises with n.")
    if ends := _ends(runs["n"], key=lambda run: run["n"]):
        small, large = ends
        claim.parts.append(
            part(
                table,
                f"test accuracy at n = {large['n']} minus at n = {small['n']}",
                large,
                small,
                "test_accuracy",
                limits["n_gain"],
                "above",
            )
        )
    return claim


def l1_narrows_gap_and_lowers_accuracy(table, runs, limits) -> Claim:
    claim = Claim("A larger L1 weight narrows the train-validation gap and lowers accuracy.")
    if ends := _ends(runs["l1"], key=lambda run: float(run["l1"])):
        low, high = ends
        claim.parts.extend(
            [
                part(
                    table,
                    f"gap at L1 = {low['l1']} minus gap at L1 = {high['l1']}",
                    low,
                    high,
                    "train_val_gap",
                    limits["l1_gap_narrowing"],
                    "above",
                ),
                part(
                    table,
                    f"test accuracy at L1 = {low['l1']} minus at L1 = {high['l1']}",
                    low,
                    high,
                    "test_accuracy",
                    limits["l1_accuracy_drop"],
                    "above",
                ),
            ]
        )
    return claim


def maxpool_no_better_and_slower(table, runs, limits) -> Claim:
    pool, base = runs["maxpool"], runs["default"]
    return Claim(
        f"Max-pooling does not beat striding at n = {pool['n']} and takes longer.",
        [
            part(
                table,
                "test accuracy, max-pooling minus striding",
                pool,
                base,
                "test_accuracy",
                limits["maxpool_tolerance"],
                "below",
            ),
            part(
                table,
                "fit time, max-pooling minus striding",
                pool,
                base,
                "fit_seconds",
                0.0,
                "above",
            ),
        ],
    )


def deep_gains_from_data_and_epochs(table, runs, limits) -> Claim:
    deep = runs["deep"]
    more_data = [
        part(
            table,
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
        part(
            table,
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
    statement = "The deep net gains from the full data set and from more epochs."
    if not more_data or not more_epochs:  # needs runs that differ only in n, only in epochs
        return Claim(statement)
    return Claim(statement, more_data + more_epochs)


CLAIMS = [
    baseline_beats_dummy,
    gap_narrows_with_n,
    accuracy_rises_with_n,
    l1_narrows_gap_and_lowers_accuracy,
    maxpool_no_better_and_slower,
    deep_gains_from_data_and_epochs,
]


def check_claims(table: pd.DataFrame, runs: dict, limits: dict) -> list[Claim]:
    return [check(table, runs, limits) for check in CLAIMS]


def _signed(value, unit) -> str:
    return f"{100 * value:+.1f}" if unit == "points" else f"{value:+.1f}"


def format_effect(part: Part) -> str:
    e = part.effect
    if e is None:
        return "a configuration it compares has no run"
    text = f"{_signed(e.estimate, part.unit)} {part.unit}"
    if not e.has_interval:
        return f"{text} (one replicate: no interval)"
    return f"{text} [{_signed(e.low, part.unit)}, {_signed(e.high, part.unit)}]"


def _replicates(e: Effect | None) -> str:
    return "" if e is None else f"{e.count_a} vs {e.count_b}"


def _p(e: Effect | None) -> str:
    if e is None or e.p is None:
        return "n/a"
    return "n/a (no spread)" if e.p != e.p else f"{e.p:.3g}"


def _threshold(part: Part) -> str:
    sign = ">=" if part.claimed == "above" else "<="
    return f"{sign} {_signed(part.threshold, part.unit)} {part.unit}"


def claims_markdown(claims: list[Claim]) -> str:
    lines = [
        "# The assignment's conclusions, checked",
        "",
        "Each conclusion the assignment draws, checked against this workflow's runs as effects",
        "between configurations. An effect is the mean over replicates of one side minus the",
        "other, in percentage points of accuracy (or seconds of fit time), with its 95 %",
        "confidence interval. Where both sides were trained with the same seeds the replicates",
        "are paired by seed: paired t-test (scipy.stats.ttest_rel) and the t interval of the",
        "mean difference. Otherwise Welch's t-test (scipy.stats.ttest_ind, unequal variances)",
        "and its interval. p is two-sided, for no difference.",
        "",
        "Verdicts, against the thresholds of `claims` in `config.yaml`: **holds** when the",
        "interval lies wholly on the side of the threshold that the assignment claims,",
        "**does not hold** when it lies wholly on the other side, **inconclusive** when it",
        "straddles the threshold. With one replicate there is no interval: the estimate alone",
        "decides. A claim of several parts holds when every part holds.",
        "",
        "| # | claim | verdict |",
        "|---|---|---|",
    ]
    for number, claim in enumerate(claims, 1):
        lines.append(f"| {number} | {claim.statement} | **{claim.verdict}** |")
    lines += [
        "",
        "| # | effect | estimate [95 % CI] | replicates | test | p | threshold | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number, claim in enumerate(claims, 1):
        if not claim.parts:
            lines.append(
                f"| {number} | the runs it compares are not configured | | | | | | "
                f"**{claim.verdict}** |"
            )
        for p in claim.parts:
            label = f"{p.label} ({p.note})" if p.note else p.label
            test = p.effect.test if p.effect else ""
            lines.append(
                f"| {number} | {label} | {format_effect(p)} | {_replicates(p.effect)} | "
                f"{test} | {_p(p.effect)} | {_threshold(p)} | **{p.verdict}** |"
            )
    return "\n".join(lines) + "\n"
