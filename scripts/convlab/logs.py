"""Send a script's output to its rule's log file."""

import os
import sys


def redirect_to_log(path) -> None:
    """Point stdout and stderr at the log, line-buffered, so tracebacks land there too.

    The process's file descriptors 1 and 2 are redirected as well, so that messages
    printed by compiled code (TensorFlow's C++ logging) reach the log, not the console.
    """
    log = open(path, "w", buffering=1, encoding="utf-8")
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
