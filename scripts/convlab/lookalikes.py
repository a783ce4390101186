"""Tiny CIFAR-10 look-alikes, made on the spot: what the first run (scripts/tiny_run.py) and
the tests train on, where the real CIFAR-10 is not needed."""

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
    """A tree of images ``train/<class>/*.png`` and ``test/<class>/*.png`` under ``root``."""
    for split, per_class, seed in (("train", train_per_class, 1), ("test", test_per_class, 2)):
        images, labels = make_split(per_class, seed)
        for i, (image, label) in enumerate(zip(images, labels)):
            folder = root / split / CLASSES[label]
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(image).save(folder / f"{i:04d}{suffix}")
    return root
