"""results/experiments_summary.csv: one row per configuration, its replicates summarised."""

from convlab.experiments import read_table, summarise
from convlab.jobs import start_job

start_job(snakemake.log[0])
summarise(read_table(snakemake.input.table)).to_csv(snakemake.output[0], index=False)
