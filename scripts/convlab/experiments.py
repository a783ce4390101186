"""All runs in one table, and the seed's conclusions checked against it."""

import json

import pandas as pd

COLUMNS = [
    "arch", "n", "l1", "epochs", "params", "device", "fit_seconds",
    "train_accuracy", "val_accuracy", "train_loss", "val_loss",
    "test_accuracy", "test_loss", "dummy_test_accuracy", "train_val_gap",
]


def collect(metrics_paths) -> pd.DataFrame:
    """One row per run's metrics.json, in the given order, with stable column names."""
    rows = []
    for path in metrics_paths:
        with open(path, encoding="utf-8") as file:
            rows.append(json.load(file))
    table = pd.DataFrame(rows)
    table["train_val_gap"] = table["train_accuracy"] - table["val_accuracy"]
    return table[COLUMNS]


def _row(table: pd.DataFrame, run: dict):
    """The table's row for a run, or None if the table has no such run."""
    match = table[
        (table["arch"] == run["arch"]) & (table["n"] == run["n"])
        & (table["l1"] == float(run["l1"])) & (table["epochs"] == run["epochs"])
    ]
    return None if match.empty else match.iloc[0]


def _rows(table: pd.DataFrame, runs, key=None) -> list:
    """The table's rows for those of ``runs`` it has, in run order sorted by ``key`` if given."""
    ordered = sorted(runs, key=key) if key else runs
    return [row for row in (_row(table, run) for run in ordered) if row is not None]


def _claim(statement, evidence, holds, threshold):
    verdict = "cannot be checked" if holds is None else ("holds" if holds else "does not hold")
    return {"claim": statement, "evidence": evidence, "threshold": threshold, "verdict": verdict}


def _pct(value) -> str:
    return f"{100 * value:.1f} %"


def check_claims(table: pd.DataFrame, runs: dict, limits: dict) -> list[dict]:
    """The seed's conclusions, each checked against the table with the configured thresholds.

    ``runs`` names the runs each claim compares: ``default`` (the baseline at the default
    settings), ``n`` and ``l1`` (the sweeps, in their order), ``maxpool`` and ``deep``.
    A claim whose runs are missing from the table is reported as "cannot be checked".
    """
    claims = []
    base = _row(table, runs["default"])
    claims.append(_claim(
        "The baseline beats the most-frequent dummy by a wide margin.",
        None if base is None else
        f"test accuracy {_pct(base.test_accuracy)} against the dummy's {_pct(base.dummy_test_accuracy)}",
        None if base is None else base.test_accuracy - base.dummy_test_accuracy >= limits["dummy_margin"],
        f"margin >= {_pct(limits['dummy_margin'])}",
    ))

    by_n = _rows(table, runs["n"], key=lambda run: run["n"])
    smallest, largest = (by_n[0], by_n[-1]) if len(by_n) >= 2 else (None, None)
    claims.append(_claim(
        "The train-validation gap narrows as n grows.",
        None if smallest is None else
        "gap (train - validation accuracy) " + ", ".join(f"n = {r.n}: {_pct(r.train_val_gap)}" for r in by_n),
        None if smallest is None else smallest.train_val_gap - largest.train_val_gap >= limits["gap_narrowing"],
        f"gap at the largest n below the smallest n's by >= {_pct(limits['gap_narrowing'])}",
    ))
    claims.append(_claim(
        "Test accuracy rises with n.",
        None if smallest is None else
        "test accuracy " + ", ".join(f"n = {r.n}: {_pct(r.test_accuracy)}" for r in by_n),
        None if smallest is None else largest.test_accuracy - smallest.test_accuracy >= limits["n_gain"],
        f"gain from the smallest to the largest n >= {_pct(limits['n_gain'])}",
    ))

    by_l1 = _rows(table, runs["l1"], key=lambda run: float(run["l1"]))
    low, high = (by_l1[0], by_l1[-1]) if len(by_l1) >= 2 else (None, None)
    claims.append(_claim(
        "A larger L1 weight narrows the train-validation gap and lowers accuracy.",
        None if low is None else
        "; ".join(f"L1 = {r.l1:g}: gap {_pct(r.train_val_gap)}, test {_pct(r.test_accuracy)}" for r in by_l1),
        None if low is None else (
            low.train_val_gap - high.train_val_gap > limits["l1_gap_narrowing"]
            and low.test_accuracy - high.test_accuracy > limits["l1_accuracy_drop"]
        ),
        f"from the smallest to the largest weight, gap narrows by > {_pct(limits['l1_gap_narrowing'])} "
        f"and accuracy drops by > {_pct(limits['l1_accuracy_drop'])}",
    ))

    pool = _row(table, runs["maxpool"])
    claims.append(_claim(
        f"Max-pooling does not beat striding at n = {runs['maxpool']['n']} and takes longer.",
        None if pool is None or base is None else
        f"test accuracy {_pct(pool.test_accuracy)} (max-pooling) against {_pct(base.test_accuracy)} "
        f"(striding); fit {pool.fit_seconds:.1f} s against {base.fit_seconds:.1f} s",
        None if pool is None or base is None else (
            pool.test_accuracy - base.test_accuracy <= limits["maxpool_tolerance"]
            and pool.fit_seconds > base.fit_seconds
        ),
        f"max-pooling at most {_pct(limits['maxpool_tolerance'])} more accurate, and slower",
    ))

    claims.append(_deep_claim(_rows(table, runs["deep"]), limits))
    return claims


def _deep_claim(deep, limits):
    """The deep net gains from the full data set (same epochs) and from more epochs (same n)."""
    data_pairs = [(a, b) for a in deep for b in deep if a.epochs == b.epochs and a.n < b.n]
    epoch_pairs = [(a, b) for a in deep for b in deep if a.n == b.n and a.epochs < b.epochs]
    statement = "The deep net gains from the full data set and from more epochs."
    if not data_pairs or not epoch_pairs:
        return _claim(statement, None, None, "needs deep runs that differ only in n and only in epochs")
    evidence = "; ".join(
        f"n = {r.n}, {r.epochs} epochs: test {_pct(r.test_accuracy)}, fit {r.fit_seconds:.0f} s" for r in deep
    )
    holds = all(b.test_accuracy - a.test_accuracy >= limits["deep_data_gain"] for a, b in data_pairs) and all(
        b.test_accuracy - a.test_accuracy > limits["deep_epochs_gain"] for a, b in epoch_pairs
    )
    threshold = (f"more data: gain >= {_pct(limits['deep_data_gain'])}; "
                 f"more epochs: gain > {_pct(limits['deep_epochs_gain'])}")
    return _claim(statement, evidence, holds, threshold)


def claims_markdown(claims: list[dict]) -> str:
    lines = [
        "# The seed's conclusions, checked",
        "",
        "Each conclusion the assignment draws, checked against this workflow's own runs. The",
        "thresholds come from `claims` in `config.yaml`; accuracies are on the test set unless",
        "the claim says otherwise, and the gap is final-epoch train minus validation accuracy.",
        "",
        "| claim | numbers | threshold | verdict |",
        "|---|---|---|---|",
    ]
    for claim in claims:
        evidence = claim["evidence"] or "the runs it compares are not configured"
        lines.append(f"| {claim['claim']} | {evidence} | {claim['threshold']} | **{claim['verdict']}** |")
    return "\n".join(lines) + "\n"
