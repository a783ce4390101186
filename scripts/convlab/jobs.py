"""How every rule's script starts: its output goes to the rule's log, and a failure ends in
one line.

A mistake in the user's input or environment (a ``UserError``: an unreadable image, data
that is not CIFAR-10, a download that cannot reach its server; or a full or read-only disk)
is said in one line, on the screen and in the log, with no traceback. Anything else is a bug
of the workflow: its traceback goes to the log only, and the screen gets one line that says
where it is.
"""

import errno
import os
import sys
import tempfile
import traceback
from contextlib import contextmanager

from convlab.errors import UserError

FULL = "make room, or move the project to a larger disk, then run again"
CLOSED = "make it writable, or run from a copy of the project where it is, then run again"
FILE_SYSTEM_ERRORS = {  # errno: what happened, what to do
    errno.ENOSPC: ("no space left on the device", FULL),
    errno.EDQUOT: ("the disk quota is exceeded", FULL),
    errno.EROFS: ("the file system is read-only", CLOSED),
    errno.EACCES: ("permission denied", CLOSED),
    errno.EPERM: ("permission denied", CLOSED),
}


def user_message(error: BaseException) -> str | None:
    """The one line for a known user or environment mistake; None for anything else."""
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, OSError) and error.errno in FILE_SYSTEM_ERRORS:
        what, remedy = FILE_SYSTEM_ERRORS[error.errno]
        where = f" at {error.filename}" if error.filename else ""
        return f"{what}{where}; {remedy} (finished outputs are kept)"
    if isinstance(error, MemoryError) or type(error).__name__ == "ResourceExhaustedError":
        return (
            "out of memory (of the machine, or of the GPU for TensorFlow's "
            "ResourceExhaustedError); run fewer jobs at once, e.g. --resources mem_mb=N or "
            "gpu=N with what this machine can give (training jobs declare what they need)"
        )
    return None


# TensorFlow's start-up lines that a newcomer reads as failures or warnings, though none is
# one on a machine without a GPU: absl's preamble, no CUDA driver, the CPU instructions it was
# not built for, its notice (twice) that oneDNN kernels may round differently from a build
# without them (a run's numbers are the same from one job to the next either way), and (only
# where no GPU is meant) CUDA's initialisation failing.
START_UP_NOISE = (
    "All log messages before absl::InitializeLog() is called",
    "cudart_stub.cc",
    "cpu_feature_guard.cc",
    "To enable the following instructions",
    "oneDNN custom operations are on",
)
NO_GPU_NOISE = ("failed call to cuInit",)


@contextmanager
def start_up_noise_kept_out(gpu: bool = False):
    """Run the block (TensorFlow's import and first use) with compiled code's output caught;
    then write to the log every line of it but TensorFlow's start-up noise (START_UP_NOISE,
    and NO_GPU_NOISE unless the job means to use a GPU, where that line is the cause)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            noise = START_UP_NOISE + (() if gpu else NO_GPU_NOISE)
            for line in caught.read().decode("utf-8", "replace").splitlines(keepends=True):
                if not any(part in line for part in noise):
                    sys.stderr.write(line)
            sys.stderr.flush()


def start_job(log_path) -> None:
    """Send this script's output, and compiled code's (TensorFlow's C++ logging), to the log;
    end an uncaught exception with one line (see the module's doc)."""
    screen = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8")
    log = open(log_path, "w", buffering=1, encoding="utf-8")
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log

    def one_line(kind, error, trace):
        line = user_message(error)
        if line is None:
            traceback.print_exception(kind, error, trace, file=log)
            line = f"unexpected {kind.__name__}: {error} (a bug; the traceback is in {log_path})"
        for stream in (log, screen):
            print(f"Error: {line}", file=stream, flush=True)

    sys.excepthook = one_line
