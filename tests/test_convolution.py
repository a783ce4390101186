"""The hand-written convolution against an independent oracle (SciPy) and the assignment's
example."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.signal import correlate2d

from convlab.convolution import convolve2d, format_equation, output_size

FIGURE_1_ARRAY = [
    [1, 2, 3, 4, 5],
    [1, 3, 2, 3, 10],
    [3, 2, 1, 4, 5],
    [6, 1, 1, 2, 2],
    [3, 2, 1, 5, 4],
]
FIGURE_1_KERNEL = [[1, 0, -1]] * 3


def oracle(array, kernel, stride, padding):
    """SciPy's full cross-correlation of the zero-padded array, then every stride-th value.

    In int64, which the values drawn below cannot overflow (|x| <= 2**31, |k| <= 2**20,
    at most 784 taps).
    """
    padded = np.pad(np.asarray(array, dtype=np.int64), padding)
    return correlate2d(padded, np.asarray(kernel, dtype=np.int64), mode="valid")[::stride, ::stride]


@st.composite
def cases(draw):
    rows, cols = draw(st.integers(1, 24)), draw(st.integers(1, 24))
    padding = draw(st.integers(0, 4))
    krows = draw(st.integers(1, rows + 2 * padding))
    kcols = draw(st.integers(1, cols + 2 * padding))
    dtype = draw(st.sampled_from([np.uint8, np.int8, np.int16, np.uint16, np.int32, np.int64]))
    info = np.iinfo(dtype)
    elements = st.integers(max(int(info.min), -(2**31)), min(int(info.max), 2**31))
    array = draw(arrays(dtype, (rows, cols), elements=elements))
    # Small kernels accumulate in int32, large ones (or wide inputs) in int64: both exact.
    bound = draw(st.sampled_from([9, 2**15, 2**20]))
    kernel = draw(arrays(np.int64, (krows, kcols), elements=st.integers(-bound, bound)))
    stride = draw(st.integers(1, 6))
    return array, kernel, stride, padding


@settings(max_examples=300, deadline=None)
@given(cases())
def test_matches_scipy_on_random_shapes_strides_and_paddings(case):
    array, kernel, stride, padding = case
    result = convolve2d(array, kernel, stride, padding)
    expected = oracle(array, kernel, stride, padding)
    assert result.shape == expected.shape and result.dtype == np.int64
    assert result.shape == tuple(
        output_size(n, k, stride, padding) for n, k in zip(array.shape, kernel.shape)
    )
    np.testing.assert_array_equal(result, expected)


def test_figure_1_example():
    result = convolve2d(FIGURE_1_ARRAY, FIGURE_1_KERNEL)
    np.testing.assert_array_equal(result, [[-1, -4, -14], [6, -3, -13], [9, -6, -8]])


def test_padding_really_pads():
    # The assignment's padding loop never ran; here padding 1 keeps a 5x5 input 5x5.
    result = convolve2d(FIGURE_1_ARRAY, FIGURE_1_KERNEL, stride=1, padding=1)
    assert result.shape == (5, 5)
    # Top-left: only the 2x2 corner of the array lies under the kernel's right columns' zeros.
    assert result[0, 0] == -(2 + 3)
    np.testing.assert_array_equal(result[1:4, 1:4], [[-1, -4, -14], [6, -3, -13], [9, -6, -8]])


def test_uint8_image_does_not_overflow():
    image = np.full((5, 5), 254, dtype=np.uint8)
    kernel = [[0, -1, 0], [-1, 8, -1], [0, -1, 0]]
    result = convolve2d(image, kernel)
    assert result.dtype == np.int64
    assert (result == 1016).all()


def test_float_kernel_gives_float_result():
    result = convolve2d(np.ones((4, 4), dtype=np.uint8), np.full((2, 2), 0.25))
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, np.ones((3, 3)))


def test_non_square_array_and_kernel():
    array = np.arange(7 * 11).reshape(7, 11)
    kernel = np.array([[1, 2, 3, 4, 5]])
    np.testing.assert_array_equal(convolve2d(array, kernel, 2, 1), oracle(array, kernel, 2, 1))


@pytest.mark.parametrize(
    "array, kernel, stride, padding, message",
    [
        (np.ones((3, 3)), np.ones((4, 4)), 1, 0, "larger than the padded array"),
        (np.ones((3, 3)), np.ones((2, 2)), 0, 0, "stride must be an integer >= 1"),
        (np.ones((3, 3)), np.ones((2, 2)), 1.5, 0, "stride must be an integer >= 1"),
        (np.ones((3, 3)), np.ones((2, 2)), 1, -1, "padding must be an integer >= 0"),
        (np.ones(9), np.ones((2, 2)), 1, 0, "array must be 2-D"),
        (np.ones((3, 3, 3)), np.ones((2, 2)), 1, 0, "array must be 2-D"),
        (np.ones((3, 3)), np.ones(3), 1, 0, "kernel must be a non-empty 2-D matrix"),
    ],
)
def test_bad_arguments_raise_clear_errors(array, kernel, stride, padding, message):
    with pytest.raises(ValueError, match=message):
        convolve2d(array, kernel, stride, padding)


def test_kernel_fits_once_padded():
    assert convolve2d(np.ones((2, 2), dtype=int), np.ones((4, 4), dtype=int), 1, 1).tolist() == [
        [4]
    ]


def test_format_equation_lays_out_figure_1():
    result = convolve2d(FIGURE_1_ARRAY, FIGURE_1_KERNEL)
    lines = format_equation(FIGURE_1_ARRAY, FIGURE_1_KERNEL, result).splitlines()
    assert len(lines) == 5
    assert "*" in lines[2] and "=" in lines[2]
    assert lines[2].split() == ["3", "2", "1", "4", "5", "*", "1", "0", "-1", "=", "6", "-3", "-13"]
    assert lines[0].split() == ["1", "2", "3", "4", "5"]
