"""results/experiments.csv: one row per configured run."""

from convlab.experiments import collect
from convlab.jobs import start_job

start_job(snakemake.log[0])
collect(snakemake.input.metrics).to_csv(snakemake.output[0], index=False)
