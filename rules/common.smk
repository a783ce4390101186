# The plan of this config (convlab.plan, built once here), and the rules' input functions.
import functools
import os
import sys
from pathlib import Path

import convlab
from convlab.cifar10 import IMAGE_SHAPE, training_set_size
from convlab.config import ConfigError
from convlab.datasource import PREPARED, SOURCE_SEEN, Planned, fingerprint, read_record
from snakemake.exceptions import WorkflowError

from convlab.devices import gpu_request, place_training, training_memory_mb
from convlab.devices import training_priority, visible_gpus
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
    """An input or params function: ``method`` of the named wildcards (else of all, a dict)."""
    if not names:
        return exits_on_bad_target(lambda wildcards: method(dict(wildcards)))
    return exits_on_bad_target(lambda wildcards: method(*(wildcards[name] for name in names)))


# This workflow's folder (perhaps a module's), and the installed library its jobs import.
WORKFLOW = Path(workflow.current_basedir).parent
LIBRARY = Path(convlab.__file__).parent


def code_sources(script):
    """{name under results/code/: file} of a rule's script and the library modules it imports
    (convlab.imports); relative, so that a moved project plans nothing."""
    entry = Path(os.path.relpath(WORKFLOW / "scripts" / f"{script}.py"))
    modules = library_closure(entry, Path(os.path.relpath(LIBRARY)))
    return {entry.name: str(entry)} | {f"convlab/{path.name}": str(path) for path in modules}


def shown(path, caption, category, subcategory, labels=None):
    """``path`` in the report (snakemake --report), captioned by report/<caption>.rst."""
    caption = f"../report/{caption}.rst"
    return report(path, caption=caption, category=category, subcategory=subcategory, labels=labels)


def code_inputs(script):
    """A local rule's code as its inputs (an edit reruns it), never in a default storage."""
    return [local(path) for path in code_sources(script).values()]


# The training's code, copied under results/code/: a node sharing no disk gets copies as inputs.
TRAINING_CODE = code_sources("train")


# CIFAR-10 prepared once (rules/data.smk), as this plan sees it (convlab.datasource).
DATA = Planned(config["cifar10"]["path"])
data = exits_on_bad_target(lambda read: read(DATA))  # one line: a missing source, other data


def prepared_data(wildcards):
    """The prepared data as a training's inputs; a damaged file: one line (rule repair_data)."""
    if mistake := data(lambda prepared: prepared.damage_line):
        fail(mistake)
    prepared = rules.prepare_data.output
    return {"data": ancient(prepared.data), "data_content": prepared.content}


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
    """Where this machine's trainings run (convlab.devices); no --cores on a cluster."""
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


training_run = exits_on_bad_target(lambda wildcards: PLAN.trained(dict(wildcards)))


def training_minutes(wildcards, attempt):
    """A cluster's time for a training: the epochs it trains at the reference pace, a margin."""
    run = training_run(wildcards)
    shorter = PLAN.shorter(run)
    workload = run.n * (run.epochs - (shorter.epochs if shorter else 0))
    return cluster_minutes(run.arch, training_placement().threads, workload, attempt)


def shorter_run(wildcards):
    """The final state of the run this one continues (Plan.shorter): an input, so that it
    trains first and is handed over where no disk is shared."""
    shorter = PLAN.shorter(training_run(wildcards))
    return [shorter.file("state.npz")] if shorter else []


def history_inputs(kind):
    """The input function of a kind of history figure: the files of the run it draws."""
    drawn = planned(functools.partial(PLAN.history_run, kind))

    def inputs(wildcards):
        run = drawn(wildcards)
        return {"history": run.file("history.csv"), "metrics": run.file("metrics.json")}

    return inputs


def replicate_files(name):
    """An input function: the file ``name`` of each first-count replicate of a configuration."""
    return lambda wildcards: [
        training_run({**wildcards, "seed": seed}).file(name) for seed in PLAN.seeds
    ]


def configured_files(name):
    """An input function: the file ``name`` of every configured run."""
    return lambda wildcards: [run.file(name) for run in configured_runs()]


def look_record(index):
    """Look ``index`` of the claims, once its checkpoint job has run (else Snakemake waits)."""
    path = checkpoints.look.get(index=index).output[0]
    return path, read_record(path)


@exits_on_bad_target
def look_inputs(wildcards):
    """The previous look, and the metrics of the replicates this look asked for."""
    index = int(wildcards.index)
    PLAN.check_look(index)
    if index == 0:
        at, previous = PLAN.first_look(), {}
    else:
        path, record = look_record(index - 1)
        at, previous = record["next"] or record["at"], {"previous": path}
    return {**previous, "metrics": [run.file("metrics.json") for run in PLAN.counted(at, 0)]}


def final_look():
    """(path, record) of the last look: the first whose verdicts need no more seeds."""
    index = 0
    while (look := look_record(index))[1]["next"]:
        index += 1
    return look


def configured_runs(wildcards=None):
    """Every configured run's replicates: the first count's, or as many as the looks gave."""
    return PLAN.counted(final_look()[1]["at"] if len(PLAN.counts) > 1 else {}, PLAN.counts[0])


def what_was_meant(target):
    """One line for a file that no rule makes, with what the user likely meant."""
    return unknown_target(target, PLAN.known_targets, config["architectures"], PLAN.makes)
