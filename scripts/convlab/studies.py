"""Sweeps over any setting, and the shape of each net that runs are built from and named by.

Besides the assignment's sweeps (n, l1, deep), ``sweeps.<name>: {setting, values}`` trains
the default run once per value of one setting, a dotted path into the config:

- ``training.batch_size``, ``training.validation_split``, ``training.loss``,
  ``training.optimizer`` (an optimizer's name);
- ``training.optimizer.<option>``: one option of the configured optimizer (``learning_rate``);
- ``architectures.<arch>.<Layer>.<option>``: that option of every ``<Layer>`` in the
  architecture's list (``architectures.baseline.Dropout.rate``); the sweep's runs are then of
  that architecture.

Each value is one *net*: an architecture's layers and the training settings, as written.
convlab.architecture_check turns every net into its canonical *shape* (layers and
settings), which convlab.runs.variant names.
"""

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from convlab.config import ConfigError, read_yaml
from convlab.optimizers import optimizer_parts
from convlab.runs import canonical_number, variant

ASSIGNMENT_FILE = Path(__file__).with_name("assignment.yaml")
ASSIGNMENT_SWEEPS = ("n", "l1", "deep")
TRAINING_SETTINGS = ("batch_size", "validation_split", "optimizer", "loss")
# `replicates_vary: [seed, sample]`: each replicate's n images drawn with its seed, a setting
# of the run's shape (so its name), convlab.training.run_images.
SEEDED_SAMPLE = "drawn by seed"
VALUE_TEXT = re.compile(r"[A-Za-z0-9.-]+")


@dataclass(frozen=True)
class Point:
    """One value of a sweep: its figure's name, and the net it trains."""

    sweep: str
    value: object
    text: str  # in the names of its figures: results/fig_{sweep}_{text}.png
    arch: str
    net: dict


def net(config: dict, arch: str) -> dict:
    """What one architecture's runs are built from: its layers, the training settings and
    the class names, as the config writes them."""
    training = {key: config["training"][key] for key in TRAINING_SETTINGS}
    if "sample" in config.get("replicates_vary", ["seed"]):
        training["sample"] = SEEDED_SAMPLE  # absent by default: the assignment's first n
    return {
        "layers": config["architectures"][arch],
        "training": training,
        "classes": config["cifar10"]["classes"],
    }


def assignment_nets() -> dict:
    """The assignment's own nets (convlab/assignment.yaml): {arch: net}."""
    reference = read_yaml(ASSIGNMENT_FILE.read_text(encoding="utf-8"))
    return {
        arch: {"layers": layers, "training": reference["training"], "classes": reference["classes"]}
        for arch, layers in reference["architectures"].items()
    }


def sweep_names(sweeps: dict) -> list[str]:
    """The sweeps over a setting (all but the assignment's)."""
    return [name for name in sweeps if name not in ASSIGNMENT_SWEEPS]


def sweep_points(config: dict, name: str, schema_error) -> list[Point]:
    """The values of ``sweeps.<name>``, each with the net it trains; a ConfigError (one line
    naming the key) for a name that other figures take, a setting that is not one of the
    forms above, a value that the config's schema refuses (``schema_error(config)``: its
    line or None) or that cannot name a figure."""
    check_sweep_name(name, config["architectures"])
    sweep = config["sweeps"][name]
    where = f"config key sweeps.{name}"
    points, texts = [], set()
    for index, value in enumerate(sweep["values"]):
        changed, arch = _with_setting(config, sweep["setting"], value, where)
        if mistake := schema_error(changed):
            raise ConfigError(f"{where}.values.{index} ({sweep['setting']} = {value!r}): {mistake}")
        text = _text(value, f"{where}.values.{index}")
        if text in texts:
            raise ConfigError(f"{where}.values: {value!r} is given twice")
        texts.add(text)
        points.append(Point(name, value, text, arch, net(changed, arch)))
    return points


def _with_setting(config: dict, setting: str, value, where: str) -> tuple[dict, str]:
    """A copy of the config with the setting at ``value``, and the architecture it trains."""
    changed = copy.deepcopy(config)
    arch = config["defaults"]["arch"]
    path = setting.split(".")
    if path[0] == "training" and len(path) == 2 and path[1] in TRAINING_SETTINGS:
        changed["training"][path[1]] = value
    elif path[:2] == ["training", "optimizer"] and len(path) == 3:
        name, options = optimizer_parts(config["training"]["optimizer"])
        changed["training"]["optimizer"] = {name: {**options, path[2]: value}}
    elif path[0] == "architectures" and len(path) == 4:
        arch, kind, option = path[1:]
        if arch not in config["architectures"]:
            raise ConfigError(
                f"{where}.setting: unknown architecture {arch!r}; expected one of: "
                + ", ".join(sorted(config["architectures"]))
            )
        layers = changed["architectures"][arch]
        chosen = [spec for spec in layers if kind in spec]
        if not chosen:
            raise ConfigError(f"{where}.setting: architectures.{arch} has no {kind} layer")
        for spec in chosen:
            spec[kind] = {**(spec[kind] or {}), option: value}
    else:
        raise ConfigError(
            f"{where}.setting: {setting!r} is not a setting a sweep can vary; expected "
            f"training.<{'|'.join(TRAINING_SETTINGS)}>, training.optimizer.<option> or "
            "architectures.<arch>.<Layer>.<option>"
        )
    return changed, arch


def _text(value, where: str) -> str:
    """A value as its figures' names spell it: a number canonically, a name as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return canonical_number(value)
    if isinstance(value, str) and VALUE_TEXT.fullmatch(value):
        return value
    raise ConfigError(
        f"{where}: {value!r} cannot name a figure; a sweep's values are numbers, or names "
        "of letters, digits, '.' and '-'"
    )


# Figure names that a sweep's name would shadow (results/fig_{sweep}_{value}.png).
RESERVED = ("sweep", "curves", "confusion", "classes", "conv", "heart", "architectures")


def check_sweep_name(name: str, architectures) -> None:
    if name in RESERVED or name in architectures:
        raise ConfigError(
            f"config key sweeps.{name}: a sweep cannot be named {name!r} (its figures would "
            f"take the names of others); not one of {', '.join(RESERVED)} or an architecture"
        )


def labelled_nets(config: dict, points: dict) -> dict:
    """Every net to check and shape, labelled: each architecture (``arch:<name>``), each
    sweep value (``sweep:<name>:<index>``) and the assignment's (``assignment:<name>``),
    each with the config keys its mistakes are named by."""
    nets = {
        f"arch:{arch}": {
            **net(config, arch),
            "where": {"layers": f"architectures.{arch}", "training": "training"},
        }
        for arch in config["architectures"]
    }
    for name, values in points.items():
        for index, point in enumerate(values):
            where = f"sweeps.{name}.values.{index}"
            nets[f"sweep:{name}:{index}"] = {
                **point.net,
                "where": {
                    "layers": f"{where}, architectures.{point.arch}",
                    "training": f"{where}, training",
                },
            }
    for arch, reference in assignment_nets().items():
        where = f"{ASSIGNMENT_FILE.name}: "
        nets[f"assignment:{arch}"] = {
            **reference,
            "where": {"layers": f"{where}architectures.{arch}", "training": f"{where}training"},
        }
    return nets


@dataclass(frozen=True)
class Shapes:
    """The shape of every configured net, by run (architecture, variant); each
    architecture's own variant; and each sweep's values with their variants."""

    by_run: dict  # {(arch, variant): {"layers": ..., "settings": ...}}
    base: dict  # {arch: variant}
    points: dict  # {sweep: [(Point, variant), ...]}


def shapes(config: dict, points: dict, shaped: dict) -> Shapes:
    """``shaped``: the check's shapes of ``labelled_nets(config, points)``."""
    reference = {
        label.split(":", 1)[1]: shape
        for label, shape in shaped.items()
        if label.startswith("assignment:")
    }
    by_run, base = {}, {}
    for arch in config["architectures"]:
        shape = shaped[f"arch:{arch}"]
        base[arch] = variant(shape, reference.get(arch))
        by_run[(arch, base[arch])] = shape
    swept = {}
    for name, values in points.items():
        swept[name] = []
        for index, point in enumerate(values):
            shape = shaped[f"sweep:{name}:{index}"]
            swept[name].append((point, variant(shape, reference.get(point.arch))))
            by_run[(point.arch, swept[name][-1][1])] = shape
    return Shapes(by_run, base, swept)
