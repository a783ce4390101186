"""The assignment's convolution (Appendix A), copied unchanged as the benchmark's baseline.

Its padding branch never pads (``range(n, n - p)`` is empty and ``insert`` on the rows
runs for the first n + p rows only), so it is only timed here with padding 0.
"""


def convolve(array, kernel, s, p):
    # kernel, input, and output sizes
    k = kernel.__len__()
    n = array.__len__()
    m = (n - k + s + 2 * p) // s

    # padding with zeroes
    if p > 0:
        pad = []
        for i in range(n):
            pad.insert(i, 0)
        for i in range(0, p):
            array.insert(i, pad)
        for i in range(n, n - p):
            array.insert(i, pad)
        for i in range(n + p):
            for j in range(0, p):
                array[i].insert(j, 0)
            for j in range(n, n - p):
                array[i].insert(j, 0)

    # adding elements to the output matrix using the formula
    output = []
    for i in range(m):
        row = []
        for j in range(m):
            x = 0
            for iK in range(k):
                for jK in range(k):
                    x = x + array[s * i + iK][s * j + jK] * kernel[iK][jK]
            row.insert(j, x)
        output.insert(i, row)
    return output
