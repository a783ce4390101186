"""The configured architectures against the assignment's model summaries (Figures 6 and 17)."""

from pathlib import Path

import pytest
import yaml

from convlab.cifar10 import IMAGE_SHAPE
from convlab.models import build_model, summary_text

CONFIG = yaml.safe_load((Path(__file__).resolve().parents[1] / "config.yaml").read_text())

# (layer type, output shape, parameters), as the assignment's Figures 6 and 17 print them.
FIGURE_6 = [
    ("Conv2D", (32, 32, 16), 448),
    ("Conv2D", (16, 16, 16), 2320),
    ("Conv2D", (16, 16, 32), 4640),
    ("Conv2D", (8, 8, 32), 9248),
    ("Dropout", (8, 8, 32), 0),
    ("Flatten", (2048,), 0),
    ("Dense", (10,), 20490),
]
FIGURE_17 = [
    ("Conv2D", (32, 32, 16), 448),
    ("Conv2D", (32, 32, 16), 2320),
    ("MaxPooling2D", (16, 16, 16), 0),
    ("Conv2D", (16, 16, 32), 4640),
    ("Conv2D", (16, 16, 32), 9248),
    ("MaxPooling2D", (8, 8, 32), 0),
    ("Dropout", (8, 8, 32), 0),
    ("Flatten", (2048,), 0),
    ("Dense", (10,), 20490),
]


def build(arch, l1=0.0001):
    return build_model(
        CONFIG["architectures"][arch], l1, IMAGE_SHAPE, len(CONFIG["cifar10"]["classes"])
    )


@pytest.mark.parametrize("arch, expected", [("baseline", FIGURE_6), ("maxpool", FIGURE_17)])
def test_layer_by_layer_as_the_seed(arch, expected):
    model = build(arch)
    layers = [
        (type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params())
        for layer in model.layers
    ]
    assert layers == expected
    assert model.count_params() == 37146


def test_deep_net_has_23314_parameters():
    model = build("deep")
    assert model.count_params() == 23314
    assert [layer.filters for layer in model.layers if hasattr(layer, "filters")] == [
        8,
        8,
        16,
        16,
        32,
        32,
    ]


def test_head_carries_the_l1_penalty():
    head = build("baseline", l1=0.01).layers[-1]
    assert head.activation.__name__ == "softmax"
    assert head.kernel_regularizer.get_config() == {"l1": pytest.approx(0.01)}


def test_summary_text_lists_every_layer():
    text = summary_text(build("maxpool"))
    assert "Total params: 37,146" in text
    assert text.count("MaxPooling2D") == 2
