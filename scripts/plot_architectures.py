"""The architectures side by side at the default settings: test accuracy and fit time."""

import pandas as pd

from convlab.experiments import select
from convlab.jobs import start_job
from convlab.plots import save_architectures_plot

start_job(snakemake.log[0])
table = select(pd.read_csv(snakemake.input.table), snakemake.params.runs)
save_architectures_plot(table, snakemake.output[0])
