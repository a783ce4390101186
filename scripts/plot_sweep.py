"""Accuracy and fit time against one swept setting (n, the L1 weight, or any other):
means, intervals, replicates."""

import pandas as pd

from convlab.experiments import read_table, select
from convlab.jobs import start_job
from convlab.plots import save_sweep_plot

start_job(snakemake.log[0])
table = read_table(snakemake.input.table)
rows = [select(table, [run]).assign(value=i) for i, run in enumerate(snakemake.params.runs)]
save_sweep_plot(
    pd.concat(rows, ignore_index=True),
    snakemake.params.values,
    snakemake.output[0],
    snakemake.params.xlabel,
    snakemake.params.varied,
)
