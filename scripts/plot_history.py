"""Figures 7-15 and 18-21: one run's train/validation history, annotated with its fit time."""

import json

import pandas as pd

from convlab.jobs import start_job
from convlab.plots import history_caption, save_history_plot

start_job(snakemake.log[0])
history = pd.read_csv(snakemake.input.history)
with open(snakemake.input.metrics, encoding="utf-8") as file:
    metrics = json.load(file)
save_history_plot(history, history_caption(metrics), snakemake.output[0])
