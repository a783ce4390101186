"""How a run's first n training images split into training and validation images."""

import math


def split_sizes(n: int, validation_split: float) -> tuple[int, int]:
    """Training and validation images of a run on the first n: as Keras' validation_split,
    the last fraction of the n points is held out."""
    training = math.ceil(n * (1 - validation_split))
    return training, n - training


def smallest_n(validation_split: float) -> int:
    """The smallest n that leaves at least one validation image."""
    n = max(1, math.ceil(1 / validation_split))  # n * validation_split >= 1, up to rounding
    while split_sizes(n, validation_split)[1] == 0:
        n += 1
    while n > 1 and split_sizes(n - 1, validation_split)[1] > 0:
        n -= 1
    return n
