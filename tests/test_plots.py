"""The comparison figures: intervals that stay within what a value can be, no interval
promised where there is none, every series drawn, categories not joined as a trend."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from convlab.plots import interval_bars, save_history_plot, sweep_figure


def runs(values, replicates, rng):
    """A table of runs as results/experiments.csv has them: ``replicates`` seeds of one
    configuration per value of an architecture sweep."""
    rows = []
    for index, arch in enumerate(values):
        for seed in range(replicates):
            rows.append(
                {
                    "arch": arch,
                    "n": 100,
                    "l1": 0.0,
                    "epochs": 1,
                    "variant": "",
                    "seed": seed,
                    "train_accuracy": rng.uniform(0, 1),
                    "val_accuracy": rng.uniform(0, 1),
                    "test_accuracy": rng.uniform(0, 1),
                    "dummy_test_accuracy": 0.1,
                    "fit_seconds": rng.uniform(0, 3),
                    "jobs_at_once": 1,
                    "value": index,
                }
            )
    return pd.DataFrame(rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=6))
def test_interval_bars_are_students_t_clipped_to_what_is_possible(values):
    bars = interval_bars(pd.DataFrame({"x": 0, "v": values}), "v", (0.0, 1.0)).iloc[0]
    mean, sem = np.mean(values), stats.sem(values)
    low, high = (mean, mean) if sem == 0 else stats.t.interval(0.95, len(values) - 1, mean, sem)
    assert bars["mean"] == pytest.approx(mean)
    assert bars["low"] == pytest.approx(max(low, 0.0), abs=1e-12)
    assert bars["high"] == pytest.approx(min(high, 1.0), abs=1e-12)
    assert 0.0 <= bars["low"] <= bars["high"] <= 1.0
    assert bars["clipped"] == (low < 0 or high > 1)


def test_one_replicate_has_no_interval_and_says_so():
    table = runs(["baseline", "maxpool"], 1, np.random.default_rng(0))
    fig = sweep_figure(table, ["baseline", "maxpool"], "architecture", "arch")
    title = fig._suptitle.get_text()
    plt.close(fig)
    assert "1 replicate each: no interval" in title and "CI" not in title
    assert math.isnan(
        interval_bars(table.assign(x=table["value"]), "test_accuracy", (0, 1))["low"][0]
    )


def test_categories_are_not_joined_and_every_series_is_drawn_within_its_bounds():
    table = runs(["baseline", "maxpool", "deep"], 2, np.random.default_rng(1))
    fig = sweep_figure(table, ["baseline", "maxpool", "deep"], "architecture", "arch")
    top, bottom = fig.axes
    labels = [text.get_text() for text in top.get_legend().get_texts()]
    assert sorted(labels) == ["dummy (test)", "test", "train", "validation"]
    assert all(line.get_linestyle() == "None" for line in top.get_lines() + bottom.get_lines())
    assert "2 replicates each: mean with its 95 % CI" in fig._suptitle.get_text()
    # Two replicates: Student's t with one degree of freedom reaches far past [0, 1].
    assert "CI clipped to [0, 1]" in fig._suptitle.get_text()
    bars = [c.get_segments() for c in top.collections if hasattr(c, "get_segments")]
    ends = [y for segments in bars for segment in segments for _, y in segment]
    assert len(ends) == 3 * 3 * 2 and all(0.0 <= y <= 1.0 for y in ends)
    legend = top.get_legend().get_window_extent()
    fig.canvas.draw()
    assert legend.x0 >= top.get_window_extent().x1 - 1  # beside the data, not over it
    plt.close(fig)


def test_numbers_are_joined_as_a_trend():
    table = runs(["a", "b"], 2, np.random.default_rng(2))
    fig = sweep_figure(table, [100, 200], "training points n", "n")
    assert any(line.get_linestyle() == "-" for line in fig.axes[0].get_lines())
    plt.close(fig)


def test_a_one_epoch_history_is_drawn_as_points(tmp_path, monkeypatch):
    drawn = []
    monkeypatch.setattr(plt.Figure, "savefig", lambda fig, *a, **k: drawn.append(fig))
    history = pd.DataFrame(
        {"accuracy": [0.2], "val_accuracy": [0.1], "loss": [2.3], "val_loss": [2.4]}
    )
    save_history_plot(history, "caption", tmp_path / "h.png")
    lines = drawn[0].axes[0].get_lines()
    assert [line.get_marker() for line in lines] == ["o", "o"]
