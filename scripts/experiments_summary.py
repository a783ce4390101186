"""results/experiments_summary.csv: one row per configuration, its replicates summarised."""

import pandas as pd

from convlab.experiments import summarise
from convlab.jobs import start_job

start_job(snakemake.log[0])
summarise(pd.read_csv(snakemake.input.table)).to_csv(snakemake.output[0], index=False)
