"""Figures 3-4: a convolved red channel as a heatmap."""

from convlab.jobs import start_job
from convlab.plots import save_heatmap
from convlab.tables import read_matrix

start_job(snakemake.log[0])
save_heatmap(read_matrix(snakemake.input.table), snakemake.output[0], snakemake.params.cmap)
