"""Figures of the workflow, drawn on matplotlib Figures without pyplot (no GUI backend, no
global state: a figure is saved by its own canvas, Agg for PNG)."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from convlab.experiments import span
from convlab.runs import CONFIGURATION, described


def save_heatmap(matrix, path, cmap: str) -> None:
    """A heatmap with no axes, as the assignment's Figures 3 and 4."""
    fig = Figure(figsize=(5, 5))
    ax = fig.subplots()
    ax.imshow(matrix, cmap=cmap, interpolation="nearest")
    ax.set_axis_off()
    fig.savefig(path, bbox_inches="tight", dpi=150)


# Where a legend goes: right of the axes, never over the data.
OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "fontsize": 8}
SHORT = 30  # epochs up to which a history's points get markers (one epoch is a point)


def save_history_plot(history, caption: str, path) -> None:
    """Accuracy and loss per epoch, train and validation, with ``caption`` below.

    ``history`` is a table with the columns Keras records: accuracy, val_accuracy, loss,
    val_loss, one row per epoch. As in the assignment, the loss includes the L1 penalty.
    """
    fig = Figure(figsize=(8, 7))
    top, bottom = fig.subplots(2, 1, sharex=True)
    epochs = range(1, len(history) + 1)
    marker = "o" if len(history) <= SHORT else None
    for ax, metric in ((top, "accuracy"), (bottom, "loss")):
        ax.plot(epochs, history[metric], label="train", marker=marker, markersize=4)
        ax.plot(epochs, history[f"val_{metric}"], label="validation", marker=marker, markersize=4)
        ax.set_title(f"model {metric}")
        ax.set_ylabel(metric)
        ax.legend(**OUTSIDE)
    bottom.set_xlabel("epoch")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    if marker:
        bottom.set_xlim(0.5, len(history) + 0.5)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.text(0.01, 0.012, caption, fontsize=9)
    fig.savefig(path, dpi=120)


def history_caption(metrics: dict) -> str:
    """The run's parameters, fit time and test accuracy, as the assignment wrote in its corner.
    The fit time is the whole training's; a run that continued from a saved state says from
    which epoch."""
    resumed = metrics.get("resumed_from_epoch", 0)
    continued = f", continued from epoch {resumed}" if resumed else ""
    return (
        "; ".join(described(metrics)) + "\n"
        f"fit {metrics['fit_seconds']:.1f} s on {metrics['device']}{continued}; "
        f"test accuracy {metrics['test_accuracy']:.3f} (dummy {metrics['dummy_test_accuracy']:.3f})"
    )


def _fixed_parameters(table, varied: str) -> str:
    """The parameters every row of ``table`` shares, but ``varied`` and the seed, as the title
    says them."""
    shared = {key: table[key].iloc[0] for key in CONFIGURATION if table[key].nunique() == 1}
    return ", ".join(described(shared, leave_out=(varied,)))


def _what_is_drawn(table, clipped: list[str]) -> str:
    """What the points and bars are: with one replicate there is no interval to draw."""
    counts = table.groupby(list(CONFIGURATION)).size()
    each = span(counts)
    if counts.max() < 2:
        return f"{each} replicate each: no interval (add replicates for one)"
    said = f"{each} replicates each: mean with its 95 % CI (Student's t), replicates faint"
    return said + (f"; CI clipped to {' and '.join(clipped)}" if clipped else "")


def _jobs_text(table) -> str:
    return f"fit time (s), {span(table['jobs_at_once'])} training job(s) at once"


def interval_bars(table, column: str, bounds) -> pd.DataFrame:
    """For each ``x`` of ``table``: the mean of ``column`` and its 95 % interval (Student's t;
    NaN with one replicate) clipped to ``bounds``, what the value can be; ``clipped`` says
    where the interval reached past them."""
    from convlab.stats import mean_interval  # here: scipy and statsmodels take a second

    rows = []
    for value, group in table.groupby("x", sort=True):
        interval = mean_interval(group[column])
        low, high = np.clip([interval.low, interval.high], *bounds)
        clipped = bool(low > interval.low or high < interval.high)
        rows.append(
            {"x": value, "mean": interval.mean, "low": low, "high": high, "clipped": clipped}
        )
    return pd.DataFrame(rows)


def _mean_and_replicates(ax, table, column, style: dict, bounds, connect: bool) -> bool:
    """Each replicate as a faint point, the mean of each x with its clipped interval as bars
    (interval_bars); True if one was clipped. ``style`` gives the label, colour, marker and
    shift (in points, so that series at the same x stay apart on any axis scale)."""
    shift = offset_copy(ax.transData, fig=ax.figure, x=style["shift"], units="points")
    ax.scatter(table["x"], table[column], color=style["color"], alpha=0.3, s=12, transform=shift)
    bars = interval_bars(table, column, bounds)
    errors = np.nan_to_num(np.vstack([bars["mean"] - bars["low"], bars["high"] - bars["mean"]]))
    ax.errorbar(
        bars["x"],
        bars["mean"],
        yerr=errors,
        marker=style["marker"],
        linestyle="-" if connect else "none",
        capsize=3,
        color=style["color"],
        label=style["label"],
        transform=shift,
    )
    # Drawn shifted, so not in data coordinates: the axes' limits are told what they span.
    spans = np.column_stack(
        [np.r_[table["x"], bars["x"], bars["x"]], np.r_[table[column], bars["low"], bars["high"]]]
    )
    ax.update_datalim(spans[np.isfinite(spans).all(axis=1)])
    ax.autoscale_view()
    return bool(bars["clipped"].any())


ACCURACIES = (  # column, and how its series is drawn
    ("train_accuracy", {"label": "train", "color": "tab:blue", "marker": "o", "shift": -6}),
    ("val_accuracy", {"label": "validation", "color": "tab:orange", "marker": "s", "shift": 0}),
    ("test_accuracy", {"label": "test", "color": "tab:green", "marker": "^", "shift": 6}),
)
FIT_TIME = {"label": "fit time", "color": "black", "marker": "o", "shift": 0}


def _axis(values) -> tuple[list, list | None, str]:
    """Where a sweep's values go on the x axis: numbers at themselves, on a linear scale, a
    log scale when they span a factor 100 or more, or symmetric-log when 0 is among them
    (an L1 sweep: linear near 0, logarithmic from the smallest positive value on); names at
    0, 1, 2, ... in the config's order, labelled."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        numbers = np.array(values, dtype=float)
        positive = numbers[numbers > 0]
        if len(positive) < len(numbers) and len(positive):
            return list(numbers), None, "symlog"
        if len(positive) and positive.max() >= 100 * positive.min():
            return list(numbers), None, "log"
        return list(numbers), None, "linear"
    return list(range(len(values))), [str(v) for v in values], "linear"


def sweep_figure(table, values, xlabel: str, varied: str | None):
    """Train, validation and test accuracy (with the dummy's), and fit time, against one
    swept setting or architecture: each replicate as a faint point, the mean with its 95 %
    confidence interval as bars, clipped to what the value can be (accuracy in [0, 1], time
    >= 0). Numbers are joined by lines; names (architectures, optimizers) are categories,
    not joined.

    ``table`` has a ``value`` column: the index of the sweep's value in ``values`` of its
    row; ``varied`` the table's column that the sweep varies (n, l1, arch) if any, left out
    of the title's fixed parameters."""
    positions, labels, scale = _axis(values)
    connect = labels is None
    table = table.assign(x=[positions[i] for i in table["value"]])
    fig = Figure(figsize=(8.5, 7.5))
    top, bottom = fig.subplots(2, 1, sharex=True)
    clipped = []
    for column, style in ACCURACIES:
        if _mean_and_replicates(top, table, column, style, (0.0, 1.0), connect):
            clipped = ["[0, 1]"]
    dummy = table.groupby("x")["dummy_test_accuracy"].mean()
    top.plot(
        dummy.index,
        dummy.values,
        linestyle="--" if connect else "none",
        marker="_",
        markersize=14,
        color="grey",
        label="dummy (test)",
        zorder=3,
    )
    top.set_ylabel("accuracy")
    top.legend(**OUTSIDE)
    if _mean_and_replicates(bottom, table, "fit_seconds", FIT_TIME, (0.0, np.inf), connect):
        clipped.append(">= 0 s")
    bottom.set_ylabel(_jobs_text(table))
    bottom.set_xlabel(xlabel)
    if scale == "symlog":
        bottom.set_xscale("symlog", linthresh=min(v for v in positions if v > 0))
    elif scale == "log":
        bottom.set_xscale("log")
    if labels:
        bottom.set_xticks(positions, labels)
        bottom.set_xlim(-0.5, len(labels) - 0.5)
    else:
        bottom.margins(x=0.08)  # room for the shifted series at both ends
    fixed = _fixed_parameters(table, varied)
    fig.suptitle(f"{fixed}; {_what_is_drawn(table, clipped)}", fontsize=9)
    fig.tight_layout()
    return fig


def save_sweep_plot(table, values, path, xlabel: str, varied: str | None) -> None:
    """``sweep_figure``, saved."""
    fig = sweep_figure(table, values, xlabel, varied)
    fig.savefig(path, dpi=120, bbox_inches="tight")


def save_curves_plot(curves, path, xlabel: str) -> None:
    """Validation accuracy and loss per epoch of every value of a sweep: the mean over its
    replicates as a line, the range of its replicates as a band. ``curves`` is a list of
    (label, [history table of each replicate])."""
    fig = Figure(figsize=(8.5, 7))
    top, bottom = fig.subplots(2, 1, sharex=True)
    for label, histories in curves:
        for ax, metric in ((top, "val_accuracy"), (bottom, "val_loss")):
            longest = max(len(history) for history in histories)
            values = np.full((len(histories), longest), np.nan)
            for row, history in zip(values, histories):
                row[: len(history)] = history[metric]
            epochs = np.arange(1, longest + 1)
            marker = "o" if longest <= SHORT else None
            mean = np.nanmean(values, axis=0)
            (line,) = ax.plot(epochs, mean, marker=marker, markersize=4, label=label)
            if len(histories) > 1:
                low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
                ax.fill_between(epochs, low, high, color=line.get_color(), alpha=0.2)
    counts = [len(histories) for _, histories in curves]
    top.set_ylabel("validation accuracy")
    bottom.set_ylabel("validation loss")
    bottom.set_xlabel("epoch")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    top.legend(title=xlabel, **OUTSIDE)
    band = ": mean, and the range of the replicates as a band" if max(counts) > 1 else ""
    fig.suptitle(f"{span(counts)} replicate(s) each{band}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120, bbox_inches="tight")


def save_confusion_plot(confusion, title: str, path) -> None:
    """A confusion matrix (rows: true class, columns: predicted) as a labelled heatmap."""
    fig = Figure(figsize=(7, 6))
    ax = fig.subplots()
    image = ax.imshow(confusion.to_numpy(), cmap="Blues")
    ax.set_xticks(range(len(confusion.columns)), confusion.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(confusion.index)), confusion.index)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    threshold = confusion.to_numpy().max() / 2
    for (i, j), value in np.ndenumerate(confusion.to_numpy()):
        ax.text(
            j,
            i,
            str(value),
            ha="center",
            va="center",
            fontsize=7,
            color="white" if value > threshold else "black",
        )
    fig.colorbar(image, ax=ax)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
