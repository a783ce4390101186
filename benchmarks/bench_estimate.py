"""The estimate against the build: `scripts/estimate.py` for a target, then the build itself.

    .venv/bin/python benchmarks/bench_estimate.py [--data PATH] [--keep DIR] [targets ...]

In a fresh copy of this checkout (nothing trained, no probe figures: the probe keeps them in
a cache of its own here), with CIFAR-10 from --data (default ../shared/data's archive), it
runs the estimate of `snakemake --cores 2 <targets>` (default: the baseline at n = 5000 and
the max-pooling net, one replicate each: two trainings, a probe of each architecture), then
that command, and prints both times and their ratio. It exits non-zero if the build took
more than 1.5 times the estimate or less than the estimate over 1.5.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from convlab.project import copy_workflow

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "cifar10-images.tar.gz"
DEFAULT = ["results/fig_n_5000.png", "results/fig_maxpool.png"]
LIMIT = 1.5


def seconds(said: str) -> float:
    """The seconds of a duration as convlab.progress.duration writes it."""
    hours = re.search(r"(\d+) h", said)
    minutes = re.search(r"(\d+) min", said)
    plain = re.fullmatch(r"(\d+) s", said.strip())
    if plain:
        return float(plain[1])
    return 3600.0 * int(hours[1] if hours else 0) + 60.0 * int(minutes[1] if minutes else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=DEFAULT)
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--keep", type=Path, help="build in DIR and keep it (default: a temp)")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"no data at {args.data}: give --data PATH (a CIFAR-10 source)")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-estimate-"))
    project = folder / "project"
    copy_workflow(REPO, project)
    (project / "local.yaml").write_text(
        f"cifar10:\n  path: {args.data.resolve()}\nreplicates: 1\n", encoding="utf-8"
    )
    env = dict(
        os.environ,
        XDG_CACHE_HOME=str(folder / "cache"),  # no probe figures from before
        CONVLAB_SLOTS=str(folder / "slots"),
        PYTHONPATH=str(project / "scripts"),
    )
    command = ["--cores", "2", *args.targets]
    began = time.perf_counter()
    said = subprocess.run(
        [sys.executable, "scripts/estimate.py", *command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    probing = time.perf_counter() - began
    line = said.stdout.strip().splitlines()[-1] if said.stdout.strip() else said.stderr
    estimate = re.search(r": about (.+?)(?: \(|, from)", line)
    if said.returncode != 0 or not estimate:
        sys.exit(f"the estimate failed: {said.stdout}{said.stderr}")
    began = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "-m", "snakemake", *command], cwd=project, env=env, capture_output=True
    )
    took = time.perf_counter() - began
    if built.returncode != 0:
        sys.exit(f"the build failed:\n{built.stderr.decode()[-3000:]}")
    ratio = took / seconds(estimate[1])
    print(f"targets: {' '.join(args.targets)} (--cores 2, one replicate)")
    print(f"estimate ({probing:.0f} s, probe included): {line}")
    print(f"build: {took:.0f} s; build / estimate = {ratio:.2f}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if not 1 / LIMIT <= ratio <= LIMIT:
        print(f"target missed: the build within {LIMIT}x of the estimate")
        sys.exit(1)


if __name__ == "__main__":
    main()
