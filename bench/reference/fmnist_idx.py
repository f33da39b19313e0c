"""Reads the MNIST-format IDX files the reference scripts use (gzip, big-endian header)."""
import gzip

import numpy as np


def idx(path):
    """The array stored in the gzip-compressed IDX file at `path` (uint8 data)."""
    with gzip.open(path) as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(dims)
