"""The values users write into target names, checked (Snakemake matches the names; runs are
named by convlab.runs), and one line for a target that no rule makes.

Configured runs are trained with the seeds ``training.seed``, ``training.seed + 1``, ...
(``replicates`` of them).
"""

import difflib
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

from convlab.errors import UserError


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


def choices(names) -> str:
    """A regular expression that matches exactly these names (none: nothing)."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) or "(?!)"


def pattern_regex(pattern: str, constraints: dict) -> str:
    """A file pattern with ``{wildcards}`` as the regular expression Snakemake matches it by,
    each wildcard a named group that holds what ``constraints`` allows."""
    parts = re.split(r"\{(\w+)\}", pattern)
    return "".join(
        f"(?P<{part}>{constraints[part]})" if odd else re.escape(part)
        for odd, part in zip([False, True] * len(parts), parts)
    )


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


class MisspeltTargets(logging.Handler):
    """Added to Snakemake's logger: after its "No rule to produce <file>", one line with what
    the user most likely meant (``line(file)``, as unknown_target says it)."""

    def __init__(self, line: Callable[[str], str]):
        super().__init__()
        self.line = line

    def emit(self, record):
        if match := re.search(r"No rule to produce (\S+)", record.getMessage()):
            print(f"Error: {self.line(match[1])}", file=sys.stderr)
