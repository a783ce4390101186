"""Figures of the workflow, drawn with matplotlib's non-interactive backend."""

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from convlab.experiments import span  # noqa: E402
from convlab.runs import CONFIGURATION  # noqa: E402
from convlab.stats import mean_interval  # noqa: E402


def save_heatmap(matrix, path, cmap: str) -> None:
    """A heatmap with no axes, as the assignment's Figures 3 and 4."""
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(matrix, cmap=cmap, interpolation="nearest")
    ax.set_axis_off()
    fig.savefig(path, bbox_inches="tight", dpi=150)
    plt.close(fig)


def save_history_plot(history, caption: str, path) -> None:
    """Accuracy and loss per epoch, train and validation, with ``caption`` in the corner.

    ``history`` is a table with the columns Keras records: accuracy, val_accuracy, loss,
    val_loss, one row per epoch. As in the assignment, the loss includes the L1 penalty.
    """
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
    epochs = range(1, len(history) + 1)
    for ax, metric in ((top, "accuracy"), (bottom, "loss")):
        ax.plot(epochs, history[metric], label="train")
        ax.plot(epochs, history[f"val_{metric}"], label="val")
        ax.set_title(f"model {metric}")
        ax.set_ylabel(metric)
        ax.legend(loc="upper left")
    bottom.set_xlabel("epoch")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.text(0.01, 0.012, caption, fontsize=9)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def history_caption(metrics: dict) -> str:
    """The run's parameters, fit time and test accuracy, as the assignment wrote in its corner.
    The fit time is the whole training's; a run that continued from a saved state says from
    which epoch."""
    resumed = metrics.get("resumed_from_epoch", 0)
    continued = f", continued from epoch {resumed}" if resumed else ""
    return (
        f"{metrics['arch']}; n = {metrics['n']}; L1 = {metrics['l1']:g}; "
        f"{metrics['epochs']} epochs; seed {metrics['seed']}\n"
        f"fit {metrics['fit_seconds']:.1f} s on {metrics['device']}{continued}; "
        f"test accuracy {metrics['test_accuracy']:.3f} (dummy {metrics['dummy_test_accuracy']:.3f})"
    )


def _fixed_parameters(table, varied: str) -> str:
    """The parameters every row of ``table`` shares, but ``varied``, as the title says them."""
    parts = []
    for column, say in (
        ("arch", "{}"),
        ("n", "n = {}"),
        ("l1", "L1 = {:g}"),
        ("epochs", "{} epochs"),
    ):
        values = table[column].unique()
        if column != varied and len(values) == 1:
            parts.append(say.format(values[0]))
    each = span(table.groupby(list(CONFIGURATION)).size())
    return ", ".join(parts) + f"; {each} replicate(s) each: mean, 95 % CI, and each replicate"


def _jobs_text(table) -> str:
    return f"fit time (s), {span(table['jobs_at_once'])} training job(s) at once"


def _mean_and_replicates(ax, table, x: str, column: str, label: str, color, offset=0.0) -> None:
    """Each replicate as a faint point; the mean of each x with its 95 % interval as bars."""
    ax.scatter(table[x] + offset, table[column], color=color, alpha=0.3, s=12)
    means = []
    for value, group in table.groupby(x, sort=True):
        interval = mean_interval(group[column])
        means.append(
            (value, interval.mean, interval.mean - interval.low, interval.high - interval.mean)
        )
    xs, ys, below, above = (np.array(v, dtype=float) for v in zip(*means))
    errors = np.nan_to_num(np.vstack([below, above]))
    ax.errorbar(xs + offset, ys, yerr=errors, marker="o", capsize=3, color=color, label=label)


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


def save_sweep_plot(table, values, path, xlabel: str, varied: str | None) -> None:
    """Train, validation and test accuracy, and fit time, against one swept setting: each
    replicate as a faint point, the mean with its 95 % confidence interval as bars.

    ``table`` has a ``value`` column: the index of the sweep's value in ``values`` of its
    row; ``varied`` the table's column that the sweep varies (n, l1) if any, left out of the
    title's fixed parameters."""
    positions, labels, scale = _axis(values)
    table = table.assign(x=[positions[i] for i in table["value"]])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7.5), sharex=True)
    for (column, label), color in zip(
        (("train_accuracy", "train"), ("val_accuracy", "validation"), ("test_accuracy", "test")),
        ("tab:blue", "tab:orange", "tab:green"),
    ):
        _mean_and_replicates(top, table, "x", column, label, color)
    dummy = table.groupby("x")["dummy_test_accuracy"].mean()
    top.plot(dummy.index, dummy.values, linestyle=":", color="grey", label="dummy (test)")
    top.set_ylabel("accuracy")
    top.legend()
    _mean_and_replicates(bottom, table, "x", "fit_seconds", "fit time", "black")
    bottom.set_ylabel(_jobs_text(table))
    bottom.set_xlabel(xlabel)
    if scale == "symlog":
        bottom.set_xscale("symlog", linthresh=min(v for v in positions if v > 0))
    elif scale == "log":
        bottom.set_xscale("log")
    if labels:
        bottom.set_xticks(positions, labels)
    fig.suptitle(_fixed_parameters(table, varied), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_curves_plot(curves, path, xlabel: str) -> None:
    """Validation accuracy and loss per epoch of every value of a sweep: the mean over its
    replicates as a line, the range of its replicates as a band. ``curves`` is a list of
    (label, [history table of each replicate])."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
    for label, histories in curves:
        for ax, metric in ((top, "val_accuracy"), (bottom, "val_loss")):
            longest = max(len(history) for history in histories)
            values = np.full((len(histories), longest), np.nan)
            for row, history in zip(values, histories):
                row[: len(history)] = history[metric]
            epochs = np.arange(1, longest + 1)
            (line,) = ax.plot(epochs, np.nanmean(values, axis=0), marker=".", label=label)
            if len(histories) > 1:
                low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
                ax.fill_between(epochs, low, high, color=line.get_color(), alpha=0.2)
    replicates = span(len(histories) for _, histories in curves)
    top.set_ylabel("validation accuracy")
    bottom.set_ylabel("validation loss")
    bottom.set_xlabel("epoch")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    top.legend(title=xlabel, fontsize=8)
    fig.suptitle(
        f"{replicates} replicate(s) each: mean, and the range of the replicates as a band",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_architectures_plot(table, path) -> None:
    """Test accuracy and fit time of each architecture side by side: each replicate as a
    faint point, the mean with its 95 % confidence interval as bars."""
    table = table.assign(
        position=table["arch"].map({a: i for i, a in enumerate(table["arch"].unique())})
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.5))
    _mean_and_replicates(left, table, "position", "test_accuracy", "test", "tab:blue")
    left.axhline(table["dummy_test_accuracy"].max(), linestyle=":", color="grey", label="dummy")
    left.set_ylabel("test accuracy")
    left.legend()
    _mean_and_replicates(right, table, "position", "fit_seconds", "fit time", "tab:orange")
    right.set_ylabel(_jobs_text(table))
    for ax in (left, right):
        ax.set_xticks(range(table["position"].max() + 1), table["arch"].unique())
        ax.set_xlim(-0.5, table["position"].max() + 0.5)
    fig.suptitle(_fixed_parameters(table, "arch"), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_confusion_plot(confusion, title: str, path) -> None:
    """A confusion matrix (rows: true class, columns: predicted) as a labelled heatmap."""
    fig, ax = plt.subplots(figsize=(7, 6))
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
    plt.close(fig)
