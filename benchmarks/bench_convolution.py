"""Time convolve2d against the assignment's loop version and SciPy, in one process.

    .venv/bin/python benchmarks/bench_convolution.py [--sizes 200 2000] [--repeats 5]

Prints the median time of each method per case and the ratios against convolve2d.
Exits non-zero if convolve2d is slower than SciPy on any case, or under 100x faster than the
assignment's loop on any case whose output has at least GATED values: below that (a 200x200
image at stride 10 has 400) one NumPy call's fixed cost of a few microseconds is more than a
hundredth of the loop's time, which no NumPy formulation can beat; those cases are printed
and not gated.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.signal import correlate2d

GATED = 10_000  # output values from which the 100x target applies

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from assignment_convolution import convolve as assignment_convolve  # noqa: E402

from convlab.convolution import convolve2d  # noqa: E402


def median_seconds(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--kernels", type=int, nargs="+", default=[3, 7])
    parser.add_argument("--strides", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--assignment-repeats",
        type=int,
        default=1,
        help="repeats of the assignment's slow loop on images over 500x500 (seconds each)",
    )
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    print(
        "| image | kernel | stride | convolve2d (ms) | assignment's loop (ms) | scipy (ms) "
        "| assignment / ours | scipy / ours |"
    )
    print("|---|---|---|---|---|---|---|---|")
    missed = []
    for size in args.sizes:
        image = rng.integers(0, 256, (size, size), dtype=np.uint8)
        image_lists = image.astype(int).tolist()
        for k in args.kernels:
            kernel = rng.integers(-4, 5, (k, k))
            kernel_lists = kernel.tolist()
            for stride in args.strides:
                ours, result = median_seconds(
                    lambda: convolve2d(image, kernel, stride), args.repeats
                )
                their_repeats = args.repeats if size <= 500 else args.assignment_repeats
                theirs, their_result = median_seconds(
                    lambda: assignment_convolve(image_lists, kernel_lists, stride, 0), their_repeats
                )
                scipy, scipy_result = median_seconds(
                    lambda: correlate2d(image.astype(np.int64), kernel, mode="valid")[
                        ::stride, ::stride
                    ],
                    args.repeats,
                )
                np.testing.assert_array_equal(result, their_result)
                np.testing.assert_array_equal(result, scipy_result)
                print(
                    f"| {size}x{size} | {k}x{k} | {stride} | {ours * 1e3:.2f} | {theirs * 1e3:.1f} "
                    f"| {scipy * 1e3:.2f} | {theirs / ours:.0f}x | {scipy / ours:.2f}x |",
                    flush=True,
                )
                if scipy / ours < 1 or (result.size >= GATED and theirs / ours < 100):
                    missed.append((size, k, stride))
    if missed:
        print(
            f"target missed (not slower than scipy; >= 100x the assignment's loop from {GATED} "
            f"output values) on: {missed}"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
