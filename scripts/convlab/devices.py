"""Where training jobs run: on a GPU each, or packed onto the CPU cores; decided at planning
time without importing TensorFlow (a no-op rerun stays fast)."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from convlab.slots import Pool


def visible_gpus() -> list[str]:
    """The NVIDIA GPUs that processes started here can use, as CUDA_VISIBLE_DEVICES names
    them: its own list when it is set (up to an entry that hides the rest, as CUDA reads
    it), else 0, 1, ... for each GPU the driver has (its device files, or nvidia-smi)."""
    given = os.environ.get("CUDA_VISIBLE_DEVICES")
    if given is not None:
        gpus = []
        for entry in (entry.strip() for entry in given.split(",")):
            if entry in ("", "-1"):
                break
            gpus.append(entry)
        return gpus
    count = len(list(Path("/dev").glob("nvidia[0-9]*")))
    if not count and shutil.which("nvidia-smi"):
        listed = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True)
        count = listed.stdout.count("GPU ") if listed.returncode == 0 else 0
    return [str(index) for index in range(count)]


@dataclass(frozen=True)
class Placement:
    pool: Pool  # what each job takes as it starts (convlab.slots)
    threads: int  # reserved per training job
    reason: str

    @property
    def gpu(self) -> bool:
        return self.pool.device == "gpu"


def place_training(
    setting: str,
    local: bool,
    gpus: list[str],
    given_gpus: int | None,
    jobs_per_gpu: int,
    gpu_threads: int,
    cpu_threads: int | str,
    cores: int,
) -> Placement:
    """``setting`` is the config's ``device``: auto, cpu or gpu; ``gpus`` the GPUs visible
    here, ``given_gpus`` the user's ``--resources gpu=N`` (None: not given).

    auto: on a cluster (a non-local executor), each job asks for a GPU whatever this host
    has; on this machine, its GPUs if one is visible and the user gives any, each job bound
    to one, ``jobs_per_gpu`` to a GPU; else the CPU. There, with ``cpu_threads: auto``, each
    job is counted as one thread (single-threaded jobs side by side were fastest in
    aggregate: BENCHMARKS.md) and takes its share of the cores when it starts: all of them
    when it trains alone (convlab.slots.share).
    """
    cpu_fixed = cpu_threads != "auto"
    cpu = Pool("cpu", 0 if cpu_fixed or not local else max(1, min(cores, usable_cores())))
    cpu_reserved = cpu_threads if cpu_fixed else 1
    if setting == "cpu":
        return Placement(cpu, cpu_reserved, "device: cpu in the config")
    if not local:
        why = "device: gpu in the config" if setting == "gpu" else "a cluster executor"
        return Placement(Pool("gpu"), gpu_threads, f"{why} (each job asks for a GPU)")
    if given_gpus == 0 and setting == "auto":
        return Placement(cpu, cpu_reserved, "--resources gpu=0")
    if gpus or setting == "gpu":
        used = tuple(gpus[:given_gpus] if given_gpus is not None else gpus) or ("0",)
        why = "device: gpu in the config" if setting == "gpu" else "a GPU is visible"
        return Placement(Pool("gpu", gpus=used, per_gpu=jobs_per_gpu), gpu_threads, why)
    return Placement(cpu, cpu_reserved, "no GPU visible")


def usable_cores() -> int:
    """The cores this process may run on (its affinity, as a cluster's cgroup sets it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def describe(placement: Placement, cores) -> str:
    """The one line that says what was decided and why."""
    pool = placement.pool
    if pool.device == "gpu" and not pool.gpus:
        return (
            f"Training: {placement.reason}: each training job holds one `gpu` unit, the GPU "
            f"its scheduler gives, {placement.threads} CPU thread(s) each"
        )
    if pool.device == "gpu":
        return (
            f"Training: {placement.reason}: on GPU(s) {', '.join(pool.gpus)}, each training "
            f"job bound to one, {pool.per_gpu} job(s) per GPU (training.jobs_per_gpu), "
            f"{placement.threads} CPU thread(s) each"
        )
    line = f"Training: {placement.reason}: on the CPU, up to {cores} job(s) at once"
    if not pool.cores:
        return f"{line}, {placement.threads} thread(s) each"
    return (
        f"{line}, {placement.threads} thread(s) each while others run; one that starts "
        f"alone takes all {pool.cores} cores (training.cpu_threads: auto)"
    )


def no_gpu_seen(gpu: str | None, version: str, cuda_build: bool) -> str:
    """The line that stops a job that holds a GPU which its TensorFlow cannot see."""
    held = f"GPU {gpu}" if gpu else "a GPU"
    why = (
        "its CUDA libraries are missing (pip's plain `tensorflow` has none)"
        if cuda_build
        else "it was built without CUDA"
    )
    return (
        f"this training job holds {held}, but TensorFlow {version} sees no GPU: {why}; "
        f"install `tensorflow[and-cuda]=={version}` (docs/compute.md), or set "
        "`device: cpu` to train on the CPU"
    )


def training_priority(n: int) -> int:
    """The order in which ready training jobs start: the largest training sets first, so
    that on a few cores the longest jobs start early and the short ones fill in around them.
    (A longer run waits for a shorter one of the same net by a dependency:
    convlab.plan.Plan.shorter.)"""
    return n


def training_memory_mb(n: int) -> int:
    """Memory to declare for a training job on n images: measured peak RSS was about 1.0 GB
    at n = 5000 and 1.4 GB at n = 50000 (the prepared data alone take 0.2 GB), plus 20 %."""
    return int(1.2 * (950 + n / 100))
