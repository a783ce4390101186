# What the rules read: the plan of this config (convlab.plan, built once here), and the
# input functions and params that only Snakemake can call.
import functools
import os
import sys
from pathlib import Path

import convlab
from convlab.cifar10 import IMAGE_SHAPE, training_set_size
from convlab.config import ConfigError
from convlab.datasource import (
    PREPARED,
    SOURCE_SEEN,
    Planned,
    fingerprint,
    read_record,
)
from snakemake.exceptions import WorkflowError

from convlab.devices import (
    gpu_request,
    place_training,
    training_memory_mb,
    training_priority,
    visible_gpus,
)
from convlab.estimates import cluster_minutes
from convlab.files import machine_cache
from convlab.imports import library_closure
from convlab.plan import HISTORY, LOOK, build, history_path, other_runs
from convlab.project import python_path_mistake
from convlab.runs import CONFIGURATION_NAME, RUN_FIELDS, RUN_FILES, RUN_FOLDER, RUN_NAME
from convlab.slots import pool_text
from convlab.errors import UserError
from convlab.targets import MisspeltTargets, built_so_far, unknown_target


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
        except UserError as error:
            fail(error)

    return checked


def planned(method, *names):
    """An input or params function: the plan's ``method`` of these wildcards' values (of all
    the wildcards, as a dict, where no names are given)."""
    if not names:
        return exits_on_bad_target(lambda wildcards: method(dict(wildcards)))
    return exits_on_bad_target(lambda wildcards: method(*(wildcards[name] for name in names)))


# This workflow's folder (the main one, or a module's that a user's workflow uses), and the
# installed library that its jobs import.
WORKFLOW = Path(workflow.current_basedir).parent
LIBRARY = Path(convlab.__file__).parent


def code_sources(script):
    """A rule's script and every module of the installed library that shapes its outputs
    (convlab.imports): {name under results/code/: the file, relative to here}. Relative
    paths: a copied or moved project plans nothing."""
    entry = Path(os.path.relpath(WORKFLOW / "scripts" / f"{script}.py"))
    modules = library_closure(entry, Path(os.path.relpath(LIBRARY)))
    return {entry.name: str(entry)} | {f"convlab/{path.name}": str(path) for path in modules}


def code_inputs(script):
    """A local rule's code as its inputs, so that editing a file reruns the rule: local files,
    never in a default storage (they come with the workflow and the installed package)."""
    return [local(path) for path in code_sources(script).values()]


# The training's code, each file as a copy under results/code/ that the training_code rule
# makes. A node sharing no disk with this host is handed the copies from a default storage
# like any input; a local file among its inputs would make Snakemake run it on this host.
TRAINING_CODE = code_sources("train")


def code_source(wildcards):
    """The file that results/code/<file> copies."""
    return local(TRAINING_CODE[wildcards.file])


# CIFAR-10 prepared once (rules/data.smk), as this plan sees it (convlab.datasource).
DATA = Planned(config["cifar10"]["path"])


def data(read):
    """``read(DATA)``, or one line when the configured source is missing or holds other data."""
    try:
        return read(DATA)
    except UserError as error:
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
        WORKFLOW / "schemas" / "config.schema.yaml",
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


def training_minutes(wildcards, attempt):
    """The time a cluster gives a training job: its epochs in this job (those of the run it
    continues are done) at the reference pace, with a margin, more at each resubmission."""
    run = training_run(wildcards)
    shorter = PLAN.shorter(run)
    workload = run.n * (run.epochs - (shorter.epochs if shorter else 0))
    return cluster_minutes(run.arch, training_placement().threads, workload, attempt)


def shorter_run(wildcards):
    """The final state of the run this one continues (convlab.plan.Plan.shorter): an input,
    so that it trains first whatever the executor or the free job slots, and is handed to
    the job where nothing is shared but what Snakemake moves (a default storage provider)."""
    shorter = PLAN.shorter(training_run(wildcards))
    return [shorter.file("state.npz")] if shorter else []


def history_inputs(kind):
    """The input function of a kind of history figure: the files of the run it draws."""

    def inputs(wildcards):
        run = planned(functools.partial(PLAN.history_run, kind))(wildcards)
        return {
            "history": run.file("history.csv"),
            "metrics": run.file("metrics.json"),
            "code": code_inputs("plot_history"),
        }

    return inputs


def replicate_files(name):
    """An input function: the file ``name`` of every replicate (the first count's seeds) of
    the configuration that the wildcards name."""
    return lambda wildcards: [
        training_run({**wildcards, "seed": seed}).file(name) for seed in PLAN.seeds
    ]


def metrics(runs):
    return [run.file("metrics.json") for run in runs]


def configured_files(name):
    """An input function: the file ``name`` of every configured run (configured_runs)."""
    return lambda wildcards: [run.file(name) for run in configured_runs()]


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


def what_was_meant(target):
    """One line for a file that no rule makes, with what the user likely meant."""
    return unknown_target(target, PLAN.known_targets, config["architectures"], PLAN.makes)
