"""The README's command against one training at a time, on the same runs, in one invocation.

    .venv/bin/python benchmarks/bench_packing.py --workdir DIR

DIR is a project whose data are prepared (results/data/, with Snakemake's records). Two
copies of it without any run are made beside it; in each, the same trainings (baseline, 20
epochs: the four L1 weights 0 to 0.01 at n = 5000, each with SMALL seeds, and one run at
n = 40000) are built:

- readme: `snakemake TARGETS`, as the README says (profiles/default: all cores, gpu=1); on a
  machine without a GPU the training jobs share the cores, one thread each;
- one at a time: `snakemake TARGETS` with `training.cpu_threads: 2`: each training job
  counts two threads, so that on two cores one runs at a time, as every training did before.

Prints both wall times and their ratio; exits non-zero below the 1.3x target.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from convlab.runs import Run  # noqa: E402

LONG_RUN = Run("baseline", 40000, 0.0001, 20, "", 0)
MODES = {"readme": [], "one at a time": ["--configfile", "threads.yaml"]}
ONE_AT_A_TIME = "training: {cpu_threads: 2}\n"  # threads.yaml


def runs(small_seeds):
    small = [
        Run("baseline", 5000, l1, 20, "", seed)
        for l1 in (0, 0.00001, 0.001, 0.01)
        for seed in range(small_seeds)
    ]
    return [run.file("metrics.json") for run in small + [LONG_RUN]]


def start_rank(copy, targets):
    """Where the long run came in the order the trainings started (1: first)."""
    starts = sorted(
        (json.loads((copy / target).read_text())["job_start"], target) for target in targets
    )
    return 1 + [target == LONG_RUN.file("metrics.json") for _, target in starts].index(True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True, type=Path)
    parser.add_argument(
        "--small-seeds",
        type=int,
        default=2,
        metavar="SMALL",
        help="replicates of each n = 5000 run (default 2: eight small runs)",
    )
    args = parser.parse_args()
    targets = runs(args.small_seeds)
    workdir = args.workdir.resolve()
    skip = shutil.ignore_patterns("runs", "checkpoints", "fig_*", "logs", ".venv")
    times = {}
    for mode, options in MODES.items():
        copy = Path(tempfile.mkdtemp(prefix=f".{workdir.name}-pack-", dir=workdir.parent))
        try:
            shutil.copytree(workdir, copy, dirs_exist_ok=True, symlinks=True, ignore=skip)
            (copy / "threads.yaml").write_text(ONE_AT_A_TIME)
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "snakemake", *targets, *options],
                cwd=copy,
                capture_output=True,
                text=True,
            )
            times[mode] = time.perf_counter() - start
            pools = sorted(set(re.findall(r"pool=([^,\n]+)", result.stdout + result.stderr)))
            if result.returncode != 0 or "prepare_data" in result.stdout + result.stderr:
                sys.exit(
                    f"{mode}: snakemake failed or prepared the data again:\n{result.stderr[-3000:]}"
                )
            print(
                f"{mode:>14}: {times[mode]:7.1f} s, n = 40000 started {start_rank(copy, targets)} "
                f"of {len(targets)}  (pool {', '.join(pools)})"
            )
        finally:
            shutil.rmtree(copy, ignore_errors=True)
    ratio = times["one at a time"] / times["readme"]
    print(f"the README's command is {ratio:.2f}x faster than one training at a time (target 1.3x)")
    if ratio < 1.3:
        sys.exit(1)


if __name__ == "__main__":
    main()
