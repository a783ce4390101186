"""Parsing of the values that users write into target file names (runs are named by
convlab.runs).

A *configuration* is (architecture, n, L1 weight, epochs, variant); a *run* is one
configuration trained with one random seed, a *replicate*. Configured runs are trained with
the seeds ``training.seed``, ``training.seed + 1``, ... (``replicates`` of them). Which
variants exist, and which sweep value is which, says a convlab.studies.Shapes.
"""

import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from convlab.errors import UserError
from convlab.runs import (
    CONFIGURATION,
    CONFIGURATION_NAME,
    RUN_FIELDS,
    canonical_number,
    run_name,
)
from convlab.studies import Shapes


class TargetError(UserError):
    """A target name whose wildcard value is not acceptable."""


def positive_int(text: str, what: str, target: str) -> int:
    """``text`` as an integer >= 1, or a TargetError naming the target."""
    if not text.isdigit() or int(text) < 1:
        raise TargetError(f"{target}: {what} {text!r} is not a positive integer")
    return int(text)


def seed_value(text: str, target: str) -> int:
    """``text`` as a random seed (an integer >= 0, written without leading zeros)."""
    if not text.isdigit() or str(int(text)) != text:
        raise TargetError(
            f"{target}: seed {text!r} is not a non-negative integer without leading zeros"
        )
    return int(text)


def known_name(text: str, what: str, known, target: str) -> str:
    if text not in known:
        raise TargetError(
            f"{target}: unknown {what} {text!r}; expected one of: {', '.join(sorted(known))}"
        )
    return text


def l1_weight(text: str, target: str) -> float:
    """An L1 weight as the number it is, whatever its spelling: one run for 0.00001 and
    1e-05. (Runs carry it as a float throughout; names and labels write it canonically.)"""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= 0 or value == float("inf"):
        raise TargetError(f"{target}: L1 weight {text!r} is not a non-negative number")
    return value


def replicate_seeds(config: dict, count: int) -> list[int]:
    """The seeds of ``count`` replicates of a run: training.seed, training.seed + 1, ..."""
    first = config["training"]["seed"]
    return list(range(first, first + count))


def replicates(runs, seeds) -> list[dict]:
    """Every configuration of ``runs`` with every seed, configuration by configuration."""
    return [{**run, "seed": seed} for run in runs for seed in seeds]


@dataclass(frozen=True)
class HistoryFigure:
    """A kind of history figure, ``results/fig_{name}.png``: a name pattern (its fields in
    braces), the report's group and caption, and the run parameters the fields set (the
    others come from the config's defaults, the variant from the architecture's own net)."""

    pattern: str
    group: str
    about: str
    parameters: Callable[[dict, str, Shapes], dict]


HISTORY_FIGURES = (
    HistoryFigure(
        "n_{n}",
        "n sweep (Figures 7-10)",
        "Figures 7-10: the baseline, trained on the first n points.",
        lambda f, target, shapes: {"n": positive_int(f["n"], "n", target)},
    ),
    HistoryFigure(
        "l1_{l1}",
        "L1 sweep (Figures 11-15)",
        "Figures 11-15: the baseline with an L1 weight on the Dense layer.",
        lambda f, target, shapes: {"l1": l1_weight(f["l1"], target)},
    ),
    HistoryFigure(
        "deep_n{n}_e{epochs}",
        "Deep net (Figures 19-21)",
        "Figures 19-21: the deeper 8-8-16-16-32-32 net.",
        lambda f, target, shapes: {
            "arch": "deep",
            "n": positive_int(f["n"], "n", target),
            "epochs": positive_int(f["epochs"], "epochs", target),
        },
    ),
    HistoryFigure(
        "{architecture}",
        "Architectures (Figure 18: maxpool)",
        "An architecture at the default run; Figure 18 is maxpool, max-pooling "
        "instead of striding.",
        lambda f, target, shapes: {"arch": f["architecture"]},
    ),
    HistoryFigure(
        "{sweep}_{value}",
        "Sweeps of a setting",
        "One value of a sweep over a setting, at the default run.",
        lambda f, target, shapes: _sweep_value(f["sweep"], f["value"], target, shapes),
    ),
    HistoryFigure(
        CONFIGURATION_NAME,
        "Any run",
        "Any run, named as its folder.",
        lambda f, target, shapes: {
            "arch": f["arch"],
            "n": positive_int(f["n"], "n", target),
            "l1": l1_weight(f["l1"], target),
            "epochs": positive_int(f["epochs"], "epochs", target),
            "variant": f["variant"],
        },
    ),
)
SEED_SUFFIX = "_s{seed}"  # on any name: that replicate; without it, the first replicate's


def _sweep_value(sweep: str, text: str, target: str, shapes: Shapes) -> dict:
    """The architecture and variant of one value of a sweep over a setting."""
    values = {point.text: (point, variant) for point, variant in shapes.points[sweep]}
    if text not in values:
        raise TargetError(
            f"{target}: {text!r} is not a value of sweep {sweep!r}; expected one of: "
            + ", ".join(values)
        )
    point, variant = values[text]
    return {"arch": point.arch, "variant": variant}


def _choices(names) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) or "(?!)"


def _regex(pattern: str, architectures, sweeps, named: bool) -> str:
    """A figure name pattern as a regular expression; ``{architecture}`` matches only the
    configured architectures' names (so that fig_heart stays Part 1's), ``{sweep}`` only the
    sweeps over a setting."""
    fields = {
        "architecture": _choices(architectures),
        "sweep": _choices(sweeps),
        "arch": RUN_FIELDS["arch"],
        "variant": RUN_FIELDS["variant"],
    }

    def field(match):
        body = fields.get(match[1], "[^_/]+")
        return f"(?P<{match[1]}>{body})" if named else f"(?:{body})"

    return re.sub(r"\{(\w+)\}", field, pattern)


def history_figure_constraint(shapes: Shapes) -> str:
    """The wildcard constraint of ``{name}`` in results/fig_{name}.png."""
    kinds = "|".join(
        _regex(kind.pattern, shapes.base, shapes.points, named=False) for kind in HISTORY_FIGURES
    )
    return f"({kinds})({_regex(SEED_SUFFIX, (), (), named=False)})?"


def _kind(name: str, shapes: Shapes) -> tuple[HistoryFigure | None, dict]:
    """The kind of history figure a name without seed suffix is, and its fields."""
    for kind in HISTORY_FIGURES:
        pattern = _regex(kind.pattern, shapes.base, shapes.points, named=True)
        if fields := re.fullmatch(pattern, name):
            return kind, fields.groupdict()
    return None, {}


def history_figure(name: str, shapes: Shapes) -> tuple[HistoryFigure | None, dict, str | None]:
    """The kind of a figure name, its fields and its seed's text (None: the first replicate's)."""
    suffix = _regex(SEED_SUFFIX, (), (), named=True)
    if match := re.fullmatch(f"(?P<base>.+){suffix}", name):
        kind, fields = _kind(match["base"], shapes)
        if kind is not None:
            return kind, fields, match["seed"]
    return *_kind(name, shapes), None


def history_figure_run(
    name: str, defaults: dict, shapes: Shapes, first_seed: int, target: str
) -> dict:
    """The run behind ``results/fig_{name}.png`` (see HISTORY_FIGURES), e.g. ``n_10000``,
    ``maxpool``, ``deep_n50000_e60``, ``learning_rate_0.01``, ``baseline_n5000_w0.001_e20``;
    ``{name}_s{seed}`` draws the replicate of that seed (``maxpool_s2``), the bare name the
    first (``first_seed``)."""
    kind, fields, seed = history_figure(name, shapes)
    if kind is None:
        raise TargetError(
            f"{target}: not a history figure; expected fig_n_<n>, fig_l1_<weight>, "
            "fig_deep_n<n>_e<epochs>, fig_<architecture>, fig_<sweep>_<value> or "
            "fig_<arch>_n<n>_w<l1>_e<epochs>[_v<variant>], each optionally followed by _s<seed>"
        )
    run = {**defaults, "seed": first_seed if seed is None else seed_value(seed, target)}
    run.update(kind.parameters(fields, target, shapes))
    run["l1"] = float(run["l1"])
    known_name(run["arch"], "architecture", shapes.base, target)
    run.setdefault("variant", shapes.base[run["arch"]])
    if (run["arch"], run["variant"]) not in shapes.by_run:
        raise TargetError(
            f"{target}: {run['arch']} has no variant {run['variant'] or '(none)'!r} in this "
            f"config; its runs are {run['arch']}_..._e<epochs>{shapes.base[run['arch']]}, or "
            "a sweep's (results/runs.csv lists every trained run and its settings)"
        )
    return run


def history_figure_names(sweeps: dict, shapes: Shapes) -> dict[str, list[str]]:
    """The history figures that the configured sweeps define, by sweep: the assignment's,
    then one per value of each sweep over a setting."""
    return {
        "n": [f"n_{n}" for n in sweeps["n"]],
        "l1": [f"l1_{canonical_number(l1)}" for l1 in sweeps["l1"]],
        "maxpool": ["maxpool"],
        "deep": [f"deep_n{run['n']}_e{run['epochs']}" for run in sweeps["deep"]],
        **{
            name: [f"{name}_{point.text}" for point, _ in points]
            for name, points in shapes.points.items()
        },
    }


def architecture_runs(shapes: Shapes, defaults: dict) -> list[dict]:
    """Every architecture at the default n, L1 weight and epochs."""
    return [
        {**defaults, "arch": arch, "l1": float(defaults["l1"]), "variant": variant}
        for arch, variant in shapes.base.items()
    ]


def configured_runs(config: dict, shapes: Shapes) -> list[dict]:
    """Every configuration the sweeps and architectures define, once each, in a stable order
    (without a seed: see ``replicates``)."""
    runs = []
    for names in history_figure_names(config["sweeps"], shapes).values():
        for name in names:
            run = history_figure_run(name, config["defaults"], shapes, 0, f"results/fig_{name}.png")
            runs.append({key: run[key] for key in CONFIGURATION})
    runs += architecture_runs(shapes, config["defaults"])
    unique = {}
    for run in runs:
        unique.setdefault(run_name(**run, seed=0), run)
    return list(unique.values())


OUTPUT_SUFFIXES = (".png", ".txt", ".csv", ".tsv", ".md", ".json", ".keras", ".npz", ".pdf")
ARCHITECTURE_FIGURE = re.compile(r"(?:results/)?fig_(?P<arch>[A-Za-z0-9-]+)(?:_s\d+)?\.\w+")


def edits(target: str) -> list[str]:
    """The slips one makes typing a target, undone: no results/, another file type, a
    missing ``_``, one letter too many, two letters swapped (those a rule makes are what the
    user likely meant)."""
    folder, _, name = target.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    stem, suffix = (stem, f".{suffix}") if dot else (name, "")
    names = [name] + [stem + other for other in OUTPUT_SUFFIXES if other != suffix]
    for i in range(1, len(stem)):
        names.append(f"{stem[:i]}_{stem[i:]}{suffix}")
        names.append(f"{stem[: i - 1]}{stem[i:]}{suffix}")
        names.append(f"{stem[: i - 1]}{stem[i]}{stem[i - 1]}{stem[i + 1 :]}{suffix}")
    names += [stem[:-1] + suffix, name[:-1]]
    prefix = f"{folder}/" if folder else "results/"
    return [path for path in dict.fromkeys(prefix + name for name in names) if path != target]


def _stem(path: str) -> str:
    """A target without results/ and without its file type: what a typo is measured on."""
    path = path.removeprefix("./").removeprefix("results/")
    head, dot, _ = path.rpartition(".")
    return head if dot and "/" not in path[len(head) :] else path


def closest(target: str, known, count: int = 2, cutoff: float = 0.6) -> list[str]:
    """The known targets most like ``target``: those whose name starts with its name (a
    target cut short), then by difflib's ratio of the names, closest first."""
    by_stem = {}
    for path in known:
        by_stem.setdefault(_stem(path), []).append(path)
    stem = _stem(target)
    longer = sorted((name for name in by_stem if name.startswith(stem)), key=len)
    near = difflib.get_close_matches(stem, list(by_stem), n=count, cutoff=cutoff)
    return [by_stem[name][0] for name in dict.fromkeys(longer + near)][:count]


def unknown_target(target: str, known, architectures, makes: Callable[[str], bool]) -> str:
    """One line for a file that no rule makes, with what the user most likely meant: a slip
    undone that a rule makes (``makes``), else for fig_<name>.png that the architecture is
    unknown (as every other target that names one says), else the closest targets this
    config has."""
    near = [name for name in edits(target) if makes(name)][:2]
    figure = ARCHITECTURE_FIGURE.fullmatch(target)
    if (
        not near
        and figure
        and figure["arch"] not in architectures
        and not closest(target, known, cutoff=0.85)
    ):
        like = difflib.get_close_matches(figure["arch"], list(architectures), n=1)
        return (
            f"{target}: unknown architecture {figure['arch']!r}; expected one of: "
            f"{', '.join(sorted(architectures))}" + (f" (did you mean {like[0]}?)" if like else "")
        )
    near = near or closest(target, known)
    if near:
        return f"no target {target}; did you mean {' or '.join(near)}? (README, Targets)"
    return f"no target {target}: no rule makes it (README, Targets, lists them)"


def built_so_far(targets: list[str]) -> list[str]:
    """The targets that exist (what a report of a partial build shows); one line on stderr
    says which are left out."""
    missing = [target for target in targets if not Path(target).exists()]
    if missing:
        print(
            f"Report: {len(missing)} of {len(targets)} targets are not built yet and are left "
            f"out ({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}); run "
            "`snakemake` first for a full report",
            file=sys.stderr,
        )
    return [target for target in targets if target not in missing]
