# Shared set-up: the config checked before anything runs (the Snakefile puts the library on
# the path),
# and helpers that turn a user's mistake into one clear line.
import atexit
import functools
import json
import os
import re
import sys
from pathlib import Path

from snakemake.settings.enums import RerunTrigger

from convlab.architecture_check import check_once
from convlab.checkpoints import state_key
from convlab.claims import declare, first_counts, schedule
from convlab.cifar10 import IMAGE_SHAPE, DataError, repair_prepared, training_set_size
from convlab.config import ConfigError, check_conv, check_runs, schema_error
from convlab.datasource import SourceChanged, check_same_source, fingerprint, read_record
from convlab.estimates import Pace, estimate_line, finished_runs
from convlab.devices import (
    describe,
    place_training,
    training_memory_mb,
    training_priority,
    usable_cores,
    visible_gpus,
)
from convlab.files import file_digest
from convlab.imports import library_closure
from convlab.runs import CONFIGURATION, RUN_FIELDS, RUN_NAME, configuration_name, run_name
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


# Part 1 ---------------------------------------------------------------------
CONV = config["conv"]


def conv_targets():
    kernels = list(CONV["kernels"])
    return [
        "results/conv_example.txt",
        "results/fig_heart.png",
        *expand(
            "results/table_{kernel}_stride{stride}.tsv", kernel=kernels, stride=CONV["table_stride"]
        ),
        *expand("results/fig_conv_{kernel}.png", kernel=kernels),
    ]


@exits_on_bad_target
def kernel_matrix(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    name = known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return CONV["kernels"][name]


@exits_on_bad_target
def table_stride(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    return positive_int(wildcards.stride, "stride", target)


@exits_on_bad_target
def heatmap_table(wildcards):
    target = f"results/fig_conv_{wildcards.kernel}.png"
    known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return f"results/table_{wildcards.kernel}_stride{CONV['heatmap_stride']}.tsv"


# Part 2 ---------------------------------------------------------------------
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


def look_record(index):
    """Look ``index`` of the claims, once its checkpoint job has run (else Snakemake waits)."""
    path = checkpoints.look.get(index=index).output[0]
    return path, json.loads(Path(path).read_text(encoding="utf-8"))


@exits_on_bad_target
def look_inputs(wildcards):
    """A look's inputs: the previous look, and the metrics of every compared configuration
    at the replicates that look asked for (the first look: the first count)."""
    index = int(wildcards.index)
    if index >= len(COUNTS):
        raise TargetError(
            f"{LOOK.format(index=index)}: this config looks {len(COUNTS)} time(s), "
            f"{LOOK.format(index=0)} to {LOOK.format(index=len(COUNTS) - 1)} (replicates)"
        )
    if index == 0:
        at, previous = first_counts(CLAIMS, COUNTS), {}
    else:
        path, record = look_record(index - 1)
        at, previous = record["next"] or record["at"], {"previous": path}
    names = counted_run_names(at, 0)
    return {**previous, "metrics": [f"results/runs/{name}/metrics.json" for name in names]}


def final_look():
    """(path, record) of the last look: the first whose verdicts need no more seeds."""
    index = 0
    while True:
        path, record = look_record(index)
        if not record["next"]:
            return path, record
        index += 1


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


# Every sweep with a figure of its values: its configurations, and the value of each.
SWEEP_NAMES = ["n", "l1", *SHAPES.points]
CURVE_SWEEPS = ["n", "l1", "deep", *SHAPES.points]


def sweep_runs(sweep):
    """[(configuration, its value on the sweep's axis)] of a sweep, in the config's order."""
    if sweep == "deep":
        return [(run, f"n = {run['n']}, {run['epochs']} epochs") for run in CLAIM_RUNS["deep"]]
    if sweep == "n":
        return [(run, run["n"]) for run in CLAIM_RUNS["n"]]
    if sweep == "l1":  # a number, so that the axis is one (symmetric-log: 0 is among them)
        return [(run, float(run["l1"])) for run in CLAIM_RUNS["l1"]]
    names = HISTORY_FIGURES[sweep]
    return [
        (configuration(name), point.value) for name, (point, _) in zip(names, SHAPES.points[sweep])
    ]


def sweep_label(sweep):
    """The axis label of a sweep's figures."""
    labels = {"n": "training points n", "l1": "L1 weight", "deep": "deep net"}
    return labels.get(sweep) or config["sweeps"][sweep]["setting"]


def run_names(runs):
    """The names of every replicate of each configuration."""
    return [run_name(**run) for run in replicates(runs, SEEDS)]


def other_trained_runs():
    """[name, state key] of every finished run on disk that the config does not ask for (one
    trained on purpose, or for an earlier config): results/runs.csv lists them too, and is
    made again when one is added, removed or trained again."""
    configured = set(run_names(CONFIGURED_RUNS)) | looked_run_names()
    others = []
    for metrics in sorted(Path("results/runs").glob("*/metrics.json")):
        if metrics.parent.name not in configured:
            try:
                record = json.loads((metrics.parent / "run.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                record = {}
            others.append([metrics.parent.name, record.get("state_key")])
    return others


def looked_run_names():
    """The runs that the looks on disk asked for (their extra seeds are configured runs)."""
    names = set()
    for path in Path("results/claims").glob("look*.json"):
        try:
            at = json.loads(path.read_text(encoding="utf-8"))["at"]
        except (OSError, ValueError, KeyError):
            continue
        names |= set(counted_run_names(at, 0))
    return names


def history_figures():
    """The history figures of every sweep, and fig_<arch> for an architecture whose default
    run none of them draws (one that a user added)."""
    names = [name for names in HISTORY_FIGURES.values() for name in names]
    drawn = [configuration(name) for name in names]
    return names + [run["arch"] for run in ARCHITECTURE_RUNS if run not in drawn]


def part2_targets():
    first_replicates = replicates(CONFIGURED_RUNS, SEEDS[:1])
    return [
        *expand("results/summary_{arch}.txt", arch=ARCHITECTURES),
        *[f"results/fig_{name}.png" for name in history_figures()],
        "results/experiments.csv",
        "results/experiments_summary.csv",
        "results/runs.csv",
        *expand("results/fig_sweep_{sweep}.png", sweep=SWEEP_NAMES),
        *expand("results/fig_curves_{sweep}.png", sweep=CURVE_SWEEPS),
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


def made_by_a_rule(path):
    return any(rule.is_producer(path) for rule in workflow.rules)


def check_targets():
    """Files asked for on the command line that no rule makes end the run in one line with
    what was likely meant for each (Snakemake's own error names nothing). Called once every rule is
    defined; Snakemake's parser reads the command line only when a word is suspect."""
    words = maybe_targets(sys.argv[1:])
    unmade = [word for word in words if not (Path(word).exists() or made_by_a_rule(word))]
    if not unmade:
        return
    from snakemake.cli import get_argument_parser

    targets = set(get_argument_parser().parse_args(sys.argv[1:]).targets or ())
    unmade = [word for word in unmade if word in targets]
    if unmade:
        runs = replicates(CONFIGURED_RUNS, SEEDS[:1])
        files = [path.format(**run) for run in runs for path in rules.train.output]
        known = conv_targets() + part2_targets() + files
        fail("; ".join(unknown_target(t, known, ARCHITECTURES, made_by_a_rule) for t in unmade))


def history_group(wildcards):
    """The report's group for a history figure (convlab.targets.HISTORY_FIGURES)."""
    return history_figure(wildcards.name, SHAPES)[0].group


def history_labels(wildcards):
    """The report's labels of a history figure: its place in the config's order (the report
    sorts by label text, which put fig_l1_0.001 before fig_l1_0), its file and its run. (Of
    two figures, a label with two values would become a toggle; two such labels, none.)"""
    names = history_figures()
    place = names.index(wildcards.name) if wildcards.name in names else len(names)
    return {
        "#": f"{place + 1:03d}",
        "figure": f"fig_{wildcards.name}.png",
        "run": history_figure_run_name(wildcards),
    }


def history_about(wildcards):
    """The history figure's caption sentence (convlab.targets.HISTORY_FIGURES)."""
    return history_figure(wildcards.name, SHAPES)[0].about


# CIFAR-10 prepared once into one file, with a record of what it holds (the runs' input) and
# one of the source it came from (checked here).
PREPARED_DATA = "results/data/cifar10.npz"
PREPARED_CONTENT = "results/data/cifar10.content.json"
PREPARED_RECORD = "results/data/cifar10.source.json"


def prepared_record():
    """The prepared data's source record when the configured source holds the same data;
    None when nothing is prepared yet. Other data is one line before anything is deleted."""
    record = read_record(PREPARED_RECORD) if Path(PREPARED_DATA).exists() else None
    if record is not None:
        try:
            check_same_source(config["cifar10"]["path"], record, PREPARED_DATA)
        except SourceChanged as error:
            fail(error)
    return record


PREPARED = prepared_record()


def source_fingerprint():
    """The configured source's content fingerprint: the record's when it holds the same data
    (checked above), else read once from the source (a project not prepared yet)."""
    return PREPARED["sha256"] if PREPARED else fingerprint(config["cifar10"]["path"])


@functools.cache
def repair_prepared_once():
    """Prepare the data again if the prepared file is damaged; once per invocation, when the
    first training job is planned (a dry run is known by then)."""
    try:
        repair_prepared(
            PREPARED_DATA,
            PREPARED,
            read_record(PREPARED_CONTENT),
            config["cifar10"],
            workflow.dryrun,
            say=lambda line: print(line, file=sys.stderr),
        )
    except DataError as error:
        fail(error)


def prepared_data(wildcards):
    """The prepared data as a training job's inputs, repaired first if damaged."""
    if PREPARED and not building_report():
        repair_prepared_once()
    return {
        "data": ancient(rules.prepare_data.output.data),
        "data_content": rules.prepare_data.output.content,
    }


@functools.cache
def train_size():
    """Size of the configured training set: from the prepared data's record (fast), else
    counted in the source, once per invocation."""
    return PREPARED["train_images"] if PREPARED else training_set_size(config["cifar10"]["path"])


def cluster_executor():
    """True under a cluster executor such as SLURM, dry runs included: for those Snakemake
    swaps in its local dry-run executor but keeps the intended executor's use of threads."""
    return not workflow.local_exec or workflow.execution_settings.use_threads


@functools.cache
def training_placement():
    """Where training jobs run, decided once per invocation when the first job is planned
    (the executor is known by then), and said in one line. Locally on GPUs, a `gpu_slot`
    resource counts --resources gpu=N times training.jobs_per_gpu."""
    cores = workflow.global_resources["_cores"]
    cores = getattr(cores, "value", cores)
    given = workflow.global_resources.get("gpu")
    placement = place_training(
        config["device"],
        local=not cluster_executor(),
        gpus=visible_gpus(),
        given_gpus=None if given is None else getattr(given, "value", given),
        jobs_per_gpu=config["training"]["jobs_per_gpu"],
        gpu_threads=config["training"]["threads"],
        cpu_threads=config["training"]["cpu_threads"],
        cores=cores,
    )
    pool = placement.pool
    if pool.gpus:
        workflow.register_resource("gpu_slot", len(pool.gpus) * pool.per_gpu)
    print(describe(placement, cores), file=sys.stderr)
    return placement


def say_estimate():
    """One line before the trainings start (or after a dry run's plan): how many will run
    and how long they take at the pace of the runs finished here (convlab.estimates)."""
    dag = workflow.dag
    if dag is None or building_report():
        return
    try:
        jobs = [job for job in dag.needrun_jobs(exclude_finished=False) if job.rule.name == "train"]
    except Exception:  # a plan that failed: its error is what the user needs to read
        return
    if not jobs:
        return
    placement = training_placement()
    pool = placement.pool
    if cluster_executor():
        at_once = None
    elif pool.gpus:
        at_once = len(pool.gpus) * pool.per_gpu
    else:
        cores = workflow.global_resources["_cores"]
        at_once = max(1, getattr(cores, "value", cores) // placement.threads)
    work = []
    for job in jobs:
        run = job.params.run
        shorter = [re.search(r"_e([0-9]+)(_v[0-9a-f]+)?_s[0-9]+/", f) for f in job.input]
        done = max([int(match[1]) for match in shorter if match] + [0])
        work.append((run["arch"], placement.threads, run["n"] * (run["epochs"] - done)))
    pace = Pace(finished_runs("results/runs"), cores=usable_cores())
    print(estimate_line(work, pace, at_once, more_later=len(COUNTS) > 1), file=sys.stderr)


def say_stale_in_report():
    """A report of outputs that this config would build again (they were built with other
    settings, code or inputs: a --configfile left out?) says so in one line."""
    try:
        stale = [f for job in workflow.dag.needrun_jobs(exclude_finished=False) for f in job.output]
    except Exception:
        return
    shown = [f for f in stale if Path(f).exists()]
    if shown:
        print(
            f"Report: {len(shown)} output(s) in it are out of date for this config "
            f"({', '.join(shown[:3])}{', ...' if len(shown) > 3 else ''}): built with other "
            "settings, code or inputs (was a --configfile left out?); run `snakemake` with the "
            "options the results were built with, then the report again",
            file=sys.stderr,
        )


def when_planned():
    """As the process ends: after a dry run's plan, the estimate; after a report, what in it
    is out of date."""
    if workflow.dag is None:
        return
    if building_report():
        say_stale_in_report()
    elif workflow.dryrun:
        say_estimate()


atexit.register(when_planned)


def training_gpus(wildcards):
    """A cluster's job asks its scheduler for one GPU (sbatch --gpus=1)."""
    pool = training_placement().pool
    return int(pool.device == "gpu" and not pool.gpus)


def training_gpu_slots(wildcards):
    return int(bool(training_placement().pool.gpus))


def training_pool(wildcards):
    return pool_text(training_placement().pool)


def training_threads(wildcards):
    return training_placement().threads


def training_memory(wildcards):
    return training_memory_mb(int(wildcards.n))


def training_order(wildcards):
    return training_priority(int(wildcards.n))


# The code's digests, once per invocation (every training job's planning asks for them).
digest = functools.cache(file_digest)


def up_to_date(run, folder):
    """True when the run's folder holds a finished training whose state key (what shapes
    it: parameters, layers, settings, code, data content) is today's."""
    try:
        recorded = json.loads(Path(folder, "run.json").read_text(encoding="utf-8"))["state_key"]
    except (OSError, ValueError, KeyError):
        return False
    if not Path(PREPARED_CONTENT).exists():
        return False
    settings = run_shape(run)["settings"]
    today = state_key(run, settings, code_inputs("train"), PREPARED_CONTENT, digest)
    return recorded == today


@exits_on_bad_target
def shorter_run(wildcards):
    """The run of the same net and seed with the most configured epochs below this run's, as
    an input of a run that is to be trained: it then trains first, and this run continues
    from its final state whatever the executor or the free job slots. A run already trained
    on today's inputs needs none (a shorter run added to the config later retrains nothing);
    the profiles' rerun-triggers leave out `input` for this (with it, every run names its
    shorter run always, as its set of inputs must not change)."""
    run = train_params(wildcards)
    same_net = ("arch", "n", "variant")
    shorter = [
        c["epochs"]
        for c in CONFIGURED_RUNS
        if all(c[key] == run[key] for key in same_net)
        and c["l1"] == wildcards.l1
        and c["epochs"] < run["epochs"]
    ]
    if not shorter:
        return []
    folder = RUN_FOLDER.format(**wildcards)
    if RerunTrigger.INPUT not in workflow.rerun_triggers and up_to_date(run, folder):
        return []
    fields = {key: run[key] for key in RUN_FIELDS if key != "epochs"}
    return [f"results/runs/{run_name(**fields, epochs=max(shorter))}/metrics.json"]


def run_shape(run):
    """The layers and training settings of a run (its architecture and variant)."""
    return SHAPES.by_run[(run["arch"], run["variant"])]


def checked_run(arch, n, l1, epochs, variant, seed, target):
    """The run's parameters once each is valid, or a one-line error naming the target."""
    known_name(arch, "architecture", ARCHITECTURES, target)
    if (arch, variant) not in SHAPES.by_run:
        variants = sorted(v or "(none)" for a, v in SHAPES.by_run if a == arch)
        raise TargetError(
            f"{target}: {arch} has no variant {variant!r} in this config; its variants are: "
            f"{', '.join(variants)} (results/runs.csv lists every trained run's settings)"
        )
    n = positive_int(str(n), "n", target)
    if n > train_size():
        raise TargetError(
            f"{target}: n = {n} is larger than the training set ({train_size()} images)"
        )
    held_out = SHAPES.by_run[(arch, variant)]["settings"]["validation_split"]
    if split_sizes(n, held_out)[1] == 0:
        key = "training.validation_split" if variant == SHAPES.base[arch] else "its sweep's"
        raise TargetError(
            f"{target}: n = {n} leaves no validation images ({key} {held_out}); "
            f"use n >= {smallest_n(held_out)}"
        )
    l1 = l1_weight(str(l1), target)
    epochs = positive_int(str(epochs), "epochs", target)
    seed = seed_value(str(seed), target)
    return dict(arch=arch, n=n, l1=l1, epochs=epochs, variant=variant, seed=seed)


@exits_on_bad_target
def train_params(wildcards):
    target = RUN_FOLDER.format(**wildcards)
    run = checked_run(*(wildcards[key] for key in RUN_FIELDS), target)
    if run["l1"] != wildcards.l1:
        raise TargetError(f"{target}: write the L1 weight as {run['l1']}, its canonical spelling")
    return {**run, "l1": float(run["l1"]), "layers": run_shape(run)["layers"]}


@exits_on_bad_target
def train_settings(wildcards):
    """What a training job reads from the config beyond its run: the batch size,
    validation split, optimizer, loss and class names of its shape. The seed comes with the
    run (its name), threads with `threads:`: neither retrains."""
    return run_shape(train_params(wildcards))["settings"]


@exits_on_bad_target
def history_figure_run_name(wildcards):
    """The run a history figure draws (the config's defaults and seeds choose it)."""
    target = f"results/fig_{wildcards.name}.png"
    run = history_figure_run(wildcards.name, DEFAULTS, SHAPES, SEEDS[0], target)
    return run_name(**checked_run(**run, target=target))


def history_figure_inputs(wildcards):
    folder = f"results/runs/{history_figure_run_name(wildcards)}"
    return {
        "history": f"{folder}/history.csv",
        "metrics": f"{folder}/metrics.json",
        "code": code_inputs("plot_history"),
    }


@exits_on_bad_target
def summary_layers(wildcards):
    known_name(
        wildcards.arch, "architecture", ARCHITECTURES, f"results/summary_{wildcards.arch}.txt"
    )
    return SHAPES.by_run[(wildcards.arch, SHAPES.base[wildcards.arch])]["layers"]
