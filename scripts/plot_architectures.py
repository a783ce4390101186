"""The architectures side by side at the default settings: test accuracy and fit time."""

import pandas as pd

from convlab.experiments import select
from convlab.logs import redirect_to_log
from convlab.plots import save_architectures_plot

redirect_to_log(snakemake.log[0])
table = select(pd.read_csv(snakemake.input.table), snakemake.params.runs)
save_architectures_plot(table, snakemake.output[0])
