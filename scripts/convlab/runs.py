"""The names of runs: one rule, read by the rules (folders, logs, figures) and by training.

A *configuration* is (architecture, n, L1 weight, epochs); a *run* is one configuration
trained with one random seed. Kept apart from convlab.targets (how users' target names are
parsed) so that a new kind of figure name is no change to the code a training imports.
"""

import numpy as np

CONFIGURATION = ("arch", "n", "l1", "epochs")


def canonical_number(value: float) -> str:
    """Shortest positional spelling that reads back the same: 0, 0.00001, 0.0001, 2.5."""
    return np.format_float_positional(float(value), trim="-")


# The name of a configuration, and of a run (one replicate of it): its folder
# results/runs/{RUN_NAME}/, its log and its figures are named by this rule alone.
CONFIGURATION_NAME = "{arch}_n{n}_w{l1}_e{epochs}"
RUN_NAME = CONFIGURATION_NAME + "_s{seed}"
# What each field of a run's name may hold (the rules' wildcard constraints).
RUN_FIELDS = {
    "arch": "[A-Za-z0-9-]+",
    "n": "[0-9]+",
    "l1": "[0-9.]+",
    "epochs": "[0-9]+",
    "seed": "[0-9]+",
}


def run_name(arch: str, n: int, l1, epochs: int, seed: int) -> str:
    """``RUN_NAME`` filled in, with the L1 weight in its canonical spelling."""
    return RUN_NAME.format(arch=arch, n=n, l1=canonical_number(float(l1)), epochs=epochs, seed=seed)
