"""The trainings running now in this project, each with its epoch, pace and expected end:

    python scripts/status.py            (in the project's folder, while snakemake runs)

It reads the progress files the training jobs keep (convlab.progress); it needs nothing but
the Python standard library and this folder, so any terminal on the machine (or a login
node that sees the project's file system) can run it.
"""

import sys
from pathlib import Path

from convlab.progress import running, status_lines

project = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
finished = len(list((project / "results" / "runs").glob("*/metrics.json")))
print("\n".join(status_lines(running(project / "results" / "checkpoints"), finished)))
