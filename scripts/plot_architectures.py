"""The architectures side by side at the default settings: accuracy and fit time, as a
sweep whose values are names."""

from convlab.experiments import read_table, select
from convlab.jobs import start_job
from convlab.plots import save_sweep_plot

start_job(snakemake.log[0])
table = select(read_table(snakemake.input.table), snakemake.params.runs)
names = list(dict.fromkeys(table["arch"]))
table = table.assign(value=table["arch"].map(names.index))
save_sweep_plot(table, names, snakemake.output[0], "architecture", "arch")
