# The claims' looks (rules/claims.smk): each look's inputs, and the last look.
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
