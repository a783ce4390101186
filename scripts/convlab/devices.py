"""Where training jobs run: on a GPU each, or packed onto the CPU cores; planned from the
config and this machine without importing TensorFlow (a no-op rerun stays fast), taken by
each job as it starts (convlab.slots)."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from convlab.slots import Pool, pool_text


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

    @property
    def gpu(self) -> int:
        """The `gpu` units a job holds: --resources gpu=N lets N GPU trainings run at once."""
        return int(self.pool.device == "gpu")


def place_training(
    setting: str,
    gpus: list[str],
    jobs_per_gpu: int,
    gpu_threads: int,
    cpu_threads: int | str,
    cores: int | None,
) -> Placement:
    """Where this machine's training jobs run. ``setting`` is the config's ``device``: auto,
    cpu or gpu; ``gpus`` the GPUs visible here; ``cores`` Snakemake's --cores (None: not
    given, as on a cluster).

    auto: this machine's GPUs if one is visible, each job bound to one as it starts, at most
    ``jobs_per_gpu`` to a GPU; else the CPU. There, with ``cpu_threads: auto``, each job is
    counted as one thread and takes its share of the cores when it starts: all of them when
    it trains alone (convlab.slots.share). A cluster profile replaces the pool with the
    scheduler's (profiles/slurm): there ``auto`` is the CPU unless the config says gpu.
    """
    cpu_fixed = cpu_threads != "auto"
    shared = not cpu_fixed and cores is not None
    cpu = Pool("cpu", max(1, min(cores, usable_cores())) if shared else 0)
    cpu_reserved = cpu_threads if cpu_fixed else 1
    if setting == "cpu" or not (gpus or setting == "gpu"):
        return Placement(cpu, cpu_reserved)
    return Placement(Pool("gpu", gpus=tuple(gpus) or ("0",), per_gpu=jobs_per_gpu), gpu_threads)


def usable_cores() -> int:
    """The cores this process may run on (its affinity, as a cluster's cgroup sets it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


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


def gpu_request(placement: Placement, form: str) -> dict:
    """The resources by which a training job asks for its GPU, in the config's
    ``gpu_request`` form: ``gpus`` (Snakemake's `gpu`, which --resources gpu=N counts on one
    machine and SLURM's executor turns into --gpus=1), ``gres`` (--gres=gpu:1) or a GPU model
    (--gpus=<model>:1). None for a job on the CPU: cloud executors refuse a `gpu` of 0."""
    if not placement.gpu:
        return {}
    if form == "gres":
        return {"gres": "gpu:1"}
    return {"gpu": 1} | ({} if form == "gpus" else {"gpu_model": form})


def job_pool(resources, config: dict) -> str:
    """A training job's pool: its resource ``pool`` (the plan's placement, or a profile's),
    else, where a module user's ``use rule ... with: resources:`` replaced it, this host's
    placement from the config alone (each job on its own threads: --cores is not known in a
    job)."""
    if pool := resources.get("pool"):
        return pool
    training = config["training"]
    placement = place_training(
        config["device"],
        gpus=visible_gpus(),
        jobs_per_gpu=training["jobs_per_gpu"],
        gpu_threads=training["threads"],
        cpu_threads=training["cpu_threads"],
        cores=None,
    )
    return pool_text(placement.pool)
