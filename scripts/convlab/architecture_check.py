"""Check the configured architectures, optimizer and loss against Keras before any job runs.

Each layer type must exist in ``keras.layers`` and accept the options given; each net is
built on CIFAR-10's image shape (32x32 RGB) and must end in a flat vector for the classifier head;
the optimizer and the loss must be ones Keras knows, and the loss must score one-hot labels
against the head's softmax. Every mistake is one line naming the config key.

The check also writes each layer in one canonical spelling: the options in which it differs
from the same layer built with its required options only, as Keras writes them in the
layer's config (``kernel_size: 3`` and ``[3, 3]`` are one layer, an option given at its
default value is no option, the order of options is no matter). Runs are identified by, and
built from, those canonical layers, so the same net written differently is the same run.

Importing Keras takes seconds, so the workflow runs this in a subprocess (with the GPU
hidden, so that the planning process never holds GPU memory) only when what it checks has
changed since it last passed: ``passed_before`` and ``remember_passed`` keep the content
keys of checks that passed, with their canonical layers, in a small cache file.

    python -m convlab.architecture_check < check.json

prints the canonical layers as JSON, or the error line and exits 1.
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
from convlab.imports import library_closure
from convlab.optimizers import optimizer_parts

# The code whose change can change what the check says: itself and every module it imports,
# directly or not (the models it builds, the optimizer's spelling, ...).
CHECKED_CODE = (
    Path(__file__),
    *library_closure(Path(__file__), Path(__file__).parent, frozenset()),
)


def check_once(nets: dict, cache: Path) -> tuple[str | None, dict]:
    """The check's error line (None when it passes) and the shape of every net in ``nets``
    ({label: {"where": its config key, "layers", "training", "classes"}}, see
    convlab.studies): {label: {"layers": canonical layers, "settings": canonical settings}}.
    Keras is imported, in a subprocess, only when the key of what is checked is not in
    ``cache``. A check that cannot run here (Keras not installed where Snakemake plans, as on
    many login nodes) is an error line too: a name made without Keras would differ from the
    one a machine with Keras makes, and the run would be trained twice."""
    key = check_key(nets)
    if (shapes := passed_before(cache, key)) is not None:
        return None, shapes
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
        input=json.dumps(nets),
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode == 0:
        shapes = json.loads(result.stdout.strip().splitlines()[-1])
        remember_passed(cache, key, shapes)
        return None, shapes
    if result.returncode == 1 and result.stdout.strip():
        return result.stdout.strip().splitlines()[-1], {}
    last = (result.stderr.strip().splitlines() or ["no output"])[-1]
    return (
        f"the architectures cannot be checked and named here, Keras does not start ({last}): "
        "every run is named by its nets as Keras writes them, so plan where the project's "
        "requirements are installed (pip install -r requirements.txt), or once with this "
        f"config on such a machine that shares {cache} (its record is used here)"
    ), {}


def _settings(net: dict, optimizer: dict) -> dict:
    """The training settings of a shape: those of the net, its optimizer canonical."""
    return {**net["training"], "optimizer": optimizer, "classes": net["classes"]}


def check_key(checked: dict) -> str:
    """A key for one check: its input, the code that builds the models and Keras' version."""
    code = [path.read_text(encoding="utf-8") for path in CHECKED_CODE]
    content = json.dumps([checked, code, _version("keras")], sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def check_colormap(name: str, passed: Path) -> None:
    """The colour map must be one that matplotlib has. Importing matplotlib takes a fifth
    of a second of every plan, so a name found once is remembered in the cache file
    ``passed`` with matplotlib's version, and asked again only when either changes."""
    key = f"{name} (matplotlib {_version('matplotlib')})"
    if passed_before(passed, key):
        return
    import matplotlib

    if name not in matplotlib.colormaps:
        raise ConfigError(f"config key conv.colormap: {name!r} is not a matplotlib colour map")
    remember_passed(passed, key, True)


def passed_before(cache: Path, key: str) -> dict | None:
    """The canonical layers of a check that passed with this key before, or None."""
    try:
        return json.loads(cache.read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError, AttributeError):
        return None


def remember_passed(cache: Path, key: str, canonical: dict, keep: int = 20) -> None:
    """Add a check that passed to the cache file (the last ``keep`` kept); a cache that
    cannot be written only means checking again next time."""
    try:
        passed = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    except (OSError, ValueError):
        passed = {}
    if not isinstance(passed, dict):
        passed = {}
    passed.pop(key, None)
    passed[key] = canonical
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(dict(list(passed.items())[-keep:])), encoding="utf-8")
    except OSError:
        pass


def check(nets: dict) -> dict:
    """The shape of every net (see check_once); a ConfigError, one line naming the config
    key, at the first mistake."""
    import keras

    return {label: _shape(keras, net) for label, net in nets.items()}


def _shape(keras, net: dict) -> dict:
    outputs = keras.Input(shape=IMAGE_SHAPE)
    layers = []
    for index, spec in enumerate(net["layers"]):
        ((kind, options),) = spec.items()
        where = f"{net['where']['layers']}.{index}"
        layer = _layer(keras, where, kind, options)
        try:
            outputs = layer(outputs)
        except Exception as error:
            raise ConfigError(f"config key {where}.{kind}: {_first_line(error)}") from None
        layers.append({kind: canonical_options(type(layer), options or {}, layer)})
    if len(outputs.shape) != 2:
        raise ConfigError(
            f"config key {net['where']['layers']}: the last layer gives outputs of shape "
            f"{tuple(outputs.shape[1:])}, but the classifier head needs a flat vector; end "
            "the list with Flatten: {} (or a global pooling layer)"
        )
    settings, where = net["training"], net["where"]["training"]
    optimizer = _optimizer(keras, f"{where}.optimizer", settings["optimizer"])
    _loss(keras, f"{where}.loss", settings["loss"], len(net["classes"]))
    return {"layers": layers, "settings": _settings(net, optimizer)}


def canonical_options(cls, options: dict, layer) -> dict:
    """The options by which ``layer`` differs from ``cls`` built with its required options
    alone, valued as in Keras' config of it, in sorted order. Where these would not build the
    same layer again (a layer whose config does not round-trip), the options as written."""
    try:
        required = {name: options[name] for name in _required(cls)}
        full, default = _plain(layer.get_config()), _plain(cls(**required).get_config())
        canonical = {
            name: full[name]
            for name in sorted(full)
            if name != "name" and (name in required or full[name] != default.get(name))
        }
        same = _plain(cls(**canonical).get_config()) | {"name": full["name"]} == full
    except Exception:  # a layer that cannot be built from its config alone
        same = False
    return canonical if same else dict(sorted(options.items()))


def _plain(value):
    """A layer config as JSON would give it back: tuples as lists."""
    return json.loads(json.dumps(value, default=str))


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


def _optimizer(keras, where: str, optimizer) -> dict:
    """The optimizer as ``{ClassName: options}``, its options those that differ from the
    optimizer built without any (as in its config, floats at the precision Keras keeps), or a
    ConfigError naming what is wrong."""
    name, options = optimizer_parts(optimizer)
    if not _known(keras.optimizers.get, name):
        known = sorted(
            candidate.lower()
            for candidate in dir(keras.optimizers)
            if candidate[0].isupper() and _known(keras.optimizers.get, candidate.lower())
        )
        raise ConfigError(
            f"config key {where}: {name!r} is not a Keras optimizer; expected one "
            f"of: {', '.join(known)}"
        )
    cls = type(keras.optimizers.get(name))
    accepted = _options(cls) - {"name"}
    if unknown := sorted(set(options) - accepted):
        raise ConfigError(
            f"config key {where}: {', '.join(unknown)} is not an option of {cls.__name__}; "
            f"it accepts: {', '.join(sorted(accepted))}"
        )
    try:
        full = _float32(cls(**options).get_config())
        default = _float32(cls().get_config())
    except Exception as error:
        raise ConfigError(f"config key {where}: {_first_line(error)}") from None
    canonical = {
        key: full[key] for key in sorted(full) if key != "name" and full[key] != default.get(key)
    }
    try:
        same = _float32(cls(**canonical).get_config()) | {"name": full["name"]} == full
    except Exception:
        same = False
    return {cls.__name__: canonical if same else dict(sorted(options.items()))}


def _float32(config: dict) -> dict:
    """An optimizer's config with each float as its shortest float32 spelling (Keras keeps
    the learning rate in float32: 0.01 comes back as 0.009999999776482582)."""
    import numpy as np

    return {
        key: float(np.format_float_positional(np.float32(value), unique=True, trim="-"))
        if isinstance(value, float)
        else value
        for key, value in _plain(config).items()
    }


def _loss(keras, where: str, name: str, classes: int) -> None:
    import numpy as np

    try:
        loss = keras.losses.get(name)
    except Exception:
        raise ConfigError(
            f"config key {where}: {name!r} is not a Keras loss; for the one-hot labels "
            "that every run trains on, categorical_crossentropy is the usual one"
        ) from None
    labels = np.eye(classes, dtype="float32")[[0, 1]]
    try:
        loss(labels, np.full((2, classes), 1 / classes, dtype="float32"))
    except Exception as error:
        raise ConfigError(
            f"config key {where}: {name} cannot score one-hot labels against the "
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
        canonical = check(json.load(sys.stdin))
    except ConfigError as error:
        print(error)
        return 1
    print(json.dumps(canonical))
    return 0


if __name__ == "__main__":
    sys.exit(main())
