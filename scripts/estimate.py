"""How many trainings a Snakemake command would run, and about how long they take:

    .venv/bin/python scripts/estimate.py [the snakemake command's options and targets]

It runs that command as a dry run (`snakemake --dry-run ...`), reads the training jobs in
its plan, and times them at the pace of the runs finished here (convlab.estimates); with
`replicates: {start, max}` the claims' looks may add seeds after the first round.
"""

import argparse
import subprocess
import sys

# Python puts this script's folder, scripts/, first on the path: convlab is found there.
from convlab.devices import usable_cores
from convlab.estimates import Pace, estimate_line, finished_runs, planned_trainings, side_by_side
from convlab.runs import RUNS

words = sys.argv[1:]
cores = argparse.ArgumentParser(add_help=False)
cores.add_argument("--cores", "-c", "--jobs", "-j", default="all")
given = cores.parse_known_args(words)[0].cores
dry_run = subprocess.run(
    [sys.executable, "-m", "snakemake", "--dry-run", *words], capture_output=True, text=True
)
if dry_run.returncode != 0:
    errors = [line for line in dry_run.stderr.splitlines() if line.startswith("Error")]
    sys.exit(errors[0] if errors else dry_run.stderr[-2000:])
planned = planned_trainings(dry_run.stdout + dry_run.stderr)
if not planned:
    print("Estimate: no training to run")
    sys.exit()
work = [(p.run.arch, p.threads, p.run.n * (p.run.epochs - p.done)) for p in planned]
at_once = side_by_side(planned, usable_cores() if given == "all" else int(given))
more_later = "checkpoint jobs" in dry_run.stdout + dry_run.stderr
pace = Pace(finished_runs(RUNS), cores=usable_cores())
print(estimate_line(work, pace, at_once, more_later))
