"""The claims' verdicts: each look measures every comparison of the declared claims
(convlab.claims) and decides what it can at its share of the error rate (convlab.stats);
claims.md is written from the last look. Run in jobs, not at planning time: it imports
SciPy and statsmodels."""

from dataclasses import asdict

from convlab.claims import CANNOT, Comparison, comparisons, look_share
from convlab.experiments import span
from convlab.runs import configuration_name
from convlab.stats import (
    DECISIVE,
    DOES_NOT_HOLD,
    FAMILY_ERROR,
    HOLDS,
    INCONCLUSIVE,
    MOST_REPLICATES,
    NO_VERDICT,
    POWER,
    Effect,
    decide,
    effect,
    family_size,
    replicates_to_decide,
    sides,
)


def _measure(comparison: Comparison, values) -> Effect | None:
    left = values(comparison.a, comparison.column)
    right = values(comparison.b, comparison.other_column or comparison.column)
    return effect(left, right, comparison.threshold) if left and right else None


def _jobs_note(comparison: Comparison, values) -> str:
    if comparison.column != "fit_seconds":
        return ""
    counts = [v for run in comparison.configurations for v in values(run, "jobs_at_once").values()]
    return f"fit times measured with {span(counts)} training job(s) at once" if counts else ""


def look(claims, values, index: int, counts: list[int], at: dict, previous=None) -> dict:
    """Look ``index`` of the schedule ``counts``, with ``at`` the replicates each compared
    configuration has now and ``values(configuration, column)`` giving {seed: value}.

    Every comparison is measured and the family decided at this look's share of
    FAMILY_ERROR (``look_share``); a verdict
    decided at an earlier look (``previous``, that look's return) is kept. Returns this
    look's record: each comparison's effect, verdict and the look that decided it, and
    ``next``: the replicates of each configuration at the next look (empty when every
    effect is decided or this is the last look).
    """
    compared = comparisons(claims)
    looks = len(counts)
    measured = [_measure(comparison, values) for comparison in compared]
    testable = [(m, c.claimed) for m, c in zip(measured, compared) if m is not None]
    share = look_share(counts, index)
    decided = iter(decide(testable, share=share))
    alpha = FAMILY_ERROR * share / max(1, family_size(m for m, _ in testable))
    results = []
    for number, (comparison, m) in enumerate(zip(compared, measured)):
        if m is None:
            results.append({"effect": None, "verdict": CANNOT, "adjusted": None, "look": index})
            continue
        decision = next(decided)
        kept = previous["results"][number] if previous else None
        if kept and kept["verdict"] in DECISIVE:
            results.append(kept)
            continue
        result = {
            "effect": asdict(m),
            "verdict": decision.verdict,
            "adjusted": decision.adjusted,
            "look": index,
            "note": _jobs_note(comparison, values),
        }
        results.append(result)
    open_names = {
        name
        for comparison, result in zip(compared, results)
        if result["verdict"] == INCONCLUSIVE
        for name in map(configuration_name, comparison.configurations)
    }
    following = {}
    if open_names and index + 1 < looks:
        following = {name: counts[index + 1] if name in open_names else k for name, k in at.items()}
    return {
        "look": index,
        "counts": counts,
        "at": at,
        "alpha": alpha,
        "results": results,
        "next": following,
    }


def claim_verdict(verdicts) -> str:
    """A claim of several parts holds when every part holds, does not hold when any part
    does not; without a part, or with one that has no run, it cannot be checked."""
    verdicts = list(verdicts)
    if DOES_NOT_HOLD in verdicts:
        return DOES_NOT_HOLD
    if not verdicts or CANNOT in verdicts:
        return CANNOT
    if all(v == HOLDS for v in verdicts):
        return HOLDS
    if all(v == NO_VERDICT for v in verdicts):
        return NO_VERDICT
    return INCONCLUSIVE


def verdicts(claims, record: dict) -> list[tuple[str, list[str]]]:
    """(claim verdict, [part verdicts]) of each claim at a look."""
    parts = iter(result["verdict"] for result in record["results"])
    out = []
    for claim in claims:
        own = [next(parts) for _ in claim.comparisons]
        out.append((claim_verdict(own), own))
    return out


def _signed(value, unit) -> str:
    return f"{100 * value:+.1f}" if unit == "points" else f"{value:+.1f}"


def _bold(verdict: str) -> str:
    return f"**{verdict}**" if verdict in DECISIVE else verdict


def _estimate(comparison: Comparison, measured: dict | None) -> str:
    if measured is None:
        return "a configuration it compares has no run"
    unit = comparison.unit
    text = f"{_signed(measured['estimate'], unit)} {unit}"
    if measured["low"] is None:
        return f"{text}, no interval (one replicate)"
    return f"{text} [{_signed(measured['low'], unit)}, {_signed(measured['high'], unit)}]"


def _p(measured: dict | None, claimed: str) -> str:
    if measured is None or measured["p_above"] is None:
        return ""
    holds, fails = sides(claimed)
    return f"{measured[holds]:.2g} / {measured[fails]:.2g}"


def _threshold(comparison: Comparison) -> str:
    sign = ">" if comparison.claimed == "above" else "<"
    return f"{sign} {_signed(comparison.threshold, comparison.unit)} {comparison.unit}"


def _to_decide(result: dict, alpha: float) -> str:
    if result["verdict"] != INCONCLUSIVE or result["effect"] is None:
        return ""
    needed = replicates_to_decide(Effect(**result["effect"]), alpha)
    if needed is None:
        if result["effect"]["p_above"] is None:
            return "unknown (no spread: every replicate alike)"
        return "none would (the estimate is at the threshold)"
    return f"more than {MOST_REPLICATES}" if needed > MOST_REPLICATES else str(needed)


def _replicates(result: dict, record: dict) -> str:
    measured = result["effect"]
    if measured is None:
        return ""
    text = f"{measured['count_a']} vs {measured['count_b']}"
    looks = len(record["counts"])
    return f"{text} (look {result['look'] + 1} of {looks})" if looks > 1 else text


def claims_markdown(claims, record: dict) -> str:
    """results/claims.md from the last look's record."""
    looks = len(record["counts"])
    family = family_size(
        Effect(**r["effect"]) for r in record["results"] if r["effect"] is not None
    )
    if looks > 1:
        rounds = (
            "Replicates were added in rounds, only to the configurations of effects still "
            f"open: looks at {', '.join(map(str, record['counts']))} replicates. The table's "
            f"{FAMILY_ERROR:g} is split over this fixed schedule of looks in proportion to "
            "their replicates ("
            + ", ".join(
                f"{FAMILY_ERROR * look_share(record['counts'], i):.2g}" for i in range(looks)
            )
            + ") and a verdict once decisive is kept, so looking after each round does not "
            "raise the error rate."
        )
    else:
        rounds = "One look, at the configured replicates, decides the table."
    lines = [
        "# The assignment's conclusions, checked",
        "",
        "Each conclusion the assignment draws, checked against this workflow's runs as "
        "effects between configurations. An effect is the mean over replicates of one side "
        "minus the other, in percentage points of accuracy (or seconds of fit time), with its "
        "own 95 % confidence interval. Where both sides were trained with the same seeds the "
        "replicates are paired by seed (t test of the differences); otherwise Welch's t test.",
        "",
        (
            "Each effect is tested against its threshold (`claims` in `config.yaml`), one-sided "
            'on each side: p (holds) is for the null hypothesis "the effect is not beyond the '
            'threshold", p (does not hold) for "it is not short of it". **holds** and **does '
            f"not hold** are decided by Holm's procedure over all {family} one-sided tests of "
            "this table, so the chance that any decisive verdict in it is wrong is at most "
            f"{FAMILY_ERROR:g}: a verdict is decisive where its adjusted p (Holm's, over its "
            f"look's share of the error rate) is at most {FAMILY_ERROR:g}. Otherwise the effect is "
            "inconclusive, with the replicates per configuration that would decide it with "
            f"{POWER:.0%} power were the observed effect and spread true (at a one-sided level "
            f"of {record['alpha']:.2g}, the strictest step of Holm's procedure). An effect "
            "whose replicates have no spread, or one replicate, is not tested. A claim of "
            "several parts holds when every part holds."
            if family
            else "No effect here could be tested (one replicate, or replicates with no "
            "spread), so nothing is decided: each row gives its estimate alone. Train two or "
            "more replicates (`replicates` in `config.yaml`) for verdicts."
        ),
        "",
        rounds,
        "",
        "| # | claim | verdict |",
        "|---|---|---|",
    ]
    judged = verdicts(claims, record)
    for number, (claim, (verdict, _)) in enumerate(zip(claims, judged), 1):
        lines.append(f"| {number} | {claim.statement} | {_bold(verdict)} |")
    lines += [
        "",
        "| # | effect | estimate [95 % CI] | replicates | test | p (holds / does not hold) "
        "| adjusted p | threshold | verdict | replicates to decide |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    results = iter(record["results"])
    for number, (claim, (verdict, _)) in enumerate(zip(claims, judged), 1):
        if not claim.comparisons:
            lines.append(
                f"| {number} | the runs it compares are not configured | | | | | | | "
                f"{_bold(verdict)} | |"
            )
        for comparison in claim.comparisons:
            result = next(results)
            measured = result["effect"]
            label = comparison.label + (f" ({result['note']})" if result.get("note") else "")
            adjusted = "" if result.get("adjusted") is None else f"{result['adjusted']:.2g}"
            test = measured["test"] if measured else ""
            lines.append(
                f"| {number} | {label} | {_estimate(comparison, measured)} | "
                f"{_replicates(result, record)} | {test} | {_p(measured, comparison.claimed)} | "
                f"{adjusted} | {_threshold(comparison)} | {_bold(result['verdict'])} | "
                f"{_to_decide(result, record['alpha'])} |"
            )
    return "\n".join(lines) + "\n"
