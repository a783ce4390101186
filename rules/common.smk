# Shared set-up: the library on the path, the config checked before anything runs,
# and helpers that turn a user's mistake into one clear line.
import sys
from pathlib import Path

from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from convlab.config import ConfigError, check_conv, schema_error
from convlab.targets import TargetError, known_name, positive_int

SCHEMA = Path(workflow.basedir) / "schemas" / "config.schema.yaml"


def fail(message):
    """Stop before any job starts, with one line and no traceback."""
    sys.exit(f"Error: {message}")


try:
    validate(config, SCHEMA)
except WorkflowError:
    import yaml

    fail(schema_error(config, yaml.safe_load(SCHEMA.read_text())))
try:
    check_conv(config["conv"])
except ConfigError as error:
    fail(error)


def user_target(function):
    """Wrap an input or params function so that a bad wildcard value ends the run cleanly."""

    def checked(wildcards):
        try:
            return function(wildcards)
        except TargetError as error:
            fail(error)

    return checked


# Part 1 ---------------------------------------------------------------------
CONV = config["conv"]


def conv_targets():
    kernels = list(CONV["kernels"])
    return [
        "results/conv_example.txt",
        "results/fig_heart.png",
        *expand("results/table_{kernel}_stride{stride}.tsv", kernel=kernels, stride=CONV["table_stride"]),
        *expand("results/fig_conv_{kernel}.png", kernel=kernels),
    ]


@user_target
def kernel_matrix(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    name = known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return CONV["kernels"][name]


@user_target
def table_stride(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    return positive_int(wildcards.stride, "stride", target)


@user_target
def heatmap_table(wildcards):
    target = f"results/fig_conv_{wildcards.kernel}.png"
    known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return f"results/table_{wildcards.kernel}_stride{CONV['heatmap_stride']}.tsv"
