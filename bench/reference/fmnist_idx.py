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


def standardized_fmnist(torch, folder="/usr/share/datasets/fashion-mnist/"):
    """Fashion-MNIST as float tensors (x_train, y_train, x_test, y_test), pixels scaled to [0, 1]
    and standardised with the training mean and standard deviation (Engram's default)."""
    xtr = torch.tensor(idx(folder + "train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    ytr = torch.tensor(idx(folder + "train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xte = torch.tensor(idx(folder + "t10k-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    yte = torch.tensor(idx(folder + "t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    mean, std = xtr.mean(), xtr.std()
    return (xtr - mean) / std, ytr, (xte - mean) / std, yte
