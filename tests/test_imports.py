"""Each rule's code inputs are its script's import closure within convlab but the reporting
modules, checked against Python's own modulefinder on every rule of a finished project; no
module of the outputs imports a reporting one; every seeding or determinism call is in a
training's code inputs; a reporting module's edit retrains nothing, a seeding edit
retrains."""

import ast
from modulefinder import ModuleFinder
from pathlib import Path

from conftest import REPO, edit
from convlab.architecture_check import CHECKED_CODE
from convlab.imports import REPORTING, imported_modules, library_closure

SCRIPTS = REPO / "scripts"


def runs_modules(script: Path, leave_out=REPORTING) -> set[str]:
    """The convlab modules that running ``script`` loads, as Python's modulefinder sees it."""
    finder = ModuleFinder(path=[str(SCRIPTS)], excludes=[f"convlab.{name}" for name in leave_out])
    finder.run_script(str(script))
    return {name.split(".", 1)[1] for name in finder.modules if name.startswith("convlab.")}


def missing_code_inputs(script: Path, inputs) -> set[str]:
    """The modules that shape what ``script`` makes and ``inputs`` lacks."""
    listed = {Path(path).stem for path in inputs if Path(path).parent.name == "convlab"}
    return runs_modules(script) - listed


def test_closure_equals_what_python_finds_for_every_script():
    for script in sorted(SCRIPTS.glob("*.py")):
        closure = {path.stem for path in library_closure(script, SCRIPTS / "convlab")}
        assert closure == runs_modules(script), script.name


def test_the_architecture_check_is_keyed_by_all_the_code_it_runs():
    checked = {path.stem for path in CHECKED_CODE}
    script = SCRIPTS / "convlab/architecture_check.py"
    assert checked == {"architecture_check", *runs_modules(script, leave_out=())}
    assert "optimizers" in checked  # optimizers.optimizer_parts, which the check calls


def test_no_module_of_the_outputs_imports_a_reporting_one():
    library = SCRIPTS / "convlab"
    assert REPORTING <= {path.stem for path in library.glob("*.py")}
    for path in sorted(library.glob("*.py")):
        if path.stem not in REPORTING:
            assert not imported_modules(path) & REPORTING, path.name
    # The check sees such an import.
    assert imported_modules(library / "estimates.py") & REPORTING == {"probe", "progress", "slots"}


# The calls that seed a random generator or switch a backend's kernels to deterministic ones,
# and the environment variables that do so as a backend starts.
SEEDING_CALLS = {
    "set_random_seed",  # keras.utils: Python, NumPy and the backend
    "set_seed",  # tf.random
    "seed",  # random, numpy.random
    "manual_seed",  # torch
    "enable_op_determinism",  # tf.config.experimental
    "use_deterministic_algorithms",  # torch
}
DETERMINISM_VARIABLES = ("deterministic_ops", "CUBLAS_WORKSPACE_CONFIG", "PYTHONHASHSEED")


def seeds(source: Path) -> bool:
    """Whether ``source`` calls a seeding or determinism API or sets such a variable."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in SEEDING_CALLS:
                return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if any(variable in node.value for variable in DETERMINISM_VARIABLES):
                return True
    return False


def test_every_seeding_or_determinism_call_is_in_a_training_s_code(tmp_path):
    training_code = {
        SCRIPTS / "train.py",
        *library_closure(SCRIPTS / "train.py", SCRIPTS / "convlab"),
    }
    product = [*SCRIPTS.glob("*.py"), *SCRIPTS.glob("convlab/*.py")]
    seeding = {path for path in product if seeds(path)}
    assert seeding <= training_code, sorted(map(str, seeding - training_code))
    # The check sees each form: the module that seeds, a call and a variable elsewhere.
    assert SCRIPTS / "convlab/determinism.py" in seeding
    elsewhere = tmp_path / "elsewhere.py"
    elsewhere.write_text("import numpy as np\nnp.random.seed(1)\n")
    assert seeds(elsewhere)
    elsewhere.write_text("import os\nos.environ['XLA_FLAGS'] = '--xla_gpu_deterministic_ops'\n")
    assert seeds(elsewhere)


def test_imports_are_found_in_every_form(tmp_path):
    source = tmp_path / "s.py"
    source.write_text(
        "import convlab.models\nfrom convlab import stats, plots\n"
        "from convlab.runs import Run\nimport numpy\n"
        "def f():\n    from convlab.splits import split_sizes\n"
    )
    assert imported_modules(source) == {"models", "stats", "plots", "runs", "splits"}


def test_every_rule_lists_what_its_script_runs(finished_inputs):
    by_rule = finished_inputs
    assert {"train", "prepare_data", "plot_history", "claims", "conv_heatmap"} <= set(by_rule)
    for rule, inputs in by_rule.items():
        if rule == "training_code":  # a job per file: the copies a training reads
            continue
        # A training's code is its copy under results/code/ (rules/train.smk).
        scripts = [p for p in inputs if Path(p).parent.name in ("scripts", "code")]
        assert len(scripts) == 1, (rule, inputs)
        assert missing_code_inputs(SCRIPTS / Path(scripts[0]).name, inputs) == set(), rule
    # The check finds a module left out on purpose.
    train = [p for p in by_rule["train"] if not p.endswith("/checkpoints.py")]
    assert missing_code_inputs(SCRIPTS / "train.py", train) == {"checkpoints"}


def test_a_reporting_edit_retrains_nothing_and_a_seeding_edit_retrains(finished_tiny, tmp_path):
    project = finished_tiny.copy(tmp_path / "wf")
    train = project.recorded_inputs()["train"]
    assert not any(Path(path).stem in REPORTING for path in train), train
    for name in ("progress", "devices", "slots", "provenance"):
        edit(project.path(f"scripts/convlab/{name}.py"))
    assert project.planned_jobs() == {}
    seeding = project.path("scripts/convlab/determinism.py")
    seeding.write_text(seeding.read_text().replace("(seed)", "(int(seed))"))
    planned = project.planned_jobs()
    assert planned["train"] == len(list(project.path("results/runs").glob("*/metrics.json")))
