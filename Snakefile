# Reproduces the "Machine Learning Week 8" assignment as a cached DAG: Part 1's convolution
# (rules/conv.smk), Part 2's Keras CNNs on CIFAR-10 (rules/data.smk, rules/train.smk), their
# comparison (rules/compare.smk) and the assignment's claims (rules/claims.smk), all read
# from one plan of runs, figures and tables (rules/common.smk, convlab.plan).
import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.27.1")
sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from convlab.config import config_file_error

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


rule unknown_target:
    """Any other file here or in results/: planned last, it stops in one line (what_was_meant)."""
    input:
        "results/.unknown/{target}",
    output:
        "{target}",
    wildcard_constraints:
        target="(results/)?[^/]+",


rule no_rule_makes:
    input:
        what_was_meant,
    output:
        "results/.unknown/{target}",


ruleorder: model_summary > unknown_target
ruleorder: plot_history > unknown_target
ruleorder: plot_sweep > unknown_target
ruleorder: plot_curves > unknown_target
ruleorder: plot_confusion > unknown_target
ruleorder: conv_table > unknown_target
ruleorder: conv_heatmap > unknown_target
