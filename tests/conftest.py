"""Shared fixtures: a private copy of the workflow and a way to run real snakemake on it."""

import csv
import fcntl
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from convlab.estimates import job_counts
from convlab.project import copy_workflow, merged

REPO = Path(__file__).resolve().parents[1]


def one_rule(name: str) -> str:
    """A rule's name, the history figures' rules (one per kind of name) named as one."""
    return re.sub(r"^plot_history_\w+$", "plot_history", name)


class Workflow:
    """A copy of the workflow in a temporary folder, as a user's fresh clone."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True)
        copy_workflow(REPO, root)

    def copy(self, root: Path, keep_times=True) -> "Workflow":
        """The whole project, results and Snakemake's records included, copied to ``root``:
        as ``cp -a`` with ``keep_times``, else as ``cp -r`` (every file gets a new time)."""
        copy = Workflow.__new__(Workflow)
        copy.root = root
        shutil.copytree(
            self.root,
            root,
            symlinks=True,
            copy_function=shutil.copy2 if keep_times else shutil.copy,
        )
        return copy

    @property
    def config(self) -> dict:
        return yaml.safe_load((self.root / "config.yaml").read_text())

    def write_config(self, config: dict, name="config.yaml") -> None:
        (self.root / name).write_text(yaml.safe_dump(config, sort_keys=False))

    def environment(self, env=None) -> dict:
        """What its Snakemake runs (and so their jobs) get: their own slot pool, so that its
        training jobs count only each other when they share the cores (convlab.slots), not
        the other projects' that the tests run on this host at the same time; and its own
        copy of the library ahead of the installed one (the checkout's), as a clone with the
        package installed from itself does: an edit of the copy counts there alone."""
        slots = str(self.root.parent / f"{self.root.name}.slots")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", CONVLAB_SLOTS=slots, **(env or {}))
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(self.root / "scripts"), env.get("PYTHONPATH")])
        )
        return env

    def snakemake(self, *args, check=True, timeout=600, env=None) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "snakemake", "--cores", "2", *args]
        with subprocess.Popen(
            command,
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.environment(env),
        ) as process:
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                # Stopped as a user stops it (Ctrl-C): Snakemake cancels its jobs (on SLURM
                # too) and removes its lock, so the next test on this project is not failed
                # by it; and this failure shows what the run was doing.
                process.send_signal(signal.SIGINT)
                try:
                    stdout, stderr = process.communicate(timeout=120)
                except subprocess.TimeoutExpired:
                    process.kill()
                    stdout, stderr = process.communicate()
                raise AssertionError(
                    f"snakemake {' '.join(args)} ran past {timeout} s:\n{stderr[-5000:]}"
                ) from None
        result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        if check and result.returncode != 0:
            raise AssertionError(
                f"snakemake {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-5000:]}"
            )
        return result

    def planned_jobs(self, *targets, options=()) -> dict[str, int]:
        """Rule name (``one_rule``) -> number of jobs that a dry run would execute."""
        result = self.snakemake("-n", *options, "--quiet", "rules", "--", *targets)
        counts = {}
        for rule, count in job_counts(result.stdout).items():
            counts[one_rule(rule)] = counts.get(one_rule(rule), 0) + count
        return counts

    def recorded_inputs(self) -> dict[str, list[str]]:
        """Rule name (``one_rule``) -> the inputs Snakemake recorded for one of its jobs (rules
        with outputs only), read from ``--detailed-summary``."""
        summary = self.snakemake("--detailed-summary").stdout
        inputs = {}
        for row in csv.DictReader(io.StringIO(summary), delimiter="\t"):
            if row["rule"] not in ("-", "all"):
                inputs.setdefault(one_rule(row["rule"]), row["input-file(s)"].split(","))
        return inputs

    def path(self, name: str) -> Path:
        return self.root / name


# The slowest test files first: pytest-xdist hands out whole files (--dist loadfile) in the
# order collected (--no-loadscope-reorder: else it puts the files with the most tests first,
# and the long one-test files ran alone at the end), so the long ones start at once. The
# object store's one long test goes first; the next builds the finished tiny project that
# many files read; the next few do not need it. Seconds measured 2026-12-07 in a full run.
SLOW_FIRST = [
    "test_object_store.py",  # 175 alone
    "test_workflow_cifar.py",  # 140 to build the finished tiny project, 150 of tests
    "test_slurm.py",  # 410
    "test_real_data.py",
    "test_interruption.py",  # 300
    "test_jax.py",  # 180
    "test_studies.py",  # 330
    "test_replicates.py",  # 170
    "test_round_trip.py",  # 150
    "test_readme.py",  # 125
    "test_identity.py",  # 250
    "test_bad_input.py",  # 200
]


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per core and one more. Several tests spend most of their time
    waiting (SLURM's queue, the package index, a job about to be signalled), and the extra
    worker's tests use the cores meanwhile."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items):
    rank = {name: index for index, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: in-file order kept


@contextmanager
def installed_apart(requirements: str, folder: Path):
    """The packages of ``requirements`` (a file of this repository), installed as a user
    installs them but into ``folder`` on PYTHONPATH for the block (the Snakemake runs it
    starts and their jobs), so that the other tests never import them; a skip with the
    reason where the package index cannot be reached."""
    command = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target"]
    command += [str(folder), "-r", str(REPO / requirements)]
    installed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if installed.returncode and re.search(
        r"connection|Network is unreachable|resolve host|No matching distribution",
        installed.stderr,
    ):
        pytest.skip(f"{requirements} cannot be installed here: {installed.stderr[-300:]}")
    assert installed.returncode == 0, installed.stderr[-2000:]
    with pytest.MonkeyPatch.context() as patch:
        path = [str(folder), os.environ.get("PYTHONPATH")]
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, path)))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """What the workflow caches per machine (~/.cache/convlab: architectures that passed
    their check) goes to a folder of this session, shared by its tests."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def workflow(tmp_path) -> Workflow:
    return Workflow(tmp_path / "wf")


TINY = yaml.safe_load((REPO / "tests" / "tiny.yaml").read_text())


def tiny_config(config: dict, data_path: str | None) -> dict:
    """``config`` with tests/tiny.yaml read over it, and CIFAR-10 from ``data_path``."""
    config = merged(config, TINY)
    config["cifar10"]["path"] = data_path
    return config


def tiny_project(root: Path) -> Workflow:
    """A workflow with tests/tiny.yaml over its config, whose CIFAR-10 is a generated image
    tree of 200 + 50 images, named in local.yaml as the README tells users to do."""
    from cifar_fixtures import write_image_tree

    data = write_image_tree(root / "data")
    workflow = Workflow(root / "wf")
    workflow.write_config(tiny_config(workflow.config, None))
    workflow.write_config({"cifar10": {"path": str(data)}}, name="local.yaml")
    return workflow


@pytest.fixture(scope="module")
def tiny_workflow(tmp_path_factory) -> Workflow:
    """The tiny project, nothing built yet."""
    return tiny_project(tmp_path_factory.mktemp("tiny"))


def built_once(tmp_path_factory, name: str, build) -> Path:
    """A folder that ``build(folder)`` fills once per test session, however many pytest-xdist
    workers ask for it: the first builds it under a lock, the others wait and read it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers; each has its own basetemp below it
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / f"{name}.built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            build(folder)
            (base / f"{name}.built").touch()
    return folder


@pytest.fixture(scope="session")
def finished_tiny(tmp_path_factory) -> Workflow:
    """The tiny project with its default target built, once per session (for all workers).
    Read it, or ``copy()`` it before changing anything."""

    def build(folder):
        # As the README's command, with more job slots than runs: a longer run must still
        # wait for the shorter one it continues from.
        tiny_project(folder).snakemake("--cores", "8", "--resources", "gpu=1")

    folder = built_once(tmp_path_factory, "finished", build)
    workflow = Workflow.__new__(Workflow)
    workflow.root = folder / "wf"
    return workflow


@pytest.fixture(scope="session")
def finished_inputs(finished_tiny) -> dict[str, list[str]]:
    """What Snakemake recorded as each rule's inputs in the finished tiny project."""
    return finished_tiny.recorded_inputs()


def edit(path):
    """Change a library file as a user's edit would: new content, and so a newer mtime than
    every output made before (not one ahead of the clock: Snakemake takes an output older
    than its input after its job for a clock skew, and fails the job).

    (Snakemake ignores a newer mtime alone when the content is unchanged.)
    """
    with open(path, "a", encoding="utf-8") as file:
        file.write("\n# edited\n")
