# The comparisons (rules/compare.smk): each sweep's runs and values, and the runs on disk
# that the config does not ask for.
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
        return [(run, run["l1"]) for run in CLAIM_RUNS["l1"]]
    names = HISTORY_FIGURES[sweep]
    return [
        (configuration(name), point.value) for name, (point, _) in zip(names, SHAPES.points[sweep])
    ]


def sweep_label(sweep):
    """The axis label of a sweep's figures."""
    labels = {"n": "training points n", "l1": "L1 weight", "deep": "deep net"}
    return labels.get(sweep) or config["sweeps"][sweep]["setting"]


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
