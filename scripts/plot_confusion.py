"""One run's test confusion matrix as a labelled heatmap."""

import pandas as pd

from convlab.jobs import start_job
from convlab.plots import save_confusion_plot

start_job(snakemake.log[0])
confusion = pd.read_csv(snakemake.input.confusion, index_col=0)
run = snakemake.wildcards
title = f"{run.arch}, n = {run.n}, L1 = {run.l1}, {run.epochs} epochs, seed {run.seed}: test set"
save_confusion_plot(confusion, title, snakemake.output[0])
