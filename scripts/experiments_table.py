"""results/experiments.csv: one row per configured run."""

from convlab.experiments import collect
from convlab.logs import redirect_to_log

redirect_to_log(snakemake.log[0])
collect(snakemake.input.metrics).to_csv(snakemake.output[0], index=False)
