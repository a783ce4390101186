"""Test accuracy per class of one configuration, from the confusion matrices its replicates
saved (rows: true class, columns: predicted): no run trains for it."""

import pandas as pd
from matplotlib.figure import Figure


def class_accuracy(confusions: dict) -> pd.DataFrame:
    """{seed: confusion matrix} -> one row per class, one column per seed: the share of that
    class's test images the replicate classified right."""
    return pd.DataFrame(
        {
            seed: pd.Series(m.to_numpy().diagonal(), m.index) / m.sum(axis=1)
            for seed, m in confusions.items()
        }
    )


def save_classes_plot(accuracy: pd.DataFrame, title: str, path) -> None:
    """Each class's mean over the replicates as a bar, each replicate a point on it."""
    fig = Figure(figsize=(8, 4.5))
    ax = fig.subplots()
    positions = range(len(accuracy.index))
    ax.bar(positions, accuracy.mean(axis=1), color="lightsteelblue", label="mean of replicates")
    for seed in accuracy.columns:
        ax.plot(positions, accuracy[seed], "o", ms=4, alpha=0.7, label=f"seed {seed}")
    ax.set_xticks(positions, accuracy.index, rotation=45, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("test accuracy of the class")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
