# What the rules read: the plan of this config (convlab.plan, built once here), and the
# input functions and params that only Snakemake can call.
import functools
import os
import sys
from pathlib import Path

from convlab.cifar10 import IMAGE_SHAPE, DataError, training_set_size
from convlab.config import ConfigError
from convlab.datasource import (
    PREPARED,
    SOURCE_SEEN,
    Planned,
    SourceChanged,
    fingerprint,
    read_record,
)
from snakemake.exceptions import WorkflowError

from convlab.devices import (
    place_training,
    training_memory_mb,
    training_priority,
    visible_gpus,
)
from convlab.files import machine_cache
from convlab.imports import library_closure
from convlab.plan import LOOK, build, other_runs
from convlab.project import python_path_mistake
from convlab.runs import RUN_FIELDS, RUN_FILES, RUN_FOLDER, RUN_NAME
from convlab.slots import pool_text
from convlab.targets import TargetError, built_so_far, unknown_target


def fail(message):
    """Stop before any job starts, with one line and no traceback."""
    sys.exit(f"Error: {message}")


if mistake := python_path_mistake():
    fail(mistake)


def exits_on_bad_target(function):
    """An input or params function that ends the run in one line on a bad wildcard value."""

    def checked(wildcards):
        try:
            return function(wildcards)
        except (TargetError, DataError) as error:
            fail(error)

    return checked


def planned(method, *names):
    """An input or params function: the plan's ``method`` of these wildcards' values."""
    return exits_on_bad_target(lambda wildcards: method(*(wildcards[name] for name in names)))


def code_inputs(script):
    """A rule's script and every library module that shapes its outputs (convlab.imports),
    as inputs, so that editing one reruns the rule. Relative paths: a copied or moved
    project plans nothing."""
    scripts = Path(os.path.relpath(Path(workflow.basedir) / "scripts"))
    entry = scripts / f"{script}.py"
    return [str(entry), *map(str, library_closure(entry, scripts / "convlab"))]


# CIFAR-10 prepared once (rules/data.smk), as this plan sees it (convlab.datasource).
DATA = Planned(config["cifar10"]["path"])


def data(read):
    """``read(DATA)``, or one line when the configured source holds other data."""
    try:
        return read(DATA)
    except SourceChanged as error:
        fail(error)


def prepared_data(wildcards):
    """The prepared data as a training job's inputs; a damaged file stops the plan in one
    line that says how to prepare it again, rule repair_data (no run retrains)."""
    if mistake := data(lambda prepared: prepared.damage_line):
        fail(mistake)
    return {
        "data": ancient(rules.prepare_data.output.data),
        "data_content": rules.prepare_data.output.content,
    }


try:
    PLAN = build(
        config,
        Path(workflow.basedir) / "schemas" / "config.schema.yaml",
        machine_cache("architectures-passed.json"),
        lambda: data(lambda prepared: prepared.fact("train_images", training_set_size)),
    )
except ConfigError as error:
    fail(error)


@functools.cache
def training_placement():
    """Where this machine's training jobs run (convlab.devices), from the config, the GPUs
    visible here and --cores (none on a cluster, whose profile sets the pool itself)."""
    try:
        cores = workflow.cores
    except WorkflowError:
        cores = None
    return place_training(
        config["device"],
        gpus=visible_gpus(),
        jobs_per_gpu=config["training"]["jobs_per_gpu"],
        gpu_threads=config["training"]["threads"],
        cpu_threads=config["training"]["cpu_threads"],
        cores=cores,
    )


@exits_on_bad_target
def training_run(wildcards):
    return PLAN.trained(dict(wildcards))


def shorter_run(wildcards):
    """The metrics of the run this one continues (convlab.plan.Plan.shorter): an input, so
    that it trains first whatever the executor or the free job slots."""
    shorter = PLAN.shorter(training_run(wildcards))
    return [shorter.file("metrics.json")] if shorter else []


def train_states(wildcards):
    """Where a run saves its state at each epoch end, and the state files of the same run
    with any number of epochs (a glob pattern): a longer run continues from one."""
    run = training_run(wildcards)
    return {
        "checkpoint": run.checkpoint,
        "finished": run.any_epochs("state.npz"),
    }


def history_inputs(wildcards):
    run = planned(PLAN.history_run, "name")(wildcards)
    return {
        "history": run.file("history.csv"),
        "metrics": run.file("metrics.json"),
        "code": code_inputs("plot_history"),
    }


def metrics(runs):
    return [run.file("metrics.json") for run in runs]


def look_record(index):
    """Look ``index`` of the claims, once its checkpoint job has run (else Snakemake waits)."""
    path = checkpoints.look.get(index=index).output[0]
    return path, read_record(path)


@exits_on_bad_target
def look_inputs(wildcards):
    """A look's inputs: the previous look, and the metrics of every compared configuration
    at the replicates that look asked for (the first look: the first count)."""
    index = int(wildcards.index)
    PLAN.check_look(index)
    if index == 0:
        at, previous = PLAN.first_look(), {}
    else:
        path, record = look_record(index - 1)
        at, previous = record["next"] or record["at"], {"previous": path}
    return {**previous, "metrics": metrics(PLAN.counted(at, 0))}


def final_look():
    """(path, record) of the last look: the first whose verdicts need no more seeds."""
    index = 0
    while (look := look_record(index))[1]["next"]:
        index += 1
    return look


def configured_runs(wildcards=None):
    """Every replicate of every configured run: the first count's seeds, and for the
    configurations that the looks gave more, theirs."""
    return PLAN.counted(final_look()[1]["at"] if len(PLAN.counts) > 1 else {}, PLAN.counts[0])


def what_was_meant(wildcards):
    """The input of no_rule_makes, asked for only when no other rule makes the file (as
    unknown_target comes last in rule order), is one line with what was likely meant."""
    if Path(wildcards.target).exists():
        return [".snakemake/convlab/no-input"]  # a file no rule makes and none needs
    fail(unknown_target(wildcards.target, PLAN.known_targets, config["architectures"], PLAN.makes))
