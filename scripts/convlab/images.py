"""The input picture of Part 1: the built-in pink heart, or a user's image file."""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, UnidentifiedImageError

from convlab.errors import UserError

SUPERSAMPLING = 4


class ImageError(UserError):
    """A user-supplied image that cannot be used."""


def render_heart(size: int, background, fill) -> Image.Image:
    """Draw a filled heart on a plain background, anti-aliased at its edge.

    The heart is drawn at a higher resolution and box-averaged down, so its edge blends
    smoothly while the background and the inside keep exactly their given colours.
    """
    big = size * SUPERSAMPLING
    t = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    # The classic heart curve, spanning x in [-16, 16] and y in [-17, 12].
    x = 16 * np.sin(t) ** 3
    y = 13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t)
    scale = 0.85 * big / 34
    points = list(zip(big / 2 + scale * x, big / 2 - scale * (y + 2.5)))
    image = Image.new("RGB", (big, big), tuple(background))
    ImageDraw.Draw(image).polygon(points, fill=tuple(fill))
    return image.resize((size, size), Image.Resampling.BOX)


def load_image(path) -> Image.Image:
    """Open an image file as RGB, with a one-line error naming the file if it can't be."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"conv.image: {str(path)!r} does not exist or is not a file")
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        raise ImageError(
            f"conv.image: {str(path)!r} is not a readable image (PNG, JPEG, ...): {error}"
        ) from None


def red_channel(image: Image.Image) -> np.ndarray:
    """The red channel as a 2-D uint8 array, as the assignment takes it."""
    return np.asarray(image.convert("RGB"))[:, :, 0]
