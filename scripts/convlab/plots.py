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


def save_sweep_plot(table, x: str, path, xlabel: str) -> None:
    """Train, validation and test accuracy, and fit time, against one swept parameter:
    each replicate as a faint point, the mean with its 95 % confidence interval as bars.

    An L1 sweep includes a weight of 0, so its axis is symmetric-log: linear near 0 and
    logarithmic from the smallest positive weight on.
    """
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7.5), sharex=True)
    for (column, label), color in zip(
        (("train_accuracy", "train"), ("val_accuracy", "validation"), ("test_accuracy", "test")),
        ("tab:blue", "tab:orange", "tab:green"),
    ):
        _mean_and_replicates(top, table, x, column, label, color)
    dummy = table.groupby(x)["dummy_test_accuracy"].mean()
    top.plot(dummy.index, dummy.values, linestyle=":", color="grey", label="dummy (test)")
    top.set_ylabel("accuracy")
    top.legend()
    _mean_and_replicates(bottom, table, x, "fit_seconds", "fit time", "black")
    bottom.set_ylabel(_jobs_text(table))
    bottom.set_xlabel(xlabel)
    positive = table.loc[table[x] > 0, x]
    if x == "l1" and len(positive):
        bottom.set_xscale("symlog", linthresh=positive.min())
    fig.suptitle(_fixed_parameters(table, x), fontsize=9)
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
