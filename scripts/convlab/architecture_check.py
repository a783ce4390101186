"""Check the configured architectures, optimizer and loss against Keras before any job runs.

Each layer type must exist in ``keras.layers`` and accept the options given; each net is
built on CIFAR-10's image shape (32x32 RGB) and must end in a flat vector for the classifier head;
the optimizer and the loss must be ones Keras knows, and the loss must score one-hot labels
against the head's softmax. Every mistake is one line naming the config key.

Importing Keras takes seconds, so the workflow runs this in a subprocess (with the GPU
hidden, so that the planning process never holds GPU memory) only when what it checks has
changed since it last passed: ``passed_before`` and ``remember_passed`` keep the content
keys of checks that passed in a small cache file.

    python -m convlab.architecture_check < check.json    # prints the error line, exits 1
"""

import difflib
import hashlib
import inspect
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from convlab.cifar10 import IMAGE_SHAPE
from convlab.config import ConfigError

CHECKED_CODE = Path(__file__).parent / "models.py"


def check_once(config: dict, cache: Path) -> str | None:
    """The check's error line, or None when it passes; Keras is imported, in a subprocess,
    only when the key of what is checked is not in ``cache``. A check that cannot run here
    (Keras not installed where Snakemake runs) says so on stderr and lets the jobs run."""
    checked = check_input(config)
    key = check_key(checked)
    if passed_before(cache, key):
        return None
    env = {
        **os.environ,
        "CUDA_VISIBLE_DEVICES": "-1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(Path(__file__).parent.parent), os.environ.get("PYTHONPATH")])
        ),
    }
    result = subprocess.run(
        [sys.executable, "-m", "convlab.architecture_check"],
        input=json.dumps(checked),
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode == 0:
        remember_passed(cache, key)
        return None
    if result.returncode == 1 and result.stdout.strip():
        return result.stdout.strip().splitlines()[-1]
    last = (result.stderr.strip().splitlines() or ["no output"])[-1]
    print(
        f"Note: the architectures were not checked before the jobs ({last}); a mistake in "
        "them shows in the first training job",
        file=sys.stderr,
    )
    return None


def check_input(config: dict) -> dict:
    """What the check reads from the config (and nothing else)."""
    return {
        "architectures": config["architectures"],
        "optimizer": config["training"]["optimizer"],
        "loss": config["training"]["loss"],
        "classes": len(config["cifar10"]["classes"]),
    }


def check_key(checked: dict) -> str:
    """A key for one check: its input, the code that builds the models and Keras' version."""
    content = json.dumps(
        [checked, CHECKED_CODE.read_text(encoding="utf-8"), _version("keras")], sort_keys=True
    )
    return hashlib.sha256(content.encode()).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def passed_before(cache: Path, key: str) -> bool:
    try:
        return key in cache.read_text(encoding="utf-8").split()
    except OSError:
        return False


def remember_passed(cache: Path, key: str, keep: int = 20) -> None:
    """Add a key to the cache file (the last ``keep`` kept); a cache that cannot be written
    only means checking again next time."""
    try:
        keys = cache.read_text(encoding="utf-8").split() if cache.exists() else []
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text("\n".join([*keys[-(keep - 1) :], key]) + "\n", encoding="utf-8")
    except OSError:
        pass


def check(checked: dict) -> None:
    """Raise ConfigError, one line naming the config key, at the first mistake."""
    import keras

    for arch, layers in checked["architectures"].items():
        outputs = keras.Input(shape=IMAGE_SHAPE)
        for index, spec in enumerate(layers):
            ((kind, options),) = spec.items()
            where = f"architectures.{arch}.{index}"
            layer = _layer(keras, where, kind, options)
            try:
                outputs = layer(outputs)
            except Exception as error:
                raise ConfigError(f"config key {where}.{kind}: {_first_line(error)}") from None
        shape = outputs.shape
        if len(shape) != 2:
            raise ConfigError(
                f"config key architectures.{arch}: the last layer gives outputs of shape "
                f"{tuple(shape[1:])}, but the classifier head needs a flat vector; end the "
                "list with Flatten: {} (or a global pooling layer)"
            )
    _optimizer(keras, checked["optimizer"])
    _loss(keras, checked["loss"], checked["classes"])


def _layer(keras, where: str, kind: str, options: dict | None):
    """The layer ``keras.layers.<kind>(**options)``, or a ConfigError naming what is wrong."""
    options = options or {}
    cls = getattr(keras.layers, kind, None)
    if not (inspect.isclass(cls) and issubclass(cls, keras.layers.Layer)):
        layers = [name for name in dir(keras.layers) if name[0].isupper()]
        close = difflib.get_close_matches(kind, layers, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ConfigError(f"config key {where}: {kind} is not a layer of keras.layers{hint}")
    accepted = _options(cls)
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise ConfigError(
            f"config key {where}.{kind}: {', '.join(unknown)} is not an option of {kind}; "
            f"it accepts: {', '.join(sorted(accepted))}"
        )
    required = _required(cls) - set(options)
    if required:
        raise ConfigError(f"config key {where}.{kind}: {kind} needs {', '.join(sorted(required))}")
    try:
        return cls(**options)
    except Exception as error:
        raise ConfigError(f"config key {where}.{kind}: {_first_line(error)}") from None


def _options(cls) -> set:
    """Keyword options of a layer class: those of its __init__ and of every base class's
    __init__ that it passes **kwargs on to, down to keras.layers.Layer."""
    accepted = set()
    for base in cls.__mro__:
        if "__init__" not in vars(base):
            continue
        accepted |= {p.name for p in _named_parameters(base.__init__)}
        if not any(
            p.kind == p.VAR_KEYWORD for p in inspect.signature(base.__init__).parameters.values()
        ):
            break
    return accepted


def _required(cls) -> set:
    return {p.name for p in _named_parameters(cls.__init__) if p.default is p.empty}


def _named_parameters(function) -> list:
    """A method's parameters that are passed by name: not self, *args or **kwargs."""
    return [
        p
        for p in inspect.signature(function).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _optimizer(keras, name: str) -> None:
    if not _known(keras.optimizers.get, name):
        known = sorted(
            candidate.lower()
            for candidate in dir(keras.optimizers)
            if candidate[0].isupper() and _known(keras.optimizers.get, candidate.lower())
        )
        raise ConfigError(
            f"config key training.optimizer: {name!r} is not a Keras optimizer; expected one "
            f"of: {', '.join(known)}"
        )


def _loss(keras, name: str, classes: int) -> None:
    import numpy as np

    try:
        loss = keras.losses.get(name)
    except Exception:
        raise ConfigError(
            f"config key training.loss: {name!r} is not a Keras loss; for the one-hot labels "
            "that every run trains on, categorical_crossentropy is the usual one"
        ) from None
    labels = np.eye(classes, dtype="float32")[[0, 1]]
    try:
        loss(labels, np.full((2, classes), 1 / classes, dtype="float32"))
    except Exception as error:
        raise ConfigError(
            f"config key training.loss: {name} cannot score one-hot labels against the "
            f"softmax head ({_first_line(error)}); use a loss for one-hot labels, such as "
            "categorical_crossentropy"
        ) from None


def _known(get, name: str) -> bool:
    try:
        get(name)
        return True
    except Exception:
        return False


def _first_line(error: Exception) -> str:
    """The line of a Keras error that says what is wrong (not the ones around it that say
    where, or repeat the call's arguments), without terminal colour codes."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    framing = ("Exception encountered when", "Arguments received", "•")
    lines = [line for line in lines if not line.startswith(framing)]
    return lines[0] if lines else type(error).__name__


def main() -> int:
    try:
        check(json.load(sys.stdin))
    except ConfigError as error:
        print(error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
