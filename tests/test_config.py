"""Checks of the config that a schema cannot make: shapes that fit, sweeps that can run."""

import copy
import json
import sys
from importlib import metadata

import pytest
import yaml
from PIL import Image

from conftest import REPO
from convlab.architecture_check import check_colormap
from convlab.config import (
    ConfigError,
    check_conv,
    picture_shape,
    schema_error,
)

CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())
SCHEMA = REPO / "schemas" / "config.schema.yaml"

CONV = {
    "image": None,
    "heart": {"size": 200},
    "padding": 0,
    "colormap": "PiYG_r",
    "kernels": {"kernel1": [[0, 1, 0]] * 3},
    "example": {"array": [[1, 2, 3]] * 3, "kernel": [[1]], "padding": 0},
}


def test_the_picture_is_the_heart_or_the_image_files_header(tmp_path):
    assert picture_shape(CONV) == (200, 200)
    Image.new("RGB", (30, 20)).save(tmp_path / "wide.png")
    assert picture_shape({**CONV, "image": "wide.png"}, tmp_path) == (20, 30)
    (tmp_path / "text.png").write_text("not a picture")
    assert picture_shape({**CONV, "image": "text.png"}, tmp_path) is None  # its job says so


def test_a_kernel_larger_than_a_small_picture_stops_before_any_job(tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "tiny.png")
    conv = {**CONV, "image": "tiny.png", "kernels": {"big": [[1] * 5] * 5}}
    with pytest.raises(
        ConfigError,
        match=r"conv.kernels.big: a 5x5 kernel is larger than the "
        r"picture \(4x4, padding 0\)",
    ):
        check_conv(conv, tmp_path)
    check_conv({**conv, "padding": 1}, tmp_path)  # padded to 6x6, it fits


SWEEP_MISTAKES = [
    (
        {"setting": "training.seed", "values": [1, 2]},
        "config key sweeps.s.setting: 'training.seed' is not a setting a sweep can vary",
    ),
    (
        {"setting": "architectures.wide.Dropout.rate", "values": [0.1]},
        "config key sweeps.s.setting: unknown architecture 'wide'; expected one of: baseline",
    ),
    (
        {"setting": "architectures.deep.MaxPooling2D.pool_size", "values": [3]},
        "config key sweeps.s.setting: architectures.deep has no MaxPooling2D layer",
    ),
    (
        {"setting": "training.batch_size", "values": [64, 0]},
        "config key sweeps.s.values.1 (training.batch_size = 0): config key training.batch_size: "
        "0 is less than the minimum of 1",
    ),
    (
        {"setting": "training.loss", "values": ["a b"]},
        "config key sweeps.s.values.0: 'a b' cannot name a figure",
    ),
    (
        {"setting": "training.optimizer.learning_rate", "values": [0.01, 0.010]},
        "config key sweeps.s.values: 0.01 is given twice",
    ),
]


@pytest.mark.parametrize("sweep, message", SWEEP_MISTAKES)
def test_a_bad_sweep_is_one_line_naming_its_key(sweep, message):
    from convlab.studies import sweep_points

    config = copy.deepcopy(CONFIG)
    config["sweeps"]["s"] = sweep
    with pytest.raises(ConfigError) as caught:
        sweep_points(config, "s", lambda changed: schema_error(changed, SCHEMA))
    assert str(caught.value).startswith(message), caught.value


def test_a_sweep_changes_only_its_setting():
    from convlab.studies import sweep_points

    config = copy.deepcopy(CONFIG)
    config["sweeps"]["dropout"] = {
        "setting": "architectures.maxpool.Dropout.rate",
        "values": [0.25],
    }
    config["sweeps"]["lr"] = {"setting": "training.optimizer.learning_rate", "values": [0.01]}
    (dropout,) = sweep_points(config, "dropout", lambda changed: None)
    (lr,) = sweep_points(config, "lr", lambda changed: None)
    assert dropout.arch == "maxpool" and lr.arch == config["defaults"]["arch"]
    changed = [
        i
        for i, (a, b) in enumerate(zip(dropout.net["layers"], config["architectures"]["maxpool"]))
        if a != b
    ]
    assert changed == [6] and dropout.net["layers"][6] == {"Dropout": {"rate": 0.25}}
    assert lr.net["training"]["optimizer"] == {"adam": {"learning_rate": 0.01}}
    assert lr.net["layers"] == config["architectures"]["baseline"]
    assert config["architectures"]["maxpool"][6] == {"Dropout": {"rate": 0.5}}  # not changed


def test_a_sweep_cannot_take_another_figure_s_name():
    from convlab.studies import check_sweep_name

    for name in ("curves", "maxpool"):
        with pytest.raises(ConfigError, match=f"a sweep cannot be named '{name}'"):
            check_sweep_name(name, CONFIG["architectures"])


@pytest.mark.parametrize(
    "key, line",
    [
        (
            ["replicate"],
            "config key replicate is not a setting of this workflow; did you mean replicates",
        ),
        (
            ["defaults", "epoch"],
            "config key defaults.epoch is not a setting of this workflow; "
            "did you mean defaults.epochs?",
        ),
        (["training", "learning_rate"], "config key training.learning_rate is not a setting"),
        (
            ["zzz"],
            "config key zzz is not a setting of this workflow; expected one of: conv, cifar10,",
        ),
    ],
)
def test_a_misspelt_key_gets_the_closest_keys(key, line):
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    node = config
    for part in key[:-1]:
        node = node[part]
    node[key[-1]] = 3
    assert line in schema_error(config, SCHEMA)


def test_a_sweep_misspelt_as_a_setting_sweep_is_named():
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    config["sweeps"]["l1s"] = [0, 1]
    assert schema_error(config, SCHEMA).endswith("(did you mean sweeps.l1?)")


def test_a_colour_map_is_asked_of_matplotlib_once_then_known(tmp_path, monkeypatch):
    """A fifth of a second of every plan was matplotlib's import: a name that passed is
    remembered with matplotlib's version; an unknown name is one line and not remembered."""
    passed = tmp_path / "colormaps-passed.json"
    check_colormap("viridis", passed)
    assert json.loads(passed.read_text()) == {
        f"viridis (matplotlib {metadata.version('matplotlib')})": True
    }
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # importing it now fails
    check_colormap("viridis", passed)
    monkeypatch.undo()
    with pytest.raises(
        ConfigError, match="conv.colormap: 'viridiz' is not a matplotlib colour map"
    ):
        check_colormap("viridiz", passed)
    assert len(json.loads(passed.read_text())) == 1
