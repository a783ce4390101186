"""Every value of a sweep side by side: validation curves, replicates as a band."""

import pandas as pd

from convlab.jobs import start_job
from convlab.plots import save_curves_plot

start_job(snakemake.log[0])
histories = iter(snakemake.input.histories)
curves = [
    (label, [pd.read_csv(next(histories)) for _ in range(count)])
    for label, count in zip(snakemake.params.labels, snakemake.params.replicates)
]
save_curves_plot(curves, snakemake.output[0], snakemake.params.xlabel)
