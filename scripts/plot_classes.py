"""Test accuracy per class of one configuration: its replicates' mean and each replicate."""

import pandas as pd

from convlab.classes import class_accuracy, save_classes_plot
from convlab.jobs import start_job

start_job(snakemake.log[0])
confusions = {
    seed: pd.read_csv(path, index_col=0)
    for seed, path in zip(snakemake.params.seeds, snakemake.input.confusions)
}
accuracy = class_accuracy(confusions)
title = f"{snakemake.params.name}: test accuracy per class, {len(confusions)} replicate(s)"
save_classes_plot(accuracy, title, snakemake.output[0])
