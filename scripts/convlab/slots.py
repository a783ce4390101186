"""What a training job takes on this host when it starts, before TensorFlow does: one GPU
(one of its ``jobs_per_gpu`` slots), or its share of the cores.

Snakemake counts `gpu` units and cores, but hands out no device ids and fixes a job's
threads when it plans it. So each local training job, as it starts:

- on a GPU, takes the first free slot of a pool of per-GPU lock files, GPUs spread first
  (slot 0 of every GPU before slot 1 of any), and sets ``CUDA_VISIBLE_DEVICES`` to that GPU
  alone;
- on the CPU, registers itself with the thread count it will use: a training that runs alone
  takes every core the pool has, several share them fairly, never fewer threads each than
  Snakemake reserved (:func:`share`).

A slot is a file held with ``flock(2)`` for the life of the process: the kernel releases it
when the process ends, normally or killed, so a killed job's GPU goes to the next job. The
pool is per host and user (:func:`slot_folder`), so two projects on one workstation take
different GPUs too.

The rule passes the pool as one string resource (rules/train.smk, ``pool``):
``cpu`` (threads fixed by ``training.cpu_threads``), ``cpu N`` (share N cores),
``gpu 0,1 x2`` (these GPUs, two jobs each) or ``scheduler``, which a cluster profile sets
(profiles/slurm): the job's allocation is its place, a GPU when it holds a `gpu` unit, else
the threads it asked for.
"""

import fcntl
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from convlab.errors import UserError

# The open files of the slots this process holds: kept until it ends.
_HELD = []


@dataclass(frozen=True)
class Pool:
    device: str  # "cpu", "gpu" or "scheduler"
    cores: int = 0  # cpu: the cores to share (0: threads fixed by Snakemake)
    gpus: tuple = ()  # gpu: the GPU ids to take one from
    per_gpu: int = 1


def pool_text(pool: Pool) -> str:
    """The resource string of a pool (its inverse is :func:`parse_pool`)."""
    if pool.device == "cpu":
        return f"cpu {pool.cores}" if pool.cores else "cpu"
    if pool.device == "scheduler":
        return "scheduler"
    return f"gpu {','.join(pool.gpus)} x{pool.per_gpu}"


def parse_pool(text: str) -> Pool:
    """The pool of a resource string; a UserError for one that is none (a profile's
    ``set-resources`` may give it)."""
    device, *rest = text.split() or [""]
    if device == "cpu" and len(rest) <= 1:
        return Pool("cpu", int(rest[0]) if rest else 0)
    if device == "scheduler" and not rest:
        return Pool("scheduler")
    if device != "gpu" or len(rest) != 2 or not rest[1].startswith("x"):
        raise UserError(
            f"the train rule's resource pool={text!r} is none of: cpu, cpu N, gpu IDS xK, "
            "scheduler (a profile's set-resources gives it; convlab.slots)"
        )
    gpus, per_gpu = rest
    return Pool("gpu", gpus=tuple(gpus.split(",")), per_gpu=int(per_gpu.removeprefix("x")))


def slot_folder() -> Path:
    """Where the pool's lock files live: $CONVLAB_SLOTS, else a folder of this user in the
    temporary folder, shared by every project of the user on this host."""
    folder = Path(
        os.environ.get("CONVLAB_SLOTS")
        or Path(tempfile.gettempdir(), f"convlab-slots-{os.getuid()}")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def try_hold(path: Path, note: str = "") -> bool:
    """Hold the lock file at ``path`` until this process ends, if no process holds it."""
    handle = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return False
    handle.truncate(0)
    handle.write(note)
    handle.flush()
    _HELD.append(handle)
    return True


def held_by_others(path: Path) -> bool:
    """Whether a running process holds the lock file at ``path``. A file no process holds
    was left by one that ended (killed, or between creating and locking it, for a moment):
    it is removed once it is a minute old."""
    handle = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        if time.time() - os.fstat(handle.fileno()).st_mtime > 60:
            path.unlink(missing_ok=True)
    finally:
        handle.close()  # also releases the lock when it was taken here
    return False


def take_gpu(folder: Path, gpus, per_gpu: int, poll_seconds: float = 2.0) -> str:
    """The id of the GPU of the first free slot, held until this process ends; waits (saying
    so once) while other jobs on this host hold every slot."""
    said = False
    while True:
        for slot in range(per_gpu):
            for gpu in gpus:
                if try_hold(folder / f"gpu-{gpu}-{slot}.lock", f"{os.getpid()}\n"):
                    return gpu
        if not said:
            print(
                f"waiting for a GPU: all {len(gpus) * per_gpu} slots ({per_gpu} per GPU) of "
                f"GPUs {', '.join(gpus)} are held by other jobs on this host",
                flush=True,
            )
            said = True
        time.sleep(poll_seconds)


def share(cores: int, reserved: int, others) -> int:
    """Threads for a training that starts while trainings using ``others`` threads run: an
    equal share of the cores, no more than the cores the others leave free, and never fewer
    than the ``reserved`` threads Snakemake counted for it."""
    fair = cores // (len(others) + 1)
    return max(reserved, min(fair, cores - sum(others)))


def running_threads(folder: Path, besides: Path | None = None) -> list[int]:
    """The thread counts of the trainings registered as running in ``folder``."""
    threads = []
    for path in sorted(folder.glob("cpu-*.lock")):
        if path == besides:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        if held_by_others(path):
            threads.append(int(text or 1))
    return threads


@dataclass
class Place:
    """Where this job trains: its GPU (an id as CUDA_VISIBLE_DEVICES names it) or None, and
    on a shared CPU the registration from which :meth:`threads` decides its thread count."""

    device: str  # "cpu" or "gpu"
    reserved: int  # the threads Snakemake counted for the job
    gpu: str | None = None
    cores: int = 0  # a CPU pool's size; 0: the threads are fixed
    registration: Path | None = None
    others: list[int] | None = None  # the threads of the other trainings on its cores

    @property
    def shared_line(self) -> str | None:
        """Why it took fewer threads than the pool's cores, when other trainings on this host
        held slots as it started; None when it took them all."""
        if not self.others:
            return None
        return (
            f"sharing {self.cores} cores: {len(self.others)} other training(s) on this host "
            f"hold {sum(self.others)} thread(s) (slots in {self.registration.parent}; a "
            "stopped process keeps its slot)"
        )

    def threads(self) -> int:
        """The threads to give TensorFlow, decided as late as possible (just before it
        starts), so that jobs Snakemake started together see each other."""
        if self.registration is None:
            return self.reserved
        self.others = running_threads(self.registration.parent, besides=self.registration)
        threads = share(self.cores, self.reserved, self.others)
        self.registration.write_text(str(threads), encoding="utf-8")
        return threads


def take_place(text: str, reserved: int, gpu_units: int = 0, folder: Path | None = None) -> Place:
    """Take this job's place in the pool that ``text`` describes (see the module's doc), the
    job holding ``gpu_units`` of Snakemake's `gpu` resource, and set the environment for
    the Keras backend, which must not have started yet."""
    if {"keras", "tensorflow", "jax", "torch"} & set(sys.modules):
        raise RuntimeError("take_place() must run before Keras and its backend are imported")
    pool = parse_pool(text)
    if pool.device == "scheduler" and gpu_units:  # the GPU its scheduler gave
        os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"
        return Place("gpu", reserved, gpu=os.environ.get("CUDA_VISIBLE_DEVICES"))
    if pool.device != "gpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = ""  # no GPU memory taken, no CUDA start-up
        if not pool.cores:
            return Place("cpu", reserved)
        registration = (folder or slot_folder()) / f"cpu-{os.getpid()}.lock"
        try_hold(registration, str(reserved))
        return Place("cpu", reserved, cores=pool.cores, registration=registration)
    os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"  # ids as nvidia-smi numbers them
    gpu = take_gpu(folder or slot_folder(), pool.gpus, pool.per_gpu)
    os.environ["CUDA_VISIBLE_DEVICES"] = gpu
    return Place("gpu", reserved, gpu=gpu)
