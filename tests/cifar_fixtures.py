"""Tiny CIFAR-10 look-alikes (convlab.lookalikes) in every layout the workflow reads."""

import pickle
import tarfile
from pathlib import Path

from convlab.lookalikes import CLASSES, make_split, write_image_tree

__all__ = ["CLASSES", "make_split", "write_image_tree", "write_batches", "tar_folder"]


def write_batches(root: Path, per_batch_per_class=2, test_per_class=3) -> Path:
    """The official layout: data_batch_1..5 and test_batch, pickled dicts of bytes keys."""
    root.mkdir(parents=True, exist_ok=True)
    for name, per_class, seed in [
        (f"data_batch_{i}", per_batch_per_class, i) for i in range(1, 6)
    ] + [("test_batch", test_per_class, 9)]:
        images, labels = make_split(per_class, seed)
        rows = images.transpose(0, 3, 1, 2).reshape(len(images), -1)
        with open(root / name, "wb") as file:
            pickle.dump({b"data": rows, b"labels": labels.tolist()}, file)
    return root


def tar_folder(folder: Path, archive: Path, arcname: str) -> Path:
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname=arcname)
    return archive


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2:
        sys.exit(
            "usage: python tests/cifar_fixtures.py FOLDER  (writes a tiny CIFAR-10 image tree)"
        )
    print(write_image_tree(Path(sys.argv[1])))
