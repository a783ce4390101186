"""The architectures, optimizer and loss, checked against Keras before any job runs."""

import copy
import time

import pytest
import yaml

from conftest import REPO
from convlab.architecture_check import check, check_key, check_once, passed_before
from convlab.config import ConfigError
from convlab.studies import labelled_nets, sweep_points

CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())


def nets(config, sweeps=()):
    """What the workflow checks of a config: every architecture, the assignment's nets and
    the values of the named sweeps."""
    return labelled_nets(
        config, {name: sweep_points(config, name, lambda c: None) for name in sweeps}
    )


def shaped(config, sweeps=()):
    return check(nets(config, sweeps))


def layers(config, arch):
    return shaped(config)[f"arch:{arch}"]["layers"]


def changed(change):
    config = copy.deepcopy(CONFIG)
    change(config)
    return config


def set_layer(arch, index, layer):
    return lambda config: config["architectures"][arch].__setitem__(index, layer)


def set_training(key, value):
    return lambda config: config["training"].__setitem__(key, value)


MISTAKES = [
    (
        set_layer("baseline", 0, {"Conv2d": {"filters": 8}}),
        "config key architectures.baseline.0: Conv2d is not a layer of keras.layers; "
        "did you mean Conv2D?",
    ),
    (
        set_layer("baseline", 0, {"Conv2D": {"fliters": 8, "kernel_size": 3}}),
        "config key architectures.baseline.0.Conv2D: fliters is not an option of Conv2D; "
        "it accepts: ",
    ),
    (
        set_layer("baseline", 0, {"Conv2D": {"kernel_size": 3}}),
        "config key architectures.baseline.0.Conv2D: Conv2D needs filters",
    ),
    (
        set_layer("maxpool", 2, {"MaxPooling2D": {"pool_size": 2, "padding": "sme"}}),
        "config key architectures.maxpool.2.MaxPooling2D: Argument `padding` must be either "
        "'valid' or 'same'. Received: padding=sme",
    ),
    (
        set_layer("deep", 7, {"Dropout": {"rate": 0.5}}),
        "config key architectures.deep: the last layer gives outputs of shape (4, 4, 32), but the "
        "classifier head needs a flat vector; end the list with Flatten",
    ),
    (
        set_layer("baseline", 4, {"Conv2D": {"filters": 8, "kernel_size": 9}}),
        "config key architectures.baseline.4.Conv2D: "
        "Computed output size would be zero or negative",
    ),
    (
        set_training("optimizer", "adamm"),
        "config key training.optimizer: 'adamm' is not a Keras optimizer; expected one of: ",
    ),
    (
        set_training("optimizer", {"Adam": {"learning_rat": 0.01}}),
        "config key training.optimizer: learning_rat is not an option of Adam; it accepts: ",
    ),
    (
        set_training("optimizer", {"SGD": {"momentum": -1}}),
        "config key training.optimizer: ",
    ),
    (
        set_training("loss", "crossentropy"),
        "config key training.loss: 'crossentropy' is not a Keras loss",
    ),
    (
        set_training("loss", "sparse_categorical_crossentropy"),
        "config key training.loss: sparse_categorical_crossentropy cannot score one-hot labels",
    ),
]


def test_the_configured_architectures_pass():
    shaped(CONFIG)


IDS = [
    "unknown layer",
    "unknown option",
    "missing option",
    "bad value",
    "no Flatten",
    "kernel larger than its input",
    "unknown optimizer",
    "unknown optimizer option",
    "bad optimizer value",
    "unknown loss",
    "loss for other labels",
]


@pytest.mark.parametrize("change, message", MISTAKES, ids=IDS)
def test_each_mistake_is_one_line_naming_the_key(change, message):
    with pytest.raises(ConfigError) as caught:
        shaped(changed(change))
    line = str(caught.value)
    assert line.startswith(message) and "\n" not in line, line


def test_the_accepted_options_are_listed():
    with pytest.raises(ConfigError) as caught:
        shaped(changed(set_layer("baseline", 0, {"Conv2D": {"fliters": 8}})))
    accepted = str(caught.value).split("it accepts: ")[1].split(", ")
    assert {"filters", "kernel_size", "strides", "padding", "activation", "name"} <= set(accepted)


def test_the_key_follows_what_is_checked_only():
    key = check_key(nets(CONFIG))
    assert check_key(nets(changed(lambda config: config.update(replicates=7)))) == key
    assert check_key(nets(changed(set_training("threads", 7)))) == key
    assert check_key(nets(changed(set_training("optimizer", "sgd")))) != key
    assert check_key(nets(changed(set_layer("deep", 7, {"Flatten": None})))) != key


def test_a_passed_check_is_not_run_again(tmp_path):
    cache = tmp_path / "passed.json"
    config = changed(set_training("optimizer", "sgd"))  # a key no other test has checked
    start = time.perf_counter()
    mistake, shapes = check_once(nets(config), cache)
    first = time.perf_counter() - start
    assert mistake is None and set(shapes) == set(nets(config))
    assert passed_before(cache, check_key(nets(config))) == shapes
    start = time.perf_counter()
    assert check_once(nets(config), cache) == (None, shapes)
    again = time.perf_counter() - start
    assert again < first / 20, (first, again)  # Keras imported in a subprocess, then not


def test_a_failed_check_is_said_and_not_remembered(tmp_path):
    cache = tmp_path / "passed.json"
    config = changed(set_training("loss", "crossentropy"))
    mistake, _ = check_once(nets(config), cache)
    assert mistake.startswith("config key training.loss: 'crossentropy'")
    assert passed_before(cache, check_key(nets(config))) is None


def test_a_planner_without_keras_names_runs_as_one_with_keras_or_stops(tmp_path, monkeypatch):
    """A login node without Keras: the check's record, made where Keras runs, gives the same
    names; without one, one line and no names (never the nets as written)."""
    cache = tmp_path / "passed.json"
    config = changed(set_training("batch_size", 96))
    no_keras = tmp_path / "no-keras"
    (no_keras / "keras").mkdir(parents=True)
    (no_keras / "keras" / "__init__.py").write_text("raise ImportError('No module named keras')\n")
    monkeypatch.setenv("PYTHONPATH", str(no_keras))
    mistake, shapes = check_once(nets(config), cache)
    assert shapes == {} and mistake.startswith("the architectures cannot be checked and named")
    assert "No module named keras" in mistake and str(cache) in mistake
    monkeypatch.delenv("PYTHONPATH")
    mistake, with_keras = check_once(nets(config), cache)
    assert mistake is None
    monkeypatch.setenv("PYTHONPATH", str(no_keras))
    assert check_once(nets(config), cache) == (None, with_keras)


BASELINE_FIRST = {"filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"}


@pytest.mark.parametrize(
    "written",
    [
        dict(reversed(BASELINE_FIRST.items())),  # options in another order
        {**BASELINE_FIRST, "kernel_size": [3, 3]},  # another spelling Keras accepts
        {**BASELINE_FIRST, "strides": 1, "use_bias": True},  # defaults written out
    ],
)
def test_one_layer_written_differently_is_one_canonical_layer(written):
    canonical = layers(CONFIG, "baseline")[0]
    assert canonical == {
        "Conv2D": {"activation": "relu", "filters": 16, "kernel_size": [3, 3], "padding": "same"}
    }
    assert (
        layers(changed(set_layer("baseline", 0, {"Conv2D": written})), "baseline")[0] == canonical
    )


def test_canonical_layers_build_the_same_net():
    from convlab.models import build_model

    def configs(layers):
        model = build_model(layers, 0.0001, (32, 32, 3), 10)
        return [
            {k: v for k, v in layer.get_config().items() if k != "name"} for layer in model.layers
        ]

    shapes = shaped(CONFIG)
    for arch, written in CONFIG["architectures"].items():
        assert configs(shapes[f"arch:{arch}"]["layers"]) == configs(written), arch


def test_another_layer_is_another_canonical_layer():
    other = changed(set_layer("baseline", 0, {"Conv2D": {"filters": 16, "kernel_size": 5}}))
    assert layers(other, "baseline")[0] != layers(CONFIG, "baseline")[0]


@pytest.mark.parametrize(
    "written",
    ["adam", "Adam", {"adam": None}, {"Adam": {"learning_rate": 0.001, "beta_1": 0.9}}],
)
def test_one_optimizer_written_differently_is_one_canonical_optimizer(written):
    settings = shaped(changed(set_training("optimizer", written)))["arch:baseline"]["settings"]
    assert settings["optimizer"] == {"Adam": {}}


def test_an_optimizer_option_is_kept_as_written_not_as_float32():
    config = changed(set_training("optimizer", {"adam": {"learning_rate": 0.01}}))
    assert shaped(config)["arch:baseline"]["settings"]["optimizer"] == {
        "Adam": {"learning_rate": 0.01}
    }


def test_the_shipped_config_is_the_assignment():
    shapes = shaped(CONFIG)
    for arch in ("baseline", "maxpool", "deep"):
        assert shapes[f"arch:{arch}"] == shapes[f"assignment:{arch}"], arch


def test_a_bad_sweep_value_names_the_sweep():
    config = changed(
        lambda c: c["sweeps"].update(
            dropout={"setting": "architectures.baseline.Dropout.rate", "values": [0.3, 1.5]}
        )
    )
    with pytest.raises(ConfigError) as caught:
        shaped(config, sweeps=["dropout"])
    line = str(caught.value)
    assert line.startswith(
        "config key sweeps.dropout.values.1, architectures.baseline.4.Dropout: "
    ), line
