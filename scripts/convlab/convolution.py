"""Hand-written 2-D convolution (cross-correlation, as in the course and in Keras)."""

import numpy as np


def output_size(n: int, k: int, stride: int, padding: int) -> int:
    """Length of one output dimension: floor((n + 2p - k) / s) + 1."""
    return (n + 2 * padding - k) // stride + 1


def convolve2d(array, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Slide ``kernel`` over ``array`` zero-padded by ``padding`` on every side.

    The kernel is not flipped. Integer inputs give exact integer (int64) results, so an
    8-bit image does not wrap around; anything else is computed in float64.

    The loop runs over the kernel's taps only: each tap adds one strided slice of the
    padded array, so the work is vectorised over the whole output at once and only the
    output positions that the stride keeps are ever computed.
    """
    array = np.asarray(array)
    kernel = np.asarray(kernel)
    if array.ndim != 2:
        raise ValueError(f"array must be 2-D, got shape {array.shape}")
    if kernel.ndim != 2 or 0 in kernel.shape:
        raise ValueError(f"kernel must be a non-empty 2-D matrix, got shape {kernel.shape}")
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
        raise ValueError(f"stride must be an integer >= 1, got {stride!r}")
    if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)) or padding < 0:
        raise ValueError(f"padding must be an integer >= 0, got {padding!r}")
    padded_shape = tuple(n + 2 * padding for n in array.shape)
    if kernel.shape[0] > padded_shape[0] or kernel.shape[1] > padded_shape[1]:
        raise ValueError(f"kernel {kernel.shape} is larger than the padded array {padded_shape}")

    integer = np.issubdtype(array.dtype, np.integer) and np.issubdtype(kernel.dtype, np.integer)
    dtype = _accumulator(array.dtype, kernel) if integer else np.float64
    padded = np.pad(array, padding) if padding else array
    kernel = kernel.astype(dtype)

    rows, cols = (output_size(n, k, stride, padding) for n, k in zip(array.shape, kernel.shape))
    out = np.zeros((rows, cols), dtype=dtype)
    product = np.empty_like(out)
    for i, j in np.ndindex(kernel.shape):
        if kernel[i, j]:
            window = padded[i : i + stride * rows : stride, j : j + stride * cols : stride]
            np.multiply(window, kernel[i, j], out=product)
            out += product
    return out.astype(np.int64) if integer else out


def _accumulator(array_dtype, kernel) -> type:
    """int32 when no sum can leave its range (an 8-bit image and a small kernel: half the
    memory traffic of int64), else int64. Either way the result is exact."""
    info = np.iinfo(array_dtype)
    largest = max(abs(int(info.min)), int(info.max)) * sum(abs(int(v)) for v in kernel.flat)
    return np.int32 if largest <= np.iinfo(np.int32).max else np.int64


def format_equation(array, kernel, result) -> str:
    """Lay out ``array * kernel = result`` side by side, as in the assignment's Figure 1."""
    blocks = [np.asarray(array), np.asarray(kernel), np.asarray(result)]
    width = max(len(str(v)) for block in blocks for v in block.ravel())
    height = max(block.shape[0] for block in blocks)
    middle = height // 2

    def block_lines(block):
        top = (height - block.shape[0]) // 2
        blank = " ".join(" " * width for _ in range(block.shape[1]))
        lines = [blank] * height
        for r, row in enumerate(block):
            lines[top + r] = " ".join(f"{v:>{width}}" for v in row)
        return lines

    columns = [block_lines(b) for b in blocks]
    lines = []
    for r in range(height):
        first, second = ("*", "=") if r == middle else (" ", " ")
        line = f"{columns[0][r]}  {first}  {columns[1][r]}  {second}  {columns[2][r]}"
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"
