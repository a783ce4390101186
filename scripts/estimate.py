"""How many trainings a Snakemake command would run, and about how long they take:

    .venv/bin/python scripts/estimate.py [the snakemake command's options and targets]

It runs that command as a dry run (`snakemake --dry-run ...`), reads the training jobs in
its plan, and times them at the pace of the runs finished here (convlab.estimates); with
`replicates: {start, max}` the claims' looks may add seeds after the first round.
"""

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

from convlab.devices import usable_cores
from convlab.estimates import Pace, estimate_line, finished_runs, planned_trainings, side_by_side
from convlab.runs import RUNS

words = sys.argv[1:]
options = argparse.ArgumentParser(add_help=False)
options.add_argument("--cores", "-c", "--jobs", "-j", default="all")
options.add_argument("--resources", "--res", nargs="*", default=[])
options.add_argument("--workflow-profile", default="profiles/default")
known = options.parse_known_args(words)[0]
given = known.cores
# GPU trainings at once: --resources gpu=N, else the workflow profile's, else no limit.
profile = Path(known.workflow_profile, "config.yaml")
profile = yaml.safe_load(profile.read_text(encoding="utf-8")) if profile.is_file() else {}
gpu_units = int(
    dict(item.split("=", 1) for item in known.resources if "=" in item).get(
        "gpu", profile.get("resources", {}).get("gpu", sys.maxsize)
    )
)
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
at_once = side_by_side(planned, usable_cores() if given == "all" else int(given), gpu_units)
more_later = "checkpoint jobs" in dry_run.stdout + dry_run.stderr
pace = Pace(finished_runs(RUNS), cores=usable_cores())
print(estimate_line(work, pace, at_once, more_later))
