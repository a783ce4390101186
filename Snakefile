# Reproduces the "Machine Learning Week 8" assignment as a cached DAG: Part 1's convolution
# (rules/conv.smk), Part 2's Keras CNNs on CIFAR-10 (rules/data.smk, rules/train.smk), their
# comparison (rules/compare.smk) and the assignment's claims (rules/claims.smk), all read
# from one plan of runs, figures and tables (rules/common.smk, convlab.plan).
# Every rule but train is a local rule: on a cluster its jobs of a second or two run on the
# submitting host, and only the trainings wait in the queue (docs/compute.md).
import logging
import sys
from pathlib import Path

from snakemake.utils import min_version

# The library, convlab, is an installed package (README: pip install -e . or requirements.txt).
from convlab.config import config_file_error

min_version("9.27.1")

# A config file that is not YAML: one line with its name, line and column.
for name in ("config.yaml", "local.yaml"):
    if mistake := config_file_error(name):
        sys.exit(f"Error: {mistake}")


configfile: "config.yaml"


# Settings of this machine (above all cifar10.path), git-ignored, read by every command run
# here; --config and --configfile on the command line still override both files.
if Path("local.yaml").exists():

    configfile: "local.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"


wildcard_constraints:
    **RUN_FIELDS,


include: "rules/conv.smk"
include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/compare.smk"
include: "rules/claims.smk"


rule all:
    default_target: True
    input:
        PLAN.targets,


rule built_so_far:
    """The targets built so far: `snakemake --report FILE built_so_far` reports a partial run."""
    input:
        lambda wildcards: built_so_far(PLAN.targets),


# After Snakemake's "No rule to produce", a misspelt target gets one line with what was meant:
# in this workflow only, not where another workflow uses it as a module (docs/module.md).
if Path(workflow.basedir).resolve() == Path(workflow.current_basedir).resolve():
    logging.getLogger("snakemake.logging").addHandler(MisspeltTargets(what_was_meant))
