"""Which library modules shape a rule's outputs: the closure of its script's imports within
convlab, but for the modules that only report, place or time a job.

Each rule lists its script and these modules as inputs, and a training's state key hashes
them, so that editing any of them reruns the rule and nothing else does: a reworded
progress line or another GPU placement retrains nothing, another net or training loop
retrains. Found by reading the sources (no import is run), once per invocation. A module of
the outputs never imports a reporting one (tests/test_imports.py), so what a reporting
module says cannot change a number.
"""

import ast
from functools import cache
from pathlib import Path

PACKAGE = "convlab"
# Modules that shape no output: they route a job's log and errors (jobs), say how far it is
# (progress) and how long the rest takes (estimates, probe), place it on a GPU or cores
# (devices, slots) or a Keras backend's threads and memory (backends: like the device, where
# a run trained, not what it is) and record where it ran (provenance). Seeding and
# deterministic kernels shape the numbers (determinism; tests/test_imports.py finds any
# elsewhere).
REPORTING = frozenset(
    {"jobs", "progress", "estimates", "probe", "devices", "slots", "backends", "provenance"}
)


@cache
def imported_modules(source: Path) -> frozenset[str]:
    """Names of the convlab modules that ``source`` imports anywhere in its code (read once
    per process: every rule's closure shares the library's modules)."""
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Import):
            names |= {_module(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == PACKAGE:
                names |= {alias.name for alias in node.names}
            else:
                names.add(_module(node.module))
    return frozenset(name for name in names if name)


def _module(dotted: str) -> str | None:
    package, _, module = dotted.partition(".")
    return module.partition(".")[0] if package == PACKAGE and module else None


@cache
def library_closure(
    script: Path, library: Path, leave_out: frozenset[str] = REPORTING
) -> tuple[Path, ...]:
    """The modules of ``library`` (the convlab folder) that ``script`` runs, directly or
    through another module, but those in ``leave_out`` (the reporting ones) and what only
    they import; sorted by name."""
    found, todo = set(), [script]
    while todo:
        for name in imported_modules(todo.pop()) - found - leave_out:
            path = library / f"{name}.py"
            if not path.is_file():
                raise FileNotFoundError(f"{script} imports {PACKAGE}.{name}, which {path} lacks")
            found.add(name)
            todo.append(path)
    return tuple(library / f"{name}.py" for name in sorted(found))
