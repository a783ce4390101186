"""Every run of the finished tiny project in TensorBoard, read back with TensorBoard's own
event reader: its epochs' metrics as scalars, its settings as hyperparameters."""

import csv

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2


def read(folder):
    events = EventAccumulator(str(folder), size_guidance={"scalars": 0, "tensors": 0})
    events.Reload()
    return events


def test_every_configured_run_is_in_tensorboard_with_its_epochs_and_settings(finished_tiny):
    runs = {
        row["run"]: row for row in csv.DictReader(finished_tiny.path("results/runs.csv").open())
    }
    board = finished_tiny.path("results/tensorboard")
    assert {folder.name for folder in board.iterdir() if folder.is_dir()} == set(runs)
    for name, row in runs.items():
        events = read(board / name)
        history = list(
            csv.DictReader(finished_tiny.path(f"results/runs/{name}/history.csv").open())
        )
        accuracy = events.Scalars("epoch/val_accuracy")
        assert [point.step for point in accuracy] == list(range(1, int(row["epochs"]) + 1))
        assert [round(p.value, 6) for p in accuracy] == [
            round(float(epoch["val_accuracy"]), 6) for epoch in history
        ]
        assert round(events.Scalars("run/test_accuracy")[0].value, 6) == round(
            float(row["test_accuracy"]), 6
        )
        # The hyperparameters: the run's parameters and settings, as runs.csv has them.
        content = events.PluginTagToContent("hparams")["_hparams_/session_start_info"]
        start = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
        hparams = dict(start.hparams)
        assert hparams["arch"].string_value == row["arch"]
        assert hparams["n"].number_value == int(row["n"])
        assert hparams["l1"].number_value == float(row["l1"])
        assert hparams["batch_size"].number_value == int(row["batch_size"])
        assert "layer0.Conv2D.filters" in hparams and "state_key" not in hparams
