"""The architectures side by side at the default settings: test accuracy and fit time."""

from convlab.experiments import collect
from convlab.logs import redirect_to_log
from convlab.plots import save_architectures_plot

redirect_to_log(snakemake.log[0])
save_architectures_plot(collect(snakemake.input.metrics), snakemake.output[0])
