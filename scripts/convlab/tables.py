"""Matrices as tab-separated text: one row per line, no header."""

import numpy as np


def write_matrix(path, matrix) -> None:
    matrix = np.asarray(matrix)
    fmt = "%d" if np.issubdtype(matrix.dtype, np.integer) else "%.6g"
    np.savetxt(path, matrix, fmt=fmt, delimiter="\t")


def read_matrix(path) -> np.ndarray:
    return np.loadtxt(path, delimiter="\t", ndmin=2)
