"""Every run as TensorBoard shows runs: its epochs' metrics as scalars and its settings as
hyperparameters, written with tensorboardX (no TensorFlow needed), one folder a run, so that
`tensorboard --logdir results/tensorboard` compares runs and sweeps."""

from pathlib import Path

import pandas as pd
from tensorboardX import SummaryWriter
from tensorboardX.summary import hparams

from convlab.experiments import COLUMNS, IDENTITY, SUMMARISED, all_runs

# What a run measured (results/runs.csv): the columns from `params` on; its settings are the
# rest but its name and identity hashes.
MEASURED = COLUMNS[COLUMNS.index("params") :]
METRICS = [*SUMMARISED, "train_accuracy", "test_loss", "dummy_test_accuracy"]


def hyperparameters(row: dict) -> dict:
    """A run's settings (results/runs.csv's columns) as TensorBoard takes them: numbers,
    text and booleans; a setting the run does not have (another net's layer) left out."""
    left_out = {"run", "configured", *IDENTITY, *MEASURED}
    values = {key: value for key, value in row.items() if key not in left_out}
    return {
        key: value.item() if hasattr(value, "item") else value
        for key, value in values.items()
        if not pd.isna(value)
    }


def write_runs(folders, out) -> None:
    """One TensorBoard run under ``out`` for each run folder of ``folders``."""
    folders = [Path(folder) for folder in folders]
    table = all_runs(folders, [folder.name for folder in folders])
    for folder, row in zip(folders, table.to_dict("records")):
        history = pd.read_csv(folder / "history.csv")
        with SummaryWriter(str(Path(out) / folder.name)) as writer:
            for epoch in history.to_dict("records"):
                step = int(epoch.pop("epoch"))
                for name, value in epoch.items():
                    writer.add_scalar(f"epoch/{name}", value, step)
            # As SummaryWriter.add_hparams writes them, but into this run's own event file.
            metrics = {f"run/{name}": float(row[name]) for name in METRICS}
            for summary in hparams(hyperparameters(row), metrics):
                writer.file_writer.add_summary(summary)
            for name, value in metrics.items():
                writer.add_scalar(name, value, len(history))
