"""Threads that fit the moment against one thread per job, and one figure against the
assignment's script, on the CPU, in one invocation.

    .venv/bin/python benchmarks/bench_placement.py --workdir DIR

DIR is a project whose data are prepared (results/data/, with Snakemake's records), its
defaults the assignment's (baseline, n = 5000, 20 epochs). Each build below runs in a fresh
copy of DIR without any run, with the README's command (profiles/default: every core):

- 1, 2 and 8 trainings at once (baseline runs at the default n and epochs: the first is
  `results/fig_l1_0.01.png`, the README's one-figure command; then L1 weights and seeds), each
  built twice: with ``training.cpu_threads: auto`` (one thread each while several run, every
  core for a job that starts alone) and with ``training.cpu_threads=1`` (every job one
  thread, as before). Wall time of the whole build, and the threads each job chose.
- The assignment's own ``model.fit`` (benchmarks/assignment_training.py: TensorFlow's default
  threads) on the same data, in a fresh process: its fit time against the one-figure run's.

Prints one Markdown table; exits non-zero when the one-figure run fits slower than the
assignment's script (target: at least 1.0x).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "scripts"))

from convlab.probe import cpu_model  # noqa: E402
from convlab.runs import Run  # noqa: E402

SKIP = shutil.ignore_patterns("runs", "checkpoints", "fig_*", "logs", "claims", ".venv")
# The training.cpu_threads of each build (None: the config's, auto).
MODES = {"auto": None, "1 thread each (before)": 1}
WEIGHTS = ["0.01", "0", "0.00001", "0.001"]


def run_targets(count, n, epochs):
    """The one-figure target, then runs of other L1 weights and seeds."""
    runs = [(l1, seed) for seed in range(2) for l1 in WEIGHTS][1:count]
    return ["results/fig_l1_0.01.png"] + [
        Run("baseline", n, float(l1), epochs, "", seed).file("metrics.json") for l1, seed in runs
    ]


def build(workdir: Path, targets, cpu_threads):
    """Wall time of `snakemake TARGETS` in a fresh copy (with ``training.cpu_threads`` set
    unless None), and each run's metrics."""
    copy = Path(tempfile.mkdtemp(prefix=f".{workdir.name}-place-", dir=workdir.parent))
    options = []
    try:
        shutil.copytree(workdir, copy, dirs_exist_ok=True, symlinks=True, ignore=SKIP)
        if cpu_threads is not None:
            (copy / "threads.yaml").write_text(f"training: {{cpu_threads: {cpu_threads}}}\n")
            options = ["--configfile", "threads.yaml"]
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "snakemake", *targets, *options],
            cwd=copy,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        if result.returncode != 0 or "rule prepare_data" in result.stdout:
            sys.exit(f"snakemake failed or prepared the data again:\n{result.stderr[-3000:]}")
        metrics = [
            json.loads(path.read_text()) for path in copy.glob("results/runs/*/metrics.json")
        ]
        return wall, metrics
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def assignment_fit(data: Path, n: int, epochs: int) -> float:
    """The assignment's model.fit in a fresh process (TensorFlow's default threads)."""
    code = (
        "import json, sys, numpy as np\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "from assignment_training import assignment_fit\n"
        f"d = np.load({str(data)!r})\n"
        "seconds, accuracy = assignment_fit(d['x_train'], d['y_train'], d['x_test'], "
        f"d['y_test'], {n}, {epochs})\n"
        "print(json.dumps(seconds))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the assignment's script failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True, type=Path)
    parser.add_argument("--counts", default="1,2,8", help="trainings per build (default 1,2,8)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="builds of each kind, in alternating order"
    )
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    n, epochs = config["defaults"]["n"], config["defaults"]["epochs"]
    data = workdir / "results" / "data" / "cifar10.npz"
    print(f"{cpu_model()}, {os.cpu_count()} cores; baseline n = {n}, {epochs} epochs")
    rows, lone, reference = [], [], []
    for count in (int(count) for count in args.counts.split(",")):
        walls, fits, chosen = ({mode: [] for mode in MODES} for _ in range(3))
        for round in range(args.rounds):
            for mode in list(MODES)[:: 1 if round % 2 == 0 else -1]:
                wall, metrics = build(workdir, run_targets(count, n, epochs), MODES[mode])
                walls[mode].append(wall)
                fits[mode].append(statistics.mean(m["fit_seconds"] for m in metrics))
                chosen[mode] = sorted(m["threads"] for m in metrics)
                print(f"{count} training(s), {mode}: {wall:.1f} s, threads {chosen[mode]}")
            if count == 1:
                lone.append(fits["auto"][-1])
                reference.append(assignment_fit(data, n, epochs))
                print(f"the assignment's script: fit {reference[-1]:.1f} s", flush=True)
        median = {mode: statistics.median(walls[mode]) for mode in MODES}
        for mode in MODES:
            speed = median["1 thread each (before)"] / median[mode]
            fit = statistics.median(fits[mode])
            rows.append(f"| {count} | {mode} | {median[mode]:.1f} | {fit:.1f} | {chosen[mode]} | ")
            rows[-1] += f"{speed:.2f}x |" if mode != "auto" else f"**{speed:.2f}x** |"
    print(f"\nmedians of {args.rounds} round(s):\n")
    print("| trainings | cpu_threads | wall time (s) | mean fit (s) | threads | vs before |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    if not lone:
        return
    ratio = statistics.median(reference) / statistics.median(lone)
    print(
        f"\none figure alone (results/fig_l1_0.01.png): fit {statistics.median(lone):.1f} s; "
        f"the assignment's script {statistics.median(reference):.1f} s: **{ratio:.2f}x** "
        "(target 1.0x)"
    )
    if ratio < 1.0:
        sys.exit(1)


if __name__ == "__main__":
    main()
