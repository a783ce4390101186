"""One run's test confusion matrix as a labelled heatmap."""

from pathlib import Path

import pandas as pd

from convlab.jobs import start_job
from convlab.plots import save_confusion_plot
from convlab.runs import Run, described

start_job(snakemake.log[0])
confusion = pd.read_csv(snakemake.input.confusion, index_col=0)
run = Run.parse(Path(snakemake.input.confusion).parent.name)
title = ", ".join(described(run.fields)) + ": test set"
save_confusion_plot(confusion, title, snakemake.output[0])
