"""Parsing of the values that users write into target file names, and the names of runs.

A *configuration* is (architecture, n, L1 weight, epochs); a *run* is one configuration
trained with one random seed, a *replicate*. Configured runs are trained with the seeds
``training.seed``, ``training.seed + 1``, ... (``replicates`` of them).
"""

import re

import numpy as np

CONFIGURATION = ("arch", "n", "l1", "epochs")


class TargetError(ValueError):
    """A target name whose wildcard value is not acceptable."""


def positive_int(text: str, what: str, target: str) -> int:
    """``text`` as an integer >= 1, or a TargetError naming the target."""
    if not text.isdigit() or int(text) < 1:
        raise TargetError(f"{target}: {what} {text!r} is not a positive integer")
    return int(text)


def seed_value(text: str, target: str) -> int:
    """``text`` as a random seed (an integer >= 0, written without leading zeros)."""
    if not text.isdigit() or str(int(text)) != text:
        raise TargetError(f"{target}: seed {text!r} is not a non-negative integer without leading zeros")
    return int(text)


def known_name(text: str, what: str, known, target: str) -> str:
    if text not in known:
        raise TargetError(
            f"{target}: unknown {what} {text!r}; expected one of: {', '.join(sorted(known))}"
        )
    return text


def l1_weight(text: str, target: str) -> str:
    """The canonical spelling of an L1 weight: one run for 0.00001 and 1e-05."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= 0 or value == float("inf"):
        raise TargetError(f"{target}: L1 weight {text!r} is not a non-negative number")
    return canonical_number(value)


def canonical_number(value: float) -> str:
    """Shortest positional spelling that reads back the same: 0, 0.00001, 0.0001, 2.5."""
    return np.format_float_positional(float(value), trim="-")


def run_name(arch: str, n: int, l1, epochs: int, seed: int) -> str:
    """The name of a run's folder, ``results/runs/{arch}_n{n}_w{l1}_e{epochs}_s{seed}``."""
    return f"{arch}_n{n}_w{canonical_number(float(l1))}_e{epochs}_s{seed}"


def replicate_seeds(config: dict) -> list[int]:
    """The seeds of a configured run's replicates: training.seed, training.seed + 1, ..."""
    first = config["training"]["seed"]
    return list(range(first, first + config["replicates"]))


def replicates(runs, seeds) -> list[dict]:
    """Every configuration of ``runs`` with every seed, configuration by configuration."""
    return [{**run, "seed": seed} for run in runs for seed in seeds]


SEED_SUFFIX = re.compile(r"^(?P<name>.+)_s(?P<seed>[^_]+)$")


def history_figure_run(name: str, defaults: dict, first_seed: int, target: str) -> dict:
    """The run behind ``results/fig_{name}.png`` for the seed's history figures.

    - ``n_{n}``: the default architecture, L1 weight and epochs on n points (Figs 7-10);
    - ``l1_{l1}``: the default architecture, n and epochs with that weight (Figs 11-15);
    - ``maxpool``: the max-pooling net with every default (Fig 18);
    - ``deep_n{n}_e{epochs}``: the deeper net on n points for that many epochs (Figs 19-21).

    These names draw the first replicate (``first_seed``); ``{name}_s{seed}`` draws the
    replicate of that seed (``maxpool_s2``, ``deep_n50000_e20_s1``).
    """
    run = {**defaults, "seed": first_seed}
    if match := SEED_SUFFIX.match(name):
        name = match["name"]
        run["seed"] = seed_value(match["seed"], target)
    if name == "maxpool":
        run["arch"] = "maxpool"
    elif name.startswith("n_"):
        run["n"] = positive_int(name[2:], "n", target)
    elif name.startswith("l1_"):
        run["l1"] = l1_weight(name[3:], target)
    elif name.startswith("deep_n") and "_e" in name:
        n, epochs = name[len("deep_n"):].split("_e", 1)
        run.update(arch="deep", n=positive_int(n, "n", target),
                   epochs=positive_int(epochs, "epochs", target))
    else:
        raise TargetError(
            f"{target}: not a history figure; expected fig_n_<n>, fig_l1_<weight>, "
            "fig_maxpool or fig_deep_n<n>_e<epochs>, each optionally followed by _s<seed>"
        )
    run["l1"] = canonical_number(float(run["l1"]))
    return run


def history_figure_names(sweeps: dict) -> dict[str, list[str]]:
    """The seed's history figures that the configured sweeps define, by sweep."""
    return {
        "n": [f"n_{n}" for n in sweeps["n"]],
        "l1": [f"l1_{canonical_number(l1)}" for l1 in sweeps["l1"]],
        "maxpool": ["maxpool"],
        "deep": [f"deep_n{run['n']}_e{run['epochs']}" for run in sweeps["deep"]],
    }


def architecture_runs(architectures, defaults: dict) -> list[dict]:
    """Every architecture at the default n, L1 weight and epochs."""
    return [{**defaults, "arch": arch, "l1": canonical_number(defaults["l1"])} for arch in architectures]


def configured_runs(config: dict) -> list[dict]:
    """Every configuration the sweeps and architectures define, once each, in a stable order
    (without a seed: see ``replicates``)."""
    runs = []
    for names in history_figure_names(config["sweeps"]).values():
        for name in names:
            run = history_figure_run(name, config["defaults"], 0, f"results/fig_{name}.png")
            runs.append({key: run[key] for key in CONFIGURATION})
    runs += architecture_runs(config["architectures"], config["defaults"])
    unique = {}
    for run in runs:
        unique.setdefault(run_name(**run, seed=0), run)
    return list(unique.values())

