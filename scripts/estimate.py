"""How many trainings a Snakemake command would run, and about how long the build takes:

    .venv/bin/python scripts/estimate.py [the snakemake command's options and targets]

It runs that command as a dry run (`snakemake --dry-run ...`), reads the jobs in its plan,
and times the trainings at the pace of the runs finished here, else at this machine's
probed pace (convlab.probe: measured once per machine and configuration, in seconds), and
the other jobs at a local job's measured start; with `replicates: {start, max}` the claims'
looks may add seeds after the first round.
"""

import sys

from convlab.devices import usable_cores
from convlab.estimates import Command, estimate_line, finished_runs
from convlab.runs import RUNS

command = Command.dry_run(sys.argv[1:], usable_cores())
if not command.planned:
    print("Estimate: no training to run")
    sys.exit()
pace = command.pace(finished_runs(RUNS), usable_cores())
print(estimate_line(command.jobs(), pace, command.at_once, command.more_later, command.others))
