"""Bad configuration and bad data: one clear line, before any job starts, nothing touched."""

import copy
import os

import pytest
import yaml

from cifar_fixtures import tar_folder, write_batches, write_image_tree
from conftest import REPO
from convlab.config import schema_error


def set_key(path, value):
    def change(config):
        *parents, last = path.split(".")
        node = config
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


DELETE = object()

BAD_CONFIGS = [
    ("conv.padding", "two", "config key conv.padding: 'two' is not of type 'integer'"),
    (
        "training.batch_size",
        "128",
        "config key training.batch_size: '128' is not of type 'integer'",
    ),
    ("defaults.l1", "abc", "config key defaults.l1: 'abc' is not of type 'number'"),
    ("training.seed", DELETE, "config key training: 'seed' is a required property"),
    ("conv.kernels", DELETE, "config key conv: 'kernels' is a required property"),
    ("foo", 1, "config key foo is not a setting of this workflow; expected one of: conv,"),
    (
        "defaults.epoch",
        3,
        "config key defaults.epoch is not a setting of this workflow; "
        "did you mean defaults.epochs?",
    ),
    ("sweeps.n", [0], "config key sweeps.n.0: 0 is less than the minimum of 1"),
    ("sweeps.n", [60000], "n = 60000 is larger than the training set (50000 images)"),
    ("defaults.n", 0, "config key defaults.n: 0 is less than the minimum of 1"),
    ("sweeps.l1", [-0.1], "config key sweeps.l1.0: -0.1 is less than the minimum of 0"),
    ("sweeps.l1", ["1e-5"], "config key sweeps.l1.0: '1e-5' is not of type 'number'"),
    ("defaults.epochs", 0, "config key defaults.epochs: 0 is less than the minimum of 1"),
    ("sweeps.deep.0.epochs", 0, "config key sweeps.deep.0.epochs: 0 is less than the minimum of 1"),
    (
        "defaults.arch",
        "resnet",
        "config key defaults.arch: unknown architecture 'resnet'; expected one of",
    ),
    (
        "architectures.baseline.1",
        {"Conv2D": {"fliters": 8, "kernel_size": 3}},
        "config key architectures.baseline.1.Conv2D: fliters is not an option of Conv2D; "
        "it accepts: activation, ",
    ),
    ("architectures.maxpool", [], "config key architectures.maxpool: [] should be non-empty"),
    (
        "conv.kernels.kernel1",
        [1, 2, 3],
        "config key conv.kernels.kernel1.2: 3 is not of type 'array'",
    ),
    (
        "conv.kernels.kernel1",
        [[1, "a"]],
        "config key conv.kernels.kernel1.0.1: 'a' is not of type 'number'",
    ),
    (
        "conv.kernels.kernel1",
        [[1, 2], [3]],
        "config key conv.kernels.kernel1: rows have lengths [1, 2]",
    ),
    (
        "conv.example.kernel",
        [[1] * 6] * 6,
        "config key conv.example.kernel: a 6x6 kernel is larger than conv.example.array (5x5, "
        "padding 0); use a smaller kernel or more padding",
    ),
    (
        "conv.example.array",
        [[1, 2], [3]],
        "config key conv.example.array: rows have lengths [1, 2]",
    ),
    (
        "conv.kernels.kernel1",
        [[1] * 201] * 3,
        "config key conv.kernels.kernel1: a 3x201 kernel is larger than the picture (200x200, "
        "padding 0)",
    ),
    ("conv.table_stride", 0, "config key conv.table_stride: 0 is less than the minimum of 1"),
    ("conv.example.stride", 0, "config key conv.example.stride: 0 is less than the minimum of 1"),
    ("conv.image", "nope.jpg", "config key conv.image: 'nope.jpg' does not exist or is not a file"),
    (
        "cifar10.path",
        "nowhere/cifar.tar.gz",
        "config key cifar10.path: 'nowhere/cifar.tar.gz' does not exist",
    ),
    (
        "training.validation_split",
        1.5,
        "config key training.validation_split: 1.5 is greater than or equal to the maximum of 1",
    ),
    ("training.threads", 0, "config key training.threads: 0 is less than the minimum of 1"),
    (
        "claims.dummy_margin",
        "wide",
        "config key claims.dummy_margin: 'wide' is not of type 'number'",
    ),
    ("cifar10.classes", ["cat"], "config key cifar10.classes: ['cat'] is too short"),
]


DEFAULT_CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())
SCHEMA = REPO / "schemas" / "config.schema.yaml"


def changed(key, value) -> dict:
    config = copy.deepcopy(DEFAULT_CONFIG)
    set_key(key, value)(config)
    return config


def found_by_the_schema(case) -> bool:
    key, value, message = case
    return message in (schema_error(changed(key, value), SCHEMA) or "")


# Every mistake that the schema finds is checked in this process, where the Snakefile's
# first check finds it; end to end (real snakemake, one line, nothing touched): three kinds
# of them (a type, a missing key, an unknown key) and every mistake found after the schema.
SCHEMA_MISTAKES = [case for case in BAD_CONFIGS if found_by_the_schema(case)]
END_TO_END = [
    case
    for case in BAD_CONFIGS
    if case[0] in ("conv.padding", "training.seed", "foo") or case not in SCHEMA_MISTAKES
]


@pytest.mark.parametrize(
    "key, value, message", SCHEMA_MISTAKES, ids=[c[0] for c in SCHEMA_MISTAKES]
)
def test_the_schema_names_the_bad_key_in_one_line(key, value, message):
    line = schema_error(changed(key, value), SCHEMA)
    assert message in line and "\n" not in line


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.startswith("Error")]


@pytest.mark.parametrize("key, value, message", END_TO_END, ids=[case[0] for case in END_TO_END])
def test_bad_config_fails_before_any_job_with_one_line(workflow, key, value, message):
    sentinel = workflow.path("results/earlier.txt")
    sentinel.parent.mkdir()
    sentinel.write_text("computed before")
    os.utime(sentinel, (1_000_000_000, 1_000_000_000))
    config = workflow.config
    set_key(key, value)(config)
    workflow.write_config(config)

    result = workflow.snakemake(check=False, timeout=120)
    assert result.returncode != 0
    errors = error_lines(result)
    assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in workflow.path("results").iterdir()) == ["earlier.txt"]
    assert sentinel.stat().st_mtime == 1_000_000_000


def bad_tree(tmp_path, damage):
    root = write_image_tree(tmp_path / "tree", 2, 1)
    return damage(root)


def truncated_archive(tmp_path):
    archive = tar_folder(write_image_tree(tmp_path / "tree", 2, 1), tmp_path / "full.tar.gz", "c")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[:2000])
    return cut, "cut.tar.gz"


def no_train_test(tmp_path):
    (tmp_path / "flat").mkdir()
    return tmp_path / "flat", "holds neither data_batch_1..5 and test_batch nor train/ and test/"


def missing_class(tmp_path):
    root = write_image_tree(tmp_path / "tree", 2, 1)
    for file in (root / "train" / "ship").iterdir():
        file.unlink()
    (root / "train" / "ship").rmdir()
    return root, "train/: no images for class folder(s) ship"


def wrong_size(tmp_path):
    from PIL import Image

    root = write_image_tree(tmp_path / "tree", 2, 1)
    Image.new("L", (32, 32)).save(root / "test" / "dog" / "grey.png")
    return root, "grey.png: image is 32x32 L; expected 32x32 RGB"


def corrupt_batch(tmp_path):
    folder = write_batches(tmp_path / "cifar-10-batches-py")
    (folder / "data_batch_2").write_bytes(b"not a pickle")
    return folder, "data_batch_2: not a CIFAR-10 batch"


@pytest.mark.parametrize(
    "make_bad_data", [truncated_archive, no_train_test, missing_class, wrong_size, corrupt_batch]
)
def test_bad_data_is_a_clear_error_naming_the_file(workflow, tmp_path, make_bad_data):
    path, message = make_bad_data(tmp_path)
    config = workflow.config
    config["cifar10"]["path"] = str(path)
    workflow.write_config(config)
    result = workflow.snakemake("results/data/cifar10.npz", check=False)
    assert result.returncode != 0
    log = workflow.path("results/logs/prepare_data.log").read_text()
    assert message in log and "Traceback" not in log, log
    assert not workflow.path("results/data/cifar10.npz").exists()


def test_commands_that_run_no_training_never_look_at_the_data(workflow, finished_tiny, tmp_path):
    """After a kill, with the data gone or cifar10.path mistyped: unlocking, linting, listing
    and reporting work; Part 1 builds; a run that needs the data stops in one line."""
    missing = {"cifar10": {"path": "/no/such/data.tar.gz"}}
    workflow.write_config(missing, name="local.yaml")
    for command in (["--unlock"], ["--lint"], ["--list-rules"], ["-n", "results/fig_heart.png"]):
        workflow.snakemake(*command)
    (line,) = error_lines(workflow.snakemake("-n", check=False))
    assert line == "Error: config key cifar10.path: '/no/such/data.tar.gz' does not exist"
    finished = finished_tiny.copy(tmp_path / "finished")
    finished.write_config(missing, name="local.yaml")
    finished.snakemake("--report", str(tmp_path / "report.html"))
    assert finished.planned_jobs() == {}  # the prepared data stands for its source
