# Reproduces the "Machine Learning Week 8" assignment as a cached DAG:
# Part 1, a hand-written 2-D convolution on a picture of a heart (rules/conv.smk);
# Part 2, small Keras CNNs on CIFAR-10 (rules/data.smk, rules/train.smk);
# and a comparison of all runs with the assignment's claims checked (rules/compare.smk).
from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


# Settings of this machine (above all cifar10.path), git-ignored, read by every command run
# here; --config and --configfile on the command line still override both files.
if Path("local.yaml").exists():

    configfile: "local.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/conv.smk"
include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/compare.smk"


rule all:
    default_target: True
    input:
        default_targets(),
