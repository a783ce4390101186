"""What defines a run, written into its folder (``run.json``), so that a folder copied
elsewhere still says what it is: the run, the layers, the training settings, the content of
the data it was trained on, the code, the key of its training state, where each stretch of
its epochs was trained, and the library versions."""

import json
import sys
from importlib import metadata
from pathlib import Path

from convlab.backends import versions
from convlab.files import file_digest

PACKAGES = ("keras", "numpy", "scikit-learn", "pandas")


def run_record(
    identity: dict, layers, settings: dict, data_content_path, code_files, key: str, segments
) -> dict:
    """``identity`` holds arch, n, l1, epochs and seed; ``settings`` the training settings
    (batch size, validation split, optimizer, loss, classes); ``segments`` the device,
    threads and host of each job that trained some of its epochs (convlab.checkpoints)."""
    return {
        "run": identity,
        "layers": layers,
        "settings": settings,
        "data": json.loads(Path(data_content_path).read_text(encoding="utf-8")),
        "code": {str(path): file_digest(path) for path in code_files},
        "state_key": key,
        "segments": segments,
        "versions": {
            "python": sys.version.split()[0],
            **{package: metadata.version(package) for package in PACKAGES},
            **versions(),  # the Keras backends installed
        },
    }
