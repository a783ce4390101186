"""Figures of the workflow, drawn with matplotlib's non-interactive backend."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save_heatmap(matrix, path, cmap: str) -> None:
    """A heatmap with no axes, as the seed's Figures 3 and 4."""
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(matrix, cmap=cmap, interpolation="nearest")
    ax.set_axis_off()
    fig.savefig(path, bbox_inches="tight", dpi=150)
    plt.close(fig)
