# The "Machine Learning Week 8" assignment as a cached DAG over one plan (rules/common.smk).
# Every rule but train is local: on a cluster only the trainings queue (docs/compute.md).
import logging
import sys
from pathlib import Path

from snakemake.utils import min_version

# convlab, the library, is installed (README: pip install -r requirements.txt).
from convlab.config import config_file_error

min_version("9.27.1")

# A config file that is not YAML: one line with its name, line and column.
for name in ("config.yaml", "local.yaml"):
    if mistake := config_file_error(name):
        sys.exit(f"Error: {mistake}")


configfile: "config.yaml"


# This machine's settings (cifar10.path), git-ignored; --config/--configfile override both.
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


# A misspelt target: one line with what was meant, not in a module's host (docs/module.md).
if Path(workflow.basedir).resolve() == Path(workflow.current_basedir).resolve():
    logging.getLogger("snakemake.logging").addHandler(MisspeltTargets(what_was_meant))
