"""Every value of a sweep side by side: validation curves, replicates as a band."""

import pandas as pd

from convlab.jobs import start_job
from convlab.plots import save_curves_plot

start_job(snakemake.log[0])
histories = iter(snakemake.input.histories)
curves = [
    (label, [pd.read_csv(next(histories)) for _ in range(snakemake.params.replicates)])
    for label in snakemake.params.labels
]
save_curves_plot(curves, snakemake.output[0], snakemake.params.xlabel)
