"""Accuracy and fit time against n, or against the L1 weight."""

from convlab.experiments import collect
from convlab.logs import redirect_to_log
from convlab.plots import save_sweep_plot

redirect_to_log(snakemake.log[0])
table = collect(snakemake.input.metrics)
save_sweep_plot(table, snakemake.wildcards.sweep, snakemake.output[0], snakemake.params.xlabel)
