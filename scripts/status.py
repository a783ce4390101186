"""The trainings running now in this project, each with its epoch, pace and expected end,
and when the whole build should end:

    .venv/bin/python scripts/status.py [the build's snakemake options and targets]

It reads the progress files the training jobs keep (convlab.progress), so any terminal on
the machine (or a login node that sees the project's file system) can run it; for the
build's end it plans the same command as a dry run (without taking Snakemake's lock) and
times what is left as scripts/estimate.py does, from the runs finished so far.
"""

import sys
import time
from pathlib import Path

from convlab.devices import usable_cores
from convlab.estimates import Command, build_end_line, finished_runs
from convlab.progress import running, status_lines
from convlab.runs import RUNS

records = running(Path("results/checkpoints"))
finished = finished_runs(RUNS)
print("\n".join(status_lines(records, len(finished))), flush=True)
command = Command.dry_run(sys.argv[1:], usable_cores(), "--nolock", "--rerun-incomplete")
pace = command.pace(finished, usable_cores(), measure=False)
print(build_end_line(records, command, pace, time.time()))
