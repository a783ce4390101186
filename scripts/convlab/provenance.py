"""What defines a run, written into its folder (``run.json``), so that a folder copied
elsewhere still says what it is: the run, the layers, the training settings, the data it
was trained on, the code and the library versions."""

import hashlib
import json
import platform
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ("tensorflow", "keras", "numpy", "scikit-learn", "pandas")


def run_record(
    identity: dict, layers, settings: dict, data_record_path, code_files, threads: int, device: str
) -> dict:
    """``identity`` holds arch, n, l1, epochs and seed; ``settings`` the training settings
    (batch size, validation split, optimizer, loss, classes)."""
    return {
        "run": identity,
        "layers": layers,
        "settings": settings,
        "data": json.loads(Path(data_record_path).read_text(encoding="utf-8")),
        "code": {str(path): _sha256(path) for path in code_files},
        "trained_on": {"device": device, "threads": threads, "host": platform.node()},
        "versions": {
            "python": sys.version.split()[0],
            **{package: metadata.version(package) for package in PACKAGES},
        },
    }


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
