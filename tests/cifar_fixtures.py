"""Tiny CIFAR-10 look-alikes in every layout the workflow reads, made on the spot."""

import pickle
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def make_split(per_class: int, seed: int):
    """Images whose mean brightness and dominant colour channel depend on the class,
    so a small net can learn something from them; labels cycle through the classes."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(CLASSES)), per_class)
    images = rng.integers(0, 64, (len(labels), 32, 32, 3), dtype=np.uint8)
    for i, label in enumerate(labels):
        images[i, :, :, label % 3] += np.uint8(40 + 18 * label)
    return images, labels


def write_image_tree(root: Path, train_per_class=20, test_per_class=5, suffix=".png") -> Path:
    for split, per_class, seed in (("train", train_per_class, 1), ("test", test_per_class, 2)):
        images, labels = make_split(per_class, seed)
        for i, (image, label) in enumerate(zip(images, labels)):
            folder = root / split / CLASSES[label]
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(image).save(folder / f"{i:04d}{suffix}")
    return root


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
