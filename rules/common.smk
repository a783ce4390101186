# Shared set-up: the library on the path, the config checked before anything runs,
# and helpers that turn a user's mistake into one clear line.
import os
import sys
from pathlib import Path

from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from convlab.cifar10 import DataError, training_set_size
from convlab.config import ConfigError, check_conv, check_runs, schema_error
from convlab.datasource import SourceChanged, check_same_source, read_record
from convlab.devices import describe, gpu_visible, place_training, training_memory_mb
from convlab.targets import (
    CONFIGURATION,
    TargetError,
    architecture_runs,
    configured_runs,
    history_figure_names,
    history_figure_run,
    known_name,
    l1_weight,
    positive_int,
    replicate_seeds,
    replicates,
    run_name,
    seed_value,
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


def code_inputs(script, *modules):
    """A rule's script and the library modules it imports, as inputs: editing one reruns the
    rule. Relative paths, so that a copied or moved project plans nothing; and as inputs,
    Snakemake compares their content, not their time (see rerun-triggers in the profiles)."""
    scripts = Path(os.path.relpath(Path(workflow.basedir) / "scripts"))
    return [str(scripts / f"{script}.py")] + [str(scripts / "convlab" / f"{m}.py") for m in modules]


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
SEEDS = replicate_seeds(config)
# One trained run: a configuration and the seed of its replicate.
RUN_FOLDER = "results/runs/{arch}_n{n}_w{l1}_e{epochs}_s{seed}"


def configuration(name):
    """The configuration (architecture, n, L1 weight, epochs) behind a history figure."""
    run = history_figure_run(name, DEFAULTS, SEEDS[0], f"results/fig_{name}.png")
    return {key: run[key] for key in CONFIGURATION}


CONFIGURED_RUNS = configured_runs(config)
ARCHITECTURE_RUNS = architecture_runs(ARCHITECTURES, DEFAULTS)
CLAIM_RUNS = {
    "default": configuration(f"n_{DEFAULTS['n']}"),
    "n": [configuration(name) for name in HISTORY_FIGURES["n"]],
    "l1": [configuration(name) for name in HISTORY_FIGURES["l1"]],
    "maxpool": configuration("maxpool"),
    "deep": [configuration(name) for name in HISTORY_FIGURES["deep"]],
}


def metrics_files(runs):
    """metrics.json of every replicate of each configuration."""
    return [f"results/runs/{run_name(**run)}/metrics.json" for run in replicates(runs, SEEDS)]


def part2_targets():
    first_replicates = replicates(CONFIGURED_RUNS, SEEDS[:1])
    return [
        *expand("results/summary_{arch}.txt", arch=ARCHITECTURES),
        *[f"results/fig_{name}.png" for names in HISTORY_FIGURES.values() for name in names],
        "results/experiments.csv",
        "results/experiments_summary.csv",
        "results/fig_sweep_n.png",
        "results/fig_sweep_l1.png",
        "results/fig_architectures.png",
        *[f"results/fig_confusion_{run_name(**run)}.png" for run in first_replicates],
        "results/claims.md",
    ]


def building_report():
    """True under `snakemake --report`: the workflow is read to describe, not to run."""
    return any(arg.startswith("--report") and arg != "--report-stylesheet" for arg in sys.argv)


def default_targets():
    """Every figure and table of both parts. For the report, only those built so far, with
    one line that says what is left out (a report of a partial run is a partial report)."""
    targets = conv_targets() + part2_targets()
    if not building_report():
        return targets
    missing = [target for target in targets if not Path(target).exists()]
    if missing:
        print(
            f"Report: {len(missing)} of {len(targets)} targets are not built yet and are left "
            f"out ({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}); "
            "run `snakemake` first for a full report",
            file=sys.stderr,
        )
    return [target for target in targets if target not in missing]


def history_subcategory(wildcards):
    """The report's group for a history figure, named after the assignment's figures."""
    kind = wildcards.name.split("_")[0]
    return {
        "n": "n sweep (Figures 7-10)",
        "l1": "L1 sweep (Figures 11-15)",
        "maxpool": "Max-pooling (Figure 18)",
        "deep": "Deep net (Figures 19-21)",
    }[kind]


# CIFAR-10 prepared once into one file, with a record of the source it came from.
PREPARED_DATA = "results/data/cifar10.npz"
PREPARED_RECORD = "results/data/cifar10.source.json"


def prepared_record():
    """The prepared data's record when the configured source holds the same data; None when
    nothing is prepared yet. Other data is one line before anything is deleted."""
    record = read_record(PREPARED_RECORD) if Path(PREPARED_DATA).exists() else None
    if record is not None:
        try:
            check_same_source(config["cifar10"]["path"], record, PREPARED_DATA)
        except SourceChanged as error:
            fail(error)
    return record


PREPARED = prepared_record()
_train_size = {}


def train_size():
    """Size of the configured training set: from the prepared data's record (fast), else
    counted in the source, once per invocation."""
    if not _train_size:
        _train_size["n"] = (
            PREPARED["train_images"]
            if PREPARED
            else training_set_size(config["cifar10"]["path"])
        )
    return _train_size["n"]


def cluster_executor():
    """True under a cluster executor such as SLURM, dry runs included: for those Snakemake
    swaps in its local dry-run executor but keeps the intended executor's use of threads."""
    return not workflow.local_exec or workflow.execution_settings.use_threads


_placement = {}


def training_placement():
    """Where training jobs run, decided once per invocation when the first job is planned
    (the executor is known by then), and said in one line."""
    if not _placement:
        _placement["decided"] = place_training(
            config["device"],
            local=not cluster_executor(),
            visible=gpu_visible(),
            gpu_threads=config["training"]["threads"],
            cpu_threads=config["training"]["cpu_threads"],
        )
        cores = workflow.global_resources["_cores"]
        print(describe(_placement["decided"], getattr(cores, "value", cores)), file=sys.stderr)
    return _placement["decided"]


def training_gpus(wildcards):
    return int(training_placement().gpu)


def training_threads(wildcards):
    return training_placement().threads


def training_memory(wildcards):
    return training_memory_mb(int(wildcards.n))


def checked_run(arch, n, l1, epochs, seed, target):
    """The run's parameters once each is valid, or a one-line error naming the target."""
    known_name(arch, "architecture", ARCHITECTURES, target)
    n = positive_int(str(n), "n", target)
    if n > train_size():
        raise TargetError(
            f"{target}: n = {n} is larger than the training set ({train_size()} images)"
        )
    l1 = l1_weight(str(l1), target)
    epochs = positive_int(str(epochs), "epochs", target)
    seed = seed_value(str(seed), target)
    return dict(arch=arch, n=n, l1=l1, epochs=epochs, seed=seed)


@user_input
def train_params(wildcards):
    target = RUN_FOLDER.format(**wildcards)
    run = checked_run(*(wildcards[key] for key in ("arch", "n", "l1", "epochs", "seed")), target)
    if run["l1"] != wildcards.l1:
        raise TargetError(f"{target}: write the L1 weight as {run['l1']}, its canonical spelling")
    return {**run, "l1": float(run["l1"]), "layers": ARCHITECTURES[run["arch"]]}


@user_input
def history_figure_inputs(wildcards):
    target = f"results/fig_{wildcards.name}.png"
    run = history_figure_run(wildcards.name, DEFAULTS, SEEDS[0], target)
    run = checked_run(**run, target=target)
    folder = f"results/runs/{run_name(**run)}"
    return {
        "history": f"{folder}/history.csv",
        "metrics": f"{folder}/metrics.json",
        "code": code_inputs("plot_history", "plots"),
    }


@user_input
def summary_layers(wildcards):
    known_name(wildcards.arch, "architecture", ARCHITECTURES, f"results/summary_{wildcards.arch}.txt")
    return ARCHITECTURES[wildcards.arch]
