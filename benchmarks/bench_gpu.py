"""On a GPU machine, in one call: the workflow's fit against the assignment's, several
trainings per GPU, a killed run's resumption, and each job's GPU memory.

    python benchmarks/bench_gpu.py --source PATH [--out TABLE.md] [--device gpu] \
        [--epochs 20] [--per-gpu 1,2,4,8]

PATH is the CIFAR-10 source (what ``cifar10.path`` takes: ../shared/data/cifar10-images.tar.gz
here). The script makes a project of this checkout's workflow in a temporary folder, prepares
the data once, then in fresh copies of it, each with the README's command and
``--resources gpu=1`` (``gpu=K`` for K trainings per GPU):

1. one figure alone: ``snakemake results/fig_l1_0.01.png`` (the baseline, n = 5000): its fit
   time against the assignment's own ``model.fit`` in a fresh process on the same device (the
   assignment reports about 10 s on its GPU);
2. the default target's n = 5000 configurations (the baseline at each L1 weight of the
   config's sweep, the max-pooling net, the deep net; one seed each) with
   ``training.jobs_per_gpu`` 1, 2, 4 and 8: wall time, mean GPU utilisation and the most GPU
   memory one job held (``nvidia-smi``, sampled every 0.5 s);
3. the one-figure run killed (SIGKILL to Snakemake and its job) after 5 epochs (fewer for a
   short run) and run again: whether its history and final state equal the uninterrupted
   run's, or how far they are.

It prints each figure as it gets it and writes one Markdown table (``--out``) for
BENCHMARKS.md. ``--device cpu`` runs the same with ``device: cpu`` (no utilisation or memory),
so that the script is known to work on a machine without a GPU; ``--epochs`` and
``--per-gpu`` shorten it. It trains on the Keras backend that ``KERAS_BACKEND`` names
(TensorFlow when unset), the workflow's jobs and the assignment's fit alike: on a GPU machine
with JAX or PyTorch and no TensorFlow, see docs/compute.md for what to install first.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_placement import assignment_fit, cpu_model  # noqa: E402

from convlab.backends import BACKENDS, chosen  # noqa: E402
from convlab.checkpoints import read_meta  # noqa: E402
from convlab.project import copy_workflow  # noqa: E402
from convlab.runs import Run  # noqa: E402

FIGURE = "results/fig_l1_0.01.png"


class Project:
    def __init__(self, root: Path):
        self.root = root

    def snakemake(self, *args, check=True, at_once=1):
        """Snakemake with ``at_once`` GPU trainings at a time (each holds one `gpu` unit)."""
        result = subprocess.run(
            [sys.executable, "-m", "snakemake", *args, "--resources", f"gpu={at_once}"],
            cwd=self.root,
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            sys.exit(f"snakemake {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result

    def copy(self, settings: dict) -> "Project":
        """A fresh copy without runs, its local.yaml updated with ``settings`` (each a mapping)."""
        root = Path(tempfile.mkdtemp(prefix="bench-gpu-", dir=self.root.parent))
        skip = shutil.ignore_patterns("runs", "checkpoints", "fig_*", "logs", "claims")
        shutil.copytree(self.root, root, dirs_exist_ok=True, symlinks=True, ignore=skip)
        local = yaml.safe_load((root / "local.yaml").read_text())
        for key, value in settings.items():
            local[key] = {**local.get(key, {}), **value}
        (root / "local.yaml").write_text(yaml.safe_dump(local))
        return Project(root)

    def metrics(self, run: Run) -> dict:
        return json.loads((self.root / run.file("metrics.json")).read_text())


def make_project(folder: Path, source: Path, device: str, epochs: int) -> Project:
    root = folder / "project"
    copy_workflow(REPO, root)
    local = {"cifar10": {"path": str(source)}, "device": device, "replicates": 1}
    local["defaults"] = {"arch": "baseline", "n": 5000, "l1": 0.0001, "epochs": epochs}
    (root / "local.yaml").write_text(yaml.safe_dump(local))
    project = Project(root)
    project.snakemake("results/data/cifar10.npz")
    return project


class GpuSampler:
    """nvidia-smi every 0.5 s: GPU utilisation, and memory used by each process."""

    def __init__(self, active: bool):
        self.active, self.processes = active and shutil.which("nvidia-smi"), []

    def __enter__(self):
        if self.active:
            for query in (
                ["--query-gpu=utilization.gpu"],
                ["--query-compute-apps=pid,used_memory"],
            ):
                self.processes.append(
                    subprocess.Popen(
                        ["nvidia-smi", *query, "--format=csv,noheader,nounits", "-lms", "500"],
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                )
        return self

    def __exit__(self, *error):
        self.outputs = []
        for process in self.processes:
            process.terminate()
            self.outputs.append(process.communicate()[0])

    def utilisation(self) -> float | None:
        if not self.active:
            return None
        values = [float(line) for line in self.outputs[0].split() if line.strip()]
        return sum(values) / len(values) if values else None

    def peak_memory_mib(self) -> float | None:
        if not self.active:
            return None
        peaks = {}
        for line in self.outputs[1].splitlines():
            pid, used = (part.strip() for part in line.split(","))
            peaks[pid] = max(peaks.get(pid, 0.0), float(used))
        return max(peaks.values()) if peaks else None


def default_configurations(project: Project, epochs: int) -> list[Run]:
    config = yaml.safe_load((project.root / "config.yaml").read_text())
    nets = [("baseline", l1) for l1 in config["sweeps"]["l1"]]
    nets += [("maxpool", 0.0001), ("deep", 0.0001)]
    return [Run(arch, 5000, l1, epochs, "", 0) for arch, l1 in nets]


def killed_and_resumed(project: Project, run: Run, reference: Project, after: int) -> str:
    """Kill the run after ``after`` epochs, run it again, compare with ``reference``'s."""
    checkpoint = project.root / run.checkpoint
    process = subprocess.Popen(
        [sys.executable, "-m", "snakemake", FIGURE, "--resources", "gpu=1"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while (read_meta(checkpoint) or {}).get("epoch", 0) < after:
        if process.poll() is not None:
            return "not measured: the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    project.snakemake("--unlock")  # a killed Snakemake leaves its lock
    project.snakemake(FIGURE)
    resumed = project.metrics(run)["resumed_from_epoch"]
    ours, theirs = (p.root / run.folder for p in (project, reference))
    history = (pd.read_csv(ours / "history.csv") - pd.read_csv(theirs / "history.csv")).abs()
    with np.load(ours / "state.npz") as a, np.load(theirs / "state.npz") as b:
        weights = max(
            float(np.max(np.abs(a[k] - b[k]))) if a[k].size else 0.0 for k in a if k != "meta"
        )
    if weights == 0 and history.to_numpy().max() == 0:
        return f"resumed at epoch {resumed}: bit-exact (every weight and history value)"
    return (
        f"resumed at epoch {resumed}: not exact; largest differences: weights "
        f"{weights:.2e}, history {history.to_numpy().max():.2e}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--device", choices=["gpu", "cpu"], default="gpu")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--per-gpu", default="1,2,4,8")
    args = parser.parse_args()
    started = time.perf_counter()
    lines = []

    def say(line):
        lines.append(line)
        print(line, flush=True)
        if args.out:
            args.out.write_text("\n".join(lines) + "\n")

    folder = Path(tempfile.mkdtemp(prefix="bench-gpu-"))
    try:
        measure(args, folder, say, started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(args, folder, say, started):
    gpu = args.device == "gpu"
    project = make_project(folder, args.source.resolve(), args.device, args.epochs)
    name = "CPU"
    if gpu and shutil.which("nvidia-smi"):
        name = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
        ).stdout.splitlines()[0]
    say(
        f"{datetime.date.today()}, {name} ({cpu_model()}, {os.cpu_count()} cores), "
        f"{BACKENDS.get(chosen(), chosen())}; baseline n = 5000, {args.epochs} epochs; data "
        f"prepared in {time.perf_counter() - started:.0f} s"
    )
    say("\n| measure | value | ratio |\n|---|---|---|")
    alone = project.copy({"training": {}})
    with GpuSampler(gpu) as sampler:
        alone.snakemake(FIGURE)
    run = Run("baseline", 5000, 0.01, args.epochs, "", 0)
    fit = alone.metrics(run)["fit_seconds"]
    reference = assignment_fit(project.root / "results/data/cifar10.npz", 5000, args.epochs)
    device = alone.metrics(run)["device"]
    say(f"| one figure alone: the run's fit ({device}) | {fit:.1f} s | |")
    say(
        f"| the assignment's `model.fit`, same data and device | {reference:.1f} s | "
        f"**{reference / fit:.2f}x** |"
    )
    memory = sampler.peak_memory_mib()
    if memory is not None:
        say(f"| GPU memory of the one job (peak, memory growth on) | {memory:.0f} MiB | |")

    runs = default_configurations(project, args.epochs)
    first = None
    for per_gpu in (int(k) for k in args.per_gpu.split(",")):
        copy = project.copy({"training": {"jobs_per_gpu": per_gpu}})
        start = time.perf_counter()
        with GpuSampler(gpu) as sampler:
            copy.snakemake(*[r.file("metrics.json") for r in runs], at_once=per_gpu)
        wall = time.perf_counter() - start
        first = first or wall
        fits = [copy.metrics(r)["fit_seconds"] for r in runs]
        use, peak = sampler.utilisation(), sampler.peak_memory_mib()
        gpu_use = "" if use is None else f", GPU busy {use:.0f} %, peak {peak:.0f} MiB per job"
        say(
            f"| {len(runs)} trainings, jobs_per_gpu {per_gpu}: wall time (fit per job "
            f"{min(fits):.1f}-{max(fits):.1f} s{gpu_use}) | {wall:.1f} s | {first / wall:.2f}x |"
        )
        shutil.rmtree(copy.root, ignore_errors=True)

    killed = project.copy({"training": {}})
    after = max(1, min(5, args.epochs // 2))
    outcome = killed_and_resumed(killed, run, alone, after)
    say(f"| killed after {after} epoch(s), run again | {outcome} | |")
    say(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
