"""Which library modules a rule's script runs: the closure of its imports within convlab.

Each rule lists its script and these modules as inputs, so that editing any of them reruns
the rule and nothing else does. Found by reading the sources (no import is run), once per
invocation.
"""

import ast
from functools import cache
from pathlib import Path

PACKAGE = "convlab"
# Modules that shape no output: convlab.jobs only routes a script's log and its errors.
SHAPES_NOTHING = frozenset({"jobs"})


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
def library_closure(script: Path, library: Path) -> tuple[Path, ...]:
    """The modules of ``library`` (the convlab folder) that ``script`` runs, directly or
    through another module, but those in SHAPES_NOTHING; sorted by name."""
    found, todo = set(), [script]
    while todo:
        for name in imported_modules(todo.pop()) - found:
            path = library / f"{name}.py"
            if not path.is_file():
                raise FileNotFoundError(f"{script} imports {PACKAGE}.{name}, which {path} lacks")
            found.add(name)
            todo.append(path)
    return tuple(library / f"{name}.py" for name in sorted(found - SHAPES_NOTHING))
