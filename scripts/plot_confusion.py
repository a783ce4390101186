"""One run's test confusion matrix as a labelled heatmap."""

import pandas as pd

from convlab.logs import redirect_to_log
from convlab.plots import save_confusion_plot

redirect_to_log(snakemake.log[0])
confusion = pd.read_csv(snakemake.input.confusion, index_col=0)
w = snakemake.wildcards
title = f"{w.arch}, n = {w.n}, L1 = {w.l1}, {w.epochs} epochs, seed {w.seed}: test set"
save_confusion_plot(confusion, title, snakemake.output[0])
