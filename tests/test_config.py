"""Checks of the conv section that a schema cannot make: shapes that fit."""

import pytest
from PIL import Image

from convlab.config import ConfigError, check_conv, picture_shape

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
