"""Accuracy and fit time against n, or against the L1 weight: means, intervals, replicates."""

import pandas as pd

from convlab.experiments import select
from convlab.jobs import start_job
from convlab.plots import save_sweep_plot

start_job(snakemake.log[0])
table = select(pd.read_csv(snakemake.input.table), snakemake.params.runs)
save_sweep_plot(table, snakemake.wildcards.sweep, snakemake.output[0], snakemake.params.xlabel)
