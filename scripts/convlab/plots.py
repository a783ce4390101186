"""Figures of the workflow, drawn with matplotlib's non-interactive backend."""

import matplotlib

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
