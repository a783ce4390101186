"""The architectures side by side at the default settings: test accuracy and fit time."""

from convlab.experiments import read_table, select
from convlab.jobs import start_job
from convlab.plots import save_architectures_plot

start_job(snakemake.log[0])
table = select(read_table(snakemake.input.table), snakemake.params.runs)
save_architectures_plot(table, snakemake.output[0])
