"""Figures of the workflow, drawn with matplotlib's non-interactive backend."""

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402


def save_heatmap(matrix, path, cmap: str) -> None:
    """A heatmap with no axes, as the seed's Figures 3 and 4."""
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(matrix, cmap=cmap, interpolation="nearest")
    ax.set_axis_off()
    fig.savefig(path, bbox_inches="tight", dpi=150)
    plt.close(fig)


def save_history_plot(history, caption: str, path) -> None:
    """Accuracy and loss per epoch, train and validation, with ``caption`` in the corner.

    ``history`` is a table with the columns Keras records: accuracy, val_accuracy, loss,
    val_loss, one row per epoch. As in the seed, the loss includes the L1 penalty.
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
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(0.01, 0.015, caption, fontsize=9)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def history_caption(metrics: dict) -> str:
    """The run's parameters, fit time and test accuracy, as the seed wrote in its corner."""
    return (
        f"{metrics['arch']}; n = {metrics['n']}; L1 = {metrics['l1']:g}; "
        f"{metrics['epochs']} epochs; fit {metrics['fit_seconds']:.1f} s on {metrics['device']}; "
        f"test accuracy {metrics['test_accuracy']:.3f} (dummy {metrics['dummy_test_accuracy']:.3f})"
    )


def save_sweep_plot(table, x: str, path, xlabel: str) -> None:
    """Train, validation and test accuracy, and fit time, against one swept parameter.

    An L1 sweep includes a weight of 0, so its axis is symmetric-log: linear near 0 and
    logarithmic from the smallest positive weight on.
    """
    table = table.sort_values(x)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
    for column, label in (("train_accuracy", "train"), ("val_accuracy", "validation"),
                          ("test_accuracy", "test")):
        top.plot(table[x], table[column], marker="o", label=label)
    top.plot(table[x], table["dummy_test_accuracy"], linestyle=":", color="grey", label="dummy (test)")
    top.set_ylabel("accuracy")
    top.legend()
    bottom.plot(table[x], table["fit_seconds"], marker="o", color="black")
    bottom.set_ylabel("fit time (s)")
    bottom.set_xlabel(xlabel)
    positive = table.loc[table[x] > 0, x]
    if x == "l1" and len(positive):
        bottom.set_xscale("symlog", linthresh=positive.min())
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_architectures_plot(table, path) -> None:
    """Test accuracy and fit time of each architecture, side by side."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
    left.bar(table["arch"], table["test_accuracy"], color="tab:blue")
    left.axhline(table["dummy_test_accuracy"].max(), linestyle=":", color="grey", label="dummy")
    left.set_ylabel("test accuracy")
    left.legend()
    right.bar(table["arch"], table["fit_seconds"], color="tab:orange")
    right.set_ylabel("fit time (s)")
    first = table.iloc[0]
    fig.suptitle(f"n = {first['n']}, L1 = {first['l1']:g}, {first['epochs']} epochs")
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
        ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                color="white" if value > threshold else "black")
    fig.colorbar(image, ax=ax)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
