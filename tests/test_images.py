"""The built-in heart and the loading of a user's image."""

import numpy as np
import pytest
from PIL import Image

from convlab.images import ImageError, load_image, red_channel, render_heart


def test_heart_red_channel_matches_the_assignment_tables():
    image = render_heart(200, (254, 254, 254), (244, 143, 177))
    assert image.size == (200, 200) and image.mode == "RGB"
    red = red_channel(image)
    values, counts = np.unique(red, return_counts=True)
    share = dict(zip(values.tolist(), counts / red.size))
    # Background and fill dominate; only the anti-aliased edge lies between them.
    assert share[254] > 0.4 and share[244] > 0.3
    assert red.min() == 244 and red.max() == 254
    assert red[0, 0] == 254 and red[100, 100] == 244


def test_heart_is_pink_inside():
    rgb = np.asarray(render_heart(200, (254, 254, 254), (244, 143, 177)))
    assert rgb[100, 100].tolist() == [244, 143, 177]


def test_load_image_converts_to_rgb(tmp_path):
    path = tmp_path / "grey.png"
    Image.fromarray(np.full((6, 9), 77, dtype=np.uint8)).save(path)
    image = load_image(path)
    assert image.mode == "RGB" and image.size == (9, 6)
    assert (red_channel(image) == 77).all()


def test_missing_image_is_a_clear_error(tmp_path):
    with pytest.raises(ImageError, match="does not exist"):
        load_image(tmp_path / "nope.jpg")


def test_unreadable_image_is_a_clear_error(tmp_path):
    path = tmp_path / "heart.jpg"
    path.write_text("not an image")
    with pytest.raises(ImageError, match="not a readable image"):
        load_image(path)
