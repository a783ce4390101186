# What the user asks for and is told: the default target (for a report, what of it is
# built), a target that no rule makes, the estimate before the trainings start, a stale report.
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


@functools.cache
def command_line():
    """The command line as Snakemake's own parser reads it (which takes 0.4 s, so it is
    asked only when a word may need it). Snakemake tells a workflow nothing of the mode it
    was started in before the workflow is read."""
    from snakemake.cli import get_argument_parser

    return get_argument_parser().parse_args(sys.argv[1:])


def building_report():
    """True under `snakemake --report`: the workflow is read to describe, not to run. (Any
    spelling of the option, abbreviations included, starts with --rep.)"""
    return any(arg.startswith("--rep") for arg in sys.argv[1:]) and bool(command_line().report)


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
    targets = set(command_line().targets or ())
    unmade = [word for word in unmade if word in targets]
    if unmade:
        runs = replicates(CONFIGURED_RUNS, SEEDS[:1])
        files = [path.format(**run) for run in runs for path in rules.train.output]
        known = conv_targets() + part2_targets() + files
        fail("; ".join(unknown_target(t, known, ARCHITECTURES, made_by_a_rule) for t in unmade))


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
        done = shorter_epochs(run) if job.input.shorter_run else 0  # trained before this job
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
    is out of date; after a run, a damaged data file that no job needed (and so stays)."""
    if workflow.dag is None:
        return
    if building_report():
        say_stale_in_report()
    elif workflow.dryrun:
        say_estimate()
    else:
        say_damage_left()


atexit.register(when_planned)
