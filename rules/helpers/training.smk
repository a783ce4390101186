# Training jobs (rules/train.smk): where each runs, what it is given, which shorter run it
# continues from; the runs behind history figures and model summaries.
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


@exits_on_bad_target
def shorter_run(wildcards):
    """The run of the same net and seed with the most configured epochs below this run's,
    which this run continues from: an input, so that it trains first whatever the executor
    or the free job slots. The config alone chooses it, never what is on disk: a finished run
    whose shorter run the config adds or drops is planned again, and rebuilds its files from
    its own final state (results/checkpoints/) without training an epoch."""
    run = train_params(wildcards)
    epochs = shorter_epochs(run)
    if not epochs:
        return []
    fields = {key: run[key] for key in RUN_FIELDS if key != "epochs"}
    return [f"results/runs/{run_name(**fields, epochs=epochs)}/metrics.json"]


def shorter_epochs(run):
    """The most configured epochs below ``run``'s of the same net (architecture, n, L1
    weight, variant), which it continues from; 0 when there are none."""
    same_net = ("arch", "n", "l1", "variant")
    return max(
        (
            c["epochs"]
            for c in CONFIGURED_RUNS
            if all(c[key] == run[key] for key in same_net) and c["epochs"] < run["epochs"]
        ),
        default=0,
    )


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
    if canonical_number(run["l1"]) != wildcards.l1:
        raise TargetError(
            f"{target}: write the L1 weight as {canonical_number(run['l1'])}, its canonical "
            "spelling"
        )
    return {**run, "layers": run_shape(run)["layers"]}


@exits_on_bad_target
def train_settings(wildcards):
    """What a training job reads from the config beyond its run: the batch size,
    validation split, optimizer, loss and class names of its shape. The seed comes with the
    run (its name), threads with `threads:`: neither retrains."""
    return run_shape(train_params(wildcards))["settings"]


def train_states(wildcards):
    """Where a run saves its state at each epoch end, and the state files of the same run
    with any number of epochs (a glob pattern): a longer run continues from one."""
    fields = {key: wildcards[key] for key in RUN_FIELDS}
    return {
        "checkpoint": CHECKPOINT.format(**fields),
        "finished": f"{RUN_FOLDER.format(**{**fields, 'epochs': '*'})}/state.npz",
    }


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
