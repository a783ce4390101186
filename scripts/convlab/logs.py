"""Send a script's output to its rule's log file."""

import sys


def redirect_to_log(path) -> None:
    """Point stdout and stderr at the log, line-buffered, so tracebacks land there too."""
    log = open(path, "w", buffering=1, encoding="utf-8")
    sys.stdout = sys.stderr = log
