"""The Keras backend a training job runs on: TensorFlow, JAX or PyTorch, as Keras chooses it
(``KERAS_BACKEND``, else ``~/.keras/keras.json``, else TensorFlow). ``start`` sets it up as
the job starts, before Keras is imported: its threads, its determinism, its GPU memory (so
that ``jobs_per_gpu`` trainings share one GPU) and what the run's determinism needs in the
environment (convlab.determinism, which seeds it); then says where it put the work.

The backend is where a run was trained, like its device, not what defines it: the same run
on another backend has the same name and folder, and a resume on another backend says so in
one line (convlab.checkpoints.resume_note).
"""

import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from convlab.files import machine_cache

BACKENDS = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
# Each backend's packages, as pip names them (the first one's version is the backend's).
PACKAGES = {"tensorflow": ("tensorflow",), "jax": ("jax", "jaxlib"), "torch": ("torch",)}
# What a GPU job needs that the plain wheels lack (docs/compute.md).
GPU_WHEELS = {
    "tensorflow": "tensorflow[and-cuda] (pip's plain tensorflow has no CUDA libraries)",
    "jax": "jax[cuda12]",
    "torch": "a CUDA build of torch (https://pytorch.org/get-started/locally/)",
}


def chosen() -> str:
    """The backend Keras will load here, without importing it: ``KERAS_BACKEND``, else the
    one in Keras's config file, else TensorFlow (Keras's own order)."""
    if name := os.environ.get("KERAS_BACKEND"):
        return name
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    try:
        return json.loads((home / "keras.json").read_text(encoding="utf-8"))["backend"]
    except (OSError, ValueError, KeyError, TypeError):
        return "tensorflow"


def unsupported(name: str) -> str | None:
    """The line that stops a job whose backend this workflow cannot train on (None: it can)."""
    if name not in BACKENDS:
        return (
            f"KERAS_BACKEND is {name!r}; expected one of: {', '.join(BACKENDS)} "
            "(TensorFlow when it is not set)"
        )
    if PACKAGES[name][0] not in versions():
        return (
            f"the Keras backend is {name} ({BACKENDS[name]}), which is not installed here: "
            f"install it (docs/compute.md) or choose another with KERAS_BACKEND"
        )
    return None


def versions() -> dict:
    """The versions of the backends' packages installed here."""
    found = {}
    for package in (package for names in PACKAGES.values() for package in names):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return found


def _environment(name: str, threads: int, gpu: bool, deterministic: dict) -> None:
    """What must be set before the backend starts: the ``deterministic`` variables (their
    XLA flags added to the user's) and the placement's."""
    flags = [deterministic.get("XLA_FLAGS")]
    if name == "jax":
        # Take GPU memory as needed (JAX takes 75 % of it at start otherwise); on the CPU,
        # one thread where one is asked for (XLA's CPU has no other thread count than all
        # cores or one).
        os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
        if threads == 1 and not gpu:
            flags.append("--xla_cpu_multi_thread_eigen=false")
        # Compiled steps kept on this machine: the next job of the same net and batch shapes
        # starts at once instead of compiling for seconds (the same code, the same numbers).
        os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(machine_cache("jax")))
        os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    if any(flags):
        os.environ["XLA_FLAGS"] = " ".join(filter(None, [os.environ.get("XLA_FLAGS"), *flags]))
    for variable, value in deterministic.items():
        if variable != "XLA_FLAGS":
            os.environ.setdefault(variable, value)


@dataclass(frozen=True)
class Backend:
    name: str  # tensorflow, jax or torch
    version: str
    device: str  # "CPU" or "GPU (<its name>)": where it puts the work
    gpus: int  # the GPUs it sees

    @property
    def label(self) -> str:
        return f"{BACKENDS[self.name]} {self.version}"


def start(threads: int, gpu: bool, deterministic: dict | None = None) -> Backend:
    """Start Keras on its backend with ``threads`` CPU threads and the ``deterministic``
    environment (convlab.determinism.environment); call before anything imports Keras.
    Which GPU it sees was set before (convlab.slots)."""
    name = chosen()
    _environment(name, threads, gpu, deterministic or {})
    if name == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        for each in gpus:
            tf.config.experimental.set_memory_growth(each, True)  # not all of it at start
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
        where = tf.DeviceSpec.from_string(tf.zeros(()).device)
        device = "CPU"
        if where.device_type == "GPU":
            details = tf.config.experimental.get_device_details(gpus[where.device_index or 0])
            device = f"GPU ({details.get('device_name', 'unnamed')})"
        return Backend(name, tf.__version__, device, len(gpus))
    if name == "jax":
        import jax

        first = jax.devices()[0]
        gpus = [d for d in jax.devices() if d.platform == "gpu"]
        device = "CPU" if first.platform == "cpu" else f"GPU ({first.device_kind})"
        return Backend(name, jax.__version__, device, len(gpus))
    import torch

    torch.set_num_threads(threads)
    gpus = torch.cuda.device_count()
    device = f"GPU ({torch.cuda.get_device_name(0)})" if gpus else "CPU"
    return Backend(name, torch.__version__.split("+")[0], device, gpus)


def no_gpu_seen(gpu: str | None, backend: Backend) -> str:
    """The line that stops a job that holds a GPU which its backend cannot see."""
    held = f"GPU {gpu}" if gpu else "a GPU"
    return (
        f"this training job holds {held}, but {backend.label} sees no GPU: install "
        f"{GPU_WHEELS[backend.name]} (docs/compute.md), or set `device: cpu` to train on "
        "the CPU"
    )
