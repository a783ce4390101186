"""Each rule's code inputs are its script's import closure within convlab, checked against
Python's own modulefinder on every rule of a finished project."""

from modulefinder import ModuleFinder
from pathlib import Path

from conftest import REPO
from convlab.imports import SHAPES_NOTHING, imported_modules, library_closure

SCRIPTS = REPO / "scripts"


def runs_modules(script: Path) -> set[str]:
    """The convlab modules that running ``script`` loads, as Python's modulefinder sees it."""
    finder = ModuleFinder(path=[str(SCRIPTS)])
    finder.run_script(str(script))
    return {name.split(".", 1)[1] for name in finder.modules if name.startswith("convlab.")}


def missing_code_inputs(script: Path, inputs) -> set[str]:
    """The modules that ``script`` runs (but those that shape nothing) and ``inputs`` lacks."""
    listed = {Path(path).stem for path in inputs if Path(path).parent.name == "convlab"}
    return runs_modules(script) - SHAPES_NOTHING - listed


def test_closure_equals_what_python_finds_for_every_script():
    for script in sorted(SCRIPTS.glob("*.py")):
        closure = {path.stem for path in library_closure(script, SCRIPTS / "convlab")}
        assert closure == runs_modules(script) - SHAPES_NOTHING, script.name


def test_imports_are_found_in_every_form(tmp_path):
    source = tmp_path / "s.py"
    source.write_text(
        "import convlab.models\nfrom convlab import stats, plots\n"
        "from convlab.runs import run_name\nimport numpy\n"
        "def f():\n    from convlab.splits import split_sizes\n"
    )
    assert imported_modules(source) == {"models", "stats", "plots", "runs", "splits"}


def test_every_rule_lists_what_its_script_runs(finished_inputs):
    by_rule = finished_inputs
    assert {"train", "prepare_data", "plot_history", "claims", "conv_heatmap"} <= set(by_rule)
    for rule, inputs in by_rule.items():
        scripts = [p for p in inputs if Path(p).parent.name == "scripts"]
        assert len(scripts) == 1, (rule, inputs)
        assert missing_code_inputs(REPO / scripts[0], inputs) == set(), rule
    # The check finds a module left out on purpose.
    train = [p for p in by_rule["train"] if not p.endswith("/checkpoints.py")]
    assert missing_code_inputs(SCRIPTS / "train.py", train) == {"checkpoints"}
