"""Figures 3-4: a convolved red channel as a heatmap."""

from convlab.logs import redirect_to_log
from convlab.plots import save_heatmap
from convlab.tables import read_matrix

redirect_to_log(snakemake.log[0])
save_heatmap(read_matrix(snakemake.input.table), snakemake.output[0], snakemake.params.cmap)
