# The config checked before anything runs (the Snakefile puts the library on the path), the
# runs it configures, and what all the rules use (their code inputs, one line for a
# bad wildcard). The other files here hold the helpers of one concern each (Snakemake's lint
# keeps functions out of the files with rules); all their imports are here.
import atexit
import functools
import json
import os
import sys
from pathlib import Path

from snakemake.logging import logger

from convlab.architecture_check import check_once
from convlab.claims import declare, first_counts, schedule
from convlab.cifar10 import IMAGE_SHAPE, DataError, repair_prepared, training_set_size
from convlab.config import ConfigError, check_conv, check_runs, schema_error
from convlab.datasource import (
    SourceChanged,
    check_same_source,
    fingerprint,
    read_record,
    remembered,
)
from convlab.estimates import Pace, estimate_line, finished_runs
from convlab.devices import (
    describe,
    place_training,
    training_memory_mb,
    training_priority,
    usable_cores,
    visible_gpus,
)
from convlab.imports import library_closure
from convlab.prepared import prepared_damage
from convlab.runs import (
    CONFIGURATION,
    RUN_FIELDS,
    RUN_NAME,
    canonical_number,
    configuration_name,
    run_name,
)
from convlab.slots import pool_text
from convlab.splits import smallest_n, split_sizes
from convlab.studies import labelled_nets, shapes, sweep_names, sweep_points
from convlab.targets import (
    TargetError,
    architecture_runs,
    configured_runs,
    history_figure,
    history_figure_constraint,
    history_figure_names,
    history_figure_run,
    known_name,
    l1_weight,
    maybe_targets,
    positive_int,
    replicate_seeds,
    replicates,
    seed_value,
    unknown_target,
)

SCHEMA = Path(workflow.basedir) / "schemas" / "config.schema.yaml"


def fail(message):
    """Stop before any job starts, with one line and no traceback."""
    sys.exit(f"Error: {message}")


# The schema (types, ranges, required keys), then what a schema cannot say; each mistake is
# one line naming its config key.
if mistake := schema_error(config, SCHEMA):
    fail(mistake)
try:
    check_conv(config["conv"])
    check_runs(config)
    POINTS = {
        name: sweep_points(config, name, lambda changed: schema_error(changed, SCHEMA))
        for name in sweep_names(config["sweeps"])
    }
except ConfigError as error:
    fail(error)
# Layers, options, the head, optimizer and loss of every net (each architecture, each sweep
# value) against Keras itself, each in its canonical spelling, its shape (convlab.studies):
# seconds, so only when they changed since they last passed (on this machine, any project).
ARCHITECTURES_PASSED = Path(
    os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache",
    "convlab",
    "architectures-passed.json",
)
mistake, shaped = check_once(labelled_nets(config, POINTS), ARCHITECTURES_PASSED)
if mistake:
    fail(mistake)
# The shape of each run (architecture, variant): what it is built from and named by.
SHAPES = shapes(config, POINTS, shaped)


def code_inputs(script):
    """A rule's script and every library module it runs (convlab.imports), as inputs:
    editing one reruns the rule. Relative paths, so that a copied or moved project plans
    nothing; and as inputs, Snakemake compares their content, not their time (see
    rerun-triggers in the profiles)."""
    scripts = Path(os.path.relpath(Path(workflow.basedir) / "scripts"))
    entry = scripts / f"{script}.py"
    return [str(entry), *map(str, library_closure(entry, scripts / "convlab"))]


def exits_on_bad_target(function):
    """Wrap an input or params function so that a bad wildcard value ends the run cleanly."""

    def checked(wildcards):
        try:
            return function(wildcards)
        except (TargetError, DataError) as error:
            fail(error)

    return checked


# Part 2: the runs the config asks for.
ARCHITECTURES = config["architectures"]
DEFAULTS = config["defaults"]
SWEEPS = config["sweeps"]
HISTORY_FIGURES = history_figure_names(SWEEPS, SHAPES)
# The replicates at each look of the claims (convlab.claims.schedule): one count, or rounds
# that add seeds only to configurations of claims still open. Every configured run has the
# first count's seeds; ALL_SEEDS are those a run may get.
COUNTS = schedule(config["replicates"])
SEEDS = replicate_seeds(config, COUNTS[0])
ALL_SEEDS = replicate_seeds(config, COUNTS[-1])
# One trained run: a configuration and the seed of its replicate (convlab.runs.RUN_NAME).
RUN_FOLDER = f"results/runs/{RUN_NAME}"
# Its training state, saved at every epoch end beside (not in) results/runs/: no file in a
# run's folder looks finished, and Snakemake, which deletes a job's outputs before it runs
# the job again, leaves it (convlab.checkpoints).
CHECKPOINT = f"results/checkpoints/{RUN_NAME}/state.npz"


wildcard_constraints:
    **RUN_FIELDS,


HISTORY_FIGURE_NAME = history_figure_constraint(SHAPES)


def configuration(name):
    """The configuration (architecture, n, L1 weight, epochs, variant) behind a history
    figure."""
    run = history_figure_run(name, DEFAULTS, SHAPES, SEEDS[0], f"results/fig_{name}.png")
    return {key: run[key] for key in CONFIGURATION}


CONFIGURED_RUNS = configured_runs(config, SHAPES)
ARCHITECTURE_RUNS = architecture_runs(SHAPES, DEFAULTS)
CLAIM_RUNS = {
    "default": configuration(f"n_{DEFAULTS['n']}"),
    "n": [configuration(name) for name in HISTORY_FIGURES["n"]],
    "l1": [configuration(name) for name in HISTORY_FIGURES["l1"]],
    "maxpool": configuration("maxpool"),
    "deep": [configuration(name) for name in HISTORY_FIGURES["deep"]],
}
CLAIMS = declare(CLAIM_RUNS, config["claims"])
LOOK = "results/claims/look{index}.json"


def counted_run_names(at, others):
    """The replicates of every configured run, ``at[name]`` seeds of each configuration that
    ``at`` names (by convlab.runs.configuration_name) and ``others`` of the rest."""
    return [
        run_name(**run, seed=seed)
        for run in CONFIGURED_RUNS
        for seed in ALL_SEEDS[: at.get(configuration_name(run), others)]
    ]


def configured_run_names(wildcards=None):
    """Every replicate of every configured run: the first count's seeds, and for the
    configurations that the looks gave more, theirs (the checkpoints decide)."""
    at = final_look()[1]["at"] if len(COUNTS) > 1 else {}
    return counted_run_names(at, COUNTS[0])


def configured_metrics(wildcards=None):
    return [f"results/runs/{name}/metrics.json" for name in configured_run_names()]


def run_names(runs):
    """The names of every replicate of each configuration."""
    return [run_name(**run) for run in replicates(runs, SEEDS)]
