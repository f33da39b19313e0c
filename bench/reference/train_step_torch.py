"""A plain PyTorch loop of the MLP 784-400-400-10 step (batch 128, SGD lr 0.01 momentum 0.9),
on preloaded tensors, for bench/train-step. Prints one JSON line with the median step time.

Usage: train_step_torch.py THREADS [--epoch]  (--epoch also times a full Fashion-MNIST epoch:
469 steps over a shuffled, preloaded float32 training set)."""
import json
import sys
import time

import numpy as np
import torch

from fmnist_idx import idx


def main():
    threads = int(sys.argv[1])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 400), torch.nn.ReLU(), torch.nn.Linear(400, 400), torch.nn.ReLU(),
        torch.nn.Linear(400, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(128, 784)
    y = torch.randint(0, 10, (128,))

    def step(xb, yb):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()

    for _ in range(30):
        step(x, y)
    times = []
    for _ in range(11):
        start = time.perf_counter()
        for _ in range(100):
            step(x, y)
        times.append((time.perf_counter() - start) / 100)
    result = {"step_seconds": float(np.median(times)), "torch": torch.__version__, "threads": threads}
    if "--epoch" in sys.argv:
        d = "/usr/share/datasets/fashion-mnist/"
        xtr = torch.tensor(idx(d + "train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
        ytr = torch.tensor(idx(d + "train-labels-idx1-ubyte.gz"), dtype=torch.long)
        start = time.perf_counter()
        perm = torch.randperm(60000)
        for i in range(0, 60000, 128):
            b = perm[i:i + 128]
            step(xtr[b], ytr[b])
        result["epoch_seconds"] = time.perf_counter() - start
    print(json.dumps(result))


if __name__ == "__main__":
    main()
