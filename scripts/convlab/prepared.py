"""The prepared data file that every run reads, and the record of what it holds.

``results/data/cifar10.npz`` holds four arrays; ``cifar10.content.json`` beside it holds a
sha256 of those arrays (names, types, shapes and bytes) and their sizes. That record is a
training job's input: any change to the prepared content, whatever its cause (other data,
``cifar10.seed``, a fix to a decoder), retrains every run, and the same content prepared
again, from any path, retrains none.
"""

import hashlib
import zipfile
from pathlib import Path

import numpy as np

ARRAYS = ("x_train", "y_train", "x_test", "y_test")  # in the prepared file


def save_npz(path, x_train, y_train, x_test, y_test) -> None:
    np.savez(path, **dict(zip(ARRAYS, (x_train, y_train, x_test, y_test))))


def load_npz(path):
    """(x_train, y_train), (x_test, y_test): uint8 images and int64 labels."""
    with np.load(path) as data:
        x_train, y_train, x_test, y_test = (data[name] for name in ARRAYS)
    return (x_train, y_train), (x_test, y_test)


def content_record(x_train, y_train, x_test, y_test) -> dict:
    """What the prepared file holds: a sha256 of the arrays and the number of images."""
    digest = hashlib.sha256()
    for name, array in zip(ARRAYS, (x_train, y_train, x_test, y_test)):
        array = np.ascontiguousarray(array)
        digest.update(f"{name} {array.dtype.str} {array.shape}\n".encode())
        digest.update(memoryview(array).cast("B"))
    return {
        "sha256": digest.hexdigest(),
        "train_images": len(y_train),
        "test_images": len(y_test),
    }


def prepared_damage(path, expected_bytes: int | None = None) -> str | None:
    """Why the prepared file cannot be read (truncated, not an .npz, an array missing), or
    None when it can. Reads its size and its zip directory only: milliseconds."""
    size = Path(path).stat().st_size
    if expected_bytes is not None and size != expected_bytes:
        return f"{size:,} bytes where {expected_bytes:,} were written"
    try:
        with zipfile.ZipFile(path) as archive:
            missing = [name for name in ARRAYS if f"{name}.npy" not in archive.namelist()]
    except (zipfile.BadZipFile, OSError) as error:
        return f"not a readable .npz file: {error}"
    return f"it lacks {', '.join(missing)}" if missing else None
