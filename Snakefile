# Reproduces the "Machine Learning Week 8" assignment as a cached DAG:
# Part 1, a hand-written 2-D convolution on a picture of a heart (rules/conv.smk);
# Part 2, small Keras CNNs on CIFAR-10 (rules/data.smk, rules/train.smk);
# a comparison of all runs (rules/compare.smk) and the assignment's claims checked
# (rules/claims.smk).
import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")
sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from convlab.config import config_file_error

# A config file that is not YAML: one line with its name, line and column (Snakemake's own
# message names neither).
for name in ("config.yaml", "local.yaml"):
    if mistake := config_file_error(name):
        sys.exit(f"Error: {mistake}")


configfile: "config.yaml"


# Settings of this machine (above all cifar10.path), git-ignored, read by every command run
# here; --config and --configfile on the command line still override both files.
if Path("local.yaml").exists():

    configfile: "local.yaml"


report: "report/workflow.rst"


include: "rules/helpers/config.smk"
include: "rules/helpers/part1.smk"
include: "rules/helpers/data.smk"
include: "rules/helpers/training.smk"
include: "rules/helpers/comparison.smk"
include: "rules/helpers/claims.smk"
include: "rules/helpers/targets.smk"
include: "rules/conv.smk"
include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/compare.smk"
include: "rules/claims.smk"


rule all:
    default_target: True
    input:
        default_targets(),


check_targets()


# Before the first job: a damaged data file prepared again, and how many trainings will run
# and about how long (a dry run says it after its plan).
onstart:
    repair_damaged_data()
    say_estimate()
