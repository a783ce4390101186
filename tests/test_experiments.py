"""Checking the seed's claims on hand-made tables whose verdicts are known."""

import json

import pandas as pd
import pytest

from convlab.experiments import COLUMNS, check_claims, claims_markdown, collect

LIMITS = {"dummy_margin": 0.2, "gap_narrowing": 0.02, "n_gain": 0.05, "l1_gap_narrowing": 0.0,
          "l1_accuracy_drop": 0.0, "maxpool_tolerance": 0.01, "deep_data_gain": 0.05,
          "deep_epochs_gain": 0.0}


def run(arch="baseline", n=5000, l1="0.0001", epochs=20):
    return {"arch": arch, "n": n, "l1": l1, "epochs": epochs}


RUNS = {
    "default": run(),
    "n": [run(n=5000), run(n=40000)],
    "l1": [run(l1="0"), run(l1="0.0001"), run(l1="0.01")],
    "maxpool": run(arch="maxpool"),
    "deep": [run("deep", 5000, epochs=20), run("deep", 50000, epochs=20), run("deep", 50000, epochs=60)],
}


def row(arch="baseline", n=5000, l1=0.0001, epochs=20, train=0.55, val=0.50, test=0.49, fit=20.0):
    return {"arch": arch, "n": n, "l1": l1, "epochs": epochs, "train_accuracy": train,
            "val_accuracy": val, "train_val_gap": train - val, "test_accuracy": test,
            "dummy_test_accuracy": 0.1, "fit_seconds": fit}


def seed_like_table():
    """Numbers shaped as the seed reports them: every claim holds."""
    return pd.DataFrame([
        row(),
        row(n=40000, train=0.68, val=0.67, test=0.66, fit=180),
        row(l1=0, train=0.60, val=0.50, test=0.50),
        row(l1=0.01, train=0.40, val=0.39, test=0.38),
        row(arch="maxpool", test=0.49, fit=45),
        row(arch="deep", test=0.45, fit=25),
        row(arch="deep", n=50000, test=0.62, fit=250),
        row(arch="deep", n=50000, epochs=60, test=0.66, fit=750),
    ])


def verdicts(table, runs=RUNS, limits=LIMITS):
    return [claim["verdict"] for claim in check_claims(table, runs, limits)]


def test_every_claim_holds_on_seed_like_numbers():
    assert verdicts(seed_like_table()) == ["holds"] * 6


def test_a_claim_that_fails_is_reported_as_such():
    table = seed_like_table()
    table.loc[table["arch"] == "maxpool", "test_accuracy"] = 0.53  # max-pooling wins by 4 points
    table.loc[(table["n"] == 40000), "test_accuracy"] = 0.50        # more data barely helps
    assert verdicts(table) == ["holds", "holds", "does not hold", "holds", "does not hold", "holds"]


def test_thresholds_decide_the_verdict():
    table = seed_like_table()
    assert verdicts(table, limits={**LIMITS, "dummy_margin": 0.5})[0] == "does not hold"
    assert verdicts(table, limits={**LIMITS, "n_gain": 0.2})[2] == "does not hold"


def test_missing_runs_cannot_be_checked():
    table = seed_like_table()
    table = table[table["arch"] != "deep"]
    result = check_claims(table, RUNS, LIMITS)
    assert result[-1]["verdict"] == "cannot be checked"
    assert "not configured" in claims_markdown(result)


def test_markdown_table_carries_numbers_and_thresholds():
    text = claims_markdown(check_claims(seed_like_table(), RUNS, LIMITS))
    assert "test accuracy 49.0 % against the dummy's 10.0 %" in text
    assert "n = 5000: 5.0 %, n = 40000: 1.0 %" in text
    assert "margin >= 20.0 %" in text
    assert text.count("**holds**") == 6


def test_collect_reads_metrics_in_order(tmp_path):
    paths = []
    for i, test in enumerate([0.4, 0.6]):
        metrics = {**row(n=100 * (i + 1), test=test), "train_loss": 1.0, "val_loss": 1.1,
                   "test_loss": 1.2, "params": 37146, "device": "CPU", "extra": "ignored"}
        metrics.pop("train_val_gap")
        paths.append(tmp_path / f"{i}.json")
        paths[-1].write_text(json.dumps(metrics))
    table = collect(paths)
    assert list(table.columns) == COLUMNS
    assert table["n"].tolist() == [100, 200] and table["test_accuracy"].tolist() == [0.4, 0.6]
    assert table["train_val_gap"].tolist() == pytest.approx([0.05, 0.05])
