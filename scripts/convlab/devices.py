"""Where training jobs run: on a GPU each, or packed onto the CPU cores; decided at planning
time without importing TensorFlow (a no-op rerun stays fast)."""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


def gpu_visible() -> bool:
    """An NVIDIA GPU is visible to processes started here: its driver's device files exist
    (or nvidia-smi is installed) and CUDA_VISIBLE_DEVICES does not hide every device."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", "unset").strip() in ("", "-1"):
        return False
    return any(Path("/dev").glob("nvidia[0-9]*")) or shutil.which("nvidia-smi") is not None


@dataclass(frozen=True)
class Placement:
    gpu: bool  # each training job holds one `gpu` unit (and asks a cluster for a GPU)
    threads: int  # per training job
    reason: str


def place_training(
    setting: str, local: bool, visible: bool, gpu_threads: int, cpu_threads: int
) -> Placement:
    """``setting`` is the config's ``device``: auto, cpu or gpu.

    auto: on a cluster (a non-local executor), each job asks for a GPU whatever this host
    has; on this machine, a GPU if one is visible, else the CPU, where single-threaded jobs
    share the cores (measured fastest in aggregate: BENCHMARKS.md).
    """
    if setting == "gpu":
        return Placement(True, gpu_threads, "device: gpu in the config")
    if setting == "cpu":
        return Placement(False, cpu_threads, "device: cpu in the config")
    if not local:
        return Placement(
            True, gpu_threads, "a cluster executor (set device: cpu for a site without GPUs)"
        )
    if visible:
        return Placement(True, gpu_threads, "a GPU is visible")
    return Placement(False, cpu_threads, "no GPU visible")


def describe(placement: Placement, cores) -> str:
    """The one line that says what was decided and why."""
    if placement.gpu:
        return (
            f"Training: {placement.reason}: each training job holds one `gpu` unit "
            f"(--resources gpu=N runs N at once), {placement.threads} CPU thread(s) each"
        )
    return (
        f"Training: {placement.reason}: on the CPU, up to {cores} job(s) at once, "
        f"{placement.threads} thread(s) each"
    )


def training_priority(n: int) -> int:
    """The order in which ready training jobs start: the largest training sets first, so
    that on a few cores the longest jobs start early and the short ones fill in around them.
    (A longer run waits for a shorter one of the same net by a dependency: rules/common.smk.)"""
    return n


def training_memory_mb(n: int) -> int:
    """Memory to declare for a training job on n images: measured peak RSS was about 1.0 GB
    at n = 5000 and 1.4 GB at n = 50000 (the prepared data alone take 0.2 GB), plus 20 %."""
    return int(1.2 * (950 + n / 100))
