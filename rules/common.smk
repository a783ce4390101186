# Shared set-up: the library on the path, the config checked before anything runs,
# and helpers that turn a user's mistake into one clear line.
import sys
from pathlib import Path

from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from convlab.cifar10 import DataError, prepared_size, training_set_size
from convlab.config import ConfigError, check_conv, check_runs, schema_error
from convlab.targets import (
    TargetError,
    architecture_runs,
    configured_runs,
    history_figure_names,
    history_figure_run,
    known_name,
    l1_weight,
    positive_int,
    run_name,
)

SCHEMA = Path(workflow.basedir) / "schemas" / "config.schema.yaml"


def fail(message):
    """Stop before any job starts, with one line and no traceback."""
    sys.exit(f"Error: {message}")


try:
    validate(config, SCHEMA)
except WorkflowError:
    import yaml

    fail(schema_error(config, yaml.safe_load(SCHEMA.read_text())))
try:
    check_conv(config["conv"])
    check_runs(config)
except ConfigError as error:
    fail(error)


def library(*modules):
    """The library modules a rule's script imports, as inputs: editing one reruns the rule."""
    return [str(Path(workflow.basedir) / "scripts" / "convlab" / f"{m}.py") for m in modules]


def user_input(function):
    """Wrap an input or params function so that a bad wildcard value ends the run cleanly."""

    def checked(wildcards):
        try:
            return function(wildcards)
        except (TargetError, DataError) as error:
            fail(error)

    return checked


# Part 1 ---------------------------------------------------------------------
CONV = config["conv"]


def conv_targets():
    kernels = list(CONV["kernels"])
    return [
        "results/conv_example.txt",
        "results/fig_heart.png",
        *expand("results/table_{kernel}_stride{stride}.tsv", kernel=kernels, stride=CONV["table_stride"]),
        *expand("results/fig_conv_{kernel}.png", kernel=kernels),
    ]


@user_input
def kernel_matrix(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    name = known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return CONV["kernels"][name]


@user_input
def table_stride(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    return positive_int(wildcards.stride, "stride", target)


@user_input
def heatmap_table(wildcards):
    target = f"results/fig_conv_{wildcards.kernel}.png"
    known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return f"results/table_{wildcards.kernel}_stride{CONV['heatmap_stride']}.tsv"


# Part 2 ---------------------------------------------------------------------
ARCHITECTURES = config["architectures"]
DEFAULTS = config["defaults"]
SWEEPS = config["sweeps"]
HISTORY_FIGURES = history_figure_names(SWEEPS)


def figure_run(name):
    return history_figure_run(name, DEFAULTS, f"results/fig_{name}.png")


CONFIGURED_RUNS = configured_runs(config)
ARCHITECTURE_RUNS = architecture_runs(ARCHITECTURES, DEFAULTS)
CLAIM_RUNS = {
    "default": figure_run(f"n_{DEFAULTS['n']}"),
    "n": [figure_run(name) for name in HISTORY_FIGURES["n"]],
    "l1": [figure_run(name) for name in HISTORY_FIGURES["l1"]],
    "maxpool": figure_run("maxpool"),
    "deep": [figure_run(name) for name in HISTORY_FIGURES["deep"]],
}


def metrics_files(runs):
    return [f"results/runs/{run_name(**run)}/metrics.json" for run in runs]


def sweep_metrics(wildcards):
    return metrics_files(CLAIM_RUNS[wildcards.sweep])


def part2_targets():
    return [
        *expand("results/summary_{arch}.txt", arch=ARCHITECTURES),
        *[f"results/fig_{name}.png" for names in HISTORY_FIGURES.values() for name in names],
        "results/experiments.csv",
        "results/fig_sweep_n.png",
        "results/fig_sweep_l1.png",
        "results/fig_architectures.png",
        *[f"results/fig_confusion_{run_name(**run)}.png" for run in CONFIGURED_RUNS],
        "results/claims.md",
    ]


def history_subcategory(wildcards):
    """The report's group for a history figure, named after the seed's figures."""
    kind = wildcards.name.split("_")[0]
    return {
        "n": "n sweep (Figures 7-10)",
        "l1": "L1 sweep (Figures 11-15)",
        "maxpool": "Max-pooling (Figure 18)",
        "deep": "Deep net (Figures 19-21)",
    }[kind]


_train_size = {}


def train_size():
    """Size of the configured training set, counted once per invocation: from the prepared
    file when it is newer than the source (fast), else from the source itself."""
    if not _train_size:
        source = config["cifar10"]["path"]
        prepared = Path("results/data/cifar10.npz")
        if prepared.exists() and (
            source is None or prepared.stat().st_mtime >= Path(source).stat().st_mtime
        ):
            _train_size["n"] = prepared_size(prepared)
        else:
            _train_size["n"] = training_set_size(source)
    return _train_size["n"]


def checked_run(arch, n, l1, epochs, target):
    """The run's parameters once each is valid, or a one-line error naming the target."""
    known_name(arch, "architecture", ARCHITECTURES, target)
    n = positive_int(str(n), "n", target)
    if n > train_size():
        raise TargetError(
            f"{target}: n = {n} is larger than the training set ({train_size()} images)"
        )
    l1 = l1_weight(str(l1), target)
    epochs = positive_int(str(epochs), "epochs", target)
    return dict(arch=arch, n=n, l1=l1, epochs=epochs)


@user_input
def train_params(wildcards):
    target = f"results/runs/{wildcards.arch}_n{wildcards.n}_w{wildcards.l1}_e{wildcards.epochs}"
    run = checked_run(wildcards.arch, wildcards.n, wildcards.l1, wildcards.epochs, target)
    if run["l1"] != wildcards.l1:
        raise TargetError(f"{target}: write the L1 weight as {run['l1']}, its canonical spelling")
    return {**run, "l1": float(run["l1"]), "layers": ARCHITECTURES[run["arch"]]}


@user_input
def history_figure_inputs(wildcards):
    target = f"results/fig_{wildcards.name}.png"
    run = history_figure_run(wildcards.name, DEFAULTS, target)
    run = checked_run(run["arch"], run["n"], run["l1"], run["epochs"], target)
    folder = f"results/runs/{run_name(**run)}"
    return {
        "history": f"{folder}/history.csv",
        "metrics": f"{folder}/metrics.json",
        "code": library("plots"),
    }


@user_input
def summary_layers(wildcards):
    known_name(wildcards.arch, "architecture", ARCHITECTURES, f"results/summary_{wildcards.arch}.txt")
    return ARCHITECTURES[wildcards.arch]
